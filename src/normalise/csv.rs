//! Header-CSV deliveries into the canonical sink.
//!
//! A [`CsvPlan`] matches a header-CSV layout's mappings to the canonical
//! tables once and owns the layout; [`CsvPlan::normalise`] then reads a
//! delivery row by row ([`HeaderCsv`] finds them) and pushes each row into
//! every table it fills. One row may fill several tables (persoon,
//! verblijf, inschrijving, …). Rows of one person need not be adjacent: a
//! per-person table keeps one row per person (persoon always), other tables
//! drop rows identical to one already kept, so that person columns repeated
//! on every inschrijving row collapse ([`RowPolicy`]). Two rows of one
//! person that disagree in a per-person table are a `bevinding` naming both
//! lines, or reject the delivery when the layout says `person_rows = "reject"`.
//!
//! A large file is cut into pieces read in parallel, as record files are:
//! cut only after a line end outside quotes (a quoted value may hold line
//! ends: [`HeaderCsv::pieces`]), each piece into its own sink, then joined
//! so that the answer is the one-piece read's — a person's rows in two
//! pieces judged against the file's first row of them, identical rows in
//! two pieces kept once, the first problem the first in the file
//! ([`merge_chunks`]).

use std::collections::HashSet;

use arrow::datatypes::Field;

use super::builder::data_type;
use super::canonical::{CanonicalTable, RECORD_TABLES, bevinding_code, levering_schema, table_schema};
use super::facts::{check_soort, split_afnemer};
use super::sink::{Bevinding, Delivery, DeliveryMeta, Hashers, Kept, Normalised, RowPolicy, Sink, Sunk, TableShape, merge_chunks};
use super::{Facts, Survey};
use crate::error::{Error, Problem, Refusal, Result};
use crate::layout::{CsvLayout, DateFormat, Fact, FactSource, PersonRows, Source, TableMapping, ValueKind, iso_date};
use crate::parse::{HeaderCsv, OwnedValue, Value, shown};

/// Columns the rules cannot do without: a file must have them.
const INDISPENSABLE: &[(&str, &str)] = &[("persoon", "pgn"), ("persoon", "geboortedatum")];

/// Where a column of a canonical table gets its value in a row.
#[derive(Debug, Clone)]
enum PlanSource {
    /// The row's person: the first person-key column with a value.
    PersonKey,
    Column(usize),
    Constant(OwnedValue),
    Null,
}

/// How one canonical table is filled from a row.
#[derive(Debug, Clone)]
struct CsvTable {
    /// Per column after `levering_id`.
    sources: Vec<PlanSource>,
    fed: bool,
    person_bound: bool,
    /// Layout columns whose value makes a row of this table; empty: every row.
    triggers: Vec<usize>,
}

/// How one header-CSV layout fills the canonical tables.
#[derive(Debug, Clone)]
pub struct CsvPlan {
    layout: CsvLayout,
    shapes: Vec<TableShape>,
    tables: Vec<CsvTable>,
    /// Index of `persoon`: its persons are the delivery's.
    persoon: usize,
}

/// What a read is for: ingest stops at the first problem; a survey
/// (`verzuim inspect`) collects up to `limit` and still counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ingest,
    Survey { limit: usize },
}

impl Mode {
    fn enough(self, problems: &[Problem]) -> bool {
        match self {
            Mode::Ingest => !problems.is_empty(),
            Mode::Survey { limit } => problems.len() >= limit,
        }
    }
}

impl CsvPlan {
    /// Refused (each a case in this module's tests): a table that is not
    /// canonical, no persoon, a person key that is not text, a mapping to a
    /// column the table lacks, a canonical column not given, an
    /// indispensable one absent, a constant not of its column's type, a
    /// column of another type, an extra column with a canonical name,
    /// `per_person` where it cannot hold.
    pub fn new(layout: CsvLayout) -> Result<CsvPlan> {
        let err = |kind: Refusal, m: String| Error::refused(format!("{} ({})", layout.name, layout.origin), kind, m);
        for t in &layout.tables {
            if !RECORD_TABLES.iter().any(|c| c.name == t.table) {
                let names: Vec<_> = RECORD_TABLES.iter().map(|t| t.name).collect();
                return Err(err(Refusal::UnknownTable, format!("[tables.{}] is not one of {}", t.table, names.join(", "))));
            }
        }
        if !layout.tables.iter().any(|t| t.table == "persoon") {
            return Err(err(Refusal::PersonTable, "a delivery layout fills table persoon ([tables.persoon])".into()));
        }
        // The pgn is text (nine digits, leading zeros kept), as in the record
        // layouts: a key read as a number or a date would reach the lake as no pgn.
        for &k in &layout.person_key {
            let c = &layout.columns[k];
            if c.rule.kind != ValueKind::Text {
                return Err(err(
                    Refusal::PersonKeyType,
                    format!(
                        "the person key column {} is read as {:?}, but a pgn is text: give it type = \"text\" \
                         (with pad = 9 where a spreadsheet dropped its leading zeros)",
                        c.name, c.rule.kind
                    ),
                ));
            }
        }
        let person_columns: HashSet<usize> = layout
            .tables
            .iter()
            .filter(|t| t.table == "persoon")
            .flat_map(|t| t.sources.iter().filter_map(|(_, s)| if let Source::Column(i) = s { Some(*i) } else { None }))
            .chain(layout.person_key.iter().copied())
            .collect();
        let (mut shapes, mut tables) = (Vec::new(), Vec::new());
        for canon in RECORD_TABLES {
            let person_bound = canon.columns.first().is_some_and(|(c, _)| *c == "pgn");
            let (shape, table) = match layout.tables.iter().find(|t| t.table == canon.name) {
                Some(m) => compile_table(&layout, canon, m, person_bound, &person_columns, &err)?,
                None => (
                    TableShape { name: canon.name, schema: table_schema(canon, []), kinds: Vec::new(), policy: RowPolicy::Every },
                    CsvTable { sources: Vec::new(), fed: false, person_bound, triggers: Vec::new() },
                ),
            };
            shapes.push(shape);
            tables.push(table);
        }
        let persoon = RECORD_TABLES.iter().position(|t| t.name == "persoon").expect("persoon is canonical");
        Ok(CsvPlan { layout, shapes, tables, persoon })
    }

    pub fn layout(&self) -> &CsvLayout {
        &self.layout
    }

    /// Reads a whole header-CSV delivery; a file of at least twice
    /// `chunk_bytes` in pieces of about that size on every core, with the
    /// answer of a one-piece read. The first problem rejects it.
    pub fn normalise(
        &self,
        text: &str,
        meta: &DeliveryMeta,
        given: &Facts,
        chunk_bytes: usize,
    ) -> std::result::Result<Normalised, Problem> {
        let mut problems = Vec::new();
        let read = self.read(text, meta, given, Mode::Ingest, chunk_bytes, &mut problems);
        match (read, problems.into_iter().next()) {
            (_, Some(p)) => Err(p),
            (Some(n), None) => Ok(n),
            (None, None) => Err(Problem::file("the file could not be read")),
        }
    }

    /// Reads a whole header-CSV delivery, collecting up to `limit` problems:
    /// what `verzuim inspect` shows (rows, persons and rows kept per table).
    pub fn survey(&self, text: &str, file_name: &str, given: &Facts, limit: usize) -> Survey {
        let mut problems = Vec::new();
        match self.read(text, &DeliveryMeta::survey(file_name), given, Mode::Survey { limit }, usize::MAX, &mut problems) {
            Some(n) => {
                let mut counts = vec![("rijen".to_string(), n.records), ("personen".to_string(), n.persons)];
                counts.extend(n.counts);
                Survey { counts, problems, bevindingen: n.bevindingen }
            }
            None => Survey { counts: Vec::new(), problems, bevindingen: 0 },
        }
    }

    // Long: open, the rows (whole or in pieces: calls), the facts, the header-only case and the levering row, in order.
    fn read(
        &self,
        text: &str,
        meta: &DeliveryMeta,
        given: &Facts,
        mode: Mode,
        chunk_bytes: usize,
        problems: &mut Vec<Problem>,
    ) -> Option<Normalised> {
        let layout = &self.layout;
        let mut file = match HeaderCsv::open(&layout.dialect, &layout.columns, text) {
            Ok(f) => f,
            Err(p) => {
                problems.push(p);
                return None;
            }
        };
        let unread = file.unread();
        let unread = (!unread.is_empty()).then(|| Bevinding {
            regel: 1,
            recordsoort: "header".into(),
            veld: None,
            code: bevinding_code::ONBEKENDE_KOLOM,
            melding: format!("column(s) {} are not in the layout; not read", unread.join(", ")),
        });
        // a survey reads in one piece: it goes on past problems, in order
        let pieces = if mode == Mode::Ingest { file.pieces(text, chunk_bytes) } else { Vec::new() };
        let (sunk, persons, facts, rows_read) = if pieces.len() > 1 {
            self.read_pieces(&file, &pieces, meta, unread, problems)?
        } else {
            let mut sink = Sink::new(&self.shapes, &meta.levering_id, text.len() / 200);
            if let Some(b) = unread {
                sink.finding(b);
            }
            let mut facts = ColumnFacts::new(layout);
            let rows_read = self.read_rows(&mut file, &mut sink, &mut facts, mode, problems);
            let persons = sink.persons(self.persoon);
            (sink.finish(), persons, facts, rows_read)
        };
        if mode == Mode::Ingest && !problems.is_empty() {
            return None;
        }
        let resolved = match resolve_facts(layout, &meta.bestand, given, &facts) {
            Ok(f) => f,
            Err(p) => {
                problems.push(p);
                if mode == Mode::Ingest || rows_read == 0 {
                    return None;
                }
                ResolvedFacts::default()
            }
        };
        if rows_read == 0
            && problems.is_empty()
            && let Err(p) = self.header_only(text, &resolved.soort)
        {
            problems.push(p);
            return None;
        }
        let (soort_afnemer, afnemercode) = split_afnemer(&resolved.afnemer).unwrap_or_default();
        let delivery = Delivery {
            schema: levering_schema([]),
            meta,
            layout: &layout.name,
            facts: [
                Value::Text(&resolved.soort),
                Value::Text(&soort_afnemer),
                Value::Text(&afnemercode),
                Value::Date(resolved.peildatum),
                resolved.aanmaakdatum.map_or(Value::Null, Value::Date),
                resolved.volgnummer.map_or(Value::Null, Value::Integer),
            ],
            extras: Vec::new(),
            persons,
            records: rows_read,
        };
        let counts = self
            .shapes
            .iter()
            .zip(&self.tables)
            .enumerate()
            .filter(|(_, (_, t))| t.fed)
            .map(|(i, (s, _))| (s.name.to_string(), sunk.kept[i]))
            .collect();
        Some(delivery.into_normalised(&self.shapes, sunk, counts))
    }

    /// Reads the rows of `file` into `sink` until the end or, by `mode`,
    /// enough problems: how many rows were read.
    fn read_rows(
        &self,
        file: &mut HeaderCsv<'_>,
        sink: &mut Sink<'_>,
        facts: &mut ColumnFacts,
        mode: Mode,
        problems: &mut Vec<Problem>,
    ) -> u64 {
        let layout = &self.layout;
        let mut scratches = vec![String::new(); layout.columns.len()];
        let mut rows_read = 0u64;
        while !mode.enough(problems) {
            let line = match file.next_row() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            if let Err(p) = file.check_width() {
                problems.push(p);
                continue;
            }
            rows_read += 1;
            let mut unknown = Vec::new();
            let values = match file.values(&layout.columns, &mut scratches, &layout.code_lists, |c, u| unknown.push((c, u))) {
                Ok(v) => v,
                Err(c) => {
                    problems.push(Problem::column(line, &layout.columns[c.column].header, c.message));
                    continue;
                }
            };
            for (c, u) in unknown {
                sink.finding(Bevinding::unknown_code(line, "rij", &layout.columns[c].header, &u));
            }
            if let Err(p) = facts.observe(layout, &values, line) {
                problems.push(p);
                continue;
            }
            if let Err(p) = self.push_row(sink, &values, line) {
                problems.push(p);
            }
        }
        rows_read
    }

    /// Reads a large file's pieces in parallel, then joins them as a
    /// one-piece read would: the same rows, findings in line order, and the
    /// first problem in the file — a piece's own, a fact column that differs
    /// from an earlier piece's, or two rows of a person in two pieces.
    fn read_pieces(
        &self,
        file: &HeaderCsv<'_>,
        pieces: &[(&str, u64)],
        meta: &DeliveryMeta,
        unread: Option<Bevinding>,
        problems: &mut Vec<Problem>,
    ) -> Option<(Sunk, u64, ColumnFacts, u64)> {
        use rayon::prelude::*;
        let layout = &self.layout;
        let hashers = Hashers::new();
        let outs: Vec<_> = pieces
            .par_iter()
            .map(|(piece, line)| {
                let mut rows = file.piece(piece, *line);
                let mut sink = Sink::chunk(&self.shapes, &meta.levering_id, piece.len() / 200, &hashers);
                let mut facts = ColumnFacts::new(layout);
                let mut found = Vec::new();
                let read = self.read_rows(&mut rows, &mut sink, &mut facts, Mode::Ingest, &mut found);
                (sink.finish_chunk(), facts, read, found.into_iter().next())
            })
            .collect();
        let mut first: Option<Problem> = None;
        let mut consider = |p: Problem| {
            if first.as_ref().is_none_or(|f| p.line < f.line) {
                first = Some(p);
            }
        };
        let (mut facts, mut chunks, mut rows_read) = (ColumnFacts::new(layout), Vec::new(), 0);
        for (chunk, piece_facts, read, problem) in outs {
            let conflict = piece_facts.conflict;
            if let Err(p) = facts.join(layout, piece_facts) {
                consider(p);
            }
            // a conflict within the piece is with the file's first value, not the piece's
            match (problem, conflict) {
                (Some(p), Some((i, line))) if p.line == line => consider(facts.conflict_at(layout, i, line)),
                (Some(p), _) => consider(p),
                (None, _) => {}
            }
            chunks.push(chunk);
            rows_read += read;
        }
        let (mut sunk, persons, disagreements) = merge_chunks(&self.shapes, chunks);
        let mut found: Vec<Bevinding> = unread.into_iter().chain(std::mem::take(&mut sunk.bevindingen)).collect();
        for d in disagreements {
            match self.disagreement(d.table, d.first_line, &d.column, d.line) {
                Ok(b) => found.push(b),
                Err(p) => consider(p),
            }
        }
        if let Some(p) = first {
            problems.push(p);
            return None;
        }
        // the pieces' findings, then the joins': in line order as one piece gives them
        found.sort_by_key(|b| b.regel);
        sunk.bevindingen = found;
        Some((sunk, persons[self.persoon], facts, rows_read))
    }

    /// Pushes one row into every table it fills. `Err`: a row without a
    /// person, or two rows of one person that disagree under `person_rows = "reject"`.
    fn push_row(&self, sink: &mut Sink<'_>, values: &[Value<'_>], line: u64) -> std::result::Result<(), Problem> {
        let layout = &self.layout;
        let person = layout.person_key.iter().map(|&k| values[k]).find(|v| !v.is_null()).unwrap_or(Value::Null);
        // key columns are text (the plan refuses any other type)
        let pgn = if let Value::Text(p) = person { Some(p) } else { None };
        let mut any = false;
        for (t, table) in self.tables.iter().enumerate() {
            if !table.fed || (table.person_bound && pgn.is_none()) {
                continue;
            }
            if !table.triggers.is_empty() && table.triggers.iter().all(|&i| values[i].is_null()) {
                continue;
            }
            any = true;
            let row = table.sources.iter().map(|s| match s {
                PlanSource::PersonKey => person,
                PlanSource::Column(i) => values[*i],
                PlanSource::Constant(c) => c.value(),
                PlanSource::Null => Value::Null,
            });
            if let Kept::Disagrees { first_line, column } = sink.push(t, pgn, row, line) {
                sink.finding(self.disagreement(t, first_line, &column, line)?);
            }
        }
        if pgn.is_none() && !any {
            return Err(Problem::column(line, &layout.columns[layout.person_key[0]].header, "is empty but required"));
        }
        Ok(())
    }

    /// Two rows of one person that disagree in table `t`: a finding, or the
    /// problem that rejects the delivery under `person_rows = "reject"`.
    fn disagreement(&self, t: usize, first_line: u64, column: &str, line: u64) -> std::result::Result<Bevinding, Problem> {
        let name = self.shapes[t].name;
        let message = format!("{name} of this person differs from line {first_line} ({column} first): two rows of one person disagree");
        match self.layout.person_rows {
            PersonRows::Reject => Err(Problem::column(line, column, message)),
            PersonRows::Bevinding => Ok(Bevinding {
                regel: line,
                recordsoort: name.to_string(),
                veld: Some(column.to_string()),
                code: bevinding_code::PERSOONSRIJEN_VERSCHILLEN,
                melding: format!("{message}; the row of line {first_line} is kept"),
            }),
        }
    }

    /// A header line without rows: a week without changes is a P-levering
    /// without persons, and refusing it would leave a hole in the weekly
    /// sequence. A file cut off in transit is still refused when the cut
    /// left the header line unfinished (docs/decisions.md).
    fn header_only(&self, text: &str, soort: &str) -> std::result::Result<(), Problem> {
        let layout = &self.layout;
        if !layout.facts.empty_deliveries.iter().any(|s| s == soort) {
            return Err(Problem::file(format!(
                "the file holds a header line but no rows: a {soort}-levering is never empty (layout {} allows a header-only file for soort {} only: [delivery] empty_deliveries)",
                layout.name,
                layout.facts.empty_deliveries.join(", ")
            )));
        }
        if !text.trim_end_matches([' ', '\t']).ends_with(['\n', '\r']) {
            return Err(Problem::line(1, "the file ends inside its header line: cut off, not a delivery without persons"));
        }
        Ok(())
    }
}

/// How one `[tables.X]` mapping fills canonical table `canon`: each
/// column's source, the extra columns, the row policy, the columns whose
/// value makes a row.
// Long: one refusal per mapping rule, in the order a user meets them.
fn compile_table(
    layout: &CsvLayout,
    canon: &CanonicalTable,
    m: &TableMapping,
    person_bound: bool,
    person_columns: &HashSet<usize>,
    err: &dyn Fn(Refusal, String) -> Error,
) -> Result<(TableShape, CsvTable)> {
    let at = |kind: Refusal, msg: String| err(kind, format!("[tables.{}]: {msg}", canon.name));
    for (col, _) in &m.sources {
        if !canon.columns.iter().any(|(c, _)| c == col) {
            let names: Vec<_> = canon.columns.iter().map(|(c, _)| *c).collect();
            return Err(at(
                Refusal::UnknownColumn,
                format!("{col} is not a column of {} ({}); keep other columns with `extra`", canon.name, names.join(", ")),
            ));
        }
    }
    let (mut kinds, mut sources, mut triggers, mut extra_triggers) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (col, kind) in canon.columns {
        let given = m.sources.iter().find(|(c, _)| c == col).map(|(_, s)| s);
        let source = match given {
            None if *col == "pgn" && person_bound => PlanSource::PersonKey,
            None => {
                return Err(at(
                    Refusal::ColumnNotGiven,
                    format!(
                        "column {col} is not given: map it to a column (`{col} = \"…\"`), give a constant (`{col} = {{ constant = \"…\" }}`) or list it under `absent`"
                    ),
                ));
            }
            Some(Source::Absent) if INDISPENSABLE.contains(&(canon.name, *col)) => {
                return Err(at(Refusal::IndispensableAbsent, format!("{col} cannot be absent: the figures cannot do without it")));
            }
            Some(Source::Absent) => PlanSource::Null,
            Some(Source::Constant(text)) => PlanSource::Constant(
                constant(text, *kind).map_err(|m| at(Refusal::BadConstant, format!("{col} = {{ constant = {text:?} }}: {m}")))?,
            ),
            Some(Source::Column(i)) => {
                let c = &layout.columns[*i];
                if c.rule.kind != *kind {
                    return Err(at(
                        Refusal::WrongType,
                        format!("{col} holds {kind:?} values, but column {} is of type {:?}", c.name, c.rule.kind),
                    ));
                }
                if !person_columns.contains(i) || canon.name == "persoon" {
                    triggers.push(*i);
                }
                PlanSource::Column(*i)
            }
        };
        kinds.push(*kind);
        sources.push(source);
    }
    let mut extras = Vec::new();
    for &i in &m.extra {
        let c = &layout.columns[i];
        if canon.columns.iter().any(|(n, _)| *n == c.name) || c.name == "levering_id" {
            return Err(at(
                Refusal::ReservedName,
                format!("extra column {} has the name of a canonical column: give it another `name`", c.name),
            ));
        }
        extras.push(Field::new(&c.name, data_type(c.rule.kind), true));
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
        ("persoon", Some(false)) => {
            return Err(at(Refusal::PersonTable, "persoon holds one row per person: per_person cannot be false".into()));
        }
        ("persoon", _) => true,
        (_, p) => p.unwrap_or(false),
    };
    if per_person && !person_bound {
        return Err(at(Refusal::PersonTable, "per_person needs a table of persons".into()));
    }
    let policy = if per_person { RowPolicy::OnePerPerson } else { RowPolicy::Distinct };
    let shape = TableShape { name: canon.name, schema: table_schema(canon, extras), kinds, policy };
    let triggers = if canon.name == "persoon" { Vec::new() } else { triggers };
    Ok((shape, CsvTable { sources, fed: true, person_bound, triggers }))
}

/// A constant of a mapping, read as its canonical column's type
/// (dates as `JJJJ-MM-DD`).
fn constant(text: &str, kind: ValueKind) -> std::result::Result<OwnedValue, String> {
    let iso = DateFormat::parse_pattern("JJJJ-MM-DD").expect("valid");
    match kind {
        ValueKind::Text => Ok(OwnedValue::Text(text.to_string())),
        ValueKind::Date => iso.parse_days(text).map(OwnedValue::Date).ok_or_else(|| "write a date as JJJJ-MM-DD".into()),
        ValueKind::Integer => text.parse().map(OwnedValue::Integer).map_err(|_| "not a whole number".into()),
        ValueKind::Flag => match text {
            "J" => Ok(OwnedValue::Flag(true)),
            "N" => Ok(OwnedValue::Flag(false)),
            _ => Err("a flag is J or N".into()),
        },
    }
}

/// The delivery facts found in its columns: each fact's first value and its
/// line; a later row with another value is a conflict.
struct ColumnFacts {
    seen: Vec<ColumnFact>,
    /// The conflict met (the fact's index, the line): a piece's problem
    /// that the join re-words against the file's first value.
    conflict: Option<(usize, u64)>,
}

struct ColumnFact {
    fact: Fact,
    column: usize,
    /// The first value and its line.
    first: Option<(OwnedValue, u64)>,
}

impl ColumnFacts {
    fn new(layout: &CsvLayout) -> ColumnFacts {
        let seen = Fact::ALL.iter().filter_map(|&fact| layout.facts.column(fact).map(|column| ColumnFact { fact, column, first: None }));
        ColumnFacts { seen: seen.collect(), conflict: None }
    }

    fn observe(&mut self, layout: &CsvLayout, values: &[Value<'_>], line: u64) -> std::result::Result<(), Problem> {
        for (i, ColumnFact { column, first, .. }) in self.seen.iter_mut().enumerate() {
            let v = values[*column];
            match first {
                _ if v.is_null() => {}
                None => *first = Some((v.into(), line)),
                Some((value, _)) if value.value() != v => {
                    self.conflict = Some((i, line));
                    return Err(self.conflict_at(layout, i, line));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The problem of fact `i` holding another value on `line` than its first.
    fn conflict_at(&self, layout: &CsvLayout, i: usize, line: u64) -> Problem {
        let ColumnFact { fact, column, first } = &self.seen[i];
        let name = fact.name();
        let first_line = first.as_ref().map_or(0, |(_, l)| *l);
        Problem::column(
            line,
            &layout.columns[*column].header,
            format!("holds another {name} than line {first_line}: one delivery has one {name}"),
        )
    }

    /// Takes in a later piece's facts: a value that differs from the first
    /// is the problem a one-piece read meets at the piece's first value.
    fn join(&mut self, layout: &CsvLayout, later: ColumnFacts) -> std::result::Result<(), Problem> {
        for (i, theirs) in later.seen.into_iter().enumerate() {
            match (&self.seen[i].first, theirs.first) {
                (_, None) => {}
                (None, Some(f)) => self.seen[i].first = Some(f),
                (Some((value, _)), Some((v, line))) if *value != v => return Err(self.conflict_at(layout, i, line)),
                _ => {}
            }
        }
        Ok(())
    }

    fn get(&self, fact: Fact) -> Option<&OwnedValue> {
        self.seen.iter().find(|c| c.fact == fact).and_then(|c| c.first.as_ref().map(|(v, _)| v))
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
// Long: each fact from its sources in order (command line, column, file name, layout).
fn resolve_facts(layout: &CsvLayout, file_name: &str, given: &Facts, columns: &ColumnFacts) -> std::result::Result<ResolvedFacts, Problem> {
    let captures = layout.facts.file_name.as_ref().and_then(|re| re.captures(file_name));
    let from_name = |group: &str| captures.as_ref().and_then(|c| c.name(group)).map(|m| m.as_str().to_string());
    let name_date = &layout.facts.file_name_date;
    let iso = DateFormat::parse_pattern("JJJJ-MM-DD").expect("valid");
    let bad = |fact: &str, origin: &str, m: String| Problem::file(format!("the {fact} from {origin} is not usable: {m}"));

    // text facts: soort, afnemer
    let text_fact = |f: Fact, cli: &Option<String>| -> Option<(String, String)> {
        if let Some(v) = cli {
            return Some((v.clone(), "the command line".into()));
        }
        if let Some(c) = columns.get(f) {
            return Some((text_of(c), format!("column {}", column_of(layout, f))));
        }
        let named = match f {
            Fact::Afnemer => from_name("afnemer").or_else(|| Some(format!("{}{}", from_name("soort_afnemer")?, from_name("afnemercode")?))),
            fact => from_name(fact.name()),
        };
        if let Some(v) = named {
            return Some((v, "the file name".into()));
        }
        match layout.facts.source(f) {
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
    let (soort, origin) = text_fact(Fact::Soort, &given.soort).ok_or_else(|| missing("soort"))?;
    check_soort(&soort).map_err(|m| bad("soort", &origin, m))?;
    let (afnemer, origin) = text_fact(Fact::Afnemer, &given.afnemer).ok_or_else(|| missing("afnemer"))?;
    let afnemer = match split_afnemer(&afnemer) {
        Ok(_) => afnemer,
        // a regio written as its number (`28`) in a column: R + four digits
        Err(m) => match afnemer.parse::<u16>() {
            Ok(n) if origin.starts_with("column") && n < 10_000 => format!("R{n:04}"),
            _ => return Err(bad("afnemer", &origin, m)),
        },
    };

    // date facts: peildatum, aanmaakdatum
    let date_fact = |f: Fact, cli: Option<i32>| -> std::result::Result<Option<i32>, Problem> {
        if cli.is_some() {
            return Ok(cli);
        }
        if let Some(c) = columns.get(f) {
            return match c {
                OwnedValue::Date(d) => Ok(Some(*d)),
                _ => Err(bad(f.name(), &format!("column {}", column_of(layout, f)), "give the column type = \"date\"".into())),
            };
        }
        if let Some(v) = from_name(f.name()) {
            return name_date
                .parse_days(&v)
                .map(Some)
                .ok_or_else(|| bad(f.name(), "the file name", format!("{} is not a date in format {}", shown(&v), name_date.pattern())));
        }
        match layout.facts.source(f) {
            Some(FactSource::Constant(v)) => {
                iso.parse_days(v).map(Some).ok_or_else(|| bad(f.name(), "the layout", "write a date as JJJJ-MM-DD".into()))
            }
            _ => Ok(None),
        }
    };
    let peildatum = date_fact(Fact::Peildatum, given.peildatum)?.ok_or_else(|| missing("peildatum"))?;
    let aanmaakdatum = date_fact(Fact::Aanmaakdatum, None)?;
    let volgnummer = match text_fact(Fact::Volgnummer, &None) {
        None => None,
        Some((v, origin)) => {
            Some(v.parse::<i32>().map_err(|_| bad("volgnummer", &origin, format!("{} is not a whole number", shown(&v))))?)
        }
    };
    Ok(ResolvedFacts { soort, afnemer, peildatum, aanmaakdatum, volgnummer })
}

fn text_of(v: &OwnedValue) -> String {
    match v {
        OwnedValue::Null => String::new(),
        OwnedValue::Text(t) => t.clone(),
        OwnedValue::Date(d) => iso_date(*d),
        OwnedValue::Integer(i) => i.to_string(),
        OwnedValue::Flag(b) => if *b { "J" } else { "N" }.to_string(),
    }
}

fn column_of(layout: &CsvLayout, fact: Fact) -> String {
    layout.facts.column(fact).map(|i| layout.columns[i].header.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small layout: the columns by name, dates D-M-JJJJ, disagreeing
    /// rows refused, the peildatum from an optional column (also the
    /// integration tests' layout).
    const KLEIN: &str = include_str!("../../tests/fixtures/layouts/klein.toml");

    fn plan(text: &str) -> Result<CsvPlan> {
        CsvPlan::new(CsvLayout::from_toml(text, "test")?)
    }

    /// Every refusal of a header-CSV plan: (the edit to KLEIN, the kind refused).
    #[test]
    fn refusals() {
        let persoon = "[tables.persoon]\nbsn = \"bsn\"\n";
        let cases: &[(&[(&str, &str)], Refusal)] = &[
            (&[("[tables.inschrijving]", "[tables.inschrijvingen]")], Refusal::UnknownTable),
            (&[("[tables.persoon]", "[tables.vrijstelling]")], Refusal::PersonTable),
            (&[("name = \"bsn\"\ncheck = \"bsn\"", "name = \"bsn\"\ntype = \"integer\"")], Refusal::PersonKeyType),
            (&[("name = \"bsn\"\ncheck = \"bsn\"", "name = \"bsn\"\ntype = \"date\"")], Refusal::PersonKeyType),
            (&[("instellingscode = \"brin\"", "instellingscode = \"brin\"\nschool = \"brin\"")], Refusal::UnknownColumn),
            (&[("instellingscode = \"brin\"", "extra = [\"brin\"]")], Refusal::ColumnNotGiven),
            (&[("\"leerjaar\",", "")], Refusal::ColumnNotGiven),
            (
                &[
                    ("geboortedatum = \"geboortedatum\"\nabsent = [", "absent = [\"geboortedatum\", "),
                    ("instellingscode = \"brin\"", "instellingscode = \"brin\"\nextra = [\"geboortedatum\"]"),
                ],
                Refusal::IndispensableAbsent,
            ),
            (
                &[("\"niveau\", ", ""), ("instellingscode = \"brin\"", "instellingscode = \"brin\"\nniveau = { constant = \"vier\" }")],
                Refusal::BadConstant,
            ),
            (&[("instellingscode = \"brin\"", "instellingscode = \"geboortedatum\"\nextra = [\"brin\"]")], Refusal::WrongType),
            (
                &[
                    ("name = \"brin\"", "name = \"vestigingscode\""),
                    ("instellingscode = \"brin\"", "instellingscode = \"vestigingscode\"\nextra = [\"vestigingscode\"]"),
                ],
                Refusal::ReservedName,
            ),
            (&[(persoon, "[tables.persoon]\nper_person = false\nbsn = \"bsn\"\n")], Refusal::PersonTable),
            (
                &[(
                    "[tables.inschrijving]",
                    "[tables.niet_gevonden]\nper_person = true\nabsent = [\"gevraagd_nummer\", \"reden\"]\n[tables.inschrijving]",
                )],
                Refusal::PersonTable,
            ),
        ];
        for (edits, kind) in cases {
            let mut text = KLEIN.to_string();
            for (from, to) in *edits {
                assert!(text.contains(from), "{from}");
                text = text.replacen(from, to, 1);
            }
            let e = plan(&text).unwrap_err();
            assert_eq!(e.refusal(), Some(*kind), "{edits:?}: {e}");
        }
        assert!(plan(KLEIN).is_ok());
    }

    /// The facts a nightly inbox gives, the peildatum left to the file's PEIL column or not.
    fn given(peildatum: bool) -> Facts {
        Facts { soort: Some("C".into()), afnemer: Some("G0363".into()), peildatum: peildatum.then_some(20_727) }
    }

    /// Bad input, case by case: (file, the problem's line and column, a phrase of it).
    /// The first problem rejects the delivery; its place is what a user looks up.
    #[test]
    fn bad_rows_are_located() {
        let cases: &[(&str, u64, Option<&str>, &str)] = &[
            ("BSN;GEBOORTEDATUM;BRIN\r\n123456782;5-3-2010\r\n", 2, None, "has 2 values, but the header has 3 columns"),
            ("BSN;GEBOORTEDATUM\r\n123456782;5-3-2010\r\n", 1, None, "lacks column \"BRIN\""),
            ("BSN;GEBOORTEDATUM;BRIN;brin\r\n123456782;5-3-2010;20AB\r\n", 1, None, "columns 3 and 4"),
            ("BSN;GEBOORTEDATUM;BRIN\r\n123456782;31-2-2010;20AB\r\n", 2, Some("GEBOORTEDATUM"), "not a date in format D-M-JJJJ"),
            ("BSN;GEBOORTEDATUM;BRIN\r\n123456781;5-3-2010;20AB\r\n", 2, Some("BSN"), "*****6781 fails the 11-proef"),
            ("BSN;GEBOORTEDATUM;BRIN\r\n;5-3-2010;20AB\r\n", 2, Some("BSN"), "is empty but required"),
            (
                "BSN;GEBOORTEDATUM;BRIN\r\n123456782;5-3-2010;20AB\r\n123456782;6-3-2010;21AB\r\n",
                3,
                Some("geboortedatum"),
                "differs from line 2",
            ),
            ("BSN;GEBOORTEDATUM;BRIN\r\n", 0, None, "a header line but no rows"),
            ("", 0, None, "empty"),
            // the fact conflict: one delivery has one peildatum
            (
                "BSN;GEBOORTEDATUM;BRIN;PEIL\r\n123456782;5-3-2010;20AB;1-10-2026\r\n100000009;5-3-2011;20AB;8-10-2026\r\n",
                3,
                Some("PEIL"),
                "holds another peildatum than line 2",
            ),
            ("BSN;GEBOORTEDATUM;BRIN\r\n123456782;5-3-2010;20AB\r\n", 0, None, "peildatum is not known"),
        ];
        let plan = plan(KLEIN).unwrap();
        for (file, line, column, phrase) in cases {
            let given = &given(!phrase.contains("not known"));
            let p = plan.normalise(file, &DeliveryMeta::survey("x.csv"), given, usize::MAX).unwrap_err();
            assert_eq!((p.line, p.field.as_deref()), (*line, *column), "{file:?}: {p}");
            // read in pieces of every small size (a line each, at 1 byte), the same problem comes first
            for chunk in [1, 8, 20] {
                assert_eq!(
                    plan.normalise(file, &DeliveryMeta::survey("x.csv"), given, chunk).as_ref().err(),
                    Some(&p),
                    "{file:?} in pieces of {chunk}"
                );
            }
            assert!(p.message.contains(phrase), "{file:?}: {p}");
            assert!(!p.to_string().contains("12345678"), "a person number in {p}");
            // inspect finds the same problem first
            assert_eq!(plan.survey(file, "x.csv", given, 5).problems.first(), Some(&p), "{file:?}");
        }
        let good = "BSN;GEBOORTEDATUM;BRIN;PEIL\r\n123456782;5-3-2010;20AB;1-10-2026\r\n123456782;5-3-2010;21AB;\r\n";
        for chunk in [usize::MAX, 1] {
            let n = plan.normalise(good, &DeliveryMeta::survey("x.csv"), &given(false), chunk).unwrap();
            assert_eq!((n.persons, n.records, n.key.peildatum_iso().as_str()), (1, 2, "2026-10-01"));
            assert_eq!(n.counts, vec![("persoon".to_string(), 1), ("inschrijving".to_string(), 2)]);
        }
    }
}
