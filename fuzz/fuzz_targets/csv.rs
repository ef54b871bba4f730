//! The header-CSV reader: any bytes through decoding, the shipped DUO-CSV
//! layout and the layout `inspect --draft` writes for those very bytes, with
//! the delivery facts given as a nightly inbox gives them. It must answer
//! with a delivery or a problem — never panic, hang or run away —, the
//! same answer read whole and in pieces of a few bytes (rows, counts,
//! findings, or the first problem), and a draft must always read as a
//! layout file.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verzuim::layout::csv::CsvLayout;
use verzuim::layout::DeliveryLayout;
use verzuim::normalise::csv::CsvPlan;
use verzuim::normalise::{DeliveryMeta, Facts};

static DUO_CSV: LazyLock<CsvPlan> = LazyLock::new(|| {
    let DeliveryLayout::Csv(l) = DeliveryLayout::builtin("duo-csv").expect("shipped") else { panic!("duo-csv is a header-CSV layout") };
    CsvPlan::new(l).expect("shipped layouts have a plan")
});

fn read(plan: &CsvPlan, text: &str) {
    let meta = DeliveryMeta { levering_id: "fuzz".into(), bestand: "20261012G0363P.csv".into(), sha256: String::new(), ingelezen_op: 0 };
    for soort in ["P", "C"] {
        let given = Facts { soort: Some(soort.into()), afnemer: Some("G0363".into()), peildatum: Some(20_737) };
        let whole = plan.normalise(text, &meta, &given, usize::MAX);
        let problems = plan.survey(text, &meta.bestand, &given, 20).problems;
        // inspect and ingest judge a file alike
        assert_eq!(whole.is_ok(), problems.is_empty(), "ingest and survey disagree");
        // and where the pieces fall changes nothing
        let pieces = plan.normalise(text, &meta, &given, 16);
        match (&whole, &pieces) {
            (Ok(w), Ok(p)) => {
                assert_eq!((w.persons, w.records, &w.counts, w.bevindingen), (p.persons, p.records, &p.counts, p.bevindingen));
                for (a, b) in w.tables.iter().zip(&p.tables) {
                    let rows = |t: &verzuim::normalise::TableData| arrow::compute::concat_batches(&t.schema, &t.batches).expect("one schema");
                    assert_eq!(rows(a), rows(b), "table {}", a.name);
                }
            }
            (Err(w), Err(p)) => assert_eq!(w, p, "another first problem in pieces"),
            _ => panic!("pieces changed the verdict: whole {:?}, pieces {:?}", whole.as_ref().err(), pieces.as_ref().err()),
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, encoding)) = verzuim::input::read_text(bytes) else { return };
    read(&DUO_CSV, &text);
    let draft = verzuim::inspect::draft_csv_layout(&text, encoding, "fuzz.csv");
    if verzuim::layout::csv::looks_like_header_csv(&text) {
        let layout = CsvLayout::from_toml(&draft, "draft").expect("a draft reads as a layout file");
        if let Ok(plan) = CsvPlan::new(layout) {
            read(&plan, &text);
        }
    }
});
