//! The pseudonymised analyst catalog: every figure equals the full
//! catalog's (with pgn → pseudonym), no direct identifier of the lake is in
//! it, pseudonyms stay the same across deliveries and runs, and the key is
//! private.

use std::path::Path;

use crate::common::{ingest, query_rows, read_only, sample_deliveries};
use duckdb::Connection;
use verzuim::catalog::analyse::{AnalyseOptions, Sleutel, analyse};

fn options(lake: &Path, sleutel: &Path) -> AnalyseOptions {
    AnalyseOptions {
        lake: lake.to_path_buf(),
        out: None,
        sleutel: sleutel.to_path_buf(),
        peildata: vec![],
        teljaren: vec![],
        schooljaren: vec![],
    }
}

/// A figure from both catalogs as rows over the same columns: the full
/// catalog's with each pgn replaced by its pseudonym (computed here with the
/// key) and persoon_nr left out; the analyst catalog's as it answers.
fn both(full: &Connection, ana: &Connection, sleutel: &Sleutel, call: &str) -> (Vec<String>, Vec<String>) {
    let columns: Vec<String> = query_rows(full, &format!("select column_name from (describe select * from {call})"))
        .into_iter()
        .filter(|c| c != "persoon_nr")
        .collect();
    let quoted = |cols: &[String]| cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let pgn_at = columns.iter().position(|c| c == "pgn");
    let mut expected: Vec<String> = query_rows(full, &format!("select {} from {call}", quoted(&columns)))
        .into_iter()
        .map(|r| {
            let mut fields: Vec<String> = r.split('|').map(String::from).collect();
            if let Some(i) = pgn_at {
                fields[i] = sleutel.pseudoniem(&fields[i]);
            }
            fields.join("|")
        })
        .collect();
    expected.sort();
    let renamed: Vec<String> = columns.iter().map(|c| if c == "pgn" { "pseudoniem".to_string() } else { c.clone() }).collect();
    let got = query_rows(ana, &format!("select {} from {call}", quoted(&renamed)));
    (expected, got)
}

#[test]
fn the_analyst_catalog_gives_the_full_catalogs_figures_without_identities() {
    let lake = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("verzuim").join("pseudoniem.key");
    let files = sample_deliveries();
    assert_eq!(ingest(lake.path(), &files[..files.len() - 2]).rejected(), 0);
    verzuim::catalog::refresh(lake.path()).unwrap();

    let r = analyse(&options(lake.path(), &key_file)).unwrap();
    assert!(r.sleutel_aangemaakt);
    // defaults: every 1st of the month the lake covers and its last peildatum
    assert!(r.peildata.len() >= 12, "{:?}", r.peildata);
    assert_eq!(r.teljaren, vec![2024, 2025], "from the year before the first peildatum, while 1 October of the next year has passed");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(&r.path).unwrap().permissions().mode() & 0o777, 0o600);
    let (sleutel, nieuw) = Sleutel::open_or_create(&key_file, lake.path()).unwrap();
    assert!(!nieuw);

    // every figure and argument: the same rows
    let full = read_only(&lake.path().join("verzuim.duckdb"));
    let ana = read_only(&r.path);
    let mut calls: Vec<String> = Vec::new();
    for d in &r.peildata {
        for f in ["leerplichttelling", "absoluut_verzuim_signalen", "oud_vsv"] {
            calls.push(format!("{f}(date '{d}')"));
        }
    }
    for t in &r.teljaren {
        calls.push(format!("vsv({t})"));
        calls.push(format!("vsv_verschillen({t})"));
    }
    for s in &r.schooljaren {
        calls.push(format!("vrijstellingen({s})"));
    }
    calls.push("verdwenen_zonder_mutatie".into());
    let mut non_empty = 0;
    for call in &calls {
        let (expected, got) = both(&full, &ana, &sleutel, call);
        assert_eq!(got, expected, "{call}");
        non_empty += usize::from(!expected.is_empty());
    }
    assert!(non_empty >= calls.len() / 2, "most figures hold rows ({non_empty} of {})", calls.len());

    // a figure on a day that was not computed is an error, not an empty answer
    let err = ana.prepare("select * from leerplichttelling(date '2026-10-02')").and_then(|mut s| s.query_arrow([]).map(|_| ()));
    assert!(err.is_err_and(|e| e.to_string().contains("analyse_argument")));

    // no direct identifier of the lake anywhere in the analyst catalog
    let mut secrets: Vec<String> = Vec::new();
    for (col, table) in [
        ("pgn", "persoon"),
        ("bsn", "persoon"),
        ("onderwijsnummer", "persoon"),
        ("achternaam", "persoon"),
        ("voornamen", "persoon"),
        ("postcode", "verblijf"),
    ] {
        secrets.extend(query_rows(&full, &format!("select distinct {col} from {table} where {col} is not null")));
    }
    assert!(secrets.len() > 1000);
    let secrets: std::collections::HashSet<String> = secrets.into_iter().collect();
    let tables = query_rows(&ana, "select table_name from information_schema.tables where table_type = 'BASE TABLE'");
    assert!(tables.contains(&"persoon".to_string()) && tables.contains(&"figuur_absoluut_verzuim_signalen".to_string()));
    let mut cells = 0;
    for table in &tables {
        let columns = query_rows(&ana, &format!("select column_name from information_schema.columns where table_name = '{table}'"));
        for c in &columns {
            assert!(
                ![
                    "pgn",
                    "bsn",
                    "onderwijsnummer",
                    "achternaam",
                    "voorvoegsel",
                    "voornamen",
                    "postcode",
                    "huisnummer",
                    "woonplaats",
                    "geboortedatum"
                ]
                .contains(&c.as_str()),
                "{table}.{c}"
            );
            for v in query_rows(&ana, &format!("select distinct cast(\"{c}\" as varchar) from {table}")) {
                cells += 1;
                assert!(!secrets.contains(&v), "{table}.{c} holds a value of the lake's identities");
            }
        }
    }
    assert!(cells > 1000);
    // birth dates: year and month only, and no residence that began at birth
    // gives the day back
    assert!(query_rows(&ana, "select distinct geboortemaand from persoon").iter().all(|m| m.len() == 7 && &m[4..5] == "-"));
    let geboren: std::collections::HashMap<String, String> =
        query_rows(&full, "select pgn || '|' || geboortedatum from beeld_persoon_alles")
            .into_iter()
            .map(|r| {
                let (pgn, d) = r.split_once('|').unwrap();
                (sleutel.pseudoniem(pgn), d.to_string())
            })
            .collect();
    let verblijven = query_rows(&ana, "select pseudoniem || '|' || datum_aanvang from verblijf where datum_aanvang is not null");
    assert!(!verblijven.is_empty());
    for r in &verblijven {
        let (p, d) = r.split_once('|').unwrap();
        // (a birth on the 1st is indistinguishable: every such beginning is a 1st)
        let born = geboren.get(p).filter(|b| !b.ends_with("-01"));
        assert_ne!(born, Some(&d.to_string()), "a residence beginning on the day of birth");
    }

    // the same person keeps the pseudonym after new deliveries and a new run
    let before = query_rows(&ana, "select pseudoniem || ' ' || geboortemaand from persoon");
    drop(ana);
    assert_eq!(ingest(lake.path(), &files[files.len() - 2..]).rejected(), 0);
    verzuim::catalog::refresh(lake.path()).unwrap();
    let r2 = analyse(&options(lake.path(), &key_file)).unwrap();
    assert!(!r2.sleutel_aangemaakt);
    let after = query_rows(&read_only(&r2.path), "select pseudoniem || ' ' || geboortemaand from persoon");
    let kept = before.iter().filter(|p| after.binary_search(p).is_ok()).count();
    assert_eq!(kept, before.len(), "every person still there with the same pseudonym");
}

#[test]
fn the_key_stays_private_and_outside_the_lake() {
    let lake = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    // inside the lake: refused
    let inside = lake.path().join("keys").join("k.key");
    let e = Sleutel::open_or_create(&inside, lake.path()).err().unwrap().to_string();
    assert!(e.contains("inside the lake"), "{e}");
    assert!(!inside.parent().unwrap().exists(), "nothing made inside the lake");
    // readable by others: refused
    let key = keys.path().join("k.key");
    let (a, made) = Sleutel::open_or_create(&key, lake.path()).unwrap();
    assert!(made);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = Sleutel::open_or_create(&key, lake.path()).err().unwrap().to_string();
    assert!(e.contains("may be read by others"), "{e}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (b, _) = Sleutel::open_or_create(&key, lake.path()).unwrap();
    assert_eq!(a.pseudoniem("123456782"), b.pseudoniem("123456782"));
    // another key, other pseudonyms
    let (c, _) = Sleutel::open_or_create(&keys.path().join("other.key"), lake.path()).unwrap();
    assert_ne!(a.pseudoniem("123456782"), c.pseudoniem("123456782"));
    // the key never shows in what the analyst sees
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(!a.pseudoniem("123456782").contains(text.trim()));
}
