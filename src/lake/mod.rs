//! The Parquet lake: one directory per delivery, committed by one rename.
//!
//! ```text
//! <lake>/leveringen/soort=P/afnemer=G0363/peildatum=2026-11-22/<levering_id>/<table>.parquet
//! <lake>/_staging/…   work in progress, outside every glob
//! ```
//!
//! A delivery's tables are written under `_staging`, made durable (one sync
//! for a batch of deliveries), and the whole directory is then renamed into
//! its partition. A rename within one file system is atomic, so a delivery
//! is visible with all its tables or not at all, and a crash leaves at most
//! staging directories that the next run removes. The committed directories are the ledger: a delivery is present
//! when its directory is. Why this shape rather than one directory per
//! table: see docs/lake.md.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::files::{private_dir, private_file, process_alive};
use crate::normalise::{DeliveryKey, TableData, canonical};

pub const DELIVERIES_DIR: &str = "leveringen";
/// Reference data: `<lake>/referentie/<table>/<bron_id>.parquet`.
pub const REFERENCE_DIR: &str = "referentie";
/// BRP extracts: `<lake>/brp/<gemeentecode>/<peildatum>_<id>.parquet` (`crate::brp`).
pub const BRP_DIR: &str = "brp";
/// DUO's VSV lists: `<lake>/duo_lijsten/<lijst>/<teljaar>_<status>_<id>.parquet` (`crate::lijst`).
pub const LISTS_DIR: &str = "duo_lijsten";
/// DUO's monthly A-rapportages: `<lake>/duo_rapportages/<code>/<JJJJ-MM>_<id>.parquet` (`crate::lijst`).
pub const RAPPORTAGES_DIR: &str = "duo_rapportages";
/// The run log of `verzuim run`: `<lake>/_runs/<start>.parquet` and `.json`.
pub const RUNS_DIR: &str = "_runs";

/// The columns of a run-log row (`_runs/<start>.parquet`, the catalog's
/// `run_log`): written by the nightly run, read by the catalog, defined here
/// once below both.
pub fn run_log_schema() -> arrow::datatypes::SchemaRef {
    use arrow::datatypes::{DataType, Field, Schema};
    let text = |n: &str| Field::new(n, DataType::Utf8, false);
    let count = |n: &str| Field::new(n, DataType::Int64, false);
    std::sync::Arc::new(Schema::new(vec![
        text("start"),
        text("end"),
        count("files"),
        count("ingested"),
        count("already_present"),
        count("rejected"),
        count("persons"),
        count("records"),
        text("json"),
    ]))
}
pub const STAGING_DIR: &str = "_staging";

pub struct Lake {
    root: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commit {
    Committed(PathBuf),
    /// Another writer committed the same delivery first.
    AlreadyPresent(PathBuf),
}

/// The lake at `path`, which must exist (its root, made absolute). Only
/// `ingest` and `run` make a lake: any other command on a mistyped `--lake`
/// gets an error naming the path, not an empty lake with empty answers.
pub fn existing(path: &Path) -> Result<PathBuf> {
    if path.join(DELIVERIES_DIR).is_dir() {
        return path.canonicalize().map_err(|e| Error::io(path, e));
    }
    Err(Error::Usage(format!(
        "{}: no lake here (it has no {DELIVERIES_DIR}/ folder); `verzuim ingest` and `verzuim run` make one",
        path.display()
    )))
}

impl Lake {
    /// Opens (creating if needed) the lake at `root`, and removes what
    /// crashed runs left in the staging area.
    pub fn open(root: &Path) -> Result<Lake> {
        private_dir(root)?;
        for d in [root.join(DELIVERIES_DIR), root.join(STAGING_DIR)] {
            private_dir(&d)?;
        }
        let lake = Lake { root: root.to_path_buf() };
        lake.remove_stale_staging()?;
        Ok(lake)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn remove_stale_staging(&self) -> Result<()> {
        let staging = self.root.join(STAGING_DIR);
        for entry in fs::read_dir(&staging).map_err(|e| Error::io(&staging, e))? {
            let entry = entry.map_err(|e| Error::io(&staging, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let owner_alive = name
                .rsplit_once('.')
                .and_then(|(_, pid)| pid.parse::<u32>().ok())
                .is_some_and(|pid| pid != std::process::id() && process_alive(pid));
            if !owner_alive {
                fs::remove_dir_all(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            }
        }
        Ok(())
    }

    /// The committed deliveries: levering_id → directory.
    pub fn committed(&self) -> Result<HashMap<String, PathBuf>> {
        let mut found = HashMap::new();
        let base = self.root.join(DELIVERIES_DIR);
        for soort in subdirs(&base)? {
            for afnemer in subdirs(&soort)? {
                for peildatum in subdirs(&afnemer)? {
                    for delivery in subdirs(&peildatum)? {
                        if let Some(id) = delivery.file_name().map(|n| n.to_string_lossy().into_owned()) {
                            found.insert(id, delivery);
                        }
                    }
                }
            }
        }
        Ok(found)
    }

    /// Removes every delivery whose peildatum lies before `grens`
    /// (`JJJJ-MM-DD`). Each leaves the deliveries tree by one rename into
    /// the staging area — a reader sees a delivery whole or not at all, and a
    /// purge killed halfway leaves only whole deliveries (its staging
    /// directory is cleaned by the next writer). With `dry_run` nothing moves.
    pub fn purge(&self, grens: &str, dry_run: bool) -> Result<Vec<Purged>> {
        let mut weg = Vec::new();
        for d in self.partitions()? {
            if d.peildatum.is_empty() || d.peildatum.as_str() >= grens {
                continue;
            }
            let personen = delivery_persons(&d.dir);
            weg.push(Purged {
                levering_id: d.levering_id,
                soort: d.soort,
                afnemer: d.afnemer,
                peildatum: d.peildatum,
                personen,
                dir: d.dir,
            });
        }
        weg.sort_by(|a, b| (&a.peildatum, &a.levering_id).cmp(&(&b.peildatum, &b.levering_id)));
        if dry_run || weg.is_empty() {
            return Ok(weg);
        }
        let trash = self.root.join(STAGING_DIR).join(format!("purge.{}", std::process::id()));
        private_dir(&trash)?;
        for p in &weg {
            let to = trash.join(&p.levering_id);
            fs::rename(&p.dir, &to).map_err(|e| Error::io(&p.dir, e))?;
        }
        fs::remove_dir_all(&trash).map_err(|e| Error::io(&trash, e))?;
        // empty partition directories go too
        for p in &weg {
            let mut d = p.dir.parent().map(Path::to_path_buf);
            while let Some(dir) = d {
                if dir == self.root.join(DELIVERIES_DIR) || fs::remove_dir(&dir).is_err() {
                    break;
                }
                d = dir.parent().map(Path::to_path_buf);
            }
        }
        Ok(weg)
    }

    /// Every committed delivery with the partition values its directory
    /// carries: what `purge` and `status` need without opening a file.
    pub fn partitions(&self) -> Result<Vec<Partitioned>> {
        let part = |d: &Path, key: &str| -> String {
            d.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_prefix(key)).unwrap_or("").to_string()
        };
        let mut out = Vec::new();
        for (levering_id, dir) in self.committed()? {
            let peildatum_dir = dir.parent().unwrap_or(&dir);
            let afnemer_dir = peildatum_dir.parent().unwrap_or(peildatum_dir);
            out.push(Partitioned {
                soort: part(afnemer_dir.parent().unwrap_or(afnemer_dir), "soort="),
                afnemer: part(afnemer_dir, "afnemer="),
                peildatum: part(peildatum_dir, "peildatum="),
                levering_id,
                dir,
            });
        }
        Ok(out)
    }

    /// [`Lake::partitions`] of the lake at `root`, read without creating or
    /// cleaning anything (for `verzuim status`, which takes no lock).
    pub fn partitions_at(root: &Path) -> Result<Vec<Partitioned>> {
        Lake { root: root.to_path_buf() }.partitions()
    }

    /// The committed levering_ids of the lake at `root`, read without
    /// creating or cleaning anything (for `run --dry-run`).
    pub fn committed_at(root: &Path) -> Result<std::collections::HashSet<String>> {
        Ok(Lake { root: root.to_path_buf() }.committed()?.into_keys().collect())
    }

    /// The directory a delivery is committed to.
    pub fn delivery_dir(&self, key: &DeliveryKey, levering_id: &str) -> Result<PathBuf> {
        for (what, v) in [("soort", key.soort.as_str()), ("afnemer", key.afnemer.as_str()), ("levering_id", levering_id)] {
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(Error::lake(&self.root, format!("{what} {v:?} cannot name a partition (letters, digits and - only)")));
            }
        }
        Ok(self
            .root
            .join(DELIVERIES_DIR)
            .join(format!("soort={}", key.soort))
            .join(format!("afnemer={}", key.afnemer))
            .join(format!("peildatum={}", key.peildatum_iso()))
            .join(levering_id))
    }

    /// Writes a delivery's tables into its own staging directory, not yet
    /// durable and not yet visible. `levering` is written last: it is the
    /// delivery's ledger row.
    pub fn stage(&self, key: &DeliveryKey, levering_id: &str, tables: &[TableData]) -> Result<Staging> {
        let target = self.delivery_dir(key, levering_id)?;
        if target.exists() {
            return Ok(Staging::AlreadyPresent(target));
        }
        let staging = self.root.join(STAGING_DIR).join(format!("{levering_id}.{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        private_dir(&staging)?;
        match write_tables(&staging, tables) {
            Ok(files) => Ok(Staging::Staged(Staged { files, staging, target })),
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                Err(e)
            }
        }
    }

    /// Makes staged deliveries durable and visible, each whole: one sync of
    /// the file system for all their files (instead of an fsync per file),
    /// then one rename per delivery — the commit —, then one sync for the
    /// renames. A crash before a rename leaves a staging directory that the
    /// next run removes; after it, a complete delivery. One result per
    /// staged delivery, in order.
    pub fn publish(&self, staged: Vec<Staged>) -> Vec<Result<Commit>> {
        if staged.is_empty() {
            return Vec::new();
        }
        let files: Vec<PathBuf> = staged.iter().flat_map(|s| s.files.iter().cloned().chain([s.staging.clone()])).collect();
        if let Err(e) = crate::files::sync_file_system(&self.root, &files) {
            let message = e.to_string();
            for s in &staged {
                let _ = fs::remove_dir_all(&s.staging);
            }
            return staged.iter().map(|_| Err(Error::lake(&self.root, message.clone()))).collect();
        }
        crate::failpoint::pause("voor_commit");
        let mut results = Vec::with_capacity(staged.len());
        let mut parents: Vec<PathBuf> = Vec::new();
        for (i, s) in staged.iter().enumerate() {
            if i == 1 {
                crate::failpoint::pause("tussen_commits");
            }
            let result = self.rename_into_place(s);
            if result.is_err() || s.staging.exists() {
                let _ = fs::remove_dir_all(&s.staging);
            }
            if let Ok(Commit::Committed(target)) = &result {
                parents.extend(target.ancestors().skip(1).take(4).map(Path::to_path_buf));
            }
            results.push(result);
        }
        parents.sort();
        parents.dedup();
        if let Err(e) = crate::files::sync_file_system(&self.root, &parents) {
            // the deliveries are visible; whether they outlive a power cut
            // is what the error says is unsure
            tracing::warn!(error = %e, "syncing the lake after committing deliveries");
        }
        results
    }

    fn rename_into_place(&self, s: &Staged) -> Result<Commit> {
        let parent = s.target.parent().expect("delivery dirs have a partition parent");
        private_dir(parent)?;
        match fs::rename(&s.staging, &s.target) {
            Ok(()) => Ok(Commit::Committed(s.target.clone())),
            Err(_) if s.target.exists() => Ok(Commit::AlreadyPresent(s.target.clone())),
            Err(e) => Err(Error::io(&s.target, e)),
        }
    }
}

/// What [`Lake::stage`] did with a delivery.
pub enum Staging {
    Staged(Staged),
    /// Its directory is committed already.
    AlreadyPresent(PathBuf),
}

/// A delivery written under `_staging`, waiting for [`Lake::publish`].
pub struct Staged {
    files: Vec<PathBuf>,
    staging: PathBuf,
    target: PathBuf,
}

/// Writes `tables` into `dir`, `levering` last — with the columns of the
/// others in its footer ([`COLUMNS_KEY`]); returns the files written.
fn write_tables(dir: &Path, tables: &[TableData]) -> Result<Vec<PathBuf>> {
    let (ledger, data): (Vec<&TableData>, Vec<&TableData>) = tables.iter().partition(|t| t.name == canonical::LEVERING);
    let written = data.par_iter().map(|t| write_table(dir, t, Vec::new())).collect::<Result<Vec<(PathBuf, String)>>>()?;
    crate::failpoint::pause("tussen_parquet");
    let columns: Vec<String> = data.iter().zip(&written).map(|(t, (_, digest))| format!("{}={digest}", t.name)).collect();
    let mut files: Vec<PathBuf> = written.into_iter().map(|(path, _)| path).collect();
    for t in ledger {
        let record = KeyValue::new(COLUMNS_KEY.to_string(), columns.join(";"));
        files.push(write_table(dir, t, vec![record])?.0);
    }
    Ok(files)
}

/// The key in a delivery's `levering.parquet` footer under which its other
/// files' columns are recorded, as `<table>=<digest>;…` ([`columns_digest`]):
/// what the catalog compares to know whether a table's files differ in
/// columns (its views then read them by name), from one footer per
/// delivery instead of one per file — ten years of deliveries are 233,000
/// files. A lake written before it has none; their footers are read instead.
pub const COLUMNS_KEY: &str = "verzuim.kolommen";

/// A digest of a Parquet file's columns as a reader sees them — names,
/// physical and logical types, repetition — from its schema as printed by
/// the parquet crate (the format's own notation, not a Rust type's).
pub fn columns_digest(schema: &parquet::schema::types::SchemaDescriptor) -> String {
    let mut printed = Vec::new();
    parquet::schema::printer::print_schema(&mut printed, schema.root_schema());
    crate::input::hex(&Sha256::digest(&printed))[..16].to_string()
}

impl Lake {
    /// Stores one reference file's rows as `referentie/<table>/<id>.parquet`,
    /// atomically (written aside, fsynced, renamed). Returns false when that
    /// file is already there: the same content is loaded once.
    pub fn put_reference(&self, table: &str, id: &str, batch: &RecordBatch) -> Result<bool> {
        self.put_file(&Path::new(REFERENCE_DIR).join(table), id, batch)
    }

    /// Stores a batch as `<lake>/<subdir>/<id>.parquet`, atomically; false
    /// when that file exists already.
    pub fn put_file(&self, subdir: &Path, id: &str, batch: &RecordBatch) -> Result<bool> {
        let dir = self.root.join(subdir);
        let target = dir.join(format!("{id}.parquet"));
        if target.exists() {
            return Ok(false);
        }
        private_dir(&dir)?;
        let staging = self.root.join(STAGING_DIR).join(format!("file-{id}.{}", std::process::id()));
        private_dir(&staging)?;
        let data = TableData { name: "bestand", schema: batch.schema(), batches: vec![batch.clone()] };
        let written = write_table(&staging, &data, Vec::new())
            .and_then(|(file, _)| File::open(&file).and_then(|f| f.sync_all()).map_err(|e| Error::io(&file, e)))
            .and_then(|()| fs::rename(staging.join("bestand.parquet"), &target).map_err(|e| Error::io(&target, e)));
        let _ = fs::remove_dir_all(&staging);
        written?;
        sync_dir(&dir)?;
        Ok(true)
    }

    /// The stored files of a reference table, sorted.
    pub fn reference_files(&self, table: &str) -> Result<Vec<PathBuf>> {
        self.files_in(&Path::new(REFERENCE_DIR).join(table))
    }

    /// The Parquet files in `<lake>/<subdir>`, sorted.
    pub fn files_in(&self, subdir: &Path) -> Result<Vec<PathBuf>> {
        let dir = self.root.join(subdir);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let p = entry.map_err(|e| Error::io(&dir, e))?.path();
            if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
        out.sort();
        Ok(out)
    }
}

fn subdirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        if entry.file_type().map_err(|e| Error::io(entry.path(), e))?.is_dir() && !name.to_string_lossy().starts_with('.') {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))
}

/// Below this many bytes of Arrow data a table is written uncompressed:
/// the parquet crate makes a zstd compressor and decompressor for every
/// column chunk, which cost a third of the ingest of a weekly P-levering
/// (issue 15, docs/performance.md), while zstd saves only kilobytes there.
pub const ZSTD_FROM_BYTES: usize = 256 << 10;

/// How a table of `bytes` Arrow bytes is written: zstd level 1 from
/// [`ZSTD_FROM_BYTES`] on, page-level statistics (min/max for pruning), a
/// dictionary for every column but the nearly unique ones
/// ([`canonical::NEARLY_UNIQUE`]).
///
/// Why level 1 and those columns plain: on the national bench's 200
/// deliveries a fifth of the ingest's CPU went to the writer's dictionary
/// (interning every value) and a tenth to zstd. A dictionary of values that
/// all differ is those values plus an index per row (a C-levering's persoon
/// file: 36,690 pgns, 36,690 entries); without it, on those columns, the
/// lake is 9 % smaller (203 → 184 MB). Level 1 instead of 3 wrote 185 MB
/// against 184. Together: ingest CPU −8 %, the catalog built from the lake
/// in the same time (docs/performance.md).
pub fn writer_properties(bytes: usize) -> WriterProperties {
    let compression = match bytes >= ZSTD_FROM_BYTES {
        true => Compression::ZSTD(ZstdLevel::try_new(1).expect("valid level")),
        false => Compression::UNCOMPRESSED,
    };
    let mut properties = WriterProperties::builder()
        .set_compression(compression)
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_created_by(format!("verzuim {}", env!("CARGO_PKG_VERSION")));
    // by name: a table without such a column leaves its setting unused
    for name in canonical::NEARLY_UNIQUE {
        properties = properties.set_column_dictionary_enabled(ColumnPath::from(*name), false);
    }
    properties.build()
}

/// A committed delivery as its directory names it.
#[derive(Debug, Clone)]
pub struct Partitioned {
    pub levering_id: String,
    /// `P`, `C`, `A`
    pub soort: String,
    /// `G0363`, `R0032`
    pub afnemer: String,
    /// `JJJJ-MM-DD`
    pub peildatum: String,
    pub dir: PathBuf,
}

/// A delivery removed by [`Lake::purge`].
#[derive(Debug, Clone)]
pub struct Purged {
    pub levering_id: String,
    pub soort: String,
    pub afnemer: String,
    pub peildatum: String,
    /// From the delivery's trailer, for the log (a count, never a person).
    pub personen: u64,
    pub dir: PathBuf,
}

/// `aantal_personen` of a delivery's `levering.parquet` (0 when unreadable).
fn delivery_persons(dir: &Path) -> u64 {
    let Ok(file) = File::open(dir.join("levering.parquet")) else { return 0 };
    let Ok(reader) = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).and_then(|b| b.build()) else { return 0 };
    let mut n = 0u64;
    for batch in reader.flatten() {
        if let Some(col) = batch.column_by_name("aantal_personen")
            && let Some(a) = col.as_any().downcast_ref::<arrow::array::Int64Array>()
        {
            n += a.iter().flatten().map(|v| v.max(0) as u64).sum::<u64>();
        }
    }
    n
}

/// Writes one table as `<dir>/<name>.parquet`, not synced (the caller makes
/// it durable: [`Lake::publish`] for a batch, `put_file` for one file).
/// Returns the file and the digest of its columns ([`columns_digest`]);
/// `footer`: key-value pairs for the file's footer.
fn write_table(dir: &Path, table: &TableData, footer: Vec<KeyValue>) -> Result<(PathBuf, String)> {
    let path = dir.join(format!("{}.parquet", table.name));
    let file = private_file(&path)?;
    let perr = |e: parquet::errors::ParquetError| Error::Parquet { path: path.clone(), source: e };
    let bytes = table.batches.iter().map(RecordBatch::get_array_memory_size).sum();
    let mut writer = ArrowWriter::try_new(file, table.schema.clone(), Some(writer_properties(bytes))).map_err(perr)?;
    for b in &table.batches {
        writer.write(b).map_err(perr)?;
    }
    for kv in footer {
        writer.append_key_value_metadata(kv);
    }
    let metadata = writer.close().map_err(perr)?;
    Ok((path, columns_digest(metadata.file_metadata().schema_descr())))
}
