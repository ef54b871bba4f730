//! DUO's own VSV lists (issue 25): the startpopulatie (NRSP) and the
//! nieuwe voortijdig schoolverlaters (NenR) of a teljaar, voorlopig and
//! definitief, person by person — what a Doorstroompunt-regio reconciles
//! its own figures with (`vsv_vergelijking` in the catalog).
//!
//! Recognised by their header through the layouts in `pipelines/lijsten/`
//! (by `verzuim ingest` and the nightly run among the deliveries, or
//! `verzuim lijst load`), read through the header-CSV machinery, and stored
//! once per content and teljaar and status as `<lake>/duo_lijsten/<lijst>/<teljaar>_<status>_<id>.parquet`
//! (written aside, synced, renamed: whole or not at all). Unlike a BRP
//! extract, a list is DUO's: a number that fails the 11-proef is kept with
//! `nummer_geldig` false and counted as a finding — a reconciliation must
//! see every row. What cannot be read (a ragged row, an unreadable date, a
//! teljaar the file name and the command line disagree on) refuses the
//! list with its line and column.

pub mod layout;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Int32Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

pub use layout::{ListLayout, recognise};

use crate::error::{Problem, Rejection, Result};
use crate::input::{self, read_text};
use crate::lake::{LISTS_DIR, Lake};
use crate::layout::NumberCheck;
use crate::layout::csv::first_line;
use crate::normalise::builder::{ColumnBuilder, data_type};
use crate::parse::{HeaderCsv, Value, passes_11_proef};

/// The list's own columns in the lake, before the file's.
const LIST_COLUMNS: &[(&str, DataType)] = &[
    ("lijst_id", DataType::Utf8),
    ("bestand", DataType::Utf8),
    ("lijst", DataType::Utf8),
    ("teljaar", DataType::Int32),
    ("status", DataType::Utf8),
    ("ontvanger", DataType::Utf8),
    ("regel", DataType::Int64),
    ("pgn", DataType::Utf8),
    ("nummer_geldig", DataType::Boolean),
];

/// The schema of `duo_vsv_lijst_alles`: the list's columns, then every
/// column a layout may fill (null where the file lacks it).
pub fn schema() -> SchemaRef {
    let mut fields: Vec<Field> = LIST_COLUMNS.iter().map(|(n, t)| Field::new(*n, t.clone(), matches!(*n, "ontvanger" | "pgn"))).collect();
    fields.extend(layout::COLUMNS.iter().map(|(n, k)| Field::new(*n, data_type(*k), true)));
    Arc::new(Schema::new(fields))
}

/// What the command line says of a list.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub teljaar: Option<i32>,
    /// `voorlopig` or `definitief`
    pub status: Option<String>,
}

/// One list, read.
#[derive(Debug)]
pub struct List {
    pub lijst: String,
    pub teljaar: i32,
    pub status: String,
    pub batch: RecordBatch,
    /// Rows whose number fails the 11-proef (kept).
    pub ongeldige_nummers: usize,
}

/// Reads a list's rows. `Err`: the first row or fact that refuses it.
// Long: the facts (name, command line) and the row loop with the pgn rule side by side; split, each half would take the other's state.
pub fn read_list(layout: &ListLayout, text: &str, file_name: &str, given: &Given, id: &str) -> std::result::Result<List, Problem> {
    let stem = Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
    let named = layout.file_name.as_ref().and_then(|re| re.captures(stem));
    let group = |g: &str| named.as_ref().and_then(|c| c.name(g)).map(|m| m.as_str().to_string());
    let name_teljaar = group("jaar").and_then(|j| j.parse::<i32>().ok()).map(|j| j - 1);
    let name_status = group("status").map(|s| if s == "D" { "definitief" } else { "voorlopig" }.to_string());
    let teljaar = match (given.teljaar, name_teljaar) {
        (Some(g), Some(n)) if g != n => {
            return Err(Problem::file(format!("--teljaar {g}, but the file name {file_name:?} says teljaar {n}")));
        }
        (g, n) => g.or(n),
    };
    let status = match (&given.status, &name_status) {
        (Some(g), Some(n)) if g != n => return Err(Problem::file(format!("--status {g}, but the file name {file_name:?} says {n}"))),
        (g, n) => g.clone().or(n.clone()),
    };
    let (Some(teljaar), Some(status)) = (teljaar, status) else {
        return Err(Problem::file(format!(
            "the list does not say its teljaar and status (voorlopig or definitief): the file name {file_name:?} is not DUO's \
             (NRSP2023DI27GZ.csv); give them: verzuim lijst load FILE --teljaar T --status voorlopig|definitief"
        )));
    };
    let mut file = HeaderCsv::open(&layout.dialect, &layout.columns, text)?;
    let source: Vec<Option<usize>> = layout::COLUMNS.iter().map(|(n, _)| layout.columns.iter().position(|c| c.name == *n)).collect();
    let at = |name: &str| layout.columns.iter().position(|c| c.name == name);
    let (bsn_col, onr_col) = (at("bsn"), at("onderwijsnummer"));
    let mut builders: Vec<ColumnBuilder> = layout::COLUMNS.iter().map(|(_, k)| ColumnBuilder::new(*k, 1024)).collect();
    let mut scratches = vec![String::new(); layout.columns.len()];
    let (mut regels, mut pgns, mut geldig) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(line) = file.next_row()? {
        file.check_width()?;
        let values = file
            .values(&layout.columns, &mut scratches, &[], |_, _| {})
            .map_err(|c| Problem::column(line, &layout.columns[c.column].header, c.message))?;
        let text_at = |i: Option<usize>| match i.map(|i| values[i]) {
            Some(Value::Text(t)) if !t.bytes().all(|b| b == b'0') => Some(t.to_string()),
            _ => None,
        };
        // the person's number: the BSN, else the onderwijsnummer (DUO's pgn)
        let (pgn, check) = match (text_at(bsn_col), text_at(onr_col)) {
            (Some(b), _) => (Some(b), NumberCheck::Bsn),
            (None, Some(o)) => (Some(o), NumberCheck::Onderwijsnummer),
            (None, None) => (None, NumberCheck::BsnOfOnderwijsnummer),
        };
        geldig.push(pgn.as_deref().is_some_and(|p| passes_11_proef(p, check)));
        pgns.push(pgn);
        regels.push(line as i64);
        for (b, src) in builders.iter_mut().zip(&source) {
            b.append(src.map_or(Value::Null, |i| values[i]));
        }
    }
    let rows = regels.len();
    let text_col = |v: &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(std::iter::repeat_n(v, rows))) };
    let ongeldige_nummers = geldig.iter().filter(|g| !**g).count();
    let mut cols: Vec<ArrayRef> = vec![
        text_col(id),
        text_col(file_name),
        text_col(&layout.lijst),
        Arc::new(Int32Array::from(vec![teljaar; rows])),
        text_col(&status),
        Arc::new(StringArray::from(vec![group("ontvanger"); rows])),
        Arc::new(Int64Array::from(regels)),
        Arc::new(StringArray::from(pgns)),
        Arc::new(BooleanArray::from(geldig)),
    ];
    cols.extend(builders.iter_mut().map(ColumnBuilder::finish));
    let batch = RecordBatch::try_new(schema(), cols).map_err(|e| Problem::file(e.to_string()))?;
    Ok(List { lijst: layout.lijst.clone(), teljaar, status, batch, ongeldige_nummers })
}

/// What became of one list file.
#[derive(Debug, Clone)]
pub struct ListReport {
    pub name: String,
    pub layout: String,
    /// `Ok(true)` stored, `Ok(false)` already present, `Err` refused: why.
    pub outcome: std::result::Result<bool, String>,
    pub teljaar: Option<i32>,
    pub status: Option<String>,
    pub rows: usize,
    pub ongeldige_nummers: usize,
}

impl ListReport {
    pub fn new(name: &str) -> ListReport {
        ListReport {
            name: name.to_string(),
            layout: String::new(),
            outcome: Ok(true),
            teljaar: None,
            status: None,
            rows: 0,
            ongeldige_nummers: 0,
        }
    }
}

/// Reads one list and stores it (`Ok(true)` stored, `Ok(false)` already
/// there), filling `report`.
pub fn store(
    lake: &Lake,
    layout: &ListLayout,
    text: &str,
    file_name: &str,
    sha256: &str,
    given: &Given,
    report: &mut ListReport,
) -> std::result::Result<bool, Rejection> {
    let id = input::content_id(sha256);
    let list = read_list(layout, text, file_name, given, &id).map_err(Rejection::Content)?;
    report.teljaar = Some(list.teljaar);
    report.status = Some(list.status.clone());
    report.rows = list.batch.num_rows();
    report.ongeldige_nummers = list.ongeldige_nummers;
    let dir = Path::new(LISTS_DIR).join(&list.lijst);
    // once per content and facts: DUO may publish a definitieve list
    // byte for byte equal to the voorlopige, and it is still definitief
    lake.put_file(&dir, &format!("{}_{}_{id}", list.teljaar, list.status), &list.batch).map_err(|e| Rejection::Lake(e.to_string()))
}

/// `verzuim lijst load`: every file given through the layout that
/// recognises it.
pub fn load(lake_dir: &Path, layouts: &[ListLayout], paths: &[PathBuf], given: &Given) -> Result<Vec<ListReport>> {
    let lake = Lake::open(lake_dir)?;
    let (inputs, _) = input::discover(paths, &["csv", "txt", "zip"])?;
    let mut reports = Vec::new();
    for inp in &inputs {
        let mut report = ListReport::new(&inp.name());
        report.outcome = (|| {
            let bytes = inp.read().map_err(|e| e.to_string())?;
            let (text, _) = read_text(&bytes)?;
            let layout = recognise(layouts, first_line(&text)).ok_or_else(|| {
                let tried: Vec<String> = layouts.iter().map(|l| format!("{} ({})", l.name, l.recognise.join(", "))).collect();
                format!("the header matches no list layout; tried {}", tried.join("; "))
            })?;
            report.layout = layout.name.clone();
            store(&lake, layout, &text, &inp.file_name(), &input::sha256_hex(&bytes), given, &mut report).map_err(|r| r.to_string())
        })();
        reports.push(report);
    }
    Ok(reports)
}
