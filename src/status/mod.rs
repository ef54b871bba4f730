//! `verzuim status`: is the data still arriving, and is the house in order?
//!
//! Per afnemer the freshness of its deliveries ([`freshness`]: the last
//! P- and C-levering, the weeks missing in the weekly sequence), the last
//! run's outcome, the files waiting in quarantine, whether the catalog is up
//! to date with the lake and the free disk space beside the lake. Afnemer
//! codes, dates, counts and file names only: no person data.
//!
//! The deliveries come from the lake's directory names (soort, afnemer,
//! peildatum: no file is opened) and their leveringsvolgnummers from the
//! catalog's `levering_volgorde`, so `status` answers in milliseconds on a
//! lake of ten years and works while the catalog lags behind (a delivery it
//! does not hold yet simply has no volgnummer to compare).

pub mod freshness;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

pub use freshness::{AfnemerFreshness, Thresholds};

use crate::error::Result;
use crate::lake::{Lake, RUNS_DIR};

/// The exit status of `status` and `run` when a threshold is passed (docs/operations.md).
pub const EXIT_STALE: u8 = 5;

/// What `status` looks at.
#[derive(Debug, Clone)]
pub struct Options {
    pub lake: PathBuf,
    /// The day ages are counted to (the run's date; `VERZUIM_TODAY` in rehearsals).
    pub today: NaiveDate,
    pub thresholds: Thresholds,
    /// The nightly run's quarantine folder, when a configuration names one.
    pub quarantine: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub today: String,
    pub lake: String,
    pub deliveries: usize,
    pub afnemers: Vec<AfnemerFreshness>,
    pub last_run: Option<LastRun>,
    pub quarantine: Option<Quarantine>,
    pub catalog: CatalogState,
    /// Free bytes on the lake's file system (None where it cannot be asked).
    pub free_bytes: Option<u64>,
    /// Some afnemer's data passed a threshold.
    pub stale: bool,
}

impl Status {
    /// Every reason the data is stale, one sentence each.
    pub fn stale_because(&self) -> Vec<&str> {
        self.afnemers.iter().flat_map(|a| a.stale_because.iter().map(String::as_str)).collect()
    }
}

/// The last `verzuim run`, from its log in `<lake>/_runs/`.
#[derive(Debug, Clone, Serialize)]
pub struct LastRun {
    pub start: String,
    pub end: String,
    /// `done`, `done_with_rejections`, `stale`, `failed` (older logs: `done`).
    pub outcome: String,
    pub exit_status: Option<u64>,
    pub ingested: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quarantine {
    pub folder: String,
    /// Files waiting, their reason files not counted.
    pub files: usize,
}

/// The catalog beside the lake's deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CatalogState {
    /// Built from exactly the deliveries in the lake.
    UpToDate,
    /// The lake has deliveries the catalog lacks, or lacks some it holds
    /// (a purge): the next `verzuim catalog` or run brings it up to date.
    Behind {
        not_in_catalog: usize,
        no_longer_in_lake: usize,
    },
    Missing,
    /// It cannot be read now: a run is writing it.
    Busy,
}

/// Looks at the lake and the folders beside it.
pub fn status(o: &Options) -> Result<Status> {
    let root = crate::lake::existing(&o.lake)?;
    let partitions = Lake::partitions_at(&root)?;
    let numbers = crate::catalog::delivery_numbers(&root);
    let deliveries: Vec<freshness::Delivery> = partitions
        .iter()
        .filter_map(|p| {
            Some(freshness::Delivery {
                soort: p.soort.clone(),
                afnemer: p.afnemer.clone(),
                peildatum: NaiveDate::parse_from_str(&p.peildatum, "%Y-%m-%d").ok()?,
                volgnummer: numbers.as_ref().and_then(|n| n.get(&p.levering_id).copied().flatten()),
            })
        })
        .collect();
    let afnemers = freshness::evaluate(&deliveries, o.today, &o.thresholds);
    let catalog = match &numbers {
        None if crate::catalog::catalog_path(&root).exists() => CatalogState::Busy,
        None => CatalogState::Missing,
        Some(known) => {
            let not_in_catalog = partitions.iter().filter(|p| !known.contains_key(&p.levering_id)).count();
            let in_lake: std::collections::HashSet<&str> = partitions.iter().map(|p| p.levering_id.as_str()).collect();
            let no_longer_in_lake = known.keys().filter(|id| !in_lake.contains(id.as_str())).count();
            if not_in_catalog == 0 && no_longer_in_lake == 0 {
                CatalogState::UpToDate
            } else {
                CatalogState::Behind { not_in_catalog, no_longer_in_lake }
            }
        }
    };
    let stale = afnemers.iter().any(AfnemerFreshness::stale);
    Ok(Status {
        today: freshness::iso(o.today),
        lake: root.display().to_string(),
        deliveries: partitions.len(),
        afnemers,
        last_run: last_run(&root)?,
        quarantine: o.quarantine.as_deref().map(quarantine),
        catalog,
        free_bytes: free_bytes(&root),
        stale,
    })
}

/// The newest run log (`_runs/<start digits>.json`: the names sort by time).
fn last_run(root: &Path) -> Result<Option<LastRun>> {
    let dir = root.join(RUNS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(None) };
    let newest = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).max();
    let Some(path) = newest else { return Ok(None) };
    let text = std::fs::read_to_string(&path).map_err(|e| crate::Error::io(&path, e))?;
    // tolerant: logs written by earlier versions lack the outcome
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
    let n = |k: &str| v.get(k).and_then(serde_json::Value::as_u64);
    Ok(Some(LastRun {
        start: s("start"),
        end: s("end"),
        outcome: v.get("outcome").and_then(|x| x.as_str()).unwrap_or("done").to_string(),
        exit_status: n("exit_status"),
        ingested: n("ingested").unwrap_or(0),
        rejected: n("rejected").unwrap_or(0),
    }))
}

fn quarantine(folder: &Path) -> Quarantine {
    let files = std::fs::read_dir(folder)
        .map(|d| d.flatten().filter(|e| e.path().is_file() && !e.file_name().to_string_lossy().ends_with(".reason.txt")).count())
        .unwrap_or(0);
    Quarantine { folder: folder.display().to_string(), files }
}

/// Free bytes for an unprivileged writer on the file system holding `dir`.
#[cfg(target_os = "linux")]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `s` a properly sized out-parameter.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Some(s.f_bavail as u64 * s.f_frsize as u64)
}

#[cfg(not(target_os = "linux"))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

/// `VERZUIM_TODAY=JJJJ-MM-DD` when set (a rehearsal, a test), else the
/// local date: the day ages are counted to, the run's archive month and its
/// figures' file names. A malformed value is a usage error, not ignored.
pub fn today() -> Result<NaiveDate> {
    let var = crate::environment::TODAY;
    match var.get() {
        Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map_err(|_| crate::Error::Usage(format!("{} {v:?} is not a date JJJJ-MM-DD", var.name))),
        None => Ok(chrono::Local::now().date_naive()),
    }
}
