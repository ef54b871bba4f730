//! `verzuim reference load`: DUO's public reference files into the lake.
//!
//! Basisgegevens instellingen (ORGANISATIES, RELATIES, OVERGANGEN), DUO's
//! address files (old and new layout) and Basisgegevens opleidingen are
//! recognised by their header, read through a layout file each
//! (`pipelines/reference/`), and stored as
//! `<lake>/referentie/<table>/<bron_id>.parquet`, once per file content.
//! An address file also yields the gemeente → Doorstroompunt-regio table it
//! implies, compared with the one in force; the user can adopt it from a
//! date on.

mod layout;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

pub use layout::RefLayout;

use crate::error::{Error, Problem, Result};
use crate::input::{self, Input, read_text};
use crate::lake::Lake;
use crate::layout::iso_date;
use crate::normalise::builder::ColumnBuilder;
use crate::parse::HeaderCsv;

/// The reference tables and the columns the catalog relies on in each.
pub const TABLES: &[(&str, &[&str])] = &[
    ("instelling", &["instellingscode", "naam", "code_stand_record"]),
    ("instelling_relatie", &["instellingscode_leid", "instellingscode_volg"]),
    ("instelling_overgang", &["instellingscode_van", "instellingscode_naar", "datum_overgang"]),
    ("vestiging", &["instellingscode", "naam", "gemeentecode", "gemeentenaam", "regiocode", "regionaam"]),
    ("opleiding", &["opleidingscode", "naam"]),
];

/// Adopted versions of the gemeente → regio table live here in the lake.
pub const REGIO_TABLE: &str = "regio_indeling";

/// The gemeente → Doorstroompunt-regio table the project ships (DUO open
/// data, 2026), embedded like every shipped file (`build.rs`).
fn shipped_regio_csv() -> &'static str {
    crate::embedded::REFERENCE_TABLES
        .iter()
        .find(|(name, _)| *name == "regio-indeling-2026.csv")
        .map(|(_, text)| *text)
        .expect("reference/regio-indeling-2026.csv is embedded")
}

/// One gemeente's regio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regio {
    pub gemeentenaam: String,
    pub regiocode: String,
    pub regionaam: String,
}

/// gemeentecode → regio
pub type RegioIndeling = BTreeMap<String, Regio>;

/// The shipped table (342 gemeenten, 40 regio's), read by its header names
/// with the same CSV reader as every reference file. It is the binary's own
/// data, checked whole by a test, so a bad row is a build defect, not input.
pub fn shipped_regio() -> RegioIndeling {
    #[derive(serde::Deserialize)]
    struct Rij {
        gemeentecode: String,
        gemeentenaam: String,
        regiocode: String,
        regionaam: String,
    }
    csv::Reader::from_reader(shipped_regio_csv().as_bytes())
        .deserialize::<Rij>()
        .map(|r| {
            let r = r.expect("reference/regio-indeling-2026.csv is a valid table (test shipped_regio_reads_every_row)");
            (r.gemeentecode, Regio { gemeentenaam: r.gemeentenaam, regiocode: r.regiocode, regionaam: r.regionaam })
        })
        .collect()
}

/// The gemeente → regio table in force now: the latest adopted version in
/// the lake, else the shipped one.
pub fn regio_in_force(lake: &Lake) -> Result<RegioIndeling> {
    let mut latest: Option<(i32, RegioIndeling)> = None;
    for path in lake.reference_files(REGIO_TABLE)? {
        let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.build())
            .map_err(|e| Error::lake(&path, e.to_string()))?;
        let mut indeling = RegioIndeling::new();
        let mut vanaf = i32::MIN;
        for batch in reader {
            let batch = batch.map_err(|e| Error::lake(&path, e.to_string()))?;
            let text = |n: &str| batch.column_by_name(n).and_then(|c| c.as_any().downcast_ref::<StringArray>().cloned());
            let date = batch.column_by_name("geldig_vanaf").and_then(|c| c.as_any().downcast_ref::<arrow::array::Date32Array>().cloned());
            let (Some(code), Some(naam), Some(rc), Some(rn), Some(d)) =
                (text("gemeentecode"), text("gemeentenaam"), text("regiocode"), text("regionaam"), date)
            else {
                return Err(Error::lake(&path, "not a regio_indeling file"));
            };
            for i in 0..batch.num_rows() {
                vanaf = d.value(i);
                indeling.insert(
                    code.value(i).to_string(),
                    Regio {
                        gemeentenaam: naam.value(i).to_string(),
                        regiocode: rc.value(i).to_string(),
                        regionaam: rn.value(i).to_string(),
                    },
                );
            }
        }
        if latest.as_ref().is_none_or(|(v, _)| vanaf > *v) {
            latest = Some((vanaf, indeling));
        }
    }
    Ok(latest.map(|(_, i)| i).unwrap_or_else(shipped_regio))
}

/// The derived table of an address file and how it differs from the one in force.
#[derive(Debug, Clone)]
pub struct RegioComparison {
    pub derived: RegioIndeling,
    /// One line per difference, e.g. `0202 ARNHEM: regio 14 … → 41 Arnhem`.
    pub differences: Vec<String>,
    /// Gemeenten of the table in force without a school in the file: an
    /// address file of one sector need not list every gemeente, so this is
    /// no evidence of change.
    pub absent: usize,
    /// The table in force with the file's gemeenten put in: what adopting it gives.
    pub adopted: RegioIndeling,
    /// Gemeenten the file puts in more than one regio (the first is kept).
    pub conflicts: Vec<String>,
}

pub fn compare_regio(current: &RegioIndeling, derived: RegioIndeling, conflicts: Vec<String>) -> RegioComparison {
    let mut differences = Vec::new();
    for (code, new) in &derived {
        match current.get(code) {
            None => differences.push(format!("{code} {}: new, in regio {} {}", new.gemeentenaam, new.regiocode, new.regionaam)),
            Some(old) if old.regiocode != new.regiocode => differences.push(format!(
                "{code} {}: regio {} {} → {} {}",
                new.gemeentenaam, old.regiocode, old.regionaam, new.regiocode, new.regionaam
            )),
            Some(_) => {}
        }
    }
    let absent = current.keys().filter(|c| !derived.contains_key(*c)).count();
    let mut adopted = current.clone();
    adopted.extend(derived.iter().map(|(c, r)| (c.clone(), r.clone())));
    RegioComparison { derived, differences, absent, adopted, conflicts }
}

/// The gemeente → regio table a `vestiging` batch implies.
pub fn derive_regio(batch: &RecordBatch) -> (RegioIndeling, Vec<String>) {
    let col = |n: &str| batch.column_by_name(n).and_then(|c| c.as_any().downcast_ref::<StringArray>().cloned());
    let (Some(code), Some(naam), Some(rc), Some(rn)) = (col("gemeentecode"), col("gemeentenaam"), col("regiocode"), col("regionaam"))
    else {
        return (BTreeMap::new(), Vec::new());
    };
    let mut out: RegioIndeling = BTreeMap::new();
    let mut conflicts = Vec::new();
    for i in 0..batch.num_rows() {
        if code.is_null(i) || rc.is_null(i) {
            continue;
        }
        let r = Regio {
            gemeentenaam: naam.value(i).to_string(),
            regiocode: rc.value(i).to_string(),
            regionaam: if rn.is_null(i) { String::new() } else { rn.value(i).to_string() },
        };
        match out.get(code.value(i)) {
            None => {
                out.insert(code.value(i).to_string(), r);
            }
            Some(prev) if prev.regiocode != r.regiocode => {
                let c = format!("{} {}: in regio {} and {}", code.value(i), r.gemeentenaam, prev.regiocode, r.regiocode);
                if !conflicts.contains(&c) {
                    conflicts.push(c);
                }
            }
            Some(_) => {}
        }
    }
    (out, conflicts)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefStatus {
    Loaded,
    AlreadyPresent,
    Rejected(String),
}

#[derive(Debug, Clone)]
pub struct RefReport {
    pub name: String,
    pub status: RefStatus,
    pub layout: Option<String>,
    pub table: Option<String>,
    pub rows: usize,
    pub regio: Option<RegioComparison>,
    /// The regio table was adopted from this date (ISO).
    pub adopted_from: Option<String>,
}

pub struct RefLoader {
    lake: Lake,
    layouts: Vec<RefLayout>,
}

impl RefLoader {
    pub fn new(lake_dir: &std::path::Path, layouts: Vec<RefLayout>) -> Result<RefLoader> {
        for l in &layouts {
            let Some((_, required)) = TABLES.iter().find(|(t, _)| *t == l.table) else {
                let names: Vec<_> = TABLES.iter().map(|(t, _)| *t).collect();
                return Err(Error::layout(&l.name, format!("table {:?} is not one of {}", l.table, names.join(", "))));
            };
            let missing: Vec<_> = required.iter().filter(|r| !l.columns.iter().any(|c| c.name == **r)).collect();
            if !missing.is_empty() && (l.table != "vestiging" || !missing.iter().all(|m| **m == "vestigingscode")) {
                return Err(Error::layout(&l.name, format!("table {} needs column(s) {:?}", l.table, missing)));
            }
        }
        Ok(RefLoader { lake: Lake::open(lake_dir)?, layouts })
    }

    /// Loads the files; `adopt_regio_from` (days since 1970) adopts the regio
    /// table derived from the (single) address file from that date on.
    pub fn load(&self, paths: &[std::path::PathBuf], adopt_regio_from: Option<i32>) -> Result<Vec<RefReport>> {
        let (inputs, _skipped) = input::discover(paths, &["csv", "zip"])?;
        let current = regio_in_force(&self.lake)?;
        let mut reports = Vec::new();
        for inp in &inputs {
            reports.push(self.one(inp, &current));
        }
        if let Some(from) = adopt_regio_from {
            let with_regio: Vec<&mut RefReport> = reports.iter_mut().filter(|r| r.regio.is_some()).collect();
            if with_regio.len() != 1 {
                return Err(Error::Usage(format!("adopting a regio table needs exactly one address file, got {}", with_regio.len())));
            }
            let r = with_regio.into_iter().next().expect("one");
            let adopted = &r.regio.as_ref().expect("filtered").adopted;
            self.lake.put_reference(REGIO_TABLE, &format!("vanaf-{}", iso_date(from)), &regio_batch(adopted, from))?;
            r.adopted_from = Some(iso_date(from));
        }
        Ok(reports)
    }

    fn one(&self, inp: &Input, current: &RegioIndeling) -> RefReport {
        let mut report =
            RefReport { name: inp.name(), status: RefStatus::Loaded, layout: None, table: None, rows: 0, regio: None, adopted_from: None };
        let result = (|| -> std::result::Result<(), String> {
            let bytes = inp.read().map_err(|e| e.to_string())?;
            let bron_id = input::content_id(&input::sha256_hex(&bytes));
            let (text, _) = read_text(&bytes)?;
            let layout = self.recognise(&text)?;
            report.layout = Some(layout.name.clone());
            report.table = Some(layout.table.clone());
            let batch = read_table(layout, &text, &bron_id, &inp.file_name()).map_err(|p| p.to_string())?;
            report.rows = batch.num_rows();
            if layout.table == "vestiging" {
                let (derived, conflicts) = derive_regio(&batch);
                report.regio = Some(compare_regio(current, derived, conflicts));
            }
            if !self.lake.put_reference(&layout.table, &bron_id, &batch).map_err(|e| e.to_string())? {
                report.status = RefStatus::AlreadyPresent;
            }
            Ok(())
        })();
        if let Err(why) = result {
            report.status = RefStatus::Rejected(why);
        }
        report
    }

    fn recognise(&self, text: &str) -> std::result::Result<&RefLayout, String> {
        let first = text.lines().next().unwrap_or("");
        // (layout, headers found its way, headers it misses)
        let mut closest: Option<(&RefLayout, Vec<String>, Vec<&str>)> = None;
        for l in &self.layouts {
            let found = l.dialect.header(first).1;
            let missing = l.missing(&found);
            if missing.is_empty() {
                return Ok(l);
            }
            let matched = l.columns.len() - missing.len();
            if closest.as_ref().is_none_or(|(c, _, m)| matched > c.columns.len() - m.len()) {
                closest = Some((l, found, missing));
            }
        }
        let Some((l, found, missing)) = closest else { return Err("no reference layout to try".into()) };
        let others: Vec<&str> = self.layouts.iter().filter(|o| o.name != l.name).map(|o| o.name.as_str()).collect();
        Err(format!(
            "the header matches no reference layout. Columns found: {}. Closest layout {} expects {}, and misses {}. Also tried: {}",
            found.join(", "),
            l.name,
            l.columns.iter().filter(|c| !c.optional).map(|c| c.header.as_str()).collect::<Vec<_>>().join(", "),
            missing.join(", "),
            others.join(", ")
        ))
    }
}

/// Reads the rows of a reference file into one batch: `bron_id`, `bestand`,
/// then the layout's columns, each cell through its column's value rules
/// (the same as a header-CSV delivery's). A blank cell (or one holding only
/// spaces) is NULL.
pub fn read_table(layout: &RefLayout, text: &str, bron_id: &str, bestand: &str) -> std::result::Result<RecordBatch, Problem> {
    let mut file = HeaderCsv::open(&layout.dialect, &layout.columns, text)?;
    let mut builders: Vec<ColumnBuilder> = layout.columns.iter().map(|c| ColumnBuilder::new(c.rule.kind, 1024)).collect();
    let mut scratches = vec![String::new(); layout.columns.len()];
    let mut rows = 0usize;
    while let Some(line) = file.next_row()? {
        let values = file
            .values(&layout.columns, &mut scratches, &[], |_, _| {})
            .map_err(|c| Problem::column(line, &layout.columns[c.column].header, c.message))?;
        for (b, v) in builders.iter_mut().zip(values) {
            b.append(v);
        }
        rows += 1;
    }
    let mut fields = vec![Field::new("bron_id", DataType::Utf8, false), Field::new("bestand", DataType::Utf8, false)];
    fields.extend(layout.columns.iter().map(|c| Field::new(&c.name, crate::normalise::builder::data_type(c.rule.kind), true)));
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(std::iter::repeat_n(bron_id, rows))),
        Arc::new(StringArray::from_iter_values(std::iter::repeat_n(bestand, rows))),
    ];
    cols.extend(builders.iter_mut().map(ColumnBuilder::finish));
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).map_err(|e| Problem::file(e.to_string()))
}

/// An adopted regio table: gemeentecode, gemeentenaam, regiocode, regionaam, geldig_vanaf.
pub fn regio_batch(indeling: &RegioIndeling, geldig_vanaf: i32) -> RecordBatch {
    let n = indeling.len();
    let text =
        |f: for<'a> fn((&'a String, &'a Regio)) -> &'a str| -> ArrayRef { Arc::new(StringArray::from_iter_values(indeling.iter().map(f))) };
    let cols: Vec<ArrayRef> = vec![
        text(|(c, _)| c),
        text(|(_, r)| &r.gemeentenaam),
        text(|(_, r)| &r.regiocode),
        text(|(_, r)| &r.regionaam),
        Arc::new(arrow::array::Date32Array::from(vec![geldig_vanaf; n])),
    ];
    let schema = Schema::new(vec![
        Field::new("gemeentecode", DataType::Utf8, false),
        Field::new("gemeentenaam", DataType::Utf8, false),
        Field::new("regiocode", DataType::Utf8, false),
        Field::new("regionaam", DataType::Utf8, false),
        Field::new("geldig_vanaf", DataType::Date32, false),
    ]);
    RecordBatch::try_new(Arc::new(schema), cols).expect("columns follow the schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the shipped table is read: none dropped, none doubled.
    #[test]
    fn shipped_regio_reads_every_row() {
        let rows = shipped_regio_csv().lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        let table = shipped_regio();
        assert_eq!(table.len(), rows);
        assert_eq!(table.len(), 342);
        assert_eq!(table.values().map(|r| &r.regiocode).collect::<std::collections::BTreeSet<_>>().len(), 40);
        assert_eq!(table["0687"].regiocode, "32");
    }
}
