//! `verzuim purge`: the bewaartermijn (AVG). Deliveries whose peildatum lies
//! more than the term before today leave the lake, and with them what was
//! derived from them: the catalog is rebuilt without them, an analyst
//! catalog made from them is deleted (the next run or `verzuim catalog
//! --analyse` makes it again from what is left), and archived or
//! quarantined delivery files older than the term are deleted. What was
//! removed is reported as counts, never as persons.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::catalog;
use crate::error::{Error, Result};
use crate::lake::{Lake, Purged};

pub struct Options {
    pub lake: PathBuf,
    pub bewaartermijn_dagen: u32,
    pub vandaag: NaiveDate,
    pub dry_run: bool,
    /// Archive and quarantine folders: delivery files as they arrived.
    pub bewaarmappen: Vec<PathBuf>,
    /// Analyst catalogs made from the lake (`verzuim-analyse.duckdb`).
    pub analysecatalogi: Vec<PathBuf>,
}

impl Options {
    /// The options of `verzuim purge`: the lake and bewaartermijn as given,
    /// else from the nightly job's configuration (`config`, read only when
    /// something is not given or the file exists); the archive, quarantine
    /// and analyst catalog from it too.
    pub fn resolve(config: &Path, lake: Option<PathBuf>, bewaartermijn: Option<&str>, dry_run: bool) -> Result<Options> {
        let cfg =
            if lake.is_some() && bewaartermijn.is_some() && !config.exists() { None } else { Some(crate::run::Config::load(config)?) };
        let lake = lake.or_else(|| cfg.as_ref().map(|c| c.lake.clone())).ok_or_else(|| Error::Usage("--lake or a configuration".into()))?;
        let bewaartermijn_dagen = match bewaartermijn {
            Some(d) => crate::run::config::parse_duration(d).map_err(Error::Usage)?,
            None => cfg.as_ref().map(|c| c.retention_days).ok_or_else(|| Error::Usage("--bewaartermijn or a configuration".into()))?,
        };
        let bewaarmappen = cfg.as_ref().map(|c| c.archive.iter().chain(c.quarantine.iter()).cloned().collect()).unwrap_or_default();
        let mut analysecatalogi = vec![lake.join(catalog::analyse::ANALYSE_FILE)];
        analysecatalogi.extend(cfg.as_ref().and_then(|c| c.analyse.as_ref()).and_then(|a| a.out.clone()));
        Ok(Options { lake, bewaartermijn_dagen, vandaag: chrono::Local::now().date_naive(), dry_run, bewaarmappen, analysecatalogi })
    }
}

pub struct Report {
    /// Deliveries with a peildatum before this day are removed.
    pub grens: NaiveDate,
    pub leveringen: Vec<Purged>,
    /// BRP extracts whose date lies before `grens`, removed like deliveries.
    pub brp_extracten: usize,
    /// DUO's VSV lists whose teljaar ended (T1) before `grens`, and
    /// A-rapportages whose month ended before it.
    pub lijsten: usize,
    pub bestanden: usize,
    /// Analyst catalogs deleted (or, in a dry run, to be deleted).
    pub analysecatalogi: usize,
}

impl Report {
    /// `C 2, P 104` and the person pictures they held.
    pub fn samenvatting(&self) -> String {
        let mut per = std::collections::BTreeMap::new();
        for p in &self.leveringen {
            *per.entry(p.soort.as_str()).or_insert(0usize) += 1;
        }
        let soorten: Vec<String> = per.iter().map(|(s, n)| format!("{s} {n}")).collect();
        let personen: u64 = self.leveringen.iter().map(|p| p.personen).sum();
        format!(
            "{} deliveries ({}) with {} person pictures, peildatum before {}; {} BRP extracts; {} DUO VSV lists and rapportages; {} archived or quarantined files{}",
            self.leveringen.len(),
            if soorten.is_empty() { "none".into() } else { soorten.join(", ") },
            personen,
            self.grens,
            self.brp_extracten,
            self.lijsten,
            self.bestanden,
            match self.analysecatalogi {
                0 => String::new(),
                n => format!("; {n} analyst catalog(s), to be made again from what is left"),
            }
        )
    }
}

pub fn purge(o: &Options) -> Result<Report> {
    let grens = o.vandaag - chrono::Duration::days(i64::from(o.bewaartermijn_dagen));
    let lake = Lake::open(&crate::lake::existing(&o.lake)?)?;
    let leveringen = lake.purge(&grens.format("%Y-%m-%d").to_string(), o.dry_run)?;
    // A BRP extract is as personal as a delivery and kept as long: by its
    // date. Removing one file is atomic; the catalog's glob no longer sees it.
    let oude_extracten: Vec<_> =
        lake.brp_extracts()?.into_iter().filter(|x| x.peildatum.as_str() < grens.format("%Y-%m-%d").to_string().as_str()).collect();
    if !o.dry_run {
        for x in &oude_extracten {
            std::fs::remove_file(&x.path).map_err(|e| Error::io(&x.path, e))?;
        }
    }
    let brp_extracten = oude_extracten.len();
    // DUO's VSV lists: a teljaar's list is dated by its T1 (1 October t+1)
    let mut lijsten = 0;
    for lijst in crate::lijst::layout::LIJSTEN {
        for path in lake.files_in(&Path::new(crate::lake::LISTS_DIR).join(lijst))? {
            let teljaar = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.split('_').next()).and_then(|t| t.parse::<i32>().ok());
            let Some(t1) = teljaar.and_then(|t| NaiveDate::from_ymd_opt(t + 1, 10, 1)) else { continue };
            if t1 < grens {
                lijsten += 1;
                if !o.dry_run {
                    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                }
            }
        }
    }
    // DUO's A-rapportages: by the month they report on (its last day)
    for code in crate::lijst::layout::RAPPORTAGES {
        for path in lake.files_in(&Path::new(crate::lake::RAPPORTAGES_DIR).join(code))? {
            let maand = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.split('_').next());
            let Some(eerste) = maand.and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()) else { continue };
            if eerste + chrono::Months::new(1) <= grens {
                lijsten += 1;
                if !o.dry_run {
                    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                }
            }
        }
    }
    let mut bestanden = 0;
    for dir in &o.bewaarmappen {
        bestanden += oude_bestanden(dir, grens, o.dry_run)?;
    }
    let mut analysecatalogi = 0;
    if !leveringen.is_empty() || brp_extracten > 0 || lijsten > 0 {
        if !o.dry_run {
            catalog::refresh(&o.lake)?;
        }
        for path in &o.analysecatalogi {
            if path.exists() {
                analysecatalogi += 1;
                if !o.dry_run {
                    std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
                }
            }
        }
    }
    let report = Report { grens, leveringen, brp_extracten, lijsten, bestanden, analysecatalogi };
    tracing::info!(dry_run = o.dry_run, "purge: {}", report.samenvatting());
    Ok(report)
}

/// Files under `dir` last modified before `grens` (archived in that month or
/// earlier), removed unless `dry_run`; returns how many.
fn oude_bestanden(dir: &Path, grens: NaiveDate, dry_run: bool) -> Result<usize> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let grens_tijd = std::time::SystemTime::UNIX_EPOCH
        + std::time::Duration::from_secs((grens.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp()).max(0) as u64);
    let mut n = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            n += oude_bestanden(&path, grens, dry_run)?;
            if !dry_run {
                let _ = std::fs::remove_dir(&path); // only when emptied
            }
            continue;
        }
        let oud = std::fs::metadata(&path).and_then(|m| m.modified()).is_ok_and(|t| t < grens_tijd);
        if oud {
            if !dry_run {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
            n += 1;
        }
    }
    Ok(n)
}
