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

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use duckdb::Connection;

use crate::error::{Error, Result};
use crate::lake::{Lake, DELIVERIES_DIR, REFERENCE_DIR, RUNS_DIR};
use crate::layout::Layout;
use crate::normalise::canonical::{BEVINDING, LEVERING};
use crate::normalise::builder::data_type;
use crate::normalise::{bevinding_schema, Plan};
use crate::reference::{self, RefLayout, REGIO_TABLE};


pub const CATALOG_FILE: &str = "verzuim.duckdb";

pub fn catalog_path(lake: &Path) -> PathBuf {
    lake.join(CATALOG_FILE)
}

/// DuckDB's memory limit while the catalog is rebuilt.
const CATALOG_MEMORY: &str = "1GB";

/// Rebuilds the catalog of the lake at `lake_dir` and returns its path.
pub fn refresh(lake_dir: &Path) -> Result<PathBuf> {
    let root = lake_dir.canonicalize().or_else(|_| {
        std::fs::create_dir_all(lake_dir)?;
        lake_dir.canonicalize()
    });
    let root = root.map_err(|e| Error::io(lake_dir, e))?;
    // the views name the lake by its absolute path
    let lake = Lake::open(&root)?;
    let has_deliveries = !lake.committed()?.is_empty();
    let target = catalog_path(&root);
    remove_stale_temporaries(&root)?;
    let tmp = root.join(format!("{CATALOG_FILE}.tmp-{}", std::process::id()));
    remove_db(&tmp)?;
    let built = build(&tmp, &lake, has_deliveries);
    if let Err(e) = built {
        let _ = remove_db(&tmp);
        return Err(e);
    }
    // the catalog holds pgns (the stored pictures): owner only, like the lake
    crate::lake::set_mode(&tmp, 0o600)?;
    crate::failpoint::pause("catalogus");
    // A write-ahead log left beside the old catalog would be replayed onto the new one.
    remove_if_present(&PathBuf::from(format!("{}.wal", target.display())))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    Ok(target)
}

/// Temporary catalogs of refreshes that were killed (their process is gone).
fn remove_stale_temporaries(root: &Path) -> Result<()> {
    let prefix = format!("{CATALOG_FILE}.tmp-");
    for entry in std::fs::read_dir(root).map_err(|e| Error::io(root, e))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else { continue };
        let pid = rest.trim_end_matches(".wal").parse::<u32>().unwrap_or(0);
        if !crate::lake::process_alive(pid) {
            remove_if_present(&entry.path())?;
        }
    }
    Ok(())
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

fn build(path: &Path, lake: &Lake, has_deliveries: bool) -> Result<()> {
    let conn = Connection::open(path).map_err(|e| sql_error("opening the catalog", e))?;
    let root = lake.root();
    // DuckDB takes up to 80 % of RAM by default; the rebuild spills to disk
    // beyond this instead (issue 8: the job under 2 GiB at national scale).
    // VERZUIM_CATALOGUS_GEHEUGEN overrides it (a DuckDB size, e.g. "4GB").
    let limit = std::env::var("VERZUIM_CATALOGUS_GEHEUGEN").unwrap_or_else(|_| CATALOG_MEMORY.to_string());
    if !limit.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return Err(Error::Usage(format!("VERZUIM_CATALOGUS_GEHEUGEN {limit:?}: a size such as 1GB")));
    }
    let spill = root.join(crate::lake::STAGING_DIR).join(format!("catalogus.{}", std::process::id()));
    conn.execute_batch(&format!("set memory_limit = '{limit}'; set temp_directory = {};", quote(&spill.display().to_string())))
        .map_err(|e| sql_error("memory settings", e))?;
    let deliveries: Vec<PathBuf> = lake.committed()?.into_values().collect();
    for (table, schema) in lake_tables() {
        // the delivery findings; the `bevinding` view (sql/) adds those found by SQL
        let view = if table == BEVINDING { "bevinding_levering" } else { table };
        let sql = if has_deliveries {
            let glob = root.join(DELIVERIES_DIR).join(format!("*/*/*/*/{table}.parquet"));
            parquet_view(view, &glob.display().to_string(), schemas_differ(&deliveries, table)?)
        } else {
            empty_view(view, &schema, &[("soort", "varchar"), ("afnemer", "varchar"), ("peildatum", "date")])
        };
        conn.execute_batch(&sql).map_err(|e| sql_error(&format!("view {view}"), e))?;
    }
    for (table, schema) in reference_tables() {
        let view = if table == REGIO_TABLE { "regio_indeling_aangenomen" } else { table };
        let sql = if lake.reference_files(table)?.is_empty() {
            empty_view(view, &schema, &[])
        } else {
            // the typed empty select first, so that a column no loaded file
            // has (vestigingscode of a 2016 address file) is still there
            let glob = root.join(REFERENCE_DIR).join(table).join("*.parquet");
            format!(
                "create or replace view {view} as {} union all by name select * from read_parquet({}, union_by_name = true);",
                empty_select(&schema, &[]),
                quote(&glob.display().to_string())
            )
        };
        conn.execute_batch(&sql).map_err(|e| sql_error(&format!("view {view}"), e))?;
    }
    let runs = if lake.files_in(Path::new(RUNS_DIR))?.is_empty() {
        "create or replace view run_log as select cast(null as varchar) as start, cast(null as varchar) as \"end\", \
         cast(null as bigint) as files, cast(null as bigint) as ingested, cast(null as bigint) as already_present, \
         cast(null as bigint) as rejected, cast(null as bigint) as persons, cast(null as bigint) as records, \
         cast(null as varchar) as json where false;"
            .to_string()
    } else {
        format!(
            "create or replace view run_log as select * from read_parquet({}, union_by_name = true);",
            quote(&root.join(RUNS_DIR).join("*.parquet").display().to_string())
        )
    };
    conn.execute_batch(&runs).map_err(|e| sql_error("view run_log", e))?;
    conn.execute_batch(&regio_geleverd_sql()).map_err(|e| sql_error("table regio_indeling_geleverd", e))?;
    for (name, sql) in crate::embedded::SQL_FILES {
        conn.execute_batch(sql).map_err(|e| sql_error(&format!("sql/{name}"), e))?;
    }
    conn.execute_batch("checkpoint;").map_err(|e| sql_error("checkpoint", e))?;
    drop(conn);
    if spill.exists() {
        std::fs::remove_dir_all(&spill).map_err(|e| Error::io(&spill, e))?;
    }
    std::fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e))
}

/// `union_by_name` makes DuckDB read the footer of every file each time a
/// query binds the view — several times per figure, a second per query on a
/// year of weekly deliveries. It is needed only when a layout with extra
/// fields wrote some of the files, which is checked here once per refresh.
fn parquet_view(view: &str, glob: &str, union_by_name: bool) -> String {
    format!(
        "create or replace view {view} as select * from read_parquet({}, hive_partitioning = true, union_by_name = {union_by_name});",
        quote(glob)
    )
}

/// Whether the deliveries' files of `table` differ in columns.
fn schemas_differ(deliveries: &[PathBuf], table: &str) -> Result<bool> {
    let mut first: Option<SchemaRef> = None;
    for dir in deliveries {
        let path = dir.join(format!("{table}.parquet"));
        let Ok(file) = std::fs::File::open(&path) else { continue };
        let schema = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| Error::lake(&path, format!("unreadable Parquet footer: {e}")))?
            .schema()
            .clone();
        match &first {
            None => first = Some(schema),
            Some(f) if f.fields() != schema.fields() => return Ok(true),
            Some(_) => {}
        }
    }
    Ok(false)
}

/// Every reference table with the schema its first shipped layout writes,
/// and the adopted regio versions.
fn reference_tables() -> Vec<(&'static str, SchemaRef)> {
    let layouts = RefLayout::all_builtin();
    let mut out: Vec<(&'static str, SchemaRef)> = reference::TABLES
        .iter()
        .map(|(table, _)| {
            let layout = layouts.iter().find(|l| l.table == *table).expect("a shipped layout per reference table");
            let mut fields = vec![Field::new("bron_id", DataType::Utf8, false), Field::new("bestand", DataType::Utf8, false)];
            fields.extend(layout.columns.iter().map(|c| Field::new(&c.name, data_type(c.kind), true)));
            if *table == "vestiging" && !fields.iter().any(|f| f.name() == "vestigingscode") {
                fields.push(Field::new("vestigingscode", DataType::Utf8, true));
            }
            (*table, Arc::new(Schema::new(fields)))
        })
        .collect();
    let empty = reference::regio_batch(&Default::default(), 0);
    out.push((REGIO_TABLE, empty.schema()));
    out
}

/// Every lake table with its canonical schema (as the shipped layout writes it).
fn lake_tables() -> Vec<(&'static str, SchemaRef)> {
    let plan = Plan::new(&Layout::builtin("vzl1").expect("shipped")).expect("the shipped layout has a plan");
    let mut out = vec![(LEVERING, plan.levering_schema())];
    out.extend(plan.tables.iter().map(|t| (t.name, t.schema.clone())));
    out.push((BEVINDING, bevinding_schema()));
    out
}

/// A view with the table's columns (and `extra` ones, such as the partition
/// columns) and no rows, so that the catalog and its macros exist before the
/// first file.
fn empty_view(table: &str, schema: &SchemaRef, extra: &[(&str, &str)]) -> String {
    format!("create or replace view {table} as {};", empty_select(schema, extra))
}

fn empty_select(schema: &SchemaRef, extra: &[(&str, &str)]) -> String {
    let mut cols: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| format!("cast(null as {}) as {}", duckdb_type(f.data_type()), f.name()))
        .collect();
    for (name, ty) in extra {
        if schema.field_with_name(name).is_err() {
            cols.push(format!("cast(null as {ty}) as {name}"));
        }
    }
    format!("select {} where false", cols.join(", "))
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

/// The shipped gemeente → regio table, as a table of the catalog; sql/
/// combines it with adopted versions into `regio_indeling`.
fn regio_geleverd_sql() -> String {
    let rows: Vec<String> = reference::shipped_regio()
        .iter()
        .map(|(code, r)| format!("({}, {}, {}, {})", quote(code), quote(&r.gemeentenaam), quote(&r.regiocode), quote(&r.regionaam)))
        .collect();
    format!(
        "create or replace table regio_indeling_geleverd (gemeentecode varchar, gemeentenaam varchar, regiocode varchar, regionaam varchar);\n\
         insert into regio_indeling_geleverd values {};",
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

/// The catalog of the lake opened for reading (built first when missing).
pub fn open_read_only(lake_dir: &Path) -> Result<Connection> {
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
    Ok(conn)
}

/// Runs one query against the catalog (built first when missing). Written
/// to `out`, or returned as text for standard output (parquet needs a file).
pub fn query(lake_dir: &Path, sql: &str, format: OutputFormat, out: Option<&Path>) -> Result<Option<String>> {
    let conn = open_read_only(lake_dir)?;
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

