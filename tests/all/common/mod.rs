//! Helpers shared by the integration tests: running an ingest into a fresh
//! lake and reading the lake back as comparable rows.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use verzuim::ingest::{FileReport, Ingest, Status, Summary};
use verzuim::layout::RecordLayout;

/// The checkout under test. Read at run time (cargo sets it when it runs a
/// test): a test binary built in one checkout may be reused for another that
/// shares the target directory.
pub fn repo() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()))
}

pub fn ingest(lake: &Path, paths: &[PathBuf]) -> Summary {
    Ingest::new(lake, verzuim::layout::DeliveryLayout::all_builtin(), false).unwrap().run(paths).unwrap()
}

pub fn ingest_with(lake: &Path, layout: RecordLayout, paths: &[PathBuf]) -> Summary {
    Ingest::new(lake, vec![layout], true).unwrap().run(paths).unwrap()
}

pub fn only(summary: &Summary) -> &FileReport {
    assert_eq!(summary.files.len(), 1, "{:?}", summary.files);
    &summary.files[0]
}

pub fn rejection(summary: &Summary) -> String {
    match &only(summary).status {
        Status::Rejected(why) => why.to_string(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Every Parquet file under the lake, except the staging area.
pub fn parquet_files(lake: &Path) -> Vec<PathBuf> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&lake.join("leveringen"), &mut out);
    out.sort();
    out
}

/// Nothing of any delivery is in the lake, and nothing is left in staging.
pub fn assert_lake_empty(lake: &Path) {
    assert_eq!(parquet_files(lake), Vec::<PathBuf>::new());
    let staging: Vec<_> = std::fs::read_dir(lake.join("_staging")).map(|r| r.flatten().collect()).unwrap_or_default();
    assert!(staging.is_empty(), "staging not cleaned: {staging:?}");
}

pub fn read_batches(path: &Path) -> Vec<RecordBatch> {
    let f = File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(f).unwrap().build().unwrap().map(|b| b.unwrap()).collect()
}

/// table → sorted rows, each row `col=value|col=value…`, with the columns
/// that differ between two ingests of the same data left out and
/// `levering_id` replaced by the delivery's soort/afnemer/peildatum.
pub fn lake_rows(lake: &Path, skip: &[&str]) -> BTreeMap<String, Vec<String>> {
    let files = parquet_files(lake);
    // levering_id → a key that two ingests of the same data share
    let mut ids = BTreeMap::new();
    for f in files.iter().filter(|f| f.file_name().unwrap() == "levering.parquet") {
        for b in read_batches(f) {
            let col = |n: &str| b.column(b.schema().index_of(n).unwrap()).clone();
            let fmt = FormatOptions::default();
            let (id, s, a, p) = (col("levering_id"), col("soort"), col("afnemercode"), col("peildatum"));
            for r in 0..b.num_rows() {
                let f = |c: &arrow::array::ArrayRef| ArrayFormatter::try_new(c.as_ref(), &fmt).unwrap().value(r).to_string();
                ids.insert(f(&id), format!("{}-{}-{}", f(&s), f(&a), f(&p)));
            }
        }
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &files {
        let table = f.file_stem().unwrap().to_string_lossy().into_owned();
        let rows = out.entry(table).or_default();
        for b in read_batches(f) {
            let fmt = FormatOptions::default().with_null("∅");
            let schema = b.schema();
            let cols: Vec<_> = schema
                .fields()
                .iter()
                .enumerate()
                .filter(|(_, fl)| !skip.contains(&fl.name().as_str()))
                .map(|(i, fl)| (fl.name().clone(), ArrayFormatter::try_new(b.column(i).as_ref(), &fmt).unwrap()))
                .collect();
            for r in 0..b.num_rows() {
                let row: Vec<String> = cols
                    .iter()
                    .map(|(n, f)| {
                        let v = f.value(r).to_string();
                        let v = if n == "levering_id" { ids.get(&v).cloned().unwrap_or(v) } else { v };
                        format!("{n}={v}")
                    })
                    .collect();
                rows.push(row.join("|"));
            }
        }
    }
    for rows in out.values_mut() {
        rows.sort();
    }
    out
}

/// A small valid VZL1 delivery (delimited, `|`), as lines, for the bad-input tests to break.
pub fn valid_lines() -> Vec<String> {
    [
        "VLP|VZL1|P|G|0687|20261010|20261012|000041",
        "PER|123456782|123456782||20100305|V|Jansen|de|Sanne Maria|",
        "MUT|123456782|INW|20261006|0000000001",
        "VBL|123456782|0687|4331AB|12|A|MIDDELBURG|6030|20150601|",
        "INS|123456782|0000000001|20AB|20AB00|VMBO||TL||3|20220820|20261006|08|J",
        "SKW|123456782|N|",
        "PER|111222333|111222333||20110101|M|Bakker||Noah|",
        "MUT|111222333|L04|20261007|",
        "VBL|111222333|0687|4331CD|3||MIDDELBURG|6030|20110101|",
        "SLR|2|10",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub fn write_lines(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, lines.join("\r\n") + "\r\n").unwrap();
    p
}

/// The files of `data-samples/leveringen/`, in name (= peildatum) order.
pub fn sample_deliveries() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("data-samples/leveringen")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// A DuckDB file opened read-only, as an analyst would.
pub fn read_only(path: &Path) -> duckdb::Connection {
    duckdb::Connection::open_with_flags(path, duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).unwrap()).unwrap()
}

/// The rows of a query as `a|b|c` strings (NULL as ∅), sorted.
pub fn query_rows(conn: &duckdb::Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let opts = FormatOptions::default().with_null("∅");
    let mut out = Vec::new();
    for b in stmt.query_arrow([]).unwrap() {
        let cols: Vec<_> = b.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).unwrap()).collect();
        for r in 0..b.num_rows() {
            out.push(cols.iter().map(|f| f.value(r).to_string()).collect::<Vec<_>>().join("|"));
        }
    }
    out.sort();
    out
}

/// Starts `cmd` with the failpoint `point` armed (src/failpoint.rs), waits
/// until the process has paused there (it writes `marker`; at most
/// `within`), and kills it with SIGKILL.
pub fn kill_when_paused(mut cmd: std::process::Command, point: &str, marker: &Path, within: std::time::Duration) {
    let mut child = cmd
        .env("VERZUIM_PAUSE_AT", point)
        .env("VERZUIM_PAUSE_MARKER", marker)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !marker.exists() {
        assert!(started.elapsed() < within, "{point} never reached");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}
