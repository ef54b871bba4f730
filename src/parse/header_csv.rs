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
        Ok(HeaderCsv { reader, header, positions, lines: LineCounter::new(text), record, line: 1 })
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
