//! `verzuim sql`: run one SQL query against the catalog: the figures' macros, the lake's

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::catalog::{self, OutputFormat};

#[derive(clap::Args)]
pub struct Args {
    /// The lake whose catalog to query, or a catalog file itself (such
    /// as the analyst catalog verzuim-analyse.duckdb), opened read-only.
    #[arg(long, default_value = "lake")]
    lake: PathBuf,
    /// table, csv (with a header row), json or parquet.
    #[arg(long, default_value = "table")]
    format: OutputFormat,
    /// Write here instead of standard output (needed for parquet); the file
    /// is made readable by its owner only (answers name persons).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The query, e.g. "select * from leerplichttelling(date '2026-10-26')".
    query: String,
}

pub fn run(Args { lake, format, out, query }: Args) -> verzuim::Result<ExitCode> {
    if let Some(text) = catalog::query(&lake, &query, format, out.as_deref())? {
        print!("{text}");
        if !text.ends_with('\n') {
            println!();
        }
    }
    Ok(ExitCode::SUCCESS)
}
