//! BRP extracts: any bytes through decoding and the shipped BRP layout's
//! reader (`brp::read_extract`, through the header-CSV row source), with the
//! gemeente and date from the file name. It must answer with an extract of
//! one gemeente and as many rows as distinct BSNs, or a problem — never
//! panic, hang or run away.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::brp::{BrpLayout, Given, read_extract};

static LAYOUT: LazyLock<BrpLayout> = LazyLock::new(BrpLayout::builtin);

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, _)) = verzuim::input::read_text(bytes) else { return };
    if let Ok(x) = read_extract(&LAYOUT, &text, "0363_20261001.csv", &Given::default(), "fuzz") {
        assert_eq!(x.gemeentecode, "0363");
        assert_eq!(x.batch.schema(), verzuim::brp::schema());
        assert!(x.batch.num_rows() > 0);
    }
});
