//! `verzuim brp`: the gemeente's population register (BRP) beside DUO's data.

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::brp::{BrpLayout, BrpReport, BrpStatus, Given};
use verzuim::catalog;
use verzuim::layout::iso_date;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Load BRP extracts (header CSV, one row per resident, or zips of them)
    /// into the lake, each once, whole or not at all. A later extract of the
    /// same gemeente supersedes an earlier one in the figures
    /// (brp_vergelijking, the signals, the yearly Leerplichttelling).
    ///
    /// Exit status: 0 every extract loaded or already present, 1 an extract
    /// was refused (a bad BSN, a missing birth date, a BSN twice: line and
    /// column named, the number masked), 2 usage error.
    Load {
        /// BRP extracts (files, folders, zips).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The lake (made only by ingest and run).
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// The BRP layout: `brp` (shipped, pipelines/brp/brp.toml) or a file
        /// (`verzuim inspect FILE --brp --draft mijn.toml` drafts one).
        #[arg(long, default_value = "brp", value_name = "NAME|FILE")]
        layout: String,
        /// The gemeente of every extract given (else a column or the file name says it).
        #[arg(long, value_name = "CODE")]
        gemeente: Option<String>,
        /// The extract date of every extract given (else a column or the file name says it).
        #[arg(long, value_name = "JJJJ-MM-DD")]
        peildatum: Option<String>,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

pub fn run(Args { command }: Args) -> verzuim::Result<ExitCode> {
    let Command::Load { paths, lake, layout, gemeente, peildatum } = command;
    let layout = BrpLayout::named(&layout)?;
    let given = given(gemeente, peildatum)?;
    verzuim::lake::existing(&lake)?;
    let reports = verzuim::brp::load(&lake, &layout, &paths, &given)?;
    print_reports(&reports);
    let path = catalog::refresh(&lake)?;
    println!("catalog: {}", path.display());
    let refused = reports.iter().any(|r| matches!(r.status, BrpStatus::Rejected(_)));
    Ok(if refused { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The command line's facts, their form checked.
pub fn given(gemeente: Option<String>, peildatum: Option<String>) -> verzuim::Result<Given> {
    if let Some(g) = &gemeente
        && (g.is_empty() || g.len() > 4 || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(verzuim::Error::Usage(format!("--gemeente {g:?}: one to four digits, e.g. 0363")));
    }
    let peildatum = peildatum.map(|p| super::datum_arg("peildatum", &p).map(verzuim::layout::days_from_date)).transpose()?;
    Ok(Given { gemeente: gemeente.map(|g| format!("{g:0>4}")), peildatum })
}

/// One line per file: counts and facts, never a resident.
pub fn print_reports(reports: &[BrpReport]) {
    for r in reports {
        let status = match &r.status {
            BrpStatus::Loaded => "loaded".to_string(),
            BrpStatus::AlreadyPresent => "already present".to_string(),
            BrpStatus::Rejected(why) => format!("refused: {why}"),
        };
        println!(
            "{}  gemeente {}  peildatum {}  {} residents  {status}",
            r.name,
            r.gemeentecode.as_deref().unwrap_or("-"),
            r.peildatum.map(iso_date).unwrap_or_else(|| "-".into()),
            r.residents
        );
    }
}
