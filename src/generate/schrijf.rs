//! Writing records through a layout: the parser's layout files, used the
//! other way round. A field is found by its name, so a layout that orders,
//! pads or dates its fields differently is written the way it is read.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::layout::{FieldType, Format, Layout};

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
}

impl Schrijver {
    pub fn new(layout: &Layout, separator: Option<u8>, codering: Codering) -> Result<Schrijver> {
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
        Ok(Schrijver { fixed, separator, codering, plans })
    }

    /// The bytes that open the file (a byte order mark, when chosen).
    pub fn begin(&self) -> &'static [u8] {
        if self.codering.utf8 && self.codering.bom { b"\xEF\xBB\xBF" } else { b"" }
    }

    /// Appends one record, encoded and with its line end.
    pub fn regel(&self, uit: &mut Vec<u8>, code: &str, velden: &[Veld]) {
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
        let l = Layout::builtin("vzl1").unwrap();
        let s = Schrijver::new(&l, Some(b';'), Codering::ANSI).unwrap();
        let mut out = Vec::new();
        s.regel(&mut out, "VRS", &[Veld::Tekst("123456782"), Veld::Tekst("5A"), Veld::Datum(Some(0)), Veld::Datum(None)]);
        assert_eq!(out, b"VRS;123456782;5A;19700101;\r\n");
        let fw = Layout::builtin("vzl1-fw").unwrap();
        let s = Schrijver::new(&fw, None, Codering { utf8: true, bom: false, crlf: false }).unwrap();
        let mut out = Vec::new();
        s.regel(&mut out, "SKW", &[Veld::Tekst("123456782"), Veld::Tekst("N"), Veld::Datum(None)]);
        assert_eq!(out, b"SKW123456782N        \n");
    }

    #[test]
    fn ansi_keeps_what_it_can_and_flattens_the_rest() {
        assert_eq!(ansi("Zoë Şahin Nguyễn"), b"Zo\xEB Sahin Nguyen");
    }
}
