//! `verzuim purge`: the bewaartermijn: remove deliveries whose peildatum is older than the

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The nightly job's configuration: lake, bewaartermijn, archive and quarantine.
    #[arg(default_value = "pipelines/nightly.toml")]
    config: PathBuf,
    /// The lake, instead of the configuration's.
    #[arg(long)]
    lake: Option<PathBuf>,
    /// The bewaartermijn, instead of the configuration's: a number and j
    /// (jaar), m (maand) or d (dag), e.g. 5j. Deliveries with a peildatum
    /// older than that go.
    #[arg(long, alias = "ouder-dan", value_name = "DUUR")]
    bewaartermijn: Option<String>,
    /// Show what would be removed; remove nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(Args { config, lake, bewaartermijn, dry_run }: Args) -> verzuim::Result<ExitCode> {
    let options = verzuim::purge::Options::resolve(&config, lake, bewaartermijn.as_deref(), dry_run)?;
    let r = verzuim::purge::purge(&options)?;
    println!("{}: {}", if dry_run { "would remove" } else { "removed" }, r.samenvatting());
    Ok(ExitCode::SUCCESS)
}
