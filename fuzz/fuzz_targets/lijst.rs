//! DUO's VSV lists (NRSP, NenR) and monthly A-rapportages: any bytes
//! through decoding, recognition and every layout's reader
//! (`lijst::read_list`, `lijst::read_rapportage`, through the header-CSV row
//! source), the teljaar and status or the month from a DUO file name. It
//! must answer with a list of one teljaar, a rapportage of one month, or a
//! problem — never panic, hang or run away.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::lijst::{Given, ListLayout, Soort, read_list, read_rapportage, recognise};

static LAYOUTS: LazyLock<Vec<ListLayout>> = LazyLock::new(ListLayout::all_builtin);

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, _)) = verzuim::input::read_text(bytes) else { return };
    let first = text.lines().next().unwrap_or("");
    // recognition must not panic, named or not
    let _ = recognise(&LAYOUTS, first, "NRSP2024DR0028.csv");
    let _ = recognise(&LAYOUTS, first, "onbekend.csv");
    for layout in LAYOUTS.iter() {
        match &layout.soort {
            Soort::Lijst(_) => {
                if let Ok(list) = read_list(layout, &text, "NRSP2024DR0028.csv", &Given::default(), "fuzz") {
                    assert_eq!(list.teljaar, 2023);
                    assert_eq!(list.batch.schema(), verzuim::lijst::schema());
                }
            }
            Soort::Rapportage(code) => {
                let name = format!("{code}_R0028_202603.csv");
                if let Ok(r) = read_rapportage(layout, &text, &name, &Given::default(), "fuzz") {
                    assert_eq!(r.maand, "2026-03");
                    assert_eq!(r.batch.schema(), verzuim::lijst::rapportage_schema());
                }
                // without a name, the month comes from the rows or nowhere
                if let Ok(r) = read_rapportage(layout, &text, "x.csv", &Given::default(), "fuzz") {
                    assert_eq!(r.maand.len(), 7);
                }
            }
        }
    }
});
