//! `verzuim run`: the nightly job.
//!
//! take the lock → scan the inbox → ingest new deliveries (in parallel) →
//! load new reference files → refresh the catalog → write the configured
//! figures → move processed files to `archive/JJJJ/MM/` and rejected ones to
//! `quarantine/` (with `<name>.reason.txt`) → check that the data is still
//! arriving (`[bewaking]`, [`crate::status`]) → record the run → signal the
//! operator's monitor (`[signaal]`) → release the lock.
//!
//! Files leave the inbox only after their delivery is committed, and every
//! step is idempotent, so a run killed anywhere is completed by the next.

pub mod config;
mod lock;
pub mod signal;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Datelike, Local, NaiveDate};
use serde::Serialize;

pub use config::{After, Config};
use lock::{Acquired, Lock};

use crate::catalog::{self, OutputFormat};
use crate::error::{Error, Result};
use crate::ingest::{Fate, FileReport, Ingest, Status};
use crate::input;
use crate::lake::{Lake, RUNS_DIR};
use crate::layout::DeliveryLayout;
use crate::normalise::Facts;
use crate::reference::{RefLayout, RefLoader, RefStatus};

/// How a run ended, for the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done, also when there was nothing to do.
    Done,
    /// 3: done, but some files were rejected (they are in quarantine).
    DoneWithRejections,
    /// 4: another run holds the lock.
    Locked(u32),
    /// 5: done, but some afnemer's data passed a `[bewaking]` threshold: the
    /// deliveries stopped, or a week is missing (rejections, 3, come first).
    Stale,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::DoneWithRejections => 3,
            Outcome::Locked(_) => 4,
            Outcome::Stale => crate::status::EXIT_STALE,
        }
    }

    /// As the run log and `verzuim status` name it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::DoneWithRejections => "done_with_rejections",
            Outcome::Locked(_) => "locked",
            Outcome::Stale => "stale",
        }
    }
}

/// The run log: one per run, as JSON beside the lake and as a row of the
/// catalog's `run_log`. Counts only, no persons.
#[derive(Debug, Clone, Serialize)]
pub struct RunLog {
    pub start: String,
    pub end: String,
    /// `done`, `done_with_rejections`, `stale`, `failed`
    pub outcome: String,
    pub exit_status: u8,
    pub dry_run: bool,
    pub files: usize,
    pub ingested: usize,
    pub already_present: usize,
    pub rejected: usize,
    pub persons: u64,
    pub records: u64,
    pub reference_files_loaded: usize,
    pub brp_extracts_loaded: usize,
    /// the steps in the order they ran
    pub steps: Vec<StepTime>,
    pub rejections: Vec<String>,
    pub moved: Vec<String>,
    /// Per afnemer: the last P- and C-levering, missing weeks (`[bewaking]`).
    pub afnemers: Vec<crate::status::AfnemerFreshness>,
    /// Why the data is stale, one sentence each (empty: fresh).
    pub stale_because: Vec<String>,
    /// What failed, for a failed run.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepTime {
    pub step: String,
    pub seconds: f64,
}

pub struct Report {
    pub outcome: Outcome,
    pub log: RunLog,
    pub warnings: Vec<String>,
}

/// Placeholders in configured figures: `{peildatum}`, the lake's last
/// peildatum (what the lake knows; the report's date too), the teljaar and
/// schooljaar the report takes for it, and `{vandaag}`, the run's date.
pub fn placeholders(peildatum: NaiveDate, today: NaiveDate) -> Vec<(&'static str, String)> {
    let (teljaar, schooljaar) = crate::report::teljaar_en_schooljaar(peildatum);
    vec![
        ("{peildatum}", format!("date '{}'", peildatum.format("%Y-%m-%d"))),
        ("{vandaag}", format!("date '{}'", today.format("%Y-%m-%d"))),
        ("{teljaar}", teljaar.to_string()),
        ("{schooljaar}", schooljaar.to_string()),
    ]
}

#[derive(Default)]
struct Steps(Vec<StepTime>);

impl Steps {
    fn time<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        tracing::info!(step = name, "start");
        let t = Instant::now();
        let r = f();
        let secs = t.elapsed().as_secs_f64();
        self.0.push(StepTime { step: name.to_string(), seconds: (secs * 1000.0).round() / 1000.0 });
        match &r {
            Ok(_) => tracing::info!(step = name, seconds = secs, "done"),
            Err(e) => tracing::error!(step = name, error = %e, "failed"),
        }
        r
    }
}

pub fn run(config: &Config, dry_run: bool) -> Result<Report> {
    let start = Local::now();
    let today = crate::status::today()?;
    let mut warnings = Vec::new();
    if dry_run {
        return dry(config, start);
    }
    let lock = match Lock::acquire(&config.lake)? {
        Acquired::Got(l) => l,
        Acquired::TookOver(l, pid) => {
            let w = format!("took over the lock left by process {pid}, which no longer runs");
            tracing::warn!("{w}");
            warnings.push(w);
            l
        }
        Acquired::HeldBy(pid) => {
            // no signal: the run that holds the lock will send its own
            tracing::warn!(pid, "another run holds the lock");
            return Ok(Report { outcome: Outcome::Locked(pid), log: empty_log(start, false), warnings });
        }
    };
    let notify = |event: signal::Event, log: &RunLog| -> Vec<String> {
        match &config.signaal {
            Some(s) => signal::send(s, event, &serde_json::to_value(log).unwrap_or_default()),
            None => Vec::new(),
        }
    };
    warnings.extend(notify(signal::Event::Start, &empty_log(start, false)));
    match run_locked(config, start, today, warnings) {
        Ok(mut report) => {
            let event = if report.log.stale_because.is_empty() { signal::Event::Success } else { signal::Event::Stale };
            report.warnings.extend(notify(event, &report.log));
            drop(lock);
            Ok(report)
        }
        Err(e) => {
            let mut log = empty_log(start, false);
            log.outcome = "failed".into();
            log.exit_status = 1;
            // errors carry no person data (src/error.rs): fit for the log and the monitor
            log.error = Some(e.to_string());
            if let Err(r) = record_run(&config.lake, &log) {
                tracing::warn!(error = %r, "the failed run could not be recorded");
            }
            notify(signal::Event::Fail, &log);
            drop(lock);
            Err(e)
        }
    }
}

/// The run's steps, under the lock.
/// `warnings`: those of taking the lock and the start signal, carried into the report.
// Long: the nightly run's steps in order, each logging and timing itself.
fn run_locked(config: &Config, start: chrono::DateTime<Local>, today: NaiveDate, mut warnings: Vec<String>) -> Result<Report> {
    let mut steps = Steps::default();
    let (layouts, forced) = DeliveryLayout::select(&config.layouts)?;
    let groups: Vec<(Vec<PathBuf>, Facts)> =
        config.inbox.iter().zip(&config.inbox_facts).map(|(p, f)| (vec![p.clone()], f.clone())).collect();
    let summary = steps.time("ingest", || Ingest::new(&config.lake, layouts, forced)?.run_groups(&groups))?;
    for f in &summary.files {
        tracing::info!(file = %f.name, status = %f.status.label(), persons = f.persons, records = f.records, "delivery");
    }
    for w in &summary.warnings {
        tracing::warn!("{w}");
        warnings.push(w.clone());
    }

    let references = steps.time("reference", || {
        if config.reference.is_empty() {
            return Ok(Vec::new());
        }
        RefLoader::new(&config.lake, RefLayout::all_builtin())?.load(&config.reference, None)
    })?;
    let reference_loaded = references.iter().filter(|r| r.status == RefStatus::Loaded).count();
    for r in references.iter().filter(|r| matches!(r.status, RefStatus::Rejected(_))) {
        let w = format!("reference file {} was rejected", r.name);
        tracing::warn!("{w}");
        warnings.push(w);
    }

    let extracts = steps.time("brp", || {
        if config.brp.is_empty() {
            return Ok(Vec::new());
        }
        let layout = crate::brp::BrpLayout::named(&config.brp_layout)?;
        crate::brp::load(&config.lake, &layout, &config.brp, &Default::default())
    })?;
    let brp_loaded = extracts.iter().filter(|r| r.status == crate::brp::BrpStatus::Loaded).count();
    for r in &extracts {
        match &r.status {
            // the reason names a line and column, the number masked
            crate::brp::BrpStatus::Rejected(why) => {
                let w = format!("BRP extract {} was refused: {why}", r.name);
                tracing::warn!("{w}");
                warnings.push(w);
            }
            status => {
                tracing::info!(file = %r.name, residents = r.residents, loaded = (*status == crate::brp::BrpStatus::Loaded), "brp extract")
            }
        }
    }

    let ingested = summary.files.iter().filter(|f| f.status == Status::Ingested).count();
    // Always refreshed, even with nothing new: the figures then query a fresh
    // file that no analyst's tool holds locked; one who has the old catalog
    // open keeps it, since the new one is renamed into place. Incremental
    // when deliveries were only added (about 2 s for a weekly P-levering at
    // national scale, docs/performance.md).
    let refreshed = steps.time("catalog", || {
        let refreshed = catalog::refresh_with(&config.lake, false)?;
        tracing::info!(step = "catalog", "{refreshed}");
        Ok(refreshed)
    })?;
    // What the analyst catalog and the reports are made of changes with the
    // lake — and with the figures' SQL, after an upgrade of verzuim.
    let news = ingested > 0 || reference_loaded > 0 || brp_loaded > 0 || refreshed.figures_changed();

    if let Some(a) = &config.analyse {
        // remade only when there is news (or when there is none yet)
        let out = catalog::analyse::bestand(&config.lake, a.out.as_deref());
        if news || !out.exists() {
            steps.time("analyse", || write_analyse(config, a))?;
        }
    }

    steps.time("figures", || write_figures(config, today))?;
    if let Some(r) = &config.report {
        // Reports change only with news (or when none was made yet).
        if news || !r.out.exists() {
            steps.time("report", || write_report(config, r, today))?;
        }
    }

    let moved = steps.time("move", || move_files(config, &summary.files, today))?;

    // after the move, so that files quarantined tonight are counted
    let status = steps.time("bewaking", || {
        crate::status::status(&crate::status::Options {
            lake: config.lake.clone(),
            today,
            thresholds: config.bewaking.clone(),
            quarantine: config.quarantine.clone(),
        })
    })?;
    let stale_because: Vec<String> = status.stale_because().into_iter().map(String::from).collect();
    for s in &stale_because {
        tracing::warn!(stale = %s, "data stale");
    }

    let rejected = summary.rejected();
    let outcome = if rejected > 0 {
        Outcome::DoneWithRejections
    } else if !stale_because.is_empty() {
        Outcome::Stale
    } else {
        Outcome::Done
    };
    let log = RunLog {
        start: start.to_rfc3339(),
        end: Local::now().to_rfc3339(),
        outcome: outcome.name().into(),
        exit_status: outcome.exit_code(),
        dry_run: false,
        files: summary.files.len(),
        ingested,
        already_present: summary.files.iter().filter(|f| matches!(f.status, Status::AlreadyPresent | Status::Duplicate(_))).count(),
        rejected,
        persons: summary.files.iter().filter(|f| f.status == Status::Ingested).map(|f| f.persons).sum(),
        records: summary.files.iter().filter(|f| f.status == Status::Ingested).map(|f| f.records).sum(),
        reference_files_loaded: reference_loaded,
        brp_extracts_loaded: brp_loaded,
        steps: steps.0,
        rejections: summary
            .files
            .iter()
            .filter_map(|f| match &f.status {
                Status::Rejected(why) => Some(format!("{}: {why}", f.name)),
                _ => None,
            })
            .collect(),
        moved,
        afnemers: status.afnemers,
        stale_because,
        error: None,
    };
    record_run(&config.lake, &log)?;
    Ok(Report { outcome, log, warnings })
}

fn empty_log(start: chrono::DateTime<Local>, dry_run: bool) -> RunLog {
    RunLog {
        start: start.to_rfc3339(),
        end: Local::now().to_rfc3339(),
        outcome: "done".into(),
        exit_status: 0,
        dry_run,
        files: 0,
        ingested: 0,
        already_present: 0,
        rejected: 0,
        persons: 0,
        records: 0,
        reference_files_loaded: 0,
        brp_extracts_loaded: 0,
        steps: Vec::new(),
        rejections: Vec::new(),
        moved: Vec::new(),
        afnemers: Vec::new(),
        stale_because: Vec::new(),
        error: None,
    }
}

/// What a run would do, without writing anything: which inbox files are new,
/// already in the lake, or given twice.
fn dry(config: &Config, start: chrono::DateTime<Local>) -> Result<Report> {
    let mut inputs = Vec::new();
    let mut facts = Vec::new();
    for (inbox, given) in config.inbox.iter().zip(&config.inbox_facts) {
        let (found, _) = input::discover(std::slice::from_ref(inbox), crate::ingest::EXTENSIONS)?;
        facts.extend(std::iter::repeat_n(given, found.len()));
        inputs.extend(found);
    }
    let committed = Lake::committed_at(&config.lake)?;
    let mut log = empty_log(start, true);
    for (inp, fate) in inputs.iter().zip(crate::ingest::classify(&inputs, &facts, &committed)) {
        let what = match fate {
            Fate::New(_) => {
                log.ingested += 1;
                "would be ingested".to_string()
            }
            Fate::Known(_, Status::AlreadyPresent) => {
                log.already_present += 1;
                "already present".to_string()
            }
            Fate::Known(_, status) => status.label(),
            Fate::Unreadable(why) => format!("unreadable: {why}"),
        };
        log.files += 1;
        log.moved.push(format!("{}: {what}", inp.name()));
    }
    Ok(Report { outcome: Outcome::Done, log, warnings: Vec::new() })
}

fn write_analyse(config: &Config, a: &config::AnalyseConfig) -> Result<()> {
    let r = catalog::analyse::analyse(&catalog::analyse::AnalyseOptions {
        lake: config.lake.clone(),
        out: a.out.clone(),
        sleutel: a.sleutel.clone(),
        peildata: a.peildata.clone(),
        teljaren: a.teljaren.clone(),
        schooljaren: a.schooljaren.clone(),
    })?;
    tracing::info!(step = "analyse", "{r}: {}", r.path.display());
    Ok(())
}

fn write_report(config: &Config, r: &config::ReportConfig, today: NaiveDate) -> Result<()> {
    let s = crate::report::report(&crate::report::Options {
        lake: config.lake.clone(),
        regio: r.regio.clone(),
        datum: None,
        teljaar: None,
        schooljaar: None,
        formaten: r.formaten.clone(),
        out: r.out.clone(),
        drempel: r.drempel,
        decimaalkomma: r.decimaalkomma,
        werklijsten: r.werklijsten,
        leerplichttelling: r.leerplichttelling.map(|s| s.on(today)),
        vandaag: today,
        bewaking: config.bewaking.clone(),
        zomerwissel_tot: r.zomerwissel_tot,
    })?;
    tracing::info!(regios = s.regios.len(), werklijsten = s.werklijsten.len(), "reports written to {}", r.out.display());
    Ok(())
}

fn write_figures(config: &Config, today: NaiveDate) -> Result<()> {
    let Some(out) = &config.output else { return Ok(()) };
    if config.figures.is_empty() {
        return Ok(());
    }
    // figures such as the signalen list name persons
    crate::files::private_dir(out)?;
    let peildatum = catalog::last_peildatum(&config.lake)?.unwrap_or(today);
    let values = placeholders(peildatum, today);
    for fig in &config.figures {
        let mut sql = fig.sql.clone();
        for (k, v) in &values {
            sql = sql.replace(k, v);
        }
        let target = out.join(format!("{}-{}.csv", fig.name, today.format("%Y-%m-%d")));
        let tmp = out.join(format!(".{}-{}.csv.tmp", fig.name, std::process::id()));
        // as the report's CSV: `;` and a BOM, for Dutch Excel (docs/operations.md)
        catalog::query(&config.lake, &sql, OutputFormat::CsvExcel, Some(&tmp))
            .map_err(|e| Error::Query(format!("figure {}: {e}", fig.name)))?;
        std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    }
    Ok(())
}

/// Moves each inbox file whose deliveries are all committed (or already
/// present) to `archive/JJJJ/MM/`, and each with a rejected delivery to
/// `quarantine/` with a `<name>.reason.txt`. A zip moves as a whole.
fn move_files(config: &Config, files: &[FileReport], today: NaiveDate) -> Result<Vec<String>> {
    if config.after == After::Keep {
        return Ok(Vec::new());
    }
    let (Some(archive), Some(quarantine)) = (&config.archive, &config.quarantine) else {
        return Ok(Vec::new());
    };
    let mut by_source: BTreeMap<&Path, Vec<&FileReport>> = BTreeMap::new();
    for f in files {
        by_source.entry(f.source.as_path()).or_default().push(f);
    }
    let month = archive.join(format!("{:04}", today.year())).join(format!("{:02}", today.month()));
    let mut moved = Vec::new();
    for (source, reports) in by_source {
        let rejected: Vec<String> = reports
            .iter()
            .filter_map(|r| match &r.status {
                Status::Rejected(why) => Some(format!("{}: {why}", r.name)),
                _ => None,
            })
            .collect();
        let dir = if rejected.is_empty() { &month } else { quarantine };
        // archived and quarantined deliveries are personal data as they arrived
        crate::files::private_dir(dir)?;
        let target = free_name(dir, source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        if !rejected.is_empty() {
            let reason = PathBuf::from(format!("{}.reason.txt", target.display()));
            std::fs::write(&reason, rejected.join("\n") + "\n").map_err(|e| Error::io(&reason, e))?;
        }
        move_file(source, &target)?;
        crate::failpoint::pause("verplaatsen");
        moved.push(format!("{} → {}", source.display(), target.display()));
    }
    Ok(moved)
}

/// `dir/name`, or `dir/name.1`, `.2` … when taken: an archive never overwrites.
fn free_name(dir: &Path, name: String) -> PathBuf {
    let mut p = dir.join(&name);
    let mut n = 1;
    while p.exists() {
        p = dir.join(format!("{name}.{n}"));
        n += 1;
    }
    p
}

/// Rename, or copy + fsync + remove across file systems.
fn move_file(from: &Path, to: &Path) -> Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map_err(|e| Error::io(to, e))?;
    std::fs::File::open(to).and_then(|f| f.sync_all()).map_err(|e| Error::io(to, e))?;
    std::fs::remove_file(from).map_err(|e| Error::io(from, e))
}

/// Records one run of `verzuim run`: `<lake>/_runs/<start>.json` (the whole
/// log) and `.parquet` (a row of the catalog's `run_log`). The first record
/// also refreshes the catalog, whose `run_log` view was empty until now.
fn record_run(lake_dir: &Path, log: &RunLog) -> Result<()> {
    use std::sync::Arc;

    use arrow::array::{Int64Array, StringArray};
    let lake = Lake::open(lake_dir)?;
    let json = serde_json::to_string_pretty(log).map_err(|e| Error::Json { what: "the run log".into(), source: e })?;
    let id: String = log.start.chars().filter(|c| c.is_ascii_digit()).take(17).collect();
    let dir = lake.root().join(RUNS_DIR);
    crate::files::private_dir(&dir)?;
    let json_path = dir.join(format!("{id}.json"));
    std::io::Write::write_all(&mut crate::files::private_file(&json_path)?, json.as_bytes()).map_err(|e| Error::io(&json_path, e))?;
    let int = |v: u64| -> arrow::array::ArrayRef { Arc::new(Int64Array::from(vec![v as i64])) };
    let text = |v: &str| -> arrow::array::ArrayRef { Arc::new(StringArray::from(vec![v])) };
    let batch = arrow::record_batch::RecordBatch::try_new(
        crate::lake::run_log_schema(),
        vec![
            text(&log.start),
            text(&log.end),
            int(log.files as u64),
            int(log.ingested as u64),
            int(log.already_present as u64),
            int(log.rejected as u64),
            int(log.persons),
            int(log.records),
            text(&json),
        ],
    )
    .map_err(|e| Error::arrow("the run log", e))?;
    lake.put_file(Path::new(RUNS_DIR), &id, &batch)?;
    if lake.files_in(Path::new(RUNS_DIR))?.len() == 1 {
        catalog::refresh(lake_dir)?;
    }
    Ok(())
}
