//! `verzuim brp load`: extracts of a gemeente's population register (BRP)
//! into the lake, beside DUO's deliveries (docs/domain-rules.md, "The BRP
//! beside DUO").
//!
//! An extract is a snapshot of one gemeente on one date, read through a
//! BRP layout (`pipelines/brp/brp.toml`, or the user's own drafted by
//! `verzuim inspect --brp`) and stored as one Parquet file,
//! `<lake>/brp/<gemeentecode>/<peildatum>_<id>.parquet`: written aside,
//! synced and renamed into place — whole or not at all, once per content.
//! Which extract is in force is the catalog's business (`brp_extract`): a
//! later one of the same gemeente supersedes an earlier one; both stay.
//!
//! A row that fails — a BSN failing the 11-proef, a missing birth date, a
//! BSN that stands twice — refuses the whole extract with its line and
//! column, the number masked: a register with a bad row is no register to
//! compare with, and half an extract would make every missing resident a
//! false `NIET_IN_BRP`.

pub mod layout;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

pub use layout::BrpLayout;

use crate::error::{Error, Problem, Result};
use crate::input::{self, read_text};
use crate::lake::{BRP_DIR, Lake};
use crate::layout::{ValueKind, iso_date};
use crate::normalise::builder::{ColumnBuilder, data_type};
use crate::parse::{HeaderCsv, Value, mask};

/// The extract's own columns in the lake, before the register's.
const EXTRACT_COLUMNS: &[(&str, DataType)] = &[
    ("extract_id", DataType::Utf8),
    ("bestand", DataType::Utf8),
    ("gemeentecode", DataType::Utf8),
    ("peildatum", DataType::Date32),
    ("geladen_op", DataType::Utf8),
];

/// The facts of an extract that are not per resident.
const FACTS: &[&str] = &["gemeentecode", "peildatum"];

/// The schema of `brp_persoon`: the extract's columns, then every BRP
/// column a layout may fill (null where the file lacks it), so that every
/// stored file has the same columns.
pub fn schema() -> SchemaRef {
    let mut fields: Vec<Field> = EXTRACT_COLUMNS.iter().map(|(n, t)| Field::new(*n, t.clone(), false)).collect();
    fields.extend(layout::COLUMNS.iter().filter(|(n, _)| !FACTS.contains(n)).map(|(n, k)| Field::new(*n, data_type(*k), true)));
    Arc::new(Schema::new(fields))
}

/// What the command line says of an extract; what it leaves out comes from a
/// column or the file name.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// Four digits (shorter ones are padded).
    pub gemeente: Option<String>,
    /// Days since 1970.
    pub peildatum: Option<i32>,
}

/// One extract, read.
#[derive(Debug)]
pub struct Extract {
    pub gemeentecode: String,
    pub peildatum: i32,
    pub batch: RecordBatch,
}

/// Reads an extract's rows into the `brp_persoon` batch. `Err`: the first
/// row (or fact) that refuses it, located.
pub fn read_extract(
    layout: &BrpLayout,
    text: &str,
    file_name: &str,
    given: &Given,
    extract_id: &str,
) -> std::result::Result<Extract, Problem> {
    let mut file = HeaderCsv::open(&layout.dialect, &layout.columns, text)?;
    let stored: Vec<(&str, ValueKind)> = layout::COLUMNS.iter().copied().filter(|(n, _)| !FACTS.contains(n)).collect();
    // per stored column, the layout column that fills it
    let source: Vec<Option<usize>> = stored.iter().map(|(n, _)| layout.columns.iter().position(|c| c.name == *n)).collect();
    let fact_column = |name: &str| layout.columns.iter().position(|c| c.name == name);
    let (gemeente_col, peildatum_col) = (fact_column("gemeentecode"), fact_column("peildatum"));
    let bsn_col = fact_column("bsn").expect("a BRP layout has bsn");
    let mut builders: Vec<ColumnBuilder> = stored.iter().map(|(_, k)| ColumnBuilder::new(*k, 1024)).collect();
    let mut scratches = vec![String::new(); layout.columns.len()];
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut gemeente_in_rows: Option<(String, u64)> = None;
    let mut peildatum_in_rows: Option<(i32, u64)> = None;
    while let Some(line) = file.next_row()? {
        file.check_width()?;
        let values = file
            .values(&layout.columns, &mut scratches, &[], |_, _| {})
            .map_err(|c| Problem::column(line, &layout.columns[c.column].header, c.message))?;
        let header = |i: usize| layout.columns[i].header.as_str();
        if let Value::Text(bsn) = values[bsn_col]
            && let Some(first) = seen.insert(bsn.to_string(), line)
        {
            return Err(Problem::column(
                line,
                header(bsn_col),
                format!("BSN {} stands on line {first} too: one row per resident", mask(bsn)),
            ));
        }
        if let Some(i) = gemeente_col
            && let Value::Text(g) = values[i]
        {
            let g = format!("{g:0>4}");
            match &gemeente_in_rows {
                None => gemeente_in_rows = Some((g, line)),
                Some((first, at)) if *first != g => {
                    return Err(Problem::column(
                        line,
                        header(i),
                        format!("gemeente {g}, but {first} on line {at}: an extract is of one gemeente"),
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(i) = peildatum_col
            && let Value::Date(d) = values[i]
        {
            match peildatum_in_rows {
                None => peildatum_in_rows = Some((d, line)),
                Some((first, at)) if first != d => {
                    return Err(Problem::column(
                        line,
                        header(i),
                        format!("peildatum {}, but {} on line {at}: an extract is of one date", iso_date(d), iso_date(first)),
                    ));
                }
                Some(_) => {}
            }
        }
        for (b, src) in builders.iter_mut().zip(&source) {
            b.append(src.map_or(Value::Null, |i| values[i]));
        }
    }
    let (gemeentecode, peildatum) = facts(layout, file_name, given, gemeente_in_rows, peildatum_in_rows)?;
    let rows = seen.len();
    if rows == 0 {
        // an empty register would make every child DUO places there NIET_IN_BRP
        return Err(Problem::file("the extract holds no resident"));
    }
    let geladen_op = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let text_col = |v: &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(std::iter::repeat_n(v, rows))) };
    let mut cols: Vec<ArrayRef> = vec![
        text_col(extract_id),
        text_col(file_name),
        text_col(&gemeentecode),
        Arc::new(Date32Array::from(vec![peildatum; rows])),
        text_col(&geladen_op),
    ];
    cols.extend(builders.iter_mut().map(ColumnBuilder::finish));
    let batch = RecordBatch::try_new(schema(), cols).map_err(|e| Problem::file(e.to_string()))?;
    Ok(Extract { gemeentecode, peildatum, batch })
}

/// The extract's gemeente and date: the command line, then the rows, then
/// the file name; the command line and the rows must agree.
fn facts(
    layout: &BrpLayout,
    file_name: &str,
    given: &Given,
    gemeente_in_rows: Option<(String, u64)>,
    peildatum_in_rows: Option<(i32, u64)>,
) -> std::result::Result<(String, i32), Problem> {
    let from_name = |group: &str| -> Option<String> {
        let stem = Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
        layout.file_name.as_ref()?.captures(stem)?.name(group).map(|m| m.as_str().to_string())
    };
    let gemeentecode = match (&given.gemeente, gemeente_in_rows) {
        (Some(g), Some((r, line))) if format!("{g:0>4}") != r => {
            return Err(Problem::line(line, format!("--gemeente {g:0>4}, but the rows say gemeente {r}")));
        }
        (Some(g), _) => Some(format!("{g:0>4}")),
        (None, Some((r, _))) => Some(r),
        (None, None) => from_name("gemeente").map(|g| format!("{g:0>4}")),
    };
    let peildatum = match (given.peildatum, peildatum_in_rows) {
        (Some(g), Some((r, line))) if g != r => {
            return Err(Problem::line(line, format!("--peildatum {}, but the rows say {}", iso_date(g), iso_date(r))));
        }
        (Some(g), _) => Some(g),
        (None, Some((r, _))) => Some(r),
        (None, None) => from_name("peildatum").and_then(|d| layout.file_name_date.parse_days(&d)),
    };
    match (gemeentecode, peildatum) {
        (Some(g), Some(p)) if g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit()) => Ok((g, p)),
        (Some(g), Some(_)) => Err(Problem::file(format!("gemeente {g:?} is not a gemeentecode (four digits)"))),
        (g, p) => {
            let missing: Vec<&str> = [(g.is_none(), "its gemeente (--gemeente)"), (p.is_none(), "its date (--peildatum)")]
                .iter()
                .filter(|(m, _)| *m)
                .map(|(_, w)| *w)
                .collect();
            Err(Problem::file(format!(
                "the extract does not say {}: not in a column, nor in the file name {file_name:?}; give it on the command line",
                missing.join(" nor ")
            )))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrpStatus {
    Loaded,
    AlreadyPresent,
    Rejected(String),
}

/// What became of one file.
#[derive(Debug, Clone)]
pub struct BrpReport {
    pub name: String,
    pub status: BrpStatus,
    pub gemeentecode: Option<String>,
    pub peildatum: Option<i32>,
    pub residents: usize,
}

/// Loads BRP extracts (files, folders, zips) into the lake at `lake_dir`.
pub fn load(lake_dir: &Path, layout: &BrpLayout, paths: &[PathBuf], given: &Given) -> Result<Vec<BrpReport>> {
    let lake = Lake::open(lake_dir)?;
    let (inputs, _skipped) = input::discover(paths, &["csv", "txt", "zip"])?;
    let present = lake.brp_extracts()?;
    let mut reports = Vec::new();
    for inp in &inputs {
        let mut report = BrpReport { name: inp.name(), status: BrpStatus::Loaded, gemeentecode: None, peildatum: None, residents: 0 };
        let result = (|| -> std::result::Result<(), String> {
            let bytes = inp.read().map_err(|e| e.to_string())?;
            let id = input::content_id(&input::sha256_hex(&bytes));
            if let Some(p) = present.iter().find(|p| p.extract_id == id) {
                report.status = BrpStatus::AlreadyPresent;
                report.gemeentecode = Some(p.gemeentecode.clone());
                return Ok(());
            }
            let (text, _) = read_text(&bytes)?;
            let extract = read_extract(layout, &text, &inp.file_name(), given, &id).map_err(|p| p.to_string())?;
            report.gemeentecode = Some(extract.gemeentecode.clone());
            report.peildatum = Some(extract.peildatum);
            report.residents = extract.batch.num_rows();
            if !lake.put_brp(&extract.gemeentecode, &iso_date(extract.peildatum), &id, &extract.batch).map_err(|e| e.to_string())? {
                report.status = BrpStatus::AlreadyPresent;
            }
            Ok(())
        })();
        if let Err(why) = result {
            report.status = BrpStatus::Rejected(why);
        }
        reports.push(report);
    }
    Ok(reports)
}

/// Where a stored extract lives; its gemeente and date from its path.
#[derive(Debug, Clone)]
pub struct Stored {
    pub gemeentecode: String,
    /// `JJJJ-MM-DD`
    pub peildatum: String,
    pub extract_id: String,
    pub path: PathBuf,
}

impl Lake {
    /// Stores an extract as `brp/<gemeentecode>/<peildatum>_<id>.parquet`;
    /// false when that file is there already.
    pub fn put_brp(&self, gemeentecode: &str, peildatum: &str, id: &str, batch: &RecordBatch) -> Result<bool> {
        if gemeentecode.len() != 4 || !gemeentecode.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::lake(self.root(), format!("gemeente {gemeentecode:?} cannot name a partition")));
        }
        self.put_file(&Path::new(BRP_DIR).join(gemeentecode), &format!("{peildatum}_{id}"), batch)
    }

    /// The stored extracts, sorted by gemeente and date.
    pub fn brp_extracts(&self) -> Result<Vec<Stored>> {
        let base = self.root().join(BRP_DIR);
        let mut out = Vec::new();
        let entries = match std::fs::read_dir(&base) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(Error::io(&base, e)),
        };
        for entry in entries {
            let dir = entry.map_err(|e| Error::io(&base, e))?.path();
            let Some(gemeente) = dir
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_string)
            else {
                continue;
            };
            for path in self.files_in(&Path::new(BRP_DIR).join(dir.file_name().unwrap_or_default()))? {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                if let Some((peildatum, id)) = stem.split_once('_') {
                    out.push(Stored {
                        gemeentecode: gemeente.clone(),
                        peildatum: peildatum.into(),
                        extract_id: id.into(),
                        path: path.clone(),
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.gemeentecode, &a.peildatum, &a.extract_id).cmp(&(&b.gemeentecode, &b.peildatum, &b.extract_id)));
        Ok(out)
    }
}
