//! CSV that opens correctly in Dutch Excel: `;`-separated, UTF-8 with a
//! byte order mark (without it Excel reads the file as ANSI and breaks the
//! names), CRLF, and on request a decimal comma.

use std::path::Path;

use super::tabel::{Tabel, Waarde, verborgen_tekst};
use crate::error::Result;

pub fn tekst(t: &Tabel, drempel: i64, decimaalkomma: bool) -> String {
    let veld = |s: &str| {
        if s.contains([';', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    let mut uit = String::from("\u{feff}");
    let kop: Vec<String> = t.kolommen.iter().map(|k| veld(&k.kop)).collect();
    uit.push_str(&kop.join(";"));
    uit.push_str("\r\n");
    for rij in &t.rijen {
        let velden: Vec<String> = rij
            .iter()
            .map(|w| match w {
                Waarde::Tekst(s) => veld(s),
                Waarde::Aantal(n) => n.to_string(),
                Waarde::Percentage(p) => {
                    let s = format!("{p:.2}");
                    if decimaalkomma { s.replace('.', ",") } else { s }
                }
                Waarde::Datum(d) => d.format("%Y-%m-%d").to_string(),
                Waarde::Verborgen => verborgen_tekst(drempel),
                Waarde::Leeg => String::new(),
            })
            .collect();
        uit.push_str(&velden.join(";"));
        uit.push_str("\r\n");
    }
    uit
}

pub fn schrijf(path: &Path, t: &Tabel, drempel: i64, decimaalkomma: bool) -> Result<()> {
    super::schrijf_bestand(path, tekst(t, drempel, decimaalkomma).as_bytes())
}
