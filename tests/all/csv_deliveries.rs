//! Header-CSV deliveries, as a user with a DUO file no layout knows meets
//! them: `verzuim inspect FILE --draft L.toml`, then `verzuim ingest FILE
//! --layout L.toml --soort --afnemer --peildatum`, then figures. The files in
//! `tests/fixtures/csv/` are hand-made DUO-style files, each with quirks:
//!
//! * `vsv-lijst-regio28.csv`: `;`, Windows-1252, CRLF; a header with `#`,
//!   spaces and mixed case; BSNs that lost their leading zero; gemeentecode
//!   `363`; `NULL` markers and single spaces; NIVEAU `Mbo4 opleidingen`;
//!   `REGIO 28`; one person's rows not adjacent; a column the vocabulary
//!   does not know.
//! * `adressen-onderwijsnummer.csv`: `,`, UTF-8 with BOM, LF; quoted values
//!   holding `,`; the onderwijsnummer as the only person number; `129.0`;
//!   `Ja`/`Nee`; JJJJMMDD.
//! * `maandlijst-peilmaand.csv`: tab, CR-only line ends, `M/D/JJ` dates, a
//!   reporting month `202609`, a literal `"` inside an unquoted value.
//! * `pipe-tegenstrijdig.csv`: `|`, `D-M-JJJJ`; two rows of one person
//!   with two birth dates.
//! * `excel-export-bsn-of-onderwijsnummer.csv`: a spreadsheet's export — a
//!   `;` ending every line (an unnamed last column), dates with a time and
//!   `00-00-0000 00:00:00` for none, a
//!   BSN column and an onderwijsnummer column (the pgn is the first with a
//!   value), two columns naming the same canonical column.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;

fn verzuim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verzuim"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/csv").join(name)
}

fn run(args: &[&str], paths: &[&Path]) -> Output {
    let mut c = verzuim();
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

const FACTS: [&str; 6] = ["--soort", "C", "--afnemer", "G0363", "--peildatum", "2026-10-01"];

/// inspect drafts, the draft reads the file without a problem, ingest loads it.
fn draft_and_ingest(file: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let name = file.file_stem().unwrap().to_string_lossy().to_string();
    let layout = dir.join(format!("{name}.toml"));
    let lake = dir.join(format!("lake-{name}"));
    let o = run(&["inspect"], &[file]);
    assert_eq!(o.status.code(), Some(1), "an unknown file is a problem for inspect: {}", text(&o));
    assert!(text(&o).contains("[tables.persoon]"), "{}", text(&o));
    let o = run(&["inspect", "--draft"], &[&layout, file]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let draft = std::fs::read_to_string(&layout).unwrap();
    for secret in ["Jansen", "Anouk", "Bakker", "Jantje", "12345672", "201234562"] {
        assert!(!draft.contains(secret), "the draft copies a value ({secret}):\n{draft}");
    }
    let mut args = vec!["inspect", "--layout", layout.to_str().unwrap()];
    args.extend(FACTS);
    let o = run(&args, &[file]);
    assert_eq!(o.status.code(), Some(0), "the draft reads its own file:\n{}\n{draft}", text(&o));
    assert!(text(&o).contains("problems:    none"), "{}", text(&o));
    let mut args = vec!["ingest", "--lake", lake.to_str().unwrap(), "--layout", layout.to_str().unwrap()];
    args.extend(FACTS);
    let o = run(&args, &[file]);
    assert_eq!(o.status.code(), Some(0), "{}\n{draft}", text(&o));
    assert!(text(&o).contains("1 ingested"), "{}", text(&o));
    (layout, lake)
}

/// The C-levering of gemeente 0687 in a small generated DUO-CSV world.
fn generated_c_levering(dir: &Path, seed: &str) -> PathBuf {
    let generated = dir.join("gen");
    let o = run(
        &[
            "generate",
            "--persons",
            "60",
            "--seed",
            seed,
            "--layout",
            "duo-csv",
            "--afnemer",
            "G0687",
            "--van",
            "2026-10-01",
            "--tot",
            "2026-10-12",
            "--out",
        ],
        &[&generated],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::read_dir(generated.join("leveringen"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("C.csv"))
        .unwrap()
}

fn sql(lake: &Path, query: &str) -> Vec<String> {
    query_rows(&read_only(&lake.join("verzuim.duckdb")), query)
}

#[test]
fn every_hand_made_duo_file_loads_through_the_layout_inspect_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let expected = [
        ("vsv-lijst-regio28.csv", 4, 4),
        ("adressen-onderwijsnummer.csv", 3, 3),
        ("maandlijst-peilmaand.csv", 2, 3),
        ("pipe-tegenstrijdig.csv", 2, 3),
        ("excel-export-bsn-of-onderwijsnummer.csv", 3, 3),
    ];
    for (name, persons, inschrijvingen) in expected {
        let (_, lake) = draft_and_ingest(&fixture(name), dir.path());
        assert_eq!(sql(&lake, "select count(*) from persoon"), vec![persons.to_string()], "{name}");
        assert_eq!(sql(&lake, "select count(*) from inschrijving"), vec![inschrijvingen.to_string()], "{name}");
        assert_eq!(
            sql(&lake, "select soort || soort_afnemer || afnemercode || ' ' || peildatum from levering"),
            vec!["CG0363 2026-10-01"],
            "{name}: the facts given on the command line"
        );
    }
}

#[test]
fn the_drafted_rules_read_each_quirk() {
    let dir = tempfile::tempdir().unwrap();
    let (_, l) = draft_and_ingest(&fixture("vsv-lijst-regio28.csv"), dir.path());
    // the BSN that lost its leading zero is the person key, padded and 11-proef checked
    assert!(sql(&l, "select pgn from persoon").contains(&"012345672".to_string()));
    assert_eq!(sql(&l, "select distinct gemeentecode || landcode from verblijf"), vec!["03636030"]);
    assert_eq!(sql(&l, "select coalesce(cast(niveau as text), '-') from inschrijving"), vec!["-", "2", "3", "4"]);
    assert_eq!(sql(&l, "select count(*) from inschrijving where opmerking_school is not null"), vec!["3"]);
    // a column the layout does not read would be a finding; the draft reads all
    assert_eq!(sql(&l, "select count(*) from bevinding"), vec!["0"]);
    // names decoded from Windows-1252
    assert!(sql(&l, "select achternaam from persoon").contains(&"Çelik".to_string()));
    // without --afnemer the RMC REGIO column gives it: `REGIO 28` → R0028
    let (layout, lake2) = (dir.path().join("vsv-lijst-regio28.toml"), dir.path().join("lake-regio"));
    let o = run(
        &["ingest", "--soort", "C", "--peildatum", "2026-10-01", "--lake", lake2.to_str().unwrap(), "--layout", layout.to_str().unwrap()],
        &[&fixture("vsv-lijst-regio28.csv")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(sql(&lake2, "select soort_afnemer || afnemercode from levering"), vec!["R0028"]);

    let (_, l) = draft_and_ingest(&fixture("adressen-onderwijsnummer.csv"), dir.path());
    assert_eq!(sql(&l, "select huisnummer from verblijf"), vec!["12", "129", "7"]);
    assert_eq!(sql(&l, "select bekostigd from inschrijving"), vec!["false", "true", "true"]);
    assert!(sql(&l, "select achternaam from persoon").contains(&"Bakker, van".to_string()));
    assert!(sql(&l, "select woonplaats from verblijf").contains(&"Amsterdam, Zuidoost".to_string()));
    assert_eq!(sql(&l, "select count(*) from persoon where pgn = onderwijsnummer"), vec!["3"]);

    let (layout, l) = draft_and_ingest(&fixture("maandlijst-peilmaand.csv"), dir.path());
    assert!(sql(&l, "select voornamen from persoon").contains(&"Jan \"Jantje\"".to_string()));
    assert_eq!(sql(&l, "select min(geboortedatum) || ' ' || max(geboortedatum) from persoon"), vec!["2008-12-01 2010-03-05"]);
    assert_eq!(sql(&l, "select count(*) from inschrijving where datum_uitschrijving = date '2026-06-30'"), vec!["1"]);
    // without --peildatum the reporting month gives it: its last day
    let lake2 = dir.path().join("lake-peilmaand");
    let o = run(
        &["ingest", "--soort", "C", "--afnemer", "G0363", "--lake", lake2.to_str().unwrap(), "--layout", layout.to_str().unwrap()],
        &[&fixture("maandlijst-peilmaand.csv")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(sql(&lake2, "select peildatum from levering"), vec!["2026-09-30"]);

    let (_, l) = draft_and_ingest(&fixture("pipe-tegenstrijdig.csv"), dir.path());
    // two birth dates of one person: the first row kept, a finding naming both lines
    let b = sql(
        &l,
        "select regel || ' ' || recordsoort || ' ' || veld || ' ' || code || ' ' || melding from bevinding where recordsoort = 'persoon'",
    );
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(b[0].starts_with("4 persoon geboortedatum PERSOONSRIJEN_VERSCHILLEN") && b[0].contains("line 2"), "{b:?}");
    assert!(!b[0].contains("2010"), "a finding shows no values: {b:?}");
    assert_eq!(sql(&l, "select geboortedatum from persoon where pgn = '012345672'"), vec!["2010-03-05"]);

    let (_, l) = draft_and_ingest(&fixture("excel-export-bsn-of-onderwijsnummer.csv"), dir.path());
    // the pgn: the BSN, else the onderwijsnummer
    assert_eq!(
        sql(&l, "select pgn || ' ' || coalesce(bsn, '-') || ' ' || coalesce(onderwijsnummer, '-') || ' ' || geboortedatum from persoon"),
        vec!["300000005 300000005 - 2010-03-05", "300100000 300100000 - 2009-11-30", "400200011 - 400200011 2011-07-14"]
    );
    assert_eq!(sql(&l, "select count(*) from inschrijving where datum_inschrijving = date '2023-08-21'"), vec!["1"]);
    // the unnamed column is no finding; the second gemeente column is kept as an extra
    assert_eq!(sql(&l, "select count(*) from bevinding"), vec!["0"]);
    assert_eq!(sql(&l, "select count(*) from persoon where woongemeente_code = '0363'"), vec!["3"]);
}

/// From an unknown DUO CSV to figures in three commands (docs/layouts.md).
#[test]
fn three_commands_from_an_unknown_csv_to_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (_, lake) = draft_and_ingest(&fixture("vsv-lijst-regio28.csv"), dir.path());
    let o = run(
        &[
            "sql",
            "--lake",
            lake.to_str().unwrap(),
            "select leeftijdsband, personen, ingeschreven, absoluut_verzuim from leerplichttelling(date '2026-10-01') order by 1",
            "--format",
            "csv",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).replace('\r', "");
    assert_eq!(out, "leeftijdsband,personen,ingeschreven,absoluut_verzuim\n12-15,1,0,1\n16-17,2,2,0\n18-22,1,1,0\n");
}

/// A minimal layout for the bad-input cases: the columns by name, dates
/// D-M-JJJJ (the one the in-process cases of src/normalise/csv.rs use).
const LAYOUT: &str = include_str!("../fixtures/layouts/klein.toml");

/// Ingests `body` (bytes) with the small layout and all facts given; returns
/// the exit status and output, after checking the lake holds no delivery.
fn rejected(body: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("klein.toml");
    std::fs::write(&layout, LAYOUT).unwrap();
    let file = dir.path().join("levering.csv");
    std::fs::write(&file, body).unwrap();
    let lake = dir.path().join("lake");
    let mut args = vec!["ingest", "--no-catalog", "--lake", lake.to_str().unwrap(), "--layout", layout.to_str().unwrap()];
    args.extend(FACTS);
    let o = run(&args, &[&file]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("1 rejected"), "{out}");
    assert_lake_empty(&lake);
    assert!(!out.contains("123456782") && !out.contains("12345678"), "a person number in the message: {out}");
    out
}

#[test]
fn bad_header_csv_input_is_rejected_with_a_message_that_locates_it() {
    let ok = "BSN;GEBOORTEDATUM;BRIN\r\n123456782;5-3-2010;20AB\r\n";
    // the small layout accepts the good file (so each case below fails for its own reason)
    {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("klein.toml"), LAYOUT).unwrap();
        std::fs::write(dir.path().join("ok.csv"), ok).unwrap();
        let lake = dir.path().join("lake");
        let mut args = vec!["ingest", "--no-catalog", "--lake", lake.to_str().unwrap(), "--layout"];
        let l = dir.path().join("klein.toml");
        args.push(l.to_str().unwrap());
        args.extend(FACTS);
        let o = run(&args, &[&dir.path().join("ok.csv")]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    // Each bad row's place and message is a case in src/normalise/csv.rs
    // (in-process); here, what only the whole command shows: the file is
    // rejected, the lake holds nothing of it, no person number is printed,
    // and bytes are decoded before they are read (a BOM alone is empty).
    let cases: [(&[u8], &[&str]); 2] = [
        (b"BSN;GEBOORTEDATUM;BRIN\r\n123456781;5-3-2010;20AB\r\n", &["line 2, column BSN", "*****6781 fails the 11-proef"]),
        (b"\xEF\xBB\xBF", &["empty"]),
    ];
    for (body, needles) in cases {
        let out = rejected(body);
        for n in needles {
            assert!(out.contains(n), "{n:?} not in:\n{out}");
        }
    }
}

/// A layout that leaves figure-critical columns absent loads, and says
/// which figures it cannot answer: `inspect --layout` lists them (`--strict`
/// makes that exit 1), `ingest` warns once per layout, not per file, and a
/// draft says it in its comments.
#[test]
fn a_layout_says_which_figures_it_cannot_answer() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("klein.toml");
    std::fs::write(&layout, LAYOUT).unwrap();
    let files: Vec<PathBuf> = ["a.csv", "b.csv"]
        .iter()
        .map(|n| {
            let f = dir.path().join(n);
            std::fs::write(&f, format!("BSN;GEBOORTEDATUM;BRIN\r\n123456782;5-3-2010;{n}\r\n")).unwrap();
            f
        })
        .collect();
    let l = layout.to_str().unwrap();
    let inspect = |strict: bool| {
        let mut args = vec!["inspect", "--layout", l];
        args.extend(FACTS);
        if strict {
            args.push("--strict");
        }
        run(&args, &[&files[0]])
    };
    let o = inspect(false);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    // KLEIN fills persoon and a BRIN only: no residence, no dates of inschrijving, no startkwalificatie
    for needle in [
        "cannot answer (the layout leaves these columns absent):",
        "leerplichttelling, absoluut_verzuim_signalen, vsv, oud_vsv, vrijstellingen, zomerwissel: without verblijf.gemeentecode + verblijf.datum_aanvang, nobody lives in a gemeente on a date",
        "without resultaat.startkwalificatie + resultaat.datum_resultaat or startkwalificatie.indicatie + startkwalificatie.datum_behaald",
    ] {
        assert!(out.contains(needle), "{needle:?} not in:\n{out}");
    }
    let o = inspect(true);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    let lake = dir.path().join("lake");
    let mut args = vec!["ingest", "--no-catalog", "--lake", lake.to_str().unwrap(), "--layout", l];
    args.extend(FACTS);
    let o = run(&args, &[&files[0], &files[1]]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    let warned = |what: &str| out.lines().filter(|w| w.starts_with("warning: layout KLEIN cannot answer") && w.contains(what)).count();
    assert_eq!(warned("nobody lives in a gemeente"), 1, "once per layout, not per file:\n{out}");
    assert_eq!(warned("nobody has a startkwalificatie"), 1, "{out}");

    // the draft of a file without a startkwalificatie column says so at its top
    let draft = dir.path().join("draft.toml");
    let o = run(&["inspect", "--draft"], &[&draft, &fixture("adressen-onderwijsnummer.csv")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let d = std::fs::read_to_string(&draft).unwrap();
    let top = &d[..d.find("\n[layout]").unwrap()];
    assert!(top.contains("# This layout cannot answer every figure") && top.contains("nobody has a startkwalificatie"), "{top}");
}

/// A week without changes: a header line and no rows is a P-levering
/// without persons (the weekly sequence has no hole for it); cut off
/// inside the header line it is refused.
#[test]
fn a_header_only_p_levering_is_a_delivery_without_persons() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("klein.toml");
    std::fs::write(&layout, LAYOUT).unwrap();
    let lake = dir.path().join("lake");
    let ingest_p = |name: &str, body: &[u8]| {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let args = [
            "ingest",
            "--lake",
            lake.to_str().unwrap(),
            "--layout",
            layout.to_str().unwrap(),
            "--soort",
            "P",
            "--afnemer",
            "G0363",
            "--peildatum",
            "2026-10-11",
        ];
        run(&args, &[&file])
    };
    let o = ingest_p("week41.csv", b"BSN;GEBOORTEDATUM;BRIN\r\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(sql(&lake, "select soort, aantal_personen, aantal_records from levering"), vec!["P|0|0"]);
    let o = ingest_p("week41-kapot.csv", b"BSN;GEBOORTEDATUM;BRIN");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("ends inside its header line"), "{}", text(&o));
}

#[test]
fn a_missing_fact_is_named_with_the_ways_to_give_it_and_a_header_record_is_not_overruled() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("klein.toml");
    std::fs::write(&layout, LAYOUT).unwrap();
    let file = dir.path().join("levering.csv");
    std::fs::write(&file, "BSN;GEBOORTEDATUM;BRIN\r\n123456782;5-3-2010;20AB\r\n").unwrap();
    let lake = dir.path().join("lake");
    let o = run(
        &[
            "ingest",
            "--no-catalog",
            "--soort",
            "C",
            "--afnemer",
            "G0363",
            "--lake",
            lake.to_str().unwrap(),
            "--layout",
            layout.to_str().unwrap(),
        ],
        &[&file],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o);
    assert!(
        out.contains("peildatum is not known") && out.contains("--peildatum") && out.contains("file_name") && out.contains("column"),
        "{out}"
    );
    assert_lake_empty(&lake);

    // a VZL1 file's header record says G0687, P, 2026-10-11: an override that contradicts it is refused
    let vzl1 = repo().join("tests/fixtures/variants/vzl1/20261019G0687P.txt");
    let o = run(&["ingest", "--no-catalog", "--afnemer", "G0363", "--lake", lake.to_str().unwrap()], &[&vzl1]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--afnemer G0363 contradicts the header record, which says G0687"), "{}", text(&o));
    assert_lake_empty(&lake);
    // one that agrees is fine
    let o = run(&["ingest", "--no-catalog", "--afnemer", "G0687", "--soort", "P", "--lake", lake.to_str().unwrap()], &[&vzl1]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // a malformed one is a usage error
    let o = run(&["ingest", "--no-catalog", "--afnemer", "0363", "--lake", lake.to_str().unwrap()], &[&vzl1]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// A header CSV holds no afnemer of its own: two afnemers' files with the
/// same bytes are two deliveries, told apart by their names.
#[test]
fn equal_bytes_under_two_afnemers_names_are_two_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let c = generated_c_levering(dir.path(), "3");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(&c, inbox.join("20261004G0687C.csv")).unwrap();
    std::fs::copy(&c, inbox.join("20261004R0032C.csv")).unwrap();
    let lake = dir.path().join("lake");
    let o = run(&["ingest", "--lake", lake.to_str().unwrap()], &[&inbox]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("2 ingested"), "{}", text(&o));
    assert_eq!(sql(&lake, "select soort_afnemer || afnemercode from levering"), vec!["G0687", "R0032"]);
    // and the same file again is already present
    let o = run(&["ingest", "--lake", lake.to_str().unwrap()], &[&inbox]);
    assert!(text(&o).contains("0 ingested, 2 already present"), "{}", text(&o));
}

/// The nightly run gives each inbox's facts to the header-CSV files in it.
#[test]
fn a_nightly_inbox_gives_its_facts_to_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox-g0363");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(fixture("pipe-tegenstrijdig.csv"), inbox.join("levering.csv")).unwrap();
    let layout = dir.path().join("pipe.toml");
    let o = run(&["inspect", "--draft"], &[&layout, &fixture("pipe-tegenstrijdig.csv")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let job = dir.path().join("job.toml");
    std::fs::write(
        &job,
        "[run]\nlake = \"lake\"\nafter = \"keep\"\nbewaartermijn = \"5j\"\nlayouts = [\"pipe.toml\"]\n\
         inbox = [{ path = \"inbox-g0363\", soort = \"C\", afnemer = \"G0363\", peildatum = \"2026-10-01\" }]\n",
    )
    .unwrap();
    let o = verzuim().arg("run").arg(&job).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        sql(&dir.path().join("lake"), "select soort || soort_afnemer || afnemercode || ' ' || peildatum from levering"),
        vec!["CG0363 2026-10-01"]
    );
    // a bad fact is refused before anything runs
    std::fs::write(
        &job,
        "[run]\nlake = \"lake\"\nafter = \"keep\"\nbewaartermijn = \"5j\"\ninbox = [{ path = \"inbox-g0363\", afnemer = \"X1\" }]\n",
    )
    .unwrap();
    let o = verzuim().arg("run").arg(&job).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("afnemer \"X1\" is not G or R followed by four digits"), "{}", text(&o));
}

/// Whatever header CSV it is given, `inspect` drafts a layout that verzuim
/// can read as a layout file — DUO's real reference files (no persons in
/// them: the draft says so) and every hand-made delivery.
#[test]
fn every_draft_is_a_layout_file_verzuim_reads() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/reference"))
        .unwrap()
        .chain(std::fs::read_dir(repo().join("tests/fixtures/csv")).unwrap())
        // what the fuzzer found: a header naming one column twice
        .chain(std::fs::read_dir(repo().join("tests/fixtures/fuzz")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let (text, encoding) = verzuim::input::read_text(&bytes).unwrap();
        assert!(verzuim::inspect::looks_like_header_csv(&text), "{}", f.display());
        let draft = verzuim::inspect::draft_csv_layout(&text, encoding, &f.file_name().unwrap().to_string_lossy());
        if let Err(e) = verzuim::layout::DeliveryLayout::from_toml(&draft, "draft") {
            panic!("{}: {e}\n{draft}", f.display());
        }
    }
}

/// A header that is a canonical column's own name (`table_column`,
/// `table.column`, a bare name one table alone has, any case) maps to it,
/// a delivery fact's name gives the fact, and an A-levering's rows without a
/// person but with a number asked for fill `niet_gevonden` instead of being
/// refused (issue 23, items 1 and 4).
#[test]
fn canonical_names_are_always_known_and_niet_gevonden_rows_load() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("20261020G0363A.csv");
    std::fs::write(
        &file,
        "PGN;persoon.geboortedatum;Resultaat_Startkwalificatie;DATUM RESULTAAT;datum_behaald;startkwalificatie.indicatie;\
         niet_gevonden.gevraagd_nummer;niet_gevonden_reden;Leveringsvolgnummer;PEILDATUM\r\n\
         123456782;05-03-2008;J;01-07-2025;01-07-2025;J;;;000007;20-10-2026\r\n\
         ;;;;;;111222333;ONB;000007;20-10-2026\r\n",
    )
    .unwrap();
    let (layout, lake) = draft_and_ingest(&file, dir.path());
    let draft = std::fs::read_to_string(&layout).unwrap();
    for mapped in [
        "startkwalificatie = \"resultaat_startkwalificatie\"",
        "datum_behaald = \"datum_behaald\"",
        "indicatie = \"startkwalificatie_indicatie\"",
        "gevraagd_nummer = \"niet_gevonden_gevraagd_nummer\"",
        "reden = \"niet_gevonden_reden\"",
        "volgnummer = { column = \"volgnummer\" }",
    ] {
        assert!(draft.contains(mapped), "{mapped:?} not in:\n{draft}");
    }
    assert_eq!(sql(&lake, "select gevraagd_nummer || ' ' || reden from niet_gevonden"), vec!["111222333 ONB"]);
    assert_eq!(sql(&lake, "select startkwalificatie from resultaat"), vec!["true"]);
    assert_eq!(sql(&lake, "select leveringsvolgnummer from levering"), vec!["7"]);
}

/// A date column empty in the drafted file takes the format the file's
/// other dates share, not a default the next file's values would fail; and
/// two-digit days draft as `D-M-JJJJ`, which also reads `5-3-2010`.
#[test]
fn an_empty_date_column_takes_the_files_date_format() {
    let week = "BSN;GEBOORTEDATUM;DATUM INSCHRIJVING;DATUM UITSCHRIJVING\r\n123456782;15-03-2010;20-08-2022;\r\n";
    let draft = verzuim::inspect::draft_csv_layout(week, verzuim::input::Encoding::Utf8, "week.csv");
    let layout = verzuim::layout::csv::CsvLayout::from_toml(&draft, "draft").unwrap();
    let uit = layout.columns.iter().find(|c| c.name == "datum_uitschrijving").unwrap();
    assert_eq!(uit.rule.date.as_ref().map(|d| d.pattern().to_string()).as_deref(), Some("D-M-JJJJ"), "{draft}");
    let next = "BSN;GEBOORTEDATUM;DATUM INSCHRIJVING;DATUM UITSCHRIJVING\r\n123456782;5-3-2010;20-08-2022;1-7-2026\r\n";
    let plan = verzuim::normalise::csv::CsvPlan::new(layout).unwrap();
    let given = verzuim::normalise::Facts { soort: Some("P".into()), afnemer: Some("G0363".into()), peildatum: Some(20_737) };
    let problems = plan.survey(next, "next.csv", &given, 10).problems;
    assert!(problems.is_empty(), "{problems:?}");
}

/// A date column written two ways (an export merged from two systems) is
/// drafted with both formats, the one most values are in first; both read,
/// and a value in neither is refused naming both.
#[test]
fn dates_written_two_ways_draft_and_read_as_two_formats() {
    let text = "BSN;GEBOORTEDATUM\r\n123456782;20100305\r\n111222333;5-3-2011\r\n100000009;20120101\r\n";
    let draft = verzuim::inspect::draft_csv_layout(text, verzuim::input::Encoding::Utf8, "twee.csv");
    assert!(draft.contains("format = [\"JJJJMMDD\", \"D-M-JJJJ\"]"), "{draft}");
    let layout = verzuim::layout::csv::CsvLayout::from_toml(&draft, "draft").unwrap();
    let plan = verzuim::normalise::csv::CsvPlan::new(layout).unwrap();
    let given = verzuim::normalise::Facts { soort: Some("C".into()), afnemer: Some("G0363".into()), peildatum: Some(20_737) };
    let survey = plan.survey(text, "twee.csv", &given, 10);
    assert!(survey.problems.is_empty(), "{:?}", survey.problems);
    assert!(survey.counts.contains(&("personen".to_string(), 3)), "{:?}", survey.counts);
    let bad = "BSN;GEBOORTEDATUM\r\n123456782;2010-03-05\r\n";
    let problems = plan.survey(bad, "twee.csv", &given, 10).problems;
    assert!(problems[0].to_string().contains("nor in D-M-JJJJ"), "{problems:?}");
    let e = verzuim::layout::csv::CsvLayout::from_toml(&draft.replace("format = [\"JJJJMMDD\", \"D-M-JJJJ\"]", "format = []"), "t");
    assert!(e.unwrap_err().to_string().contains("lists no format"));
}

/// Without a person number column the vocabulary knows, the draft chooses
/// the key by evidence — a name that says "person number", values of nine
/// digits that pass the 11-proef — drafts it as text, and says how sure it is.
#[test]
fn the_person_key_is_chosen_by_evidence_and_drafted_as_text() {
    let cases = [
        // (file, key column, how sure)
        (
            "NAAM;VOLGNR;LLNR BSN;GEBOORTEDATUM\r\nA;1;123456782;05-03-2010\r\nB;2;12345672;06-03-2010\r\n",
            "llnr_bsn",
            "by its name and its values",
        ),
        (
            "NAAM;VOLGNR;NUMMER;GEBOORTEDATUM\r\nA;1;123456782;05-03-2010\r\nB;2;12345672;06-03-2010\r\n",
            "nummer",
            "by its values (nine digits passing the 11-proef), not by its name",
        ),
        ("VOLGNR;NAAM;GEBOORTEDATUM\r\n1;A;05-03-2010\r\n2;B;06-03-2010\r\n", "volgnr", "a guess"),
    ];
    for (text, key, sure) in cases {
        let draft = verzuim::inspect::draft_csv_layout(text, verzuim::input::Encoding::Utf8, "x.csv");
        assert!(draft.contains(&format!("person_key = \"{key}\"")) && draft.contains(sure), "{key}:\n{draft}");
        let layout = verzuim::layout::csv::CsvLayout::from_toml(&draft, "draft").unwrap_or_else(|e| panic!("{e}\n{draft}"));
        let k = layout.person_key[0];
        assert_eq!(format!("{:?}", layout.columns[k].rule.kind), "Text", "{key}: a pgn is text");
    }
}

/// A column the vocabulary knows but whose values do not fit its canonical
/// column (NIVEAU as words) is kept under another name, and the draft loads.
#[test]
fn a_known_column_that_does_not_fit_is_kept_beside_the_canonical_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("niveaus.csv");
    std::fs::write(&file, "BSN;GEBOORTEDATUM;BRIN;NIVEAU\r\n123456782;05-03-2010;20AB;Entree\r\n123456782;05-03-2010;21AB;Basis\r\n")
        .unwrap();
    let (layout, lake) = draft_and_ingest(&file, dir.path());
    let draft = std::fs::read_to_string(layout).unwrap();
    assert!(draft.contains("not mapped to inschrijving.niveau") && draft.contains("niveau_in_bestand"), "{draft}");
    assert_eq!(sql(&lake, "select niveau_in_bestand from inschrijving"), vec!["Basis", "Entree"]);
    assert_eq!(sql(&lake, "select count(*) from inschrijving where niveau is null"), vec!["2"]);
}

/// `--draft` drafts a header CSV's own layout even when a shipped one reads it.
#[test]
fn a_draft_is_written_for_a_file_a_shipped_layout_also_reads() {
    let dir = tempfile::tempdir().unwrap();
    let c = generated_c_levering(dir.path(), "4");
    let o = run(&["inspect"], &[&c]);
    assert!(text(&o).contains("DUO-CSV"), "{}", text(&o));
    let (_, lake) = {
        let layout = dir.path().join("eigen.toml");
        let o = run(&["inspect", "--draft"], &[&layout, &c]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let lake = dir.path().join("lake");
        let o = run(&["ingest", "--lake", lake.to_str().unwrap(), "--layout", layout.to_str().unwrap()], &[&c]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        (layout, lake)
    };
    // its facts from the file's name and PEILDATUM column, as the shipped layout reads them
    assert_eq!(sql(&lake, "select soort || soort_afnemer || afnemercode || ' ' || peildatum from levering"), vec!["CG0687 2026-10-01"]);
}

/// A lake whose deliveries differ in columns (a draft layout's extra column
/// beside VZL1's): the catalog reads that table by name, whether it learns
/// the columns from the record in each `levering.parquet` or — a lake
/// written before that record — from every file's footer, or a mix.
#[test]
fn deliveries_differing_in_columns_are_found_with_or_without_the_recorded_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (_, lake) = draft_and_ingest(&fixture("excel-export-bsn-of-onderwijsnummer.csv"), dir.path());
    let vzl1 = sample_deliveries().into_iter().find(|f| f.extension().is_some_and(|e| e == "txt")).unwrap();
    let o = run(&["ingest", "--lake", lake.to_str().unwrap()], &[&vzl1]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let differing = |lake: &Path| {
        let o = run(&["catalog", "--full", "--lake", lake.to_str().unwrap()], &[]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        (
            sql(lake, "select unnest(verschillende_kolommen) from catalogus_bouw order by 1"),
            sql(lake, "select count(*) || ' ' || count(woongemeente_code) from persoon"),
        )
    };
    let recorded = differing(&lake);
    assert!(recorded.0.contains(&"persoon".to_string()), "{recorded:?}");
    assert_eq!(recorded.1, vec!["439 3"], "VZL1's 436 persons without the extra column, the CSV's three with it");
    // the record taken out of one delivery's levering.parquet, then of all
    let mut leveringen: Vec<PathBuf> = parquet_files(&lake).into_iter().filter(|p| p.ends_with("levering.parquet")).collect();
    leveringen.sort();
    assert_eq!(leveringen.len(), 2);
    for (i, file) in leveringen.iter().enumerate() {
        let batches = read_batches(file);
        let mut writer = parquet::arrow::ArrowWriter::try_new(std::fs::File::create(file).unwrap(), batches[0].schema(), None).unwrap();
        for b in &batches {
            writer.write(b).unwrap();
        }
        let footer = writer.close().unwrap();
        assert!(footer.file_metadata().key_value_metadata().into_iter().flatten().all(|kv| kv.key != verzuim::lake::COLUMNS_KEY));
        assert_eq!(differing(&lake), recorded, "with {} of the two records taken out", i + 1);
    }
}
