//! `verzuim inspect`: tell which layout a file (or each member of a zip) matches, its

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::layout::Layout;

#[derive(clap::Args)]
pub struct Args {
    /// A delivery file or a zip of them.
    file: PathBuf,
    /// As for ingest.
    #[arg(long = "layout", value_name = "NAME|FILE")]
    layouts: Vec<String>,
}

pub fn run(Args { file, layouts }: Args) -> verzuim::Result<ExitCode> {
    let (layouts, forced) = Layout::select(&layouts)?;
    // a zip is inspected member by member, as ingest reads it
    let (inputs, _) = verzuim::input::discover(std::slice::from_ref(&file), &[])?;
    let mut clean = true;
    for (i, inp) in inputs.iter().enumerate() {
        let inspection = verzuim::inspect::inspect(&inp.read()?, &layouts, forced)?;
        if i > 0 {
            println!();
        }
        print!("{}", inspection.render(&inp.name()));
        clean &= inspection.problems.is_empty();
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
