//! `verzuim lijst`: DUO's own VSV lists (startpopulatie, nieuwe vsv'ers)
//! and monthly A-rapportages.

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::catalog;
use verzuim::lijst::{Given, ListLayout};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Load DUO's VSV lists (NRSP: the startpopulatie; NenR: the nieuwe
    /// vsv'ers) and monthly A-rapportages (A01, A02, A04, A05), each
    /// recognised by its header, once per content. `verzuim ingest` and the
    /// nightly run load them too when their file names say teljaar and
    /// status (NRSP2023DI27GZ.csv) or month; here they can be given.
    ///
    /// Exit status: 0 every file loaded or already present, 1 one was
    /// refused (a ragged row, an unreadable date, a teljaar the name and
    /// --teljaar disagree on: line and column named), 2 usage error.
    Load {
        /// List files (CSV), folders or zips.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The lake (made only by ingest and run).
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// The teljaar of every list given (T: T0 = 1 October T; DUO's file
        /// name says the year T+1).
        #[arg(long, value_name = "T")]
        teljaar: Option<i32>,
        /// voorlopig or definitief, for every list given.
        #[arg(long, value_name = "voorlopig|definitief")]
        status: Option<String>,
        /// The month every rapportage given reports on (its file name and
        /// rows may say another: this one counts).
        #[arg(long, value_name = "JJJJ-MM", value_parser = parse_maand)]
        maand: Option<String>,
        /// A list layout file; given, only these are tried. Default: the
        /// shipped ones (pipelines/lijsten/).
        #[arg(long = "layout", value_name = "FILE")]
        layouts: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

pub fn run(Args { command }: Args) -> verzuim::Result<ExitCode> {
    let Command::Load { paths, lake, teljaar, status, maand, layouts } = command;
    if let Some(s) = &status
        && s != "voorlopig"
        && s != "definitief"
    {
        return Err(verzuim::Error::Usage(format!("--status {s:?}: voorlopig or definitief")));
    }
    let layouts = match layouts.is_empty() {
        true => ListLayout::all_builtin(),
        false => layouts.iter().map(|p| ListLayout::from_path(p)).collect::<verzuim::Result<_>>()?,
    };
    verzuim::lake::existing(&lake)?;
    let reports = verzuim::lijst::load(&lake, &layouts, &paths, &Given { teljaar, status, maand })?;
    for r in &reports {
        let outcome = match &r.outcome {
            Ok(true) => "loaded".to_string(),
            Ok(false) => "already present".to_string(),
            Err(why) => format!("refused: {why}"),
        };
        let findings = match r.ongeldige_nummers {
            0 => String::new(),
            n => format!(
                " ({n} numbers fail the 11-proef: kept, see {}.nummer_geldig)",
                if r.maand.is_some() { "duo_rapportage" } else { "duo_vsv_lijst" }
            ),
        };
        let of = match (&r.maand, r.teljaar) {
            (Some(m), _) => format!("maand {m}"),
            (None, t) => {
                format!("teljaar {}  {}", t.map(|t| t.to_string()).unwrap_or_else(|| "-".into()), r.status.as_deref().unwrap_or("-"))
            }
        };
        println!("{}  {}  {of}  {} rows{findings}  {outcome}", r.name, if r.layout.is_empty() { "-" } else { &r.layout }, r.rows);
        if let Some(b) = &r.bevinding {
            println!("  note: {b}");
        }
    }
    let path = catalog::refresh(&lake)?;
    println!("catalog: {}", path.display());
    Ok(if reports.iter().any(|r| r.outcome.is_err()) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `JJJJ-MM`, a real month.
fn parse_maand(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 7)
        .map(|_| s.to_string())
        .ok_or_else(|| format!("{s:?}: a month as JJJJ-MM"))
}
