//! `verzuim catalog`: refresh the DuckDB catalog <lake>/verzuim.duckdb (also done after every

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::catalog;

use super::datum_arg;

#[derive(clap::Args)]
pub struct Args {
    /// The lake (made only by ingest and run: another command on a path
    /// without one exits 2).
    #[arg(long, default_value = "lake")]
    lake: PathBuf,
    /// Rebuild from the whole lake even when an incremental refresh would do.
    #[arg(long, alias = "volledig")]
    full: bool,
    /// Also write the pseudonymised analyst catalog (docs/security.md):
    /// pseudonyms for pgn, no names or addresses, birth year and month,
    /// the figures for the arguments below.
    #[arg(long)]
    analyse: bool,
    /// Where the analyst catalog goes (default <lake>/verzuim-analyse.duckdb).
    #[arg(long, alias = "uit", requires = "analyse")]
    out: Option<PathBuf>,
    /// The pseudonym key, made on first use with mode 0600; outside the lake
    /// (default ~/.config/verzuim/pseudoniem.key).
    #[arg(long, requires = "analyse")]
    sleutel: Option<PathBuf>,
    /// Peildata for leerplichttelling, signalen and oud-vsv (repeatable;
    /// without any of these three options: every 1st of the month the lake
    /// covers, and its last peildatum).
    #[arg(long = "peildatum", requires = "analyse")]
    peildata: Vec<String>,
    /// Teljaren for vsv and vsv_verschillen (repeatable).
    #[arg(long = "teljaar", requires = "analyse")]
    teljaren: Vec<i32>,
    /// Schooljaren for vrijstellingen (repeatable).
    #[arg(long = "schooljaar", requires = "analyse")]
    schooljaren: Vec<i32>,
}

pub fn run(Args { lake, full, analyse, out, sleutel, peildata, teljaren, schooljaren }: Args) -> verzuim::Result<ExitCode> {
    let refreshed = catalog::refresh_with(&lake, full)?;
    println!("catalog: {} ({refreshed})", refreshed.path.display());
    if analyse {
        let r = catalog::analyse::analyse(&catalog::analyse::AnalyseOptions {
            lake: lake.clone(),
            out,
            sleutel: sleutel.unwrap_or_else(catalog::analyse::standaard_sleutel),
            peildata: peildata.iter().map(|d| datum_arg("peildatum", d)).collect::<verzuim::Result<Vec<_>>>()?,
            teljaren,
            schooljaren,
        })?;
        println!("analyst catalog: {} ({r})", r.path.display());
    }
    Ok(ExitCode::SUCCESS)
}
