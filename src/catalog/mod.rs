//! The DuckDB catalog: `<lake>/verzuim.duckdb`, a database file holding
//! views over the lake, the reference tables, the rules and figures of
//! `sql/` as macros, and each person's picture with everything loaded
//! (stored, because every figure needs it).
//!
//! It is refreshed after each ingest (and by `verzuim catalog`), see
//! [`verversen`]. The views find the lake relative to the catalog file
//! (`lake_map()`, sql/000_lake_map.sql), so the file opens from any working
//! directory and a copied or moved lake opens without a rebuild.

pub mod analyse;
mod sql_parts;
mod verversen;

use std::path::{Path, PathBuf};

use duckdb::Connection;

use crate::error::{Error, Result};

pub use verversen::{RefreshKind, Refreshed, WhyFull, refresh, refresh_with};

pub const CATALOG_FILE: &str = "verzuim.duckdb";

pub fn catalog_path(lake: &Path) -> PathBuf {
    lake.join(CATALOG_FILE)
}

fn sql_error(what: &str, e: duckdb::Error) -> Error {
    Error::duckdb(what, e)
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// DuckDB's memory limit while a catalog is built. It bounds DuckDB's
/// buffers only; the process beside them (the binary, what DuckDB does not
/// count) took 130–170 MB more, so a limit of 1GB made a national build
/// peak at 1.10–1.14 GB. At 850MB it peaks at 0.96 GB in the same time
/// (21.2–21.4 s either way; the national history 192 s against 195 s):
/// the build stays within 1 GB (docs/performance.md).
const CATALOG_MEMORY: &str = "850MB";

/// Bounds DuckDB's memory on `conn` (it takes up to 80 % of RAM by default)
/// and lets it spill beyond that to `<lake>/_staging/<name>.<pid>`, which
/// it returns for [`remove_spill`] (issue 8: every job under 2 GiB at
/// national scale). VERZUIM_CATALOG_MEMORY overrides the limit (a DuckDB
/// size, e.g. "4GB").
fn bound_memory(conn: &Connection, root: &Path, name: &str) -> Result<PathBuf> {
    let limit = crate::environment::CATALOG_MEMORY.get().unwrap_or_else(|| CATALOG_MEMORY.to_string());
    if !limit.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return Err(Error::Usage(format!("{} {limit:?}: a size such as 1GB", crate::environment::CATALOG_MEMORY.name)));
    }
    let staging = root.join(crate::lake::STAGING_DIR);
    // a build that failed or was killed left its spill folder — since issue
    // 28 with a scratch copy of deliveries' rows in it: gone once its process is
    for stale in left_by_dead_processes(&staging, &format!("{name}."))? {
        remove_spill(&stale)?;
    }
    let spill = staging.join(format!("{name}.{}", std::process::id()));
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
    for stale in left_by_dead_processes(dir, &format!("{file_name}.tmp-"))? {
        remove_if_present(&stale)?;
    }
    Ok(())
}

/// The entries of `dir` named `<prefix><pid>` (a `.wal` after it allowed)
/// whose process is gone; none when `dir` does not exist.
fn left_by_dead_processes(dir: &Path, prefix: &str) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else { continue };
        let pid = rest.trim_end_matches(".wal").parse::<u32>().unwrap_or(0);
        if !crate::files::process_alive(pid) {
            out.push(entry.path());
        }
    }
    Ok(out)
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
    /// Comma-separated with a header row (RFC 4180): for programs.
    Csv,
    /// `;`-separated with a header row and a UTF-8 BOM, as the reports'
    /// CSV: what Dutch Excel opens with columns and accents intact (the
    /// nightly figures).
    CsvExcel,
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

/// A catalog opened for reading: `lake` is a lake (its catalog is built
/// first when missing) or any catalog file verzuim wrote, such as the
/// analyst catalog.
pub fn open_read_only(lake: &Path) -> Result<Connection> {
    if lake.is_file() {
        return open_catalog_read_only(lake);
    }
    let root = crate::lake::existing(lake)?;
    let path = catalog_path(&root);
    if !path.exists() {
        refresh(&root)?;
    }
    open_catalog_read_only(&path)
}

fn open_catalog_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).map_err(|e| sql_error("config", e))?,
    )
    .map_err(|e| sql_error("opening the catalog", e))?;
    // Nothing may be downloaded at run time: a query needing an extension
    // that is not compiled in fails with DuckDB's message instead.
    conn.execute_batch("set autoinstall_known_extensions = false; set autoload_known_extensions = false;")
        .map_err(|e| sql_error("settings", e))?;
    // the catalog lives in the lake's root, wherever that is now
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let lake = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    point_at_lake(&conn, &lake)?;
    Ok(conn)
}

/// The oldest DuckDB whose clients must open what verzuim writes: 1.4, the
/// long-term-support release, which most analysts' CLI, Python, R and
/// DBeaver still run (docs/analysts.md). DuckDB writes a new file in the
/// storage format of this version; the SQL of `sql/` is kept to what it
/// parses (tests/all/clients.rs runs every figure in 1.4, 1.5 and 2.0).
pub const STORAGE_COMPATIBILITY: &str = "v1.4.0";

/// Opens (creating) a DuckDB database file that analysts will open: in the
/// storage format of [`STORAGE_COMPATIBILITY`].
fn create_catalog(path: &Path) -> Result<Connection> {
    let config =
        duckdb::Config::default().with("storage_compatibility_version", STORAGE_COMPATIBILITY).map_err(|e| sql_error("config", e))?;
    Connection::open_with_flags(path, config).map_err(|e| sql_error("opening the catalog", e))
}

/// Tells the lake views where the lake is (`lake_map()`,
/// sql/000_lake_map.sql): verzuim knows, so it never relies on DuckDB's
/// temporary directory being beside the catalog.
fn point_at_lake(conn: &Connection, lake: &Path) -> Result<()> {
    conn.execute_batch(&format!("set variable verzuim_lake = {};", quote(&lake.display().to_string())))
        .map_err(|e| sql_error("verzuim_lake", e))
}

/// Runs one query against the catalog (built first when missing). Written
/// to `out`, or returned as text for standard output (parquet needs a file).
pub fn query(lake_dir: &Path, sql: &str, format: OutputFormat, out: Option<&Path>) -> Result<Option<String>> {
    let conn = open_read_only(lake_dir)?;
    let sql = sql.trim().trim_end_matches(';');
    let arrow_text = |render: fn(&[arrow::record_batch::RecordBatch]) -> Result<String>| -> Result<Option<String>> {
        let mut stmt = conn.prepare(sql).map_err(query_error)?;
        let result = stmt.query_arrow([]).map_err(query_error)?;
        let schema = result.get_schema();
        let mut batches: Vec<_> = result.collect();
        if batches.is_empty() {
            // so that an empty answer still shows its columns
            batches.push(arrow::record_batch::RecordBatch::new_empty(schema));
        }
        let text = render(&batches)?;
        match out {
            Some(p) => {
                std::io::Write::write_all(&mut crate::files::private_file(p)?, text.as_bytes()).map_err(|e| Error::io(p, e))?;
                Ok(None)
            }
            None => Ok(Some(text)),
        }
    };
    match format {
        OutputFormat::Table => arrow_text(|b| {
            let t = arrow::util::pretty::pretty_format_batches(b).map_err(|e| Error::arrow("formatting the answer", e))?;
            Ok(format!("{t}\n"))
        }),
        // JSON lines, one object per row (DuckDB's json extension is not compiled in).
        OutputFormat::Json => arrow_text(|b| {
            let mut w = arrow::json::LineDelimitedWriter::new(Vec::new());
            w.write_batches(&b.iter().collect::<Vec<_>>()).map_err(|e| Error::arrow("writing JSON", e))?;
            w.finish().map_err(|e| Error::arrow("writing JSON", e))?;
            // arrow's JSON writer writes UTF-8 only
            Ok(String::from_utf8_lossy(&w.into_inner()).into_owned())
        }),
        OutputFormat::Csv | OutputFormat::CsvExcel | OutputFormat::Parquet => {
            let (fmt, opts) = match format {
                OutputFormat::Csv => ("csv", ", header true"),
                OutputFormat::CsvExcel => ("csv", ", header true, delimiter ';'"),
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
            // Answers name persons: the file is made owner-only first and
            // DuckDB writes into it (not into a temporary file of its own
            // that it would rename over it, with the umask's mode).
            drop(crate::files::private_file(&dest)?);
            let copied = conn
                .execute_batch(&format!("copy ({sql}) to {} (format {fmt}{opts}, use_tmp_file false);", quote(&dest.display().to_string())))
                .map_err(query_error);
            let copied = match format {
                OutputFormat::CsvExcel => copied.and_then(|()| prepend_bom(&dest)),
                _ => copied,
            };
            if out.is_some() {
                if copied.is_err() {
                    let _ = std::fs::remove_file(&dest);
                }
                return copied.map(|()| None);
            }
            let text = copied.and_then(|()| std::fs::read_to_string(&tmp).map_err(|e| Error::io(&tmp, e)));
            let _ = std::fs::remove_file(&tmp);
            text.map(Some)
        }
    }
}

/// Puts a UTF-8 byte order mark before what DuckDB wrote (DuckDB's CSV
/// writer has no option for it), keeping the file owner-only.
fn prepend_bom(path: &Path) -> Result<()> {
    let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut f = crate::files::private_file(path)?;
    std::io::Write::write_all(&mut f, &[&b"\xEF\xBB\xBF"[..], &text].concat()).map_err(|e| Error::io(path, e))
}

/// The deliveries the catalog was built from, each with its
/// leveringsvolgnummer (for `verzuim status`). None when there is no
/// catalog yet or it cannot be read now (a run holds it for writing).
pub fn delivery_numbers(lake_root: &Path) -> Option<std::collections::HashMap<String, Option<i64>>> {
    let path = catalog_path(lake_root);
    if !path.exists() {
        return None;
    }
    let conn = open_catalog_read_only(&path).ok()?;
    let mut stmt = conn.prepare("select levering_id, cast(leveringsvolgnummer as bigint) from levering_volgorde").ok()?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))).ok()?;
    rows.collect::<std::result::Result<_, _>>().ok()
}

/// The last peildatum of the lake's deliveries (None before the first):
/// the day the nightly figures and the report are computed for.
pub fn last_peildatum(lake: &Path) -> Result<Option<chrono::NaiveDate>> {
    last_peildatum_in(&open_read_only(lake)?)
}

/// [`last_peildatum`] on a catalog already open.
pub fn last_peildatum_in(conn: &Connection) -> Result<Option<chrono::NaiveDate>> {
    let days: Option<i32> = conn
        .query_row("select cast(max(peildatum) - date '1970-01-01' as integer) from levering_volgorde", [], |r| r.get(0))
        .map_err(|e| sql_error("levering_volgorde", e))?;
    Ok(days.and_then(crate::layout::date_from_days))
}

/// The numbers of gemeente `gemeentecode`'s latest BRP extract that no
/// delivery shows (`brp_vergelijking`, categorie NIET_BIJ_DUO): what an
/// A-request asks DUO about. With the extract's date; None when the
/// gemeente has no extract.
pub fn niet_bij_duo(lake: &Path, gemeentecode: &str) -> Result<Option<(chrono::NaiveDate, Vec<String>)>> {
    let conn = open_read_only(lake)?;
    let days: Option<i32> = conn
        .query_row(
            "select cast(max(peildatum) - date '1970-01-01' as integer) from brp_extract where gemeentecode = ? and geldig_tot is null",
            [gemeentecode],
            |r| r.get(0),
        )
        .map_err(|e| sql_error("brp_extract", e))?;
    let Some(e) = days.and_then(crate::layout::date_from_days) else { return Ok(None) };
    let sql = format!(
        "select bsn from brp_vergelijking(date '{e}') where gemeentecode = {} and categorie = 'NIET_BIJ_DUO' order by bsn",
        quote(gemeentecode)
    );
    Ok(Some((e, strings(&conn, &sql, "brp_vergelijking")?)))
}

/// DuckDB's message for a failed query, except where its advice cannot work
/// here: a function that needs time zones (current_date, now() as a date)
/// makes DuckDB suggest `INSTALL icu`, but verzuim's DuckDB is built without
/// ICU and downloads nothing at run time.
fn query_error(e: duckdb::Error) -> Error {
    let message = e.to_string();
    if message.contains("INSTALL icu") || message.contains("\"icu\"") {
        let first = message.lines().next().unwrap_or_default();
        let today = chrono::Local::now().date_naive().format("%Y-%m-%d");
        return Error::Query(format!(
            "{first}\nverzuim's DuckDB has no time zones (the ICU extension is not built in, and nothing is downloaded at run time): \
             write the date itself, e.g. date '{today}' (in the DuckDB CLI, Python or DBeaver current_date works)"
        ));
    }
    Error::Query(message)
}

#[cfg(test)]
mod tests {
    use crate::embedded::{SQL_BIJWERKEN, SQL_FILES};

    /// `NNN_name.sql` → `name`.
    fn object(file: &str) -> &str {
        file.trim_end_matches(".sql").split_once('_').map_or(file, |(_, name)| name)
    }

    /// The SQL without its `--` comments, lower case.
    fn code(sql: &str) -> String {
        sql.lines().map(|l| l.split_once("--").map_or(l, |(code, _)| code)).collect::<Vec<_>>().join("\n").to_lowercase()
    }

    /// Whether `code` calls `name` (a macro: `name(`) or reads it (a table
    /// or view: `from name`, `join name`); a column of the same name
    /// (`t.vrijstellingen`) is not a use.
    fn uses(code: &str, name: &str) -> bool {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
        code.match_indices(name).any(|(i, _)| {
            let (before, after) = (&code[..i], &code[i + name.len()..]);
            if before.chars().next_back().is_some_and(word) || after.chars().next().is_some_and(word) {
                return false;
            }
            let called = after.trim_start().starts_with('(');
            let read = ["from", "join"].iter().any(|k| before.trim_end().ends_with(k));
            called || read
        })
    }

    /// sql/ is applied in file-name order, so each file may use only what
    /// earlier files made; each number is used once; each file makes the
    /// object its name says (as do the namesakes in sql/bijwerken/).
    #[test]
    fn each_sql_file_makes_its_namesake_and_uses_only_earlier_files() {
        let mut numbers = std::collections::HashSet::new();
        for (i, (file, sql)) in SQL_FILES.iter().enumerate() {
            let number = &file[..3];
            assert!(numbers.insert(number), "two files are numbered {number}");
            let name = object(file);
            let code = code(sql);
            assert!(
                ["macro", "view", "table"].iter().any(|kind| code.contains(&format!("create or replace {kind} {name}"))),
                "sql/{file} does not create {name}"
            );
            for (later, _) in &SQL_FILES[i + 1..] {
                assert!(!uses(&code, object(later)), "sql/{file} uses {}, made later by sql/{later}", object(later));
            }
        }
        for (file, sql) in SQL_BIJWERKEN {
            assert!(SQL_FILES.iter().any(|(f, _)| f == file), "sql/bijwerken/{file} has no namesake in sql/");
            let name = object(file);
            // it replaces the rows of what its namesake stores (`herberekening`, `beeld_persoon_alles`)
            assert!(code(sql).contains(name), "sql/bijwerken/{file} does not update {name}");
        }
    }
}
