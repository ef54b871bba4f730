//! Reports from the generated samples: every format, the documented sheets,
//! CSV that Dutch Excel reads, small numbers hidden, no person published,
//! worklists per gemeente, and an HTML page that stands on its own.

use std::path::{Path, PathBuf};

use crate::common::*;
use calamine::{Data, Reader, Xlsx, open_workbook};
use verzuim::report::{ALL_FORMATS, Options, Summary, report};

fn sample_lake() -> tempfile::TempDir {
    let lake = tempfile::tempdir().unwrap();
    assert_eq!(ingest(lake.path(), &[repo().join("data-samples/leveringen")]).rejected(), 0);
    // and the samples' BRP extract: the children DUO does not know are on the worklist
    let brp = verzuim::brp::load(lake.path(), &verzuim::brp::BrpLayout::builtin(), &[repo().join("data-samples/brp")], &Default::default());
    assert!(brp.unwrap().iter().all(|r| r.status == verzuim::brp::BrpStatus::Loaded));
    verzuim::catalog::refresh(lake.path()).unwrap();
    lake
}

pub(crate) fn opts(lake: &Path, out: &Path, drempel: i64) -> Options {
    Options {
        lake: lake.to_path_buf(),
        regio: Some("0032".into()),
        datum: None,
        teljaar: None,
        schooljaar: None,
        formaten: ALL_FORMATS.to_vec(),
        out: out.to_path_buf(),
        drempel,
        decimaalkomma: false,
        werklijsten: true,
        leerplichttelling: None,
        vandaag: date("2026-11-10"),
        bewaking: verzuim::status::Thresholds::default(),
        zomerwissel_tot: verzuim::report::DagMaand::ZOMERWISSEL_TOT,
    }
}

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(files_under(&p)) } else { out.push(p) }
    }
    out.sort();
    out
}

pub(crate) fn cells(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn run(drempel: i64) -> (tempfile::TempDir, tempfile::TempDir, Summary) {
    let lake = sample_lake();
    let out = tempfile::tempdir().unwrap();
    let s = report(&opts(lake.path(), out.path(), drempel)).unwrap();
    (lake, out, s)
}

const FIGUREN: [&str; 10] = [
    "leerplichttelling",
    "vsv",
    "vsv_per_gemeente",
    "vsv_duo",
    "vsv_trend",
    "oud_vsv",
    "vrijstellingen",
    "leerplichttelling_jaar",
    "signalen_per_week",
    "leveringen",
];

#[test]
fn one_command_makes_the_regio_folder_in_every_format_with_the_documented_sheets() {
    let (lake, out, s) = run(4);
    assert_eq!(s.peil.datum.to_string(), "2026-10-25");
    assert_eq!((s.peil.teljaar, s.peil.schooljaar), (2025, 2026));
    let map = out.path().join("32-Walcheren");
    assert_eq!(s.regios[0].2, map);
    let xlsx = map.join("verzuim-32-2026-10-25.xlsx");
    let wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let mut expected = vec!["Toelichting".to_string()];
    expected.extend(FIGUREN.iter().map(|f| f.replace('_', " ")));
    assert_eq!(wb.sheet_names(), expected);
    let toelichting = cells(&xlsx, "Toelichting");
    let text = toelichting.iter().flatten().cloned().collect::<Vec<_>>().join(" | ");
    for needle in
        ["Peildatum van de cijfers", "25-10-2026", "Kennis (bekend op)", "Kleine aantallen", "MIDDELBURG (0687)", "leerplichttelling"]
    {
        assert!(text.contains(needle), "Toelichting lacks {needle:?}: {text}");
    }
    // the samples end on 25 October 2026: teljaar 2025 cannot be final yet
    assert!(text.contains("Status vsv | Voorlopig: de leveringen reiken nog niet tot na 31 december 2026"), "{text}");
    let vsv = cells(&xlsx, "vsv");
    assert_eq!(vsv[0].last().map(String::as_str), Some("Status"));
    assert!(vsv[1..].iter().all(|r| r.last().map(String::as_str) == Some("voorlopig")), "{vsv:?}");
    // the trend starts where the lake covers the regio: the first C-levering is of 1 October 2025
    let trend = cells(&xlsx, "vsv trend");
    let teljaren: Vec<&str> = trend[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(teljaren, vec!["2025-2026"], "no teljaar before the first C-levering");
    let lpt = cells(&xlsx, "leerplichttelling");
    assert_eq!(lpt[0][..4], ["Gemeentecode", "Gemeente", "Leeftijd", "Jongeren"].map(String::from));
    // the same rows as the catalog's macro for the regio's gemeenten
    let conn = duckdb::Connection::open(lake.path().join("verzuim.duckdb")).unwrap();
    let n = query_rows(&conn, "select count(*) from leerplichttelling(date '2026-10-25') where regiocode = '32'");
    assert_eq!(vec![(lpt.len() - 1).to_string()], n);
    for f in FIGUREN {
        assert!(map.join("csv").join(format!("{f}.csv")).is_file(), "{f}.csv");
        assert!(map.join("parquet").join(format!("{f}.parquet")).is_file(), "{f}.parquet");
    }
    assert!(map.join("verzuim-32-2026-10-25.html").is_file());
    // parquet is typed and readable by DuckDB, hidden counts are NULL
    let pq = map.join("parquet/leerplichttelling.parquet");
    let typed = query_rows(
        &conn,
        &format!("select any_value(typeof(personen)), count(*) filter (where absoluut_verzuim is null) > 0 from '{}'", pq.display()),
    );
    assert_eq!(typed, vec!["BIGINT|true"]);
}

#[test]
fn csv_opens_in_dutch_excel_and_round_trips() {
    let (_lake, out, _) = run(4);
    let path = out.path().join("32-Walcheren/csv/vsv_per_gemeente.csv");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte order mark");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["Gemeentecode", "Gemeente", "Deelnemers", "Nieuwe vsv'ers", "Vsv-percentage"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let xlsx = cells(&out.path().join("32-Walcheren/verzuim-32-2026-10-25.xlsx"), "vsv per gemeente");
    assert_eq!(rows.len(), xlsx.len() - 1);
    assert!(rows.iter().any(|r| &r[1] == "Regio") && rows.iter().any(|r| &r[1] == "Alle regio's"));
    // with the decimal comma option, percentages read 2,56 not 2.56
    let lake = sample_lake();
    let out2 = tempfile::tempdir().unwrap();
    let mut o = opts(lake.path(), out2.path(), 4);
    o.decimaalkomma = true;
    o.formaten = vec![verzuim::report::Format::Csv];
    o.werklijsten = false;
    report(&o).unwrap();
    let komma = std::fs::read_to_string(out2.path().join("32-Walcheren/csv/vsv_per_gemeente.csv")).unwrap();
    let regio = komma.lines().find(|l| l.contains(";Regio;")).unwrap();
    assert!(regio.rsplit(';').next().unwrap().contains(','), "{regio}");
}

/// Count columns: every column but codes, names, ages, dates and percentages.
fn counts_in_csv(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let tel: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            ![
                "Gemeentecode",
                "Gemeente",
                "Leeftijd",
                "Instelling (BRIN)",
                "Instelling",
                "Categorie",
                "Artikel",
                "Teljaar",
                "Week (peildatum)",
                "ColumnKind",
                "Afnemer",
                "Peildatum",
                "Aanmaakdatum",
            ]
            .contains(&h.as_str())
                && !h.contains("percentage")
        })
        .map(|(i, _)| i)
        .collect();
    r.records().flat_map(|rec| tel.iter().map(|&i| rec.as_ref().unwrap()[i].to_string()).collect::<Vec<_>>()).collect()
}

#[test]
fn small_numbers_are_hidden_and_no_person_is_published() {
    let (lake, out, _) = run(4);
    let (_lake0, out0, _) = run(0);
    let csvs = |o: &Path| files_under(&o.join("32-Walcheren/csv"));
    let klein = |v: &String| v.parse::<i64>().is_ok_and(|n| (1..=4).contains(&n));
    let shown: Vec<String> = csvs(out.path()).iter().flat_map(|p| counts_in_csv(p)).collect();
    assert!(!shown.iter().any(klein), "a count from 1 to 4 is shown");
    assert!(shown.iter().any(|v| v == "<5"), "nothing was hidden");
    let unprotected: Vec<String> = csvs(out0.path()).iter().flat_map(|p| counts_in_csv(p)).collect();
    assert!(unprotected.iter().any(klein), "threshold 0 hides nothing, so small counts appear");
    // the html shows only protected numbers too
    let html = std::fs::read_to_string(out.path().join("32-Walcheren/verzuim-32-2026-10-25.html")).unwrap();
    assert!(html.contains("&lt;5"));

    // no pgn (BSN / onderwijsnummer) or name of the lake in the published folder
    let conn = duckdb::Connection::open(lake.path().join("verzuim.duckdb")).unwrap();
    let pgns = query_rows(&conn, "select distinct pgn from persoon");
    let namen = query_rows(&conn, "select distinct achternaam from persoon where length(achternaam) > 4");
    assert!(pgns.len() > 1000);
    let mut published = String::new();
    for f in files_under(&out.path().join("32-Walcheren")) {
        match f.extension().and_then(|e| e.to_str()) {
            Some("csv" | "html") => published.push_str(&std::fs::read_to_string(&f).unwrap()),
            Some("xlsx") => {
                let mut wb: Xlsx<_> = open_workbook(&f).unwrap();
                for name in wb.sheet_names() {
                    for row in wb.worksheet_range(&name).unwrap().rows() {
                        for c in row {
                            published.push_str(&c.to_string());
                            published.push(' ');
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for p in &pgns {
        assert!(!published.contains(p.as_str()), "a pgn is in the published reports");
    }
    for n in &namen {
        assert!(!published.contains(n.as_str()), "a surname is in the published reports");
    }
}

#[test]
fn worklists_per_gemeente_hold_the_signals_owner_only() {
    let (lake, out, s) = run(4);
    assert_eq!(s.werklijsten.len(), 3, "Middelburg, Veere, Vlissingen");
    let conn = duckdb::Connection::open(lake.path().join("verzuim.duckdb")).unwrap();
    for path in &s.werklijsten {
        assert!(path.starts_with(out.path().join("werklijsten")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        }
        let code = path.file_name().unwrap().to_string_lossy()[10..14].to_string();
        let nu = query_rows(&conn, &format!("select pgn from absoluut_verzuim_signalen(date '2026-10-25') where gemeentecode = '{code}'"));
        let listed: Vec<String> = ["Nieuw", "Open"].iter().flat_map(|s| cells(path, s).into_iter().skip(1).map(|r| r[0].clone())).collect();
        let mut listed_sorted = listed.clone();
        listed_sorted.sort();
        assert_eq!(listed_sorted, nu, "{code}: new and open are exactly today's signals");
        // a child only the BRP knows is listed with the name from the extract
        let brp_only = query_rows(
            &conn,
            &format!(
                "select pgn from absoluut_verzuim_signalen(date '2026-10-25') where gemeentecode = '{code}' and categorie = 'NIET_BIJ_DUO'"
            ),
        );
        assert_eq!(brp_only.is_empty(), code != "0687", "{code}: the samples' extract is Middelburg's");
        for row in ["Nieuw", "Open"].iter().flat_map(|s| cells(path, s).into_iter().skip(1)).filter(|r| brp_only.contains(&r[0])) {
            assert!(row[1].len() > 3, "{code}: a BRP child without a name: {row:?}");
        }
        let toen = query_rows(
            &conn,
            &format!(
                "select pgn from absoluut_verzuim_signalen(date '2026-10-18', bekend_op := date '2026-10-18') where gemeentecode = '{code}'"
            ),
        );
        let opgelost: Vec<String> = cells(path, "Opgelost").into_iter().skip(1).map(|r| r[0].clone()).collect();
        for p in &opgelost {
            assert!(toen.contains(p) && !nu.contains(p));
        }
        // the first sheet says how old the P-levering behind the list is: the
        // samples' last one (peildatum 25-10-2026) is 16 days old on 10-11-2026
        let toelichting = cells(path, "Toelichting").concat().join(" ");
        assert!(
            toelichting.contains("Laatste P-levering 25-10-2026 (")
                && toelichting.contains("), 16 dagen geleden op 10-11-2026")
                && (toelichting.contains("(G0687)") || toelichting.contains("(R0032)")),
            "{toelichting}"
        );
        assert!(toelichting.contains("LET OP: ouder dan 10 dagen"), "{toelichting}");
    }
}

/// Signals whose uitschrijving fell in the summer with reden 02 (overstap)
/// or none are marked `zomerwissel` on the worklist until 1 November of
/// that year, and kept; other signals are not marked.
#[test]
fn summer_uitschrijvingen_are_marked_zomerwissel_until_the_configured_day() {
    // (pgn, uitschrijving, reden): zomerwissel on 2026-09-15?
    let cases = [
        ("100000009", "20260715", "02", true),  // overstap in the summer
        ("100000010", "20260701", "", true),    // no reden given, first day of the window
        ("100000022", "20261001", "02", true),  // last day of the window
        ("100000034", "20260715", "08", false), // overig: not a school switch
        ("100000046", "20260630", "02", false), // before the summer
    ];
    let mut lines = vec!["VLP|VZL1|C|G|0687|20260915|20260916|000001".to_string()];
    for (i, (pgn, uit, reden, _)) in cases.iter().enumerate() {
        // nine years old: leerplichtig, so without a school a signal
        lines.push(format!("PER|{pgn}|{pgn}||20170305|V|Kind{i}||Anna|"));
        lines.push(format!("VBL|{pgn}|0687|4331AB|{}||MIDDELBURG|6030|20170305|", i + 1));
        lines.push(format!("INS|{pgn}|000000000{i}|20AB|20AB00|PO|||||20210820|{uit}|{reden}|J"));
    }
    lines.push(format!("SLR|{}|{}", cases.len(), lines.len() + 1));
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    let file = write_lines(dir.path(), "20260915G0687C.txt", &lines);
    assert_eq!(ingest(&lake, &[file]).rejected(), 0);
    verzuim::catalog::refresh(&lake).unwrap();
    let conn = read_only(&lake.join("verzuim.duckdb"));
    // the rule itself, on 2 October (every uitschrijving lies before it)
    let expected: Vec<String> = cases.iter().filter(|c| c.3).map(|c| c.0.to_string()).collect();
    let mut found = query_rows(&conn, "select pgn from zomerwissel(date '2026-10-02')");
    found.sort();
    assert_eq!(found, expected);
    drop(conn);

    for (datum, marked) in [("2026-10-02", expected.clone()), ("2026-11-01", vec![])] {
        let out = tempfile::tempdir().unwrap();
        let mut o = opts(&lake, out.path(), 4);
        o.datum = Some(date(datum));
        o.formaten = vec![];
        let s = report(&o).unwrap();
        let nieuw = cells(&s.werklijsten[0], "Nieuw");
        let kolom = nieuw[0].iter().position(|k| k == "Zomerwissel").expect("a Zomerwissel column");
        let mut rows: Vec<String> = nieuw[1..].iter().filter(|r| r[kolom] == "zomerwissel").map(|r| r[0].clone()).collect();
        rows.sort();
        assert_eq!(rows, marked, "on {datum}");
        assert_eq!(nieuw.len() - 1, cases.len(), "marked signals stay on the list");
        let toelichting = cells(&s.werklijsten[0], "Toelichting").concat().join(" ");
        assert!(toelichting.contains("totaalleveringen (C) alleen"), "{toelichting}");
    }
}

#[test]
fn the_html_page_stands_on_its_own() {
    let (_lake, out, _) = run(4);
    let html = std::fs::read_to_string(out.path().join("32-Walcheren/verzuim-32-2026-10-25.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 5, "vsv per gemeente, trend, leeftijdsband, signalen per week, vrijstellingen");
    for external in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "{external} in a page that must work offline");
    }
    let without_svg_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_svg_namespace.contains("http"), "no network address");
}

/// Renders the page in headless Chromium (Debian's `chromium`) without
/// network; skipped where Chromium is not installed (CI machines).
#[test]
fn the_html_page_renders_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is not installed");
        return;
    }
    let (_lake, out, _) = run(4);
    let page = out.path().join("32-Walcheren/verzuim-32-2026-10-25.html");
    let png = out.path().join("rapport.png");
    let status = std::process::Command::new(chromium)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--proxy-server=127.0.0.1:9",
            "--window-size=1100,2400",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    // a blank page compresses to a few kilobytes; charts and tables do not
    assert!(bytes.len() > 60_000, "suspiciously small screenshot: {} bytes", bytes.len());
}

/// The yearly Leerplichttelling: a sheet of the regio report (counts
/// protected) and, with `leerplichttelling`, one xlsx per gemeente for
/// DUO's form — exact counts, owner-only, relatief verzuim marked as not in
/// DUO's data rather than 0, every value the catalog's macro.
#[test]
fn the_yearly_leerplichttelling_is_a_sheet_and_a_file_per_gemeente_for_duos_form() {
    let lake = sample_lake();
    let out = tempfile::tempdir().unwrap();
    let mut o = opts(lake.path(), out.path(), 4);
    o.formaten = vec![verzuim::report::Format::Xlsx];
    o.leerplichttelling = Some(2025);
    let s = verzuim::report::report(&o).unwrap();
    let names: Vec<String> = s.leerplichttelling.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "leerplichttelling-2025-0687-MIDDELBURG.xlsx",
            "leerplichttelling-2025-0717-VEERE.xlsx",
            "leerplichttelling-2025-0718-VLISSINGEN.xlsx"
        ]
    );
    let conn = duckdb::Connection::open(lake.path().join("verzuim.duckdb")).unwrap();
    let want = query_rows(
        &conn,
        "select po, so_vso, vo, mbo, onbekend, geen_onderwijs, absoluut_verzuim, vrijstelling_5a, vervangende_leerplicht_3b, \
         relatief_verzuim, inwoners_5_17 from leerplichttelling_schooljaar(2025) where gemeentecode = '0687'",
    );
    let form = cells(&s.leerplichttelling[0], "leerplichttelling");
    let value = |item: &str| form.iter().find(|r| r[0] == item).map(|r| r[1].clone()).unwrap_or_else(|| panic!("{item} not in {form:?}"));
    let got = [
        "Absoluut verzuim po",
        "Absoluut verzuim (v)so",
        "Absoluut verzuim vo",
        "Absoluut verzuim mbo",
        "Absoluut verzuim onbekend",
        "Absoluut verzuim geen onderwijs",
        "Absoluut verzuim totaal",
        "Vrijstelling 5a",
        "Vervangende leerplicht 3b",
        "Relatief verzuim",
        "Inwoners 5-17 jaar",
    ]
    .map(value)
    .join("|");
    assert_eq!(vec![got], want);
    assert_eq!(value("Relatief verzuim"), "niet in DUO-gegevens");
    assert_eq!(value("Noemer"), "personen in de lake");
    assert!(value("Absoluut verzuim totaal").parse::<f64>().unwrap() > 0.0, "the samples hold verzuimers in 2025");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&s.leerplichttelling[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // the regio report's sheet: the same gemeenten, small counts hidden
    let xlsx = out.path().join("32-Walcheren/verzuim-32-2026-10-25.xlsx");
    let sheet = cells(&xlsx, "leerplichttelling jaar");
    assert_eq!(sheet.len(), 4, "{sheet:?}");
    assert_eq!(sheet[0][..3], ["Gemeentecode", "Gemeente", "Absoluut verzuim po"].map(String::from));
    // the report's own schooljaar (2026): the files take the sheet's rows, unprotected
    o.leerplichttelling = Some(2026);
    let s = verzuim::report::report(&o).unwrap();
    let form = cells(&s.leerplichttelling[0], "leerplichttelling");
    let totaal = form.iter().find(|r| r[0] == "Absoluut verzuim totaal").map(|r| r[1].clone()).unwrap();
    let want = query_rows(&conn, "select absoluut_verzuim from leerplichttelling_schooljaar(2026) where gemeentecode = '0687'");
    assert_eq!(vec![totaal], want);
}
