//! `verzuim inspect`: which layout a file (or each member of a zip) matches,
//! how it reads, its first problems — or, for a file no layout recognises, a
//! draft layout (`--draft OUT.toml` writes it alone).

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;
use verzuim::layout::DeliveryLayout;

#[derive(clap::Args)]
pub struct Args {
    /// A delivery file or a zip of them.
    file: PathBuf,
    /// As for ingest.
    #[arg(long = "layout", value_name = "NAME|FILE")]
    layouts: Vec<String>,
    /// Write the drafted layout of an unrecognised file to this file (and nothing else).
    #[arg(long, value_name = "OUT.toml")]
    draft: Option<PathBuf>,
    #[command(flatten)]
    facts: super::FactArgs,
    /// Exit 1 also when the layout leaves a column absent that a figure
    /// needs (listed under "cannot answer").
    #[arg(long)]
    strict: bool,
}

pub fn run(Args { file, layouts, draft, facts, strict }: Args) -> verzuim::Result<ExitCode> {
    let (layouts, forced) = DeliveryLayout::select(&layouts)?;
    let given = facts.facts()?;
    // a zip is inspected member by member, as ingest reads it
    let (inputs, _) = verzuim::input::discover(std::slice::from_ref(&file), &[])?;
    let mut clean = true;
    for (i, inp) in inputs.iter().enumerate() {
        let bytes = inp.read()?;
        if let Some(out) = &draft {
            // asked for a draft, a header CSV gets one even when a layout
            // already recognises it: the user wants their own to edit
            let text = verzuim::inspect::draft_for(&bytes, &inp.file_name(), &layouts, forced, &given)?;
            std::fs::write(out, text).map_err(|e| Error::io(out, e))?;
            println!("draft layout written to {}", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        let inspection = verzuim::inspect::inspect(&bytes, &inp.file_name(), &layouts, forced, &given)?;
        if i > 0 {
            println!();
        }
        print!("{}", inspection.render(&inp.name()));
        // --strict: a figure the layout cannot answer is a problem too
        clean &= inspection.problems.is_empty() && (!strict || inspection.unanswerable.is_empty());
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
