//! DuckDB (bundled, parquet built in) reads the lake as it is written:
//! hive partitions become columns, and filters on them prune deliveries.

use crate::common::*;

#[test]
fn duckdb_reads_the_lake_with_hive_partitions() {
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[repo().join("tests/fixtures/handmade")]);
    assert_eq!(s.rejected(), 0);
    let conn = duckdb::Connection::open_in_memory().unwrap();
    let glob = |t: &str| format!("{}/leveringen/*/*/*/*/{t}.parquet", lake.path().display());
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };

    let persons = count(&format!("select count(*) from read_parquet('{}', hive_partitioning = true)", glob("persoon")));
    assert_eq!(persons, 35);
    let c_persons = count(&format!(
        "select count(*) from read_parquet('{}', hive_partitioning = true) where soort = 'C' and afnemer = 'R0032'",
        glob("persoon")
    ));
    assert_eq!(c_persons, 14);
    // peildatum filters work on the lake as a date (2 C-leveringen on 1 October)
    let on_peildatum = count(&format!(
        "select count(*) from read_parquet('{}', hive_partitioning = true) where peildatum = date '2026-10-01'",
        glob("levering")
    ));
    assert_eq!(on_peildatum, 2);
    let sum_records =
        count(&format!("select sum(aantal_records)::bigint from read_parquet('{}', hive_partitioning = true)", glob("levering")));
    assert!(sum_records > 80);
    // typed columns arrive typed
    let ty: String = conn
        .query_row(
            &format!(
                "select typeof(datum_inschrijving) || '/' || typeof(bekostigd) || '/' || typeof(leerjaar) from read_parquet('{}') limit 1",
                glob("inschrijving")
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ty, "DATE/BOOLEAN/INTEGER");
    // every table file exists for every delivery, also the empty ones
    let ngv_rows = count(&format!("select count(distinct filename) from read_parquet('{}', filename = true)", glob("niet_gevonden")));
    assert_eq!(ngv_rows, 1, "only the A-levering has rows");
    let ngv_files = count(&format!("select count(*) from glob('{}')", glob("niet_gevonden")));
    assert_eq!(ngv_files, 7);
}
