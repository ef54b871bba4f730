//! The DuckDB catalog: `<lake>/verzuim.duckdb`, a database file holding
//! views over the lake, the reference tables, the rules and figures of
//! `sql/` as macros, and each person's picture with everything loaded
//! (stored, because every figure needs it).
//!
//! It is refreshed after each ingest (and by `verzuim catalog`), see
//! [`verversen`]. The views name the lake by its absolute path, so the file
//! opens from any working directory; a moved lake needs `verzuim catalog
//! --lake NEW --volledig`.

pub mod analyse;
mod verversen;

use std::path::{Path, PathBuf};

use duckdb::Connection;

use crate::error::{Error, Result};

pub use verversen::{refresh, refresh_with, RefreshKind, Refreshed};

pub const CATALOG_FILE: &str = "verzuim.duckdb";

pub fn catalog_path(lake: &Path) -> PathBuf {
    lake.join(CATALOG_FILE)
}

fn sql_error(what: &str, e: duckdb::Error) -> Error {
    Error::Sql(format!("{what}: {e}"))
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// DuckDB's memory limit while a catalog is built.
const CATALOG_MEMORY: &str = "1GB";

/// Bounds DuckDB's memory on `conn` (it takes up to 80 % of RAM by default)
/// and lets it spill beyond that to `<lake>/_staging/<name>.<pid>`, which
/// it returns for [`remove_spill`] (issue 8: every job under 2 GiB at
/// national scale). VERZUIM_CATALOGUS_GEHEUGEN overrides the limit (a DuckDB
/// size, e.g. "4GB").
fn bound_memory(conn: &Connection, root: &Path, name: &str) -> Result<PathBuf> {
    let limit = std::env::var("VERZUIM_CATALOGUS_GEHEUGEN").unwrap_or_else(|_| CATALOG_MEMORY.to_string());
    if !limit.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return Err(Error::Usage(format!("VERZUIM_CATALOGUS_GEHEUGEN {limit:?}: a size such as 1GB")));
    }
    let spill = root.join(crate::lake::STAGING_DIR).join(format!("{name}.{}", std::process::id()));
    conn.execute_batch(&format!("set memory_limit = '{limit}'; set temp_directory = {};", quote(&spill.display().to_string())))
        .map_err(|e| sql_error("memory settings", e))?;
    Ok(spill)
}

fn remove_spill(spill: &Path) -> Result<()> {
    if spill.exists() {
        std::fs::remove_dir_all(spill).map_err(|e| Error::io(spill, e))?;
    }
    Ok(())
}

/// The first column of a query's rows, as text.
fn strings(conn: &Connection, sql: &str, what: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql).map_err(|e| sql_error(what, e))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| sql_error(what, e))?;
    rows.collect::<std::result::Result<_, _>>().map_err(|e| sql_error(what, e))
}

/// Temporary files `<file_name>.tmp-<pid>` (and their `.wal`) in `dir` left
/// by a build that was killed (its process is gone).
fn remove_stale_temporaries(dir: &Path, file_name: &str) -> Result<()> {
    let prefix = format!("{file_name}.tmp-");
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else { continue };
        let pid = rest.trim_end_matches(".wal").parse::<u32>().unwrap_or(0);
        if !crate::lake::process_alive(pid) {
            remove_if_present(&entry.path())?;
        }
    }
    Ok(())
}

/// A DuckDB database file and its write-ahead log.
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
    open_catalog_read_only(&path)
}

fn open_catalog_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).map_err(|e| sql_error("config", e))?)
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

