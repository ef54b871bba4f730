//! The Excel workbook of a regio: a Toelichting sheet first, then one sheet
//! per figure with a frozen, filterable header row.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::table::{Cell, ColumnKind, Table, hidden_text};
use crate::error::{Error, Result};

fn xerr(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::io(path, std::io::Error::other(e.to_string()))
}

/// Sheet names: at most 31 characters, unique.
fn sheet_name(naam: &str) -> String {
    naam.replace('_', " ").chars().take(31).collect()
}

pub struct Toelichting<'a> {
    pub titel: &'a str,
    /// (key, value) lines: regio, data date, teljaar, bekend_op, threshold …
    pub regels: Vec<(String, String)>,
}

pub fn write(path: &Path, toelichting: &Toelichting, tabellen: &[&Table], drempel: i64) -> Result<()> {
    write_with(path, toelichting, tabellen, drempel, false)
}

/// `prive`: the file holds per-person data and is created owner-only.
pub fn write_with(path: &Path, toelichting: &Toelichting, tabellen: &[&Table], drempel: i64, prive: bool) -> Result<()> {
    let e = xerr(path);
    let mut wb = Workbook::new();
    let kop = Format::new().set_bold().set_background_color("D9E2F3").set_text_wrap().set_align(FormatAlign::Top);
    let vet = Format::new().set_bold();
    let aantal = Format::new().set_num_format("#,##0");
    let pct = Format::new().set_num_format("0.00\\%");
    let per_mille = Format::new().set_num_format("0.00");
    let datum = Format::new().set_num_format("dd-mm-yyyy");
    let rechts = Format::new().set_align(FormatAlign::Right);
    let omslag = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    {
        let ws = wb.add_worksheet();
        ws.set_name("Toelichting").map_err(&e)?;
        ws.set_column_width(0, 28).map_err(&e)?;
        ws.set_column_width(1, 100).map_err(&e)?;
        ws.write_string_with_format(0, 0, toelichting.titel, &Format::new().set_bold().set_font_size(14)).map_err(&e)?;
        let mut r = 2;
        for (k, v) in &toelichting.regels {
            ws.write_string_with_format(r, 0, k, &vet).map_err(&e)?;
            ws.write_string_with_format(r, 1, v, &omslag).map_err(&e)?;
            r += 1;
        }
        r += 1;
        ws.write_string_with_format(r, 0, "Blad", &kop).map_err(&e)?;
        ws.write_string_with_format(r, 1, "Wat het laat zien", &kop).map_err(&e)?;
        for t in tabellen {
            r += 1;
            ws.write_string_with_format(r, 0, sheet_name(&t.naam), &vet).map_err(&e)?;
            ws.write_string_with_format(r, 1, format!("{}. {}", t.titel, t.uitleg), &omslag).map_err(&e)?;
        }
    }
    for t in tabellen {
        let ws: &mut Worksheet = wb.add_worksheet();
        ws.set_name(sheet_name(&t.naam)).map_err(&e)?;
        for (c, k) in t.kolommen.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, &k.kop, &kop).map_err(&e)?;
            let breed = match k.soort {
                ColumnKind::Text => (k.kop.chars().count().max(12) + 2) as f64,
                _ => 14.0,
            };
            ws.set_column_width(c, breed.min(40.0)).map_err(&e)?;
        }
        for (r, rij) in t.rijen.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, w) in rij.iter().enumerate() {
                let c = c as u16;
                match w {
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    Cell::Count(n) => ws.write_number_with_format(r, c, *n as f64, &aantal).map(|_| ()),
                    // stored as a number (12.5) shown with a % sign, so that Excel can compute with it
                    Cell::Percentage(p) => ws.write_number_with_format(r, c, *p, &pct).map(|_| ()),
                    Cell::PerThousand(p) => ws.write_number_with_format(r, c, *p, &per_mille).map(|_| ()),
                    Cell::Date(d) => {
                        let x = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            chrono::Datelike::year(d) as u16,
                            chrono::Datelike::month(d) as u8,
                            chrono::Datelike::day(d) as u8,
                        )
                        .map_err(&e)?;
                        ws.write_datetime_with_format(r, c, &x, &datum).map(|_| ())
                    }
                    Cell::Hidden => ws.write_string_with_format(r, c, hidden_text(drempel), &rechts).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(&e)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(&e)?;
        let laatste_kolom = t.kolommen.len().saturating_sub(1) as u16;
        ws.autofilter(0, 0, t.rijen.len() as u32, laatste_kolom).map_err(&e)?;
    }
    let bytes = wb.save_to_buffer().map_err(&e)?;
    if prive { super::write_private(path, &bytes) } else { super::write_file(path, &bytes) }
}
