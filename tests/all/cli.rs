//! The command line as an operator uses it: summaries and exit statuses.

use std::process::Command;

use crate::common::*;

fn verzuim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verzuim"))
}

#[test]
fn ingest_prints_a_summary_and_exits_0_then_reports_already_present() {
    let lake = tempfile::tempdir().unwrap();
    let out = verzuim().args(["ingest", "tests/fixtures/handmade", "--lake"]).arg(lake.path()).current_dir(repo()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("bestand") && stdout.contains("soort") && stdout.contains("peildatum"), "{stdout}");
    assert!(stdout.contains("20261005R0032C.txt") && stdout.contains("R0032") && stdout.contains("2026-10-01"));
    assert!(stdout.contains("7 ingested, 0 already present, 0 duplicate, 0 rejected"), "{stdout}");

    let out = verzuim().args(["ingest", "tests/fixtures/handmade", "--lake"]).arg(lake.path()).current_dir(repo()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 ingested, 7 already present"));
}

#[test]
fn a_rejected_delivery_exits_1_and_a_usage_error_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = valid_lines();
    lines.pop();
    let p = write_lines(dir.path(), "20261012G0687P.txt", &lines);
    let lake = tempfile::tempdir().unwrap();
    let out = verzuim().args(["ingest", "--lake"]).arg(lake.path()).arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("rejected: no trailer record SLR"), "{stdout}");
    assert!(!stdout.contains("123456782"), "no BSN in the summary");

    let out = verzuim().args(["ingest"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = verzuim().args(["ingest", "--layout", "nonexistent-layout", "x.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vzl1, vzl1-fw"));
}

#[test]
fn inspect_tells_layout_encoding_and_counts() {
    let out = verzuim().args(["inspect", "tests/fixtures/handmade/20261005G0687C.txt"]).current_dir(repo()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("VZL1 (builtin:vzl1)"), "{stdout}");
    assert!(stdout.contains("Windows-1252"));
    assert!(stdout.contains("separator:   '|'"));
    assert!(stdout.lines().any(|l| l.trim_start().starts_with("PER") && l.trim_end().ends_with(" 11")), "{stdout}");
    assert!(stdout.contains("problems:    none"));
}

#[test]
fn inspect_lists_several_problems_of_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = valid_lines();
    lines[1] = "PER|123456782|123456782||20250231|V|Jansen|de|Sanne Maria|".into();
    lines[3] = "VBL|123456782|0687".into();
    let p = write_lines(dir.path(), "x.txt", &lines);
    let out = verzuim().arg("inspect").arg(&p).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("line 2, record PER, field geboortedatum"), "{stdout}");
    assert!(stdout.contains("line 4, record VBL"), "{stdout}");
}

#[test]
fn inspect_drafts_a_layout_for_an_unknown_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("onbekend.txt");
    std::fs::write(&p, "HDR;X1;20261001\r\nLLN;123456782;20100305;J\r\nLLN;111222333;20110101;N\r\nEND;2\r\n").unwrap();
    let out = verzuim().arg("inspect").arg(&p).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("no layout recognises this file; tried VZL1, VZL1-FW, DUO-CSV"), "{stdout}");
    assert!(stdout.contains("separators = [\";\"]"), "{stdout}");
    assert!(stdout.contains("[records.\"LLN\"]") && stdout.contains("{ name = \"veld3\", type = \"date\" }"), "{stdout}");
    assert!(stdout.contains("{ name = \"veld4\", type = \"flag\" }"), "{stdout}");
    assert!(!stdout.contains("123456782"), "the draft copies no values");
    // and the draft is a layout file verzuim can load, once its guesses are checked
    let draft = stdout.split("# ---- draft layout ----\n").nth(1).unwrap();
    verzuim::layout::RecordLayout::from_toml(draft, "draft").unwrap();
}

#[test]
fn ingest_refreshes_the_catalog_and_sql_answers_in_every_format() {
    let lake = tempfile::tempdir().unwrap();
    let out = verzuim().args(["ingest", "tests/fixtures/handmade", "--lake"]).arg(lake.path()).current_dir(repo()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("catalog: "));
    assert!(lake.path().join("verzuim.duckdb").exists());

    let sql = |args: &[&str]| {
        let out = verzuim().arg("sql").arg("--lake").arg(lake.path()).args(args).current_dir(std::env::temp_dir()).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, csv, _) = sql(&["--format", "csv", "select * from absoluut_verzuim_signalen(date '2026-10-26')"]);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "pgn,gemeentecode,categorie,sinds");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].ends_with(",0687,UITGESCHREVEN,2026-10-07"));

    let (code, table, _) =
        sql(&["select gemeentecode, leeftijdsband, personen from leerplichttelling(date '2026-10-26') where gemeentecode = '0718'"]);
    assert_eq!(code, Some(0));
    assert!(
        table.contains("| gemeentecode | leeftijdsband | personen |") && table.contains("| 0718         | 16-17         | 2        |"),
        "{table}"
    );

    let (code, json, _) = sql(&["--format", "json", "select * from vrijstellingen(2026)"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        json.lines().collect::<Vec<_>>(),
        vec![r#"{"gemeentecode":"0687","artikel":"3A","personen":1}"#, r#"{"gemeentecode":"0687","artikel":"5A","personen":1}"#,]
    );

    let pq = lake.path().join("vsv.parquet");
    let (code, _, _) = sql(&["--format", "parquet", "--out", pq.to_str().unwrap(), "select * from vsv(2025)"]);
    assert_eq!(code, Some(0));
    let rows: usize = read_batches(&pq).iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 6);

    let (code, _, err) = sql(&["select * from geen_tabel"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("geen_tabel") && err.contains("does not exist"), "{err}");
}

/// Redirected output must survive: DuckDB writing to /dev/stdout would truncate it.
#[test]
fn sql_output_appended_to_a_file_keeps_what_was_there() {
    let lake = tempfile::tempdir().unwrap();
    verzuim().args(["ingest", "tests/fixtures/handmade", "--lake"]).arg(lake.path()).current_dir(repo()).output().unwrap();
    let file = lake.path().join("out.csv");
    std::fs::write(&file, "eerder\n").unwrap();
    let f = std::fs::OpenOptions::new().append(true).open(&file).unwrap();
    let status = verzuim().args(["sql", "--format", "csv", "--lake"]).arg(lake.path()).arg("select 1 as een").stdout(f).status().unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "eerder\neen\n1\n");
}

#[test]
fn inspect_looks_inside_a_zip() {
    let out = verzuim().args(["inspect", "tests/fixtures/handmade/20261020G0687A.zip"]).current_dir(repo()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("file:        tests/fixtures/handmade/20261020G0687A.zip!20261020G0687A.txt"), "{stdout}");
    assert!(stdout.lines().any(|l| l.trim_start().starts_with("NGV") && l.trim_end().ends_with(" 2")), "{stdout}");
}

/// The lake, its Parquet files, the catalogs and the pseudonym key hold
/// children's personal data or guard it: owner-only whatever the umask of
/// the operator's shell.
/// `verzuim ARGS` (a shell command line) run under umask 000, in the
/// repository; it must succeed.
#[cfg(unix)]
fn verzuim_under_umask_000(args: &str) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("umask 000 && exec \"$0\" {args}"))
        .arg(env!("CARGO_BIN_EXE_verzuim"))
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "verzuim {args}: {}", String::from_utf8_lossy(&out.stderr));
}

#[cfg(unix)]
#[test]
fn lake_and_catalog_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    verzuim_under_umask_000(&format!("ingest tests/fixtures/handmade --lake {}", lake.display()));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&lake), 0o700, "lake directory");
    assert_eq!(mode(&lake.join("verzuim.duckdb")), 0o600, "catalog");
    let parquet = parquet_files(&lake);
    assert!(!parquet.is_empty());
    for p in parquet {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    // every folder below it too: the partition folders, staging
    fn folders(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.path().is_dir() {
                out.push(e.path());
                folders(&e.path(), out);
            }
        }
    }
    let mut dirs = Vec::new();
    folders(&lake, &mut dirs);
    assert!(dirs.len() > 10, "{dirs:?}");
    for d in &dirs {
        assert_eq!(mode(d), 0o700, "{}", d.display());
    }
    // an answer written to a file names persons
    for format in ["csv", "parquet", "json", "table"] {
        let answer = dir.path().join(format!("signalen.{format}"));
        verzuim_under_umask_000(&format!(
            "sql --lake {} --format {format} --out {} \"select * from absoluut_verzuim_signalen(date '2026-10-12')\"",
            lake.display(),
            answer.display()
        ));
        assert_eq!(mode(&answer), 0o600, "sql --format {format} --out");
    }
    // the analyst catalog (pseudonymised: still personal data) and its key
    let key = dir.path().join("sleutels").join("pseudoniem.key");
    let analyse = dir.path().join("analist").join("a.duckdb");
    verzuim_under_umask_000(&format!(
        "catalog --lake {} --analyse --sleutel {} --uit {} --peildatum 2026-10-12",
        lake.display(),
        key.display(),
        analyse.display()
    ));
    assert_eq!(mode(&key), 0o600, "key");
    assert_eq!(mode(key.parent().unwrap()), 0o700, "key folder");
    assert_eq!(mode(&analyse), 0o600, "analyst catalog");
    assert_eq!(mode(analyse.parent().unwrap()), 0o700, "analyst catalog folder");
}

/// Only ingest and run make a lake: a mistyped --lake is an error naming the
/// path (exit 2), and nothing is created there.
#[test]
fn a_command_on_a_path_without_a_lake_exits_2_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let geen = dir.path().join("geen-lake");
    let g = geen.to_str().unwrap();
    for args in [
        vec!["sql", "--lake", g, "select * from leerplichttelling(date '2026-10-01')"],
        vec!["catalog", "--lake", g],
        vec!["report", "--lake", g, "--regio", "32", "--out", dir.path().join("r").to_str().unwrap()],
        vec!["purge", "--lake", g, "--bewaartermijn", "5j"],
        vec!["reference", "load", "tests/fixtures/reference", "--lake", g],
    ] {
        let out = verzuim().args(&args).current_dir(repo()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("geen-lake") && stderr.contains("no lake"), "{args:?}: {stderr}");
        assert!(!geen.exists(), "{args:?} created the lake");
    }
}

/// A figure asked with the wrong kind of argument says what it takes; a
/// catalog file (the analyst catalog) opens read-only through verzuim sql.
#[test]
fn figures_name_the_argument_they_take_and_sql_opens_a_catalog_file() {
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    let out = verzuim().args(["ingest", "tests/fixtures/handmade", "--lake"]).arg(&lake).current_dir(repo()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sql = |q: &str| verzuim().args(["sql", "--lake"]).arg(&lake).arg(q).output().unwrap();
    for (query, says) in [
        ("select * from vsv(date '2025-10-01')", "a year such as 2025"),
        ("select * from vsv_verschillen('2025')", "a year such as 2025"),
        ("select * from vrijstellingen(date '2025-08-01')", "a year such as 2025"),
        ("select * from leerplichttelling(2026)", "a date such as date '2026-10-01'"),
        ("select * from absoluut_verzuim_signalen(20261001)", "a date such as date '2026-10-01'"),
        ("select * from oud_vsv(2026)", "a date such as date '2026-10-01'"),
        ("select current_date", "date '"),
    ] {
        let out = sql(query);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{query}");
        assert!(stderr.contains(says), "{query}: {stderr}");
        assert!(!stderr.contains("INSTALL"), "{query}: no advice that cannot work here: {stderr}");
    }
    // a date as text still reads as the date
    let out = sql("select count(*) from leerplichttelling('2026-10-12')");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let analyse = dir.path().join("a.duckdb");
    let out = verzuim()
        .args(["catalog", "--analyse", "--lake"])
        .arg(&lake)
        .arg("--uit")
        .arg(&analyse)
        .arg("--sleutel")
        .arg(dir.path().join("k/pseudoniem.key"))
        .args(["--peildatum", "2026-10-12"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = verzuim()
        .args(["sql", "--lake"])
        .arg(&analyse)
        .args(["--format", "csv", "select figuur, waarde from analyse_argument where figuur = 'leerplichttelling'"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "figuur,waarde\nleerplichttelling,2026-10-12");
}
