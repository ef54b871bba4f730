//! `verzuim bench`: the national-scale benchmark, side by side with DuckDB's own loader

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Where the data set is generated once and kept, with the lakes the steps make.
    #[arg(long, default_value = "/tmp/verzuim-bench")]
    dir: PathBuf,
    /// Young people in the simulated country.
    #[arg(long, default_value_t = 3_500_000)]
    persons: u64,
    /// Weekly P-leveringen after the C-levering of each regio.
    #[arg(long, alias = "weken", default_value_t = 4)]
    weeks: u32,
    /// Append the result table (with machine, command and date) to this file.
    #[arg(long, alias = "rapport", value_name = "FILE")]
    append_to: Option<PathBuf>,
    /// Also the history shape: this many weekly P-leveringen per regio from
    /// 2024-10-01 (125 weeks × 40 regio's = 5,000 deliveries); 0: not.
    #[arg(long, default_value_t = 0)]
    history_weeks: u32,
    /// Young people in the history shape's country.
    #[arg(long, default_value_t = 400_000)]
    history_persons: u64,
    /// Only the history shape, not the national one.
    #[arg(long)]
    only_history: bool,
    /// In the history shape, leave out DuckDB's own loader (step b): minutes
    /// on a national-scale history, and only needed for the ingest ratio.
    #[arg(long)]
    history_without_loader: bool,
}

pub fn run(
    Args { dir, persons, weeks: weken, append_to, history_weeks, history_persons, only_history, history_without_loader }: Args,
) -> verzuim::Result<ExitCode> {
    let exe = std::env::current_exe().map_err(|e| Error::io("current executable", e))?;
    let options = verzuim::bench::Options { dir, persons, weken, exe };
    let mut measurements = Vec::new();
    if !only_history {
        measurements.extend(verzuim::bench::bench(&options)?.0);
    }
    if history_weeks > 0 {
        let h = verzuim::bench::History { persons: history_persons, weken: history_weeks, loader: !history_without_loader };
        measurements.extend(verzuim::bench::history(&options, &h)?);
    }
    let tabel = verzuim::bench::table(&measurements);
    println!("{tabel}");
    if let Some(path) = append_to {
        verzuim::bench::append_results(&path, &options, &tabel)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct LoaderArgs {
    /// The folder its Parquet files go to.
    #[arg(long)]
    out: PathBuf,
    /// The delivery files.
    paths: Vec<PathBuf>,
}

pub fn run_loader(LoaderArgs { out, paths }: LoaderArgs) -> verzuim::Result<ExitCode> {
    let (files, tables) = verzuim::bench::duckdb_loader(&paths, &out)?;
    println!("{files} deliveries, {tables} Parquet files");
    Ok(ExitCode::SUCCESS)
}
