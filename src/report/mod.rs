//! `verzuim report`: what a Doorstroompunt-regio publishes and a
//! leerplichtambtenaar works from, made from the catalog's figures.
//!
//! ```text
//! catalog macros → figuren (tables with Dutch headers) → table::beschermd (small numbers)
//!     → xlsx, csv, parquet, html   in <out>/<regiocode>-<regionaam>/      (publishable)
//!     → werklijst (per person)     in <out>/werklijsten/<gemeente>/      (restricted, 0700/0600)
//! ```
//!
//! Small-number protection is applied once, to the tables, before any
//! writer sees them; the html page protects the regio totals it adds with
//! the same rule. See docs/reports.md.

pub mod csv;
pub mod figuren;
pub mod html;
pub mod leerplichttelling;
pub mod parquet;
pub mod table;
pub mod werklijst;
pub mod xlsx;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use duckdb::Connection;

use crate::catalog;
use crate::error::{Error, Result};
use figuren::{Peil, column, iso, rows_of};
use table::{Cell, ColumnKind, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    Parquet,
    Html,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            "html" => Ok(Format::Html),
            other => Err(format!("unknown format {other:?}: xlsx, csv, parquet or html")),
        }
    }
}

pub const ALL_FORMATS: [Format; 4] = [Format::Xlsx, Format::Csv, Format::Parquet, Format::Html];

#[derive(Debug, Clone)]
pub struct Options {
    pub lake: PathBuf,
    /// One regio (`32`, `0032`), or every regio the lake covers.
    pub regio: Option<String>,
    pub datum: Option<NaiveDate>,
    pub teljaar: Option<i32>,
    pub schooljaar: Option<i32>,
    pub formaten: Vec<Format>,
    pub out: PathBuf,
    /// Counts from 1 up to this are shown as `<drempel+1>`; 0 hides nothing.
    pub drempel: i64,
    pub decimaalkomma: bool,
    pub werklijsten: bool,
    /// The schooljaar whose yearly Leerplichttelling is written per gemeente
    /// (`--leerplichttelling 2024`): one xlsx each, for DUO's form.
    pub leerplichttelling: Option<i32>,
    /// The day the worklist counts "days since the last P-levering" to.
    pub vandaag: NaiveDate,
    /// When the worklist warns that its P-leveringen stopped.
    pub bewaking: crate::status::Thresholds,
    /// Until this day of the year of a summer uitschrijving, its signal is
    /// marked `zomerwissel` on the worklist.
    pub zomerwissel_tot: DagMaand,
}

/// A day of the year, `DD-MM` (`01-11`: 1 November).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DagMaand {
    pub dag: u32,
    pub maand: u32,
}

impl DagMaand {
    /// 1 November: a pupil who changed school over the summer is enrolled
    /// at the new school by the teldatum of 1 October, and BRON has it
    /// within weeks; a signal from the summer still open then is real.
    pub const ZOMERWISSEL_TOT: DagMaand = DagMaand { dag: 1, maand: 11 };

    /// This day in `jaar`.
    pub fn in_jaar(self, jaar: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(jaar, self.maand, self.dag)
    }
}

impl std::str::FromStr for DagMaand {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || format!("{s:?} is not a day of the year DD-MM, such as 01-11");
        let (d, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (dag, maand) = (d.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        // checked in a leap year, so that 29-02 is allowed
        NaiveDate::from_ymd_opt(2024, maand, dag).ok_or_else(bad)?;
        Ok(DagMaand { dag, maand })
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub peil: Peil,
    /// (regiocode, regionaam, folder, files)
    pub regios: Vec<(String, String, PathBuf, Vec<PathBuf>)>,
    pub werklijsten: Vec<PathBuf>,
    /// The per-gemeente Leerplichttelling files.
    pub leerplichttelling: Vec<PathBuf>,
}

// Long: the report's figures and formats in order.
pub fn report(o: &Options) -> Result<Summary> {
    let conn = catalog::open_read_only(&o.lake)?;
    let peil = peil(&conn, o)?;
    let d = iso(peil.datum);
    let gedekt = rows_of(
        &conn,
        &format!(
            "select distinct r.regiocode, r.regionaam from gedekte_gemeenten({d}) g join regio_op({d}) r using (gemeentecode) order by 1"
        ),
        &[column("r", "r", ColumnKind::Text), column("n", "n", ColumnKind::Text)],
    )?;
    let gedekt: Vec<(String, String)> = gedekt.iter().map(|r| (figures_text(&r[0]), figures_text(&r[1]))).collect();
    let gekozen: Vec<(String, String)> = match &o.regio {
        None => gedekt.clone(),
        Some(r) => {
            let code = regiocode(r)?;
            let hit: Vec<_> = gedekt.iter().filter(|(c, _)| *c == code).cloned().collect();
            if hit.is_empty() {
                let lijst: Vec<String> = gedekt.iter().map(|(c, n)| format!("{c} {n}")).collect();
                return Err(Error::Usage(format!(
                    "regio {code} has no covered gemeente on {}: the lake covers {}",
                    peil.datum,
                    if lijst.is_empty() { "nothing".into() } else { lijst.join(", ") }
                )));
            }
            hit
        }
    };
    let mut summary = Summary { peil: peil.clone(), regios: Vec::new(), werklijsten: Vec::new(), leerplichttelling: Vec::new() };
    std::fs::create_dir_all(&o.out).map_err(|e| Error::io(&o.out, e))?;
    for (code, naam) in gekozen {
        let ruw = figuren::figuren(&conn, &code, &peil)?;
        let beschermd: Vec<Table> = ruw.iter().cloned().map(|t| t.beschermd(o.drempel)).collect();
        let leveringen = figuren::leveringen(&conn, &code, peil.datum)?;
        let map = o.out.join(format!("{code}-{}", slug(&naam)));
        std::fs::create_dir_all(&map).map_err(|e| Error::io(&map, e))?;
        let regels = toelichting(&conn, &code, &naam, &peil, o.drempel, leveringen.rijen.len())?;
        let mut files = Vec::new();
        let stam = format!("verzuim-{code}-{}", peil.datum.format("%Y-%m-%d"));
        for f in &o.formaten {
            match f {
                Format::Xlsx => {
                    let p = map.join(format!("{stam}.xlsx"));
                    let mut tabellen: Vec<&Table> = beschermd.iter().collect();
                    tabellen.push(&leveringen);
                    let titel = format!("Verzuim en voortijdig schoolverlaten – regio {code} {naam}");
                    xlsx::write(&p, &xlsx::Toelichting { titel: &titel, regels: regels.clone() }, &tabellen, o.drempel)?;
                    files.push(p);
                }
                Format::Csv | Format::Parquet => {
                    let ext = if *f == Format::Csv { "csv" } else { "parquet" };
                    let sub = map.join(ext);
                    std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
                    for t in beschermd.iter().chain(std::iter::once(&leveringen)) {
                        let p = sub.join(format!("{}.{ext}", t.naam));
                        if *f == Format::Csv {
                            csv::write(&p, t, o.drempel, o.decimaalkomma)?;
                        } else {
                            parquet::write(&p, t)?;
                        }
                        files.push(p);
                    }
                }
                Format::Html => {
                    let p = map.join(format!("{stam}.html"));
                    let page = html::Page {
                        titel: format!("Verzuim en voortijdig schoolverlaten – regio {naam}"),
                        ondertitel: format!(
                            "Doorstroompunt-regio {code} · peildatum {} · teljaar {}-{} · schooljaar {}-{}",
                            peil.datum.format("%d-%m-%Y"),
                            peil.teljaar,
                            peil.teljaar + 1,
                            peil.schooljaar,
                            peil.schooljaar + 1
                        ),
                        drempel: o.drempel,
                        beschermd: &beschermd,
                        ruw: &ruw,
                        toelichting: &regels,
                    };
                    write_file(&p, html::page(&page).as_bytes())?;
                    files.push(p);
                }
            }
        }
        if o.werklijsten {
            let dir = o.out.join("werklijsten");
            crate::files::private_dir(&dir)?;
            summary.werklijsten.extend(werklijst::write(&conn, &code, peil.datum, &dir, o)?);
            if let Some(t) = figuren::teljaar_met_lijst(&conn, peil.teljaar)? {
                summary.werklijsten.push(vsv_verschillen(&conn, &code, &naam, t, &dir)?);
            }
        }
        if let Some(s) = o.leerplichttelling {
            let dir = o.out.join("leerplichttelling");
            crate::files::private_dir(&dir)?;
            // the report's own sheet when it is of the same schooljaar (unprotected: `ruw`), else asked
            let rijen = match ruw.iter().find(|t| t.naam == "leerplichttelling_jaar") {
                Some(t) if s == peil.schooljaar => t.rijen.clone(),
                _ => rows_of(&conn, &figuren::leerplichttelling_jaar_sql(&code, s), &figuren::leerplichttelling_kolommen())?,
            };
            summary.leerplichttelling.extend(leerplichttelling::write(&rijen, s, &dir)?);
        }
        summary.regios.push((code, naam, map, files));
    }
    Ok(summary)
}

/// The Doorstroompunt's list of the persons on whom DUO's VSV lists and the
/// lake disagree, with the reason (`vsv_vergelijking`): per person, so
/// beside the worklists, owner-only.
fn vsv_verschillen(conn: &Connection, code: &str, naam: &str, t: i32, dir: &Path) -> Result<PathBuf> {
    let kolommen = vec![
        column("pgn", "BSN / onderwijsnummer", ColumnKind::Text),
        column("gemeentecode", "Gemeentecode", ColumnKind::Text),
        column("instellingscode", "Instelling (BRIN)", ColumnKind::Text),
        column("in_startpopulatie", "In startpopulatie", ColumnKind::Text),
        column("vsv", "Vsv'er", ColumnKind::Text),
        column("reden", "Reden", ColumnKind::Text),
    ];
    let rijen = rows_of(
        conn,
        &format!(
            "select v.pgn, v.gemeentecode, v.instellingscode, v.in_startpopulatie, v.vsv, v.reden \
                from vsv_vergelijking({t}) v join regio_op(make_date({t}, 10, 1)) r using (gemeentecode) \
                where r.regiocode = '{code}' and v.reden is not null order by v.gemeentecode, v.reden, v.pgn"
        ),
        &kolommen,
    )?;
    let tabel = Table {
        naam: "verschillen".into(),
        titel: format!("Vsv teljaar {t}-{}: DUO's lijsten naast de berekening, per persoon", t + 1),
        uitleg:
            "Iedereen in DUO's startpopulatie of in de berekende, op wie DUO en de leveringen verschillen, met de reden uit de leveringen \
            (docs/analysts.md, vsv_vergelijking)."
                .into(),
        kolommen,
        rijen,
    };
    let p = dir.join(format!("vsv-verschillen-{code}-{}-{t}.xlsx", slug(naam)));
    let titel = format!("Vsv-verschillen met DUO – regio {code} {naam}, teljaar {t}-{}", t + 1);
    xlsx::write_with(&p, &xlsx::Toelichting { titel: &titel, regels: Vec::new() }, &[&tabel], 0, true)?;
    Ok(p)
}

/// The report's dates: the latest peildatum loaded, the teljaar whose second
/// teldatum (1 October t+1) lies on or before it, the schooljaar it falls in.
fn peil(conn: &Connection, o: &Options) -> Result<Peil> {
    let datum = match o.datum {
        Some(d) => d,
        None => crate::catalog::last_peildatum_in(conn)?
            .ok_or_else(|| Error::Usage("the lake holds no deliveries yet: nothing to report".into()))?,
    };
    let (standaard_teljaar, standaard_schooljaar) = teljaar_en_schooljaar(datum);
    let teljaar = o.teljaar.unwrap_or(standaard_teljaar);
    let schooljaar = o.schooljaar.unwrap_or(standaard_schooljaar);
    Ok(Peil { datum, teljaar, schooljaar })
}

/// The figures' years for a peildatum, the report's and the nightly
/// figures' alike: the last teljaar whose end teldatum (1 October t+1) lies
/// on or before it, and the schooljaar it falls in.
pub fn teljaar_en_schooljaar(datum: NaiveDate) -> (i32, i32) {
    let teljaar = if (datum.month(), datum.day()) >= (10, 1) { datum.year() - 1 } else { datum.year() - 2 };
    let schooljaar = if datum.month() >= 8 { datum.year() } else { datum.year() - 1 };
    (teljaar, schooljaar)
}

fn toelichting(conn: &Connection, code: &str, naam: &str, p: &Peil, drempel: i64, leveringen: usize) -> Result<Vec<(String, String)>> {
    let d = iso(p.datum);
    let gemeenten = rows_of(
        conn,
        &format!(
            "select string_agg(r.gemeentenaam || ' (' || g.gemeentecode || ')', ', ' order by r.gemeentenaam) \
             from gedekte_gemeenten({d}) g join regio_op({d}) r using (gemeentecode) where r.regiocode = '{code}'"
        ),
        &[column("g", "g", ColumnKind::Text)],
    )?;
    let status = rows_of(
        conn,
        &format!("select coalesce(max(status), 'voorlopig') from vsv({}) where regiocode = '{code}'", p.teljaar),
        &[column("s", "s", ColumnKind::Text)],
    )?;
    let status = status.first().map(|r| figures_text(&r[0])).unwrap_or_default();
    let vsv_status = match status.as_str() {
        "definitief" => {
            format!("Definitief: de leveringen reiken tot na 31 december {}, de laatste dag die het cijfer telt.", p.teljaar + 1)
        }
        "onvolledig" => format!(
            "Onvolledig: de eerste totaallevering (C) is van na 1 oktober {}, dus wie vóór die levering vertrok ontbreekt bij de deelnemers.",
            p.teljaar
        ),
        _ => format!(
            "Voorlopig: de leveringen reiken nog niet tot na 31 december {}; een startkwalificatie of inschrijving die nog bekend wordt kan het cijfer veranderen.",
            p.teljaar + 1
        ),
    };
    Ok(vec![
        ("Regio".into(), format!("Doorstroompunt-regio {code} {naam}")),
        ("Gemeenten".into(), gemeenten.first().map(|r| figures_text(&r[0])).unwrap_or_default()),
        ("Peildatum van de cijfers".into(), p.datum.format("%d-%m-%Y").to_string()),
        ("Teljaar vsv".into(), format!("{}-{}: deelnemers op 1 oktober {}, vsv'ers op 1 oktober {}", p.teljaar, p.teljaar + 1, p.teljaar, p.teljaar + 1)),
        ("Status vsv".into(), vsv_status),
        ("Schooljaar vrijstellingen".into(), format!("{}-{} (1 augustus {} tot en met 31 juli {})", p.schooljaar, p.schooljaar + 1, p.schooljaar, p.schooljaar + 1)),
        (
            "Kennis (bekend op)".into(),
            "Alles wat geladen is: per jongere het beeld uit de laatste levering van DUO die hem of haar bevatte, ook als een latere levering een eerdere datum corrigeert.".into(),
        ),
        ("Leveringen".into(), format!("{leveringen} leveringen van DUO (zie het blad leveringen)")),
        (
            "Kleine aantallen".into(),
            if drempel > 0 {
                format!(
                    "Aantallen van 1 tot en met {drempel} staan als {}, en een percentage waarvan het aantal verborgen is ook, zodat geen jongere herkenbaar is. Lijsten met namen staan nooit in deze uitvoer.",
                    table::hidden_text(drempel)
                )
            } else {
                "Niet verborgen (drempel 0): niet voor publicatie.".into()
            },
        ),
        ("Bron".into(), format!("DUO-leveringen verzuim, verwerkt met verzuim {}", env!("CARGO_PKG_VERSION"))),
    ])
}

/// `32`, `0032`, `R0032` → `32`.
pub fn regiocode(s: &str) -> Result<String> {
    let digits = s.trim().trim_start_matches(['R', 'r']);
    match digits.parse::<u32>() {
        Ok(n) if n < 100 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(format!("{n:02}")),
        _ => Err(Error::Usage(format!("--regio {s:?}: a regiocode such as 32 or 0032"))),
    }
}

/// A name fit for a folder: letters, digits and `-`.
pub fn slug(naam: &str) -> String {
    let s: String = naam.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

pub(crate) fn figures_text(w: &Cell) -> String {
    match w {
        Cell::Text(s) => s.clone(),
        _ => String::new(),
    }
}

/// Written aside and renamed: a reader never sees half a report.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// As [`write_file`], owner-only (per-person data).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut f = crate::files::private_file(&tmp)?;
    f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
