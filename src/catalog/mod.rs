//! The DuckDB catalog: `<lake>/verzuim.duckdb`, a database file holding no
//! data of its own but views over the lake, the reference tables and the
//! rules and figures of `sql/` as macros.
//!
//! It is rebuilt whole after each ingest (and by `verzuim catalog`): into a
//! temporary file, then renamed over the old one, so that an analyst who has
//! the catalog open keeps a consistent one and a crash leaves the old one.
//! The views name the lake by its absolute path, so the file opens from any
//! working directory; a moved lake needs `verzuim catalog --lake NEW`.

use std::path::{Path, PathBuf};

use arrow::datatypes::{DataType, SchemaRef};
use duckdb::Connection;

use crate::error::{Error, Result};
use crate::lake::{Lake, DELIVERIES_DIR};
use crate::layout::Layout;
use crate::normalise::canonical::{BEVINDING, LEVERING};
use crate::normalise::{bevinding_schema, Plan};

include!(concat!(env!("OUT_DIR"), "/sql_files.rs"));

pub const CATALOG_FILE: &str = "verzuim.duckdb";

/// The gemeente → Doorstroompunt-regio table the project ships (DUO open data, 2026).
const REGIO_INDELING_CSV: &str = include_str!("../../reference/regio-indeling-2026.csv");

pub fn catalog_path(lake: &Path) -> PathBuf {
    lake.join(CATALOG_FILE)
}

/// Rebuilds the catalog of the lake at `lake_dir` and returns its path.
pub fn refresh(lake_dir: &Path) -> Result<PathBuf> {
    let lake = Lake::open(lake_dir)?;
    let root = lake.root().canonicalize().map_err(|e| Error::io(lake.root(), e))?;
    let has_deliveries = !lake.committed()?.is_empty();
    let target = catalog_path(&root);
    let tmp = root.join(format!("{CATALOG_FILE}.tmp-{}", std::process::id()));
    remove_db(&tmp)?;
    let built = build(&tmp, &root, has_deliveries);
    if let Err(e) = built {
        let _ = remove_db(&tmp);
        return Err(e);
    }
    // A write-ahead log left beside the old catalog would be replayed onto the new one.
    remove_if_present(&PathBuf::from(format!("{}.wal", target.display())))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    Ok(target)
}

fn remove_db(path: &Path) -> Result<()> {
    remove_if_present(path)?;
    remove_if_present(&PathBuf::from(format!("{}.wal", path.display())))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn sql_error(what: &str, e: duckdb::Error) -> Error {
    Error::Sql(format!("{what}: {e}"))
}

fn build(path: &Path, lake_root: &Path, has_deliveries: bool) -> Result<()> {
    let conn = Connection::open(path).map_err(|e| sql_error("opening the catalog", e))?;
    for (table, schema) in lake_tables() {
        let sql = if has_deliveries {
            let glob = lake_root.join(DELIVERIES_DIR).join(format!("*/*/*/*/{table}.parquet"));
            format!(
                "create or replace view {table} as select * from read_parquet({}, hive_partitioning = true, union_by_name = true);",
                quote(&glob.display().to_string())
            )
        } else {
            empty_view(table, &schema)
        };
        conn.execute_batch(&sql).map_err(|e| sql_error(&format!("view {table}"), e))?;
    }
    conn.execute_batch(&regio_indeling_sql()).map_err(|e| sql_error("table regio_indeling", e))?;
    for (name, sql) in SQL_FILES {
        conn.execute_batch(sql).map_err(|e| sql_error(&format!("sql/{name}"), e))?;
    }
    conn.execute_batch("checkpoint;").map_err(|e| sql_error("checkpoint", e))?;
    drop(conn);
    std::fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e))
}

/// Every lake table with its canonical schema (as the shipped layout writes it).
fn lake_tables() -> Vec<(&'static str, SchemaRef)> {
    let plan = Plan::new(&Layout::builtin("vzl1").expect("shipped")).expect("the shipped layout has a plan");
    let mut out = vec![(LEVERING, plan.levering_schema())];
    out.extend(plan.tables.iter().map(|t| (t.name, t.schema.clone())));
    out.push((BEVINDING, bevinding_schema()));
    out
}

/// A view with the table's columns (and the partition columns) and no rows,
/// so that the catalog and its macros exist before the first delivery.
fn empty_view(table: &str, schema: &SchemaRef) -> String {
    let mut cols: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| format!("cast(null as {}) as {}", duckdb_type(f.data_type()), f.name()))
        .collect();
    for (name, ty) in [("soort", "varchar"), ("afnemer", "varchar"), ("peildatum", "date")] {
        if schema.field_with_name(name).is_err() {
            cols.push(format!("cast(null as {ty}) as {name}"));
        }
    }
    format!("create or replace view {table} as select {} where false;", cols.join(", "))
}

fn duckdb_type(t: &DataType) -> &'static str {
    match t {
        DataType::Utf8 => "varchar",
        DataType::Date32 => "date",
        DataType::Int32 => "integer",
        DataType::Int64 => "bigint",
        DataType::Boolean => "boolean",
        DataType::Timestamp(_, Some(_)) => "timestamptz",
        _ => "varchar",
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn regio_indeling_sql() -> String {
    let mut rows = Vec::new();
    for line in REGIO_INDELING_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        if let [gemeentecode, gemeentenaam, _provincie, regiocode, regionaam] = f[..] {
            rows.push(format!(
                "({}, {}, {}, {}, null, null)",
                quote(gemeentecode),
                quote(gemeentenaam),
                quote(regiocode),
                quote(regionaam)
            ));
        }
    }
    format!(
        "create or replace table regio_indeling (gemeentecode varchar, gemeentenaam varchar, regiocode varchar, \
         regionaam varchar, geldig_vanaf date, geldig_tot date);\ninsert into regio_indeling values {};",
        rows.join(",\n")
    )
}

/// Output formats of `verzuim sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
    Parquet,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "table" => Ok(OutputFormat::Table),
            "csv" => Ok(OutputFormat::Csv),
            "json" => Ok(OutputFormat::Json),
            "parquet" => Ok(OutputFormat::Parquet),
            other => Err(format!("{other:?} is not one of table, csv, json, parquet")),
        }
    }
}

/// Runs one query against the catalog (built first when missing). Written
/// to `out`, or returned as text for standard output (parquet needs a file).
pub fn query(lake_dir: &Path, sql: &str, format: OutputFormat, out: Option<&Path>) -> Result<Option<String>> {
    let path = catalog_path(lake_dir);
    if !path.exists() {
        refresh(lake_dir)?;
    }
    let conn = Connection::open_with_flags(&path, duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).map_err(|e| sql_error("config", e))?)
        .map_err(|e| sql_error("opening the catalog", e))?;
    // Nothing may be downloaded at run time: a query needing an extension
    // that is not compiled in fails with DuckDB's message instead.
    conn.execute_batch("set autoinstall_known_extensions = false; set autoload_known_extensions = false;")
        .map_err(|e| sql_error("settings", e))?;
    let sql = sql.trim().trim_end_matches(';');
    let arrow_text = |render: fn(&[arrow::record_batch::RecordBatch]) -> Result<String>| -> Result<Option<String>> {
        let mut stmt = conn.prepare(sql).map_err(|e| Error::Sql(e.to_string()))?;
        let result = stmt.query_arrow([]).map_err(|e| Error::Sql(e.to_string()))?;
        let schema = result.get_schema();
        let mut batches: Vec<_> = result.collect();
        if batches.is_empty() {
            // so that an empty answer still shows its columns
            batches.push(arrow::record_batch::RecordBatch::new_empty(schema));
        }
        let text = render(&batches)?;
        match out {
            Some(p) => {
                std::fs::write(p, text).map_err(|e| Error::io(p, e))?;
                Ok(None)
            }
            None => Ok(Some(text)),
        }
    };
    match format {
        OutputFormat::Table => arrow_text(|b| {
            let t = arrow::util::pretty::pretty_format_batches(b).map_err(|e| Error::Sql(e.to_string()))?;
            Ok(format!("{t}\n"))
        }),
        // JSON lines, one object per row (DuckDB's json extension is not compiled in).
        OutputFormat::Json => arrow_text(|b| {
            let mut w = arrow::json::LineDelimitedWriter::new(Vec::new());
            w.write_batches(&b.iter().collect::<Vec<_>>()).map_err(|e| Error::Sql(e.to_string()))?;
            w.finish().map_err(|e| Error::Sql(e.to_string()))?;
            String::from_utf8(w.into_inner()).map_err(|e| Error::Sql(e.to_string()))
        }),
        OutputFormat::Csv | OutputFormat::Parquet => {
            let (fmt, opts) = match format {
                OutputFormat::Csv => ("csv", ", header true"),
                _ => ("parquet", ", compression zstd"),
            };
            if out.is_none() && format == OutputFormat::Parquet {
                return Err(Error::Usage("--format parquet needs --out FILE".into()));
            }
            // DuckDB opens its target with truncation: given /dev/stdout it
            // would wipe a redirected output file. Standard output therefore
            // gets a temporary file's content.
            let tmp = std::env::temp_dir().join(format!("verzuim-sql-{}.{fmt}", std::process::id()));
            let dest = out.map(Path::to_path_buf).unwrap_or_else(|| tmp.clone());
            let copied = conn
                .execute_batch(&format!("copy ({sql}) to {} (format {fmt}{opts});", quote(&dest.display().to_string())))
                .map_err(|e| Error::Sql(e.to_string()));
            if out.is_some() {
                return copied.map(|()| None);
            }
            let text = copied.and_then(|()| std::fs::read_to_string(&tmp).map_err(|e| Error::io(&tmp, e)));
            let _ = std::fs::remove_file(&tmp);
            text.map(Some)
        }
    }
}
