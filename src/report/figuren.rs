//! The figures of one regio, read from the catalog's macros. No rule is
//! restated here: every number comes from a macro in `sql/`.

use chrono::NaiveDate;
use duckdb::Connection;
use duckdb::types::Value;

use super::table::{Cell, Column, ColumnKind, Table};
use crate::error::{Error, Result};

/// The parameters a report is made for.
#[derive(Debug, Clone)]
pub struct Peil {
    pub datum: NaiveDate,
    pub teljaar: i32,
    pub schooljaar: i32,
}

pub fn sql_err(e: duckdb::Error) -> Error {
    Error::duckdb("a report query", e)
}

pub(super) fn iso(d: NaiveDate) -> String {
    format!("date '{}'", d.format("%Y-%m-%d"))
}

pub(super) fn column(naam: &str, kop: &str, soort: ColumnKind) -> Column {
    Column { naam: naam.into(), kop: kop.into(), soort }
}

/// Runs `sql` and reads each column as its `ColumnKind` says.
pub fn rows_of(conn: &Connection, sql: &str, kolommen: &[Column]) -> Result<Vec<Vec<Cell>>> {
    let mut stmt = conn.prepare(sql).map_err(sql_err)?;
    let n = kolommen.len();
    let soorten: Vec<ColumnKind> = kolommen.iter().map(|k| k.soort).collect();
    let rows = stmt
        .query_map([], |row| {
            let mut uit = Vec::with_capacity(n);
            for (i, soort) in soorten.iter().enumerate() {
                let v: Value = row.get(i)?;
                uit.push(cell_of(v, *soort));
            }
            Ok(uit)
        })
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<Vec<_>, _>>().map_err(sql_err)
}

fn cell_of(v: Value, soort: ColumnKind) -> Cell {
    let getal = |v: &Value| -> Option<f64> {
        match v {
            Value::TinyInt(x) => Some(f64::from(*x)),
            Value::SmallInt(x) => Some(f64::from(*x)),
            Value::Int(x) => Some(f64::from(*x)),
            Value::BigInt(x) => Some(*x as f64),
            Value::HugeInt(x) => Some(*x as f64),
            Value::UTinyInt(x) => Some(f64::from(*x)),
            Value::USmallInt(x) => Some(f64::from(*x)),
            Value::UInt(x) => Some(f64::from(*x)),
            Value::UBigInt(x) => Some(*x as f64),
            Value::Float(x) => Some(f64::from(*x)),
            Value::Double(x) => Some(*x),
            Value::Decimal(d) => d.to_string().parse().ok(),
            _ => None,
        }
    };
    match (soort, &v) {
        (_, Value::Null) => Cell::Empty,
        (ColumnKind::Count, v) => getal(v).map_or(Cell::Empty, |x| Cell::Count(x as i64)),
        (ColumnKind::Percentage { .. }, v) => getal(v).map_or(Cell::Empty, Cell::Percentage),
        (ColumnKind::PerThousand { .. }, v) => getal(v).map_or(Cell::Empty, Cell::PerThousand),
        (ColumnKind::Date, Value::Date32(d)) => crate::layout::date_from_days(*d).map_or(Cell::Empty, Cell::Date),
        (_, Value::Text(s)) => Cell::Text(s.clone()),
        (_, other) => Cell::Text(format!("{other:?}")),
    }
}

fn table_of(conn: &Connection, naam: &str, titel: &str, uitleg: &str, kolommen: Vec<Column>, sql: &str) -> Result<Table> {
    let rijen = rows_of(conn, sql, &kolommen)?;
    Ok(Table { naam: naam.into(), titel: titel.into(), uitleg: uitleg.into(), kolommen, rijen })
}

const BAND_ORDE: &str = "case leeftijdsband when '4' then 1 when '5-11' then 2 when '12-15' then 3 when '16-17' then 4 else 5 end";

/// What every figure of a regio's report is asked for.
struct Context<'a> {
    regio: &'a str,
    p: &'a Peil,
    /// The peildatum as a SQL date.
    d: String,
    t: i32,
    /// The teljaar's first teldatum as SQL.
    t0: String,
    s: i32,
}

impl Context<'_> {
    fn in_regio(&self, datum: &str) -> String {
        format!("join regio_op({datum}) r using (gemeentecode) where r.regiocode = '{}'", self.regio)
    }
}

/// Every standard figure of regio `regio` (two digits, `32`), one function each.
pub fn figuren(conn: &Connection, regio: &str, p: &Peil) -> Result<Vec<Table>> {
    let t = p.teljaar;
    let c = Context { regio, p, d: iso(p.datum), t, t0: format!("make_date({t}, 10, 1)"), s: p.schooljaar };
    let figuren: [fn(&Connection, &Context) -> Result<Table>; 9] = [
        leerplichttelling,
        vsv,
        vsv_per_gemeente,
        vsv_duo,
        vsv_trend,
        oud_vsv,
        vrijstellingen,
        leerplichttelling_schooljaar,
        signalen_per_week,
    ];
    figuren.iter().map(|f| f(conn, &c)).collect()
}

fn leerplichttelling(conn: &Connection, c: &Context) -> Result<Table> {
    let p = c.p;
    let d = &c.d;
    let in_regio = |datum: &str| c.in_regio(datum);
    table_of(
        conn,
        "leerplichttelling",
        &format!("Leerplichttelling op {}", p.datum.format("%d-%m-%Y")),
        "Per gemeente en leeftijdsband: de jongeren van 4 tot 23 jaar die in de gemeente wonen, en hoeveel van hen leerplichtig of kwalificatieplichtig zijn, ingeschreven staan op een school, een vrijstelling of vervangende leerplicht hebben, of zonder een van die drie leerplichtig of kwalificatieplichtig zijn (potentieel absoluut verzuim).",
        vec![
            column("gemeentecode", "Gemeentecode", ColumnKind::Text),
            column("gemeentenaam", "Gemeente", ColumnKind::Text),
            column("leeftijdsband", "Leeftijd", ColumnKind::Text),
            column("personen", "Jongeren", ColumnKind::Count),
            column("leerplichtig", "Leerplichtig", ColumnKind::Count),
            column("kwalificatieplichtig", "Kwalificatieplichtig", ColumnKind::Count),
            column("ingeschreven", "Ingeschreven", ColumnKind::Count),
            column("vrijstelling", "Vrijstelling", ColumnKind::Count),
            column("vervangende_leerplicht", "Vervangende leerplicht", ColumnKind::Count),
            column("absoluut_verzuim", "Potentieel absoluut verzuim", ColumnKind::Count),
        ],
        &format!(
            "select l.gemeentecode, r.gemeentenaam, l.leeftijdsband, l.personen, l.leerplichtig, l.kwalificatieplichtig, \
             l.ingeschreven, l.vrijstelling, l.vervangende_leerplicht, l.absoluut_verzuim \
             from leerplichttelling({d}) l {} order by l.gemeentecode, {BAND_ORDE}",
            in_regio(d)
        ),
    )
}

fn vsv(conn: &Connection, c: &Context) -> Result<Table> {
    let t = c.t;
    let t0 = &c.t0;
    let in_regio = |datum: &str| c.in_regio(datum);
    table_of(
        conn,
        "vsv",
        &format!("Nieuwe voortijdig schoolverlaters, teljaar {t}-{}", t + 1),
        &format!(
            "Deelnemers: wie op 1 oktober {t} jonger dan 22 was en ingeschreven stond in vo, mbo of vavo (bekostigd), naar gemeente van wonen en school op die dag. \
             Nieuwe vsv'ers: wie van hen op 1 oktober {} niet meer op school stond en geen vrijstelling had, niet naar het buitenland vertrokken of overleden was, \
             en op 31 december {} geen startkwalificatie (havo, vwo, mbo 2-4) had. Percentage = vsv'ers / deelnemers × 100. DUO: hoeveel van hen DUO zelf als vsv'er telt (leeg: DUO's eigen telling zit niet in de leveringen). \
             Status: definitief als de leveringen tot na 31 december {} reiken, anders voorlopig; onvolledig als de eerste totaallevering van na 1 oktober {t} is.",
            t + 1,
            t + 1,
            t + 1
        ),
        vec![
            column("gemeentecode", "Gemeentecode", ColumnKind::Text),
            column("gemeentenaam", "Gemeente", ColumnKind::Text),
            column("instellingscode", "Instelling (BRIN)", ColumnKind::Text),
            column("instelling", "Instelling", ColumnKind::Text),
            column("categorie", "Categorie", ColumnKind::Text),
            column("deelnemers", "Deelnemers", ColumnKind::Count),
            column("vsv", "Nieuwe vsv'ers", ColumnKind::Count),
            column("vsv_duo", "Vsv'ers volgens DUO", ColumnKind::Count),
            column("percentage", "Vsv-percentage", ColumnKind::Percentage { teller: 6 }),
            column("status", "Status", ColumnKind::Text),
        ],
        &format!(
            "select v.gemeentecode, r.gemeentenaam, v.instellingscode, coalesce(s.naam, '') as instelling, v.categorie, \
             v.deelnemers, v.vsv, v.vsv_duo, v.percentage, v.status \
             from vsv({t}) v \
             left join (select instellingscode, any_value(naam) as naam from school group by instellingscode) s using (instellingscode) \
             {} order by v.gemeentecode, v.instellingscode, v.categorie",
            in_regio(t0)
        ),
    )
}

fn vsv_per_gemeente(conn: &Connection, c: &Context) -> Result<Table> {
    let regio = c.regio;
    let t = c.t;
    let t0 = &c.t0;
    table_of(
        conn,
        "vsv_per_gemeente",
        &format!("Vsv-percentage per gemeente, teljaar {t}-{}", t + 1),
        "De vsv-cijfers opgeteld per gemeente, met de regio als geheel en alle regio's waarvan leveringen geladen zijn ter vergelijking.",
        vec![
            column("gemeentecode", "Gemeentecode", ColumnKind::Text),
            column("gemeentenaam", "Gemeente", ColumnKind::Text),
            column("deelnemers", "Deelnemers", ColumnKind::Count),
            column("vsv", "Nieuwe vsv'ers", ColumnKind::Count),
            column("percentage", "Vsv-percentage", ColumnKind::Percentage { teller: 3 }),
        ],
        &format!(
            "with v as (select v.*, r.regiocode as rc, r.gemeentenaam from vsv({t}) v join regio_op({t0}) r using (gemeentecode)) \
             select gemeentecode, gemeentenaam, d, n, p from ( \
               select gemeentecode, gemeentenaam, sum(deelnemers) as d, sum(vsv) as n, round(100.0 * sum(vsv) / sum(deelnemers), 2) as p, 1 as o \
               from v where rc = '{regio}' group by all \
               union all select '', 'Regio', sum(deelnemers), sum(vsv), round(100.0 * sum(vsv) / sum(deelnemers), 2), 2 from v where rc = '{regio}' having sum(deelnemers) > 0 \
               union all select '', 'Alle regio''s', sum(deelnemers), sum(vsv), round(100.0 * sum(vsv) / sum(deelnemers), 2), 3 from v having sum(deelnemers) > 0) \
             order by o, gemeentecode"
        ),
    )
}

/// The latest teljaar, up to the report's, for which DUO's VSV lists are
/// loaded (issue 25): they come a year and a half after T0.
pub(super) fn teljaar_met_lijst(conn: &Connection, t: i32) -> Result<Option<i32>> {
    conn.query_row(&format!("select max(teljaar) from duo_vsv_lijst where teljaar <= {t}"), [], |r| r.get(0)).map_err(sql_err)
}

/// DUO's VSV figure beside the lake's, per gemeente and for the regio, for
/// the latest teljaar with DUO's lists loaded (empty without them).
fn vsv_duo(conn: &Connection, c: &Context) -> Result<Table> {
    let regio = c.regio;
    let lijst = teljaar_met_lijst(conn, c.t)?;
    let t = lijst.unwrap_or(c.t);
    table_of(
        conn,
        "vsv_duo",
        &format!("Vsv volgens DUO's lijsten naast de berekening, teljaar {t}-{}", t + 1),
        &match lijst {
            Some(_) => format!(
                "DUO's startpopulatie (NRSP) en nieuwe vsv'ers (NenR) van teljaar {t}-{}, de definitieve lijst waar die er is, naast wat de leveringen geven. \
                    Elk verschil per persoon staat met zijn reden in de werklijstenmap (vsv-verschillen, alleen voor het Doorstroompunt).",
                t + 1
            ),
            None => "Geen lijsten van DUO geladen (verzuim lijst load): deze tabel is leeg.".to_string(),
        },
        vec![
            column("gemeentecode", "Gemeentecode", ColumnKind::Text),
            column("gemeentenaam", "Gemeente", ColumnKind::Text),
            column("status", "Status lijst DUO", ColumnKind::Text),
            column("deelnemers_duo", "Deelnemers DUO", ColumnKind::Count),
            column("vsv_duo", "Vsv'ers DUO", ColumnKind::Count),
            column("percentage_duo", "Percentage DUO", ColumnKind::Percentage { teller: 4 }),
            column("deelnemers_berekend", "Deelnemers berekend", ColumnKind::Count),
            column("vsv_berekend", "Vsv'ers berekend", ColumnKind::Count),
            column("percentage_berekend", "Percentage berekend", ColumnKind::Percentage { teller: 7 }),
        ],
        &format!(
            "with s as (select coalesce(max(status) filter (where in_gebruik), '') as status from duo_vsv_lijst where teljaar = {t}), \
                p as (select * from vsv_vergelijking_per({t})) \
                select p.code, coalesce(r.gemeentenaam, ''), s.status, p.deelnemers_duo, p.vsv_duo, p.percentage_duo, \
                p.deelnemers_berekend, p.vsv_berekend, p.percentage_berekend \
                from p join regio_op(make_date({t}, 10, 1)) r on r.gemeentecode = p.code, s \
                where p.niveau = 'gemeente' and r.regiocode = '{regio}' \
                union all \
                select '', 'Regio', s.status, p.deelnemers_duo, p.vsv_duo, p.percentage_duo, p.deelnemers_berekend, p.vsv_berekend, p.percentage_berekend \
                from p, s where p.niveau = 'regio' and p.code = '{regio}' \
                order by code = '', code"
        ),
    )
}

fn vsv_trend(conn: &Connection, c: &Context) -> Result<Table> {
    let regio = c.regio;
    let t = c.t;
    let trend_kolommen = vec![
        column("teljaar", "Teljaar", ColumnKind::Text),
        column("deelnemers", "Deelnemers regio", ColumnKind::Count),
        column("vsv", "Nieuwe vsv'ers regio", ColumnKind::Count),
        column("percentage", "Vsv-percentage regio", ColumnKind::Percentage { teller: 2 }),
        column("deelnemers_alle", "Deelnemers alle regio's", ColumnKind::Count),
        column("vsv_alle", "Nieuwe vsv'ers alle regio's", ColumnKind::Count),
        column("percentage_alle", "Vsv-percentage alle regio's", ColumnKind::Percentage { teller: 5 }),
    ];
    let mut trend = Vec::new();
    for j in t - 5..=t {
        let sql = format!(
            "select '{j}-{}', sum(deelnemers) filter (where regiocode = '{regio}'), sum(vsv) filter (where regiocode = '{regio}'), \
               round(100.0 * sum(vsv) filter (where regiocode = '{regio}') / sum(deelnemers) filter (where regiocode = '{regio}'), 2), \
               sum(deelnemers), sum(vsv), round(100.0 * sum(vsv) / sum(deelnemers), 2) \
             from vsv({j}) where status <> 'onvolledig' having sum(deelnemers) filter (where regiocode = '{regio}') > 0",
            j + 1
        );
        trend.extend(rows_of(conn, &sql, &trend_kolommen)?);
    }
    Ok(Table {
        naam: "vsv_trend".into(),
        titel: "Vsv-percentage door de jaren".into(),
        uitleg: "Het vsv-percentage van de regio en van alle geladen regio's, per teljaar vanaf het eerste dat de leveringen volledig dekken (deelnemers op 1 oktober op of na de eerste totaallevering); het laatste kan nog voorlopig zijn.".into(),
        kolommen: trend_kolommen,
        rijen: trend,
    })
}

fn oud_vsv(conn: &Connection, c: &Context) -> Result<Table> {
    let p = c.p;
    let d = &c.d;
    let in_regio = |datum: &str| c.in_regio(datum);
    table_of(
        conn,
        "oud_vsv",
        &format!("Oud-vsv'ers op {}", p.datum.format("%d-%m-%Y")),
        "Jongeren van 18 tot 23 jaar die in de gemeente wonen, geen startkwalificatie hebben, niet ingeschreven staan en geen vrijstelling hebben: de doelgroep van het Doorstroompunt.",
        vec![
            column("gemeentecode", "Gemeentecode", ColumnKind::Text),
            column("gemeentenaam", "Gemeente", ColumnKind::Text),
            column("leeftijd", "Leeftijd", ColumnKind::Count),
            column("personen", "Jongeren", ColumnKind::Count),
        ],
        &format!(
            "select o.gemeentecode, r.gemeentenaam, o.leeftijd, o.personen from oud_vsv({d}) o {} order by o.gemeentecode, o.leeftijd",
            in_regio(d)
        ),
    )
    .map(|mut t| {
        // an age is not a count of persons
        t.kolommen[2].soort = ColumnKind::Text;
        for r in &mut t.rijen {
            if let Cell::Count(n) = r[2] {
                r[2] = Cell::Text(n.to_string());
            }
        }
        t
    })
}

fn vrijstellingen(conn: &Connection, c: &Context) -> Result<Table> {
    let s = c.s;
    let in_regio = |datum: &str| c.in_regio(datum);
    table_of(
        conn,
        "vrijstellingen",
        &format!("Vrijstellingen, schooljaar {s}-{}", s + 1),
        &format!(
            "Per gemeente en artikel van de Leerplichtwet: wie op 1 augustus {s} in de gemeente woonde met een vrijstelling van dat artikel, \
             plus wie er in het schooljaar een kreeg (naar woonplaats op de begindatum). 3A en 3B zijn vervangende leerplicht, geen vrijstelling."
        ),
        vec![
            column("gemeentecode", "Gemeentecode", ColumnKind::Text),
            column("gemeentenaam", "Gemeente", ColumnKind::Text),
            column("artikel", "Artikel", ColumnKind::Text),
            column("personen", "Jongeren", ColumnKind::Count),
        ],
        &format!(
            "select v.gemeentecode, r.gemeentenaam, v.artikel, v.personen from vrijstellingen({s}) v {} order by v.gemeentecode, v.artikel",
            in_regio(&format!("schooljaar_begin({s})"))
        ),
    )
}

/// The Leerplichttelling's columns (gemeentecode, gemeentenaam, then those
/// of `leerplichttelling_schooljaar`) with the headers DUO's form uses: the
/// regio report's sheet and each gemeente's own file show the same.
pub(super) fn leerplichttelling_kolommen() -> Vec<Column> {
    vec![
        column("gemeentecode", "Gemeentecode", ColumnKind::Text),
        column("gemeentenaam", "Gemeente", ColumnKind::Text),
        column("po", "Absoluut verzuim po", ColumnKind::Count),
        column("so_vso", "Absoluut verzuim (v)so", ColumnKind::Count),
        column("vo", "Absoluut verzuim vo", ColumnKind::Count),
        column("mbo", "Absoluut verzuim mbo", ColumnKind::Count),
        column("onbekend", "Absoluut verzuim onbekend", ColumnKind::Count),
        column("geen_onderwijs", "Absoluut verzuim geen onderwijs", ColumnKind::Count),
        column("absoluut_verzuim", "Absoluut verzuim totaal", ColumnKind::Count),
        column("vrijstelling_5a", "Vrijstelling 5a", ColumnKind::Count),
        column("vrijstelling_5b", "Vrijstelling 5b", ColumnKind::Count),
        column("vrijstelling_5c", "Vrijstelling 5c", ColumnKind::Count),
        column("vrijstelling_5atr", "Vrijstelling 5a tr", ColumnKind::Count),
        column("vrijstelling_15", "Vrijstelling 15", ColumnKind::Count),
        column("vervangende_leerplicht_3a", "Vervangende leerplicht 3a", ColumnKind::Count),
        column("vervangende_leerplicht_3b", "Vervangende leerplicht 3b", ColumnKind::Count),
        column("relatief_verzuim", "Relatief verzuim", ColumnKind::Text),
        column("inwoners_5_17", "Inwoners 5-17 jaar", ColumnKind::Count),
        column("noemer", "Noemer", ColumnKind::Text),
        column("absoluut_verzuim_per_1000", "Absoluut verzuim per 1.000", ColumnKind::PerThousand { teller: 8 }),
        column("vsv_percentage_vo_mbo", "Vsv-percentage vo en mbo", ColumnKind::Percentage { teller: 8 }),
    ]
}

/// The yearly Leerplichttelling (art. 25) as DUO's form asks it, per
/// gemeente of the regio (`leerplichttelling_schooljaar`).
fn leerplichttelling_schooljaar(conn: &Connection, c: &Context) -> Result<Table> {
    let s = c.s;
    table_of(
        conn,
        "leerplichttelling_jaar",
        &format!("Leerplichttelling schooljaar {s}-{}", s + 1),
        &format!(
            "Per gemeente: de jongeren van 5 tot en met 17 jaar die in schooljaar {s}-{} ooit absoluut verzuimer waren (ingeschreven noch vrijgesteld terwijl ze leerplichtig \
             of kwalificatieplichtig waren), geteld in de gemeente waar ze op de laatste dag wonen, naar het onderwijs dat ze het laatst volgden; verhuisd, overleden, \
             naar het buitenland of met een startkwalificatie volgens de regels van de telling. Een lopend schooljaar telt tot de laatste levering. \
             Vrijstellingen per artikel en vervangende leerplicht als op blad vrijstellingen. Relatief verzuim melden scholen, niet DUO: niet in DUO-gegevens. \
             Per 1.000 inwoners van 5 tot en met 17 jaar op 1 oktober {s}: de noemer zijn de jongeren die de leveringen kennen (DUO levert alleen wie \
             ingeschreven is of een vrijstelling heeft), dus kleiner dan volgens de BRP en het getal hoger. Vsv-percentage: vo en mbo, teljaar {s}-{}.",
            s + 1,
            s + 1
        ),
        leerplichttelling_kolommen(),
        &leerplichttelling_jaar_sql(c.regio, s),
    )
}

/// The yearly Leerplichttelling's rows for the gemeenten of regio `regio`
/// (the columns of [`leerplichttelling_kolommen`]): the regio report's sheet
/// and each gemeente's own file read this one query.
pub(super) fn leerplichttelling_jaar_sql(regio: &str, s: i32) -> String {
    format!(
        "select l.gemeentecode, r.gemeentenaam, l.* exclude (gemeentecode) from leerplichttelling_schooljaar({s}) l \
         join regio_op(make_date({s} + 1, 7, 31)) r using (gemeentecode) where r.regiocode = '{regio}' order by l.gemeentecode"
    )
}

/// Signals per weekly delivery: as known now, on the peildatum of each of
/// the last 26 P-leveringen — in one query (a lateral join), not 26.
fn signalen_per_week(conn: &Connection, c: &Context) -> Result<Table> {
    let regio = c.regio;
    let d = &c.d;
    let kolommen = vec![column("peildatum", "Week (peildatum)", ColumnKind::Date), column("signalen", "Signalen", ColumnKind::Count)];
    let rijen_week = rows_of(
        conn,
        &format!(
            "select w.p, coalesce(c.n, 0) \
             from (select distinct peildatum as p from levering_volgorde where soort = 'P' and peildatum <= {d} order by 1 desc limit 26) w \
             left join lateral ( \
                 select count(*) as n from absoluut_verzuim_signalen(w.p) s \
                 join regio_op(w.p) r using (gemeentecode) where r.regiocode = '{regio}' \
             ) c on true \
             order by w.p"
        ),
        &kolommen,
    )?;
    Ok(Table {
        naam: "signalen_per_week".into(),
        titel: "Potentieel absoluut verzuim per week".into(),
        uitleg: "Het aantal jongeren in de regio dat leerplichtig of kwalificatieplichtig is zonder inschrijving, vrijstelling of vervangende leerplicht, op de peildatum van elke wekelijkse levering (zoals nu bekend). Namen staan alleen in de werklijsten van de leerplichtambtenaar.".into(),
        kolommen,
        rijen: rijen_week,
    })
}

/// The deliveries the figures rest on: those of afnemers covering the regio.
pub fn leveringen(conn: &Connection, regio: &str, datum: NaiveDate) -> Result<Table> {
    let kolommen = vec![
        column("soort", "ColumnKind", ColumnKind::Text),
        column("afnemer", "Afnemer", ColumnKind::Text),
        column("peildatum", "Peildatum", ColumnKind::Date),
        column("aanmaakdatum", "Aanmaakdatum", ColumnKind::Date),
    ];
    let d = iso(datum);
    let sql = format!(
        "select soort, soort_afnemer || afnemercode, peildatum, aanmaakdatum from levering_volgorde l \
         where peildatum <= {d} and ((soort_afnemer = 'R' and right(afnemercode, 2) = '{regio}') \
            or (soort_afnemer = 'G' and afnemercode in (select gemeentecode from regio_op({d}) where regiocode = '{regio}'))) \
         order by volgorde"
    );
    Ok(Table {
        naam: "leveringen".into(),
        titel: "Gebruikte leveringen".into(),
        uitleg: "De leveringen van DUO waarop de cijfers van deze regio rusten.".into(),
        rijen: rows_of(conn, &sql, &kolommen)?,
        kolommen,
    })
}
