//! `verzuim inspect`: what a file is, before it is ingested.
//!
//! For a file a layout recognises: the layout, encoding, separator, counts
//! per record type (or per table, for a header CSV, with how each column
//! was read) and the first problems. For a file none recognises: a draft
//! layout file sniffed from its content — for a header CSV one that loads
//! the file as it is (`concept`), for a record file a start.

mod concept;

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use crate::layout::csv::looks_like_header_csv;
pub use concept::{draft_csv_layout, draft_csv_layout_from};

use crate::error::Problem;
use crate::input::{Encoding, read_text};
use crate::layout::{CsvLayout, DateFormat, DeliveryLayout};
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
        out.draft = Some(if looks_like_header_csv(&text) { draft_csv_layout(&text, encoding, file_name) } else { draft_layout(&text) });
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

/// Sniffs a layout from a delimited file: the separator used most
/// consistently, each record code with its field count, and fields that look
/// like dates, whole numbers or J/N flags. Values are never copied into it.
pub fn draft_layout(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).take(5000).collect();
    let separator = [b'|', b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&s| lines.iter().filter(|l| l.as_bytes().contains(&s)).count() * 10 + usize::from(s == b'|'));
    let separator = separator.filter(|&s| lines.iter().any(|l| l.as_bytes().contains(&s)));
    let mut s = String::new();
    let _ = writeln!(s, "# Draft layout written by `verzuim inspect`: check every line, name the fields,");
    let _ = writeln!(s, "# set `table` per record and the person records, then pass it with --layout.");
    let _ = writeln!(s, "[layout]\nname = \"DRAFT\"");
    let Some(sep) = separator else {
        let _ = writeln!(s, "format = \"fixed\"\n# no separator found: give each field a `width`.");
        let _ = writeln!(s, "recognise = [{:?}]", lines.first().map(|l| l.chars().take(3).collect::<String>()).unwrap_or_default());
        return s;
    };
    let sepc = sep as char;
    let first_code = lines.first().and_then(|l| l.split(sepc).next()).unwrap_or("");
    let _ = writeln!(s, "format = \"delimited\"\nseparators = [{:?}]", sepc.to_string());
    let _ = writeln!(s, "recognise = [{:?}]\ndate_format = \"JJJJMMDD\"\n", format!("{first_code}{sepc}"));

    // per record code: field count and per field what every non-empty value looks like
    let compact = DateFormat::parse_pattern("JJJJMMDD").expect("valid");
    let dutch = DateFormat::parse_pattern("D-M-JJJJ").expect("valid");
    let mut order: Vec<String> = Vec::new();
    let mut shapes: BTreeMap<String, Vec<[bool; 4]>> = BTreeMap::new(); // date-compact, date-dutch, integer, flag
    for l in &lines {
        let fields: Vec<&str> = l.split(sepc).map(str::trim).collect();
        let code = fields[0].to_string();
        if !shapes.contains_key(&code) {
            order.push(code.clone());
        }
        let entry = shapes.entry(code).or_default();
        if entry.len() < fields.len() {
            entry.resize(fields.len(), [true; 4]);
        }
        for (i, v) in fields.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let e = &mut entry[i];
            e[0] &= compact.parse_days(v).is_some();
            e[1] &= dutch.parse_days(v).is_some();
            e[2] &= v.bytes().all(|b| b.is_ascii_digit()) && v.len() <= 9;
            e[3] &= *v == "J" || *v == "N";
        }
    }
    let last_code = lines.last().and_then(|l| l.split(sepc).next()).unwrap_or("");
    let second_code = lines.get(1).and_then(|l| l.split(sepc).next()).unwrap_or("");
    let _ = writeln!(
        s,
        "[file]\nheader = {first_code:?}\ntrailer = {last_code:?}\nperson = {second_code:?}   # guess: the record after the header\nperson_key = \"veld2\"        # guess\n"
    );
    for code in &order {
        let fields = &shapes[code];
        let _ = writeln!(s, "[records.{code:?}]\n# table = \"…\"\nfields = [");
        for (i, shape) in fields.iter().enumerate() {
            let (guess, note) = if i == 0 {
                ("", "")
            } else if shape[0] {
                (", type = \"date\"", "")
            } else if shape[1] {
                (", type = \"date\", format = \"D-M-JJJJ\"", "")
            } else if shape[3] {
                (", type = \"flag\"", "")
            } else if shape[2] {
                ("", "  # digits only: a number, or a code kept as text")
            } else {
                ("", "")
            };
            let name = if i == 0 { "recordsoort".to_string() } else { format!("veld{}", i + 1) };
            let _ = writeln!(s, "  {{ name = {name:?}{guess} }},{note}");
        }
        let _ = writeln!(s, "]\n");
    }
    s
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
