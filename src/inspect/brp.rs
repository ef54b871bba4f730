//! A BRP layout drafted from an extract whose columns the shipped one does
//! not name: `verzuim inspect FILE --brp --draft OUT.toml`. Each header is
//! looked up in the BRP vocabulary (`pipelines/vocabulary/brp-kolommen.toml`,
//! `[[brp]]`), its values sniffed as a delivery's are (dates, `00` for an
//! unknown part, zero padding); a column the vocabulary does not know is
//! left unread — the lake keeps only what the comparison needs. No value of
//! the file is copied into the draft.

use crate::brp::layout::{COLUMNS, INDISPENSABLE};
use crate::layout::ValueKind;
use crate::layout::csv::{first_line, separator_of};

use super::drafter::{brp_vocabulary, loose, sniff};

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The draft, or why none can be made (the file's header lacks a BSN or a
/// birth date column the vocabulary knows: the message names the headers).
pub fn draft_brp_layout(text: &str, file_name: &str) -> std::result::Result<String, String> {
    let separator = separator_of(first_line(text)).unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new().delimiter(separator).has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> =
        reader.headers().map_err(|e| format!("the header line cannot be read as CSV: {e}"))?.iter().map(|h| h.trim().to_string()).collect();
    let mut values: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("row {} cannot be read as CSV: {e}", i + 2))?;
        for (c, v) in row.iter().enumerate().take(headers.len()) {
            values[c].push(v.trim().to_string());
        }
    }
    let vocabulary = brp_vocabulary();
    // per BRP column, the first header that fills it
    let mut mapped: Vec<(&str, ValueKind, usize)> = Vec::new();
    let mut unread: Vec<&str> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let term = vocabulary.iter().find(|t| t.headers.iter().any(|x| loose(x) == loose(h)));
        match term.and_then(|t| COLUMNS.iter().find(|(n, _)| *n == t.name)) {
            Some((name, kind)) if !mapped.iter().any(|(n, _, _)| n == name) => mapped.push((name, *kind, i)),
            _ => unread.push(h),
        }
    }
    let missing: Vec<&str> = INDISPENSABLE.iter().copied().filter(|n| !mapped.iter().any(|(m, _, _)| m == n)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "no column for {} among the headers {}: add its header to pipelines/vocabulary/brp-kolommen.toml, or write the layout from pipelines/brp/brp.toml",
            missing.join(" and "),
            headers.join(", ")
        ));
    }
    let mut out = String::new();
    out.push_str(&format!(
        "# BRP layout drafted by `verzuim inspect --brp` from {} ({} rows). Check it, then:\n#   verzuim brp load FILE --layout THIS.toml\n",
        quoted(file_name),
        values.first().map_or(0, Vec::len)
    ));
    if !unread.is_empty() {
        out.push_str(&format!("# Left unread (not needed for the comparison): {}\n", unread.join(", ")));
    }
    out.push_str(&format!(
        "\n[layout]\nname = {}\ndescription = \"BRP extract, drafted\"\nseparator = {}\nquoting = true\nnull = [\"\", \"00000000\"]\n",
        quoted(&format!("BRP ({file_name})")),
        quoted(&(separator as char).to_string())
    ));
    let has = |n: &str| mapped.iter().any(|(m, _, _)| *m == n);
    out.push_str("\n[extract]\n");
    if !has("gemeentecode") || !has("peildatum") {
        out.push_str(
            "# the gemeente and date the rows do not give: from the file name (0363_20261001.csv), else --gemeente and --peildatum\n",
        );
    }
    out.push_str("file_name = '(?<gemeente>[0-9]{4})[^0-9]+(?<peildatum>[0-9]{8})'\nfile_name_date_format = \"JJJJMMDD\"\n");
    for (name, kind, i) in &mapped {
        let vals: Vec<&str> = values[*i].iter().map(String::as_str).collect();
        out.push_str(&column(&headers[*i], name, *kind, &vals));
    }
    Ok(out)
}

/// One `[[column]]` of the draft: the BRP column `name` read from `header`,
/// its rules sniffed from all its `values`.
fn column(header: &str, name: &str, kind: ValueKind, values: &[&str]) -> String {
    let pad = match name {
        "bsn" => Some(9),
        "gemeentecode" => Some(4),
        _ => None,
    };
    let s = sniff(header, values, Some(kind), pad, &[String::new()]);
    let mut out = format!("\n[[column]]\nheader = {}\nname = {}\n", quoted(header), quoted(name));
    if kind == ValueKind::Date {
        let format = s.date.unwrap_or("JJJJMMDD");
        match s.also {
            // an export merged from two systems: both formats, the first the one most values are in
            Some(also) => out.push_str(&format!("type = \"date\"\nformat = [{}, {}]\n", quoted(format), quoted(also))),
            None => out.push_str(&format!("type = \"date\"\nformat = {}\n", quoted(format))),
        }
        // the BRP writes `00` for an unknown month or day in its eight-digit dates
        if s.unknown_parts || format == "JJJJMMDD" {
            out.push_str("unknown_date_parts = \"first\"\n");
        }
    }
    if let Some(p) = pad.or(s.pad) {
        out.push_str(&format!("pad = {p}\n"));
    }
    if s.whole_number {
        out.push_str("whole_number = true\n");
    }
    if name == "bsn" {
        out.push_str("check = \"bsn\"\n");
    }
    if INDISPENSABLE.contains(&name) {
        out.push_str("required = true\n");
    }
    out
}
