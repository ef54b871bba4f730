//! `verzuim reference`: public reference data: Basisgegevens instellingen, DUO address files, opleidingen.

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;
use verzuim::catalog;
use verzuim::layout::DateFormat;
use verzuim::reference::{RefLayout, RefLoader, RefReport, RefStatus};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Load reference files (CSV, or DUO's zip), each recognised by its header.
    ///
    /// An address file also shows how the gemeente → regio table it implies
    /// differs from the one in force; --regio-vanaf adopts it from that date.
    /// Exit status: 0 every file loaded or already present, 1 a file was
    /// rejected, 2 usage error.
    Load {
        /// Reference files (CSV) or DUO's zips of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The lake (made only by ingest and run: another command on a path
        /// without one exits 2).
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// A reference layout file; given, only these layouts are tried.
        /// Default: the shipped ones (pipelines/reference/).
        #[arg(long = "layout", value_name = "FILE")]
        layouts: Vec<PathBuf>,
        /// Adopt the regio table derived from the (one) address file from this date (JJJJ-MM-DD).
        #[arg(long, value_name = "DATUM")]
        regio_vanaf: Option<String>,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

pub fn run(Args { command }: Args) -> verzuim::Result<ExitCode> {
    let Command::Load { paths, lake, layouts, regio_vanaf } = command;
    let layouts = if layouts.is_empty() {
        RefLayout::all_builtin()
    } else {
        layouts.iter().map(|p| RefLayout::from_path(p)).collect::<verzuim::Result<_>>()?
    };
    let vanaf = match regio_vanaf.as_deref() {
        None => None,
        Some(d) => Some(
            DateFormat::parse_pattern("JJJJ-MM-DD")
                .expect("valid pattern")
                .parse_days(d)
                .ok_or_else(|| Error::Usage(format!("--regio-vanaf {d:?} is not a date JJJJ-MM-DD")))?,
        ),
    };
    verzuim::lake::existing(&lake)?;
    let reports = RefLoader::new(&lake, layouts)?.load(&paths, vanaf)?;
    print_reference(&reports);
    let path = catalog::refresh(&lake)?;
    println!("catalog: {}", path.display());
    let rejected = reports.iter().any(|r| matches!(r.status, RefStatus::Rejected(_)));
    Ok(if rejected { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_reference(reports: &[RefReport]) {
    for r in reports {
        let status = match &r.status {
            RefStatus::Loaded => "loaded".to_string(),
            RefStatus::AlreadyPresent => "already present".to_string(),
            RefStatus::Rejected(why) => format!("rejected: {why}"),
        };
        println!("{}  {} → {}  {} rows  {status}", r.name, r.layout.as_deref().unwrap_or("-"), r.table.as_deref().unwrap_or("-"), r.rows);
        if let Some(regio) = &r.regio {
            let regios: std::collections::BTreeSet<_> = regio.derived.values().map(|g| &g.regiocode).collect();
            println!(
                "  regio-indeling in this file: {} gemeenten in {} regio's; {} difference(s) from the one in force",
                regio.derived.len(),
                regios.len(),
                regio.differences.len()
            );
            for d in &regio.differences {
                println!("    {d}");
            }
            if regio.absent > 0 {
                println!("    ({} gemeenten of the table in force have no school in this file; they keep their regio)", regio.absent);
            }
            for c in &regio.conflicts {
                println!("    conflict: {c}");
            }
            match &r.adopted_from {
                Some(d) => println!("  adopted: in force from {d}"),
                None if !regio.differences.is_empty() => println!("  (adopt it with --regio-vanaf JJJJ-MM-DD)"),
                None => {}
            }
        }
    }
}
