//! `verzuim ingest`: input → parse → normalise → lake, in parallel, exactly once.
//!
//! Every input is hashed first (SHA-256 is the delivery's identity), so that
//! a delivery already in the lake, or given twice in one run, is recognised
//! before any parsing. The remaining deliveries are parsed in parallel
//! across files, and each large file in parallel across its chunks.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::error::{Error, Rejection, Result};
use crate::input::{self, Encoding, Input, content_id as levering_id};
use crate::lake::{Commit, Lake, Staged, Staging};
use crate::layout::{DeliveryLayout, iso_date};
use crate::normalise::{DeliveryMeta, DeliveryReader, Facts, Normalised};

/// Chunks of about this many bytes parse in parallel within a file.
pub const CHUNK_BYTES: usize = 8 << 20;

/// Deliveries committed together: one sync of the file system makes a
/// batch durable (docs/lake.md). Larger batches sync less often; smaller
/// ones make deliveries visible sooner and lose less to a crash.
pub const COMMIT_BATCH: usize = 64;

pub struct Ingest {
    lake: Lake,
    readers: Vec<DeliveryReader>,
    /// Use the one layout given, without recognition.
    forced: bool,
    /// Delivery facts given on the command line.
    facts: Facts,
    /// DUO's VSV lists, recognised among the deliveries (`crate::lijst`).
    lists: Vec<crate::lijst::ListLayout>,
}

/// The files of deliveries ingest looks for in a directory.
pub const EXTENSIONS: &[&str] = &["txt", "csv", "zip"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ingested,
    /// Its levering_id is already committed.
    AlreadyPresent,
    /// The same bytes came earlier in this run, under the name given.
    Duplicate(String),
    Rejected(Rejection),
}

impl Status {
    pub fn label(&self) -> String {
        match self {
            Status::Ingested => "ingested".into(),
            Status::AlreadyPresent => "already present".into(),
            Status::Duplicate(of) => format!("duplicate (same bytes as {of})"),
            Status::Rejected(why) => format!("rejected: {why}"),
        }
    }
}

/// One line of the ingest summary. Holds no personal data.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub name: String,
    /// The file on disk (for a zip member: the zip).
    pub source: PathBuf,
    pub status: Status,
    pub levering_id: Option<String>,
    pub layout: Option<String>,
    pub encoding: Option<Encoding>,
    pub soort: Option<String>,
    pub afnemer: Option<String>,
    pub peildatum: Option<String>,
    pub persons: u64,
    pub records: u64,
    pub bevindingen: u64,
    pub bytes: u64,
}

impl FileReport {
    fn new(inp: &Input, status: Status) -> Self {
        FileReport {
            name: inp.name(),
            source: inp.source().to_path_buf(),
            status,
            levering_id: None,
            layout: None,
            encoding: None,
            soort: None,
            afnemer: None,
            peildatum: None,
            persons: 0,
            records: 0,
            bevindingen: 0,
            bytes: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub files: Vec<FileReport>,
    pub skipped: Vec<input::Skipped>,
    pub seconds: f64,
    /// Once per layout that read a delivery here: the figures it cannot
    /// answer (its absent canonical columns), not once per file.
    pub warnings: Vec<String>,
}

impl Summary {
    pub fn rejected(&self) -> usize {
        self.files.iter().filter(|f| matches!(f.status, Status::Rejected(_))).count()
    }
}

/// What becomes of an input before anything is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Not in the lake: to be ingested (its SHA-256).
    New(String),
    /// Already present, or the same bytes as an earlier input of this run.
    Known(String, Status),
    /// It could not even be read.
    Unreadable(String),
}

/// Hashes every input (in parallel) and decides, in input order, which are
/// new: the first of equal identities counts, later ones are duplicates,
/// and one whose levering_id is in `committed` is already present. An
/// identity is the SHA-256 of the bytes — for a header-CSV file with its
/// name and `facts` (see [`Input::identity`]). Reads the inputs, writes
/// nothing: `run --dry-run` uses it as it is.
pub fn classify(inputs: &[Input], facts: &[&Facts], committed: &HashSet<String>) -> Vec<Fate> {
    let hashes: Vec<Result<String>> =
        inputs.par_iter().zip(facts).map(|(inp, f)| inp.identity(&format!("{:?}|{:?}|{:?}", f.soort, f.afnemer, f.peildatum))).collect();
    let mut first_seen: HashMap<String, String> = HashMap::new();
    inputs
        .iter()
        .zip(hashes)
        .map(|(inp, hash)| {
            let sha = match hash {
                Ok(h) => h,
                Err(e) => return Fate::Unreadable(e.to_string()),
            };
            if let Some(of) = first_seen.get(&sha) {
                return Fate::Known(sha, Status::Duplicate(of.clone()));
            }
            first_seen.insert(sha.clone(), inp.name());
            if committed.contains(&levering_id(&sha)) { Fate::Known(sha, Status::AlreadyPresent) } else { Fate::New(sha) }
        })
        .collect()
}

impl Ingest {
    /// `layouts`: the candidates for recognition; `forced` uses the single
    /// layout given for every file.
    pub fn new<L: Into<DeliveryLayout>>(lake_dir: &Path, layouts: Vec<L>, forced: bool) -> Result<Ingest> {
        let layouts: Vec<DeliveryLayout> = layouts.into_iter().map(Into::into).collect();
        if layouts.is_empty() {
            return Err(Error::Usage("no layout to read deliveries with".into()));
        }
        if forced && layouts.len() != 1 {
            return Err(Error::Usage("a forced layout must be exactly one".into()));
        }
        let readers = layouts.into_iter().map(DeliveryReader::new).collect::<Result<Vec<_>>>()?;
        let lists = crate::lijst::ListLayout::all_builtin();
        Ok(Ingest { lake: Lake::open(lake_dir)?, readers, forced, facts: Facts::default(), lists })
    }

    /// Delivery facts for every file of [`Ingest::run`] (`--soort --afnemer --peildatum`).
    pub fn with_facts(mut self, facts: Facts) -> Result<Ingest> {
        facts.check().map_err(Error::Usage)?;
        self.facts = facts;
        Ok(self)
    }

    pub fn lake(&self) -> &Lake {
        &self.lake
    }

    pub fn run(&self, paths: &[PathBuf]) -> Result<Summary> {
        self.run_groups(&[(paths.to_vec(), self.facts.clone())])
    }

    /// Like [`Ingest::run`], with the facts of each group of paths (the
    /// nightly run's inboxes, each with its own).
    pub fn run_groups(&self, groups: &[(Vec<PathBuf>, Facts)]) -> Result<Summary> {
        let started = Instant::now();
        let mut inputs = Vec::new();
        let mut facts = Vec::new();
        let mut skipped = Vec::new();
        for (paths, given) in groups {
            given.check().map_err(Error::Usage)?;
            let (found, skip) = input::discover(paths, EXTENSIONS)?;
            facts.extend(std::iter::repeat_n(given, found.len()));
            inputs.extend(found);
            skipped.extend(skip);
        }
        let committed: HashSet<String> = self.lake.committed()?.into_keys().collect();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0);

        let mut work: Vec<(usize, String)> = Vec::new();
        let mut files: Vec<Option<FileReport>> = vec![None; inputs.len()];
        for (i, (inp, fate)) in inputs.iter().zip(classify(&inputs, &facts, &committed)).enumerate() {
            match fate {
                Fate::New(sha) => work.push((i, sha)),
                Fate::Known(sha, status) => {
                    let mut r = FileReport::new(inp, status);
                    r.levering_id = Some(levering_id(&sha));
                    files[i] = Some(r);
                }
                Fate::Unreadable(why) => files[i] = Some(FileReport::new(inp, Status::Rejected(Rejection::Unreadable(why)))),
            }
        }

        // In batches: the deliveries of one are parsed and staged in
        // parallel, then made durable and visible together (Lake::publish).
        for batch in work.chunks(COMMIT_BATCH) {
            let staged: Vec<(usize, FileReport, Option<Staged>)> = batch
                .par_iter()
                .map(|(i, sha)| {
                    let (report, staged) = self.stage_one(&inputs[*i], facts[*i], sha, now);
                    (*i, report, staged)
                })
                .collect();
            let (mut reports, mut to_publish) = (Vec::new(), Vec::new());
            for (i, report, staged) in staged {
                match staged {
                    Some(s) => {
                        reports.push((i, report));
                        to_publish.push(s);
                    }
                    None => files[i] = Some(report),
                }
            }
            for ((i, mut r), result) in reports.into_iter().zip(self.lake.publish(to_publish)) {
                match result {
                    Ok(Commit::Committed(_)) => {}
                    Ok(Commit::AlreadyPresent(_)) => r.status = Status::AlreadyPresent,
                    Err(e) => r.status = Status::Rejected(Rejection::Lake(e.to_string())),
                }
                files[i] = Some(r);
            }
        }
        let files: Vec<FileReport> = files.into_iter().map(|f| f.expect("every input got a report")).collect();
        let mut warnings = Vec::new();
        for reader in &self.readers {
            if !files.iter().any(|f| f.status == Status::Ingested && f.layout.as_deref() == Some(reader.name())) {
                continue;
            }
            for u in reader.unanswerable() {
                warnings.push(format!("layout {} cannot answer {u}", reader.name()));
            }
        }
        Ok(Summary { files, skipped, seconds: started.elapsed().as_secs_f64(), warnings })
    }

    /// Parses, normalises and stages one delivery: its report, and what
    /// waits for [`Lake::publish`] (None: rejected or already present).
    fn stage_one(&self, inp: &Input, given: &Facts, sha: &str, now: i64) -> (FileReport, Option<Staged>) {
        let id = levering_id(sha);
        let mut report = FileReport::new(inp, Status::Ingested);
        report.levering_id = Some(id.clone());
        match self.parse_and_stage(inp, given, sha, &id, now, &mut report) {
            Ok(staged) => (report, staged),
            Err(why) => {
                report.status = Status::Rejected(why);
                (report, None)
            }
        }
    }

    fn parse_and_stage(
        &self,
        inp: &Input,
        given: &Facts,
        sha: &str,
        id: &str,
        now: i64,
        report: &mut FileReport,
    ) -> Result<Option<Staged>, Rejection> {
        let bytes = inp.read().map_err(|e| Rejection::Unreadable(e.to_string()))?;
        report.bytes = bytes.len() as u64;
        let (text, encoding) = crate::input::into_text(bytes).map_err(Rejection::Unreadable)?;
        let text = text.as_str();
        report.encoding = Some(encoding);
        // DUO's VSV lists and A-rapportages arrive in the same inbox:
        // recognised by header, stored as such, not as deliveries (their
        // teljaar and status, or month, from the name); a rapportage whose
        // name and rows disagree on the month is a finding
        let list = match self.forced {
            true => None,
            false => crate::lijst::recognise(&self.lists, crate::layout::csv::first_line(text), &inp.file_name())
                .map_err(Rejection::Unreadable)?,
        };
        if let Some(list) = list {
            report.levering_id = None;
            report.layout = Some(list.name.clone());
            let mut r = crate::lijst::ListReport::new(&inp.name());
            let stored = crate::lijst::store(&self.lake, list, text, &inp.file_name(), sha, &Default::default(), &mut r)?;
            report.persons = r.rows as u64;
            report.bevindingen = (r.ongeldige_nummers + usize::from(r.bevinding.is_some())) as u64;
            report.peildatum = r.maand.map(|m| format!("{m}-01"));
            if !stored {
                report.status = Status::AlreadyPresent;
            }
            return Ok(None);
        }
        let reader = self.choose_reader(text).map_err(Rejection::Unreadable)?;
        report.layout = Some(reader.name().to_string());
        let meta = DeliveryMeta { levering_id: id.to_string(), bestand: inp.file_name(), sha256: sha.to_string(), ingelezen_op: now };
        let n: Normalised = reader.normalise(text, &meta, given, CHUNK_BYTES).map_err(Rejection::Content)?;
        crate::failpoint::pause("na_parsen");
        report.soort = Some(n.key.soort.clone());
        report.afnemer = Some(n.key.afnemer.clone());
        report.peildatum = Some(iso_date(n.key.peildatum));
        report.persons = n.persons;
        report.records = n.records;
        report.bevindingen = n.bevindingen;
        match self.lake.stage(&n.key, id, &n.tables).map_err(|e| Rejection::Lake(e.to_string()))? {
            Staging::Staged(staged) => Ok(Some(staged)),
            Staging::AlreadyPresent(_) => {
                report.status = Status::AlreadyPresent;
                Ok(None)
            }
        }
    }

    fn choose_reader(&self, text: &str) -> Result<&DeliveryReader, String> {
        if self.forced {
            return Ok(&self.readers[0]);
        }
        let first = crate::layout::csv::first_line(text);
        self.readers.iter().find(|r| r.recognises(first)).ok_or_else(|| {
            let tried: Vec<String> = self.readers.iter().map(|r| format!("{} ({})", r.name(), r.recognition())).collect();
            format!("no layout recognises this file; tried {}. `verzuim inspect FILE` drafts a layout for it", tried.join(", "))
        })
    }
}
