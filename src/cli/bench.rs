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
}

pub fn run(Args { dir, persons, weeks: weken, append_to }: Args) -> verzuim::Result<ExitCode> {
    let exe = std::env::current_exe().map_err(|e| Error::io("current executable", e))?;
    let options = verzuim::bench::Options { dir, persons, weken, exe };
    let (_, tabel) = verzuim::bench::bench(&options)?;
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
