//! The leerplichtambtenaar's weekly worklist, per gemeente: the signals of
//! potentieel absoluut verzuim that are new since the previous P-levering,
//! those solved since, and those still open with their age. Per-person
//! data: written only into the restricted `werklijsten/` folder, owner-only.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use duckdb::Connection;

use super::figuren::{iso, kol, rijen};
use super::tabel::{Kolom, Soort, Tabel, Waarde};
use super::xlsx::{self, Toelichting};
use crate::error::Result;

/// Writes one worklist per covered gemeente of `regio` into `dir`; returns the files.
pub fn schrijf(conn: &Connection, regio: &str, datum: NaiveDate, dir: &Path) -> Result<Vec<PathBuf>> {
    let d = iso(datum);
    let vorige: Option<NaiveDate> = {
        let t = rijen(
            conn,
            &format!("select max(peildatum) from levering_volgorde where soort = 'P' and peildatum < {d}"),
            &[kol("p", "p", Soort::Datum)],
        )?;
        match t.first().and_then(|r| r.first()) {
            Some(Waarde::Datum(p)) => Some(*p),
            _ => None,
        }
    };
    let gemeenten = rijen(
        conn,
        &format!(
            "select g.gemeentecode, r.gemeentenaam from gedekte_gemeenten({d}) g join regio_op({d}) r using (gemeentecode) \
             where r.regiocode = '{regio}' order by 1"
        ),
        &[kol("g", "g", Soort::Tekst), kol("n", "n", Soort::Tekst)],
    )?;
    let persoon = vec![
        kol("pgn", "BSN / onderwijsnummer", Soort::Tekst),
        kol("naam", "Naam", Soort::Tekst),
        kol("geboortedatum", "Geboortedatum", Soort::Datum),
        kol("categorie", "Categorie", Soort::Tekst),
        kol("sinds", "Sinds", Soort::Datum),
    ];
    let mut open_kolommen = persoon.clone();
    open_kolommen.push(kol("dagen", "Dagen open", Soort::Aantal));
    let mut met_gemeente = persoon.clone();
    met_gemeente.push(kol("gemeentecode", "Gemeentecode", Soort::Tekst));
    // The regio's signals now and on the previous P-levering as known then:
    // two queries for the whole regio, split per gemeente below.
    let signalen = |datum: &str, bekend_op: &str| -> Result<Vec<Vec<Waarde>>> {
        rijen(
            conn,
            &format!(
                "select s.pgn, concat_ws(' ', p.voornamen, p.voorvoegsel, p.achternaam), p.geboortedatum, s.categorie, s.sinds, s.gemeentecode \
                 from absoluut_verzuim_signalen({datum}{bekend_op}) s join beeld_persoon({}) p using (pgn) \
                 join regio_op({datum}) r using (gemeentecode) where r.regiocode = '{regio}' order by s.sinds, 2",
                bekend_op.trim_start_matches(", ")
            ),
            &met_gemeente,
        )
    };
    let nu = signalen(&d, "")?;
    let toen = match vorige {
        Some(p) => signalen(&iso(p), &format!(", bekend_op := {}", iso(p)))?,
        None => Vec::new(),
    };
    let tekst = |w: &Waarde| super::figuren_tekst(w);
    let sinds_vorige = vorige.map(|p| p.format("%d-%m-%Y").to_string()).unwrap_or_else(|| "(geen eerdere P-levering)".into());
    let mut files = Vec::new();
    for g in gemeenten {
        let (code, naam) = (tekst(&g[0]), tekst(&g[1]));
        let hier =
            |rs: &[Vec<Waarde>]| -> Vec<Vec<Waarde>> { rs.iter().filter(|r| tekst(&r[5]) == code).map(|r| r[..5].to_vec()).collect() };
        let (nu_g, toen_g) = (hier(&nu), hier(&toen));
        let in_lijst = |rs: &[Vec<Waarde>], pgn: &Waarde| rs.iter().any(|r| r[0] == *pgn);
        let tabel = |naam: &str, titel: &str, uitleg: String, kolommen: &[Kolom], rijen: Vec<Vec<Waarde>>| Tabel {
            naam: naam.into(),
            titel: titel.into(),
            uitleg,
            kolommen: kolommen.to_vec(),
            rijen,
        };
        let nieuw = tabel(
            "Nieuw",
            "Nieuwe signalen",
            format!("Signalen op {} die op de vorige P-levering ({sinds_vorige}) nog geen signaal waren.", datum.format("%d-%m-%Y")),
            &persoon,
            nu_g.iter().filter(|r| !in_lijst(&toen_g, &r[0])).cloned().collect(),
        );
        let opgelost = tabel(
            "Opgelost",
            "Opgeloste signalen",
            format!(
                "Signalen op de vorige P-levering ({sinds_vorige}) die er op {} niet meer zijn: ingeschreven, vrijgesteld, verhuisd, of niet meer leerplichtig.",
                datum.format("%d-%m-%Y")
            ),
            &persoon,
            toen_g.iter().filter(|r| !in_lijst(&nu_g, &r[0])).cloned().collect(),
        );
        let nog_open = tabel(
            "Open",
            "Nog openstaande signalen",
            "Signalen die er op de vorige P-levering al waren en nog steeds zijn, met het aantal dagen sinds het begin.".into(),
            &open_kolommen,
            nu_g.iter()
                .filter(|r| in_lijst(&toen_g, &r[0]))
                .map(|r| {
                    let mut r = r.clone();
                    let dagen = match r[4] {
                        Waarde::Datum(s) => Waarde::Aantal((datum - s).num_days()),
                        _ => Waarde::Leeg,
                    };
                    r.push(dagen);
                    r
                })
                .collect(),
        );
        let map = dir.join(format!("{code}-{}", super::slug(&naam)));
        crate::files::private_dir(&map)?;
        let path = map.join(format!("werklijst-{code}-{}.xlsx", datum.format("%Y-%m-%d")));
        let toelichting = Toelichting {
            titel: &format!("Werklijst absoluut verzuim {naam} ({code})"),
            regels: vec![
                ("Vertrouwelijk".into(), "Deze lijst bevat persoonsgegevens van jongeren. Alleen voor de leerplichtambtenaar van de gemeente.".into()),
                ("Peildatum".into(), datum.format("%d-%m-%Y").to_string()),
                ("Vergeleken met".into(), format!("de vorige P-levering: {sinds_vorige}, zoals toen bekend")),
                (
                    "Signaal".into(),
                    "Woont in de gemeente, is leerplichtig of kwalificatieplichtig, en heeft geen inschrijving, vrijstelling of vervangende leerplicht. NOOIT_INGESCHREVEN: nooit ingeschreven geweest; UITGESCHREVEN: sinds de dag na de laatste uitschrijving.".into(),
                ),
                ("Aantallen".into(), format!("{} nieuw, {} opgelost, {} open", nieuw.rijen.len(), opgelost.rijen.len(), nog_open.rijen.len())),
            ],
        };
        xlsx::schrijf_met(&path, &toelichting, &[&nieuw, &opgelost, &nog_open], 0, true)?;
        files.push(path);
    }
    Ok(files)
}
