//! `verzuim inspect`: what a file is, before it is ingested.
//!
//! For a file a layout recognises: the layout, encoding, separator, counts
//! per record type (or per table, for a header CSV, with how each column
//! was read) and the first problems. For a file none recognises: a draft
//! layout file sniffed from its content — for a header CSV one that loads
//! the file as it is (`concept`), for a record file a start.

mod brp;
mod draft;
mod drafter;

use std::fmt::Write as _;

pub use crate::layout::csv::looks_like_header_csv;
pub use brp::draft_brp_layout;
pub use draft::Draft;
pub use drafter::{analyse_csv, draft_csv_layout, draft_csv_layout_from, draft_record_layout};

use crate::error::Problem;
use crate::input::{Encoding, read_text};
use crate::layout::{CsvLayout, DeliveryLayout};
use crate::normalise::{DeliveryReader, Facts, Survey};

#[derive(Debug)]
pub struct Inspection {
    pub bytes: usize,
    pub encoding: Option<Encoding>,
    pub layout: Option<String>,
    pub separator: Option<char>,
    pub counts: Vec<(String, u64)>,
    pub problems: Vec<Problem>,
    pub bevindingen: u64,
    /// For an unrecognised file: a layout to start from.
    pub draft: Option<String>,
    /// For a header CSV: per layout column how it was read.
    pub columns: Vec<String>,
    /// The figures the layout cannot answer: its absent canonical columns.
    pub unanswerable: Vec<String>,
}

/// How many problems inspect lists at most.
pub const MAX_PROBLEMS: usize = 20;

/// `file_name` is the bare name (a header-CSV layout may read facts from it);
/// `given` the facts of the command line.
pub fn inspect(bytes: &[u8], file_name: &str, layouts: &[DeliveryLayout], forced: bool, given: &Facts) -> crate::Result<Inspection> {
    let mut out = Inspection {
        bytes: bytes.len(),
        encoding: None,
        layout: None,
        separator: None,
        counts: Vec::new(),
        problems: Vec::new(),
        bevindingen: 0,
        draft: None,
        columns: Vec::new(),
        unanswerable: Vec::new(),
    };
    let (text, encoding) = match read_text(bytes) {
        Ok(t) => t,
        Err(m) => {
            out.problems.push(Problem::file(m));
            return Ok(out);
        }
    };
    out.encoding = Some(encoding);
    let first = crate::layout::csv::first_line(&text);
    let chosen = if forced { layouts.first() } else { layouts.iter().find(|l| l.recognises(first)) };
    let Some(layout) = chosen else {
        out.problems.push(Problem::file(format!(
            "no layout recognises this file; tried {}",
            layouts.iter().map(|l| l.name()).collect::<Vec<_>>().join(", ")
        )));
        out.draft =
            Some(if looks_like_header_csv(&text) { draft_csv_layout(&text, encoding, file_name) } else { draft_record_layout(&text) });
        return Ok(out);
    };
    let reader = DeliveryReader::new(layout.clone())?;
    out.layout = Some(format!("{} ({})", layout.name(), layout.origin()));
    match &reader {
        DeliveryReader::Records(plan) => out.separator = plan.layout().separator_for(first).map(char::from),
        DeliveryReader::Csv(plan) => describe_columns(&mut out, plan.layout(), &text),
    }
    out.unanswerable = reader.unanswerable().iter().map(|u| u.to_string()).collect();
    let Survey { counts, problems, bevindingen } = reader.survey(&text, file_name, given, MAX_PROBLEMS);
    out.counts = counts;
    out.problems = problems;
    out.bevindingen = bevindingen;
    Ok(out)
}

/// `inspect --draft OUT FILE|DIR…`: one draft from the evidence of every
/// file given (header CSVs sharing one header: the types, formats and empty
/// columns of all of them); a single file as [`draft_for`].
pub fn draft_from_files(files: &[(Vec<u8>, String)], layouts: &[DeliveryLayout], forced: bool, given: &Facts) -> crate::Result<String> {
    if let [(bytes, name)] = files {
        return draft_for(bytes, name, layouts, forced, given);
    }
    let mut texts = Vec::new();
    for (bytes, name) in files {
        let (text, encoding) = read_text(bytes).map_err(|m| crate::Error::Usage(format!("{name}: {m}")))?;
        if !looks_like_header_csv(&text) {
            return Err(crate::Error::Usage(format!("{name} is no header CSV: draft a record file on its own")));
        }
        texts.push((text.into_owned(), encoding, name.clone()));
    }
    let refs: Vec<(&str, Encoding, &str)> = texts.iter().map(|(t, e, n)| (t.as_str(), *e, n.as_str())).collect();
    draft_csv_layout_from(&refs).map_err(crate::Error::Usage)
}

/// The draft `inspect --draft` writes: for a header CSV always its own
/// (even when a layout recognises the file), for another file the draft of
/// an unrecognised one. `Err` when there is nothing to draft.
pub fn draft_for(bytes: &[u8], file_name: &str, layouts: &[DeliveryLayout], forced: bool, given: &Facts) -> crate::Result<String> {
    let (text, encoding) = read_text(bytes).map_err(|m| crate::Error::Usage(format!("{file_name}: {m}")))?;
    if looks_like_header_csv(&text) {
        return Ok(draft_csv_layout(&text, encoding, file_name));
    }
    let inspection = inspect(bytes, file_name, layouts, forced, given)?;
    inspection.draft.ok_or_else(|| {
        crate::Error::Usage(format!(
            "{file_name}: layout {} recognises it, so there is nothing to draft",
            inspection.layout.as_deref().unwrap_or("?")
        ))
    })
}

/// A header CSV's separator, and per layout column where the file has it and how it is read.
fn describe_columns(out: &mut Inspection, layout: &CsvLayout, text: &str) {
    let (sep, header) = layout.dialect.header(text);
    out.separator = Some(char::from(sep));
    let keys: Vec<String> = header.iter().map(|h| crate::layout::header_key(h)).collect();
    for c in &layout.columns {
        let at = keys.iter().position(|k| *k == c.key);
        let r = &c.rule;
        let mut how = format!("{:?}", r.kind).to_lowercase();
        if let Some(d) = &r.date {
            how.push_str(&format!(" {}", d.pattern()));
            for a in &r.also {
                how.push_str(&format!(" or {}", a.pattern()));
            }
        }
        for (on, rule) in [
            (r.pad.is_some(), format!("pad {}", r.pad.unwrap_or(0))),
            (r.whole_number, "whole number".into()),
            (r.pattern.is_some(), "pattern".into()),
            (!r.map.is_empty(), "map".into()),
            (r.check.is_some(), "11-proef".into()),
            (r.required, "required".into()),
        ] {
            if on {
                how.push_str(&format!(", {rule}"));
            }
        }
        let found = match at {
            Some(i) => format!("column {}", i + 1),
            None if c.optional => "absent (optional)".into(),
            None => "MISSING".into(),
        };
        out.columns.push(format!("{:<28} → {:<26} {found}: {how}", c.header, c.name));
    }
}

impl Inspection {
    pub fn render(&self, name: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "file:        {name}");
        let _ = writeln!(s, "size:        {} bytes", self.bytes);
        if let Some(e) = self.encoding {
            let _ = writeln!(s, "encoding:    {}", e.label());
        }
        match &self.layout {
            Some(l) => {
                let _ = writeln!(s, "layout:      {l}");
            }
            None => {
                let _ = writeln!(s, "layout:      none recognised");
            }
        }
        if let Some(c) = self.separator {
            let _ = writeln!(s, "separator:   {c:?}");
        }
        if !self.columns.is_empty() {
            let _ = writeln!(s, "columns (file header → layout column, how read):");
            for c in &self.columns {
                let _ = writeln!(s, "  {c}");
            }
        }
        if !self.counts.is_empty() {
            let _ = writeln!(s, "{}:", if self.columns.is_empty() { "records" } else { "rows and tables" });
            let width = self.counts.iter().map(|(c, _)| c.len()).max().unwrap_or(6).max(6);
            for (code, n) in &self.counts {
                let _ = writeln!(s, "  {code:<width$} {n:>10}");
            }
            let _ = writeln!(s, "bevindingen: {}", self.bevindingen);
        }
        if !self.unanswerable.is_empty() {
            let _ = writeln!(s, "cannot answer (the layout leaves these columns absent):");
            for u in &self.unanswerable {
                let _ = writeln!(s, "  {u}");
            }
        }
        if self.problems.is_empty() {
            let _ = writeln!(s, "problems:    none");
        } else {
            let _ = writeln!(s, "problems (first {}):", self.problems.len());
            for p in &self.problems {
                let _ = writeln!(s, "  {p}");
            }
        }
        if let Some(d) = &self.draft {
            let _ = writeln!(s, "\n# ---- draft layout ----\n{d}");
        }
        s
    }
}
