//! The BRP beside DUO (issue 24): extracts loaded whole or refused with
//! line and column, once, a later one superseding; an extract in another
//! spelling loaded through the drafted layout; and the comparison, the
//! signals and the yearly Leerplichttelling on hand-built cases.

use std::path::{Path, PathBuf};

use crate::common::*;
use crate::figures::{MB, bsn, delivery, persoon};
use verzuim::brp::{BrpLayout, BrpStatus, Given};

const HEADER: &str = "BURGERSERVICENUMMER;GEBOORTEDATUM;GESLACHTSNAAM;DATUM AANVANG ADRESHOUDING";

/// An extract file in the shipped spelling: (bsn, geboortedatum) rows.
fn extract(dir: &Path, name: &str, rows: &[(&str, &str)]) -> PathBuf {
    let mut text = format!("{HEADER}\r\n");
    for (bsn, geboren) in rows {
        text.push_str(&format!("{bsn};{geboren};Achternaam;20200101\r\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn load(lake: &Path, paths: &[PathBuf], given: &Given) -> Vec<verzuim::brp::BrpReport> {
    verzuim::brp::load(lake, &BrpLayout::builtin(), paths, given).unwrap()
}

/// The extracts stored, and nothing left in staging.
fn brp_files(lake: &Path) -> usize {
    let staged = std::fs::read_dir(lake.join("_staging")).map_or(0, |d| d.count());
    assert_eq!(staged, 0, "something left in staging");
    let Ok(gemeenten) = std::fs::read_dir(lake.join("brp")) else { return 0 };
    gemeenten.flatten().map(|g| std::fs::read_dir(g.path()).unwrap().count()).sum()
}

/// Every way a row refuses an extract, one line per case: the line and
/// column named, the number masked, nothing of it in the lake.
#[test]
fn bad_extracts_are_refused_whole_with_line_and_column() {
    let (a, b, c) = (bsn(1), bsn(2), bsn(3));
    let bad = format!("{}{}", &a[..8], (a.as_bytes()[8] - b'0' + 1) % 10);
    // (what, rows as (bsn, geboortedatum), the message wanted)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, String);
    let cases: &[Case] = &[
        (
            "11-proef",
            vec![(&a, "20120301"), (&bad, "20120301")],
            format!("line 3, column BURGERSERVICENUMMER: *****{} fails the 11-proef", &bad[5..]),
        ),
        ("no birth date", vec![(&a, "20120301"), (&b, ""), (&c, "20120301")], "line 3, column GEBOORTEDATUM".into()),
        ("unreadable birth date", vec![(&a, "2012-03-01")], "line 2, column GEBOORTEDATUM".into()),
        (
            "a BSN twice",
            vec![(&a, "20120301"), (&b, "20120301"), (&a, "20120301")],
            format!("line 4, column BURGERSERVICENUMMER: BSN *****{} stands on line 2 too", &a[5..]),
        ),
        ("no resident", vec![], "holds no resident".into()),
    ];
    for (what, rows, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let lake = dir.path().join("lake");
        let file = extract(dir.path(), "0687_20261001.csv", rows);
        let reports = load(&lake, &[file], &Given::default());
        let BrpStatus::Rejected(why) = &reports[0].status else { panic!("{what}: loaded") };
        assert!(why.contains(want.as_str()), "{what}: {why}");
        for (number, _) in rows {
            assert!(!why.contains(number), "{what}: a number in the message: {why}");
        }
        assert_eq!(brp_files(&lake), 0, "{what}: something was written");
    }
}

/// The gemeente and date come from the flags, then a column, then the file
/// name; a file that says neither is refused naming both; flag and column
/// disagreeing is refused.
#[test]
fn the_gemeente_and_date_come_from_flags_a_column_or_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    let rows = [(bsn(1).as_str(), "20120301")].map(|(b, d)| (b.to_string(), d));
    let rows: Vec<(&str, &str)> = rows.iter().map(|(b, d)| (b.as_str(), *d)).collect();
    let nameless = extract(dir.path(), "bevolking.csv", &rows);
    let r = load(&lake, std::slice::from_ref(&nameless), &Given::default());
    let BrpStatus::Rejected(why) = &r[0].status else { panic!("loaded") };
    assert!(why.contains("its gemeente (--gemeente) nor its date (--peildatum)"), "{why}");
    let given = Given {
        gemeente: Some("0687".into()),
        peildatum: Some(verzuim::layout::days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())),
    };
    let r = load(&lake, &[nameless], &given);
    assert_eq!((r[0].status.clone(), r[0].gemeentecode.as_deref()), (BrpStatus::Loaded, Some("0687")));
    let other = bsn(2);
    let named = extract(dir.path(), "brp-0718-20261001.csv", &[(other.as_str(), "20120301")]);
    let r = load(&lake, &[named], &Given::default());
    assert_eq!((r[0].status.clone(), r[0].gemeentecode.as_deref()), (BrpStatus::Loaded, Some("0718")));
    // a column that gives the gemeente, against a flag that says another
    let with_column = dir.path().join("kolom.csv");
    std::fs::write(&with_column, format!("BURGERSERVICENUMMER;GEBOORTEDATUM;GEMEENTE VAN INSCHRIJVING\r\n{};20120301;363\r\n", bsn(1)))
        .unwrap();
    let given = Given { gemeente: Some("0687".into()), peildatum: given.peildatum };
    let r = load(&lake, &[with_column], &given);
    let BrpStatus::Rejected(why) = &r[0].status else { panic!("loaded") };
    assert!(why.contains("--gemeente 0687, but the rows say gemeente 0363"), "{why}");
}

/// An extract in another column spelling (`,`, DD-MM-JJJJ, other headers,
/// a column the comparison does not need) loads through the layout
/// `inspect --brp --draft` writes for it, unedited, to the same residents.
#[test]
fn an_extract_in_another_spelling_loads_through_the_drafted_layout() {
    let shipped = std::fs::read_dir(repo().join("data-samples/brp")).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&shipped).unwrap();
    let mut other = String::from(
        "Burgerservicenummer,Geb. datum,Geslacht,Voornaam,Tussenvoegsel,Achternaam,Postcode,Huisnr,Toevoeging,Datum vestiging,Datum overlijden,Nationaliteit\n",
    );
    // D-M-JJJJ; the BRP's unknown day (`00`) as the first, which is how it is read
    let dmy = |d: &str| match d.len() {
        8 => format!("{}-{}-{}", if &d[6..] == "00" { "01" } else { &d[6..] }, &d[4..6], &d[..4]),
        _ => d.to_string(),
    };
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let quoted = |s: &str| format!("\"{s}\"");
        other.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},NL\n",
            f[0],
            dmy(f[1]),
            f[2],
            quoted(f[3]),
            f[4],
            quoted(f[5]),
            f[6],
            f[7],
            f[8],
            dmy(f[9]),
            f[10]
        ));
    }
    let draft = verzuim::inspect::draft_brp_layout(&other, "0687_20260407.csv").unwrap();
    assert!(draft.contains("Left unread (not needed for the comparison): Nationaliteit"), "{draft}");
    let layout = BrpLayout::from_toml(&draft, "draft").unwrap_or_else(|e| panic!("{e}\n{draft}"));
    let given = Given::default();
    let theirs = verzuim::brp::read_extract(&layout, &other, "0687_20260407.csv", &given, "x").unwrap_or_else(|p| panic!("{p}\n{draft}"));
    let ours = verzuim::brp::read_extract(&BrpLayout::builtin(), &text, "0687_20260407.csv", &given, "x").unwrap();
    assert_eq!((theirs.gemeentecode.as_str(), theirs.peildatum), (ours.gemeentecode.as_str(), ours.peildatum));
    let columns = |b: &arrow::record_batch::RecordBatch| -> Vec<String> {
        ["bsn", "geboortedatum", "achternaam", "voornamen", "datum_vestiging"]
            .iter()
            .map(|c| arrow::util::display::array_value_to_string(b.column_by_name(c).unwrap(), 0).unwrap())
            .chain(std::iter::once(b.num_rows().to_string()))
            .collect()
    };
    assert_eq!(columns(&theirs.batch), columns(&ours.batch));
    // and a header the vocabulary does not know is said, not guessed
    let why = verzuim::inspect::draft_brp_layout("Nummer;Geboren\n123456782;20120301\n", "x.csv").unwrap_err();
    assert!(why.contains("no column for bsn and geboortedatum"), "{why}");
}

/// The hand-built cases of the comparison (domain rules, "The BRP beside
/// DUO"), the signals, the yearly count and its denominator, a later
/// extract superseding an earlier one, and loading exactly once.
#[test]
fn the_brp_beside_duo_on_hand_built_cases() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vli = "VBL|0718|4381AB|1||VLISSINGEN|6030|20240901|";
    let mb_tot_aug = "VBL|0687|4331AB|1||MIDDELBURG|6030|20000101|20240831";
    let ingeschreven = persoon(60, "20120301", &[MB, "INS|0000000001|20AB|20AB00|VMBO||TL||1|20230820|||J"]);
    let niet_ingeschreven = persoon(61, "20120301", &[MB]);
    let verhuisd = persoon(62, "20120301", &[mb_tot_aug, vli, "INS|0000000001|30CD|30CD00|VMBO||TL||1|20230820|||J"]);
    let niet_in_brp = persoon(63, "20120301", &[MB, "INS|0000000001|20AB|20AB00|VMBO||TL||1|20230820|||J"]);
    let all = [&ingeschreven, &niet_ingeschreven, &verhuisd, &niet_in_brp];
    let (nieuw, onb, vertrokken, kleuter) = (bsn(70), bsn(71), bsn(72), bsn(73));
    let mut a = delivery(d, "A", "G0687", "20241101", 1, &[]);
    // the A answer: NGV for the number DUO does not know
    let a_text = std::fs::read_to_string(&a).unwrap().replace("SLR|0|2", &format!("NGV|{onb}|ONB\r\nSLR|0|3"));
    std::fs::write(&a, a_text).unwrap();
    a = a.clone();
    let files = [delivery(d, "C", "R0032", "20240801", 1, &all), a, delivery(d, "P", "R0032", "20250804", 2, &[&ingeschreven])];
    let lake = d.join("lake");
    let s = ingest(&lake, &files);
    assert_eq!(s.rejected(), 0, "{:#?}", s.files);
    let oktober = extract(
        d,
        "0687_20241001.csv",
        &[
            (&ingeschreven.pgn, "20120301"),
            (&niet_ingeschreven.pgn, "20120301"),
            (&verhuisd.pgn, "20120301"),
            (&nieuw, "20140500"),
            (&onb, "20130101"),
            (&vertrokken, "20130101"),
            (&kleuter, "20200615"),
            (&bsn(74), "19900101"),
        ],
    );
    let maart = extract(
        d,
        "0687_20250301.csv",
        &[
            (&ingeschreven.pgn, "20120301"),
            (&niet_ingeschreven.pgn, "20120301"),
            (&nieuw, "20140501"),
            (&onb, "20130101"),
            (&kleuter, "20200615"),
        ],
    );
    let r = load(&lake, &[oktober.clone(), maart], &Given::default());
    assert!(r.iter().all(|r| r.status == BrpStatus::Loaded), "{r:#?}");
    // exactly once: the same extract again is already present, under another name too
    std::fs::copy(&oktober, d.join("kopie_0687_20241001.csv")).unwrap();
    let r = load(&lake, &[oktober, d.join("kopie_0687_20241001.csv")], &Given::default());
    assert!(r.iter().all(|r| r.status == BrpStatus::AlreadyPresent), "{r:#?}");
    assert_eq!(brp_files(&lake), 2);
    let conn = duckdb::Connection::open(verzuim::catalog::refresh(&lake).unwrap()).unwrap();
    let rows = |sql: &str| query_rows(&conn, sql);

    // the earlier extract is in force until the day before the later one
    assert_eq!(
        rows("select peildatum, geldig_tot, personen from brp_extract order by peildatum"),
        ["2024-10-01|2025-02-28|8", "2025-03-01|∅|5"]
    );
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        rows("select bsn, coalesce(pgn, '-'), gemeentecode, categorie from brp_vergelijking(date '2024-10-01') order by bsn"),
        sorted(vec![
            format!("{nieuw}|-|0687|NIET_BIJ_DUO"),
            format!("{vertrokken}|-|0687|NIET_BIJ_DUO"),
            format!("{}|{}|0687|NIET_INGESCHREVEN", niet_ingeschreven.pgn, niet_ingeschreven.pgn),
            format!("{}|{}|0687|NIET_IN_BRP", niet_in_brp.pgn, niet_in_brp.pgn),
            format!("{onb}|-|0687|ONBEKEND_BIJ_DUO"),
            format!("{}|{}|0687|WOONT_ELDERS_VOLGENS_DUO", verhuisd.pgn, verhuisd.pgn),
        ])
    );
    // known on 1 October, the ONB answer (1 November) was not there yet
    assert_eq!(
        rows(&format!("select categorie from brp_vergelijking(date '2024-10-01', bekend_op := date '2024-10-15') where bsn = '{onb}'")),
        ["NIET_BIJ_DUO"]
    );
    // signals: the children DUO does not know, leerplichtig by age, from the extract date
    let brp_signals = |d: &str| {
        rows(&format!(
            "select pgn, categorie, sinds from absoluut_verzuim_signalen(date '{d}') where categorie like '%BIJ_DUO' order by pgn"
        ))
    };
    assert_eq!(
        brp_signals("2024-12-01"),
        [
            format!("{nieuw}|NIET_BIJ_DUO|2024-10-01"),
            format!("{onb}|ONBEKEND_BIJ_DUO|2024-10-01"),
            format!("{vertrokken}|NIET_BIJ_DUO|2024-10-01")
        ]
    );
    // after the March extract the one who left is gone; the four-year-old
    // becomes leerplichtig on the first of the month after turning 5
    assert_eq!(brp_signals("2025-04-01"), [format!("{nieuw}|NIET_BIJ_DUO|2025-03-01"), format!("{onb}|ONBEKEND_BIJ_DUO|2025-03-01")]);
    assert!(brp_signals("2025-07-15").contains(&format!("{kleuter}|NIET_BIJ_DUO|2025-07-01")));
    // the yearly count: those the last extract holds, from their first day
    assert_eq!(
        rows(
            "select pgn, gemeentecode, onderwijssoort, eerste_dag, laatste_dag from absoluut_verzuim_schooljaar(2024) where herkomst = 'brp' order by pgn"
        ),
        [
            format!("{nieuw}|0687|geen onderwijs|2024-10-01|2025-07-31"),
            format!("{onb}|0687|geen onderwijs|2024-10-01|2025-07-31"),
            format!("{kleuter}|0687|geen onderwijs|2025-07-01|2025-07-31"),
        ]
    );
    // the denominator: the BRP's residents aged 5-17 on 1 October where an extract is in force
    assert_eq!(
        rows(
            "select gemeentecode, noemer, inwoners_5_17 from leerplichttelling_schooljaar(2024) where gemeentecode in ('0687', '0718') order by 1"
        ),
        ["0687|brp|6", "0718|personen in de lake|1"]
    );
}

/// The bewaartermijn removes an extract by its date, like a delivery, and
/// the catalog no longer shows it.
#[test]
fn purge_removes_extracts_older_than_the_bewaartermijn() {
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    assert_eq!(ingest(&lake, &[crate::figures::delivery(dir.path(), "C", "G0687", "20260101", 1, &[])]).rejected(), 0);
    let (a, b) = (bsn(1), bsn(2));
    let old = extract(dir.path(), "0687_20190101.csv", &[(&a, "20120301")]);
    let new = extract(dir.path(), "0687_20260101.csv", &[(&b, "20120301")]);
    assert!(load(&lake, &[old, new], &Given::default()).iter().all(|r| r.status == BrpStatus::Loaded));
    let report = verzuim::purge::purge(&verzuim::purge::Options {
        lake: lake.clone(),
        bewaartermijn_dagen: 5 * 365,
        vandaag: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        dry_run: false,
        bewaarmappen: vec![],
        analysecatalogi: vec![],
    })
    .unwrap();
    assert_eq!(report.brp_extracten, 1);
    assert_eq!(brp_files(&lake), 1);
    let conn = read_only(&verzuim::catalog::catalog_path(&lake));
    assert_eq!(query_rows(&conn, "select bsn from brp_persoon_alles"), [b]);
}
