//! DUO's VSV lists (NRSP, NenR): any bytes through decoding, recognition
//! and the recognising layout's reader (`lijst::read_list`, through the
//! header-CSV row source), the teljaar and status from a DUO file name. It
//! must answer with a list of one teljaar whose every row has a line, or a
//! problem — never panic, hang or run away.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::lijst::{Given, ListLayout, read_list, recognise};

static LAYOUTS: LazyLock<Vec<ListLayout>> = LazyLock::new(ListLayout::all_builtin);

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, _)) = verzuim::input::read_text(bytes) else { return };
    let first = text.lines().next().unwrap_or("");
    // recognised or not, every layout must read or refuse it
    let recognised = recognise(&LAYOUTS, first).is_some();
    for layout in LAYOUTS.iter() {
        if let Ok(list) = read_list(layout, &text, "NRSP2024DR0028.csv", &Given::default(), "fuzz") {
            assert_eq!(list.teljaar, 2023);
            assert_eq!(list.batch.schema(), verzuim::lijst::schema());
        }
    }
    let _ = recognised; // recognition must not panic either
});
