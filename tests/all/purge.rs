//! The bewaartermijn: old deliveries leave the lake and the catalog whole,
//! a dry run touches nothing, and the report names counts, not persons.

use crate::common::*;
use chrono::NaiveDate;
use verzuim::purge::{Options, purge};

fn opts(lake: &std::path::Path, dry_run: bool) -> Options {
    Options {
        lake: lake.to_path_buf(),
        // the hand-made samples have peildata 2026-10-01 … 2026-10-24; a
        // term of 5 days on 2026-10-15 removes those before 2026-10-10
        bewaartermijn_dagen: 5,
        vandaag: NaiveDate::from_ymd_opt(2026, 10, 15).unwrap(),
        dry_run,
        bewaarmappen: vec![],
        analysecatalogi: vec![lake.join("verzuim-analyse.duckdb")],
    }
}

#[test]
fn deliveries_past_the_term_leave_the_lake_and_the_catalog() {
    let lake = tempfile::tempdir().unwrap();
    assert_eq!(ingest(lake.path(), &[repo().join("tests/fixtures/handmade")]).rejected(), 0);
    verzuim::catalog::refresh(lake.path()).unwrap();
    let conn = || duckdb::Connection::open(lake.path().join("verzuim.duckdb")).unwrap();
    let before = query_rows(&conn(), "select peildatum::varchar || ' ' || soort from levering");
    assert_eq!(before.len(), 7);

    // an analyst catalog made from the lake (its content does not matter here)
    let analyse = lake.path().join("verzuim-analyse.duckdb");
    std::fs::write(&analyse, b"derived from the lake").unwrap();

    // a dry run names what would go and removes nothing
    let files_before = parquet_files(lake.path());
    let dry = purge(&opts(lake.path(), true)).unwrap();
    assert_eq!(dry.analysecatalogi, 1);
    assert!(analyse.exists());
    assert_eq!(dry.leveringen.len(), 2, "the two C-leveringen of 2026-10-01");
    assert!(dry.leveringen.iter().all(|p| p.peildatum == "2026-10-01" && p.soort == "C"));
    assert_eq!(parquet_files(lake.path()), files_before);
    assert_eq!(query_rows(&conn(), "select count(*) from levering"), vec!["7"]);

    let r = purge(&opts(lake.path(), false)).unwrap();
    assert_eq!(r.leveringen.len(), 2);
    assert_eq!(r.leveringen.iter().map(|p| p.personen).sum::<u64>(), 11 + 14, "persons in the two C-leveringen");
    let text = r.samenvatting();
    // derived from purged deliveries: gone, to be made again from what is left
    assert!(!analyse.exists());
    assert!(text.contains("1 analyst catalog(s)"), "{text}");
    assert!(text.contains("2 deliveries (C 2) with 25 person pictures, peildatum before 2026-10-10"), "{text}");
    // counts only: no pgn of the lake in what is reported
    for pgn in query_rows(&conn(), "select distinct pgn from persoon") {
        assert!(!text.contains(&pgn));
    }
    // the lake and the catalog no longer hold them; the rest is untouched
    let after = query_rows(&conn(), "select peildatum::varchar || ' ' || soort from levering");
    assert_eq!(after.len(), 5);
    assert!(after.iter().all(|l| !l.starts_with("2026-10-01")), "{after:?}");
    assert!(!lake.path().join("leveringen/soort=C").exists(), "empty partition folders removed");
    assert_eq!(std::fs::read_dir(lake.path().join("_staging")).unwrap().count(), 0, "nothing left in staging");
    // a second purge finds nothing
    assert!(purge(&opts(lake.path(), false)).unwrap().leveringen.is_empty());
}
