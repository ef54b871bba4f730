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
//!
//! DUO's monthly A-rapportages (A01 uitschrijvingen, A02 herinschrijvingen,
//! A04 the cumulative workload, A05 the startset) go the same way through
//! layouts with a `[rapportage]` section, each month its own version:
//! `<lake>/duo_rapportages/<code>/<JJJJ-MM>_<id>.parquet`, compared with the
//! lake's own stand of that month by `maandrapportage_vergelijking`. Their
//! month comes from the command line, the file name or the rows; where the
//! name and the rows' `RAPPORTAGE_MAAND` disagree, the load says so.

pub mod layout;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Date32Array, Int32Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use layout::{LIST_COLUMNS, RAPPORTAGE_COLUMNS};
pub use layout::{ListLayout, Soort, recognise};

use crate::error::{Problem, Rejection, Result};
use crate::input::{self, read_text};
use crate::lake::{LISTS_DIR, Lake, RAPPORTAGES_DIR};
use crate::layout::NumberCheck;
use crate::layout::csv::first_line;
use crate::normalise::builder::{ColumnBuilder, data_type};
use crate::parse::{HeaderCsv, Value, passes_11_proef};

/// The list's own columns in the lake, before its rows'.
const LIST_FACTS: &[(&str, DataType)] = &[
    ("lijst_id", DataType::Utf8),
    ("bestand", DataType::Utf8),
    ("lijst", DataType::Utf8),
    ("teljaar", DataType::Int32),
    ("status", DataType::Utf8),
    ("ontvanger", DataType::Utf8),
];

/// A rapportage's own columns in the lake, before its rows'.
const RAPPORTAGE_FACTS: &[(&str, DataType)] = &[
    ("rapportage_id", DataType::Utf8),
    ("bestand", DataType::Utf8),
    ("rapportage", DataType::Utf8),
    ("rapportagemaand", DataType::Date32),
    ("ontvanger", DataType::Utf8),
    ("geladen_op", DataType::Utf8),
    // the row's own month disagrees with the file's (see read_rapportage)
    ("maand_afwijkend", DataType::Boolean),
];

/// Every row's line, person number and its 11-proef, after the facts.
const ROW_FACTS: &[(&str, DataType)] = &[("regel", DataType::Int64), ("pgn", DataType::Utf8), ("nummer_geldig", DataType::Boolean)];

fn schema_of(facts: &[(&str, DataType)], targets: &[(&str, crate::layout::ValueKind)]) -> SchemaRef {
    let mut fields: Vec<Field> =
        facts.iter().chain(ROW_FACTS).map(|(n, t)| Field::new(*n, t.clone(), matches!(*n, "ontvanger" | "pgn"))).collect();
    fields.extend(targets.iter().map(|(n, k)| Field::new(*n, data_type(*k), true)));
    Arc::new(Schema::new(fields))
}

/// The schema of `duo_vsv_lijst_alles`: the list's columns, then every
/// column a layout may fill (null where the file lacks it).
pub fn schema() -> SchemaRef {
    schema_of(LIST_FACTS, LIST_COLUMNS)
}

/// The schema of `duo_rapportage_alles`, as [`schema`] for lists.
pub fn rapportage_schema() -> SchemaRef {
    schema_of(RAPPORTAGE_FACTS, RAPPORTAGE_COLUMNS)
}

/// What the command line says of a list or rapportage.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub teljaar: Option<i32>,
    /// `voorlopig` or `definitief`
    pub status: Option<String>,
    /// A rapportage's month, `JJJJ-MM`.
    pub maand: Option<String>,
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

/// A file's rows: per row its line, the person's number (the BSN, else the
/// onderwijsnummer: DUO's pgn) and whether that passes the 11-proef, then
/// the layout's target columns (null where the file lacks one).
struct Rows {
    regels: Vec<i64>,
    pgns: Vec<Option<String>>,
    geldig: Vec<bool>,
    columns: Vec<ArrayRef>,
}

impl Rows {
    fn len(&self) -> usize {
        self.regels.len()
    }

    fn ongeldig(&self) -> usize {
        self.geldig.iter().filter(|g| !**g).count()
    }

    /// The row-level columns every list and rapportage stores after its facts.
    fn person_columns(&mut self) -> [ArrayRef; 3] {
        [
            Arc::new(Int64Array::from(std::mem::take(&mut self.regels))),
            Arc::new(StringArray::from(std::mem::take(&mut self.pgns))),
            Arc::new(BooleanArray::from(std::mem::take(&mut self.geldig))),
        ]
    }
}

/// Reads every row of `text` through `layout`. `Err`: the first row that
/// cannot be read (a ragged row, an unreadable date), with line and column.
fn read_rows(layout: &ListLayout, text: &str) -> std::result::Result<Rows, Problem> {
    let targets = layout.targets();
    let mut file = HeaderCsv::open(&layout.dialect, &layout.columns, text)?;
    let source: Vec<Option<usize>> = targets.iter().map(|(n, _)| layout.columns.iter().position(|c| c.name == *n)).collect();
    let at = |name: &str| layout.columns.iter().position(|c| c.name == name);
    let (bsn_col, onr_col) = (at("bsn"), at("onderwijsnummer"));
    let mut builders: Vec<ColumnBuilder> = targets.iter().map(|(_, k)| ColumnBuilder::new(*k, 1024)).collect();
    let mut scratches = vec![String::new(); layout.columns.len()];
    let mut rows = Rows { regels: Vec::new(), pgns: Vec::new(), geldig: Vec::new(), columns: Vec::new() };
    while let Some(line) = file.next_row()? {
        file.check_width()?;
        let values = file
            .values(&layout.columns, &mut scratches, &[], |_, _| {})
            .map_err(|c| Problem::column(line, &layout.columns[c.column].header, c.message))?;
        let text_at = |i: Option<usize>| match i.map(|i| values[i]) {
            Some(Value::Text(t)) if !t.bytes().all(|b| b == b'0') => Some(t.to_string()),
            _ => None,
        };
        let (pgn, check) = match (text_at(bsn_col), text_at(onr_col)) {
            (Some(b), _) => (Some(b), NumberCheck::Bsn),
            (None, Some(o)) => (Some(o), NumberCheck::Onderwijsnummer),
            (None, None) => (None, NumberCheck::BsnOfOnderwijsnummer),
        };
        rows.geldig.push(pgn.as_deref().is_some_and(|p| passes_11_proef(p, check)));
        rows.pgns.push(pgn);
        rows.regels.push(line as i64);
        for (b, src) in builders.iter_mut().zip(&source) {
            b.append(src.map_or(Value::Null, |i| values[i]));
        }
    }
    rows.columns = builders.iter_mut().map(ColumnBuilder::finish).collect();
    Ok(rows)
}

/// What the file name says through the layout's `file_name` pattern:
/// its named groups.
fn name_says(layout: &ListLayout, file_name: &str) -> HashMap<String, String> {
    let stem = Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
    let Some(re) = &layout.file_name else { return HashMap::new() };
    let Some(c) = re.captures(stem) else { return HashMap::new() };
    re.capture_names().flatten().filter_map(|n| c.name(n).map(|m| (n.to_string(), m.as_str().to_string()))).collect()
}

/// A fact the command line and the file name may both give: they must agree.
fn agreed<T: PartialEq + std::fmt::Display>(
    flag: &str,
    what: &str,
    given: Option<T>,
    named: Option<T>,
    file_name: &str,
) -> std::result::Result<Option<T>, Problem> {
    match (given, named) {
        (Some(g), Some(n)) if g != n => Err(Problem::file(format!("{flag} {g}, but the file name {file_name:?} says {what}{n}"))),
        (g, n) => Ok(g.or(n)),
    }
}

/// Reads a list's rows. `Err`: the first row or fact that refuses it.
pub fn read_list(layout: &ListLayout, text: &str, file_name: &str, given: &Given, id: &str) -> std::result::Result<List, Problem> {
    let Soort::Lijst(lijst) = &layout.soort else {
        return Err(Problem::file(format!("layout {} reads a rapportage, not a list", layout.name)));
    };
    let named = name_says(layout, file_name);
    let name_teljaar = named.get("jaar").and_then(|j| j.parse::<i32>().ok()).map(|j| j - 1);
    let name_status = named.get("status").map(|s| if s == "D" { "definitief" } else { "voorlopig" }.to_string());
    let teljaar = agreed("--teljaar", "teljaar ", given.teljaar, name_teljaar, file_name)?;
    let status = agreed("--status", "", given.status.clone(), name_status, file_name)?;
    let (Some(teljaar), Some(status)) = (teljaar, status) else {
        return Err(Problem::file(format!(
            "the list does not say its teljaar and status (voorlopig or definitief): the file name {file_name:?} is not DUO's \
             (NRSP2023DI27GZ.csv); give them: verzuim lijst load FILE --teljaar T --status voorlopig|definitief"
        )));
    };
    let mut rows = read_rows(layout, text)?;
    let n = rows.len();
    let text_col = |v: &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(std::iter::repeat_n(v, n))) };
    let ongeldige_nummers = rows.ongeldig();
    let mut cols: Vec<ArrayRef> = vec![
        text_col(id),
        text_col(file_name),
        text_col(lijst),
        Arc::new(Int32Array::from(vec![teljaar; n])),
        text_col(&status),
        Arc::new(StringArray::from(vec![named.get("ontvanger").cloned(); n])),
    ];
    cols.extend(rows.person_columns());
    cols.append(&mut rows.columns);
    let batch = RecordBatch::try_new(schema(), cols).map_err(|e| Problem::file(e.to_string()))?;
    Ok(List { lijst: lijst.clone(), teljaar, status, batch, ongeldige_nummers })
}

/// One monthly A-rapportage, read.
#[derive(Debug)]
pub struct Rapportage {
    pub code: String,
    /// The month it reports on (`JJJJ-MM`).
    pub maand: String,
    pub batch: RecordBatch,
    pub ongeldige_nummers: usize,
    /// Where the file name's month and the rows' own month disagree: said,
    /// not refused (the rows are DUO's; which month is meant is the user's
    /// call, and `--maand` settles it).
    pub bevinding: Option<String>,
}

/// `JJJJ-MM` of a day count.
fn month_of(days: i32) -> String {
    let d = chrono::DateTime::from_timestamp(i64::from(days) * 86_400, 0).map(|t| t.date_naive()).unwrap_or_default();
    d.format("%Y-%m").to_string()
}

/// Reads a monthly rapportage. Its month: `--maand`, else the file name's
/// `jaar` and `maand`, else the latest month in its rows; none → refused.
// Long: the month from three sources and the finding when they disagree, then the batch; split, each half would take the other's state.
pub fn read_rapportage(
    layout: &ListLayout,
    text: &str,
    file_name: &str,
    given: &Given,
    id: &str,
) -> std::result::Result<Rapportage, Problem> {
    let Soort::Rapportage(code) = &layout.soort else {
        return Err(Problem::file(format!("layout {} reads a list, not a rapportage", layout.name)));
    };
    let named = name_says(layout, file_name);
    let name_maand = match (named.get("jaar"), named.get("maand")) {
        (Some(j), Some(m)) => Some(format!("{j}-{m:0>2}")),
        _ => None,
    };
    let mut rows = read_rows(layout, text)?;
    let at = RAPPORTAGE_COLUMNS.iter().position(|(n, _)| *n == "maand_in_bestand").expect("a rapportage column");
    // per row its own reporting month (None: the row says none)
    let in_rows: Vec<Option<String>> = {
        let days = rows.columns[at].as_any().downcast_ref::<Date32Array>().expect("a date column");
        days.iter().map(|d| d.map(month_of)).collect()
    };
    let latest = in_rows.iter().flatten().max().cloned();
    let maand = agreed("--maand", "", given.maand.clone(), name_maand.clone(), file_name)?.or(latest.clone()).ok_or_else(|| {
        Problem::file(format!(
            "the rapportage does not say its month: the file name {file_name:?} does not match the layout's file_name and no row \
             has a reporting month; give it: verzuim lijst load FILE --maand JJJJ-MM"
        ))
    })?;
    // A cumulative rapportage ([rapportage] cumulatief) repeats earlier
    // months' rows; a row of a later month, or (not cumulative) of another
    // month, disagrees with the file. Decided here once, stored per row.
    let cumulatief = layout.cumulatief;
    let maand_afwijkend: Vec<bool> =
        in_rows.iter().map(|m| m.as_ref().is_some_and(|m| *m > maand || (!cumulatief && *m != maand))).collect();
    let afwijkend = maand_afwijkend.iter().filter(|a| **a).count();
    let bevinding = match (afwijkend, latest) {
        (0, Some(l)) if cumulatief && l < maand => {
            Some(format!("the rapportage is of {maand}, but its latest reporting month in the rows is {l}"))
        }
        (0, _) => None,
        (n, l) => Some(format!(
            "the rapportage is of {maand} ({}), but {n} of its rows say another reporting month (latest {})",
            if given.maand.is_some() { "--maand" } else { "its file name" },
            l.unwrap_or_default()
        )),
    };
    let n = rows.len();
    let text_col = |v: &str| -> ArrayRef { Arc::new(StringArray::from_iter_values(std::iter::repeat_n(v, n))) };
    let ongeldige_nummers = rows.ongeldig();
    let first_day = chrono::NaiveDate::parse_from_str(&format!("{maand}-01"), "%Y-%m-%d")
        .map_err(|_| Problem::file(format!("reporting month {maand:?} is not JJJJ-MM")))?;
    let days = (first_day - chrono::NaiveDate::default()).num_days() as i32;
    let geladen_op = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut cols: Vec<ArrayRef> = vec![
        text_col(id),
        text_col(file_name),
        text_col(code),
        Arc::new(Date32Array::from(vec![days; n])),
        Arc::new(StringArray::from(vec![named.get("ontvanger").cloned(); n])),
        text_col(&geladen_op),
        Arc::new(BooleanArray::from(maand_afwijkend)),
    ];
    cols.extend(rows.person_columns());
    cols.append(&mut rows.columns);
    let batch = RecordBatch::try_new(rapportage_schema(), cols).map_err(|e| Problem::file(e.to_string()))?;
    Ok(Rapportage { code: code.clone(), maand, batch, ongeldige_nummers, bevinding })
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
    /// A rapportage's month (`JJJJ-MM`).
    pub maand: Option<String>,
    pub rows: usize,
    pub ongeldige_nummers: usize,
    /// What a loaded file disagrees with itself on (a rapportage's month).
    pub bevinding: Option<String>,
}

impl ListReport {
    pub fn new(name: &str) -> ListReport {
        ListReport {
            name: name.to_string(),
            layout: String::new(),
            outcome: Ok(true),
            teljaar: None,
            status: None,
            maand: None,
            rows: 0,
            ongeldige_nummers: 0,
            bevinding: None,
        }
    }
}

/// Reads one list or rapportage and stores it (`Ok(true)` stored,
/// `Ok(false)` already there), filling `report`.
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
    if let Soort::Rapportage(_) = layout.soort {
        let r = read_rapportage(layout, text, file_name, given, &id).map_err(Rejection::Content)?;
        report.maand = Some(r.maand.clone());
        report.rows = r.batch.num_rows();
        report.ongeldige_nummers = r.ongeldige_nummers;
        report.bevinding = r.bevinding;
        // once per content and month: each month is its own version
        let dir = Path::new(RAPPORTAGES_DIR).join(&r.code);
        return lake.put_file(&dir, &format!("{}_{id}", r.maand), &r.batch).map_err(|e| Rejection::Lake(e.to_string()));
    }
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
/// recognises it (a list or a rapportage).
pub fn load(lake_dir: &Path, layouts: &[ListLayout], paths: &[PathBuf], given: &Given) -> Result<Vec<ListReport>> {
    let lake = Lake::open(lake_dir)?;
    let (inputs, _) = input::discover(paths, &["csv", "txt", "zip"])?;
    let mut reports = Vec::new();
    for inp in &inputs {
        let mut report = ListReport::new(&inp.name());
        report.outcome = (|| {
            let bytes = inp.read().map_err(|e| e.to_string())?;
            let (text, _) = read_text(&bytes)?;
            let layout = recognise(layouts, first_line(&text), &inp.file_name())?.ok_or_else(|| {
                let tried: Vec<String> = layouts.iter().map(|l| format!("{} ({})", l.name, l.recognise.join(", "))).collect();
                format!("the header matches no list or rapportage layout; tried {}", tried.join("; "))
            })?;
            report.layout = layout.name.clone();
            store(&lake, layout, &text, &inp.file_name(), &input::sha256_hex(&bytes), given, &mut report).map_err(|r| r.to_string())
        })();
        reports.push(report);
    }
    Ok(reports)
}
