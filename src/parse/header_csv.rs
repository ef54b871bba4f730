//! Rows of a header-CSV file: its header line matched to a layout's columns
//! once, then row after row with its line number and each column's value.
//!
//! Deliveries (`normalise::csv`) and DUO's reference files (`reference`)
//! read through this one type, so a header is matched, a blank row skipped
//! and a line counted the same way for both. What a row becomes is theirs.

use crate::error::Problem;
use crate::layout::{CodeList, CsvColumn, Dialect, header_key};

use super::{LineCounter, UnknownCode, Value, read_cell};

/// A header-CSV file opened against a layout's columns.
pub struct HeaderCsv<'t> {
    reader: csv::Reader<&'t [u8]>,
    /// What a piece of the same file is read with ([`HeaderCsv::piece`]).
    dialect: Dialect,
    separator: u8,
    /// Where the rows begin: the byte after the header record.
    body: usize,
    /// The header's names as written (trimmed).
    header: Vec<String>,
    /// Per layout column, its position in the file (`None`: an optional
    /// column the file does not have).
    positions: Vec<Option<usize>>,
    lines: LineCounter<'t>,
    /// One record, reused: no allocation per row for the file's own text.
    record: csv::StringRecord,
    line: u64,
}

/// A row's cell that its column's rules refuse.
pub struct CellProblem {
    /// The layout column.
    pub column: usize,
    pub message: String,
}

impl<'t> HeaderCsv<'t> {
    /// Reads the header line of `text` and finds each of `columns` in it.
    /// Refused: an empty file, an unreadable header, a name that stands
    /// twice (which one is meant cannot be told), a column the layout needs
    /// and the header lacks.
    pub fn open(dialect: &Dialect, columns: &[CsvColumn], text: &'t str) -> Result<HeaderCsv<'t>, Problem> {
        let (separator, _) = dialect.header(text);
        let mut reader = dialect.reader(separator, text);
        let mut record = csv::StringRecord::new();
        let header: Vec<String> = match reader.read_record(&mut record) {
            Ok(true) if record.iter().any(|x| !x.trim().is_empty()) => record.iter().map(|x| x.trim().to_string()).collect(),
            Err(e) => return Err(Problem::line(1, format!("the header line cannot be read as CSV: {e}"))),
            _ => return Err(Problem::file("the file holds no header line: it is empty")),
        };
        let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
        for (i, k) in keys.iter().enumerate() {
            // unnamed columns (a separator at the end of the line) are asked for by no layout
            if let Some(j) = keys[..i].iter().position(|x| x == k).filter(|_| !k.is_empty()) {
                return Err(Problem::line(
                    1,
                    format!(
                        "column {:?} stands twice in the header (columns {} and {}): which one is meant cannot be told",
                        header[i],
                        j + 1,
                        i + 1
                    ),
                ));
            }
        }
        let mut positions = Vec::with_capacity(columns.len());
        for c in columns {
            match keys.iter().position(|k| *k == c.key || c.also_keys.contains(k)) {
                Some(p) => positions.push(Some(p)),
                None if c.optional => positions.push(None),
                None => {
                    return Err(Problem::line(
                        1,
                        format!(
                            "the header lacks column {:?} (layout column {}); it has {}. Rename it in the layout, or mark it `optional = true`",
                            c.header,
                            c.name,
                            header.join(", ")
                        ),
                    ));
                }
            }
        }
        let body = reader.position().byte() as usize;
        Ok(HeaderCsv {
            reader,
            dialect: dialect.clone(),
            separator,
            body,
            header,
            positions,
            lines: LineCounter::new(text),
            record,
            line: 1,
        })
    }

    /// The rows of `piece` (a part of the same file cut at a row boundary,
    /// see [`HeaderCsv::pieces`]) against this file's header, counting lines
    /// from `first_line`.
    pub fn piece<'p>(&self, piece: &'p str, first_line: u64) -> HeaderCsv<'p> {
        HeaderCsv {
            reader: self.dialect.reader(self.separator, piece),
            dialect: self.dialect.clone(),
            separator: self.separator,
            body: 0,
            header: self.header.clone(),
            positions: self.positions.clone(),
            lines: LineCounter::starting_at(piece, first_line),
            record: csv::StringRecord::new(),
            line: first_line,
        }
    }

    /// The rows of `text` (this file's whole text) cut into pieces of about
    /// `target` bytes, each with its first line: cut only after a `\n` that
    /// ends a record, never inside a quoted value, so that the pieces read
    /// in parallel give the rows of the whole. One piece where the file is
    /// small or has no `\n` (CR-only line ends).
    pub fn pieces<'p>(&self, text: &'p str, target: usize) -> Vec<(&'p str, u64)> {
        // a CRLF header may leave the offset between its `\r` and `\n`
        let start = self.body.min(text.len());
        let start = if start > 0 && text.as_bytes()[start - 1] == b'\r' && text[start..].starts_with('\n') { start + 1 } else { start };
        let body = &text[start..];
        let cuts = record_cuts(body.as_bytes(), self.dialect.quoting.then_some(self.separator), target);
        let first = LineCounter::starting_at(text, 1).line_at(start);
        let mut pieces: Vec<(&str, u64)> = cuts.windows(2).map(|w| (&body[w[0]..w[1]], 0)).collect();
        let lines: Vec<u64> = {
            use rayon::prelude::*;
            pieces.par_iter().map(|(p, _)| LineCounter::lines_in(p)).collect()
        };
        let mut line = first;
        for (piece, n) in pieces.iter_mut().zip(lines) {
            piece.1 = line;
            line += n;
        }
        pieces
    }

    /// The header's names that no layout column reads (unnamed ones left out:
    /// they hold nothing to report).
    pub fn unread(&self) -> Vec<&str> {
        self.header
            .iter()
            .enumerate()
            .filter(|(i, h)| !self.positions.contains(&Some(*i)) && !header_key(h).is_empty())
            .map(|(_, h)| h.as_str())
            .collect()
    }

    /// Moves to the next row that holds anything: `Ok(Some(line))`, or
    /// `Ok(None)` at the end. A row the CSV reader cannot read is an `Err`
    /// with its line; the caller may go on to the next.
    pub fn next_row(&mut self) -> Result<Option<u64>, Problem> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => {
                    let line = e.position().map_or(0, |p| self.lines.line_at(p.byte() as usize));
                    return Err(Problem::line(line, format!("cannot be read as CSV: {}", error_kind(&e))));
                }
            }
            self.line = self.record.position().map_or(0, |p| self.lines.line_at(p.byte() as usize));
            if !self.record.iter().all(|v| v.trim().is_empty()) {
                return Ok(Some(self.line));
            }
        }
    }

    /// The current row's values against the header's: `Err` names both counts.
    pub fn check_width(&self) -> Result<(), Problem> {
        if self.record.len() == self.header.len() {
            return Ok(());
        }
        Err(Problem::line(self.line, format!("has {} values, but the header has {} columns", self.record.len(), self.header.len())))
    }

    /// Reads the current row's cell of every layout column through its value
    /// rules; `scratches` holds one string per column for values a rule
    /// rewrote. A value outside its code list is kept and handed to
    /// `unknown` with its column.
    pub fn values<'r>(
        &'r self,
        columns: &[CsvColumn],
        scratches: &'r mut [String],
        lists: &[CodeList],
        mut unknown: impl FnMut(usize, UnknownCode),
    ) -> Result<Vec<Value<'r>>, CellProblem> {
        let mut values = Vec::with_capacity(columns.len());
        for (i, ((c, pos), scratch)) in columns.iter().zip(&self.positions).zip(scratches.iter_mut()).enumerate() {
            let raw = pos.and_then(|p| self.record.get(p)).unwrap_or("");
            let mut found = None;
            let v = read_cell(&c.rule, raw, scratch, lists, &mut found).map_err(|message| CellProblem { column: i, message })?;
            if let Some(u) = found {
                unknown(i, u);
            }
            values.push(v);
        }
        Ok(values)
    }
}

/// The csv crate's error without the byte offsets, which say nothing to a user.
fn error_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        _ => e.to_string(),
    }
}

/// Byte offsets that cut `text` (a header CSV's rows) into pieces of about
/// `target` bytes, first 0 and last `text.len()`: each cut lies after a `\n`
/// outside quotes. `quoting`: the separator when values may be quoted.
/// Quotes are found as the `csv` crate reads them: a value is quoted when
/// its first byte is `"` (at the line's start or after a separator), `""`
/// inside it is a quote, and any other `"` is a plain character.
fn record_cuts(text: &[u8], quoting: Option<u8>, target: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    if text.len() >= target.max(1).saturating_mul(2) {
        // the quoted spans, in order: [open, close]
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if let Some(sep) = quoting {
            let mut quotes = memchr::memchr_iter(b'"', text);
            while let Some(open) = quotes.next() {
                let starts_value = open == 0 || matches!(text[open - 1], b'\n' | b'\r') || text[open - 1] == sep;
                if !starts_value {
                    continue;
                }
                let mut close = text.len();
                while let Some(q) = quotes.next() {
                    if text.get(q + 1) == Some(&b'"') {
                        quotes.next(); // `""`: a quote inside the value
                        continue;
                    }
                    close = q;
                    break;
                }
                spans.push((open, close));
            }
        }
        let mut at = target;
        while at < text.len() {
            let Some(nl) = memchr::memchr(b'\n', &text[at..]).map(|i| at + i) else { break };
            // inside a quoted value: go on after its closing quote
            let inside = spans.partition_point(|s| s.1 < nl);
            if spans.get(inside).is_some_and(|s| s.0 < nl) {
                at = spans[inside].1 + 1;
                continue;
            }
            if nl + 1 < text.len() {
                cuts.push(nl + 1);
            }
            at = (nl + 1).saturating_add(target);
        }
    }
    cuts.push(text.len());
    cuts
}

#[cfg(test)]
mod tests {
    use super::record_cuts;

    /// Each case: (rows, target) → the pieces; a cut never falls inside a
    /// quoted value, whatever it holds (a line end, `;`, `""`), and a `"`
    /// inside an unquoted value is a plain character.
    #[test]
    fn cuts_fall_between_records_only() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("a;b\nc;d\ne;f\n", 1, &["a;b\n", "c;d\n", "e;f\n"]),
            ("a;b\r\nc;d\r\n", 1, &["a;b\r\n", "c;d\r\n"]),
            ("\"x\ny\";1\nc;2\n", 1, &["\"x\ny\";1\n", "c;2\n"]),
            ("a;\"x\"\"\ny\"\nc;2\n", 1, &["a;\"x\"\"\ny\"\n", "c;2\n"]),
            ("a\"b;1\nc;2\n", 1, &["a\"b;1\n", "c;2\n"]),
            ("a;\"open\nc;2\n", 1, &["a;\"open\nc;2\n"]),
            ("a;b\rc;d\r", 1, &["a;b\rc;d\r"]),
            ("a;b\nc;d\n", 100, &["a;b\nc;d\n"]),
        ];
        for (text, target, want) in cases {
            let cuts = record_cuts(text.as_bytes(), Some(b';'), *target);
            let got: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
            assert_eq!(&got, want, "{text:?}");
        }
        // without quoting a `"` is a character like any other
        let cuts = record_cuts(b"\"x\ny;1\n", None, 1);
        assert_eq!(cuts, [0, 3, 7]);
        // "never cut" (usize::MAX) is one piece, without overflow (a fuzz finding)
        assert_eq!(record_cuts(b"a;b\nc;d\n", Some(b';'), usize::MAX), [0, 8]);
    }
}
