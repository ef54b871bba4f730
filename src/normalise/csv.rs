//! Header-CSV deliveries → Arrow batches of the canonical tables.
//!
//! A [`CsvPlan`] matches a header-CSV layout's mappings to the canonical
//! tables once; [`normalise_csv`] then reads a delivery row by row. One row
//! may fill several tables (persoon, verblijf, inschrijving, …). Rows of one
//! person need not be adjacent: a per-person table keeps one row per person
//! (persoon always), other tables drop rows identical to one already kept,
//! so that person columns repeated on every inschrijving row collapse.
//! Two rows of one person that disagree in a per-person table are a
//! `bevinding` naming both lines, or reject the delivery when the layout
//! says `person_rows = "reject"`.
//!
//! Unlike record files, a header CSV is read in one pass per file (quoted
//! values may hold line ends, so it cannot be cut at arbitrary lines); files
//! still parse in parallel with each other.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use super::builder::{ColumnBuilder, data_type};
use super::canonical::{BEVINDING, LEVERING, LEVERING_FROM_HEADER, RECORD_TABLES, bevinding_code};
use super::facts::{check_soort, split_afnemer};
use super::{Bevinding, DeliveryKey, DeliveryMeta, Facts, Normalised, TableData, bevinding_batch, bevinding_schema, levering_id_field};
use crate::error::{Error, Problem, Result};
use crate::layout::csv::FACTS;
use crate::layout::{CsvLayout, DateFormat, FactSource, PersonRows, Source, ValueKind, header_key, iso_date};
use crate::parse::{Cell, LineCounter, read_cell, shown};

/// Columns the rules cannot do without: a file must have them.
const INDISPENSABLE: &[(&str, &str)] = &[("persoon", "pgn"), ("persoon", "geboortedatum")];

#[derive(Debug, Clone)]
enum PlanSource {
    /// The row's person: the first person-key column with a value.
    PersonKey,
    Column(usize),
    Constant(Cell),
    Null,
}

#[derive(Debug, Clone)]
struct CsvTablePlan {
    name: &'static str,
    schema: SchemaRef,
    kinds: Vec<ValueKind>,
    /// Per column after `levering_id`.
    sources: Vec<PlanSource>,
    fed: bool,
    per_person: bool,
    person_bound: bool,
    /// Layout columns whose value makes a row of this table; empty: every row.
    triggers: Vec<usize>,
}

/// How one header-CSV layout fills the canonical tables.
#[derive(Debug, Clone)]
pub struct CsvPlan {
    tables: Vec<CsvTablePlan>,
    levering_schema: SchemaRef,
}

impl CsvPlan {
    pub fn new(layout: &CsvLayout) -> Result<CsvPlan> {
        let err = |m: String| Error::layout(format!("{} ({})", layout.name, layout.origin), m);
        for t in &layout.tables {
            if !RECORD_TABLES.iter().any(|c| c.name == t.table) {
                let names: Vec<_> = RECORD_TABLES.iter().map(|t| t.name).collect();
                return Err(err(format!("[tables.{}] is not one of {}", t.table, names.join(", "))));
            }
        }
        if !layout.tables.iter().any(|t| t.table == "persoon") {
            return Err(err("a delivery layout fills table persoon ([tables.persoon])".into()));
        }
        let person_columns: HashSet<usize> = layout
            .tables
            .iter()
            .filter(|t| t.table == "persoon")
            .flat_map(|t| t.sources.iter().filter_map(|(_, s)| if let Source::Column(i) = s { Some(*i) } else { None }))
            .chain(layout.person_key.iter().copied())
            .collect();
        let mut tables = Vec::new();
        for canon in RECORD_TABLES {
            let person_bound = canon.columns.first().is_some_and(|(c, _)| *c == "pgn");
            let Some(m) = layout.tables.iter().find(|t| t.table == canon.name) else {
                let fields: Vec<Field> = std::iter::once(levering_id_field())
                    .chain(canon.columns.iter().map(|(n, k)| Field::new(*n, data_type(*k), true)))
                    .collect();
                tables.push(CsvTablePlan {
                    name: canon.name,
                    schema: Arc::new(Schema::new(fields)),
                    kinds: Vec::new(),
                    sources: Vec::new(),
                    fed: false,
                    per_person: false,
                    person_bound,
                    triggers: Vec::new(),
                });
                continue;
            };
            let at = |msg: String| err(format!("[tables.{}]: {msg}", canon.name));
            for (col, _) in &m.sources {
                if !canon.columns.iter().any(|(c, _)| c == col) {
                    let names: Vec<_> = canon.columns.iter().map(|(c, _)| *c).collect();
                    return Err(at(format!(
                        "{col} is not a column of {} ({}); keep other columns with `extra`",
                        canon.name,
                        names.join(", ")
                    )));
                }
            }
            let mut fields = vec![levering_id_field()];
            let (mut kinds, mut sources, mut triggers, mut extra_triggers) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (col, kind) in canon.columns {
                let given = m.sources.iter().find(|(c, _)| c == col).map(|(_, s)| s);
                let source = match given {
                    None if *col == "pgn" && person_bound => PlanSource::PersonKey,
                    None => {
                        return Err(at(format!(
                            "column {col} is not given: map it to a column (`{col} = \"…\"`), give a constant (`{col} = {{ constant = \"…\" }}`) or list it under `absent`"
                        )));
                    }
                    Some(Source::Absent) if INDISPENSABLE.contains(&(canon.name, *col)) => {
                        return Err(at(format!("{col} cannot be absent: the figures cannot do without it")));
                    }
                    Some(Source::Absent) => PlanSource::Null,
                    Some(Source::Constant(text)) => {
                        PlanSource::Constant(constant(text, *kind).map_err(|m| at(format!("{col} = {{ constant = {text:?} }}: {m}")))?)
                    }
                    Some(Source::Column(i)) => {
                        let c = &layout.columns[*i];
                        if c.rule.kind != *kind {
                            return Err(at(format!("{col} holds {kind:?} values, but column {} is of type {:?}", c.name, c.rule.kind)));
                        }
                        if !person_columns.contains(i) || canon.name == "persoon" {
                            triggers.push(*i);
                        }
                        PlanSource::Column(*i)
                    }
                };
                fields.push(Field::new(*col, data_type(*kind), true));
                kinds.push(*kind);
                sources.push(source);
            }
            for &i in &m.extra {
                let c = &layout.columns[i];
                if canon.columns.iter().any(|(n, _)| *n == c.name) || c.name == "levering_id" {
                    return Err(at(format!("extra column {} has the name of a canonical column: give it another `name`", c.name)));
                }
                fields.push(Field::new(&c.name, data_type(c.rule.kind), true));
                kinds.push(c.rule.kind);
                sources.push(PlanSource::Column(i));
                extra_triggers.push(i);
            }
            // Extra columns ride along with a row the canonical columns make;
            // only a table of extras alone is made by them.
            if triggers.is_empty() {
                triggers = extra_triggers;
            }
            let per_person = match (canon.name, m.per_person) {
                ("persoon", Some(false)) => return Err(at("persoon holds one row per person: per_person cannot be false".into())),
                ("persoon", _) => true,
                (_, p) => p.unwrap_or(false),
            };
            if per_person && !person_bound {
                return Err(at("per_person needs a table of persons".into()));
            }
            tables.push(CsvTablePlan {
                name: canon.name,
                schema: Arc::new(Schema::new(fields)),
                kinds,
                sources,
                fed: true,
                per_person,
                person_bound,
                triggers: if canon.name == "persoon" { Vec::new() } else { triggers },
            });
        }
        Ok(CsvPlan { tables, levering_schema: super::levering_schema(&[]) })
    }
}

/// A constant of a mapping, read as its canonical column's type
/// (dates as `JJJJ-MM-DD`).
fn constant(text: &str, kind: ValueKind) -> std::result::Result<Cell, String> {
    let iso = DateFormat::parse_pattern("JJJJ-MM-DD").expect("valid");
    match kind {
        ValueKind::Text => Ok(Cell::Text(text.to_string())),
        ValueKind::Date => iso.parse_days(text).map(Cell::Date).ok_or_else(|| "write a date as JJJJ-MM-DD".into()),
        ValueKind::Integer => text.parse().map(Cell::Integer).map_err(|_| "not a whole number".into()),
        ValueKind::Flag => match text {
            "J" => Ok(Cell::Flag(true)),
            "N" => Ok(Cell::Flag(false)),
            _ => Err("a flag is J or N".into()),
        },
    }
}

/// Rows kept for one table.
struct TableRows {
    rows: Vec<Vec<Cell>>,
    lines: Vec<u64>,
    /// per-person tables: person → row index
    by_person: HashMap<String, usize>,
    /// other tables: the rows kept, by hash (a row is stored once, in `rows`)
    seen: HashMap<u64, Vec<usize>>,
}

/// The facts of a delivery found in its columns: the value and its first line.
type ColumnFacts = Vec<Option<(Cell, u64)>>;

/// Reads a whole header-CSV delivery. The first problem rejects it.
pub fn normalise_csv(
    layout: &CsvLayout,
    plan: &CsvPlan,
    text: &str,
    meta: &DeliveryMeta,
    given: &Facts,
) -> std::result::Result<Normalised, Problem> {
    let mut problems = Vec::new();
    let read = read_rows(layout, plan, text, meta, given, 1, &mut problems);
    match (read, problems.into_iter().next()) {
        (_, Some(p)) => Err(p),
        (Some(n), None) => Ok(n),
        (None, None) => Err(Problem::file("the file could not be read")),
    }
}

/// Reads a whole header-CSV delivery, collecting up to `limit` problems:
/// what `verzuim inspect` shows (counts per table, problems, bevindingen).
pub fn survey_csv(
    layout: &CsvLayout,
    plan: &CsvPlan,
    text: &str,
    file_name: &str,
    given: &Facts,
    limit: usize,
) -> (Vec<(String, u64)>, Vec<Problem>, u64) {
    let meta = DeliveryMeta { levering_id: String::new(), bestand: file_name.to_string(), sha256: String::new(), ingelezen_op: 0 };
    let mut problems = Vec::new();
    match read_rows(layout, plan, text, &meta, given, limit, &mut problems) {
        Some(n) => {
            let mut counts = vec![("rijen".to_string(), n.records), ("personen".to_string(), n.persons)];
            counts.extend(n.counts);
            (counts, problems, n.bevindingen)
        }
        None => (Vec::new(), problems, 0),
    }
}

fn read_rows(
    layout: &CsvLayout,
    plan: &CsvPlan,
    text: &str,
    meta: &DeliveryMeta,
    given: &Facts,
    limit: usize,
    problems: &mut Vec<Problem>,
) -> Option<Normalised> {
    let (separator, _) = layout.dialect.header(text);
    let mut reader = layout.dialect.reader(separator, text);
    let header: Vec<String> = match reader.records().next() {
        Some(Ok(h)) if h.iter().any(|x| !x.trim().is_empty()) => h.iter().map(|x| x.trim().to_string()).collect(),
        Some(Err(e)) => {
            problems.push(Problem::line(1, format!("the header line cannot be read as CSV: {e}")));
            return None;
        }
        _ => {
            problems.push(Problem::file("the file holds no header line: it is empty"));
            return None;
        }
    };
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    for (i, k) in keys.iter().enumerate() {
        if k.is_empty() {
            continue; // unnamed columns (a separator at the end of the line) are asked for by no layout
        }
        if let Some(j) = keys[..i].iter().position(|x| x == k) {
            problems.push(Problem::line(
                1,
                format!(
                    "column {:?} stands twice in the header (columns {} and {}): which one is meant cannot be told",
                    header[i],
                    j + 1,
                    i + 1
                ),
            ));
            return None;
        }
    }
    let mut positions = Vec::with_capacity(layout.columns.len());
    for c in &layout.columns {
        match keys.iter().position(|k| *k == c.key) {
            Some(p) => positions.push(Some(p)),
            None if c.optional => positions.push(None),
            None => {
                problems.push(Problem::line(
                    1,
                    format!(
                        "the header lacks column {:?} (layout column {}); it has {}. Rename it in the layout, or mark it `optional = true`",
                        c.header,
                        c.name,
                        header.join(", ")
                    ),
                ));
                return None;
            }
        }
    }
    let mut bevindingen = Vec::new();
    // unnamed columns (a separator ending every line) hold nothing to report
    let unread: Vec<&str> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !positions.contains(&Some(*i)) && !header_key(h).is_empty())
        .map(|(_, h)| h.as_str())
        .collect();
    if !unread.is_empty() {
        bevindingen.push(Bevinding {
            regel: 1,
            recordsoort: "header".into(),
            veld: None,
            code: bevinding_code::ONBEKENDE_KOLOM,
            melding: format!("column(s) {} are not in the layout; not read", unread.join(", ")),
        });
    }

    let fact_columns: Vec<Option<usize>> =
        layout.facts.sources.iter().map(|s| if let Some(FactSource::Column(i)) = s { Some(*i) } else { None }).collect();
    let mut column_facts: ColumnFacts = vec![None; FACTS.len()];
    let mut store: Vec<TableRows> = plan
        .tables
        .iter()
        .map(|_| TableRows { rows: Vec::new(), lines: Vec::new(), by_person: HashMap::new(), seen: HashMap::new() })
        .collect();
    let mut persons: HashSet<String> = HashSet::new();
    let mut rows_read = 0u64;
    let mut cells: Vec<Cell> = Vec::with_capacity(layout.columns.len());
    let person_header = &layout.columns[layout.person_key[0]].header;
    let mut lines = LineCounter::new(text);
    let hasher = std::hash::RandomState::new();
    // one record, reused: no allocation per row for the file's own text
    let mut rec = csv::StringRecord::new();

    'rows: loop {
        if problems.len() >= limit {
            break;
        }
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte() as usize));
                problems.push(Problem::line(line, format!("cannot be read as CSV: {}", csv_error_kind(&e))));
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| lines.line_at(p.byte() as usize));
        if rec.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            problems.push(Problem::line(line, format!("has {} values, but the header has {} columns", rec.len(), header.len())));
            continue;
        }
        rows_read += 1;
        cells.clear();
        for (c, pos) in layout.columns.iter().zip(&positions) {
            let raw = pos.and_then(|p| rec.get(p)).unwrap_or("");
            let mut unknown = None;
            match read_cell(&c.rule, raw, &layout.code_lists, &mut unknown) {
                Ok(cell) => cells.push(cell),
                Err(m) => {
                    problems.push(Problem::column(line, &c.header, m));
                    continue 'rows;
                }
            }
            if let Some(u) = unknown {
                bevindingen.push(Bevinding {
                    regel: line,
                    recordsoort: "rij".into(),
                    veld: Some(c.header.clone()),
                    code: bevinding_code::ONBEKENDE_CODE,
                    melding: format!("{} is not in code list {}; kept as written", shown(&u.value), u.list),
                });
            }
        }
        for (f, col) in fact_columns.iter().enumerate() {
            let Some(i) = *col else { continue };
            let cell = &cells[i];
            match &column_facts[f] {
                None if !cell.is_null() => column_facts[f] = Some((cell.clone(), line)),
                Some((first, first_line)) if !cell.is_null() && cell != first => {
                    problems.push(Problem::column(
                        line,
                        &layout.columns[i].header,
                        format!("holds another {} than line {first_line}: one delivery has one {}", FACTS[f], FACTS[f]),
                    ));
                    continue 'rows;
                }
                _ => {}
            }
        }
        let person = layout.person_key.iter().map(|&k| &cells[k]).find(|c| !c.is_null()).cloned().unwrap_or(Cell::Null);
        // key columns are text (the layout refuses any other type)
        let pgn = match &person {
            Cell::Text(p) => Some(p.clone()),
            _ => None,
        };
        let mut any = false;
        for (t, tp) in plan.tables.iter().enumerate() {
            if !tp.fed || (tp.person_bound && pgn.is_none()) {
                continue;
            }
            if !tp.triggers.is_empty() && tp.triggers.iter().all(|&i| cells[i].is_null()) {
                continue;
            }
            let row: Vec<Cell> = tp
                .sources
                .iter()
                .map(|s| match s {
                    PlanSource::PersonKey => person.clone(),
                    PlanSource::Column(i) => cells[*i].clone(),
                    PlanSource::Constant(c) => c.clone(),
                    PlanSource::Null => Cell::Null,
                })
                .collect();
            any = true;
            let kept = &mut store[t];
            if tp.per_person {
                let person = pgn.as_deref().expect("person-bound");
                match kept.by_person.get(person) {
                    None => {
                        kept.by_person.insert(person.to_string(), kept.rows.len());
                        kept.rows.push(row);
                        kept.lines.push(line);
                    }
                    Some(&k) if kept.rows[k] != row => {
                        let differs = kept.rows[k].iter().zip(&row).position(|(a, b)| a != b).unwrap_or(0);
                        let column = tp.schema.field(differs + 1).name().clone();
                        let first = kept.lines[k];
                        let message = format!(
                            "{} of this person differs from line {first} ({column} first): two rows of one person disagree",
                            tp.name
                        );
                        match layout.person_rows {
                            PersonRows::Reject => {
                                problems.push(Problem::column(line, &column, message));
                                continue 'rows;
                            }
                            PersonRows::Bevinding => bevindingen.push(Bevinding {
                                regel: line,
                                recordsoort: tp.name.to_string(),
                                veld: Some(column),
                                code: bevinding_code::PERSOONSRIJEN_VERSCHILLEN,
                                melding: format!("{message}; the row of line {first} is kept"),
                            }),
                        }
                    }
                    Some(_) => {}
                }
            } else {
                let hash = hasher.hash_one(&row);
                let ix = kept.seen.entry(hash).or_default();
                if !ix.iter().any(|&i| kept.rows[i] == row) {
                    ix.push(kept.rows.len());
                    kept.rows.push(row);
                    kept.lines.push(line);
                }
            }
        }
        match pgn {
            Some(p) => {
                persons.insert(p);
            }
            None if any => {}
            None => {
                problems.push(Problem::column(line, person_header, "is empty but required"));
            }
        }
    }
    if !problems.is_empty() && limit == 1 {
        return None;
    }
    let facts = match resolve_facts(layout, &meta.bestand, given, &column_facts) {
        Ok(f) => f,
        Err(p) => {
            problems.push(p);
            if limit == 1 || rows_read == 0 {
                return None;
            }
            ResolvedFacts::default()
        }
    };
    // A header line without rows: a week without changes is a P-levering
    // without persons, and refusing it would leave a hole in the weekly
    // sequence. A file cut off in transit is still refused when the cut
    // left the header line unfinished (docs/decisions.md).
    if rows_read == 0 && problems.is_empty() {
        let allowed = layout.facts.empty_deliveries.contains(&facts.soort);
        if !allowed {
            problems.push(Problem::file(format!(
                "the file holds a header line but no rows: a {}-levering is never empty (layout {} allows a header-only file for soort {} only: [delivery] empty_deliveries)",
                facts.soort,
                layout.name,
                layout.facts.empty_deliveries.join(", ")
            )));
            return None;
        }
        if !text.trim_end_matches([' ', '\t']).ends_with(['\n', '\r']) {
            problems.push(Problem::line(1, "the file ends inside its header line: cut off, not a delivery without persons"));
            return None;
        }
    }

    let mut tables = vec![TableData {
        name: LEVERING,
        schema: plan.levering_schema.clone(),
        batches: vec![levering_batch(plan, layout, meta, &facts, persons.len() as u64, rows_read)],
    }];
    let mut counts = Vec::new();
    for (tp, kept) in plan.tables.iter().zip(store) {
        let n = kept.rows.len();
        if tp.fed {
            counts.push((tp.name.to_string(), n as u64));
        }
        let batches = if n == 0 {
            Vec::new()
        } else {
            let mut builders: Vec<ColumnBuilder> = tp.kinds.iter().map(|k| ColumnBuilder::new(*k, n)).collect();
            for row in &kept.rows {
                for (b, c) in builders.iter_mut().zip(row) {
                    b.append(c.value());
                }
            }
            let mut cols: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(std::iter::repeat_n(&meta.levering_id, n)))];
            cols.extend(builders.iter_mut().map(ColumnBuilder::finish));
            vec![RecordBatch::try_new(tp.schema.clone(), cols).expect("columns follow the plan's schema")]
        };
        tables.push(TableData { name: tp.name, schema: tp.schema.clone(), batches });
    }
    let n_bevindingen = bevindingen.len() as u64;
    tables.push(TableData { name: BEVINDING, schema: bevinding_schema(), batches: vec![bevinding_batch(&meta.levering_id, &bevindingen)] });
    Some(Normalised {
        key: DeliveryKey { soort: facts.soort, afnemer: facts.afnemer, peildatum: facts.peildatum },
        persons: persons.len() as u64,
        records: rows_read,
        counts,
        bevindingen: n_bevindingen,
        tables,
    })
}

/// The csv crate's error without the byte offsets, which say nothing to a user.
fn csv_error_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        _ => e.to_string(),
    }
}

#[derive(Debug, Default)]
struct ResolvedFacts {
    soort: String,
    afnemer: String,
    peildatum: i32,
    aanmaakdatum: Option<i32>,
    volgnummer: Option<i32>,
}

/// Each fact from the first source that has it: the command line, a
/// column, the file name, a constant in the layout.
fn resolve_facts(layout: &CsvLayout, file_name: &str, given: &Facts, columns: &ColumnFacts) -> std::result::Result<ResolvedFacts, Problem> {
    let captures = layout.facts.file_name.as_ref().and_then(|re| re.captures(file_name));
    let from_name = |group: &str| captures.as_ref().and_then(|c| c.name(group)).map(|m| m.as_str().to_string());
    let name_date = &layout.facts.file_name_date;
    let iso = DateFormat::parse_pattern("JJJJ-MM-DD").expect("valid");
    let bad = |fact: &str, origin: &str, m: String| Problem::file(format!("the {fact} from {origin} is not usable: {m}"));

    // text facts: soort, afnemer
    let text_fact = |f: usize, cli: &Option<String>| -> Option<(String, String)> {
        if let Some(v) = cli {
            return Some((v.clone(), "the command line".into()));
        }
        if let Some((c, _)) = &columns[f] {
            return Some((cell_text(c), format!("column {}", column_of(layout, f))));
        }
        let named = match FACTS[f] {
            "afnemer" => from_name("afnemer").or_else(|| Some(format!("{}{}", from_name("soort_afnemer")?, from_name("afnemercode")?))),
            fact => from_name(fact),
        };
        if let Some(v) = named {
            return Some((v, "the file name".into()));
        }
        match &layout.facts.sources[f] {
            Some(FactSource::Constant(v)) => Some((v.clone(), "the layout".into())),
            _ => None,
        }
    };
    let missing = |fact: &str| {
        Problem::file(format!(
            "the delivery's {fact} is not known: give --{fact} (for an inbox of the nightly run: `{fact} = …` with its path), \
             or in layout {}: a column ([delivery] {fact} = {{ column = \"…\" }}), a file-name pattern ([delivery] file_name) \
             or a constant ([delivery] {fact} = \"…\")",
            layout.name
        ))
    };
    let (soort, origin) = text_fact(0, &given.soort).ok_or_else(|| missing("soort"))?;
    check_soort(&soort).map_err(|m| bad("soort", &origin, m))?;
    let (afnemer, origin) = text_fact(1, &given.afnemer).ok_or_else(|| missing("afnemer"))?;
    let afnemer = match split_afnemer(&afnemer) {
        Ok(_) => afnemer,
        // a regio written as its number (`28`) in a column: R + four digits
        Err(m) => match afnemer.parse::<u16>() {
            Ok(n) if origin.starts_with("column") && n < 10_000 => format!("R{n:04}"),
            _ => return Err(bad("afnemer", &origin, m)),
        },
    };

    // date facts: peildatum, aanmaakdatum
    let date_fact = |f: usize, cli: Option<i32>| -> std::result::Result<Option<i32>, Problem> {
        if cli.is_some() {
            return Ok(cli);
        }
        if let Some((c, _)) = &columns[f] {
            return match c {
                Cell::Date(d) => Ok(Some(*d)),
                _ => Err(bad(FACTS[f], &format!("column {}", column_of(layout, f)), "give the column type = \"date\"".into())),
            };
        }
        if let Some(v) = from_name(FACTS[f]) {
            return name_date
                .parse_days(&v)
                .map(Some)
                .ok_or_else(|| bad(FACTS[f], "the file name", format!("{} is not a date in format {}", shown(&v), name_date.pattern())));
        }
        match &layout.facts.sources[f] {
            Some(FactSource::Constant(v)) => {
                iso.parse_days(v).map(Some).ok_or_else(|| bad(FACTS[f], "the layout", "write a date as JJJJ-MM-DD".into()))
            }
            _ => Ok(None),
        }
    };
    let peildatum = date_fact(2, given.peildatum)?.ok_or_else(|| missing("peildatum"))?;
    let aanmaakdatum = date_fact(3, None)?;
    let volgnummer = match text_fact(4, &None) {
        None => None,
        Some((v, origin)) => {
            Some(v.parse::<i32>().map_err(|_| bad("volgnummer", &origin, format!("{} is not a whole number", shown(&v))))?)
        }
    };
    Ok(ResolvedFacts { soort, afnemer, peildatum, aanmaakdatum, volgnummer })
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Date(d) => iso_date(*d),
        Cell::Integer(i) => i.to_string(),
        Cell::Flag(b) => if *b { "J" } else { "N" }.to_string(),
    }
}

fn column_of(layout: &CsvLayout, fact: usize) -> String {
    match &layout.facts.sources[fact] {
        Some(FactSource::Column(i)) => layout.columns[*i].header.clone(),
        _ => String::new(),
    }
}

fn levering_batch(plan: &CsvPlan, layout: &CsvLayout, meta: &DeliveryMeta, f: &ResolvedFacts, persons: u64, records: u64) -> RecordBatch {
    let text = |v: &str| -> ArrayRef { Arc::new(StringArray::from(vec![v])) };
    let (soort_afnemer, afnemercode) = split_afnemer(&f.afnemer).unwrap_or_default();
    let values = [
        Cell::Text(f.soort.clone()),
        Cell::Text(soort_afnemer),
        Cell::Text(afnemercode),
        Cell::Date(f.peildatum),
        f.aanmaakdatum.map_or(Cell::Null, Cell::Date),
        f.volgnummer.map_or(Cell::Null, Cell::Integer),
    ];
    let mut cols: Vec<ArrayRef> = vec![text(&meta.levering_id), text(&meta.bestand), text(&meta.sha256)];
    for ((_, kind), v) in LEVERING_FROM_HEADER.iter().zip(&values) {
        let mut b = ColumnBuilder::new(*kind, 1);
        b.append(v.value());
        cols.push(b.finish());
    }
    cols.push(text(&layout.name));
    cols.push(Arc::new(Int64Array::from(vec![persons as i64])));
    cols.push(Arc::new(Int64Array::from(vec![records as i64])));
    cols.push(Arc::new(TimestampMicrosecondArray::from(vec![meta.ingelezen_op]).with_timezone("+00:00")));
    RecordBatch::try_new(plan.levering_schema.clone(), cols).expect("columns follow the levering schema")
}
