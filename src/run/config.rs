//! The nightly job's configuration (`pipelines/nightly.toml`), checked with
//! clear messages before anything runs. Relative paths are relative to the
//! configuration file's directory, so a scheduler may start the job from
//! anywhere.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    run: RunFile,
    #[serde(default)]
    figure: Vec<Figure>,
    report: Option<ReportFile>,
    analyse: Option<AnalyseFile>,
    bewaking: Option<BewakingFile>,
    signaal: Option<SignaalFile>,
}

/// `[bewaking]`: when the data counts as stale (docs/operations.md,
/// "When the data stops"). Absent: the defaults, watched.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BewakingFile {
    p_levering_max_dagen: Option<u32>,
    c_levering_max_dagen: Option<u32>,
    bewaakt: Option<bool>,
    /// `[bewaking.afnemer.G0363]`: what differs for one afnemer.
    #[serde(default)]
    afnemer: std::collections::BTreeMap<String, crate::status::freshness::Override>,
}

/// `[signaal]`: the operator's monitor, told when a run starts, succeeds,
/// fails or finds stale data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignaalFile {
    url: Option<String>,
    command: Option<Vec<String>>,
    #[serde(default = "standaard_timeout")]
    timeout_seconden: u64,
}

fn standaard_timeout() -> u64 {
    10
}

/// `[analyse]`: the pseudonymised analyst catalog of `verzuim catalog
/// --analyse`, remade after a run that brought something new
/// (docs/security.md).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyseFile {
    /// Default `<lake>/verzuim-analyse.duckdb`.
    #[serde(alias = "uit")]
    out: Option<PathBuf>,
    /// The pseudonym key; default `~/.config/verzuim/pseudoniem.key`.
    sleutel: Option<PathBuf>,
    #[serde(default)]
    peildata: Vec<String>,
    #[serde(default)]
    teljaren: Vec<i32>,
    #[serde(default)]
    schooljaren: Vec<i32>,
}

/// The checked `[analyse]` section.
#[derive(Debug, Clone)]
pub struct AnalyseConfig {
    pub out: Option<PathBuf>,
    pub sleutel: PathBuf,
    pub peildata: Vec<chrono::NaiveDate>,
    pub teljaren: Vec<i32>,
    pub schooljaren: Vec<i32>,
}

/// `[report]`: the regio reports and worklists of `verzuim report`, made
/// after a run that brought something new (docs/reports.md).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportFile {
    out: PathBuf,
    regio: Option<String>,
    #[serde(default)]
    alle_regios: bool,
    #[serde(default = "alle_formaten", alias = "formaten")]
    format: Vec<String>,
    #[serde(default = "standaard_drempel")]
    drempel: i64,
    #[serde(default)]
    decimaalkomma: bool,
    #[serde(default = "ja")]
    werklijsten: bool,
    /// `DD-MM`: until this day of the year of the uitschrijving, summer
    /// uitschrijvingen are marked `zomerwissel` on the worklist.
    zomerwissel_tot: Option<String>,
    /// The yearly Leerplichttelling per gemeente: a schooljaar (`2024`) or
    /// `"vorig"` (the last one that ended before the run).
    leerplichttelling: Option<SchooljaarFile>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SchooljaarFile {
    Jaar(i32),
    Woord(String),
}

fn alle_formaten() -> Vec<String> {
    ["xlsx", "csv", "parquet", "html"].map(String::from).to_vec()
}
fn standaard_drempel() -> i64 {
    4
}
fn ja() -> bool {
    true
}

/// The checked `[report]` section.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    pub out: PathBuf,
    /// `None`: every regio with a covered gemeente.
    pub regio: Option<String>,
    pub formaten: Vec<crate::report::Format>,
    pub drempel: i64,
    pub decimaalkomma: bool,
    pub werklijsten: bool,
    pub zomerwissel_tot: crate::report::DagMaand,
    pub leerplichttelling: Option<Schooljaar>,
}

/// Which schooljaar's Leerplichttelling the nightly report writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schooljaar {
    Jaar(i32),
    /// The last schooljaar that ended before the run's day: from 1 August on, the one just ended.
    Vorig,
}

impl Schooljaar {
    pub fn on(self, today: chrono::NaiveDate) -> i32 {
        use chrono::Datelike;
        match self {
            Schooljaar::Jaar(s) => s,
            Schooljaar::Vorig if today.month() >= 8 => today.year() - 1,
            Schooljaar::Vorig => today.year() - 2,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    lake: PathBuf,
    inbox: Vec<InboxFile>,
    after: After,
    archive: Option<PathBuf>,
    quarantine: Option<PathBuf>,
    output: Option<PathBuf>,
    #[serde(default)]
    layouts: Vec<String>,
    #[serde(default)]
    reference: Vec<PathBuf>,
    /// folders (or files) of BRP extracts, loaded when new
    #[serde(default)]
    brp: Vec<PathBuf>,
    /// the BRP layout: "brp" (shipped) or a file
    brp_layout: Option<String>,
    #[serde(alias = "retention")]
    bewaartermijn: String,
}

/// An inbox: a folder, or a folder with the delivery facts its files lack
/// (header-CSV deliveries without them in a column or the file name):
/// `{ path = "inbox/g0363", soort = "P", afnemer = "G0363" }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum InboxFile {
    Folder(PathBuf),
    WithFacts(InboxWithFacts),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InboxWithFacts {
    path: PathBuf,
    soort: Option<String>,
    afnemer: Option<String>,
    peildatum: Option<String>,
}

/// What happens to an inbox file once its delivery is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum After {
    /// Processed files to `archive/JJJJ/MM/`, rejected ones to `quarantine/`.
    Archive,
    /// Leave them (for inboxes that are not the job's to empty, like the samples).
    Keep,
}

/// A figure (any query on the catalog) written as CSV after each run.
/// `{vandaag}`, `{teljaar}` and `{schooljaar}` are filled in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub name: String,
    pub sql: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub source: PathBuf,
    pub lake: PathBuf,
    pub inbox: Vec<PathBuf>,
    /// The delivery facts given per inbox (same order as `inbox`).
    pub inbox_facts: Vec<crate::normalise::Facts>,
    pub after: After,
    pub archive: Option<PathBuf>,
    pub quarantine: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// Layout names or files (as `--layout`); empty: the shipped ones.
    pub layouts: Vec<String>,
    pub reference: Vec<PathBuf>,
    /// Folders of BRP extracts (`crate::brp`), each loaded once.
    pub brp: Vec<PathBuf>,
    /// The BRP layout's name or file (relative paths resolved).
    pub brp_layout: String,
    /// The bewaartermijn in days (`5j`, `18m`, `90d`).
    pub retention_days: u32,
    pub figures: Vec<Figure>,
    pub report: Option<ReportConfig>,
    pub analyse: Option<AnalyseConfig>,
    /// `[bewaking]`, its defaults when absent.
    pub bewaking: crate::status::Thresholds,
    pub signaal: Option<SignaalConfig>,
}

/// The checked `[signaal]` section: a URL (healthchecks.io's conventions)
/// and/or a command, each bounded by the timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignaalConfig {
    pub url: Option<String>,
    /// program and arguments
    pub command: Option<Vec<String>>,
    pub timeout: std::time::Duration,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    // Long: one check per configuration key, in the order of the file; each is a few lines.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let bad = |m: String| Error::Usage(format!("{}: {m}", path.display()));
        let f: File = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let at = |p: &Path| if p.is_absolute() { p.to_path_buf() } else { tidy(&base.join(p)) };
        if f.run.inbox.is_empty() {
            return Err(bad("[run] inbox needs at least one folder".into()));
        }
        let (archive, quarantine) = (f.run.archive.as_deref().map(at), f.run.quarantine.as_deref().map(at));
        if f.run.after == After::Archive && (archive.is_none() || quarantine.is_none()) {
            return Err(bad("after = \"archive\" needs both `archive` and `quarantine` folders".into()));
        }
        let mut inbox = Vec::new();
        let mut inbox_facts = Vec::new();
        for i in &f.run.inbox {
            let (path, facts) = match i {
                InboxFile::Folder(p) => (at(p), crate::normalise::Facts::default()),
                InboxFile::WithFacts(w) => {
                    let peildatum = w
                        .peildatum
                        .as_deref()
                        .map(|d| {
                            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                                .map(crate::layout::days_from_date)
                                .map_err(|_| bad(format!("inbox {}: peildatum {d:?} is not a date JJJJ-MM-DD", w.path.display())))
                        })
                        .transpose()?;
                    let facts = crate::normalise::Facts { soort: w.soort.clone(), afnemer: w.afnemer.clone(), peildatum };
                    facts.check().map_err(|m| bad(format!("inbox {}: {m}", w.path.display())))?;
                    (at(&w.path), facts)
                }
            };
            inbox.push(path);
            inbox_facts.push(facts);
        }
        for i in &inbox {
            if !i.is_dir() {
                return Err(bad(format!("inbox {} is not a folder", i.display())));
            }
        }
        let mut names = std::collections::HashSet::new();
        for fig in &f.figure {
            if fig.name.is_empty() || !fig.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(bad(format!("figure name {:?}: letters, digits, _ and - only (it names a file)", fig.name)));
            }
            if !names.insert(fig.name.clone()) {
                return Err(bad(format!("figure {:?} is named twice", fig.name)));
            }
        }
        if !f.figure.is_empty() && f.run.output.is_none() {
            return Err(bad("figures need an `output` folder".into()));
        }
        let layouts = f
            .run
            .layouts
            .iter()
            .map(|l| if crate::layout::DeliveryLayout::builtin(l).is_some() { l.clone() } else { at(Path::new(l)).display().to_string() })
            .collect();
        let report = match f.report {
            None => None,
            Some(r) => {
                if r.regio.is_some() == r.alle_regios {
                    return Err(bad("[report] needs either `regio = \"32\"` or `alle_regios = true`".into()));
                }
                let regio = r.regio.as_deref().map(crate::report::regiocode).transpose().map_err(|e| bad(e.to_string()))?;
                let formaten = r
                    .format
                    .iter()
                    .map(|f| f.parse())
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|e| bad(format!("[report] format: {e}")))?;
                let zomerwissel_tot = match r.zomerwissel_tot.as_deref() {
                    None => crate::report::DagMaand::ZOMERWISSEL_TOT,
                    Some(t) => t.parse().map_err(|e| bad(format!("[report] zomerwissel_tot: {e}")))?,
                };
                let leerplichttelling = match &r.leerplichttelling {
                    None => None,
                    Some(SchooljaarFile::Jaar(s)) => Some(Schooljaar::Jaar(*s)),
                    Some(SchooljaarFile::Woord(w)) if w == "vorig" => Some(Schooljaar::Vorig),
                    Some(SchooljaarFile::Woord(w)) => {
                        return Err(bad(format!("[report] leerplichttelling = {w:?}: a schooljaar such as 2024, or \"vorig\"")));
                    }
                };
                Some(ReportConfig {
                    out: at(&r.out),
                    leerplichttelling,
                    regio,
                    formaten,
                    drempel: r.drempel.max(0),
                    decimaalkomma: r.decimaalkomma,
                    werklijsten: r.werklijsten,
                    zomerwissel_tot,
                })
            }
        };
        let analyse = match f.analyse {
            None => None,
            Some(a) => {
                let peildata = a
                    .peildata
                    .iter()
                    .map(|d| {
                        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                            .map_err(|_| bad(format!("[analyse] peildata: {d:?} is not a date JJJJ-MM-DD")))
                    })
                    .collect::<Result<Vec<_>>>()?;
                Some(AnalyseConfig {
                    out: a.out.as_deref().map(at),
                    sleutel: a.sleutel.as_deref().map(at).unwrap_or_else(crate::catalog::analyse::standaard_sleutel),
                    peildata,
                    teljaren: a.teljaren,
                    schooljaren: a.schooljaren,
                })
            }
        };
        let bewaking = bewaking(f.bewaking.unwrap_or_default()).map_err(bad)?;
        let signaal = match f.signaal {
            None => None,
            Some(sg) => {
                if sg.url.is_none() && sg.command.is_none() {
                    return Err(bad("[signaal] needs a `url` or a `command` (or both)".into()));
                }
                if let Some(u) = &sg.url
                    && !(u.starts_with("https://") || u.starts_with("http://"))
                {
                    return Err(bad(format!("[signaal] url {u:?}: an http:// or https:// address")));
                }
                let command = match sg.command {
                    Some(c) if c.is_empty() || c[0].is_empty() => {
                        return Err(bad("[signaal] command: a program, then its arguments: [\"/usr/local/bin/meld\", \"verzuim\"]".into()));
                    }
                    // a program named with a path is relative to this file, like every path here
                    Some(mut c) => {
                        if c[0].contains('/') {
                            c[0] = at(Path::new(&c[0])).display().to_string();
                        }
                        Some(c)
                    }
                    None => None,
                };
                if sg.timeout_seconden == 0 {
                    return Err(bad("[signaal] timeout_seconden: at least 1".into()));
                }
                Some(SignaalConfig { url: sg.url, command, timeout: std::time::Duration::from_secs(sg.timeout_seconden) })
            }
        };
        Ok(Config {
            source: path.to_path_buf(),
            lake: at(&f.run.lake),
            inbox,
            inbox_facts,
            after: f.run.after,
            archive,
            quarantine,
            output: f.run.output.as_deref().map(at),
            layouts,
            reference: f.run.reference.iter().map(|p| at(p)).collect(),
            brp: f.run.brp.iter().map(|p| at(p)).collect(),
            brp_layout: match f.run.brp_layout.as_deref() {
                None => "brp".into(),
                Some(l) if l.eq_ignore_ascii_case("brp") => l.into(),
                Some(file) => at(Path::new(file)).display().to_string(),
            },
            retention_days: parse_duration(&f.run.bewaartermijn).map_err(bad)?,
            figures: f.figure,
            report,
            analyse,
            bewaking,
            signaal,
        })
    }
}

/// The checked `[bewaking]` section: the defaults where a key is absent.
fn bewaking(b: BewakingFile) -> std::result::Result<crate::status::Thresholds, String> {
    let mut t = crate::status::Thresholds::default();
    t.limits.p_levering_max_dagen = b.p_levering_max_dagen.unwrap_or(t.limits.p_levering_max_dagen);
    t.limits.c_levering_max_dagen = b.c_levering_max_dagen.unwrap_or(t.limits.c_levering_max_dagen);
    t.limits.bewaakt = b.bewaakt.unwrap_or(true);
    for (code, o) in b.afnemer {
        let facts = crate::normalise::Facts { afnemer: Some(code.clone()), ..Default::default() };
        facts.check().map_err(|m| format!("[bewaking.afnemer.{code}]: {m}"))?;
        t.per_afnemer.insert(code, o);
    }
    Ok(t)
}

/// `pipelines/../lake` → `lake`, as people would write it in logs and
/// summaries. Lexical: a `..` undoes the folder named before it. (Through a
/// symlinked folder that could name another place; configurations here
/// name plain folders.)
fn tidy(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

/// `5j` (jaar), `18m` (maand), `90d` (dag) → days.
pub fn parse_duration(s: &str) -> std::result::Result<u32, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u32 = num.parse().map_err(|_| format!("bewaartermijn {s:?}: write a number and j, m or d, e.g. \"5j\""))?;
    match unit {
        "j" | "y" => Ok(n * 365),
        "m" => Ok(n * 30),
        "d" => Ok(n),
        _ => Err(format!("bewaartermijn {s:?}: the unit is j (jaar), m (maand) or d (dag)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_tidied_and_durations_read() {
        assert_eq!(tidy(Path::new("pipelines/../data-samples")), PathBuf::from("data-samples"));
        assert_eq!(tidy(Path::new("./pipelines/../../x")), PathBuf::from("../x"));
        assert_eq!(tidy(Path::new("/etc/verzuim/../srv")), PathBuf::from("/etc/srv"));
        assert_eq!(tidy(Path::new("pipelines/..")), PathBuf::from("."));
        assert_eq!(parse_duration("5j"), Ok(1825));
        assert_eq!(parse_duration("18m"), Ok(540));
        assert!(parse_duration("5 jaar").is_err() && parse_duration("j").is_err());
    }

    fn parse_with(extra: &str) -> Result<Config> {
        let dir = tempfile_dir();
        let text = format!("[run]\nlake = \"lake\"\ninbox = [\".\"]\nafter = \"keep\"\nbewaartermijn = \"5j\"\n{extra}");
        Config::parse(&text, &dir.join("job.toml"))
    }

    /// The folder of this crate: an inbox that exists.
    fn tempfile_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn bewaking_and_signaal_are_read_with_their_defaults() {
        let c = parse_with("").unwrap();
        assert_eq!(c.bewaking, crate::status::Thresholds::default());
        assert_eq!((c.bewaking.limits.p_levering_max_dagen, c.bewaking.limits.c_levering_max_dagen), (10, 400));
        assert!(c.signaal.is_none());
        let c = parse_with(
            "[bewaking]\np_levering_max_dagen = 14\n[bewaking.afnemer.G0363]\np_levering_max_dagen = 30\n\
             [bewaking.afnemer.R0032]\nbewaakt = false\n[signaal]\nurl = \"https://hc-ping.com/abc\"\ncommand = [\"bin/meld\", \"x\"]\n",
        )
        .unwrap();
        assert_eq!(c.bewaking.for_afnemer("G0687").p_levering_max_dagen, 14);
        assert_eq!(c.bewaking.for_afnemer("G0363").p_levering_max_dagen, 30);
        assert!(!c.bewaking.for_afnemer("R0032").bewaakt && c.bewaking.for_afnemer("G0363").bewaakt);
        let sg = c.signaal.unwrap();
        assert_eq!(sg.timeout, std::time::Duration::from_secs(10));
        assert_eq!(sg.command.unwrap()[0], tempfile_dir().join("bin/meld").display().to_string(), "a path relative to the file");
    }

    #[test]
    fn bad_bewaking_and_signaal_sections_are_refused_naming_the_key() {
        for (extra, needle) in [
            ("[bewaking]\np_levering_max_dagen = -1\n", "p_levering_max_dagen"),
            ("[bewaking]\np_levering_max = 10\n", "p_levering_max"),
            ("[bewaking.afnemer.X1]\nbewaakt = false\n", "[bewaking.afnemer.X1]"),
            ("[signaal]\ntimeout_seconden = 5\n", "needs a `url` or a `command`"),
            ("[signaal]\nurl = \"hc-ping.com/abc\"\n", "http:// or https://"),
            ("[signaal]\ncommand = []\n", "a program, then its arguments"),
            ("[signaal]\nurl = \"http://x\"\ntimeout_seconden = 0\n", "at least 1"),
            ("[report]\nout = \"r\"\nregio = \"32\"\nzomerwissel_tot = \"31-02\"\n", "zomerwissel_tot"),
            ("[report]\nout = \"r\"\nregio = \"32\"\nleerplichttelling = \"vorige\"\n", "leerplichttelling"),
        ] {
            match parse_with(extra) {
                Err(crate::Error::Usage(m)) => assert!(m.contains(needle), "{extra}: {m}"),
                other => panic!("{extra}: {:?}", other.map(|_| ())),
            }
        }
    }

    /// `leerplichttelling = "vorig"`: the schooljaar that ended last before the run's day.
    #[test]
    fn the_previous_schooljaar_is_the_one_that_ended_last() {
        let on = |d: &str| Schooljaar::Vorig.on(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        assert_eq!([on("2025-07-31"), on("2025-08-01"), on("2025-12-01"), on("2026-01-15")], [2023, 2024, 2024, 2024]);
        assert_eq!(Schooljaar::Jaar(2021).on(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()), 2021);
    }
}
