//! Records → Arrow record batches of the canonical tables.
//!
//! A [`Plan`] matches a layout to the canonical tables once; [`normalise`]
//! then parses a delivery's chunks in parallel, each into its own builders,
//! and hands back one batch per chunk per table, plus the `levering` row and
//! the `bevinding` rows.

pub(crate) mod builder;
pub mod canonical;
pub mod csv;
mod facts;

pub use facts::Facts;

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;

use crate::error::{Error, Problem, Result};
use crate::layout::{DeliveryLayout, Layout, ValueKind, iso_date};
use crate::parse::{self, Chunk, RecordReader, TrailerSeen, Value, read_value};
use builder::{ColumnBuilder, data_type};
use canonical::{BEVINDING, LEVERING, LEVERING_COMPUTED, LEVERING_FROM_HEADER, RECORD_TABLES, bevinding_code};

/// How one layout's records fill the canonical tables.
#[derive(Debug, Clone)]
pub struct Plan {
    pub tables: Vec<TablePlan>,
    /// Layout record index → index into `tables`.
    record_table: Vec<Option<usize>>,
    /// `levering` columns from header fields: (field index, column, kind), canonical ones first.
    header_columns: Vec<(usize, String, ValueKind)>,
    levering_schema: SchemaRef,
}

#[derive(Debug, Clone)]
pub struct TablePlan {
    pub name: &'static str,
    /// `levering_id` followed by the columns.
    pub schema: SchemaRef,
    /// Field index (in the feeding record) per column after `levering_id`.
    fields: Vec<usize>,
    kinds: Vec<ValueKind>,
}

fn levering_id_field() -> Field {
    Field::new("levering_id", DataType::Utf8, false)
}

impl Plan {
    pub fn new(layout: &Layout) -> Result<Plan> {
        let err = |m: String| Error::layout(format!("{} ({})", layout.name, layout.origin), m);
        let stored: Vec<usize> = (0..layout.records.len())
            .filter(|&ri| ri != layout.header && ri != layout.trailer && layout.records[ri].table.is_some())
            .collect();
        for &ri in &stored {
            let (rec, table) = (&layout.records[ri], layout.records[ri].table.as_deref().unwrap_or_default());
            if !RECORD_TABLES.iter().any(|t| t.name == table) {
                let names: Vec<_> = RECORD_TABLES.iter().map(|t| t.name).collect();
                return Err(err(format!("record {} names table {table:?}, which is not one of {}", rec.code, names.join(", "))));
            }
        }
        let mut tables: Vec<TablePlan> = Vec::new();
        let mut record_table = vec![None; layout.records.len()];
        for canon in RECORD_TABLES {
            let feeders: Vec<usize> =
                stored.iter().copied().filter(|&ri| layout.records[ri].table.as_deref() == Some(canon.name)).collect();
            if let [a, b, ..] = feeders[..] {
                return Err(err(format!(
                    "records {} and {} both fill table {}",
                    layout.records[a].code, layout.records[b].code, canon.name
                )));
            }
            // A table no record fills still gets (empty) files, so that every
            // delivery directory holds the same set of tables.
            let (fields, kinds, columns) = match feeders.first() {
                Some(&ri) => {
                    record_table[ri] = Some(tables.len());
                    match_columns(layout, ri, canon.columns, &[]).map_err(&err)?
                }
                None => (Vec::new(), Vec::new(), canon.columns.iter().map(|(n, k)| Field::new(*n, data_type(*k), true)).collect()),
            };
            tables.push(TablePlan {
                name: canon.name,
                schema: Arc::new(Schema::new(std::iter::once(levering_id_field()).chain(columns).collect::<Vec<_>>())),
                fields,
                kinds,
            });
        }

        let header = &layout.records[layout.header];
        if header.table.as_deref().is_some_and(|t| t != LEVERING) {
            return Err(err(format!("the header record {} fills table levering, not another", header.code)));
        }
        let (hf, hk, _) = match_columns(layout, layout.header, LEVERING_FROM_HEADER, LEVERING_COMPUTED).map_err(&err)?;
        let header_columns: Vec<(usize, String, ValueKind)> =
            hf.iter().zip(&hk).map(|(&f, &k)| (f, header.fields[f].column.clone(), k)).collect();
        let extras: Vec<(String, ValueKind)> =
            header_columns[LEVERING_FROM_HEADER.len()..].iter().map(|(_, name, kind)| (name.clone(), *kind)).collect();
        let levering_schema = levering_schema(&extras);
        Ok(Plan { tables, record_table, header_columns, levering_schema })
    }

    pub fn levering_schema(&self) -> SchemaRef {
        self.levering_schema.clone()
    }
}

/// The `levering` table's columns: verzuim's own, the delivery facts, then
/// `extras` (header fields beyond the canonical ones).
fn levering_schema(extras: &[(String, ValueKind)]) -> SchemaRef {
    let mut fields = vec![levering_id_field(), Field::new("bestand", DataType::Utf8, false), Field::new("sha256", DataType::Utf8, false)];
    for (name, kind) in LEVERING_FROM_HEADER {
        fields.push(Field::new(*name, data_type(*kind), true));
    }
    fields.extend([
        Field::new("layout", DataType::Utf8, false),
        Field::new("aantal_personen", DataType::Int64, false),
        Field::new("aantal_records", DataType::Int64, false),
        Field::new("ingelezen_op", DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())), false),
    ]);
    for (name, kind) in extras {
        fields.push(Field::new(name, data_type(*kind), true));
    }
    Arc::new(Schema::new(fields))
}

type Matched = (Vec<usize>, Vec<ValueKind>, Vec<Field>);

/// Pairs a record's fields with canonical columns (in canonical order), then
/// the record's other fields as extra columns (in layout order).
fn match_columns(
    layout: &Layout,
    record: usize,
    canonical: &[(&str, ValueKind)],
    reserved: &[&str],
) -> std::result::Result<Matched, String> {
    let rec = &layout.records[record];
    let mut fields = Vec::new();
    let mut kinds = Vec::new();
    let mut schema = Vec::new();
    let mut missing = Vec::new();
    for (col, kind) in canonical {
        match rec.fields.iter().skip(1).position(|f| f.column == *col) {
            None => missing.push(format!("{col} ({kind:?})")),
            Some(i) => {
                let f = &rec.fields[i + 1];
                if f.ty.kind() != *kind {
                    return Err(format!(
                        "record {} field {} fills column {col}, which holds {kind:?} values, but is of type {:?}",
                        rec.code,
                        f.name,
                        f.ty.kind()
                    ));
                }
                fields.push(i + 1);
                kinds.push(*kind);
                schema.push(Field::new(*col, data_type(*kind), true));
            }
        }
    }
    if !missing.is_empty() {
        return Err(format!("record {} has no field for column(s) {}", rec.code, missing.join(", ")));
    }
    for (i, f) in rec.fields.iter().enumerate().skip(1) {
        if fields.contains(&i) {
            continue;
        }
        if reserved.contains(&f.column.as_str()) || f.column == "levering_id" {
            return Err(format!("record {} field {}: column {} is computed by verzuim", rec.code, f.name, f.column));
        }
        fields.push(i);
        kinds.push(f.ty.kind());
        schema.push(Field::new(&f.column, data_type(f.ty.kind()), true));
    }
    Ok((fields, kinds, schema))
}

/// How a delivery layout of either kind fills the canonical tables.
#[derive(Debug, Clone)]
pub enum DeliveryPlan {
    Records(Plan),
    Csv(csv::CsvPlan),
}

impl DeliveryPlan {
    pub fn new(layout: &DeliveryLayout) -> Result<DeliveryPlan> {
        match layout {
            DeliveryLayout::Records(l) => Plan::new(l).map(DeliveryPlan::Records),
            DeliveryLayout::Csv(l) => csv::CsvPlan::new(l).map(DeliveryPlan::Csv),
        }
    }
}

/// Parses and normalises a delivery of either kind. `given` are the facts
/// from outside the file: a header-CSV file's first source of them; for a
/// record file a check on its header record.
pub fn normalise_delivery(
    layout: &DeliveryLayout,
    plan: &DeliveryPlan,
    text: &str,
    meta: &DeliveryMeta,
    given: &Facts,
    chunk_bytes: usize,
) -> std::result::Result<Normalised, Problem> {
    match (layout, plan) {
        (DeliveryLayout::Records(l), DeliveryPlan::Records(p)) => {
            let n = normalise(l, p, text, meta, chunk_bytes)?;
            match given.contradiction(&n.key) {
                Some(m) => Err(Problem::file(m)),
                None => Ok(n),
            }
        }
        (DeliveryLayout::Csv(l), DeliveryPlan::Csv(p)) => csv::normalise_csv(l, p, text, meta, given),
        _ => unreachable!("a plan is made from its own layout"),
    }
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

#[derive(Debug)]
pub struct Normalised {
    pub key: DeliveryKey,
    pub persons: u64,
    pub records: u64,
    /// Records per record code, in layout order.
    pub counts: Vec<(String, u64)>,
    pub bevindingen: u64,
    /// `levering`, the record tables, then `bevinding`.
    pub tables: Vec<TableData>,
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

struct ChunkOut<'a> {
    batches: Vec<Option<RecordBatch>>,
    counts: Vec<u64>,
    header: Option<Vec<Value<'a>>>,
    trailer: Option<TrailerSeen>,
    bevindingen: Vec<Bevinding>,
    problems: Vec<Problem>,
}

/// Parses and normalises a whole delivery. The first problem rejects it.
pub fn normalise(
    layout: &Layout,
    plan: &Plan,
    text: &str,
    meta: &DeliveryMeta,
    chunk_bytes: usize,
) -> std::result::Result<Normalised, Problem> {
    let first_line = text.lines().next().unwrap_or("");
    let separator = layout.separator_for(first_line);
    let chunks = parse::split_chunks(layout, text, chunk_bytes);
    let outs: Vec<ChunkOut> = chunks.par_iter().map(|c| normalise_chunk(layout, plan, separator, *c, meta, 1)).collect();
    // chunks are in file order, so the first problem found is the first in the file
    if let Some(p) = outs.iter().find_map(|o| o.problems.first()) {
        return Err(p.clone());
    }
    let mut counts = vec![0u64; layout.records.len()];
    let mut header = None;
    let mut trailer = None;
    let mut bevindingen = Vec::new();
    let mut per_table: Vec<Vec<RecordBatch>> = vec![Vec::new(); plan.tables.len()];
    for out in outs {
        for (acc, n) in counts.iter_mut().zip(out.counts) {
            *acc += n;
        }
        header = header.or(out.header);
        trailer = trailer.or(out.trailer);
        bevindingen.extend(out.bevindingen);
        for (acc, batch) in per_table.iter_mut().zip(out.batches) {
            acc.extend(batch);
        }
    }
    let header = header.ok_or_else(|| Problem::file("the file holds no records"))?;
    let trailer = trailer.ok_or_else(|| Problem::file("no trailer record"))?;
    parse::check_trailer(layout, &trailer, &counts)?;

    let key = delivery_key(plan, &header);
    let persons = counts[layout.person];
    let records: u64 = counts.iter().sum();
    let levering = levering_batch(layout, plan, &header, meta, persons, records);
    let mut tables = vec![TableData { name: LEVERING, schema: plan.levering_schema(), batches: vec![levering] }];
    for (tp, batches) in plan.tables.iter().zip(per_table) {
        tables.push(TableData { name: tp.name, schema: tp.schema.clone(), batches });
    }
    let n_bevindingen = bevindingen.len() as u64;
    tables.push(TableData { name: BEVINDING, schema: bevinding_schema(), batches: vec![bevinding_batch(&meta.levering_id, &bevindingen)] });
    Ok(Normalised {
        key,
        persons,
        records,
        counts: layout.records.iter().map(|r| r.code.clone()).zip(counts).collect(),
        bevindingen: n_bevindingen,
        tables,
    })
}

/// Reads a whole delivery as one piece, collecting up to `limit` problems
/// instead of stopping at the first, and keeps only the counts: what
/// `verzuim inspect` shows.
pub fn survey(layout: &Layout, plan: &Plan, text: &str, limit: usize) -> (Vec<(String, u64)>, Vec<Problem>, u64) {
    let first_line = text.lines().next().unwrap_or("");
    let separator = layout.separator_for(first_line);
    let meta = DeliveryMeta { levering_id: String::new(), bestand: String::new(), sha256: String::new(), ingelezen_op: 0 };
    let chunk = Chunk { text, first_line: 1, first: true, last: true };
    let out = normalise_chunk(layout, plan, separator, chunk, &meta, limit);
    let mut problems = out.problems;
    if problems.len() < limit
        && let Some(t) = &out.trailer
        && let Err(p) = parse::check_trailer(layout, t, &out.counts)
    {
        problems.push(p);
    }
    let counts = layout.records.iter().map(|r| r.code.clone()).zip(out.counts).collect();
    (counts, problems, out.bevindingen.len() as u64)
}

fn normalise_chunk<'a>(
    layout: &Layout,
    plan: &Plan,
    separator: Option<u8>,
    chunk: Chunk<'a>,
    meta: &DeliveryMeta,
    max_problems: usize,
) -> ChunkOut<'a> {
    // a rough row estimate keeps the builders from regrowing
    let rows_guess = chunk.text.len() / 80;
    let mut builders: Vec<Vec<ColumnBuilder>> = plan
        .tables
        .iter()
        .map(|t| t.kinds.iter().map(|k| ColumnBuilder::new(*k, rows_guess / plan.tables.len().max(1))).collect())
        .collect();
    let mut rows = vec![0usize; plan.tables.len()];
    let mut header = None;
    let mut bevindingen = Vec::new();
    let mut problems = Vec::new();
    let mut values: Vec<Value<'a>> = Vec::with_capacity(32);
    let mut reader = RecordReader::new(layout, separator, chunk);
    loop {
        let rec = match reader.next_record() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(p) => {
                let at_end = p.line == 0;
                problems.push(p);
                if at_end || problems.len() >= max_problems {
                    break;
                }
                continue;
            }
        };
        let spec = &layout.records[rec.index];
        let line = rec.line;
        // Read every field first, so that a bad field leaves no half row behind.
        values.clear();
        let mut failed = None;
        for (i, f) in spec.fields.iter().enumerate().skip(1) {
            let mut unknown = None;
            match read_value(layout, f, rec.fields[i], &mut unknown) {
                Ok(v) => values.push(v),
                Err(m) => {
                    failed = Some(Problem::field(line, &spec.code, &f.name, m));
                    break;
                }
            }
            if let Some(u) = unknown {
                bevindingen.push(Bevinding {
                    regel: line,
                    recordsoort: spec.code.clone(),
                    veld: Some(f.name.clone()),
                    code: bevinding_code::ONBEKENDE_CODE,
                    melding: format!("{} is not in code list {}; kept as written", parse::shown(&u.value), u.list),
                });
            }
        }
        if rec.extra {
            bevindingen.push(Bevinding {
                regel: line,
                recordsoort: spec.code.clone(),
                veld: None,
                code: bevinding_code::EXTRA_VELDEN,
                melding: format!("the record holds more than the {} fields the layout describes; the rest is not read", spec.fields.len()),
            });
        }
        if let Some(p) = failed {
            problems.push(p);
            if problems.len() >= max_problems {
                break;
            }
            continue;
        }
        if rec.index == layout.header {
            header = Some(values.clone());
        } else if let Some(t) = plan.record_table[rec.index] {
            let tp = &plan.tables[t];
            for (b, &f) in builders[t].iter_mut().zip(&tp.fields) {
                b.append(values[f - 1]);
            }
            rows[t] += 1;
        }
    }
    let batches = plan
        .tables
        .iter()
        .zip(builders.iter_mut())
        .zip(&rows)
        .map(|((tp, bs), &n)| {
            if n == 0 {
                return None;
            }
            let mut cols: Vec<ArrayRef> = vec![constant_text(&meta.levering_id, n)];
            cols.extend(bs.iter_mut().map(ColumnBuilder::finish));
            Some(RecordBatch::try_new(tp.schema.clone(), cols).expect("columns follow the plan's schema"))
        })
        .collect();
    ChunkOut { batches, counts: reader.counts.clone(), header, trailer: reader.trailer.take(), bevindingen, problems }
}

fn constant_text(v: &str, n: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(v, n)))
}

fn header_value<'a>(plan: &Plan, header: &[Value<'a>], column: &str) -> Value<'a> {
    plan.header_columns.iter().find(|(_, c, _)| c == column).map(|(f, _, _)| header[f - 1]).unwrap_or(Value::Null)
}

fn delivery_key(plan: &Plan, header: &[Value<'_>]) -> DeliveryKey {
    let text = |c: &str| match header_value(plan, header, c) {
        Value::Text(s) => s.to_string(),
        _ => String::new(),
    };
    let peildatum = match header_value(plan, header, "peildatum") {
        Value::Date(d) => d,
        _ => 0,
    };
    DeliveryKey { soort: text("soort"), afnemer: format!("{}{}", text("soort_afnemer"), text("afnemercode")), peildatum }
}

fn levering_batch(layout: &Layout, plan: &Plan, header: &[Value<'_>], meta: &DeliveryMeta, persons: u64, records: u64) -> RecordBatch {
    let value_column = |kind: ValueKind, v: Value<'_>| {
        let mut b = ColumnBuilder::new(kind, 1);
        b.append(v);
        b.finish()
    };
    let n_canonical = LEVERING_FROM_HEADER.len();
    let from_header = |range: std::ops::Range<usize>| -> Vec<ArrayRef> {
        plan.header_columns[range].iter().map(|(f, _, k)| value_column(*k, header[f - 1])).collect()
    };
    let mut cols: Vec<ArrayRef> =
        vec![constant_text(&meta.levering_id, 1), constant_text(&meta.bestand, 1), constant_text(&meta.sha256, 1)];
    cols.extend(from_header(0..n_canonical));
    cols.push(constant_text(&layout.name, 1));
    cols.push(Arc::new(Int64Array::from(vec![persons as i64])));
    cols.push(Arc::new(Int64Array::from(vec![records as i64])));
    cols.push(Arc::new(TimestampMicrosecondArray::from(vec![meta.ingelezen_op]).with_timezone("+00:00")));
    cols.extend(from_header(n_canonical..plan.header_columns.len()));
    RecordBatch::try_new(plan.levering_schema(), cols).expect("columns follow the levering schema")
}

pub fn bevinding_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        levering_id_field(),
        Field::new("regel", DataType::Int64, false),
        Field::new("recordsoort", DataType::Utf8, true),
        Field::new("veld", DataType::Utf8, true),
        Field::new("code", DataType::Utf8, false),
        Field::new("melding", DataType::Utf8, false),
    ]))
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

    fn vzl1_text() -> &'static str {
        crate::layout::shipped().find(|(n, _)| *n == "vzl1").unwrap().1
    }

    fn plan_error(text: &str) -> String {
        let layout = Layout::from_toml(text, "test").unwrap();
        Plan::new(&layout).unwrap_err().to_string()
    }

    #[test]
    fn layouts_that_cannot_fill_the_canonical_tables_are_refused() {
        let t = vzl1_text();
        let e = plan_error(&t.replace("table = \"verblijf\"", "table = \"woonadres\""));
        assert!(e.contains("woonadres") && e.contains("verblijf"), "{e}");
        let e = plan_error(&t.replace("table = \"verblijf\"", "table = \"inschrijving\""));
        assert!(e.contains("both fill table inschrijving"), "{e}");
        let e = plan_error(&t.replace("  { name = \"postcode\" },\n", ""));
        assert!(e.contains("record VBL has no field for column(s) postcode"), "{e}");
        let e = plan_error(&t.replace("{ name = \"huisnummer\", type = \"integer\" }", "{ name = \"huisnummer\" }"));
        assert!(e.contains("huisnummer") && e.contains("Integer"), "{e}");
        let e = plan_error(&t.replace("{ name = \"layoutversie\" }", "{ name = \"layoutversie\", column = \"sha256\" }"));
        assert!(e.contains("computed by verzuim"), "{e}");
    }

    /// A field added to a record, and a record type added to the file, are
    /// layout edits: the field becomes an extra column after the canonical
    /// ones, the new record is read and checked.
    #[test]
    fn an_added_field_and_record_type_need_no_code() {
        let t = vzl1_text()
            .replace(
                "  { name = \"bekostigd\", type = \"flag\" },\n",
                "  { name = \"bekostigd\", type = \"flag\" },\n  { name = \"datum_melding\", type = \"date\" },\n",
            )
            .replace(
                "[records.SLR]",
                "[records.OPM]\nfields = [\n  { name = \"recordsoort\" },\n  { name = \"pgn\", required = true },\n  { name = \"opmerking\" },\n]\n\n[records.SLR]",
            );
        let layout = Layout::from_toml(&t, "test").unwrap();
        let plan = Plan::new(&layout).unwrap();
        let ins = plan.tables.iter().find(|t| t.name == "inschrijving").unwrap();
        let names: Vec<_> = ins.schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names.last(), Some(&"datum_melding"));
        assert_eq!(ins.schema.field_with_name("datum_melding").unwrap().data_type(), &DataType::Date32);

        let text = "VLP|VZL1|P|G|0687|20261010|20261012|000041\n\
                    PER|123456782|123456782||20100305|V|Jansen|de|Sanne|\n\
                    INS|123456782|0000000001|20AB|20AB00|VMBO||TL||3|20220820|||J|20261001\n\
                    OPM|123456782|vrije tekst\n\
                    SLR|1|5\n";
        let meta = DeliveryMeta { levering_id: "x".into(), bestand: "x".into(), sha256: "x".into(), ingelezen_op: 0 };
        let n = normalise(&layout, &plan, text, &meta, usize::MAX).unwrap();
        let ins = n.tables.iter().find(|t| t.name == "inschrijving").unwrap();
        let b = &ins.batches[0];
        let melding = b.column(b.schema().index_of("datum_melding").unwrap());
        let melding = melding.as_any().downcast_ref::<arrow::array::Date32Array>().unwrap();
        assert_eq!(iso_date(melding.value(0)), "2026-10-01");
        assert_eq!(n.counts.iter().find(|(c, _)| c == "OPM").map(|(_, k)| *k), Some(1));
        // the new record is checked like any other: it must carry its block's pgn
        let bad = text.replace("OPM|123456782", "OPM|111222333");
        let p = normalise(&layout, &plan, &bad, &meta, usize::MAX).unwrap_err();
        assert!(p.to_string().contains("line 4, record OPM, field pgn"), "{p}");
    }
}
