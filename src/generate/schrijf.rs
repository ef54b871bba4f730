//! Writing records through a layout: the parser's layout files, used the
//! other way round. A field is found by its name, so a layout that orders,
//! pads or dates its fields differently is written the way it is read.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::layout::{CsvLayout, DateFormat, DeliveryLayout, FieldType, Format, Layout, Source, ValueKind};

/// A value in the reference layout's terms.
#[derive(Debug, Clone, Copy)]
pub enum Veld<'a> {
    Tekst(&'a str),
    Datum(Option<i32>),
}

/// The fields the generator fills, per record, in the reference layout's
/// order (the record code itself left out).
pub const VELDEN: &[(&str, &[&str])] = &[
    ("VLP", &["layoutversie", "soort_levering", "soort_afnemer", "afnemercode", "peildatum", "aanmaakdatum", "leveringsvolgnummer"]),
    ("PER", &["pgn", "bsn", "onderwijsnummer", "geboortedatum", "geslacht", "achternaam", "voorvoegsel", "voornamen", "overlijdensdatum"]),
    ("MUT", &["pgn", "mutatiecode", "mutatiedatum", "referentie"]),
    (
        "VBL",
        &[
            "pgn",
            "gemeentecode",
            "postcode",
            "huisnummer",
            "huisnummertoevoeging",
            "woonplaats",
            "landcode",
            "datum_aanvang",
            "datum_einde",
        ],
    ),
    (
        "INS",
        &[
            "pgn",
            "inschrijvingsvolgnummer",
            "instellingscode",
            "vestigingscode",
            "onderwijssoort",
            "opleidingscode",
            "leerweg",
            "niveau",
            "leerjaar",
            "datum_inschrijving",
            "datum_uitschrijving",
            "reden_uitschrijving",
            "bekostigd",
        ],
    ),
    (
        "RES",
        &[
            "pgn",
            "instellingscode",
            "onderwijssoort",
            "opleidingscode",
            "niveau",
            "soort_resultaat",
            "datum_resultaat",
            "startkwalificatie",
        ],
    ),
    ("VRS", &["pgn", "artikel", "datum_begin", "datum_einde"]),
    ("SKW", &["pgn", "indicatie", "datum_behaald"]),
    ("VSV", &["pgn", "teldatum", "instellingscode", "categorie"]),
    ("NGV", &["gevraagd_nummer", "reden"]),
    ("SLR", &["aantal_personen", "aantal_records"]),
];

/// How a file is encoded, as DUO's tooling might write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codering {
    pub utf8: bool,
    pub bom: bool,
    pub crlf: bool,
}

impl Codering {
    /// DUO's own: Windows-1252, CRLF.
    pub const ANSI: Codering = Codering { utf8: false, bom: false, crlf: true };

    pub fn naam(&self) -> String {
        let enc = match (self.utf8, self.bom) {
            (false, _) => "Windows-1252",
            (true, false) => "UTF-8",
            (true, true) => "UTF-8 with BOM",
        };
        format!("{enc}, {}", if self.crlf { "CRLF" } else { "LF" })
    }
}

struct Slot {
    bron: Option<usize>,
    datum: Option<crate::layout::DateFormat>,
    start: usize,
    width: usize,
}

struct Plan {
    code: String,
    slots: Vec<Slot>,
}

pub struct Schrijver {
    fixed: bool,
    separator: char,
    codering: Codering,
    plans: Vec<Plan>,
    /// Set for a header-CSV layout: how records become rows.
    csv: Option<CsvVorm>,
}

/// A header-CSV layout used the other way round: each record's fields land
/// in the columns that fill their canonical columns; a person's records are
/// gathered and written as rows, the k-th row holding the k-th record of
/// each kind, the person's columns (and the peildatum) on every row.
struct CsvVorm {
    headers: Vec<String>,
    quoting: bool,
    /// Per record code of [`VELDEN`]: per field the column and its date format.
    slots: Vec<(&'static str, Vec<Option<Kolom>>)>,
    /// The peildatum column and the text written in it.
    peildatum: Option<(usize, String)>,
}

/// Where a record field lands in a row: its column, and the date format of a date.
type Kolom = (usize, Option<DateFormat>);

/// The canonical table each VZL1 record fills.
const TABELLEN: &[(&str, &str)] = &[
    ("PER", "persoon"),
    ("MUT", "mutatie"),
    ("VBL", "verblijf"),
    ("INS", "inschrijving"),
    ("RES", "resultaat"),
    ("VRS", "vrijstelling"),
    ("SKW", "startkwalificatie"),
    ("VSV", "vsv_indicatie"),
    ("NGV", "niet_gevonden"),
];

/// Separates a person's gathered records, before they become rows.
const RECORD_END: u8 = 0x1e;
const FIELD_END: u8 = 0x1f;

impl CsvVorm {
    fn new(layout: &CsvLayout, peildatum: i32) -> Result<CsvVorm> {
        let mut slots = Vec::new();
        for (code, table) in TABELLEN {
            let namen = VELDEN.iter().find(|(c, _)| c == code).map(|(_, n)| *n).unwrap_or(&[]);
            let mapping = layout.tables.iter().find(|t| t.table == *table);
            let mut fields = Vec::new();
            for naam in namen {
                let source = mapping.and_then(|m| m.sources.iter().find(|(c, _)| c == naam)).map(|(_, s)| s);
                let column = match source {
                    Some(Source::Column(i)) => Some(*i),
                    None if *naam == "pgn" && *table != "niet_gevonden" => Some(layout.person_key[0]),
                    _ => None,
                };
                fields.push(
                    column.map(|i| (i, layout.columns[i].rule.date.clone().filter(|_| layout.columns[i].rule.kind == ValueKind::Date))),
                );
            }
            slots.push((*code, fields));
        }
        if !slots.iter().any(|(c, f)| *c == "PER" && f.iter().any(Option::is_some)) {
            return Err(Error::layout(&layout.name, "fills no persoon columns, which the generator writes"));
        }
        let peildatum = layout.facts.column(crate::layout::Fact::Peildatum).map(|i| {
            let fmt = layout.columns[i].rule.date.clone().unwrap_or_else(|| DateFormat::parse_pattern("JJJJMMDD").expect("valid"));
            (i, fmt.format_days(peildatum))
        });
        Ok(CsvVorm {
            headers: layout.columns.iter().map(|c| c.header.clone()).collect(),
            quoting: layout.dialect.quoting,
            slots,
            peildatum,
        })
    }
}

impl Schrijver {
    /// `peildatum` is the delivery's: a header-CSV layout may write it in a column.
    pub fn new(layout: &DeliveryLayout, separator: Option<u8>, codering: Codering, peildatum: i32) -> Result<Schrijver> {
        match layout {
            DeliveryLayout::Records(l) => Schrijver::records(l, separator, codering),
            DeliveryLayout::Csv(l) => {
                let separator = char::from(separator.or_else(|| l.dialect.separators.first().copied()).unwrap_or(b';'));
                Ok(Schrijver { fixed: false, separator, codering, plans: Vec::new(), csv: Some(CsvVorm::new(l, peildatum)?) })
            }
        }
    }

    /// What a file of this layout is named with: `.csv` for a header CSV.
    pub fn extensie(&self) -> &'static str {
        if self.csv.is_some() { "csv" } else { "txt" }
    }

    /// Lines around the records that count as records (header and trailer).
    pub fn omlijsting(&self) -> u64 {
        if self.csv.is_some() { 0 } else { 2 }
    }

    fn records(layout: &Layout, separator: Option<u8>, codering: Codering) -> Result<Schrijver> {
        let (fixed, separator) = match &layout.format {
            Format::Fixed => (true, ' '),
            Format::Delimited { separators } => {
                let s = separator.or_else(|| separators.first().copied()).unwrap_or(b'|');
                (false, char::from(s))
            }
        };
        let mut plans = Vec::new();
        for (code, namen) in VELDEN {
            let rec = layout
                .records
                .iter()
                .find(|r| r.code == *code)
                .ok_or_else(|| Error::layout(&layout.name, format!("has no record {code}, which the generator writes")))?;
            for naam in *namen {
                if rec.field_index(naam).is_none() {
                    return Err(Error::layout(&layout.name, format!("record {code} has no field {naam}, which the generator fills")));
                }
            }
            let slots = rec
                .fields
                .iter()
                .skip(1)
                .map(|f| Slot {
                    bron: namen.iter().position(|n| *n == f.name),
                    datum: match &f.ty {
                        FieldType::Date(fmt) => Some(fmt.clone()),
                        _ => None,
                    },
                    start: f.start,
                    width: f.width,
                })
                .collect();
            plans.push(Plan { code: code.to_string(), slots });
        }
        Ok(Schrijver { fixed, separator, codering, plans, csv: None })
    }

    /// The bytes that open the file (a byte order mark, when chosen).
    pub fn begin(&self) -> &'static [u8] {
        if self.codering.utf8 && self.codering.bom { b"\xEF\xBB\xBF" } else { b"" }
    }

    /// Appends one record, encoded and with its line end. For a header CSV:
    /// the header writes the column names, the trailer nothing, a person's
    /// records are gathered until [`Schrijver::persoon_af`].
    pub fn regel(&self, uit: &mut Vec<u8>, code: &str, velden: &[Veld]) {
        if let Some(csv) = &self.csv {
            match code {
                "VLP" => self.rij(uit, &csv.headers),
                "SLR" => {}
                "NGV" => {
                    let mut rij = vec![String::new(); csv.headers.len()];
                    csv_velden(csv, code, velden, &mut rij);
                    self.rij(uit, &rij);
                }
                _ => {
                    uit.extend_from_slice(code.as_bytes());
                    for v in velden {
                        uit.push(FIELD_END);
                        match v {
                            Veld::Tekst(t) => uit.extend_from_slice(t.as_bytes()),
                            Veld::Datum(Some(d)) => uit.extend_from_slice(d.to_string().as_bytes()),
                            Veld::Datum(None) => {}
                        }
                    }
                    uit.push(RECORD_END);
                }
            }
            return;
        }
        let plan = self.plans.iter().find(|p| p.code == code).expect("the generator writes only the records of VELDEN");
        let mut line = String::with_capacity(128);
        line.push_str(&plan.code);
        let mut pos = plan.code.chars().count();
        for slot in &plan.slots {
            let tekst: Cow<str> = match slot.bron.map(|i| velden[i]) {
                None => Cow::Borrowed(""),
                Some(Veld::Tekst(t)) => Cow::Borrowed(t),
                Some(Veld::Datum(None)) => Cow::Borrowed(""),
                Some(Veld::Datum(Some(d))) => {
                    Cow::Owned(slot.datum.as_ref().map(|f| f.format_days(d)).unwrap_or_else(|| super::datum::iso(d)))
                }
            };
            if self.fixed {
                while pos < slot.start {
                    line.push(' ');
                    pos += 1;
                }
                let mut n = 0;
                for c in tekst.chars().take(slot.width) {
                    line.push(c);
                    n += 1;
                }
                for _ in n..slot.width {
                    line.push(' ');
                }
                pos += slot.width;
            } else {
                line.push(self.separator);
                line.push_str(&tekst);
            }
        }
        if self.codering.utf8 {
            uit.extend_from_slice(line.as_bytes());
        } else {
            uit.extend_from_slice(&ansi(&line));
        }
        uit.extend_from_slice(if self.codering.crlf { b"\r\n" } else { b"\n" });
    }
}

impl Schrijver {
    /// A header CSV: turns the person's records gathered since `begin` into
    /// rows; returns how many. `None` for a record layout (nothing to do).
    pub fn persoon_af(&self, uit: &mut Vec<u8>, begin: usize) -> Option<u64> {
        let csv = self.csv.as_ref()?;
        let gathered = String::from_utf8(uit.split_off(begin)).expect("gathered as UTF-8");
        let mut per_code: Vec<(&str, Vec<Vec<&str>>)> = Vec::new();
        for rec in gathered.split(RECORD_END as char).filter(|r| !r.is_empty()) {
            let mut parts = rec.split(FIELD_END as char);
            let code = parts.next().unwrap_or_default();
            let values: Vec<&str> = parts.collect();
            match per_code.iter_mut().find(|(c, _)| *c == code) {
                Some((_, list)) => list.push(values),
                None => per_code.push((code, vec![values])),
            }
        }
        let rows = per_code.iter().filter(|(c, _)| *c != "PER").map(|(_, l)| l.len()).max().unwrap_or(0).max(1);
        for k in 0..rows {
            let mut rij = vec![String::new(); csv.headers.len()];
            for (code, list) in &per_code {
                let record = if *code == "PER" { list.first() } else { list.get(k) };
                if let Some(values) = record {
                    let velden: Vec<Veld> = values.iter().map(|v| Veld::Tekst(v)).collect();
                    csv_velden(csv, code, &velden, &mut rij);
                }
            }
            self.rij(uit, &rij);
        }
        Some(rows as u64)
    }

    fn rij(&self, uit: &mut Vec<u8>, waarden: &[String]) {
        let csv = self.csv.as_ref().expect("a header-CSV writer");
        let mut line = String::with_capacity(256);
        for (i, w) in waarden.iter().enumerate() {
            if i > 0 {
                line.push(self.separator);
            }
            if csv.quoting && (w.contains(self.separator) || w.contains('"')) {
                line.push('"');
                line.push_str(&w.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(w);
            }
        }
        if self.codering.utf8 {
            uit.extend_from_slice(line.as_bytes());
        } else {
            uit.extend_from_slice(&ansi(&line));
        }
        uit.extend_from_slice(if self.codering.crlf { b"\r\n" } else { b"\n" });
    }
}

/// Puts one record's values into a row: dates (gathered as day numbers)
/// in their column's format, the peildatum in its column.
fn csv_velden(csv: &CsvVorm, code: &str, velden: &[Veld], rij: &mut [String]) {
    let Some((_, slots)) = csv.slots.iter().find(|(c, _)| *c == code) else { return };
    for (slot, veld) in slots.iter().zip(velden) {
        let Some((i, datum)) = slot else { continue };
        rij[*i] = match (veld, datum) {
            (Veld::Tekst(t), Some(fmt)) if !t.is_empty() => t.parse::<i32>().map(|d| fmt.format_days(d)).unwrap_or_default(),
            (Veld::Datum(Some(d)), Some(fmt)) => fmt.format_days(*d),
            (Veld::Tekst(t), _) => t.to_string(),
            (Veld::Datum(_), _) => String::new(),
        };
    }
    if let Some((i, p)) = &csv.peildatum {
        rij[*i] = p.clone();
    }
}

/// Windows-1252 bytes; letters it cannot hold become their base letter
/// (`ş` → `s`), as DUO's ANSI export does, rather than `?`.
fn ansi(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let (bytes, _, onvertaalbaar) = encoding_rs::WINDOWS_1252.encode(s);
    if !onvertaalbaar {
        return bytes.into_owned();
    }
    let plat: String = s.chars().map(translitereer).collect();
    encoding_rs::WINDOWS_1252.encode(&plat).0.into_owned()
}

fn translitereer(c: char) -> char {
    match c {
        'ş' | 'ș' | 'ś' => 's',
        'Ş' | 'Ș' | 'Ś' => 'S',
        'ı' => 'i',
        'İ' => 'I',
        'ğ' => 'g',
        'Ğ' => 'G',
        'ễ' | 'ě' | 'ę' | 'ė' => 'e',
        'ř' => 'r',
        'Ř' => 'R',
        'č' | 'ć' => 'c',
        'Č' | 'Ć' => 'C',
        'đ' => 'd',
        'Đ' => 'D',
        'ł' => 'l',
        'Ł' => 'L',
        'ń' => 'n',
        'ő' => 'o',
        'ű' => 'u',
        'ț' => 't',
        'ă' | 'ą' => 'a',
        c if (c as u32) < 0x100 => c,
        _ => '?',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_the_layouts_read() {
        let l = DeliveryLayout::builtin("vzl1").unwrap();
        let s = Schrijver::new(&l, Some(b';'), Codering::ANSI, 0).unwrap();
        let mut out = Vec::new();
        s.regel(&mut out, "VRS", &[Veld::Tekst("123456782"), Veld::Tekst("5A"), Veld::Datum(Some(0)), Veld::Datum(None)]);
        assert_eq!(out, b"VRS;123456782;5A;19700101;\r\n");
        let fw = DeliveryLayout::builtin("vzl1-fw").unwrap();
        let s = Schrijver::new(&fw, None, Codering { utf8: true, bom: false, crlf: false }, 0).unwrap();
        let mut out = Vec::new();
        s.regel(&mut out, "SKW", &[Veld::Tekst("123456782"), Veld::Tekst("N"), Veld::Datum(None)]);
        assert_eq!(out, b"SKW123456782N        \n");
    }

    #[test]
    fn ansi_keeps_what_it_can_and_flattens_the_rest() {
        assert_eq!(ansi("Zoë Şahin Nguyễn"), b"Zo\xEB Sahin Nguyen");
    }
}
