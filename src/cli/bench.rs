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
    /// Leave out the national shape (steps a–d): only the history or
    /// header-CSV shapes asked for.
    #[arg(long, alias = "only-history")]
    no_national: bool,
    /// In the history shape, leave out DuckDB's own loader (step b): minutes
    /// on a national-scale history, and only needed for the ingest ratio.
    #[arg(long)]
    history_without_loader: bool,
    /// Also the header-CSV shape (step h) with this many young people in
    /// the DUO-CSV layout: few big files, many small, and one big file,
    /// each beside DuckDB's read_csv → Parquet; 0: not.
    #[arg(long, default_value_t = 0)]
    csv_persons: u64,
}

pub fn run(
    Args { dir, persons, weeks: weken, append_to, history_weeks, history_persons, no_national, history_without_loader, csv_persons }: Args,
) -> verzuim::Result<ExitCode> {
    let exe = std::env::current_exe().map_err(|e| Error::io("current executable", e))?;
    let options = verzuim::bench::Options { dir, persons, weken, exe };
    let mut measurements = Vec::new();
    if !no_national {
        measurements.extend(verzuim::bench::bench(&options)?.0);
    }
    if history_weeks > 0 {
        let h = verzuim::bench::History { persons: history_persons, weken: history_weeks, loader: !history_without_loader };
        measurements.extend(verzuim::bench::history(&options, &h)?);
    }
    if csv_persons > 0 {
        measurements.extend(verzuim::bench::header_csv(&options, csv_persons)?);
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
    /// Header CSVs (step h), each `read_csv` → one Parquet file.
    #[arg(long)]
    csv: bool,
    /// The delivery files.
    paths: Vec<PathBuf>,
}

pub fn run_loader(LoaderArgs { out, csv, paths }: LoaderArgs) -> verzuim::Result<ExitCode> {
    if csv {
        let files = verzuim::bench::duckdb_csv_loader(&paths, &out)?;
        println!("{files} header CSVs");
        return Ok(ExitCode::SUCCESS);
    }
    let (files, tables) = verzuim::bench::duckdb_loader(&paths, &out)?;
    println!("{files} deliveries, {tables} Parquet files");
    Ok(ExitCode::SUCCESS)
}
