//! The layout-driven parser: any bytes through decoding, layout recognition,
//! parsing and normalisation into Arrow batches, with both shipped layouts
//! and with small chunks (so chunk boundaries fall everywhere). It must
//! answer with a delivery or a problem — never panic, hang or run away.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::layout::RecordLayout;
use verzuim::normalise::{self, DeliveryMeta, Plan};

static LAYOUTS: LazyLock<Vec<(RecordLayout, Plan)>> = LazyLock::new(|| {
    RecordLayout::all_builtin()
        .into_iter()
        .map(|l| {
            let plan = Plan::new(&l).expect("shipped layouts have a plan");
            (l, plan)
        })
        .collect()
});

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, _)) = verzuim::input::read_text(bytes) else { return };
    let meta = DeliveryMeta { levering_id: "fuzz".into(), bestand: "fuzz.txt".into(), sha256: String::new(), ingelezen_op: 0 };
    let first = text.lines().next().unwrap_or("");
    for (layout, plan) in LAYOUTS.iter() {
        // as ingest does (the recognised layout) and as `--layout` forces it
        if layout.recognises(first) {
            let whole = normalise::normalise(layout, plan, &text, &meta, 8 << 20);
            let chunked = normalise::normalise(layout, plan, &text, &meta, 64);
            // the chunk size is an implementation detail: same verdict
            assert_eq!(whole.is_ok(), chunked.is_ok(), "chunking changed the verdict");
        }
        let _ = normalise::survey(layout, plan, &text, 20);
    }
    let _ = verzuim::inspect::draft_layout(&text);
});
