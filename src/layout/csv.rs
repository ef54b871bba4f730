//! Header-CSV layouts: files whose first row names the columns, `;` (or `,`,
//! `|`, tab) between values, one row per person × inschrijving with the
//! person's columns repeated on every row — how every DUO file that can be
//! seen in the open is built. Columns are found by their header names, not
//! their positions, and each column has value rules (null markers, a value
//! map, a pattern, zero padding, whole numbers written as decimals, a date
//! format) as data.
//!
//! The same column vocabulary (`[[column]]` with `header`, `name`, `type`,
//! `required`, `optional` and the value rules) serves DUO's public reference
//! files (`src/reference/`): one header-CSV mechanism, not two that drift
//! apart. This module compiles what a file says; which canonical table and
//! column each mapping fills is checked one stage up, in
//! `normalise::csv`, as for record layouts.

use std::collections::{BTreeMap, HashMap};

use regex::Regex;
use serde::Deserialize;

use super::file::TypeName;
use super::{CodeList, DateFormat, NumberCheck, ValueKind};
use crate::error::{Error, Result};

/// The separators a header-CSV file may use.
pub const SEPARATORS: &[u8] = b";,|\t";

/// How a header-CSV file splits into values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// The file's separator is the one of these its header line holds most often.
    pub separators: Vec<u8>,
    /// Values may be quoted `"…"` (a `;` inside, `""` for a quote). Off for
    /// files with literal `"` in unquoted values.
    pub quoting: bool,
}

impl Dialect {
    /// The separator of a file whose first line is `header_line`.
    pub fn separator_for(&self, header_line: &str) -> u8 {
        let count = |s: u8| header_line.bytes().filter(|&b| b == s).count();
        // max_by_key keeps the last of equals: go backwards so the first listed wins a tie
        self.separators.iter().rev().copied().max_by_key(|&s| count(s)).unwrap_or(b';')
    }

    /// A `csv` reader over `text` with this dialect and `separator`; rows of
    /// any length are returned, so that a ragged row gets verzuim's message.
    /// `\r\n`, `\n` and a bare `\r` all end a row.
    pub fn reader<'t>(&self, separator: u8, text: &'t str) -> csv::Reader<&'t [u8]> {
        csv::ReaderBuilder::new().delimiter(separator).quoting(self.quoting).has_headers(false).flexible(true).from_reader(text.as_bytes())
    }

    /// The header names of a file, as written (trimmed).
    pub fn header(&self, text: &str) -> (u8, Vec<String>) {
        let first = first_line(text);
        let sep = self.separator_for(first);
        let names = match self.reader(sep, first).records().next() {
            Some(Ok(r)) => r.iter().map(|h| h.trim().to_string()).collect(),
            _ => Vec::new(),
        };
        (sep, names)
    }
}

/// The first line of `text`, whatever ends it (`\r\n`, `\n` or `\r`).
pub fn first_line(text: &str) -> &str {
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    &text[..end]
}

/// How a header is matched: case-insensitive, surrounding spaces and a
/// leading `#` ignored (`#Persoonsgebondennummer ` ≡ `PERSOONSGEBONDENNUMMER`).
pub fn header_key(header: &str) -> String {
    header.trim().trim_start_matches('#').trim().to_uppercase()
}

/// Whether `text` starts with a header row: at least two names, each with a
/// letter (a VZL1 header record has numbers and dates among its fields).
pub fn looks_like_header_csv(text: &str) -> bool {
    let first = first_line(text);
    let Some(sep) = separator_of(first) else { return false };
    let dialect = Dialect { separators: vec![sep], quoting: true };
    let (_, mut names) = dialect.header(first);
    // a separator at the end of the line leaves an unnamed last column
    while names.last().is_some_and(|n| n.is_empty()) {
        names.pop();
    }
    names.len() >= 2 && names.iter().all(|n| n.chars().any(char::is_alphabetic) && n.chars().count() <= 80)
}

pub fn separator_of(line: &str) -> Option<u8> {
    SEPARATORS
        .iter()
        .copied()
        .map(|s| (s, line.bytes().filter(|&b| b == s).count()))
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| s)
}

/// Reads the dialect keys shared by every header-CSV layout.
pub(crate) fn compile_dialect(separator: Option<&str>, separators: &[String], quoting: bool) -> std::result::Result<Dialect, String> {
    let mut seps = Vec::new();
    for s in separator.into_iter().chain(separators.iter().map(String::as_str)) {
        match s.as_bytes() {
            [b] if SEPARATORS.contains(b) => seps.push(*b),
            _ => return Err(format!("separator {s:?}: use \";\", \",\", \"|\" or \"\\t\"")),
        }
    }
    if seps.is_empty() {
        return Err("a header-CSV layout needs `separator` (or a list `separators`)".into());
    }
    Ok(Dialect { separators: seps, quoting })
}

/// The `[layout]` section of a layout that reads a header CSV into one
/// table of its own: DUO's reference files (`table` names it) and BRP
/// extracts (the table is fixed). Dialect, defaults and description.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TableMeta {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `"csv"` when given: the only kind.
    pub format: Option<String>,
    pub table: Option<String>,
    pub separator: Option<String>,
    #[serde(default)]
    pub separators: Vec<String>,
    #[serde(default = "quoting_on")]
    pub quoting: bool,
    pub date_format: Option<String>,
    #[serde(default = "blank_is_null")]
    pub null: Vec<String>,
}

fn quoting_on() -> bool {
    true
}
fn blank_is_null() -> Vec<String> {
    vec![String::new()]
}

impl TableMeta {
    /// The dialect and the layout-wide date format, checked.
    pub(crate) fn compile(&self) -> std::result::Result<(Dialect, Option<DateFormat>), String> {
        if self.format.as_deref().is_some_and(|x| x != "csv") {
            return Err("this layout reads a header CSV: format = \"csv\"".into());
        }
        let dialect = compile_dialect(self.separator.as_deref(), &self.separators, self.quoting)?;
        let date_format = self.date_format.as_deref().map(DateFormat::parse_pattern).transpose()?;
        Ok((dialect, date_format))
    }
}

/// The `[[column]]`s of a layout whose target columns are fixed (a BRP
/// extract, DUO's VSV lists): each compiled, named after one of `target`
/// and of its type, none twice; `what` names the file kind in messages.
pub(crate) fn compile_target_columns(
    files: &[ColumnFile],
    meta: &TableMeta,
    date_format: Option<&DateFormat>,
    target: &[(&str, ValueKind)],
    what: &str,
) -> std::result::Result<Vec<CsvColumn>, (crate::error::Refusal, String)> {
    use crate::error::Refusal;
    let no_codes = HashMap::new();
    let defaults = RuleDefaults { date_format, null: &meta.null, code_index: &no_codes };
    let mut columns: Vec<CsvColumn> = Vec::new();
    for c in files {
        let col = compile_column(c, &defaults).map_err(|m| (Refusal::Invalid, m))?;
        let Some((_, kind)) = target.iter().find(|(n, _)| *n == col.name) else {
            let names: Vec<&str> = target.iter().map(|(n, _)| *n).collect();
            return Err((
                Refusal::UnknownColumn,
                format!("column {}: {what}'s columns are {} (what else a file holds is left unread)", col.name, names.join(", ")),
            ));
        };
        if col.rule.kind != *kind {
            return Err((Refusal::WrongType, format!("column {} is a {kind:?} in the lake, not a {:?}", col.name, col.rule.kind)));
        }
        if columns.iter().any(|x| x.name == col.name) {
            return Err((Refusal::Invalid, format!("column {} is named twice", col.name)));
        }
        columns.push(col);
    }
    Ok(columns)
}

/// One column of a header-CSV file as a layout file writes it, for
/// deliveries and reference files alike.
/// `format = "D-M-JJJJ"`, or several a value may be in:
/// `format = ["D-M-JJJJ", "JJJJMMDD"]` (the first is the column's own).
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub(crate) enum FormatFile {
    One(String),
    Several(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ColumnFile {
    /// The column's header in the file.
    pub header: String,
    /// Other spellings of the header the same column goes by in some
    /// files (`RAPPORTAGE_MAAND` beside `RAPPORTAGEMAAND`).
    #[serde(default)]
    pub also_header: Vec<String>,
    /// The value's name: used in `[tables.*]` mappings, and the stored
    /// column of an extra or reference column.
    pub name: String,
    #[serde(rename = "type", default)]
    pub ty: TypeName,
    pub format: Option<FormatFile>,
    pub codes: Option<String>,
    /// The value may not be empty.
    #[serde(default)]
    pub required: bool,
    /// The file may lack the column; its values are then null.
    #[serde(default)]
    pub optional: bool,
    pub check: Option<String>,
    pub null: Option<Vec<String>>,
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    pub pattern: Option<String>,
    #[serde(default)]
    pub whole_number: bool,
    pub pad: Option<usize>,
    /// `"first"`: a date's `00` month or day (unknown, as the BRP writes
    /// it) is read as the first.
    pub unknown_date_parts: Option<String>,
}

/// How a cell's text becomes a value: the rules in the order they apply.
#[derive(Debug, Clone)]
pub struct ValueRule {
    pub kind: ValueKind,
    pub date: Option<DateFormat>,
    /// Further formats a date may be in, tried in order after `date`
    /// (a column whose files write dates two ways; `date` is the one written).
    pub also: Vec<DateFormat>,
    /// Index into the layout's code lists: a value outside it is a finding.
    pub codes: Option<usize>,
    pub required: bool,
    pub check: Option<NumberCheck>,
    /// Values (after trimming spaces) that mean "no value".
    pub null: Vec<String>,
    pub map: HashMap<String, String>,
    /// The first group (or the whole match) is the value.
    pub pattern: Option<Regex>,
    /// `129.0` / `129,00` read as `129`.
    pub whole_number: bool,
    /// Digits shorter than this get leading zeros (`488` → `0488`).
    pub pad: Option<usize>,
}

/// A compiled column.
#[derive(Debug, Clone)]
pub struct CsvColumn {
    pub header: String,
    /// [`header_key`] of the header.
    pub key: String,
    /// [`header_key`]s of the header's other spellings (`also_header`).
    pub also_keys: Vec<String>,
    pub name: String,
    pub rule: ValueRule,
    pub optional: bool,
}

/// What the layout-wide defaults of the value rules are.
pub(crate) struct RuleDefaults<'a> {
    pub date_format: Option<&'a DateFormat>,
    pub null: &'a [String],
    pub code_index: &'a HashMap<&'a str, usize>,
}

// Long: one check per key of `[[column]]`, in the order docs/layouts.md lists them; each is a few lines.
pub(crate) fn compile_column(c: &ColumnFile, d: &RuleDefaults) -> std::result::Result<CsvColumn, String> {
    let at = |m: String| format!("column {}: {m}", c.name);
    if c.header.trim().is_empty() || c.name.trim().is_empty() || c.also_header.iter().any(|h| h.trim().is_empty()) {
        return Err(at("`header`, `also_header` and `name` may not be empty".into()));
    }
    let kind = match c.ty {
        TypeName::Text | TypeName::Code => ValueKind::Text,
        TypeName::Date => ValueKind::Date,
        TypeName::Integer => ValueKind::Integer,
        TypeName::Flag => ValueKind::Flag,
    };
    let (date, also) = match (&c.format, kind) {
        (Some(f), ValueKind::Date) => {
            let patterns = match f {
                FormatFile::One(p) => std::slice::from_ref(p),
                FormatFile::Several(list) => list.as_slice(),
            };
            let mut formats =
                patterns.iter().map(|p| DateFormat::parse_pattern(p).map_err(at)).collect::<std::result::Result<Vec<_>, _>>()?;
            if formats.is_empty() {
                return Err(at("`format` lists no format".into()));
            }
            let first = formats.remove(0);
            (Some(first), formats)
        }
        (Some(_), _) => return Err(at("`format` is for date columns".into())),
        (None, ValueKind::Date) => (
            Some(d.date_format.cloned().ok_or_else(|| at("is a date: give it a `format` or the layout a `date_format`".into()))?),
            Vec::new(),
        ),
        (None, _) => (None, Vec::new()),
    };
    let (date, also) = match c.unknown_date_parts.as_deref() {
        None => (date, also),
        Some("first") if kind == ValueKind::Date => {
            (date.map(DateFormat::with_unknown_as_first), also.into_iter().map(DateFormat::with_unknown_as_first).collect())
        }
        Some("first") => return Err(at("`unknown_date_parts` is for date columns".into())),
        Some(other) => return Err(at(format!("unknown_date_parts = {other:?}: the one choice is \"first\""))),
    };
    let codes = match (&c.codes, c.ty) {
        (Some(list), TypeName::Code) => {
            Some(*d.code_index.get(list.as_str()).ok_or_else(|| at(format!("code list {list:?} is not under [codes]")))?)
        }
        (None, TypeName::Code) => return Err(at("type code needs `codes`".into())),
        (Some(_), _) => return Err(at("`codes` needs type = \"code\"".into())),
        (None, _) => None,
    };
    let check = c.check.as_deref().map(super::number_check).transpose().map_err(at)?;
    let pattern = match &c.pattern {
        None => None,
        Some(p) => {
            let re = Regex::new(p).map_err(|e| at(format!("pattern {p:?}: {e}")))?;
            if re.captures_len() > 2 {
                return Err(at(format!("pattern {p:?} has more than one group: the first group is the value")));
            }
            Some(re)
        }
    };
    if c.pad == Some(0) {
        return Err(at("pad must be at least 1".into()));
    }
    if c.required && c.optional {
        return Err(at("`required` (the value may not be empty) and `optional` (the column may be missing) exclude each other".into()));
    }
    Ok(CsvColumn {
        header: c.header.trim().to_string(),
        key: header_key(&c.header),
        also_keys: c.also_header.iter().map(|h| header_key(h)).collect(),
        name: c.name.clone(),
        rule: ValueRule {
            kind,
            date,
            also,
            codes,
            required: c.required,
            check,
            null: c.null.clone().unwrap_or_else(|| d.null.to_vec()).iter().map(|n| n.trim().to_string()).collect(),
            map: c.map.iter().map(|(k, v)| (k.trim().to_string(), v.clone())).collect(),
            pattern,
            whole_number: c.whole_number,
            pad: c.pad,
        },
        optional: c.optional,
    })
}

// ---- delivery layouts ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CsvLayoutFile {
    layout: CsvMeta,
    #[serde(default)]
    delivery: DeliveryFile,
    #[serde(default)]
    codes: BTreeMap<String, Vec<String>>,
    column: Vec<ColumnFile>,
    #[serde(default)]
    tables: BTreeMap<String, toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CsvMeta {
    name: String,
    #[serde(default)]
    description: String,
    #[allow(dead_code)] // read by DeliveryLayout::from_toml to choose this reader
    format: String,
    separator: Option<String>,
    #[serde(default)]
    separators: Vec<String>,
    #[serde(default = "yes")]
    quoting: bool,
    #[serde(default)]
    recognise: Vec<String>,
    date_format: Option<String>,
    #[serde(default = "default_null")]
    null: Vec<String>,
    #[serde(default = "default_person_key")]
    person_key: PersonKeyFile,
    #[serde(default)]
    person_rows: PersonRows,
}

fn yes() -> bool {
    true
}
fn default_null() -> Vec<String> {
    vec![String::new()]
}
fn default_person_key() -> PersonKeyFile {
    PersonKeyFile::One("pgn".into())
}

/// `person_key = "pgn"`, or `["bsn", "onderwijsnummer"]`: the first with a value.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PersonKeyFile {
    One(String),
    FirstOf(Vec<String>),
}

/// What two rows of one person that disagree in a per-person table give.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum PersonRows {
    /// The first row counts; a `bevinding` names both lines (the default:
    /// one inconsistent person does not hold back everyone's delivery).
    #[default]
    Bevinding,
    /// The delivery is rejected.
    Reject,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DeliveryFile {
    file_name: Option<String>,
    file_name_date_format: Option<String>,
    soort: Option<FactFile>,
    afnemer: Option<FactFile>,
    peildatum: Option<FactFile>,
    aanmaakdatum: Option<FactFile>,
    volgnummer: Option<FactFile>,
    /// The soorten that may come as a header line without rows (default P).
    empty_deliveries: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FactFile {
    Constant(String),
    Column { column: String },
}

/// Where one delivery fact comes from in the file (the command line comes first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactSource {
    Column(usize),
    Constant(String),
}

/// A delivery fact a header-CSV file has no header record for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Soort,
    Afnemer,
    Peildatum,
    Aanmaakdatum,
    Volgnummer,
}

impl Fact {
    pub const ALL: [Fact; 5] = [Fact::Soort, Fact::Afnemer, Fact::Peildatum, Fact::Aanmaakdatum, Fact::Volgnummer];

    /// Its name in layout files, flags and messages.
    pub fn name(self) -> &'static str {
        match self {
            Fact::Soort => "soort",
            Fact::Afnemer => "afnemer",
            Fact::Peildatum => "peildatum",
            Fact::Aanmaakdatum => "aanmaakdatum",
            Fact::Volgnummer => "volgnummer",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FactSources {
    /// Named groups: `soort`, `afnemer` (or `soort_afnemer` + `afnemercode`),
    /// `peildatum`, `aanmaakdatum`, `volgnummer`.
    pub file_name: Option<Regex>,
    pub file_name_date: DateFormat,
    /// Per fact of [`Fact::ALL`], in that order: read them with [`FactSources::source`].
    sources: Vec<Option<FactSource>>,
    /// The soorten a header line without rows is a delivery of: a week
    /// without changes is a P-levering without persons (docs/decisions.md).
    pub empty_deliveries: Vec<String>,
}

impl FactSources {
    pub fn source(&self, fact: Fact) -> Option<&FactSource> {
        self.sources[fact as usize].as_ref()
    }

    /// The layout column a fact is read from, if any.
    pub fn column(&self, fact: Fact) -> Option<usize> {
        match self.source(fact) {
            Some(FactSource::Column(i)) => Some(*i),
            _ => None,
        }
    }
}

/// Where a canonical column's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A column of the file (index into [`CsvLayout::columns`]).
    Column(usize),
    /// The same text on every row (read as the canonical column's type).
    Constant(String),
    /// The file does not have it: stored as null.
    Absent,
}

/// A `[tables.<name>]` section, compiled against the file's columns.
#[derive(Debug, Clone)]
pub struct TableMapping {
    pub table: String,
    /// At most one row per person (persoon always is).
    pub per_person: Option<bool>,
    /// Canonical column → source, as written.
    pub sources: Vec<(String, Source)>,
    /// Columns of the file kept as extra columns of this table.
    pub extra: Vec<usize>,
}

/// A checked header-CSV delivery layout.
#[derive(Debug, Clone)]
pub struct CsvLayout {
    pub name: String,
    pub description: String,
    pub origin: String,
    pub dialect: Dialect,
    /// Header keys a file must hold to be this layout.
    pub recognise: Vec<String>,
    pub columns: Vec<CsvColumn>,
    /// The columns that identify the person of a row: the first with a
    /// value is its pgn (DUO's pgn is the BSN, else the onderwijsnummer).
    pub person_key: Vec<usize>,
    pub tables: Vec<TableMapping>,
    pub facts: FactSources,
    pub person_rows: PersonRows,
    pub code_lists: Vec<CodeList>,
}

impl CsvLayout {
    /// How it recognises a file, for the message when none does.
    pub fn recognition(&self) -> String {
        format!("header holds {}", self.recognise.join(", "))
    }

    pub fn from_toml(text: &str, origin: &str) -> Result<CsvLayout> {
        let raw: CsvLayoutFile = toml::from_str(text).map_err(|e| Error::Toml { origin: origin.to_string(), source: e })?;
        let name = raw.layout.name.clone();
        compile(raw, origin).map_err(|m| Error::layout(format!("{name} ({origin})"), m))
    }

    /// Whether canonical column `table.column` stays empty in every
    /// delivery this layout reads: listed under `absent`, or its table not
    /// filled at all.
    pub fn leaves_empty(&self, table: &str, column: &str) -> bool {
        match self.tables.iter().find(|t| t.table == table) {
            None => true,
            Some(t) => matches!(t.sources.iter().find(|(c, _)| c == column), Some((_, Source::Absent))),
        }
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Whether a file with this first line is this layout: its header holds
    /// every `recognise` name (default: every column that is not optional).
    pub fn recognises(&self, first_line: &str) -> bool {
        let (_, names) = self.dialect.header(first_line);
        let keys: Vec<String> = names.iter().map(|n| header_key(n)).collect();
        !keys.is_empty() && self.recognise.iter().all(|r| keys.contains(r))
    }
}

// Long: one check per layout key, in the order of the file.
fn compile(raw: CsvLayoutFile, origin: &str) -> std::result::Result<CsvLayout, String> {
    let m = &raw.layout;
    let dialect = compile_dialect(m.separator.as_deref(), &m.separators, m.quoting)?;
    let date_format = m.date_format.as_deref().map(DateFormat::parse_pattern).transpose()?;
    let code_lists: Vec<CodeList> = raw.codes.iter().map(|(n, v)| CodeList { name: n.clone(), values: v.clone() }).collect();
    let code_index: HashMap<&str, usize> = code_lists.iter().enumerate().map(|(i, c)| (c.name.as_str(), i)).collect();
    let defaults = RuleDefaults { date_format: date_format.as_ref(), null: &m.null, code_index: &code_index };
    let mut columns: Vec<CsvColumn> = Vec::new();
    for c in &raw.column {
        let col = compile_column(c, &defaults)?;
        if columns.iter().any(|x| x.name == col.name) {
            return Err(format!("column {}: name used twice", col.name));
        }
        if let Some(x) = columns.iter().find(|x| x.key == col.key) {
            return Err(format!("columns {} and {} read the same header {:?}", x.name, col.name, col.header));
        }
        columns.push(col);
    }
    if columns.is_empty() {
        return Err("a layout needs at least one [[column]]".into());
    }
    let index = |name: &str, what: &str| {
        columns.iter().position(|c| c.name == name).ok_or_else(|| format!("{what} names column {name:?}, which no [[column]] has"))
    };
    let key_names = match &m.person_key {
        PersonKeyFile::One(n) => vec![n.clone()],
        PersonKeyFile::FirstOf(list) => list.clone(),
    };
    if key_names.is_empty() {
        return Err("person_key names at least one column".into());
    }
    let person_key = key_names.iter().map(|n| index(n, "person_key")).collect::<std::result::Result<Vec<_>, _>>()?;
    if columns[person_key[0]].optional {
        return Err(format!("the person key column {} cannot be optional", key_names[0]));
    }
    let mut used = vec![false; columns.len()];
    for &k in &person_key {
        used[k] = true;
    }
    let mut tables = Vec::new();
    for (table, section) in &raw.tables {
        let at = |m: String| format!("[tables.{table}]: {m}");
        let mut t = TableMapping { table: table.clone(), per_person: None, sources: Vec::new(), extra: Vec::new() };
        for (key, value) in section {
            match (key.as_str(), value) {
                ("per_person", toml::Value::Boolean(b)) => t.per_person = Some(*b),
                ("per_person", _) => return Err(at("per_person is true or false".into())),
                ("absent", toml::Value::Array(list)) => {
                    for v in list {
                        let c = v.as_str().ok_or_else(|| at("absent lists canonical column names".into()))?;
                        t.sources.push((c.to_string(), Source::Absent));
                    }
                }
                ("extra", toml::Value::Array(list)) => {
                    for v in list {
                        let c = v.as_str().ok_or_else(|| at("extra lists column names".into()))?;
                        let i = index(c, "extra").map_err(at)?;
                        used[i] = true;
                        t.extra.push(i);
                    }
                }
                ("absent" | "extra", _) => return Err(at(format!("{key} is a list of names"))),
                (col, toml::Value::String(name)) => {
                    let i = index(name, col).map_err(at)?;
                    used[i] = true;
                    t.sources.push((col.to_string(), Source::Column(i)));
                }
                (col, toml::Value::Table(c)) => match (c.get("constant"), c.len()) {
                    (Some(toml::Value::String(v)), 1) => t.sources.push((col.to_string(), Source::Constant(v.clone()))),
                    _ => return Err(at(format!("{col}: give a column name, {{ constant = \"…\" }} or list it under `absent`"))),
                },
                (col, _) => return Err(at(format!("{col}: give a column name, {{ constant = \"…\" }} or list it under `absent`"))),
            }
        }
        let mut seen = Vec::new();
        for (c, _) in &t.sources {
            if seen.contains(c) {
                return Err(at(format!("column {c} is given twice")));
            }
            seen.push(c.clone());
        }
        tables.push(t);
    }
    if tables.is_empty() {
        return Err("a delivery layout needs at least one [tables.<name>] section".into());
    }

    let facts = compile_facts(&raw.delivery, &columns, &mut used)?;
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!(
            "column {} is read but goes nowhere: map it in a [tables.*] section, list it under a table's `extra`, or remove it",
            columns[i].name
        ));
    }
    let recognise: Vec<String> = if m.recognise.is_empty() {
        columns.iter().filter(|c| !c.optional).map(|c| c.key.clone()).collect()
    } else {
        m.recognise.iter().map(|r| header_key(r)).collect()
    };
    Ok(CsvLayout {
        name: m.name.clone(),
        description: m.description.clone(),
        origin: origin.to_string(),
        dialect,
        recognise,
        columns,
        person_key,
        tables,
        facts,
        person_rows: m.person_rows,
        code_lists,
    })
}

fn compile_facts(d: &DeliveryFile, columns: &[CsvColumn], used: &mut [bool]) -> std::result::Result<FactSources, String> {
    let file_name = match &d.file_name {
        None => None,
        Some(p) => {
            let re = Regex::new(p).map_err(|e| format!("[delivery] file_name {p:?}: {e}"))?;
            for name in re.capture_names().flatten() {
                if !Fact::ALL.iter().any(|f| f.name() == name) && name != "soort_afnemer" && name != "afnemercode" {
                    let names: Vec<_> = Fact::ALL.iter().map(|f| f.name()).collect();
                    return Err(format!(
                        "[delivery] file_name: group {name:?} is not one of {}, soort_afnemer, afnemercode",
                        names.join(", ")
                    ));
                }
            }
            Some(re)
        }
    };
    let file_name_date = DateFormat::parse_pattern(d.file_name_date_format.as_deref().unwrap_or("JJJJMMDD"))?;
    let mut sources = Vec::new();
    for (fact, given) in Fact::ALL.iter().map(|f| f.name()).zip([&d.soort, &d.afnemer, &d.peildatum, &d.aanmaakdatum, &d.volgnummer]) {
        sources.push(match given {
            None => None,
            Some(FactFile::Constant(v)) => Some(FactSource::Constant(v.clone())),
            Some(FactFile::Column { column }) => {
                let i = columns
                    .iter()
                    .position(|c| c.name == *column)
                    .ok_or_else(|| format!("[delivery] {fact} names column {column:?}, which no [[column]] has"))?;
                used[i] = true;
                Some(FactSource::Column(i))
            }
        });
    }
    let empty_deliveries = d.empty_deliveries.clone().unwrap_or_else(|| vec!["P".to_string()]);
    if let Some(bad) = empty_deliveries.iter().find(|s| !matches!(s.as_str(), "P" | "C" | "A")) {
        return Err(format!("[delivery] empty_deliveries: soort {bad:?} is not P, C or A"));
    }
    Ok(FactSources { file_name, file_name_date, sources, empty_deliveries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{OwnedValue as Cell, read_cell};

    fn layout(extra: &str) -> std::result::Result<CsvLayout, String> {
        let text = format!(
            "[layout]\nname = \"T\"\nformat = \"csv\"\nseparator = \";\"\ndate_format = \"D-M-JJJJ\"\n\
             [[column]]\nheader = \"BSN\"\nname = \"pgn\"\n\
             [[column]]\nheader = \"GEBOORTEDATUM\"\nname = \"geboortedatum\"\ntype = \"date\"\n\
             [tables.persoon]\ngeboortedatum = \"geboortedatum\"\n{extra}"
        );
        CsvLayout::from_toml(&text, "test").map_err(|e| e.to_string())
    }

    #[test]
    fn a_layout_refuses_what_it_cannot_honour() {
        assert!(layout("").is_ok());
        let cases = [
            ("[[column]]\nheader = \"X\"\nname = \"x\"\n", "column x is read but goes nowhere"),
            ("[[column]]\nheader = \" bsn \"\nname = \"b2\"\n", "read the same header"),
            ("[tables.inschrijving]\ninstellingscode = \"brin\"\n", "names column \"brin\""),
            ("[delivery]\nfile_name = '(?<maand>[0-9]{6})'\n", "group \"maand\""),
            ("[delivery]\npeildatum = { column = \"peil\" }\n", "no [[column]] has"),
            ("[delivery]\nempty_deliveries = [\"X\"]\n", "soort \"X\" is not P, C or A"),
        ];
        for (extra, needle) in cases {
            let e = layout(extra).unwrap_err();
            assert!(e.contains(needle), "{e} should say {needle}");
        }
        let e = CsvLayout::from_toml(
            "[layout]\nname = \"T\"\nformat = \"csv\"\nseparator = \"ab\"\n[[column]]\nheader = \"A\"\nname = \"pgn\"\n[tables.persoon]\n",
            "t",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("separator"), "{e}");
    }

    #[test]
    fn headers_match_loosely_and_the_separator_is_read_off_the_header() {
        let l = layout("").unwrap();
        assert!(l.recognises("#bsn ; Geboortedatum;Extra"));
        assert!(!l.recognises("BSN;GEBOORTE"));
        assert_eq!(header_key(" #Persoonsgebondennummer "), "PERSOONSGEBONDENNUMMER");
        let d = Dialect { separators: vec![b';', b','], quoting: true };
        assert_eq!(d.separator_for("A,B,C;D"), b',');
        assert_eq!(d.separator_for("A;B"), b';');
        assert_eq!(first_line("A;B\rC;D"), "A;B");
        assert!(looks_like_header_csv("PGN;GEBOORTEDATUM\r\n1;2"));
        assert!(!looks_like_header_csv("VLP|VZL1|C|G|0363|20261122|20261123|000001"));
    }

    fn rule(toml_column: &str) -> ValueRule {
        let c: ColumnFile = toml::from_str(&format!("header = \"H\"\nname = \"h\"\n{toml_column}")).unwrap();
        let index = HashMap::new();
        let d = RuleDefaults { date_format: None, null: &["".to_string(), "NULL".to_string()], code_index: &index };
        compile_column(&c, &d).unwrap().rule
    }

    #[test]
    fn value_rules_apply_in_their_order() {
        let read = |r: &ValueRule, v: &str| read_cell(r, v, &mut String::new(), &[], &mut None).map(Cell::from);
        let gemeente = rule("pad = 4\nwhole_number = true");
        assert_eq!(read(&gemeente, " 488 "), Ok(Cell::Text("0488".into())));
        assert_eq!(read(&gemeente, "488.0"), Ok(Cell::Text("0488".into())));
        assert!(read(&gemeente, "488.5").unwrap_err().contains("not a whole number"));
        assert_eq!(read(&gemeente, "NULL"), Ok(Cell::Null));
        assert_eq!(read(&gemeente, " "), Ok(Cell::Null));
        let niveau = rule("type = \"integer\"\npattern = '([0-9]+)'\nmap = { \"Entree\" = \"1\" }");
        assert_eq!(read(&niveau, "Mbo4 opleidingen"), Ok(Cell::Integer(4)));
        assert_eq!(read(&niveau, "Entree"), Ok(Cell::Integer(1)));
        assert!(read(&niveau, "onbekend").unwrap_err().contains("does not match the pattern"));
        let bsn = rule("pad = 9\ncheck = \"bsn\"\nrequired = true");
        assert_eq!(read(&bsn, "12345672"), Ok(Cell::Text("012345672".into())));
        let e = read(&bsn, "12345671").unwrap_err();
        assert!(e.contains("*****5671") && !e.contains("12345671"), "{e}");
        assert!(read(&bsn, "").unwrap_err().contains("required"));
        let datum = rule("type = \"date\"\nformat = \"M/D/JJ\"");
        assert_eq!(
            read(&datum, "3/5/10"),
            Ok(Cell::Date(crate::layout::days_from_date(chrono::NaiveDate::from_ymd_opt(2010, 3, 5).unwrap())))
        );
        let vlag = rule("type = \"flag\"\nmap = { \"Ja\" = \"J\", \"Nee\" = \"N\" }");
        assert_eq!(read(&vlag, "Nee"), Ok(Cell::Flag(false)));
        // the BRP's unknown month or day: the first, only where the column says so
        let day = |y, m, d| Ok(Cell::Date(crate::layout::days_from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())));
        let brp = rule("type = \"date\"\nformat = \"JJJJMMDD\"\nunknown_date_parts = \"first\"");
        assert_eq!(read(&brp, "20100500"), day(2010, 5, 1));
        assert_eq!(read(&brp, "20100000"), day(2010, 1, 1));
        assert_eq!(read(&brp, "20100517"), day(2010, 5, 17));
        assert!(read(&brp, "20101300").is_err(), "a month 13 is no unknown part");
        let plain = rule("type = \"date\"\nformat = \"JJJJMMDD\"");
        assert!(read(&plain, "20100500").is_err());
    }
}
