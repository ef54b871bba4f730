//! Record files (VZL1 and layouts like it) into the canonical sink.
//!
//! A [`RecordPlan`] matches a record layout to the canonical tables once
//! and owns it; [`RecordPlan::normalise`] then parses a delivery's chunks in
//! parallel, each into its own [`Sink`], and joins their batches in file
//! order. Every record is a row (a record file states each fact once).

use arrow::datatypes::{Field, SchemaRef};
use rayon::prelude::*;

use super::builder::data_type;
use super::canonical::{LEVERING, LEVERING_COMPUTED, LEVERING_FROM_HEADER, RECORD_TABLES, bevinding_code, levering_schema, table_schema};
use super::sink::{Bevinding, Delivery, DeliveryMeta, Normalised, RowPolicy, Sink, Sunk, TableShape};
use super::{Facts, Survey};
use crate::error::{Error, Problem, Refusal, Result};
use crate::layout::{RecordLayout, ValueKind};
use crate::parse::{self, Chunk, RecordReader, TrailerSeen, Value, read_value};

/// How one record layout's records fill the canonical tables.
#[derive(Debug, Clone)]
pub struct RecordPlan {
    layout: RecordLayout,
    shapes: Vec<TableShape>,
    /// Per table: the field index (in its record) of each column.
    fields: Vec<Vec<usize>>,
    /// Layout record index → index into `shapes`.
    record_table: Vec<Option<usize>>,
    /// `levering` columns from header fields: (field index, kind), the
    /// canonical ones first, in [`LEVERING_FROM_HEADER`] order.
    header_columns: Vec<(usize, ValueKind)>,
    levering_schema: SchemaRef,
}

impl RecordPlan {
    /// Refused: a record naming a table that is not canonical, two records
    /// filling one table, a canonical column without a field or with a
    /// field of another type (the person key among them), a field taking a
    /// column verzuim computes.
    pub fn new(layout: RecordLayout) -> Result<RecordPlan> {
        let err = |(kind, m): (Refusal, String)| Error::refused(format!("{} ({})", layout.name, layout.origin), kind, m);
        let stored: Vec<usize> = (0..layout.records.len())
            .filter(|&ri| ri != layout.header && ri != layout.trailer && layout.records[ri].table.is_some())
            .collect();
        for &ri in &stored {
            let (rec, table) = (&layout.records[ri], layout.records[ri].table.as_deref().unwrap_or_default());
            if !RECORD_TABLES.iter().any(|t| t.name == table) {
                let names: Vec<_> = RECORD_TABLES.iter().map(|t| t.name).collect();
                return Err(err((
                    Refusal::UnknownTable,
                    format!("record {} names table {table:?}, which is not one of {}", rec.code, names.join(", ")),
                )));
            }
        }
        let (mut shapes, mut fields) = (Vec::new(), Vec::new());
        let mut record_table = vec![None; layout.records.len()];
        for canon in RECORD_TABLES {
            let feeders: Vec<usize> =
                stored.iter().copied().filter(|&ri| layout.records[ri].table.as_deref() == Some(canon.name)).collect();
            if let [a, b, ..] = feeders[..] {
                let m = format!("records {} and {} both fill table {}", layout.records[a].code, layout.records[b].code, canon.name);
                return Err(err((Refusal::TableFilledTwice, m)));
            }
            // A table no record fills still gets (empty) files, so that every
            // delivery directory holds the same set of tables.
            let m = match feeders.first() {
                Some(&ri) => {
                    record_table[ri] = Some(shapes.len());
                    match_columns(&layout, ri, canon.columns, &[]).map_err(&err)?
                }
                None => Matched::default(),
            };
            // a table no record fills gets no builders: nothing is pushed to it
            let kinds: Vec<ValueKind> = match feeders.is_empty() {
                true => Vec::new(),
                false => canon.columns.iter().map(|(_, k)| *k).chain(m.extras.iter().map(|(_, k)| *k)).collect(),
            };
            let extras = m.extras.iter().map(|(name, kind)| Field::new(name, data_type(*kind), true));
            shapes.push(TableShape { name: canon.name, schema: table_schema(canon, extras), kinds, policy: RowPolicy::Every });
            fields.push(m.fields);
        }

        let header = &layout.records[layout.header];
        if header.table.as_deref().is_some_and(|t| t != LEVERING) {
            return Err(err((Refusal::HeaderTable, format!("the header record {} fills table levering, not another", header.code))));
        }
        let m = match_columns(&layout, layout.header, LEVERING_FROM_HEADER, LEVERING_COMPUTED).map_err(&err)?;
        let kinds = LEVERING_FROM_HEADER.iter().map(|(_, k)| *k).chain(m.extras.iter().map(|(_, k)| *k));
        let header_columns = m.fields.iter().copied().zip(kinds).collect();
        let levering_schema = levering_schema(m.extras.iter().map(|(name, kind)| Field::new(name, data_type(*kind), true)));
        Ok(RecordPlan { layout, shapes, fields, record_table, header_columns, levering_schema })
    }

    pub fn layout(&self) -> &RecordLayout {
        &self.layout
    }

    /// The canonical tables as this layout fills them (extra columns included).
    pub fn shapes(&self) -> &[TableShape] {
        &self.shapes
    }

    pub fn levering_schema(&self) -> SchemaRef {
        self.levering_schema.clone()
    }

    /// Parses and normalises a whole delivery. The first problem rejects
    /// it; given facts that contradict the header record too.
    pub fn normalise(
        &self,
        text: &str,
        meta: &DeliveryMeta,
        given: &Facts,
        chunk_bytes: usize,
    ) -> std::result::Result<Normalised, Problem> {
        let layout = &self.layout;
        let separator = layout.separator_for(text.lines().next().unwrap_or(""));
        let chunks = parse::split_chunks(layout, text, chunk_bytes);
        let outs: Vec<ChunkOut> = chunks.par_iter().map(|c| self.read_chunk(separator, *c, meta, 1)).collect();
        // chunks are in file order, so the first problem found is the first in the file
        if let Some(p) = outs.iter().find_map(|o| o.problems.first()) {
            return Err(p.clone());
        }
        let (mut counts, mut header, mut trailer, mut sunk) = (vec![0u64; layout.records.len()], None, None, None::<Sunk>);
        for out in outs {
            for (acc, n) in counts.iter_mut().zip(out.counts) {
                *acc += n;
            }
            header = header.or(out.header);
            trailer = trailer.or(out.trailer);
            match &mut sunk {
                None => sunk = Some(out.sunk),
                Some(s) => s.append(out.sunk),
            }
        }
        let header = header.ok_or_else(|| Problem::file("the file holds no records"))?;
        let trailer = trailer.ok_or_else(|| Problem::file("no trailer record"))?;
        parse::check_trailer(layout, &trailer, &counts)?;
        let delivery = self.delivery(&header, meta, counts[layout.person], counts.iter().sum());
        if let Some(m) = given.contradiction(&delivery.key()) {
            return Err(Problem::file(m));
        }
        let counts = layout.records.iter().map(|r| r.code.clone()).zip(counts).collect();
        Ok(delivery.into_normalised(&self.shapes, sunk.expect("a text has at least one chunk"), counts))
    }

    /// Reads a whole delivery as one piece, collecting up to `limit`
    /// problems instead of stopping at the first: what `verzuim inspect` shows.
    pub fn survey(&self, text: &str, limit: usize) -> Survey {
        let layout = &self.layout;
        let separator = layout.separator_for(text.lines().next().unwrap_or(""));
        let chunk = Chunk { text, first_line: 1, first: true, last: true };
        let out = self.read_chunk(separator, chunk, &DeliveryMeta::survey(""), limit);
        let mut problems = out.problems;
        if problems.len() < limit
            && let Some(t) = &out.trailer
            && let Err(p) = parse::check_trailer(layout, t, &out.counts)
        {
            problems.push(p);
        }
        let counts = layout.records.iter().map(|r| r.code.clone()).zip(out.counts).collect();
        Survey { counts, problems, bevindingen: out.sunk.bevindingen.len() as u64 }
    }

    fn delivery<'a>(&'a self, header: &'a [Value<'a>], meta: &'a DeliveryMeta, persons: u64, records: u64) -> Delivery<'a> {
        let value = |(f, _): &(usize, ValueKind)| header[f - 1];
        let n = LEVERING_FROM_HEADER.len();
        let mut facts = [Value::Null; 6];
        for (slot, c) in facts.iter_mut().zip(&self.header_columns[..n]) {
            *slot = value(c);
        }
        Delivery {
            schema: self.levering_schema.clone(),
            meta,
            layout: &self.layout.name,
            facts,
            extras: self.header_columns[n..].iter().map(|c| (c.1, value(c))).collect(),
            persons,
            records,
        }
    }

    fn read_chunk<'a>(&self, separator: Option<u8>, chunk: Chunk<'a>, meta: &DeliveryMeta, max_problems: usize) -> ChunkOut<'a> {
        let layout = &self.layout;
        // a rough row estimate keeps the builders from regrowing
        let mut sink = Sink::new(&self.shapes, &meta.levering_id, chunk.text.len() / 80 / self.shapes.len().max(1));
        let mut header = None;
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
                    sink.finding(Bevinding::unknown_code(line, &spec.code, &f.name, &u));
                }
            }
            if rec.extra {
                sink.finding(Bevinding {
                    regel: line,
                    recordsoort: spec.code.clone(),
                    veld: None,
                    code: bevinding_code::EXTRA_VELDEN,
                    melding: format!(
                        "the record holds more than the {} fields the layout describes; the rest is not read",
                        spec.fields.len()
                    ),
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
            } else if let Some(t) = self.record_table[rec.index] {
                sink.push(t, None, self.fields[t].iter().map(|&f| values[f - 1]), line);
            }
        }
        ChunkOut { sunk: sink.finish(), counts: reader.counts.clone(), header, trailer: reader.trailer.take(), problems }
    }
}

struct ChunkOut<'a> {
    sunk: Sunk,
    counts: Vec<u64>,
    header: Option<Vec<Value<'a>>>,
    trailer: Option<TrailerSeen>,
    problems: Vec<Problem>,
}

/// A record's fields paired with canonical columns.
#[derive(Default)]
struct Matched {
    /// Field index per column: the canonical ones in canonical order, then the extras.
    fields: Vec<usize>,
    /// The record's other fields, as extra columns (in layout order).
    extras: Vec<(String, ValueKind)>,
}

fn match_columns(
    layout: &RecordLayout,
    record: usize,
    canonical: &[(&str, ValueKind)],
    reserved: &[&str],
) -> std::result::Result<Matched, (Refusal, String)> {
    let rec = &layout.records[record];
    let mut m = Matched::default();
    let mut missing = Vec::new();
    for (col, kind) in canonical {
        match rec.fields.iter().skip(1).position(|f| f.column == *col) {
            None => missing.push(format!("{col} ({kind:?})")),
            Some(i) => {
                let f = &rec.fields[i + 1];
                if f.ty.kind() != *kind {
                    return Err((
                        Refusal::WrongType,
                        format!(
                            "record {} field {} fills column {col}, which holds {kind:?} values, but is of type {:?}",
                            rec.code,
                            f.name,
                            f.ty.kind()
                        ),
                    ));
                }
                m.fields.push(i + 1);
            }
        }
    }
    if !missing.is_empty() {
        return Err((Refusal::ColumnNotGiven, format!("record {} has no field for column(s) {}", rec.code, missing.join(", "))));
    }
    for (i, f) in rec.fields.iter().enumerate().skip(1) {
        if m.fields.contains(&i) {
            continue;
        }
        if reserved.contains(&f.column.as_str()) || f.column == "levering_id" {
            return Err((
                Refusal::ReservedName,
                format!("record {} field {}: column {} is computed by verzuim", rec.code, f.name, f.column),
            ));
        }
        m.fields.push(i);
        m.extras.push((f.column.clone(), f.ty.kind()));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::iso_date;
    use arrow::datatypes::DataType;

    fn vzl1_text() -> &'static str {
        crate::layout::shipped().find(|(n, _)| *n == "vzl1").unwrap().1
    }

    fn plan(text: &str) -> Result<RecordPlan> {
        RecordPlan::new(RecordLayout::from_toml(text, "test")?)
    }

    /// Every refusal of a record plan: (the edit to VZL1, the kind refused).
    #[test]
    fn refusals() {
        let cases: &[(&str, &str, Refusal)] = &[
            ("table = \"verblijf\"", "table = \"woonadres\"", Refusal::UnknownTable),
            ("table = \"verblijf\"", "table = \"inschrijving\"", Refusal::TableFilledTwice),
            ("  { name = \"postcode\" },\n", "", Refusal::ColumnNotGiven),
            ("{ name = \"huisnummer\", type = \"integer\" }", "{ name = \"huisnummer\" }", Refusal::WrongType),
            (
                "{ name = \"pgn\", required = true, check = \"bsn-of-onderwijsnummer\" }",
                "{ name = \"pgn\", type = \"integer\" }",
                Refusal::WrongType,
            ),
            ("{ name = \"layoutversie\" }", "{ name = \"layoutversie\", column = \"sha256\" }", Refusal::ReservedName),
            ("[records.VLP]\ntable = \"levering\"", "[records.VLP]\ntable = \"persoon\"", Refusal::HeaderTable),
        ];
        for (from, to, kind) in cases {
            assert!(vzl1_text().contains(from), "{from}");
            let e = plan(&vzl1_text().replacen(from, to, 1)).unwrap_err();
            assert_eq!(e.refusal(), Some(*kind), "{from} → {to}: {e}");
        }
        assert!(plan(vzl1_text()).is_ok());
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
        let plan = plan(&t).unwrap();
        let ins = plan.shapes().iter().find(|t| t.name == "inschrijving").unwrap();
        let names: Vec<_> = ins.schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names.last(), Some(&"datum_melding"));
        assert_eq!(ins.schema.field_with_name("datum_melding").unwrap().data_type(), &DataType::Date32);

        let text = "VLP|VZL1|P|G|0687|20261010|20261012|000041\n\
                    PER|123456782|123456782||20100305|V|Jansen|de|Sanne|\n\
                    INS|123456782|0000000001|20AB|20AB00|VMBO||TL||3|20220820|||J|20261001\n\
                    OPM|123456782|vrije tekst\n\
                    SLR|1|5\n";
        let meta = DeliveryMeta::survey("x");
        let n = plan.normalise(text, &meta, &Facts::default(), usize::MAX).unwrap();
        let ins = n.tables.iter().find(|t| t.name == "inschrijving").unwrap();
        let b = &ins.batches[0];
        let melding = b.column(b.schema().index_of("datum_melding").unwrap());
        let melding = melding.as_any().downcast_ref::<arrow::array::Date32Array>().unwrap();
        assert_eq!(iso_date(melding.value(0)), "2026-10-01");
        assert_eq!(n.counts.iter().find(|(c, _)| c == "OPM").map(|(_, k)| *k), Some(1));
        // the new record is checked like any other: it must carry its block's pgn
        let bad = text.replace("OPM|123456782", "OPM|111222333");
        let p = plan.normalise(&bad, &meta, &Facts::default(), usize::MAX).unwrap_err();
        assert_eq!((p.line, p.record.as_deref(), p.field.as_deref()), (4, Some("OPM"), Some("pgn")), "{p}");
    }
}
