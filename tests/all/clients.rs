//! The catalog and the lake in the tools analysts have (issue 16): DuckDB
//! 1.4 LTS, 1.5 and 2.0 from Python and the DuckDB 1.4 command line answer
//! every figure as verzuim's own DuckDB does, also after the lake was
//! copied elsewhere and the original removed; polars and pyarrow read every
//! lake table with DuckDB's row counts and column types.
//!
//! The clients come from PyPI through `tests/python/install.sh`, which
//! `.ci/run` runs; they live in `$VERZUIM_CLIENTS` (default
//! `~/.cache/verzuim-clients`). Where they are not installed these tests say
//! so and pass — except under CI, where that is a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{ingest, query_rows, read_only, sample_deliveries};
use serde_json::Value;

struct Clients {
    dir: PathBuf,
}

impl Clients {
    fn find() -> Option<Clients> {
        let dir = std::env::var_os("VERZUIM_CLIENTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/verzuim-clients"));
        if dir.join(".installed").exists() {
            return Some(Clients { dir });
        }
        assert!(std::env::var_os("CI").is_none(), "CI must install the other clients: tests/python/install.sh {}", dir.display());
        eprintln!("skipped: the other DuckDB clients, polars and pyarrow are not installed (tests/python/install.sh)");
        None
    }

    /// The Python DuckDB packages, newest last: (version, PYTHONPATH).
    fn duckdbs(&self) -> Vec<(&'static str, Option<PathBuf>)> {
        vec![("1.4", Some(self.dir.join("duckdb-1.4"))), ("1.5", Some(self.dir.join("duckdb-1.5"))), ("2.0", None)]
    }

    /// Runs tests/python/clients.py in `cwd` with the given duckdb package.
    fn python(&self, pythonpath: Option<&Path>, cwd: &Path, args: &[&str]) -> Value {
        let mut cmd = Command::new(self.dir.join("venv/bin/python"));
        cmd.arg(crate::common::repo().join("tests/python/clients.py")).args(args).current_dir(cwd);
        if let Some(p) = pythonpath {
            cmd.env("PYTHONPATH", p);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "clients.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The DuckDB 1.4 command line, as an analyst types it: `duckdb -readonly FILE -c SQL`, CSV out.
    fn cli(&self, cwd: &Path, catalog: &str, sql: &str) -> Vec<String> {
        let out = Command::new(self.dir.join("cli-1.4/bin/duckdb"))
            .args(["-readonly", catalog, "-csv", "-noheader", "-c", sql])
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(out.status.success(), "duckdb 1.4 cli: {}", String::from_utf8_lossy(&out.stderr));
        let mut rows: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
        rows.sort();
        rows
    }
}

/// Every figure of the catalog, with and without `bekend_op`, the data
/// quality views, the building block the figures count, and every view over
/// the lake and the reference data.
fn catalog_queries() -> Vec<String> {
    let mut q = Vec::new();
    for d in ["2026-10-25", "2026-03-02"] {
        for f in ["leerplichttelling", "absoluut_verzuim_signalen", "oud_vsv", "status_op"] {
            q.push(format!("select * from {f}(date '{d}')"));
            q.push(format!("select * from {f}(date '{d}', bekend_op := date '2026-03-02')"));
        }
    }
    for t in [2024, 2025] {
        for f in ["vsv", "vsv_verschillen"] {
            q.push(format!("select * from {f}({t})"));
            q.push(format!("select * from {f}({t}, bekend_op := date '2026-03-02')"));
        }
    }
    for s in ["absoluut_verzuim_schooljaar", "leerplichttelling_schooljaar"] {
        q.push(format!("select * from {s}(2025)"));
    }
    // the BRP beside DUO (the samples' extract of 0687 on 2026-04-07)
    q.push("select * from brp_vergelijking(date '2026-04-07')".into());
    q.push("select * from brp_vergelijking(date '2026-04-07', bekend_op := date '2026-04-10')".into());
    q.push("select * from brp_extract".into());
    // DUO's lists and monthly rapportages beside the lake (the samples' of G0687)
    for v in ["duo_vsv_lijst", "duo_rapportage"] {
        q.push(format!("select * from {v}"));
    }
    q.push("select * from vsv_vergelijking(2024)".into());
    q.push("select * from vsv_vergelijking_per(2024)".into());
    for m in ["2025-10-01", "2026-02-01"] {
        q.push(format!("select * from maandrapportage_vergelijking(date '{m}')"));
    }
    q.push("select * from vrijstellingen(2025)".into());
    q.push("select * from vrijstellingen(2025, bekend_op := date '2026-03-02')".into());
    for v in ["verdwenen_zonder_mutatie", "bevinding", "levering_volgorde", "regio_indeling", "school", "tijdlijn_alles"] {
        q.push(format!("select * from {v}"));
    }
    for t in LAKE_TABLES {
        q.push(format!("select * from {t}"));
    }
    q
}

const LAKE_TABLES: &[&str] = &[
    "levering",
    "persoon",
    "verblijf",
    "inschrijving",
    "resultaat",
    "vrijstelling",
    "startkwalificatie",
    "vsv_indicatie",
    "mutatie",
    "niet_gevonden",
    "bevinding",
];

/// Folders of one Parquet file per loaded file (BRP extracts, DUO's lists
/// and rapportages): `<folder>/<group>/<file>.parquet`, read by a glob.
const FILE_TABLES: &[&str] = &["brp", "duo_lijsten", "duo_rapportages"];

/// A query's rows with every value cast to text by DuckDB: what clients.py does.
fn as_text(conn: &duckdb::Connection, query: &str) -> Vec<String> {
    query_rows(conn, &format!("select columns(*)::varchar from ({query})"))
}

/// The lake of the samples with its catalog, in `dir/lake`.
fn sample_lake(dir: &Path) -> PathBuf {
    let lake = dir.join("lake");
    assert_eq!(ingest(&lake, &sample_deliveries()).rejected(), 0);
    let brp = verzuim::brp::load(
        &lake,
        &verzuim::brp::BrpLayout::builtin(),
        &[crate::common::repo().join("data-samples/brp")],
        &Default::default(),
    );
    assert!(brp.unwrap().iter().all(|r| r.status == verzuim::brp::BrpStatus::Loaded));
    let lists = verzuim::lijst::load(
        &lake,
        &verzuim::lijst::ListLayout::all_builtin(),
        &[crate::common::repo().join("data-samples/lijsten")],
        &Default::default(),
    );
    assert!(lists.unwrap().iter().all(|r| r.outcome == Ok(true)));
    verzuim::catalog::refresh(&lake).unwrap();
    lake
}

fn assert_same_answers(client: &str, got: &Value, expected: &BTreeMap<String, Vec<String>>) {
    let answers = &got["answers"];
    for (query, rows) in expected {
        let answer = &answers[query];
        assert!(answer.get("error").is_none(), "{client} fails on `{query}`: {}", answer["error"]);
        let got: Vec<String> = answer.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        assert_eq!(&got, rows, "{client} answers `{query}` otherwise than verzuim's DuckDB");
    }
}

#[test]
fn duckdb_1_4_1_5_and_2_0_answer_every_figure_of_both_catalogs_alike() {
    let Some(clients) = Clients::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lake = sample_lake(dir.path());
    let keys = tempfile::tempdir().unwrap();
    let ana = verzuim::catalog::analyse::analyse(&verzuim::catalog::analyse::AnalyseOptions {
        lake: lake.clone(),
        out: None,
        sleutel: keys.path().join("pseudoniem.key"),
        peildata: vec![],
        teljaren: vec![],
        schooljaren: vec![],
    })
    .unwrap();

    let catalog = lake.join("verzuim.duckdb");
    let full_queries = catalog_queries();
    let full = read_only(&catalog);
    let expected: BTreeMap<String, Vec<String>> = full_queries.iter().map(|q| (q.clone(), as_text(&full, q))).collect();
    // the comparison means something only if the figures have rows
    for q in [
        "select * from leerplichttelling(date '2026-10-25')",
        "select * from vsv(2025)",
        "select * from status_op(date '2026-03-02', bekend_op := date '2026-03-02')",
    ] {
        assert!(!expected[q].is_empty(), "{q} is empty on the samples");
    }
    drop(full);

    let mut ana_queries: Vec<String> = Vec::new();
    for d in [ana.peildata.first().unwrap(), ana.peildata.last().unwrap()] {
        for f in ["leerplichttelling", "absoluut_verzuim_signalen", "oud_vsv"] {
            ana_queries.push(format!("select * from {f}(date '{d}')"));
        }
    }
    for t in &ana.teljaren {
        ana_queries.push(format!("select * from vsv({t})"));
        ana_queries.push(format!("select * from vsv_verschillen({t})"));
    }
    for s in &ana.schooljaren {
        ana_queries.push(format!("select * from vrijstellingen({s})"));
    }
    for v in ["verdwenen_zonder_mutatie", "analyse_argument", "persoon", "inschrijving", "verblijf"] {
        ana_queries.push(format!("select * from {v}"));
    }
    let analist = read_only(&ana.path);
    let ana_expected: BTreeMap<String, Vec<String>> = ana_queries.iter().map(|q| (q.clone(), as_text(&analist, q))).collect();
    drop(analist);

    let work = tempfile::tempdir().unwrap();
    let full_file = work.path().join("vragen.json");
    std::fs::write(&full_file, serde_json::to_string(&full_queries).unwrap()).unwrap();
    let ana_file = work.path().join("vragen-analyse.json");
    std::fs::write(&ana_file, serde_json::to_string(&ana_queries).unwrap()).unwrap();
    for (version, path) in clients.duckdbs() {
        let got = clients.python(path.as_deref(), work.path(), &["figures", catalog.to_str().unwrap(), full_file.to_str().unwrap()]);
        assert!(got["version"].as_str().unwrap().starts_with(version), "{version}: {}", got["version"]);
        assert_same_answers(&format!("DuckDB {version}, catalog"), &got, &expected);
        let got = clients.python(path.as_deref(), work.path(), &["figures", ana.path.to_str().unwrap(), ana_file.to_str().unwrap()]);
        assert_same_answers(&format!("DuckDB {version}, analyst catalog"), &got, &ana_expected);
    }
}

#[test]
fn a_copied_lake_opens_from_anywhere_after_the_original_is_gone() {
    let Some(clients) = Clients::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let original = sample_lake(&dir.path().join("eerst"));
    let figure = "select * from leerplichttelling(date '2026-10-25', bekend_op := date '2026-10-01')";
    let signals = "select * from absoluut_verzuim_signalen(date '2026-10-25')";
    let expected: Vec<Vec<String>> = {
        let conn = read_only(&original.join("verzuim.duckdb"));
        vec![as_text(&conn, figure), as_text(&conn, signals)]
    };
    assert!(!expected[0].is_empty() && !expected[1].is_empty());

    // a restore from backup, a copy for a laptop: cp -r, then the original goes
    let elders = dir.path().join("elders");
    std::fs::create_dir_all(&elders).unwrap();
    let status = Command::new("cp").arg("-a").arg(&original).arg(elders.join("lake")).status().unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(dir.path().join("eerst")).unwrap();
    let moved = elders.join("lake");
    let elsewhere = dir.path().join("ergens");
    std::fs::create_dir_all(&elsewhere).unwrap();

    // verzuim sql, from another directory
    let out = Command::new(env!("CARGO_BIN_EXE_verzuim"))
        .args(["sql", "--lake", moved.to_str().unwrap(), "--format", "csv"])
        .arg(format!("select columns(*)::varchar from ({figure})"))
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut rows: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().skip(1).map(|l| l.replace(',', "|")).collect();
    rows.sort();
    let expected_figure: Vec<String> = expected[0].iter().map(|r| r.replace('∅', "")).collect();
    assert_eq!(rows, expected_figure, "verzuim sql on the moved lake");

    // Python clients: an absolute path from /, a relative one from the parent
    let queries = elders.join("vragen.json");
    std::fs::write(&queries, serde_json::to_string(&[figure, signals]).unwrap()).unwrap();
    let want: BTreeMap<String, Vec<String>> =
        [(figure.to_string(), expected[0].clone()), (signals.to_string(), expected[1].clone())].into();
    for (version, path) in clients.duckdbs() {
        let got = clients.python(
            path.as_deref(),
            Path::new("/"),
            &["figures", moved.join("verzuim.duckdb").to_str().unwrap(), queries.to_str().unwrap()],
        );
        assert_same_answers(&format!("DuckDB {version} from /"), &got, &want);
        let got = clients.python(path.as_deref(), dir.path(), &["figures", "elders/lake/verzuim.duckdb", queries.to_str().unwrap()]);
        assert_same_answers(&format!("DuckDB {version} from the parent"), &got, &want);
    }
    // the DuckDB command line, started inside the lake and beside it
    let csv = |rows: &[String]| -> Vec<String> {
        let mut r: Vec<String> = rows.iter().map(|r| r.replace('∅', "").replace('|', ",")).collect();
        r.sort();
        r
    };
    let sql = format!("select columns(*)::varchar from ({signals})");
    assert_eq!(clients.cli(&moved, "verzuim.duckdb", &sql), csv(&expected[1]), "duckdb 1.4 cli in the lake");
    assert_eq!(clients.cli(&elders, "lake/verzuim.duckdb", &sql), csv(&expected[1]), "duckdb 1.4 cli beside it");

    // and verzuim catalog after the move needs no rebuild
    let out = Command::new(env!("CARGO_BIN_EXE_verzuim")).args(["catalog", "--lake", moved.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("updated (in place): 0 new deliveries"), "{said}");
}

#[test]
fn polars_and_pyarrow_read_every_lake_table_as_duckdb_does() {
    let Some(clients) = Clients::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lake = sample_lake(dir.path());
    let conn = duckdb::Connection::open_in_memory().unwrap();
    let mut args = vec!["lake".to_string(), lake.display().to_string()];
    args.extend(LAKE_TABLES.iter().chain(FILE_TABLES).map(|t| t.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let got = clients.python(None, dir.path(), &args);
    for table in LAKE_TABLES.iter().chain(FILE_TABLES) {
        let scan = match *table {
            t if FILE_TABLES.contains(&t) => format!("read_parquet('{}/{t}/*/*.parquet')", lake.display()),
            _ => format!("read_parquet('{}/leveringen/*/*/*/*/{table}.parquet', hive_partitioning = true)", lake.display()),
        };
        let rows: i64 = conn.query_row(&format!("select count(*) from {scan}"), [], |r| r.get(0)).unwrap();
        let columns: BTreeMap<String, String> =
            query_rows(&conn, &format!("select column_name || '|' || column_type from (describe select * from {scan})"))
                .into_iter()
                .map(|r| {
                    let (n, t) = r.split_once('|').unwrap();
                    (n.to_string(), t.to_string())
                })
                .collect();
        for tool in ["polars", "pyarrow"] {
            let seen = &got[*table][tool];
            assert_eq!(seen["rows"].as_i64().unwrap(), rows, "{tool} counts {table} otherwise");
            let seen_columns: BTreeMap<String, String> =
                seen["columns"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect();
            assert_eq!(seen_columns, columns, "{tool} types {table} otherwise");
        }
    }
}

/// An analyst's DuckDB holding the catalog open while the nightly refresh
/// runs: the refresh cannot take the file for writing, so it updates a copy
/// and renames it into place; the analyst's session keeps the catalog it
/// opened, and a new session sees the new one. (Within one process DuckDB's
/// file locks do not conflict, so this needs a second process.)
#[test]
fn an_analyst_holding_the_catalog_open_keeps_it_while_the_refresh_works_on_a_copy() {
    let Some(clients) = Clients::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    let files = sample_deliveries();
    let (last, rest) = files.split_last().unwrap();
    assert_eq!(ingest(&lake, rest).rejected(), 0);
    verzuim::catalog::refresh(&lake).unwrap();
    let catalog = lake.join("verzuim.duckdb");
    let count = "select count(*) from levering_volgorde";
    let before = query_rows(&read_only(&catalog), count);

    // the analyst: opens the catalog read-only, answers, waits for its stdin to close, answers again
    let script = format!(
        "import duckdb, sys\nc = duckdb.connect({:?}, read_only=True)\nprint(c.execute({count:?}).fetchone()[0], flush=True)\n\
         sys.stdin.read()\nprint(c.execute({count:?}).fetchone()[0], flush=True)\n",
        catalog.display().to_string()
    );
    let mut analyst = Command::new(clients.dir.join("venv/bin/python"))
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(analyst.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    assert_eq!(vec![line.trim().to_string()], before, "the analyst sees the catalog");

    assert_eq!(ingest(&lake, std::slice::from_ref(last)).rejected(), 0);
    let r = verzuim::catalog::refresh_with(&lake, false).unwrap();
    assert_eq!((r.kind, r.in_place), (verzuim::catalog::RefreshKind::Incremental, false), "{r}");
    assert!(r.to_string().contains("as a copy: the catalog was open"), "{r}");

    drop(analyst.stdin.take());
    let mut rest_of_output = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest_of_output).unwrap();
    assert!(analyst.wait().unwrap().success());
    assert_eq!(vec![rest_of_output.trim().to_string()], before, "the open session keeps the catalog it opened");
    let after = query_rows(&read_only(&catalog), count);
    assert_ne!(after, before, "a new session sees the refreshed catalog");
}
