//! DUO's reference files (Basisgegevens, address files, opleidingen): any
//! bytes through decoding and every shipped reference layout's reader — the
//! header-CSV row source deliveries share (`parse::HeaderCsv`). It must
//! answer with a table or a problem — never panic, hang or run away.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::reference::{RefLayout, read_table};

static LAYOUTS: LazyLock<Vec<RefLayout>> = LazyLock::new(RefLayout::all_builtin);

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, _)) = verzuim::input::read_text(bytes) else { return };
    for layout in LAYOUTS.iter() {
        if let Ok(batch) = read_table(layout, &text, "fuzz", "fuzz.csv") {
            // every row read has every column of the layout, and the two of the source
            assert_eq!(batch.num_columns(), layout.columns.len() + 2);
        }
    }
});
