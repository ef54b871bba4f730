//! CSV that opens correctly in Dutch Excel: `;`-separated, UTF-8 with a
//! byte order mark (without it Excel reads the file as ANSI and breaks the
//! names), CRLF, and on request a decimal comma.

use std::path::Path;

use super::table::{Cell, Table, hidden_text};
use crate::error::Result;

pub fn to_csv(t: &Table, drempel: i64, decimaalkomma: bool) -> String {
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
                Cell::Text(s) => veld(s),
                Cell::Count(n) => n.to_string(),
                Cell::Percentage(p) | Cell::PerThousand(p) => {
                    let s = format!("{p:.2}");
                    if decimaalkomma { s.replace('.', ",") } else { s }
                }
                Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
                Cell::Hidden => hidden_text(drempel),
                Cell::Empty => String::new(),
            })
            .collect();
        uit.push_str(&velden.join(";"));
        uit.push_str("\r\n");
    }
    uit
}

pub fn write(path: &Path, t: &Table, drempel: i64, decimaalkomma: bool) -> Result<()> {
    super::write_file(path, to_csv(t, drempel, decimaalkomma).as_bytes())
}
