//! Reference data from DUO's real open-data files.

use std::path::{Path, PathBuf};

use crate::common::*;
use verzuim::reference::{RefLayout, RefLoader, RefReport, RefStatus, shipped_regio};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/reference").join(name)
}

fn load(lake: &Path, files: &[PathBuf], vanaf: Option<&str>) -> Vec<RefReport> {
    let vanaf = vanaf.map(|d| verzuim::layout::DateFormat::parse_pattern("JJJJ-MM-DD").unwrap().parse_days(d).unwrap());
    RefLoader::new(lake, RefLayout::all_builtin()).unwrap().load(files, vanaf).unwrap()
}

fn sql(lake: &Path, q: &str) -> Vec<String> {
    let path = verzuim::catalog::refresh(lake).unwrap();
    query_rows(&duckdb::Connection::open(path).unwrap(), q)
}

#[test]
fn the_real_files_load_with_their_row_counts_and_names() {
    let lake = tempfile::tempdir().unwrap();
    let reports = load(
        lake.path(),
        &[
            fixture("01.-hoofdvestigingen-vo-2016.csv"),
            fixture("02.-alle-schoolvestigingen-basisonderwijs-2026.csv"),
            fixture("BASISGEGEVENS_INSTELLINGEN_20250113.zip"),
            fixture("opleidingen-clean-DERIVED.csv"),
        ],
        None,
    );
    let got: Vec<(String, String, usize)> = reports
        .iter()
        .map(|r| {
            assert_eq!(r.status, RefStatus::Loaded, "{}", r.name);
            (r.name.rsplit(['/', '!']).next().unwrap().to_string(), r.table.clone().unwrap(), r.rows)
        })
        .collect();
    let expect = |n: &str, t: &str, rows: usize| (n.to_string(), t.to_string(), rows);
    assert_eq!(
        got,
        vec![
            expect("01.-hoofdvestigingen-vo-2016.csv", "vestiging", 651),
            expect("02.-alle-schoolvestigingen-basisonderwijs-2026.csv", "vestiging", 6107),
            expect("ORGANISATIES_20250113.csv", "instelling", 3),
            expect("RELATIES_20250113.csv", "instelling_relatie", 1),
            expect("OVERGANGEN_20250113.csv", "instelling_overgang", 8785),
            expect("opleidingen-clean-DERIVED.csv", "opleiding", 21333),
        ]
    );
    let l = lake.path();
    // Windows-1252 decoded (â as in Fryslân, é, ’; the samples hold no ä); quoted values unquoted
    assert_eq!(sql(l, "select naam from vestiging where naam like '%Wr_ldwizer'"), vec!["Christelijke Basisschool Wrâldwizer"]);
    assert_eq!(sql(l, "select naam from vestiging where naam like 'CNS-basisschool Cavalj%'"), vec!["CNS-basisschool Cavaljé"]);
    assert_eq!(sql(l, "select naam from vestiging where naam like 'Dalton Kindcentrum % Kompas'"), vec!["Dalton Kindcentrum ’t Kompas"]);
    assert_eq!(sql(l, "select naam from vestiging where instellingscode = '19EO'"), vec!["VMBO \"De Jutter\" Vlieland"]);
    // 643 cells of INTERNETADRES in the 2026 file hold a single space: NULL, not " "
    assert_eq!(sql(l, "select count(*) from vestiging where bestand like '02.%' and internetadres is null"), vec!["643"]);
    assert_eq!(sql(l, "select count(*) from vestiging where internetadres = ' ' or internetadres = ''"), vec!["0"]);
    // Basisgegevens: quoted text with escaped quotes, unquoted d-m-jjjj dates, history kept
    assert_eq!(
        sql(
            l,
            "select code_stand_record, dt_begin_record, coalesce(cast(dt_einde_record as varchar), '-'), naam from instelling where instellingscode = '20AB'"
        ),
        vec![
            "A|2024-08-01|-|Scholengemeenschap Het Walcheren – Middelburg",
            "H|2010-08-01|2024-07-31|Scholengemeenschap \"Het Walcheren\"",
        ]
    );
    assert_eq!(
        sql(
            l,
            "select count(*) filter (where datum_overgang = date '2005-08-01'), count(*) filter (where volledig) from instelling_overgang"
        ),
        vec!["304|4335"]
    );
    assert_eq!(
        sql(l, "select naam, niveau, begindatum from opleiding where opleidingscode = '0001' and onderwijssector = 'MBO'"),
        vec!["Timmerkracht|B|1984-08-01"]
    );
    // the same content again is not loaded twice
    let again = load(l, &[fixture("01.-hoofdvestigingen-vo-2016.csv")], None);
    assert_eq!(again[0].status, RefStatus::AlreadyPresent);
    assert_eq!(sql(l, "select count(*) from vestiging"), vec!["6758"]);
}

#[test]
fn the_2026_address_file_implies_exactly_the_shipped_regio_table() {
    let lake = tempfile::tempdir().unwrap();
    let r = load(lake.path(), &[fixture("02.-alle-schoolvestigingen-basisonderwijs-2026.csv")], None);
    let regio = r[0].regio.as_ref().unwrap();
    assert_eq!(regio.derived, shipped_regio());
    assert_eq!(regio.derived.len(), 342);
    assert!(regio.differences.is_empty() && regio.conflicts.is_empty() && regio.absent == 0);
}

#[test]
fn the_2016_file_shows_the_split_of_region_14_and_can_be_adopted_with_a_date() {
    let lake = tempfile::tempdir().unwrap();
    let r = load(lake.path(), &[fixture("01.-hoofdvestigingen-vo-2016.csv")], Some("2027-01-01"));
    let regio = r[0].regio.as_ref().unwrap();
    for line in ["0202 ARNHEM: regio 41 Arnhem → 14 Arnhem/Nijmegen", "0268 NIJMEGEN: regio 40 Rijk van Nijmegen → 14 Arnhem/Nijmegen"]
    {
        assert!(regio.differences.iter().any(|d| d == line), "{line} in {:#?}", regio.differences);
    }
    assert!(regio.absent > 100, "a VO file does not list every gemeente");
    assert_eq!(r[0].adopted_from.as_deref(), Some("2027-01-01"));
    let l = lake.path();
    // the shipped table holds until the day before, the adopted one from then on
    assert_eq!(sql(l, "select regiocode from regio_op(date '2026-12-31') where gemeentecode = '0202'"), vec!["41"]);
    assert_eq!(sql(l, "select regiocode from regio_op(date '2027-01-01') where gemeentecode = '0202'"), vec!["14"]);
    // gemeenten the file does not mention keep their regio
    assert_eq!(sql(l, "select regiocode from regio_op(date '2027-06-01') where gemeentecode = '0687'"), vec!["32"]);
    assert_eq!(
        sql(l, "select count(*) from regio_op(date '2027-06-01')"),
        vec![
            sql(l, "select count(*) from regio_op(date '2026-06-01')")[0]
                .parse::<i64>()
                .map(|n| (n + regio.differences.iter().filter(|d| d.contains(": new,")).count() as i64).to_string())
                .unwrap()
        ]
    );
    assert_eq!(sql(l, "select distinct cast(geldig_tot as varchar) from regio_indeling where geldig_vanaf is null"), vec!["2026-12-31"]);
    // a later load compares with the adopted table
    let again = load(l, &[fixture("02.-alle-schoolvestigingen-basisonderwijs-2026.csv")], None);
    assert!(again[0].regio.as_ref().unwrap().differences.iter().any(|d| d == "0202 ARNHEM: regio 14 Arnhem/Nijmegen → 41 Arnhem"));
}

#[test]
fn a_header_no_layout_knows_is_refused_with_found_and_expected_columns() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("adressen.csv");
    let text = std::fs::read(fixture("02.-alle-schoolvestigingen-basisonderwijs-2026.csv")).unwrap();
    let renamed = String::from_utf8_lossy(&text[..200]).replacen("GEMEENTENUMMER", "GEMEENTECODE", 1);
    std::fs::write(&p, [renamed.as_bytes(), &text[200..]].concat()).unwrap();
    let lake = tempfile::tempdir().unwrap();
    let r = load(lake.path(), std::slice::from_ref(&p), None);
    let RefStatus::Rejected(why) = &r[0].status else { panic!("{:?}", r[0].status) };
    assert!(why.contains("Columns found: PROVINCIE, BEVOEGD GEZAG NUMMER, INSTELLINGSCODE"), "{why}");
    assert!(why.contains("Closest layout DUO-adressen-2026") && why.contains("misses GEMEENTENUMMER"), "{why}");

    // … and the renamed column is an edit of the layout file
    let layout_text = std::fs::read_to_string(repo().join("pipelines/reference/duo-adressen-2026.toml")).unwrap();
    let edited = RefLayout::from_toml(&layout_text.replace("header = \"GEMEENTENUMMER\"", "header = \"GEMEENTECODE\""), "test").unwrap();
    let r = RefLoader::new(lake.path(), vec![edited]).unwrap().load(&[p], None).unwrap();
    assert_eq!((r[0].status.clone(), r[0].rows), (RefStatus::Loaded, 6107));
    assert_eq!(r[0].regio.as_ref().unwrap().derived, shipped_regio());
}

#[test]
fn schools_get_names_and_unknown_instellingen_become_findings() {
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[repo().join("tests/fixtures/handmade")]);
    assert_eq!(s.rejected(), 0);
    let l = lake.path();
    // before any reference data nothing is flagged: every school would be unknown
    assert_eq!(sql(l, "select count(*) from bevinding where code = 'ONBEKENDE_INSTELLING'"), vec!["0"]);
    load(l, &[fixture("BASISGEGEVENS_INSTELLINGEN_20250113.zip")], None);
    assert_eq!(
        sql(l, "select distinct i.instellingscode, s.naam, s.soort from inschrijving i join school s using (instellingscode)"),
        vec![
            "20AB|Scholengemeenschap Het Walcheren – Middelburg|Voortgezet onderwijs",
            "25PK|Scalda Zeeland|Beroepsonderwijs en volwassenene"
        ]
    );
    assert_eq!(
        sql(l, "select distinct split_part(melding, ' ', 2) from bevinding where code = 'ONBEKENDE_INSTELLING'"),
        vec!["05XY", "06QR", "21HO"]
    );
}
