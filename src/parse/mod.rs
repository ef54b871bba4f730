//! The parse core: lines → records → fields, with the file's structure
//! checked on the way (header first, trailer last, person blocks intact).
//!
//! Like BurntSushi's `csv` core it allocates nothing per record: fields are
//! slices of the decoded text, collected into one reused buffer. A large file
//! is cut into chunks at person boundaries so that chunks parse in parallel;
//! each chunk knows its first line number, so messages stay exact.
//! Header-CSV files are found row by row through [`HeaderCsv`]: the `csv`
//! crate finds the fields, quoted line ends included.

mod header_csv;
mod value;

use memchr::memchr;

use crate::error::Problem;
use crate::layout::{Counted, Format, RecordLayout, RecordSpec};
pub use header_csv::{CellProblem, HeaderCsv};
pub use value::{OwnedValue, UnknownCode, Value, elfproef_sum, mask, passes_11_proef, read_cell, read_typed, read_value, shown};

/// Line numbers of byte offsets in a text, counted forward: `\r\n`, `\n`
/// and a bare `\r` each end a line, as they do for the CSV reader (whose own
/// line count is one short after a CRLF row, and whose record offsets may
/// point between the `\r` and the `\n`: a line ends at its `\r`).
pub struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCounter::starting_at(text, 1)
    }

    /// Counting from line `line`: a piece of a file that starts there.
    pub fn starting_at(text: &'a str, line: u64) -> Self {
        LineCounter { text: text.as_bytes(), at: 0, line }
    }

    /// How many lines `text` ends, by the rule above (a `\n` at its start
    /// counts: a piece is cut after a line's `\n`, never inside `\r\n`).
    pub fn lines_in(text: &str) -> u64 {
        let b = text.as_bytes();
        memchr::memchr2_iter(b'\r', b'\n', b).filter(|&i| b[i] == b'\r' || i == 0 || b[i - 1] != b'\r').count() as u64
    }

    /// The line of byte `offset`; offsets must not decrease between calls.
    pub fn line_at(&mut self, offset: usize) -> u64 {
        let end = offset.min(self.text.len());
        for i in self.at..end {
            match self.text[i] {
                b'\r' => self.line += 1,
                b'\n' if i == 0 || self.text[i - 1] != b'\r' => self.line += 1,
                _ => {}
            }
        }
        self.at = self.at.max(end);
        self.line
    }
}

/// A piece of a delivery's text that starts at a line boundary.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    pub text: &'a str,
    /// Line number of the chunk's first line (1-based).
    pub first_line: u64,
    /// Holds the file's first line, where the header must stand.
    pub first: bool,
    /// Holds the file's end, where the trailer must stand.
    pub last: bool,
}

/// Cuts `text` into about `text.len() / target` chunks, each starting at a
/// line that opens a person's block, so that every block stays whole.
pub fn split_chunks<'a>(layout: &RecordLayout, text: &'a str, target: usize) -> Vec<Chunk<'a>> {
    let bytes = text.as_bytes();
    let wanted = (text.len() / target.max(1)).max(1);
    let person = layout.records[layout.person].code.as_bytes();
    let mut cuts = vec![0usize];
    for k in 1..wanted {
        let mut pos = (text.len() * k / wanted).max(*cuts.last().unwrap_or(&0));
        // advance to the start of the next line that opens a person block
        loop {
            let Some(nl) = memchr(b'\n', &bytes[pos..]) else {
                pos = text.len();
                break;
            };
            pos += nl + 1;
            if opens_block(layout, &bytes[pos..], person) {
                break;
            }
        }
        if pos >= text.len() {
            break;
        }
        if pos > *cuts.last().unwrap_or(&0) {
            cuts.push(pos);
        }
    }
    let mut chunks = Vec::with_capacity(cuts.len());
    let mut line = 1u64;
    for (i, &start) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        let piece = &text[start..end];
        chunks.push(Chunk { text: piece, first_line: line, first: i == 0, last: i + 1 == cuts.len() });
        line += memchr::memchr_iter(b'\n', piece.as_bytes()).count() as u64;
    }
    chunks
}

fn opens_block(layout: &RecordLayout, line: &[u8], person: &[u8]) -> bool {
    if !line.starts_with(person) {
        return false;
    }
    match &layout.format {
        Format::Fixed => true,
        Format::Delimited { separators } => line.get(person.len()).is_some_and(|b| separators.contains(b)),
    }
}

/// One record: its line, its record type and its fields (trimmed; field 0 is the code).
#[derive(Debug)]
pub struct Record<'r, 'a> {
    pub line: u64,
    pub index: usize,
    pub fields: &'r [&'a str],
    /// The line holds content beyond the fields the layout knows.
    pub extra: bool,
}

/// What a reader saw of the trailer, for the count checks after all chunks.
#[derive(Debug, Clone)]
pub struct TrailerSeen {
    pub line: u64,
    pub fields: Vec<String>,
}

/// Reads the records of one chunk.
pub struct RecordReader<'l, 'a> {
    layout: &'l RecordLayout,
    separator: u8,
    chunk: Chunk<'a>,
    pos: usize,
    next_line: u64,
    seen_record: bool,
    pub trailer: Option<TrailerSeen>,
    current_person: Option<&'a str>,
    fields: Vec<&'a str>,
    /// Records per record type in this chunk.
    pub counts: Vec<u64>,
}

impl<'l, 'a> RecordReader<'l, 'a> {
    /// `separator` is the delimited file's separator (see [`RecordLayout::separator_for`]); ignored for fixed width.
    pub fn new(layout: &'l RecordLayout, separator: Option<u8>, chunk: Chunk<'a>) -> Self {
        RecordReader {
            layout,
            separator: separator.unwrap_or(b'|'),
            chunk,
            pos: 0,
            next_line: chunk.first_line,
            seen_record: false,
            trailer: None,
            current_person: None,
            fields: Vec::with_capacity(32),
            counts: vec![0; layout.records.len()],
        }
    }

    fn next_line(&mut self) -> Option<(u64, &'a str)> {
        let text = self.chunk.text;
        while self.pos < text.len() {
            let rest = &text.as_bytes()[self.pos..];
            let len = memchr(b'\n', rest).unwrap_or(rest.len());
            let mut line = &text[self.pos..self.pos + len];
            self.pos += (len + 1).min(rest.len());
            let no = self.next_line;
            self.next_line += 1;
            if let Some(l) = line.strip_suffix('\r') {
                line = l;
            }
            if line.trim().is_empty() {
                continue;
            }
            return Some((no, line));
        }
        None
    }

    /// The next record, or `None` at the end of the chunk.
    // Long: the parse core's hot loop, kept whole so that it allocates nothing and branches predictably.
    pub fn next_record(&mut self) -> Result<Option<Record<'_, 'a>>, Problem> {
        let Some((line_no, line)) = self.next_line() else {
            if self.chunk.last && self.trailer.is_none() {
                let code = &self.layout.records[self.layout.trailer].code;
                return Err(Problem::file(format!("no trailer record {code} at the end: the file is truncated or incomplete")));
            }
            return Ok(None);
        };
        let layout = self.layout;
        let code = match layout.format {
            Format::Delimited { .. } => {
                let end = memchr(self.separator, line.as_bytes()).unwrap_or(line.len());
                &line[..end]
            }
            Format::Fixed => prefix_chars(line, layout.code_width),
        };
        let code = code.trim_end_matches(' ');
        let Some(index) = layout.record_index(code) else {
            let known: Vec<_> = layout.records.iter().map(|r| r.code.as_str()).collect();
            // A garbled line may start with a person number: quote only what
            // is short enough to be a record code.
            let longest = known.iter().map(|k| k.len()).max().unwrap_or(0);
            let quoted = if code.chars().count() <= longest { shown(code) } else { mask(code) };
            return Err(Problem::line(line_no, format!("unknown record type {quoted} (the layout knows {})", known.join(", "))));
        };
        let spec = &layout.records[index];
        self.check_structure(line_no, index, spec)?;

        self.fields.clear();
        let extra = match layout.format {
            Format::Delimited { .. } => split_delimited(line, self.separator, spec.fields.len(), &mut self.fields),
            Format::Fixed => split_fixed(line, spec, &mut self.fields),
        };
        if self.fields.len() < spec.fields.len() {
            return Err(Problem::at(
                line_no,
                &spec.code,
                format!("has {} fields, the layout needs {}", self.fields.len(), spec.fields.len()),
            ));
        }
        if let Some(k) = spec.key_field {
            let key = self.fields[k];
            if index == layout.person {
                if key.is_empty() {
                    return Err(Problem::field(line_no, &spec.code, &spec.fields[k].name, "is empty but required"));
                }
                self.current_person = Some(key);
            } else {
                match self.current_person {
                    None => {
                        return Err(Problem::at(
                            line_no,
                            &spec.code,
                            format!(
                                "stands before any {} record: every person's records follow its {}",
                                layout.records[layout.person].code, layout.records[layout.person].code
                            ),
                        ));
                    }
                    Some(p) if p != key => {
                        return Err(Problem::field(
                            line_no,
                            &spec.code,
                            &spec.fields[k].name,
                            format!(
                                "{} differs from {} of the {} block it stands in",
                                mask(key),
                                mask(p),
                                layout.records[layout.person].code
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if index == layout.trailer {
            self.trailer = Some(TrailerSeen { line: line_no, fields: self.fields.iter().map(|f| f.to_string()).collect() });
        }
        self.counts[index] += 1;
        Ok(Some(Record { line: line_no, index, fields: &self.fields, extra }))
    }

    fn check_structure(&mut self, line_no: u64, index: usize, spec: &RecordSpec) -> Result<(), Problem> {
        let layout = self.layout;
        let header = &layout.records[layout.header].code;
        let first_record = !self.seen_record && self.chunk.first;
        self.seen_record = true;
        if first_record && index != layout.header {
            return Err(Problem::at(line_no, &spec.code, format!("the file must start with the header record {header}")));
        }
        if !first_record && index == layout.header {
            return Err(Problem::at(line_no, &spec.code, format!("a second header record {header}: it must stand once, first")));
        }
        if let Some(t) = &self.trailer {
            return Err(Problem::at(line_no, &spec.code, format!("stands after the trailer record (line {}), which must be last", t.line)));
        }
        if !spec.person_bound && index != layout.person {
            // records outside person blocks end the current block
            self.current_person = None;
        }
        Ok(())
    }
}

/// Splits on `sep` into `out`; returns whether fields beyond `known` hold content.
fn split_delimited<'a>(line: &'a str, sep: u8, known: usize, out: &mut Vec<&'a str>) -> bool {
    let mut start = 0;
    let mut extra = false;
    // one pass over the line finds every separator
    for end in memchr::memchr_iter(sep, line.as_bytes()).chain(std::iter::once(line.len())) {
        let field = trim_spaces(&line[start..end]);
        if out.len() >= known && !field.is_empty() {
            extra = true;
        }
        out.push(field);
        start = end + 1;
    }
    extra
}

/// Spaces around a value are padding. Most fields have none, so look before trimming.
#[inline]
fn trim_spaces(s: &str) -> &str {
    let b = s.as_bytes();
    if b.first() != Some(&b' ') && b.last() != Some(&b' ') {
        return s;
    }
    s.trim_matches(' ')
}

/// Cuts the fields out by character position; returns whether the line holds
/// non-blank content beyond the record's width. A line shorter than the
/// record reads as padded with spaces (editors strip trailing blanks).
fn split_fixed<'a>(line: &'a str, spec: &RecordSpec, out: &mut Vec<&'a str>) -> bool {
    let width = spec.line_width();
    if line.is_ascii() {
        let n = line.len();
        for f in &spec.fields {
            let (s, e) = (f.start.min(n), (f.start + f.width).min(n));
            out.push(trim_spaces(&line[s..e]));
        }
        return n > width && !line[width..].trim().is_empty();
    }
    // Positions count characters; find each field's byte range once.
    let offsets: Vec<usize> = line.char_indices().map(|(i, _)| i).chain(std::iter::once(line.len())).collect();
    let chars = offsets.len() - 1;
    let at = |c: usize| offsets[c.min(chars)];
    for f in &spec.fields {
        out.push(trim_spaces(&line[at(f.start)..at(f.start + f.width)]));
    }
    chars > width && !line[at(width)..].trim().is_empty()
}

fn prefix_chars(line: &str, n: usize) -> &str {
    match line.char_indices().nth(n) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

/// Compares the trailer's counts with what the file held.
pub fn check_trailer(layout: &RecordLayout, trailer: &TrailerSeen, counts: &[u64]) -> Result<(), Problem> {
    let spec = &layout.records[layout.trailer];
    for check in &layout.trailer_checks {
        let field = &spec.fields[check.field];
        let raw = trailer.fields[check.field].as_str();
        let mut unknown = None;
        let stated = match read_value(layout, field, raw, &mut unknown) {
            Ok(Value::Integer(n)) => u64::try_from(n).unwrap_or(u64::MAX),
            Ok(_) => return Err(Problem::field(trailer.line, &spec.code, &field.name, "is empty but required")),
            Err(m) => return Err(Problem::field(trailer.line, &spec.code, &field.name, m)),
        };
        let (actual, what) = match &check.counts {
            Counted::All => (counts.iter().sum::<u64>(), "records in all".to_string()),
            Counted::Records(idx) => (
                idx.iter().map(|&i| counts[i]).sum(),
                format!("{} records", idx.iter().map(|&i| layout.records[i].code.as_str()).collect::<Vec<_>>().join("+")),
            ),
        };
        if stated != actual {
            return Err(Problem::field(
                trailer.line,
                &spec.code,
                &field.name,
                format!("says {stated}, but the file holds {actual} {what}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod line_tests {
    use super::LineCounter;

    #[test]
    fn every_line_end_counts_once() {
        let text = "a\r\nb\nc\rd";
        let mut c = LineCounter::new(text);
        assert_eq!([0, 2, 3, 5, 7].map(|o| c.line_at(o)), [1, 2, 2, 3, 4]);
    }
}
