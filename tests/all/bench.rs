//! The benchmark compares like with like: on a small generated set, DuckDB's
//! own loader (step b) and verzuim's ingest (step a) hold the same rows per
//! table, and every step of the table is reported — the history shape's too.

use std::process::Command;

use crate::common::*;

#[test]
fn the_benchmark_runs_every_step_and_both_loaders_load_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_verzuim"))
        .args(["bench", "--persons", "3000", "--weken", "2", "--history-persons", "2000", "--history-weeks", "2", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{table}{}", String::from_utf8_lossy(&out.stderr));
    for step in [
        "(a) verzuim ingest",
        "(a') catalog refresh",
        "(b) DuckDB",
        "(c) leerplichttelling",
        "(c) vsv",
        "(c) absoluut_verzuim_schooljaar",
        "(d) verzuim run, one new P-levering",
        "(e) history: ingest",
        "(e) C-leveringen only: ingest",
        "(f) leerplichttelling",
        "(b) history: DuckDB",
        "(d) history: verzuim run, one new P-levering",
        "(g) plain reader, history",
        "bekend_op",
    ] {
        assert!(table.contains(step), "{step} missing:\n{table}");
    }
    let nights: Vec<&str> = table.lines().filter(|l| l.contains("verzuim run, one new P-levering")).collect();
    assert_eq!(nights.len(), 2, "{table}");
    for night in nights {
        assert!(night.contains("ingest 0."), "the nightly run ingested the held-back P-levering: {night}");
    }

    let conn = duckdb::Connection::open_in_memory().unwrap();
    for t in ["persoon", "verblijf", "inschrijving", "resultaat", "vrijstelling", "startkwalificatie", "vsv_indicatie", "mutatie"] {
        let count = |lake: &str| {
            query_rows(&conn, &format!("select count(*) from read_parquet('{}/{lake}/leveringen/**/{t}.parquet')", dir.path().display()))
        };
        let verzuim = count("lake-verzuim");
        let duckdb =
            query_rows(&conn, &format!("select count(*) from read_parquet('{}/lake-duckdb/**/{t}.parquet')", dir.path().display()));
        assert_eq!(verzuim, duckdb, "table {t}: the two loaders loaded different rows");
    }
}
