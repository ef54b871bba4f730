//! The layout-driven parser: any bytes through decoding, layout recognition,
//! parsing and normalisation into Arrow batches, with both shipped layouts
//! and with small chunks (so chunk boundaries fall everywhere). It must
//! answer with a delivery or a problem — never panic, hang or run away.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::layout::RecordLayout;
use verzuim::normalise::records::RecordPlan;
use verzuim::normalise::{DeliveryMeta, Facts};

static PLANS: LazyLock<Vec<RecordPlan>> = LazyLock::new(|| {
    RecordLayout::all_builtin().into_iter().map(|l| RecordPlan::new(l).expect("shipped layouts have a plan")).collect()
});

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, _)) = verzuim::input::read_text(bytes) else { return };
    let meta = DeliveryMeta { levering_id: "fuzz".into(), bestand: "fuzz.txt".into(), sha256: String::new(), ingelezen_op: 0 };
    let first = text.lines().next().unwrap_or("");
    for plan in PLANS.iter() {
        // as ingest does (the recognised layout) and as `--layout` forces it
        if plan.layout().recognises(first) {
            let whole = plan.normalise(&text, &meta, &Facts::default(), 8 << 20);
            let chunked = plan.normalise(&text, &meta, &Facts::default(), 64);
            // the chunk size is an implementation detail: same verdict
            assert_eq!(whole.is_ok(), chunked.is_ok(), "chunking changed the verdict");
        }
        let _ = plan.survey(&text, 20);
    }
    let _ = verzuim::inspect::draft_record_layout(&text);
});
