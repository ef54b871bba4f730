//! Refreshing the catalog after the lake changed: a full rebuild, or an
//! incremental one when deliveries were added or purged.
//!
//! The catalog stores, besides its views and macros, every picture each
//! person has had (`beeld_alles`/`beeld_eerder`, `beeld_<tabel>_alles`/
//! `_eerder`, `tijdlijn_alles`/`_eerder`): building them from the whole lake
//! takes half a minute at national scale. An added delivery changes the
//! pictures of its own persons only, so when the last refresh's record
//! (`catalogus_bouw`) shows the same SQL and lake views and a subset of
//! today's deliveries, the refresh recomputes just those persons, with the
//! files of `sql/bijwerken/` in place of their namesakes in `sql/`: each
//! calls the same macro as the full build, on the persons' stored pictures
//! and the added deliveries' files (`nieuw_<tabel>`) — never the whole lake.
//! A purge (issue 28) is the same walk the other way: the persons who had a
//! picture from a removed delivery (`verwijderd`) are recomputed from their
//! stored pictures without it, and a person left with none leaves the
//! catalog; its cost grows with what was removed, not with the lake.
//! Changed SQL of the figures only (crate::catalog::sql_parts) is made
//! again in the catalog as it stands, with the same incremental refresh.
//! Anything else — changed SQL the stored tables are made by, a layout with
//! other columns, a catalog someone holds open for writing — gets a full
//! rebuild.
//!
//! An incremental refresh updates the catalog file in place, in one
//! transaction, when nobody has it open; otherwise — and for a full
//! rebuild — the new catalog is written to a temporary file and renamed over
//! the old one, so that an analyst who has the catalog open keeps a
//! consistent one. A crash leaves the old catalog either way.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use sha2::{Digest, Sha256};

use super::sql_parts;
use super::{
    CATALOG_FILE, bound_memory, catalog_path, quote, remove_db, remove_if_present, remove_spill, remove_stale_temporaries, sql_error,
    strings,
};
use crate::error::{Error, Result};
use crate::lake::{BRP_DIR, DELIVERIES_DIR, LISTS_DIR, Lake, RAPPORTAGES_DIR, REFERENCE_DIR, RUNS_DIR};
use crate::normalise::builder::data_type;
use crate::normalise::canonical::{BEVINDING, lake_schemas};
use crate::reference::{self, REGIO_TABLE, RefLayout};

/// The lake table whose rows say which persons a delivery holds.
const PERSOON: &str = "persoon";

/// Raised when Rust code changes what the catalog holds; changed SQL is
/// seen by its hash. A different value forces a full rebuild.
const CATALOG_FORMAT: u32 = 4;

/// Beyond this share of the catalog's persons in the added deliveries (a
/// first C-levering of a new afnemer, say) a full rebuild is as quick as
/// replacing their rows.
const INCREMENTAL_MAX_SHARE: f64 = 0.25;

/// How a refresh brought the catalog up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshKind {
    /// Built from the whole lake.
    Full,
    /// The previous catalog with the pictures of the added deliveries'
    /// persons recomputed.
    Incremental,
}

/// Why a refresh rebuilt the catalog from the whole lake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyFull {
    /// `verzuim catalog --full`.
    AskedFor,
    NoCatalog,
    /// The catalog has a write-ahead log: someone wrote to it.
    WrittenTo,
    /// The catalog is held open for writing.
    HeldOpen,
    NoBuildRecord,
    /// The SQL the stored tables are made by, the lake's columns or the
    /// catalog format changed (the fingerprint).
    Changed,
    /// The catalog holds no deliveries: nothing to add to.
    Empty,
    /// The added deliveries hold more than a quarter of all persons.
    ManyPersons,
    /// The incremental refresh failed.
    IncrementFailed,
}

impl std::fmt::Display for WhyFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WhyFull::AskedFor => "asked for",
            WhyFull::NoCatalog => "no catalog yet",
            WhyFull::WrittenTo => "the catalog has a write-ahead log: someone wrote to it",
            WhyFull::HeldOpen => "the catalog is held open for writing",
            WhyFull::NoBuildRecord => "the catalog has no build record",
            WhyFull::Changed => "the SQL of the stored pictures, the lake's columns or the catalog format changed",
            WhyFull::Empty => "the catalog holds no deliveries",
            WhyFull::ManyPersons => "the new deliveries hold more than a quarter of all persons",
            WhyFull::IncrementFailed => "the incremental refresh failed",
        })
    }
}

/// What a refresh did (counts only: it is logged).
#[derive(Debug, Clone)]
pub struct Refreshed {
    pub path: PathBuf,
    pub kind: RefreshKind,
    /// Deliveries new since the previous refresh (all of them for a full one).
    pub added_deliveries: usize,
    /// Deliveries purged since the previous refresh that an incremental one took out.
    pub removed_deliveries: usize,
    /// Persons whose picture an incremental refresh recomputed.
    pub recomputed_persons: u64,
    /// Why a refresh was full.
    pub why_full: Option<WhyFull>,
    /// An incremental refresh updated the catalog file itself (else a copy,
    /// renamed over it: someone had the catalog open).
    pub in_place: bool,
    /// An incremental refresh made the figures' SQL again: it had changed.
    pub rules_remade: bool,
}

impl Refreshed {
    /// Whether the figures may differ from the last refresh's for a reason
    /// other than the lake: their SQL was made again, or the catalog was
    /// rebuilt because what it is made by changed (an upgrade of verzuim).
    pub fn figures_changed(&self) -> bool {
        self.rules_remade || self.why_full == Some(WhyFull::Changed)
    }
}

impl std::fmt::Display for Refreshed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            RefreshKind::Full => {
                write!(f, "rebuilt from {} deliveries", self.added_deliveries)?;
                match self.why_full {
                    Some(why) => write!(f, " ({why})"),
                    None => Ok(()),
                }
            }
            RefreshKind::Incremental => {
                let how = if self.in_place { "in place" } else { "as a copy: the catalog was open" };
                write!(f, "updated ({how}): {} new deliveries", self.added_deliveries)?;
                if self.removed_deliveries > 0 {
                    write!(f, ", {} purged deliveries taken out", self.removed_deliveries)?;
                }
                write!(f, ", {} persons recomputed", self.recomputed_persons)?;
                match self.rules_remade {
                    true => f.write_str(", the figures' changed SQL made again"),
                    false => Ok(()),
                }
            }
        }
    }
}

/// Brings the catalog of the lake at `lake_dir` up to date and returns its
/// path: incrementally when it can, else rebuilt whole.
pub fn refresh(lake_dir: &Path) -> Result<PathBuf> {
    refresh_with(lake_dir, false).map(|r| r.path)
}

/// As [`refresh`]; `full` rebuilds whatever the record says (`verzuim
/// catalog --full`, the operator's way out if the catalog is in doubt).
pub fn refresh_with(lake_dir: &Path, full: bool) -> Result<Refreshed> {
    let root = crate::lake::existing(lake_dir)?;
    let lake = Lake::open(&root)?;
    // Taken before anything is read: a delivery committed while this refresh
    // runs is then "added" for the next one, which recomputes its persons
    // again (harmless) rather than never.
    let committed = timed("the lake's deliveries listed", || lake.committed())?;
    let target = catalog_path(&root);
    remove_stale_temporaries(&root, CATALOG_FILE)?;
    let tmp = root.join(format!("{CATALOG_FILE}.tmp-{}", std::process::id()));
    remove_db(&tmp)?;
    let previous = match full {
        true => Err(WhyFull::AskedFor),
        false => Previous::read(&target)?,
    };
    // Which lake tables' files differ in columns: from the added deliveries'
    // files alone when the previous build saw all the others.
    let differing = match &previous {
        Ok(p) => p.differing_after(&committed)?,
        Err(_) => timed("columns of every delivery's files compared", || differing_tables(committed.values()))?,
    };
    let lake_views = lake_views(&committed, &differing);
    let fingerprint = Fingerprint::of(&lake_views);
    let (increment, why_full) = match previous {
        Ok(p) => match p.increment(&target, &tmp, &fingerprint, &committed)? {
            Ok(inc) => (Some(inc), None),
            Err(why) => (None, Some(why)),
        },
        Err(why) => (None, Some(why)),
    };
    let mut refreshed = Refreshed {
        path: target.clone(),
        kind: if increment.is_some() { RefreshKind::Incremental } else { RefreshKind::Full },
        added_deliveries: increment.as_ref().map_or(committed.len(), |i| i.added.len()),
        removed_deliveries: increment.as_ref().map_or(0, |i| i.removed.len()),
        recomputed_persons: 0,
        why_full,
        in_place: false,
        rules_remade: increment.as_ref().is_some_and(|i| i.rules_changed.is_some()),
    };
    refreshed.in_place = increment.as_ref().is_some_and(|i| i.in_place.is_some());
    let path = if refreshed.in_place { &target } else { &tmp };
    let built = match build(path, &lake, &lake_views, &differing, &fingerprint, &committed, increment) {
        // An incremental refresh that fails (a DuckDB quirk, a full disk
        // that has room again) must not stop the night: the full rebuild
        // needs nothing from the old catalog (which an update in place has
        // left as it was: its transaction was not committed).
        Err(e) if refreshed.kind == RefreshKind::Incremental => {
            tracing::warn!(error = %e, "incremental catalog refresh failed; rebuilding from the whole lake");
            remove_db(&tmp)?;
            refreshed.kind = RefreshKind::Full;
            refreshed.added_deliveries = committed.len();
            refreshed.removed_deliveries = 0;
            refreshed.why_full = Some(WhyFull::IncrementFailed);
            refreshed.in_place = false;
            refreshed.rules_remade = false;
            build(&tmp, &lake, &lake_views, &differing, &fingerprint, &committed, None)
        }
        other => other,
    };
    let recomputed_persons = match built {
        Ok(n) => n,
        Err(e) => {
            let _ = remove_db(&tmp);
            return Err(e);
        }
    };
    // a full build, or an update of a copy: renamed over the old catalog
    if !refreshed.in_place {
        // the catalog holds pgns (the stored pictures): owner only, like the lake
        crate::files::set_mode(&tmp, 0o600)?;
        crate::failpoint::pause("catalogus");
        // A write-ahead log left beside the old catalog would be replayed onto the new one.
        remove_if_present(&PathBuf::from(format!("{}.wal", target.display())))?;
        std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    }
    Ok(Refreshed { recomputed_persons, ..refreshed })
}

/// The deliveries an incremental refresh adds to the catalog, and the ones
/// it takes out (purged from the lake since the last refresh).
struct Increment {
    added: Vec<PathBuf>,
    removed: Vec<String>,
    /// The catalog itself, opened for writing, to be updated in one
    /// transaction. None: nobody could take it for writing (an analyst has
    /// it open), and a copy at the temporary path is updated and renamed
    /// over it instead — the analyst keeps a consistent catalog either way.
    in_place: Option<duckdb::Connection>,
    /// The figures' SQL changed: the names its files made in the catalog,
    /// so that those the new SQL no longer makes are dropped.
    rules_changed: Option<Vec<String>>,
}

/// The record of the catalog's last build (`catalogus_bouw`), read through
/// a read-only connection: while it is open no process can start writing
/// to the catalog.
struct Previous {
    conn: duckdb::Connection,
    fingerprint: String,
    /// The fingerprint of the figures' SQL, and the macros and views it made.
    rules: String,
    rule_names: Vec<String>,
    persons: i64,
    known: HashSet<String>,
    /// The lake tables whose files differed in columns (`union_by_name`).
    differing: BTreeSet<String>,
}

impl Previous {
    /// The existing catalog's record, or why there is none to build on.
    fn read(target: &Path) -> Result<std::result::Result<Previous, WhyFull>> {
        if !target.exists() {
            return Ok(Err(WhyFull::NoCatalog));
        }
        // A write-ahead log means someone wrote to the catalog and it was not
        // checkpointed: the file alone is not the catalog.
        if Path::new(&format!("{}.wal", target.display())).exists() {
            return Ok(Err(WhyFull::WrittenTo));
        }
        // Opening read-only fails while a process holds the catalog for writing.
        let Ok(conn) = super::open_catalog_read_only(target) else { return Ok(Err(WhyFull::HeldOpen)) };
        let record = conn.query_row("select kenmerk, (select count(*) from beeld_alles) from catalogus_bouw", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        });
        let Ok((fingerprint, persons)) = record else { return Ok(Err(WhyFull::NoBuildRecord)) };
        let Ok(differing) = strings(&conn, "select unnest(verschillende_kolommen) from catalogus_bouw", "catalogus_bouw") else {
            return Ok(Err(WhyFull::NoBuildRecord));
        };
        let known = strings(&conn, "select unnest(leveringen) from catalogus_bouw", "catalogus_bouw")?.into_iter().collect();
        // absent from a catalog of an earlier format, which is rebuilt for that
        let rules = strings(&conn, "select regels_kenmerk from catalogus_bouw", "catalogus_bouw").unwrap_or_default().concat();
        let rule_names = strings(&conn, "select unnest(regels) from catalogus_bouw", "catalogus_bouw").unwrap_or_default();
        Ok(Ok(Previous { conn, fingerprint, rules, rule_names, persons, known, differing: differing.into_iter().collect() }))
    }

    /// [`differing_tables`] of all committed deliveries, knowing that of the
    /// ones this catalog was built from: a table whose files differed still
    /// does; another differs when an added delivery's file differs from a
    /// known delivery's. Reads the footers of the added deliveries only.
    fn differing_after(&self, committed: &HashMap<String, PathBuf>) -> Result<BTreeSet<String>> {
        let added = self.added(committed);
        let Some(reference) = self.known.iter().filter(|id| committed.contains_key(*id)).min().and_then(|id| committed.get(id)) else {
            return differing_tables(committed.values());
        };
        let mut out = self.differing.clone();
        out.extend(differing_tables(std::iter::once(reference).chain(added))?);
        Ok(out)
    }

    /// The committed deliveries this catalog was not built from, in order.
    fn added<'a>(&self, committed: &'a HashMap<String, PathBuf>) -> Vec<&'a PathBuf> {
        let mut added: Vec<&PathBuf> = committed.iter().filter(|(id, _)| !self.known.contains(*id)).map(|(_, dir)| dir).collect();
        added.sort();
        added
    }

    /// Whether the catalog can be brought up to date incrementally; if so,
    /// opened for writing (or, when someone has it open, copied to `tmp`).
    /// Otherwise: why it is rebuilt whole.
    fn increment(
        self,
        target: &Path,
        tmp: &Path,
        fingerprint: &Fingerprint,
        committed: &HashMap<String, PathBuf>,
    ) -> Result<std::result::Result<Increment, WhyFull>> {
        if self.fingerprint != fingerprint.storage {
            return Ok(Err(WhyFull::Changed));
        }
        let rules_changed = (self.rules != fingerprint.rules).then(|| self.rule_names.clone());
        if self.known.is_empty() {
            return Ok(Err(WhyFull::Empty));
        }
        let added: Vec<PathBuf> = self.added(committed).into_iter().cloned().collect();
        let mut rows = 0u64;
        for dir in &added {
            rows += parquet_rows(&dir.join(format!("{PERSOON}.parquet")))?;
        }
        // purged deliveries: their persons are taken out incrementally
        // however many they are — even the purge of an old C-levering
        // (nine in ten persons recomputed) took 1.55 s against 6.38 s for a
        // rebuild on the 52-week history lake (docs/performance.md)
        let mut removed: Vec<String> = self.known.iter().filter(|id| !committed.contains_key(*id)).cloned().collect();
        removed.sort();
        if rows as f64 > INCREMENTAL_MAX_SHARE * self.persons as f64 {
            return Ok(Err(WhyFull::ManyPersons));
        }
        // In place when nobody has the catalog open (copying it each night
        // costs a second per half gigabyte); else a copy, as a full build.
        drop(self.conn);
        if let Ok(conn) = super::create_catalog(target) {
            return Ok(Ok(Increment { added, removed, in_place: Some(conn), rules_changed }));
        }
        std::fs::copy(target, tmp).map_err(|e| Error::io(tmp, e))?;
        Ok(Ok(Increment { added, removed, in_place: None, rules_changed }))
    }
}

/// Rows in a Parquet file by its footer (0 when the file is absent: a
/// delivery without persons).
fn parquet_rows(path: &Path) -> Result<u64> {
    Ok(footer(path)?.map_or(0, |f| f.file_metadata().num_rows().max(0) as u64))
}

/// What the catalog's content follows from besides the deliveries, in two
/// parts (crate::catalog::sql_parts).
struct Fingerprint {
    /// What the stored tables follow from: the catalog format, the SQL
    /// they are made by (with sql/000–004 and sql/bijwerken/), the lake
    /// views (their columns and union_by_name). A change rebuilds.
    storage: String,
    /// The other files of sql/: the figures. A change makes them again.
    rules: String,
    /// The macros and views those files make.
    rule_names: Vec<String>,
}

impl Fingerprint {
    fn of(lake_views: &[(String, String)]) -> Fingerprint {
        let (mut storage, mut rules) = (Sha256::new(), Sha256::new());
        storage.update(format!("format {CATALOG_FORMAT} verzuim {}\n", env!("CARGO_PKG_VERSION")));
        let mut rule_names = Vec::new();
        for (i, (name, text)) in crate::embedded::SQL_FILES.iter().enumerate() {
            let h = match is_rule_file(i) {
                true => {
                    let made = sql_parts::made_by(text).into_iter().filter(|m| !m.temporary && m.kind != sql_parts::Kind::Table);
                    rule_names.extend(made.map(|m| m.name));
                    &mut rules
                }
                false => &mut storage,
            };
            h.update(format!("sql/{name}\n{}\n", text.len()));
            h.update(text.as_bytes());
        }
        for (name, text) in crate::embedded::SQL_BIJWERKEN {
            storage.update(format!("sql/bijwerken/{name}\n{}\n", text.len()));
            storage.update(text.as_bytes());
        }
        for (view, sql) in lake_views {
            storage.update(format!("{view}\n{sql}\n"));
        }
        Fingerprint { storage: crate::input::hex(&storage.finalize()), rules: crate::input::hex(&rules.finalize()), rule_names }
    }
}

/// Whether file `i` of sql/ only makes rules (the figures) on top of the
/// stored tables: neither a building block (sql/000–004, made by every
/// refresh) nor part of what the stored tables are made by.
fn is_rule_file(i: usize) -> bool {
    static PARTS: std::sync::OnceLock<sql_parts::Parts> = std::sync::OnceLock::new();
    let parts = PARTS.get_or_init(|| sql_parts::Parts::of(crate::embedded::SQL_FILES, crate::embedded::SQL_BIJWERKEN));
    crate::embedded::SQL_FILES[i].0 >= FIRST_RULE && !parts.is_storage(i)
}

/// The first file of sql/ after the building blocks (sql/000–004).
const FIRST_RULE: &str = "005";

/// The views over the lake's delivery tables, as (view, SQL).
fn lake_views(committed: &HashMap<String, PathBuf>, differing: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (table, schema) in lake_schemas() {
        let view = view_of(table);
        let sql = if committed.is_empty() {
            empty_view(view, &schema, HIVE_COLUMNS)
        } else {
            let files = in_lake(&format!("{DELIVERIES_DIR}/*/*/*/*/{table}.parquet"));
            format!("create or replace view {view} as {};", read_deliveries(&files, differing.contains(table)))
        };
        out.push((view.to_string(), sql));
    }
    out
}

/// The catalog's name for a lake table: the delivery findings are
/// `bevinding_levering`, for the `bevinding` view (sql/) adds those found by SQL.
fn view_of(table: &str) -> &str {
    if table == BEVINDING { "bevinding_levering" } else { table }
}

/// The partition columns a lake view adds to a table's own, with their types.
const HIVE_COLUMNS: &[(&str, &str)] = &[("soort", "varchar"), ("afnemer", "varchar"), ("peildatum", "date")];

/// The select that reads a lake table's files (`files`, a SQL expression: a
/// glob or a list), typed alike whichever files it gets: the lake views
/// and the incremental refresh's views of the added deliveries read the same
/// columns. `union_by_name` makes DuckDB read the footer of every file each
/// time a query binds the view; it is needed only when a layout with extra
/// fields wrote some of the files ([`differing_tables`]).
fn read_deliveries(files: &str, union_by_name: bool) -> String {
    let hive_types: Vec<String> = HIVE_COLUMNS.iter().map(|(column, ty)| format!("'{column}': {ty}")).collect();
    format!(
        "select * from read_parquet({files}, hive_partitioning = true, hive_types = {{{}}}, union_by_name = {union_by_name})",
        hive_types.join(", ")
    )
}

/// The lake tables whose files in `deliveries` differ in columns.
///
/// A delivery's `levering.parquet` records the columns of its other files
/// (crate::lake::COLUMNS_KEY): one footer per delivery, read on every core
/// — ten years of weekly deliveries are 233,000 files, whose footers took
/// 12.4 s read one after another. A delivery from before that record has
/// each of its files' footers read.
fn differing_tables<'a>(deliveries: impl IntoIterator<Item = &'a PathBuf>) -> Result<BTreeSet<String>> {
    use rayon::prelude::*;
    let deliveries: Vec<&PathBuf> = deliveries.into_iter().collect();
    let columns = deliveries.par_iter().map(|dir| delivery_columns(dir)).collect::<Result<Vec<HashMap<String, String>>>>()?;
    let tables: HashSet<&str> = lake_schemas().into_iter().map(|(table, _)| table).collect();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut out = BTreeSet::new();
    for delivery in &columns {
        for (table, digest) in delivery.iter().filter(|(table, _)| tables.contains(table.as_str())) {
            if *seen.entry(table.as_str()).or_insert(digest.as_str()) != digest.as_str() {
                out.insert(table.clone());
            }
        }
    }
    Ok(out)
}

/// Per lake table a delivery has a file of, the digest of its columns
/// (crate::lake::columns_digest).
fn delivery_columns(dir: &Path) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    let levering = dir.join(format!("{}.parquet", crate::normalise::canonical::LEVERING));
    let Some(footer) = footer(&levering)? else { return files_columns(dir) };
    let recorded = footer.file_metadata().key_value_metadata().into_iter().flatten().find(|kv| kv.key == crate::lake::COLUMNS_KEY);
    let Some(recorded) = recorded.and_then(|kv| kv.value.as_deref()) else { return files_columns(dir) };
    for entry in recorded.split(';').filter(|e| !e.is_empty()) {
        let (table, digest) =
            entry.split_once('=').ok_or_else(|| Error::lake(&levering, format!("{} unreadable", crate::lake::COLUMNS_KEY)))?;
        out.insert(table.to_string(), digest.to_string());
    }
    out.insert(crate::normalise::canonical::LEVERING.to_string(), crate::lake::columns_digest(footer.file_metadata().schema_descr()));
    Ok(out)
}

/// [`delivery_columns`] from each of its files' footers.
fn files_columns(dir: &Path) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (table, _) in lake_schemas() {
        if let Some(footer) = footer(&dir.join(format!("{table}.parquet")))? {
            out.insert(table.to_string(), crate::lake::columns_digest(footer.file_metadata().schema_descr()));
        }
    }
    Ok(out)
}

/// The footer of the Parquet file at `path` (None when it is absent).
fn footer(path: &Path) -> Result<Option<parquet::file::metadata::ParquetMetaData>> {
    let Ok(file) = std::fs::File::open(path) else { return Ok(None) };
    let metadata = parquet::file::metadata::ParquetMetaDataReader::new()
        .parse_and_finish(&file)
        .map_err(|e| Error::lake(path, format!("unreadable Parquet footer: {e}")))?;
    Ok(Some(metadata))
}

/// Writes the catalog at `path`: from nothing, or — given an increment — by
/// updating the previous one, in place in one transaction or as the copy
/// at `path`. Returns the persons recomputed (0 for a full build).
// Long: one transaction's steps in order; split, every piece would take the connection and the increment.
fn build(
    path: &Path,
    lake: &Lake,
    lake_views: &[(String, String)],
    differing: &BTreeSet<String>,
    fingerprint: &Fingerprint,
    committed: &HashMap<String, PathBuf>,
    mut increment: Option<Increment>,
) -> Result<u64> {
    let in_place = increment.as_mut().and_then(|i| i.in_place.take());
    let updating_in_place = in_place.is_some();
    let conn = match in_place {
        Some(conn) => conn,
        None => super::create_catalog(path)?,
    };
    let root = lake.root();
    let spill = bound_memory(&conn, root, "catalogus")?;
    super::point_at_lake(&conn, root)?;
    // One transaction: an error or a crash leaves the catalog as it was.
    if updating_in_place {
        conn.execute_batch("begin transaction;").map_err(|e| sql_error("begin transaction", e))?;
    }
    // sql/000–004: building blocks that need no table, lake_map() among them,
    // which the lake views are bound with
    let first_rule = crate::embedded::SQL_FILES.partition_point(|(n, _)| *n < FIRST_RULE);
    let (foundation, rules) = crate::embedded::SQL_FILES.split_at(first_rule);
    for (name, sql) in foundation {
        conn.execute_batch(sql).map_err(|e| sql_error(&format!("sql/{name}"), e))?;
    }
    // An incremental refresh keeps the copy's lake views (the fingerprint
    // shows they are the same): making one binds it, which lists and opens
    // every delivery's file.
    if increment.is_none() {
        for (view, sql) in lake_views {
            let what = format!("view {view}");
            timed(&what, || conn.execute_batch(sql).map_err(|e| sql_error(&what, e)))?;
        }
    }
    // Reference data, the run log and the shipped regio table are views or
    // small tables: remade by every refresh, incremental or not.
    for (table, schema) in reference_tables() {
        let view = if table == REGIO_TABLE { "regio_indeling_aangenomen" } else { table };
        let sql = if lake.reference_files(table)?.is_empty() {
            empty_view(view, &schema, &[])
        } else {
            // the typed empty select first, so that a column no loaded file
            // has (vestigingscode of a 2016 address file) is still there
            format!(
                "create or replace view {view} as {} union all by name select * from read_parquet({}, union_by_name = true);",
                empty_select(&schema, &[]),
                in_lake(&format!("{REFERENCE_DIR}/{table}/*.parquet"))
            )
        };
        conn.execute_batch(&sql).map_err(|e| sql_error(&format!("view {view}"), e))?;
    }
    // The run log, BRP extracts (crate::brp) and DUO's VSV lists and
    // A-rapportages (crate::lijst): remade by every refresh, as the reference data; once
    // a glob has a file, later files show without a refresh.
    let has_files = |dir: &Path| -> Result<bool> { Ok(!lake.files_in(dir)?.is_empty()) };
    let lists = crate::lijst::layout::LIJSTEN.iter().map(|l| has_files(&Path::new(LISTS_DIR).join(l))).collect::<Result<Vec<bool>>>()?;
    let rapportages = crate::lijst::layout::RAPPORTAGES
        .iter()
        .map(|r| has_files(&Path::new(RAPPORTAGES_DIR).join(r)))
        .collect::<Result<Vec<bool>>>()?
        .contains(&true);
    for (view, schema, present, glob) in [
        ("run_log", crate::lake::run_log_schema(), has_files(Path::new(RUNS_DIR))?, format!("{RUNS_DIR}/*.parquet")),
        ("brp_persoon_alles", crate::brp::schema(), !lake.brp_extracts()?.is_empty(), format!("{BRP_DIR}/*/*.parquet")),
        ("duo_vsv_lijst_alles", crate::lijst::schema(), lists.contains(&true), format!("{LISTS_DIR}/*/*.parquet")),
        ("duo_rapportage_alles", crate::lijst::rapportage_schema(), rapportages, format!("{RAPPORTAGES_DIR}/*/*.parquet")),
    ] {
        conn.execute_batch(&files_view(view, &schema, present, &glob)).map_err(|e| sql_error(&format!("view {view}"), e))?;
    }
    conn.execute_batch(&regio_geleverd_sql()).map_err(|e| sql_error("table regio_indeling_geleverd", e))?;
    match &increment {
        None => {
            // each bouw_<tabel> made before the first file that reads it and
            // dropped after the last
            let sources = BuildSources::plan(committed, differing, &spill)?;
            let last_reader = |table: &str| rules.iter().rposition(|(_, sql)| BuildSources::read_by(sql).any(|t| t == table));
            let mut made = HashSet::new();
            for (i, (name, sql)) in rules.iter().enumerate() {
                for table in BuildSources::read_by(sql) {
                    if made.insert(table) {
                        sources.make(&conn, table)?;
                    }
                }
                apply(&conn, "sql", name, sql)?;
                for table in BuildSources::read_by(sql) {
                    if last_reader(table) == Some(i) {
                        sources.drop(&conn, table)?;
                    }
                }
            }
            sources.close(&conn)?;
        }
        Some(inc) => {
            // The purged deliveries, whose persons sql/bijwerken/ recomputes without them.
            let ids: Vec<String> = inc.removed.iter().map(|id| quote(id)).collect();
            conn.execute_batch(&format!(
                "create or replace table verwijderd as select unnest(cast([{}] as varchar[])) as levering_id;",
                ids.join(", ")
            ))
            .map_err(|e| sql_error("table verwijderd", e))?;
            // The added deliveries' tables, as `nieuw_<table>`: what sql/bijwerken/ reads besides the catalog.
            for (table, schema) in lake_schemas() {
                let files: Vec<String> = inc
                    .added
                    .iter()
                    .map(|d| d.join(format!("{table}.parquet")))
                    .filter(|p| p.exists())
                    .map(|p| quote(&p.display().to_string()))
                    .collect();
                let sql = match files.is_empty() {
                    // not `from <lake view> where false`: binding that lists the lake
                    true => format!("create or replace temp view nieuw_{table} as {};", empty_select(&schema, HIVE_COLUMNS)),
                    false => format!(
                        "create or replace temp view nieuw_{table} as {};",
                        read_deliveries(&format!("[{}]", files.join(", ")), differing.contains(table))
                    ),
                };
                conn.execute_batch(&sql).map_err(|e| sql_error(&format!("view nieuw_{table}"), e))?;
            }
            // The copy holds the macros and views of sql/ already (same
            // hash), and making a view binds it — some read the lake. What
            // is applied again: the files that store a table, each in its
            // sql/bijwerken/ form where it has one (which updates the stored
            // rows from the catalog and the added deliveries alone), else
            // whole (the regio table, remade from the reference data); and,
            // when the figures' SQL changed, its files.
            for (i, (name, sql)) in rules.iter().enumerate() {
                let (dir, sql) = match crate::embedded::SQL_BIJWERKEN.iter().find(|(n, _)| n == name) {
                    Some((_, update)) => ("sql/bijwerken", *update),
                    None if sql_parts::stores_a_table(sql) => ("sql", *sql),
                    None if inc.rules_changed.is_some() && is_rule_file(first_rule + i) => ("sql", *sql),
                    None => continue,
                };
                apply(&conn, dir, name, sql)?;
            }
            if let Some(previous) = &inc.rules_changed {
                drop_rules_gone(&conn, previous, &fingerprint.rule_names)?;
            }
        }
    }
    let recomputed: i64 =
        conn.query_row("select count(*) from herberekening", [], |r| r.get(0)).map_err(|e| sql_error("herberekening", e))?;
    let mut ids: Vec<&String> = committed.keys().collect();
    ids.sort();
    let ids: Vec<String> = ids.iter().map(|id| quote(id)).collect();
    conn.execute_batch(&format!(
        "create or replace table catalogus_bouw as select {} as kenmerk, {} as wijze, current_timestamp as ververst_op, \
         cast([{}] as varchar[]) as leveringen, cast({recomputed} as bigint) as herberekende_personen, \
         cast([{}] as varchar[]) as verschillende_kolommen, {} as regels_kenmerk, cast([{}] as varchar[]) as regels;",
        quote(&fingerprint.storage),
        quote(if increment.is_some() { "bijgewerkt" } else { "volledig" }),
        ids.join(", "),
        differing.iter().map(|t| quote(t)).collect::<Vec<_>>().join(", "),
        quote(&fingerprint.rules),
        fingerprint.rule_names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(", ")
    ))
    .map_err(|e| sql_error("table catalogus_bouw", e))?;
    if updating_in_place {
        crate::failpoint::pause("catalogus");
        conn.execute_batch("commit;").map_err(|e| sql_error("commit", e))?;
    }
    timed("checkpoint", || conn.execute_batch("checkpoint;").map_err(|e| sql_error("checkpoint", e)))?;
    drop(conn);
    timed("spill removed", || remove_spill(&spill))?;
    timed("catalog synced", || std::fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e)))?;
    Ok(recomputed.max(0) as u64)
}

/// The lake tables a person's picture is made of (sql/022–028): what a
/// full build reads through `bouw_<tabel>`.
const PICTURE_TABLES: &[&str] = &["persoon", "verblijf", "inschrijving", "resultaat", "vrijstelling", "startkwalificatie", "vsv_indicatie"];

/// A delivery's table file smaller than this counts as small.
const SMALL_FILE: u64 = 256 * 1024;

/// How many bytes of a picture table's files a full build copies at most
/// (set by VERZUIM_BUILD_COPY_BYTES, docs/operations.md).
const COPY_BYTES: u64 = 256 * 1024 * 1024;

/// What a full build reads each picture table from: `bouw_<tabel>`.
///
/// DuckDB pays about 0.12 ms for every file it opens in a scan, and the full
/// build scans each picture table twice (the latest and the earlier
/// pictures): with thousands of weekly deliveries that, not their rows, was
/// the build (ten years: 75 of 106 s). So a table whose files are all small
/// (under 256 KiB, a few thousand rows) and together within the budget is
/// copied once into a scratch database beside the build's spill files
/// (`bouw_kopie.<tabel>`, dropped after the last `sql/` file that reads it;
/// not a temporary table, so that DuckDB can write it out when the joins
/// need the memory, and not in the catalog, whose file would keep the freed
/// blocks: 76 → 106 MB measured); any other is read in place, as a lake of
/// large C-leveringen is best read.
/// All or nothing: measured, a copy of a table's small files beside its
/// large files read in place turned DuckDB's join around on a national
/// history (its estimate of the union) and ran out of memory.
/// It reads the deliveries it records as built from (`committed`), not
/// whatever the lake glob matches at that moment.
struct BuildSources {
    /// Per picture table: its files (quoted) and whether they are copied.
    tables: Vec<(&'static str, Vec<String>, bool)>,
    union_by_name: BTreeSet<String>,
    /// The scratch database's file, inside the build's spill folder (removed with it).
    scratch: PathBuf,
}

impl BuildSources {
    fn plan(committed: &HashMap<String, PathBuf>, differing: &BTreeSet<String>, spill: &Path) -> Result<BuildSources> {
        let var = &crate::environment::BUILD_COPY_BYTES;
        let budget = match var.get() {
            None => COPY_BYTES,
            Some(v) => v.parse::<u64>().map_err(|_| Error::Usage(format!("{} {v:?}: a number of bytes such as 268435456", var.name)))?,
        };
        let mut dirs: Vec<&PathBuf> = committed.values().collect();
        dirs.sort();
        let mut tables = Vec::new();
        for table in PICTURE_TABLES {
            let (mut files, mut total, mut all_small) = (Vec::new(), 0u64, true);
            for dir in &dirs {
                let file = dir.join(format!("{table}.parquet"));
                if let Ok(meta) = std::fs::metadata(&file) {
                    total += meta.len();
                    all_small &= meta.len() < SMALL_FILE;
                    files.push(quote(&file.display().to_string()));
                }
            }
            let copied = all_small && !files.is_empty() && total <= budget;
            tables.push((*table, files, copied));
        }
        Ok(BuildSources { tables, union_by_name: differing.clone(), scratch: spill.join("bouw_kopie.duckdb") })
    }

    /// The picture tables whose `bouw_<tabel>` a `sql/` file reads.
    fn read_by(sql: &str) -> impl Iterator<Item = &'static str> + '_ {
        PICTURE_TABLES.iter().copied().filter(move |t| sql.contains(&format!("'bouw_{t}'")))
    }

    /// Makes `bouw_<table>` (and its copy).
    fn make(&self, conn: &duckdb::Connection, table: &str) -> Result<()> {
        let Some((_, files, copied)) = self.tables.iter().find(|(t, _, _)| *t == table) else { return Ok(()) };
        let read = read_deliveries(&format!("[{}]", files.join(", ")), self.union_by_name.contains(table));
        let sql = match (files.is_empty(), copied) {
            (true, _) => format!("create or replace temp view bouw_{table} as from {table};"),
            // the copy's row order is of no account (the stored tables are
            // ordered where it matters), and keeping it costs DuckDB a
            // batch per file: half the copy's time
            (false, true) => {
                if !self.scratch.exists() {
                    let dir = self.scratch.parent().unwrap_or(Path::new("."));
                    crate::files::private_dir(dir)?;
                }
                format!(
                    "attach if not exists {} as bouw_kopie; set preserve_insertion_order = false; \
                     create or replace table bouw_kopie.{table} as {read}; reset preserve_insertion_order; \
                     create or replace temp view bouw_{table} as from bouw_kopie.{table};",
                    quote(&self.scratch.display().to_string())
                )
            }
            (false, false) => format!("create or replace temp view bouw_{table} as {read};"),
        };
        let way = if *copied { "copied" } else { "read in place" };
        timed(&format!("bouw_{table} ({} files {way})", files.len()), || {
            conn.execute_batch(&sql).map_err(|e| sql_error(&format!("view bouw_{table}"), e))
        })
    }

    /// Drops the view and the copy.
    fn drop(&self, conn: &duckdb::Connection, table: &str) -> Result<()> {
        let mut sql = format!("drop view if exists bouw_{table};");
        if self.tables.iter().any(|(t, _, copied)| *t == table && *copied) {
            sql.push_str(&format!(" drop table if exists bouw_kopie.{table};"));
        }
        conn.execute_batch(&sql).map_err(|e| sql_error(&format!("bouw_kopie.{table}"), e))
    }

    /// Detaches the scratch database, if a copy made it (its folder goes with the spill's).
    fn close(&self, conn: &duckdb::Connection) -> Result<()> {
        match self.scratch.exists() {
            true => conn.execute_batch("detach database if exists bouw_kopie;").map_err(|e| sql_error("bouw_kopie", e)),
            false => Ok(()),
        }
    }
}

/// A view over the Parquet files of `glob` (inside the lake), or — none
/// `present` yet — with the columns of `schema` and no rows, so that the
/// macros built on it exist before the first file.
fn files_view(view: &str, schema: &SchemaRef, present: bool, glob: &str) -> String {
    match present {
        true => format!("create or replace view {view} as select * from read_parquet({}, union_by_name = true);", in_lake(glob)),
        false => empty_view(view, schema, &[]),
    }
}

/// Runs one file of sql/. With VERZUIM_SQL_TIMES set, prints how long it
/// took on standard error: the profile behind docs/performance.md's
/// catalog tables (names of files only, never data).
fn apply(conn: &duckdb::Connection, dir: &str, name: &str, sql: &str) -> Result<()> {
    let what = format!("{dir}/{name}");
    timed(&what, || conn.execute_batch(sql).map_err(|e| sql_error(&what, e)))
}

/// Runs `step`; with VERZUIM_SQL_TIMES set, prints how long it took and
/// `what` (names of files and tables only, never data) on standard error.
fn timed<T>(what: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
    let start = std::time::Instant::now();
    let out = step()?;
    if crate::environment::SQL_TIMES.is_set() {
        eprintln!("{:>8.3} s  {what}", start.elapsed().as_secs_f64());
    }
    Ok(out)
}

/// Drops the macros and views the figures' previous SQL made (`previous`)
/// that its current SQL (`current`) no longer makes: a figure taken out of
/// verzuim must not linger in the catalog with its old rule.
fn drop_rules_gone(conn: &duckdb::Connection, previous: &[String], current: &[String]) -> Result<()> {
    for name in previous.iter().filter(|n| !current.contains(n)) {
        let what = format!("drop {name}");
        let macro_kind = strings(
            conn,
            &format!("select distinct function_type from duckdb_functions() where function_name = {} and not internal", quote(name)),
            &what,
        )?;
        let mut sql = format!("drop view if exists {name};");
        for kind in macro_kind {
            match kind.as_str() {
                "table_macro" => sql.push_str(&format!(" drop macro table if exists {name};")),
                "macro" => sql.push_str(&format!(" drop macro if exists {name};")),
                _ => {}
            }
        }
        conn.execute_batch(&sql).map_err(|e| sql_error(&what, e))?;
    }
    Ok(())
}

/// A path inside the lake as a SQL expression: `lake_map()`
/// (sql/000_lake_map.sql) followed by `relative`, so that the views follow
/// the lake when it is copied or moved.
fn in_lake(relative: &str) -> String {
    format!("lake_map() || {}", quote(&format!("/{relative}")))
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
            fields.extend(layout.columns.iter().map(|c| Field::new(&c.name, data_type(c.rule.kind), true)));
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

/// A view with the table's columns (and `extra` ones, such as the partition
/// columns) and no rows, so that the catalog and its macros exist before the
/// first file.
fn empty_view(table: &str, schema: &SchemaRef, extra: &[(&str, &str)]) -> String {
    format!("create or replace view {table} as {};", empty_select(schema, extra))
}

fn empty_select(schema: &SchemaRef, extra: &[(&str, &str)]) -> String {
    let mut cols: Vec<String> =
        schema.fields().iter().map(|f| format!("cast(null as {}) as \"{}\"", duckdb_type(f.data_type()), f.name())).collect();
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
