//! The leerplichtambtenaar's weekly worklist, per gemeente: the signals of
//! potentieel absoluut verzuim that are new since the previous P-levering,
//! those solved since, and those still open with their age. Per-person
//! data: written only into the restricted `werklijsten/` folder, owner-only.
//!
//! Its first sheet says how old the P-levering behind it is (a list made
//! from a stream that stopped looks exactly like a quiet week), and signals
//! that may be a summer school switch are marked `zomerwissel`, not dropped
//! (sql/111_zomerwissel.sql, docs/reports.md).

use std::path::{Path, PathBuf};

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use duckdb::Connection;

use super::figuren::{column, iso, rows_of};
use super::table::{Cell, Column, ColumnKind, Table};
use super::xlsx::{self, Toelichting};
use crate::error::Result;

/// Writes one worklist per covered gemeente of `regio` into `dir`; returns the files.
// Long: the worklist's sheets in order, each a query and a table.
pub fn write(conn: &Connection, regio: &str, datum: NaiveDate, dir: &Path, o: &super::Options) -> Result<Vec<PathBuf>> {
    let d = iso(datum);
    let zomer = zomerwissels(conn, &d, datum, o.zomerwissel_tot)?;
    let vorige: Option<NaiveDate> = {
        let t = rows_of(
            conn,
            &format!("select max(peildatum) from levering_volgorde where soort = 'P' and peildatum < {d}"),
            &[column("p", "p", ColumnKind::Date)],
        )?;
        match t.first().and_then(|r| r.first()) {
            Some(Cell::Date(p)) => Some(*p),
            _ => None,
        }
    };
    let gemeenten = rows_of(
        conn,
        &format!(
            "select g.gemeentecode, r.gemeentenaam from gedekte_gemeenten({d}) g join regio_op({d}) r using (gemeentecode) \
             where r.regiocode = '{regio}' order by 1"
        ),
        &[column("g", "g", ColumnKind::Text), column("n", "n", ColumnKind::Text)],
    )?;
    let persoon = vec![
        column("pgn", "BSN / onderwijsnummer", ColumnKind::Text),
        column("naam", "Naam", ColumnKind::Text),
        column("geboortedatum", "Geboortedatum", ColumnKind::Date),
        column("categorie", "Categorie", ColumnKind::Text),
        column("sinds", "Sinds", ColumnKind::Date),
    ];
    let mut nieuw_kolommen = persoon.clone();
    nieuw_kolommen.push(column("zomerwissel", "Zomerwissel", ColumnKind::Text));
    let mut open_kolommen = nieuw_kolommen.clone();
    open_kolommen.push(column("dagen", "Dagen open", ColumnKind::Count));
    let markeer = |mut r: Vec<Cell>| -> Vec<Cell> {
        let is_zomer = matches!(&r[0], Cell::Text(pgn) if zomer.contains(pgn));
        r.push(if is_zomer { Cell::Text("zomerwissel".into()) } else { Cell::Empty });
        r
    };
    let mut met_gemeente = persoon.clone();
    met_gemeente.push(column("gemeentecode", "Gemeentecode", ColumnKind::Text));
    // The regio's signals now and on the previous P-levering as known then:
    // two queries for the whole regio, split per gemeente below.
    let signalen = |datum: &str, bekend_op: &str| -> Result<Vec<Vec<Cell>>> {
        rows_of(
            conn,
            &format!(
                // a child DUO does not know (NIET_BIJ_DUO, from the BRP) has its name in the extract
                "select s.pgn, case when p.pgn is null then concat_ws(' ', b.voornamen, b.voorvoegsel, b.achternaam) \
                 else concat_ws(' ', p.voornamen, p.voorvoegsel, p.achternaam) end, \
                 coalesce(p.geboortedatum, b.geboortedatum), s.categorie, s.sinds, s.gemeentecode \
                 from absoluut_verzuim_signalen({datum}{bekend_op}) s \
                 left join beeld_persoon({}) p using (pgn) \
                 left join brp_op({datum}) b on p.pgn is null and b.bsn = s.pgn and b.gemeentecode = s.gemeentecode \
                 join regio_op({datum}) r on r.gemeentecode = s.gemeentecode where r.regiocode = '{regio}' order by s.sinds, 2",
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
    let tekst = |w: &Cell| super::figures_text(w);
    let sinds_vorige = vorige.map(|p| p.format("%d-%m-%Y").to_string()).unwrap_or_else(|| "(geen eerdere P-levering)".into());
    let mut files = Vec::new();
    for g in gemeenten {
        let (code, naam) = (tekst(&g[0]), tekst(&g[1]));
        let hier = |rs: &[Vec<Cell>]| -> Vec<Vec<Cell>> { rs.iter().filter(|r| tekst(&r[5]) == code).map(|r| r[..5].to_vec()).collect() };
        let (nu_g, toen_g) = (hier(&nu), hier(&toen));
        let in_lijst = |rs: &[Vec<Cell>], pgn: &Cell| rs.iter().any(|r| r[0] == *pgn);
        let table = |naam: &str, titel: &str, uitleg: String, kolommen: &[Column], rijen: Vec<Vec<Cell>>| Table {
            naam: naam.into(),
            titel: titel.into(),
            uitleg,
            kolommen: kolommen.to_vec(),
            rijen,
        };
        let nieuw = table(
            "Nieuw",
            "Nieuwe signalen",
            format!("Signalen op {} die op de vorige P-levering ({sinds_vorige}) nog geen signaal waren.", datum.format("%d-%m-%Y")),
            &nieuw_kolommen,
            nu_g.iter().filter(|r| !in_lijst(&toen_g, &r[0])).cloned().map(&markeer).collect(),
        );
        let opgelost = table(
            "Opgelost",
            "Opgeloste signalen",
            format!(
                "Signalen op de vorige P-levering ({sinds_vorige}) die er op {} niet meer zijn: ingeschreven, vrijgesteld, verhuisd, of niet meer leerplichtig.",
                datum.format("%d-%m-%Y")
            ),
            &persoon,
            toen_g.iter().filter(|r| !in_lijst(&nu_g, &r[0])).cloned().collect(),
        );
        let nog_open = table(
            "Open",
            "Nog openstaande signalen",
            "Signalen die er op de vorige P-levering al waren en nog steeds zijn, met het aantal dagen sinds het begin.".into(),
            &open_kolommen,
            nu_g.iter()
                .filter(|r| in_lijst(&toen_g, &r[0]))
                .map(|r| {
                    let mut r = markeer(r.clone());
                    let dagen = match r[4] {
                        Cell::Date(s) => Cell::Count((datum - s).num_days()),
                        _ => Cell::Empty,
                    };
                    r.push(dagen);
                    r
                })
                .collect(),
        );
        let laatste_p = laatste_p_levering(conn, &code, regio, datum, o)?;
        let map = dir.join(format!("{code}-{}", super::slug(&naam)));
        crate::files::private_dir(&map)?;
        let path = map.join(format!("werklijst-{code}-{}.xlsx", datum.format("%Y-%m-%d")));
        let toelichting = Toelichting {
            titel: &format!("Werklijst absoluut verzuim {naam} ({code})"),
            regels: vec![
                ("Vertrouwelijk".into(), "Deze lijst bevat persoonsgegevens van jongeren. Alleen voor de leerplichtambtenaar van de gemeente.".into()),
                ("Peildatum".into(), datum.format("%d-%m-%Y").to_string()),
                ("Laatste P-levering".into(), laatste_p),
                ("Vergeleken met".into(), format!("de vorige P-levering: {sinds_vorige}, zoals toen bekend")),
                (
                    "Signaal".into(),
                    "Woont in de gemeente, is leerplichtig of kwalificatieplichtig, en heeft geen inschrijving, vrijstelling of vervangende leerplicht. NOOIT_INGESCHREVEN: nooit ingeschreven geweest; UITGESCHREVEN: sinds de dag na de laatste uitschrijving.".into(),
                ),
                (
                    "Zomerwissel".into(),
                    format!(
                        "Wie tussen 1 juli en 1 oktober is uitgeschreven wegens overstap naar andere school (of zonder reden) staat tot {} van dat jaar gemarkeerd als zomerwissel: vaak heeft de nieuwe school de inschrijving nog niet doorgegeven (DUO: absoluut verzuim valt aan het begin van het schooljaar te hoog uit). Het signaal blijft op de lijst.",
                        day_month_text(o.zomerwissel_tot)
                    ),
                ),
                ("Aantallen".into(), format!("{} nieuw, {} opgelost, {} open", nieuw.rijen.len(), opgelost.rijen.len(), nog_open.rijen.len())),
            ],
        };
        xlsx::write_with(&path, &toelichting, &[&nieuw, &opgelost, &nog_open], 0, true)?;
        files.push(path);
    }
    Ok(files)
}

/// The pgns of the signals on `datum` that may be a summer school switch,
/// while `datum` lies before `tot` in the year of their uitschrijving.
fn zomerwissels(conn: &Connection, d: &str, datum: NaiveDate, tot: super::DagMaand) -> Result<HashSet<String>> {
    let rows = rows_of(
        conn,
        &format!("select pgn, laatste_uitschrijving from zomerwissel({d})"),
        &[column("pgn", "pgn", ColumnKind::Text), column("u", "u", ColumnKind::Date)],
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| match (&r[0], &r[1]) {
            (Cell::Text(pgn), Cell::Date(u)) if tot.in_jaar(u.year()).is_some_and(|t| datum < t) => Some(pgn.clone()),
            _ => None,
        })
        .collect())
}

/// "26-10-2026 (R0032), 36 dagen geleden", with a warning past the
/// afnemer's `p_levering_max_dagen`: the P-levering that covers gemeente
/// `code`, its own (G) or its regio's (R).
fn laatste_p_levering(conn: &Connection, code: &str, regio: &str, datum: NaiveDate, o: &super::Options) -> Result<String> {
    let rows = rows_of(
        conn,
        &format!(
            "select peildatum, soort_afnemer || afnemercode from levering_volgorde \
             where soort = 'P' and peildatum <= {} and ((soort_afnemer = 'G' and afnemercode = '{code}') \
             or (soort_afnemer = 'R' and afnemercode = '{regio:0>4}')) order by peildatum desc, volgorde desc limit 1",
            iso(datum)
        ),
        &[column("p", "p", ColumnKind::Date), column("a", "a", ColumnKind::Text)],
    )?;
    let Some((p, afnemer)) = rows.first().and_then(|r| match (&r[0], &r[1]) {
        (Cell::Date(p), Cell::Text(a)) => Some((*p, a.clone())),
        _ => None,
    }) else {
        return Ok("geen: deze lijst is gemaakt uit totaalleveringen (C) alleen".into());
    };
    let dagen = (o.vandaag - p).num_days();
    let max = o.bewaking.for_afnemer(&afnemer).p_levering_max_dagen;
    let mut tekst = format!("{} ({afnemer}), {dagen} dagen geleden op {}", p.format("%d-%m-%Y"), o.vandaag.format("%d-%m-%Y"));
    if dagen > i64::from(max) {
        tekst += &format!(
            ". LET OP: ouder dan {max} dagen. De wekelijkse leveringen lijken te zijn gestopt; signalen van daarna ontbreken. Meld dit bij de beheerder."
        );
    }
    Ok(tekst)
}

fn day_month_text(d: super::DagMaand) -> String {
    const MAANDEN: [&str; 12] =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    format!("{} {}", d.dag, MAANDEN[(d.maand as usize).saturating_sub(1).min(11)])
}
