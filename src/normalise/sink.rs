//! The canonical sink: where every reader's rows go.
//!
//! A reader (record file, header CSV) knows how to find rows and fields; the
//! sink knows what becomes of them. It holds the Arrow builders of every
//! canonical table, applies a table's row policy (every row; one row per
//! person; identical rows once), gathers the findings, and turns out bounded
//! batches. [`Delivery`] then adds the `levering` row and the `bevinding`
//! table: the one place a delivery's tables are assembled.
//!
//! What bounds memory: a table's builders hold at most [`BATCH_ROWS`] rows
//! before they become a batch. Deduplication keeps no rows, only hashes:
//! per person of a one-row-per-person table one 64-bit hash per column
//! (to name the first column two rows disagree in), per other kept row one
//! 128-bit hash. The hashes are ahash's, keyed per process: a row of a
//! header CSV is hashed several times, and std's SipHash was a fifth of
//! reading one. Batches stay in memory until the lake writes the delivery
//! whole (a delivery is committed at once), as does the decoded text.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};

use ahash::RandomState;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::builder::ColumnBuilder;
use super::canonical::{BEVINDING, LEVERING, LEVERING_FROM_HEADER, bevinding_code, bevinding_schema};
use crate::layout::{ValueKind, iso_date};
use crate::parse::{UnknownCode, Value, shown};

/// Rows a table's builders take before they become a batch.
pub const BATCH_ROWS: usize = 64 * 1024;

/// Which rows of a table are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPolicy {
    /// Every row: a record file has one record per fact.
    Every,
    /// The first row of each person; a later one that differs is reported.
    OnePerPerson,
    /// A row identical to one kept before is dropped: a header CSV repeats
    /// a person's columns on every row of the person.
    Distinct,
}

/// One canonical table as a reader's plan fills it.
#[derive(Debug, Clone)]
pub struct TableShape {
    pub name: &'static str,
    /// `levering_id`, then the columns the rows hold.
    pub schema: SchemaRef,
    /// Per column after `levering_id`.
    pub kinds: Vec<ValueKind>,
    pub policy: RowPolicy,
}

/// What became of a row pushed into the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    Added,
    /// Identical to a row kept before.
    Repeated,
    /// A second row of a person that differs from the first (kept): the
    /// first's line and the first column they differ in.
    Disagrees {
        first_line: u64,
        column: String,
    },
}

/// A data-quality finding that does not reject the delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bevinding {
    pub regel: u64,
    pub recordsoort: String,
    pub veld: Option<String>,
    pub code: &'static str,
    pub melding: String,
}

impl Bevinding {
    /// A value outside its code list, kept as written.
    pub fn unknown_code(regel: u64, recordsoort: &str, veld: &str, u: &UnknownCode) -> Bevinding {
        Bevinding {
            regel,
            recordsoort: recordsoort.to_string(),
            veld: Some(veld.to_string()),
            code: bevinding_code::ONBEKENDE_CODE,
            melding: format!("{} is not in code list {}; kept as written", shown(&u.value), u.list),
        }
    }
}

struct FirstRow {
    line: u64,
    columns: Box<[u64]>,
    /// Its index among the table's kept rows (a chunk's, for the merge).
    index: u64,
    /// A chunk's later rows of the person: line, and their column hashes
    /// where they differ from this row (None: identical). Only a chunk
    /// keeps them: whether they disagree is decided against the file's
    /// first row of the person, which may lie in an earlier chunk.
    later: Vec<(u64, Option<Box<[u64]>>)>,
}

/// Per person (pgn), a value; keyed like the row hashes.
type PerPerson<V> = HashMap<Box<str>, V, RandomState>;

struct TableState {
    builders: Vec<ColumnBuilder>,
    pending: usize,
    kept: u64,
    batches: Vec<RecordBatch>,
    first_rows: PerPerson<FirstRow>,
    seen: HashSet<u128, RandomState>,
    /// A chunk's kept rows' hashes, in order ([`RowPolicy::Distinct`]).
    kept_hashes: Vec<u128>,
}

/// Rows of one delivery (or one chunk of it) on their way to batches.
pub struct Sink<'s> {
    shapes: &'s [TableShape],
    levering_id: &'s str,
    tables: Vec<TableState>,
    bevindingen: Vec<Bevinding>,
    /// Two independent keys: a 128-bit row hash makes a false "identical" a
    /// non-event, since the rows themselves are not kept to compare.
    hashers: [RandomState; 2],
    /// One chunk of a file ([`Sink::chunk`]): the row policies' verdicts
    /// across rows of one person wait for [`merge_chunks`].
    chunk: bool,
}

/// Hash keys shared by the chunks of one file, so that their rows compare.
#[derive(Clone)]
pub struct Hashers([RandomState; 2]);

impl Hashers {
    pub fn new() -> Hashers {
        Hashers([RandomState::new(), RandomState::new()])
    }
}

impl Default for Hashers {
    fn default() -> Self {
        Hashers::new()
    }
}

impl<'s> Sink<'s> {
    /// `rows_hint`: the rows expected per table, to size the builders.
    pub fn new(shapes: &'s [TableShape], levering_id: &'s str, rows_hint: usize) -> Sink<'s> {
        let capacity = rows_hint.min(BATCH_ROWS);
        let tables = shapes
            .iter()
            .map(|s| TableState {
                builders: s.kinds.iter().map(|k| ColumnBuilder::new(*k, capacity)).collect(),
                pending: 0,
                kept: 0,
                batches: Vec::new(),
                first_rows: HashMap::default(),
                seen: HashSet::default(),
                kept_hashes: Vec::new(),
            })
            .collect();
        Sink { shapes, levering_id, tables, bevindingen: Vec::new(), hashers: Hashers::new().0, chunk: false }
    }

    /// The sink of one chunk of a file read in parallel: rows of a person
    /// after the chunk's first, and rows identical to one kept, are noted
    /// rather than judged; [`merge_chunks`] judges them against the whole
    /// file, so the result is the one-piece read's.
    pub fn chunk(shapes: &'s [TableShape], levering_id: &'s str, rows_hint: usize, hashers: &Hashers) -> Sink<'s> {
        Sink { hashers: hashers.0.clone(), chunk: true, ..Sink::new(shapes, levering_id, rows_hint) }
    }

    /// Offers a row to `table` (index into the shapes). `person`: the row's
    /// person, needed by [`RowPolicy::OnePerPerson`]. `row` is walked twice
    /// when the policy compares rows (hence `Clone`): no row is copied.
    pub fn push<'v>(&mut self, table: usize, person: Option<&str>, row: impl Iterator<Item = Value<'v>> + Clone, line: u64) -> Kept {
        let shape = &self.shapes[table];
        let state = &mut self.tables[table];
        match shape.policy {
            RowPolicy::Every => {}
            RowPolicy::OnePerPerson => {
                let person = person.unwrap_or_default();
                let columns: Box<[u64]> = row.clone().map(|v| self.hashers[0].hash_one(v)).collect();
                match state.first_rows.get_mut(person) {
                    None => {
                        state.first_rows.insert(person.into(), FirstRow { line, columns, index: state.kept, later: Vec::new() });
                    }
                    Some(first) if self.chunk => {
                        let differs = (first.columns != columns).then_some(columns);
                        first.later.push((line, differs));
                        return Kept::Repeated;
                    }
                    Some(first) if first.columns != columns => {
                        let differs = first.columns.iter().zip(&columns).position(|(a, b)| a != b).unwrap_or(0);
                        return Kept::Disagrees { first_line: first.line, column: shape.schema.field(differs + 1).name().clone() };
                    }
                    Some(_) => return Kept::Repeated,
                }
            }
            RowPolicy::Distinct => {
                let [a, b] = &self.hashers;
                let hash = (u128::from(hash_row(a, row.clone())) << 64) | u128::from(hash_row(b, row.clone()));
                if !state.seen.insert(hash) {
                    return Kept::Repeated;
                }
                if self.chunk {
                    state.kept_hashes.push(hash);
                }
            }
        }
        for (b, v) in state.builders.iter_mut().zip(row) {
            b.append(v);
        }
        state.pending += 1;
        state.kept += 1;
        if state.pending >= BATCH_ROWS {
            flush(shape, state, self.levering_id);
        }
        Kept::Added
    }

    pub fn finding(&mut self, b: Bevinding) {
        self.bevindingen.push(b);
    }

    /// Rows kept in `table` so far.
    pub fn kept(&self, table: usize) -> u64 {
        self.tables[table].kept
    }

    /// Persons seen by `table`, a one-row-per-person table.
    pub fn persons(&self, table: usize) -> u64 {
        self.tables[table].first_rows.len() as u64
    }

    pub fn finish(mut self) -> Sunk {
        for (shape, state) in self.shapes.iter().zip(self.tables.iter_mut()) {
            flush(shape, state, self.levering_id);
        }
        Sunk {
            batches: self.tables.iter_mut().map(|t| std::mem::take(&mut t.batches)).collect(),
            kept: self.tables.iter().map(|t| t.kept).collect(),
            bevindingen: self.bevindingen,
        }
    }

    /// A chunk's rows and what [`merge_chunks`] needs to judge them.
    pub fn finish_chunk(mut self) -> SunkChunk {
        let notes = self.tables.iter_mut().map(|t| (std::mem::take(&mut t.first_rows), std::mem::take(&mut t.kept_hashes))).collect();
        SunkChunk { sunk: self.finish(), notes }
    }
}

/// One chunk's output: its rows, and per table its persons' first rows
/// with their later rows and its kept rows' hashes.
pub struct SunkChunk {
    sunk: Sunk,
    notes: Vec<(PerPerson<FirstRow>, Vec<u128>)>,
}

/// Two rows of one person that disagree in a one-row-per-person table:
/// what [`Kept::Disagrees`] says in a one-piece read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub table: usize,
    pub line: u64,
    pub first_line: u64,
    pub column: String,
}

/// The chunks of one file, in file order, joined as a one-piece read would
/// have kept them: a person's first row in the file is kept and every later
/// row of them (in any chunk) that differs is a [`Disagreement`], sorted by
/// line and table; a row identical to one kept before in any chunk is
/// dropped. Returns the rows, per table the persons seen, and the
/// disagreements.
pub fn merge_chunks(shapes: &[TableShape], chunks: Vec<SunkChunk>) -> (Sunk, Vec<u64>, Vec<Disagreement>) {
    let mut firsts: Vec<PerPerson<(u64, Box<[u64]>)>> = vec![HashMap::default(); shapes.len()];
    let mut seen: Vec<HashSet<u128, RandomState>> = vec![HashSet::default(); shapes.len()];
    let mut disagreements = Vec::new();
    let mut merged: Option<Sunk> = None;
    for SunkChunk { mut sunk, notes } in chunks {
        for (t, (shape, (first_rows, hashes))) in shapes.iter().zip(notes).enumerate() {
            let mut keep = vec![true; sunk.kept[t] as usize];
            let differs = |a: &[u64], b: &[u64]| {
                let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
                shape.schema.field(at + 1).name().clone()
            };
            match shape.policy {
                RowPolicy::Every => {}
                RowPolicy::OnePerPerson => {
                    for (person, row) in first_rows {
                        let (first_line, first) = match firsts[t].get(&person) {
                            Some((line, columns)) => {
                                keep[row.index as usize] = false;
                                if *columns != row.columns {
                                    disagreements.push(Disagreement {
                                        table: t,
                                        line: row.line,
                                        first_line: *line,
                                        column: differs(columns, &row.columns),
                                    });
                                }
                                (*line, columns.clone())
                            }
                            None => {
                                firsts[t].insert(person, (row.line, row.columns.clone()));
                                (row.line, row.columns.clone())
                            }
                        };
                        for (line, columns) in &row.later {
                            let columns = columns.as_ref().unwrap_or(&row.columns);
                            if *columns != first {
                                disagreements.push(Disagreement { table: t, line: *line, first_line, column: differs(&first, columns) });
                            }
                        }
                    }
                }
                RowPolicy::Distinct => {
                    for (i, h) in hashes.into_iter().enumerate() {
                        keep[i] = seen[t].insert(h);
                    }
                }
            }
            if keep.contains(&false) {
                let mut at = 0;
                for batch in &mut sunk.batches[t] {
                    let mask = arrow::array::BooleanArray::from(keep[at..at + batch.num_rows()].to_vec());
                    at += batch.num_rows();
                    *batch = arrow::compute::filter_record_batch(batch, &mask).expect("a mask of the batch's length");
                }
                sunk.kept[t] = keep.iter().filter(|k| **k).count() as u64;
            }
        }
        match &mut merged {
            None => merged = Some(sunk),
            Some(m) => m.append(sunk),
        }
    }
    disagreements.sort_by_key(|d| (d.line, d.table));
    let persons = firsts.iter().map(|f| f.len() as u64).collect();
    (
        merged.unwrap_or(Sunk { batches: vec![Vec::new(); shapes.len()], kept: vec![0; shapes.len()], bevindingen: Vec::new() }),
        persons,
        disagreements,
    )
}

/// A row hashed as a whole, walked without being stored.
fn hash_row<'v>(state: &RandomState, row: impl Iterator<Item = Value<'v>>) -> u64 {
    let mut h = state.build_hasher();
    for v in row {
        v.hash(&mut h);
    }
    h.finish()
}

fn flush(shape: &TableShape, state: &mut TableState, levering_id: &str) {
    if state.pending == 0 {
        return;
    }
    let mut cols: Vec<ArrayRef> = vec![constant_text(levering_id, state.pending)];
    cols.extend(state.builders.iter_mut().map(ColumnBuilder::finish));
    state.batches.push(RecordBatch::try_new(shape.schema.clone(), cols).expect("columns follow the plan's schema"));
    state.pending = 0;
}

/// What a sink turned out: per table its batches and rows kept, and the findings.
pub struct Sunk {
    pub batches: Vec<Vec<RecordBatch>>,
    pub kept: Vec<u64>,
    pub bevindingen: Vec<Bevinding>,
}

impl Sunk {
    /// Appends a later chunk's output (chunks are joined in file order).
    pub fn append(&mut self, later: Sunk) {
        for (acc, b) in self.batches.iter_mut().zip(later.batches) {
            acc.extend(b);
        }
        for (acc, n) in self.kept.iter_mut().zip(later.kept) {
            *acc += n;
        }
        self.bevindingen.extend(later.bevindingen);
    }
}

fn constant_text(v: &str, n: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(v, n)))
}

/// Facts about a delivery that do not come from its records.
#[derive(Debug, Clone)]
pub struct DeliveryMeta {
    pub levering_id: String,
    pub bestand: String,
    pub sha256: String,
    /// microseconds since 1970-01-01 UTC
    pub ingelezen_op: i64,
}

impl DeliveryMeta {
    /// For reading without storing (`verzuim inspect`).
    pub fn survey(bestand: &str) -> DeliveryMeta {
        DeliveryMeta { levering_id: String::new(), bestand: bestand.to_string(), sha256: String::new(), ingelezen_op: 0 }
    }
}

/// What identifies a delivery in the lake's partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryKey {
    pub soort: String,
    /// soort_afnemer + afnemercode, e.g. `G0363`
    pub afnemer: String,
    /// days since 1970-01-01
    pub peildatum: i32,
}

impl DeliveryKey {
    pub fn peildatum_iso(&self) -> String {
        iso_date(self.peildatum)
    }
}

/// One table of a delivery, ready to write.
#[derive(Debug)]
pub struct TableData {
    pub name: &'static str,
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

/// A delivery read whole, ready for the lake.
#[derive(Debug)]
pub struct Normalised {
    pub key: DeliveryKey,
    pub persons: u64,
    pub records: u64,
    /// What was read, per record code or table, in layout order.
    pub counts: Vec<(String, u64)>,
    pub bevindingen: u64,
    /// `levering`, the record tables, then `bevinding`.
    pub tables: Vec<TableData>,
}

/// The `levering` row of a delivery: its facts, in the order of
/// [`LEVERING_FROM_HEADER`], and the layout's extra header columns.
pub struct Delivery<'a> {
    pub schema: SchemaRef,
    pub meta: &'a DeliveryMeta,
    pub layout: &'a str,
    pub facts: [Value<'a>; 6],
    pub extras: Vec<(ValueKind, Value<'a>)>,
    pub persons: u64,
    pub records: u64,
}

impl Delivery<'_> {
    pub fn key(&self) -> DeliveryKey {
        let text = |v: Value<'_>| if let Value::Text(s) = v { s.to_string() } else { String::new() };
        let [soort, soort_afnemer, afnemercode, peildatum, ..] = self.facts;
        let peildatum = if let Value::Date(d) = peildatum { d } else { 0 };
        DeliveryKey { soort: text(soort), afnemer: format!("{}{}", text(soort_afnemer), text(afnemercode)), peildatum }
    }

    fn levering_batch(&self) -> RecordBatch {
        let value = |kind: ValueKind, v: Value<'_>| {
            let mut b = ColumnBuilder::new(kind, 1);
            b.append(v);
            b.finish()
        };
        let meta = self.meta;
        let mut cols: Vec<ArrayRef> =
            vec![constant_text(&meta.levering_id, 1), constant_text(&meta.bestand, 1), constant_text(&meta.sha256, 1)];
        cols.extend(LEVERING_FROM_HEADER.iter().zip(self.facts).map(|((_, kind), v)| value(*kind, v)));
        cols.push(constant_text(self.layout, 1));
        cols.push(Arc::new(Int64Array::from(vec![self.persons as i64])));
        cols.push(Arc::new(Int64Array::from(vec![self.records as i64])));
        cols.push(Arc::new(TimestampMicrosecondArray::from(vec![meta.ingelezen_op]).with_timezone("+00:00")));
        cols.extend(self.extras.iter().map(|(kind, v)| value(*kind, *v)));
        RecordBatch::try_new(self.schema.clone(), cols).expect("columns follow the levering schema")
    }

    /// The delivery's tables: `levering`, the record tables as `shapes` made
    /// them, then `bevinding`.
    pub fn into_normalised(self, shapes: &[TableShape], sunk: Sunk, counts: Vec<(String, u64)>) -> Normalised {
        let mut tables = vec![TableData { name: LEVERING, schema: self.schema.clone(), batches: vec![self.levering_batch()] }];
        for (shape, batches) in shapes.iter().zip(sunk.batches) {
            tables.push(TableData { name: shape.name, schema: shape.schema.clone(), batches });
        }
        let bevindingen = sunk.bevindingen.len() as u64;
        tables.push(TableData {
            name: BEVINDING,
            schema: bevinding_schema(),
            batches: vec![bevinding_batch(&self.meta.levering_id, &sunk.bevindingen)],
        });
        Normalised { key: self.key(), persons: self.persons, records: self.records, counts, bevindingen, tables }
    }
}

fn bevinding_batch(levering_id: &str, rows: &[Bevinding]) -> RecordBatch {
    let cols: Vec<ArrayRef> = vec![
        constant_text(levering_id, rows.len()),
        Arc::new(Int64Array::from_iter_values(rows.iter().map(|b| b.regel as i64))),
        Arc::new(StringArray::from_iter(rows.iter().map(|b| Some(b.recordsoort.as_str())))),
        Arc::new(StringArray::from_iter(rows.iter().map(|b| b.veld.as_deref()))),
        Arc::new(StringArray::from_iter_values(rows.iter().map(|b| b.code))),
        Arc::new(StringArray::from_iter_values(rows.iter().map(|b| b.melding.as_str()))),
    ];
    RecordBatch::try_new(bevinding_schema(), cols).expect("columns follow the bevinding schema")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::canonical::table_schema;

    fn shape(policy: RowPolicy) -> Vec<TableShape> {
        let t = crate::normalise::canonical::RECORD_TABLES.iter().find(|t| t.name == "startkwalificatie").unwrap();
        vec![TableShape {
            name: t.name,
            schema: table_schema(t, []),
            kinds: vec![ValueKind::Text, ValueKind::Flag, ValueKind::Date],
            policy,
        }]
    }

    fn row(pgn: &'static str, flag: bool, date: i32) -> [Value<'static>; 3] {
        [Value::Text(pgn), Value::Flag(flag), Value::Date(date)]
    }

    /// Each policy, case by case: (rows in, what becomes of the last, rows kept).
    #[test]
    fn row_policies() {
        let cases: &[(RowPolicy, &[[Value<'static>; 3]], Kept, u64)] = &[
            (RowPolicy::Every, &[row("1", true, 1), row("1", true, 1)], Kept::Added, 2),
            (RowPolicy::Distinct, &[row("1", true, 1), row("1", true, 1)], Kept::Repeated, 1),
            (RowPolicy::Distinct, &[row("1", true, 1), row("1", true, 2)], Kept::Added, 2),
            (RowPolicy::OnePerPerson, &[row("1", true, 1), row("1", true, 1)], Kept::Repeated, 1),
            (RowPolicy::OnePerPerson, &[row("1", true, 1), row("2", false, 1)], Kept::Added, 2),
            (
                RowPolicy::OnePerPerson,
                &[row("1", true, 1), row("1", true, 2)],
                Kept::Disagrees { first_line: 1, column: "datum_behaald".into() },
                1,
            ),
        ];
        for (policy, rows, last, kept) in cases {
            let shapes = shape(*policy);
            let mut sink = Sink::new(&shapes, "x", 4);
            let mut got = Kept::Added;
            for (line, r) in rows.iter().enumerate() {
                let person = if let Value::Text(p) = r[0] { Some(p) } else { None };
                got = sink.push(0, person, r.iter().copied(), line as u64 + 1);
            }
            assert_eq!((&got, sink.kept(0)), (last, *kept), "{policy:?} {rows:?}");
            let sunk = sink.finish();
            assert_eq!(sunk.batches[0].iter().map(|b| b.num_rows() as u64).sum::<u64>(), *kept);
        }
    }

    /// Past BATCH_ROWS rows a table's builders become a batch: one huge
    /// file is held as bounded batches, never as one growing array.
    #[test]
    fn batches_are_bounded() {
        let shapes = shape(RowPolicy::Every);
        let mut sink = Sink::new(&shapes, "x", BATCH_ROWS);
        for i in 0..(BATCH_ROWS + 10) {
            sink.push(0, None, row("1", true, i as i32).into_iter(), 1);
        }
        let sizes: Vec<usize> = sink.finish().batches[0].iter().map(RecordBatch::num_rows).collect();
        assert_eq!(sizes, vec![BATCH_ROWS, 10]);
    }
}
