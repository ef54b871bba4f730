//! DUO's own VSV lists (issue 25): NRSP and NenR files in DUO's two
//! spellings load through the shipped layouts — by `verzuim lijst load` and
//! among the deliveries of `ingest` — a number failing the 11-proef is kept
//! as a finding, bad input is refused with line and column, and
//! `vsv_vergelijking` reconciles them with the lake on hand-built cases.

use std::path::{Path, PathBuf};

use crate::common::*;
use crate::figures::{MB, delivery, persoon};
use verzuim::lijst::{Given, ListLayout};

const NRSP_HEADER: &str = "#BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;GESLACHT;ACHTERNAAM;VOORVOEGSEL;VOORNAMEN;POSTCODE_CIJFERS;\
HUISNUMMER;RMC_REGIO;RMC_REGIO_NAAM;GEMCODE;GEMEENTENAAM;BRIN;BRIN_VOLGNR;BRIN_VEST_NAAM;NIVEAU;ONDERWIJSSOORT;CREBO;CREBO_OMSCHRIJVING";

/// (bsn or "0", onderwijsnummer or "", geboortedatum as written) → a row in the first spelling:
/// `;`, `#` header, DD-MM-JJJJ, `REGIO 32`, GEMCODE without zeros, `69.0`, a `;` inside quotes.
fn nrsp_row(bsn: &str, onr: &str, geboren: &str) -> String {
    format!(
        "{bsn};{onr};{geboren};V;Jansen;;Anna;4331;69.0;REGIO 32;Walcheren;687;Middelburg;25PK;01;\"ROC; locatie Middelburg\";2;MBO;25168;\"Verzorgende; IG\""
    )
}

/// The second spelling: Windows-1252 (a name with é), CRLF, JJJJMMDD, `32`, NenR's two extra columns.
fn nenr_bytes(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut text = String::from(
        "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;GESLACHT;ACHTERNAAM;VOORVOEGSEL;VOORNAMEN;POSTCODE_CIJFERS;RMC_REGIO;\
         RMC_REGIO_NAAM;GEMCODE;GEMEENTENAAM;BRIN;BRIN_VOLGNR;BRIN_VEST_NAAM;NIVEAU;ONDERWIJSSOORT;CREBO;CREBO_OMSCHRIJVING;EXAMEN;IND_BEKOSTIGING\r\n",
    );
    for (bsn, onr) in rows {
        text.push_str(&format!(
            "{bsn};{onr};20070101;M;Müller;;René;4331;32;Walcheren;0687;Middelburg;25PK;1;ROC Zeeland;2;MBO;25168;Verzorgende IG;N;J\r\n"
        ));
    }
    text.chars().map(|c| u8::try_from(u32::from(c)).expect("Latin-1 is Windows-1252 for these")).collect()
}

fn onderwijsnummer() -> String {
    (600_000_000u32..)
        .map(|n| n.to_string())
        .find(|s| verzuim::parse::passes_11_proef(s, verzuim::layout::NumberCheck::Onderwijsnummer))
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn duo_vsv_lists_reconcile_with_the_lake_person_by_person() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mbo = |seed: u32, geb: &str, extra: &[&str]| {
        let mut rest = vec![MB, "INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20240901|20260131|08|J"];
        rest.extend_from_slice(extra);
        persoon(seed, geb, &rest)
    };
    let uitval = mbo(80, "20070101", &[]);
    let uitval_niet_bij_duo = mbo(81, "20070101", &[]);
    let herinschrijving = mbo(82, "20070101", &["INS|0000000002|25PK|25PK00|MBO|25168|BBL|2|1|20260915|||J"]);
    let havo = persoon(83, "20090501", &[MB, "INS|0000000001|20AB|20AB00|HAVO||||4|20240820|||J"]);
    let op_22 = mbo(84, "20031001", &[]);
    let lake = d.join("lake");
    let all = [&uitval, &uitval_niet_bij_duo, &herinschrijving, &havo, &op_22];
    assert_eq!(ingest(&lake, &[delivery(d, "C", "R0032", "20270105", 1, &all)]).rejected(), 0);

    let onr = onderwijsnummer();
    let bad = format!("{}{}", &uitval.pgn[..8], (uitval.pgn.as_bytes()[8] - b'0' + 1) % 10);
    let nrsp: Vec<String> = std::iter::once(NRSP_HEADER.to_string())
        .chain(
            [&uitval.pgn, &uitval_niet_bij_duo.pgn, &herinschrijving.pgn, &havo.pgn, &op_22.pgn]
                .iter()
                .map(|b| nrsp_row(b, "", "01-01-2007")),
        )
        .chain([nrsp_row("0", &onr, "01-01-2007"), nrsp_row(&bad, "", "01-01-2007")])
        .collect();
    let nrsp = write(d, "NRSP2026DR0032.csv", (nrsp.join("\n") + "\n").as_bytes());
    let nenr = write(d, "NenR2026DR0032.csv", &nenr_bytes(&[(&uitval.pgn, ""), (&herinschrijving.pgn, ""), ("", &onr)]));
    // an earlier voorlopige list, superseded by the definitieve
    let voorlopig = write(d, "NenR2026VR0032.csv", &nenr_bytes(&[(&havo.pgn, "")]));

    let layouts = ListLayout::all_builtin();
    let reports = verzuim::lijst::load(&lake, &layouts, &[nrsp.clone(), nenr, voorlopig], &Given::default()).unwrap();
    let summary: Vec<String> = reports
        .iter()
        .map(|r| format!("{} {:?} {:?} {:?} {} {}", r.layout, r.outcome, r.teljaar, r.status.as_deref(), r.rows, r.ongeldige_nummers))
        .collect();
    assert_eq!(
        summary,
        [
            "NRSP Ok(true) Some(2025) Some(\"definitief\") 7 1",
            "NenR Ok(true) Some(2025) Some(\"definitief\") 3 0",
            "NenR Ok(true) Some(2025) Some(\"voorlopig\") 1 0"
        ]
    );
    // once per content
    let again = verzuim::lijst::load(&lake, &layouts, &[nrsp], &Given::default()).unwrap();
    assert_eq!(again[0].outcome, Ok(false));

    let conn = duckdb::Connection::open(verzuim::catalog::refresh(&lake).unwrap()).unwrap();
    let rows = |sql: &str| query_rows(&conn, sql);
    // both spellings read alike: pgn (BSN else onderwijsnummer), 4-digit gemeente, regio, instelling
    assert_eq!(
        rows("select distinct lijst, gemeentecode, regiocode, instellingscode, niveau from duo_vsv_lijst where in_gebruik"),
        ["startpopulatie|0687|32|25PK|2", "vsv|0687|32|25PK|2"]
    );
    assert_eq!(rows(&format!("select lijst from duo_vsv_lijst where pgn = '{onr}'")), ["startpopulatie", "vsv"]);
    assert_eq!(rows("select count(*) from duo_vsv_lijst where not nummer_geldig"), ["1"]);
    assert_eq!(
        rows("select status, in_gebruik, count(*) from duo_vsv_lijst where lijst = 'vsv' group by all"),
        ["definitief|true|3", "voorlopig|false|1"]
    );

    let got = rows("select pgn, in_startpopulatie, vsv, coalesce(reden, '-') from vsv_vergelijking(2025)");
    let mut want = vec![
        format!("{}|beide|beide|-", uitval.pgn),
        format!("{}|beide|alleen_berekend|volgens de lake geen onderwijs op T1 en geen startkwalificatie", uitval_niet_bij_duo.pgn),
        format!("{}|beide|alleen_duo|in onderwijs op T1", herinschrijving.pgn),
        format!("{}|beide|geen|-", havo.pgn),
        format!("{}|alleen_duo|geen|22 of ouder op T0", op_22.pgn),
        format!("{onr}|alleen_duo|alleen_duo|persoon niet in de lake"),
        format!("{bad}|alleen_duo|geen|persoon niet in de lake"),
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        rows(
            "select niveau, code, deelnemers_duo, vsv_duo, deelnemers_berekend, vsv_berekend from vsv_vergelijking_per(2025) where niveau <> 'instelling'"
        ),
        ["gemeente|0687|7|3|4|2", "regio|32|7|3|4|2"]
    );
    // a teljaar without lists has no rows, not the lake's alone
    assert_eq!(rows("select count(*) from vsv_vergelijking(2024)"), ["0"]);
    drop(conn);

    // the regio report: DUO's figure beside the lake's, and the persons behind the differences, owner-only
    let out = d.join("rapportage");
    let s = verzuim::report::report(&crate::report::opts(&lake, &out, 0)).unwrap();
    assert_eq!(s.peil.teljaar, 2025);
    let sheet = crate::report::cells(&out.join("32-Walcheren/verzuim-32-2027-01-05.xlsx"), "vsv duo");
    let rows: Vec<String> = sheet.iter().skip(1).map(|r| r.join("|")).collect();
    assert!(rows.contains(&"0687|MIDDELBURG|definitief|7|3|42.86|4|2|50".to_string()), "{sheet:?}");
    assert!(rows.contains(&"|Regio|definitief|7|3|42.86|4|2|50".to_string()), "{sheet:?}");
    let verschillen = s.werklijsten.iter().find(|p| p.to_string_lossy().contains("vsv-verschillen-32-")).expect("the differences file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(verschillen).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let listed: Vec<String> = crate::report::cells(verschillen, "verschillen").iter().skip(1).map(|r| r[0].clone()).collect();
    assert_eq!(listed.len(), 5, "{listed:?}");
    assert!(listed.contains(&uitval_niet_bij_duo.pgn) && !listed.contains(&uitval.pgn));
}

/// The lists arrive in the delivery inbox: `ingest` recognises them by header.
#[test]
fn ingest_recognises_a_list_among_the_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let p = persoon(90, "20070101", &[MB]);
    delivery(&inbox, "C", "R0032", "20251001", 1, &[&p]);
    write(&inbox, "NRSP2026VR0032.csv", format!("{NRSP_HEADER}\n{}\n", nrsp_row(&p.pgn, "", "20070101")).as_bytes());
    let s = ingest(&dir.path().join("lake"), &[inbox]);
    let layouts: Vec<Option<&str>> = s.files.iter().map(|f| f.layout.as_deref()).collect();
    assert_eq!(s.rejected(), 0, "{:#?}", s.files);
    assert!(layouts.contains(&Some("NRSP")) && layouts.contains(&Some("VZL1")), "{layouts:?}");
}

/// Bad input, one line per case: the list refused with its line and column.
#[test]
fn bad_lists_are_refused_with_line_and_column() {
    let p = crate::figures::bsn(91);
    let cases: &[(&str, String, Given, &str)] = &[
        (
            "ragged row",
            format!("{NRSP_HEADER}\n{};extra\n", nrsp_row(&p, "", "01-01-2007")),
            Given::default(),
            "line 2: has 21 values, but the header has 20",
        ),
        (
            "unreadable date",
            format!("{NRSP_HEADER}\n{}\n", nrsp_row(&p, "", "31-02-2007")),
            Given::default(),
            "line 2, column GEBOORTEDATUM",
        ),
        (
            "teljaar disagrees",
            format!("{NRSP_HEADER}\n{}\n", nrsp_row(&p, "", "01-01-2007")),
            Given { teljaar: Some(2024), ..Default::default() },
            "--teljaar 2024, but the file name \"NRSP2026DR0032.csv\" says teljaar 2025",
        ),
    ];
    for (what, text, given, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let lake = dir.path().join("lake");
        let file = write(dir.path(), "NRSP2026DR0032.csv", text.as_bytes());
        let r = verzuim::lijst::load(&lake, &ListLayout::all_builtin(), &[file], given).unwrap();
        let Err(why) = &r[0].outcome else { panic!("{what}: loaded") };
        assert!(why.contains(want), "{what}: {why}");
        assert!(!why.contains(&p), "{what}: a number in the message");
        assert!(!lake.join("duo_lijsten").exists() || std::fs::read_dir(lake.join("duo_lijsten")).unwrap().count() == 0, "{what}: written");
    }
    // a name that says nothing, and nothing given: both are named
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "startpopulatie.csv", format!("{NRSP_HEADER}\n{}\n", nrsp_row(&p, "", "01-01-2007")).as_bytes());
    let r =
        verzuim::lijst::load(&dir.path().join("lake"), &ListLayout::all_builtin(), std::slice::from_ref(&file), &Given::default()).unwrap();
    assert!(matches!(&r[0].outcome, Err(w) if w.contains("teljaar and status")), "{:?}", r[0].outcome);
    let given = Given { teljaar: Some(2025), status: Some("voorlopig".into()), ..Default::default() };
    let r = verzuim::lijst::load(&dir.path().join("lake"), &ListLayout::all_builtin(), &[file], &given).unwrap();
    assert_eq!(r[0].outcome, Ok(true));
}

/// A monthly rapportage: `;`, the given line ends (CR-only occurs), M/D/JJ dates.
fn rapportage(kop: &str, rows: &[String], eol: &str) -> Vec<u8> {
    std::iter::once(kop.to_string()).chain(rows.iter().cloned()).map(|r| r + eol).collect::<String>().into_bytes()
}

const UITSCHRIJVING_HEADER: &str =
    "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;RMC_REGIO;GEMCODE;BRIN;NIVEAU;RAPPORTAGE_MAAND;DATUM_UITSCHRIJVING";

/// DUO's monthly A-rapportages, each month its own version, beside the
/// lake's own stand of that month: A01 (new uitschrijvingen), A02
/// (herinschrijvingen), A04 (cumulative workload), A05 (startset with
/// DUO's startkwalificatie indicator). The file name and the rows'
/// month disagreeing is said, not refused; an unnamed file whose columns
/// fit three rapportages is refused until its layout is given.
#[test]
fn monthly_rapportages_compare_with_the_lakes_stand_of_that_month() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mbo = |seed: u32, extra: &[&str]| {
        let mut rest = vec![MB, "INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20240901|20260115|08|J"];
        rest.extend_from_slice(extra);
        persoon(seed, "20070101", &rest)
    };
    let uitval = mbo(70, &[]);
    let herinschrijving = mbo(71, &["INS|0000000002|25PK|25PK00|MBO|25168|BBL|2|1|20260210|||J"]);
    let havo = persoon(72, "20090501", &[MB, "INS|0000000001|20AB|20AB00|HAVO||||4|20240820|||J"]);
    let lake = d.join("lake");
    assert_eq!(ingest(&lake, &[delivery(d, "C", "R0032", "20260305", 1, &[&uitval, &herinschrijving, &havo])]).rejected(), 0);
    let onr = onderwijsnummer();
    let row = |bsn: &str, onr: &str, maand: &str| format!("{bsn};{onr};1/1/07;REGIO 32;687;25PK;2;{maand};1/15/26");
    let files = [
        // January: both uitvallers, CR-only line ends
        write(
            d,
            "A04_R0032_202601.csv",
            &rapportage(UITSCHRIJVING_HEADER, &[row(&uitval.pgn, "", "202601"), row(&herinschrijving.pgn, "", "202601")], "\r"),
        ),
        // February, cumulative and the other spelling of the month column:
        // the herinschrijving gone, the havo pupil and a person the lake does not know added
        write(
            d,
            "A04_R0032_202602.csv",
            &rapportage(
                &UITSCHRIJVING_HEADER.replace("RAPPORTAGE_MAAND", "RAPPORTAGEMAAND"),
                &[row(&uitval.pgn, "", "202601"), row(&havo.pgn, "", "202602"), row("0", &onr, "202602")],
                "\r\n",
            ),
        ),
        write(d, "A02_R0032_202602.csv", &rapportage(UITSCHRIJVING_HEADER, &[row(&herinschrijving.pgn, "", "2/1/26")], "\n")),
        // the name says January, the rows December: said, stored as January
        write(
            d,
            "A01_R0032_202601.csv",
            &rapportage(UITSCHRIJVING_HEADER, &[row(&uitval.pgn, "", "12/1/25"), row(&herinschrijving.pgn, "", "12/1/25")], "\n"),
        ),
        write(
            d,
            "A05_R0032_202510.csv",
            &rapportage(
                "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEMCODE;BRIN;INDICATIE_STARTKWALIFICATIE",
                &[&uitval.pgn, &herinschrijving.pgn, &havo.pgn]
                    .iter()
                    .map(|p| format!("{p};;687;25PK;{}", if *p == &havo.pgn { "J" } else { "N" }))
                    .collect::<Vec<_>>(),
                "\n",
            ),
        ),
    ];
    let reports = verzuim::lijst::load(&lake, &ListLayout::all_builtin(), &files, &Given::default()).unwrap();
    let summary: Vec<String> = reports
        .iter()
        .map(|r| format!("{} {:?} {:?} {} {}", r.layout, r.outcome, r.maand.as_deref(), r.rows, r.bevinding.is_some()))
        .collect();
    assert_eq!(
        summary,
        [
            "A04 Ok(true) Some(\"2026-01\") 2 false",
            "A04 Ok(true) Some(\"2026-02\") 3 false",
            "A02 Ok(true) Some(\"2026-02\") 1 false",
            "A01 Ok(true) Some(\"2026-01\") 2 true",
            "A05 Ok(true) Some(\"2025-10\") 3 false"
        ]
    );
    let note = reports[3].bevinding.as_deref().unwrap();
    assert!(note.contains("2026-01") && note.contains("2 of its rows"), "{note}");

    // the A04 columns alone fit A01, A02 and A04: refused until the layout is given
    let unnamed = write(d, "workload.csv", &rapportage(UITSCHRIJVING_HEADER, &[row(&uitval.pgn, "", "202602")], "\n"));
    let r = verzuim::lijst::load(&lake, &ListLayout::all_builtin(), std::slice::from_ref(&unnamed), &Given::default()).unwrap();
    assert!(matches!(&r[0].outcome, Err(w) if w.contains("A01, A02, A04") || w.contains("alike")), "{:?}", r[0].outcome);
    let a04 = ListLayout::from_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/lijsten/a04.toml")).unwrap();
    // its rows say February; --maand overrides and the disagreement is said
    let given = Given { maand: Some("2026-03".into()), ..Default::default() };
    let r = verzuim::lijst::load(&lake, std::slice::from_ref(&a04), std::slice::from_ref(&unnamed), &given).unwrap();
    assert_eq!((r[0].outcome.clone(), r[0].maand.as_deref()), (Ok(true), Some("2026-03")));
    assert!(r[0].bevinding.as_deref().is_some_and(|b| b.contains("latest reporting month in the rows is 2026-02")), "{:?}", r[0].bevinding);

    let conn = duckdb::Connection::open(verzuim::catalog::refresh(&lake).unwrap()).unwrap();
    let rows = |sql: &str| query_rows(&conn, sql);
    assert_eq!(
        rows(
            "select rapportage, strftime(rapportagemaand, '%Y-%m'), count(*), count(*) filter (maand_afwijkend) from duo_rapportage group by all"
        ),
        ["A01|2026-01|2|2", "A02|2026-02|1|0", "A04|2026-01|2|0", "A04|2026-02|3|0", "A04|2026-03|1|0", "A05|2025-10|3|0"]
    );
    let compare = |m: &str| {
        rows(&format!("select rapportage, pgn, op_rapportage, coalesce(reden, '-') from maandrapportage_vergelijking(date '{m}')"))
    };
    let mut want = vec![
        format!("A04|{}|beide|-", uitval.pgn),
        format!("A04|{}|beide|-", herinschrijving.pgn),
        format!("A01|{}|beide|-", uitval.pgn),
        format!("A01|{}|beide|-", herinschrijving.pgn),
    ];
    want.sort();
    assert_eq!(compare("2026-01-01"), want);
    let mut want = vec![
        format!("A04|{}|beide|-", uitval.pgn),
        format!("A04|{}|alleen_duo|in onderwijs aan het eind van de maand", havo.pgn),
        format!("A04|{onr}|alleen_duo|persoon niet in de lake"),
        format!("A02|{}|beide|-", herinschrijving.pgn),
    ];
    want.sort();
    assert_eq!(compare("2026-02-15"), want);
    let mut want = vec![
        format!("A05|{}|beide|-", uitval.pgn),
        format!("A05|{}|beide|-", herinschrijving.pgn),
        format!("A05|{}|beide|startkwalificatie alleen volgens DUO", havo.pgn),
    ];
    want.sort();
    assert_eq!(compare("2025-10-01"), want);
    // a month without rapportages has no rows
    assert_eq!(rows("select count(*) from maandrapportage_vergelijking(date '2025-12-01')"), ["0"]);
}
