//! Writing records through a layout: the parser's layout files, used the
//! other way round. A field is found by its name, so a layout that orders,
//! pads or dates its fields differently is written the way it is read.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::layout::{CsvLayout, DateFormat, DeliveryLayout, FieldType, Format, RecordLayout, Source, ValueKind};

/// A value in the reference layout's terms.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    Tekst(&'a str),
    Datum(Option<i32>),
}

/// The fields the generator fills, per record, in the reference layout's
/// order (the record code itself left out).
pub const FIELDS: &[(&str, &[&str])] = &[
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
pub struct Encoding {
    pub utf8: bool,
    pub bom: bool,
    pub crlf: bool,
}

impl Encoding {
    /// DUO's own: Windows-1252, CRLF.
    pub const ANSI: Encoding = Encoding { utf8: false, bom: false, crlf: true };

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

struct RecordSlots {
    code: String,
    slots: Vec<Slot>,
}

pub struct Writer {
    fixed: bool,
    separator: char,
    encoding: Encoding,
    plans: Vec<RecordSlots>,
    /// Set for a header-CSV layout: how records become rows.
    csv: Option<CsvShape>,
}

/// A header-CSV layout used the other way round: each record's fields land
/// in the columns that fill their canonical columns; a person's records are
/// gathered and written as rows, the k-th row holding the k-th record of
/// each kind, the person's columns (and the peildatum) on every row.
struct CsvShape {
    headers: Vec<String>,
    quoting: bool,
    /// Per record code of [`FIELDS`]: per field the column and its date format.
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

impl CsvShape {
    fn new(layout: &CsvLayout, peildatum: i32) -> Result<CsvShape> {
        let mut slots = Vec::new();
        for (code, table) in TABELLEN {
            let namen = FIELDS.iter().find(|(c, _)| c == code).map(|(_, n)| *n).unwrap_or(&[]);
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
        Ok(CsvShape {
            headers: layout.columns.iter().map(|c| c.header.clone()).collect(),
            quoting: layout.dialect.quoting,
            slots,
            peildatum,
        })
    }
}

impl Writer {
    /// `peildatum` is the delivery's: a header-CSV layout may write it in a column.
    pub fn new(layout: &DeliveryLayout, separator: Option<u8>, encoding: Encoding, peildatum: i32) -> Result<Writer> {
        match layout {
            DeliveryLayout::Records(l) => Writer::records(l, separator, encoding),
            DeliveryLayout::Csv(l) => {
                let separator = char::from(separator.or_else(|| l.dialect.separators.first().copied()).unwrap_or(b';'));
                Ok(Writer { fixed: false, separator, encoding, plans: Vec::new(), csv: Some(CsvShape::new(l, peildatum)?) })
            }
        }
    }

    /// What a file of this layout is named with: `.csv` for a header CSV.
    pub fn extension(&self) -> &'static str {
        if self.csv.is_some() { "csv" } else { "txt" }
    }

    /// Lines around the records that count as records (header and trailer).
    pub fn omlijsting(&self) -> u64 {
        if self.csv.is_some() { 0 } else { 2 }
    }

    fn records(layout: &RecordLayout, separator: Option<u8>, encoding: Encoding) -> Result<Writer> {
        let (fixed, separator) = match &layout.format {
            Format::Fixed => (true, ' '),
            Format::Delimited { separators } => {
                let s = separator.or_else(|| separators.first().copied()).unwrap_or(b'|');
                (false, char::from(s))
            }
        };
        let mut plans = Vec::new();
        for (code, namen) in FIELDS {
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
            plans.push(RecordSlots { code: code.to_string(), slots });
        }
        Ok(Writer { fixed, separator, encoding, plans, csv: None })
    }

    /// The bytes that open the file (a byte order mark, when chosen).
    pub fn begin(&self) -> &'static [u8] {
        if self.encoding.utf8 && self.encoding.bom { b"\xEF\xBB\xBF" } else { b"" }
    }

    /// Appends one record, encoded and with its line end. For a header CSV:
    /// the header writes the column names, the trailer nothing, a person's
    /// records are gathered until [`Writer::persoon_af`].
    pub fn write_record(&self, uit: &mut Vec<u8>, code: &str, velden: &[Field]) {
        if let Some(csv) = &self.csv {
            match code {
                "VLP" => self.write_row(uit, &csv.headers),
                "SLR" => {}
                "NGV" => {
                    let mut rij = vec![String::new(); csv.headers.len()];
                    csv_fields(csv, code, velden, &mut rij);
                    self.write_row(uit, &rij);
                }
                _ => {
                    uit.extend_from_slice(code.as_bytes());
                    for v in velden {
                        uit.push(FIELD_END);
                        match v {
                            Field::Tekst(t) => uit.extend_from_slice(t.as_bytes()),
                            Field::Datum(Some(d)) => uit.extend_from_slice(d.to_string().as_bytes()),
                            Field::Datum(None) => {}
                        }
                    }
                    uit.push(RECORD_END);
                }
            }
            return;
        }
        let plan = self.plans.iter().find(|p| p.code == code).expect("the generator writes only the records of FIELDS");
        let mut line = String::with_capacity(128);
        line.push_str(&plan.code);
        let mut pos = plan.code.chars().count();
        for slot in &plan.slots {
            let tekst: Cow<str> = match slot.bron.map(|i| velden[i]) {
                None => Cow::Borrowed(""),
                Some(Field::Tekst(t)) => Cow::Borrowed(t),
                Some(Field::Datum(None)) => Cow::Borrowed(""),
                Some(Field::Datum(Some(d))) => {
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
        if self.encoding.utf8 {
            uit.extend_from_slice(line.as_bytes());
        } else {
            uit.extend_from_slice(&ansi(&line));
        }
        uit.extend_from_slice(if self.encoding.crlf { b"\r\n" } else { b"\n" });
    }
}

impl Writer {
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
                    let velden: Vec<Field> = values.iter().map(|v| Field::Tekst(v)).collect();
                    csv_fields(csv, code, &velden, &mut rij);
                }
            }
            self.write_row(uit, &rij);
        }
        Some(rows as u64)
    }

    fn write_row(&self, uit: &mut Vec<u8>, waarden: &[String]) {
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
        if self.encoding.utf8 {
            uit.extend_from_slice(line.as_bytes());
        } else {
            uit.extend_from_slice(&ansi(&line));
        }
        uit.extend_from_slice(if self.encoding.crlf { b"\r\n" } else { b"\n" });
    }
}

/// Puts one record's values into a row: dates (gathered as day numbers)
/// in their column's format, the peildatum in its column.
fn csv_fields(csv: &CsvShape, code: &str, velden: &[Field], rij: &mut [String]) {
    let Some((_, slots)) = csv.slots.iter().find(|(c, _)| *c == code) else { return };
    for (slot, veld) in slots.iter().zip(velden) {
        let Some((i, datum)) = slot else { continue };
        rij[*i] = match (veld, datum) {
            (Field::Tekst(t), Some(fmt)) if !t.is_empty() => t.parse::<i32>().map(|d| fmt.format_days(d)).unwrap_or_default(),
            (Field::Datum(Some(d)), Some(fmt)) => fmt.format_days(*d),
            (Field::Tekst(t), _) => t.to_string(),
            (Field::Datum(_), _) => String::new(),
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
    let plat: String = s.chars().map(transliterate).collect();
    encoding_rs::WINDOWS_1252.encode(&plat).0.into_owned()
}

fn transliterate(c: char) -> char {
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
        let s = Writer::new(&l, Some(b';'), Encoding::ANSI, 0).unwrap();
        let mut out = Vec::new();
        s.write_record(&mut out, "VRS", &[Field::Tekst("123456782"), Field::Tekst("5A"), Field::Datum(Some(0)), Field::Datum(None)]);
        assert_eq!(out, b"VRS;123456782;5A;19700101;\r\n");
        let fw = DeliveryLayout::builtin("vzl1-fw").unwrap();
        let s = Writer::new(&fw, None, Encoding { utf8: true, bom: false, crlf: false }, 0).unwrap();
        let mut out = Vec::new();
        s.write_record(&mut out, "SKW", &[Field::Tekst("123456782"), Field::Tekst("N"), Field::Datum(None)]);
        assert_eq!(out, b"SKW123456782N        \n");
    }

    #[test]
    fn ansi_keeps_what_it_can_and_flattens_the_rest() {
        assert_eq!(ansi("Zoë Şahin Nguyễn"), b"Zo\xEB Sahin Nguyen");
    }
}
