//! `verzuim inspect`: which layout a file (or each member of a zip) matches,
//! how it reads, its first problems — or, for a file no layout recognises, a
//! draft layout (`--draft OUT.toml` writes it alone).

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;
use verzuim::layout::DeliveryLayout;

#[derive(clap::Args)]
pub struct Args {
    /// Delivery files, zips of them, or folders. With --draft: one draft
    /// from the evidence of all of them (header CSVs sharing one header).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// As for ingest.
    #[arg(long = "layout", value_name = "NAME|FILE")]
    layouts: Vec<String>,
    /// Write the drafted layout to this file (and nothing else): for a header
    /// CSV its own, from every file given; for another file no layout recognises, a start.
    #[arg(long, value_name = "OUT.toml")]
    draft: Option<PathBuf>,
    #[command(flatten)]
    facts: super::FactArgs,
    /// Exit 1 also when the layout leaves a column absent that a figure
    /// needs (listed under "cannot answer").
    #[arg(long)]
    strict: bool,
    /// The files are BRP extracts: read each with the BRP layout (--layout
    /// NAME|FILE, default the shipped `brp`) and tell its gemeente, date,
    /// residents or first problem; with --draft, draft a BRP layout from the
    /// first file's headers.
    #[arg(long)]
    brp: bool,
}

pub fn run(Args { files, layouts, draft, facts, strict, brp }: Args) -> verzuim::Result<ExitCode> {
    if brp {
        return inspect_brp(&files, &layouts, draft.as_deref());
    }
    let (layouts, forced) = DeliveryLayout::select(&layouts)?;
    let given = facts.facts()?;
    // a zip is inspected member by member, a folder file by file, as ingest reads them
    let (inputs, _) = verzuim::input::discover(&files, verzuim::ingest::EXTENSIONS)?;
    if inputs.is_empty() {
        return Err(Error::Usage("no delivery file among the paths given (.txt, .csv, .zip)".into()));
    }
    if let Some(out) = &draft {
        // asked for a draft, a header CSV gets one even when a layout
        // already recognises it: the user wants their own to edit
        let read = inputs.iter().map(|inp| Ok((inp.read()?, inp.file_name()))).collect::<verzuim::Result<Vec<_>>>()?;
        let text = verzuim::inspect::draft_from_files(&read, &layouts, forced, &given)?;
        std::fs::write(out, text).map_err(|e| Error::io(out, e))?;
        println!("draft layout written to {} (from {} file{})", out.display(), read.len(), if read.len() == 1 { "" } else { "s" });
        return Ok(ExitCode::SUCCESS);
    }
    let mut clean = true;
    for (i, inp) in inputs.iter().enumerate() {
        let bytes = inp.read()?;
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

/// `inspect --brp`: a BRP layout drafted from the first file, or every file
/// read through the BRP layout (nothing stored).
fn inspect_brp(files: &[PathBuf], layouts: &[String], draft: Option<&std::path::Path>) -> verzuim::Result<ExitCode> {
    let (inputs, _) = verzuim::input::discover(files, &["csv", "txt", "zip"])?;
    let Some(first) = inputs.first() else { return Err(Error::Usage("no BRP extract among the paths given (.csv, .txt, .zip)".into())) };
    if let Some(out) = draft {
        let bytes = first.read()?;
        let (text, _) = verzuim::input::read_text(&bytes).map_err(|e| Error::Usage(format!("{}: {e}", first.name())))?;
        return match verzuim::inspect::draft_brp_layout(&text, &first.file_name()) {
            Ok(toml) => {
                std::fs::write(out, toml).map_err(|e| Error::io(out, e))?;
                println!("draft BRP layout written to {}", out.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(why) => {
                eprintln!("{}: {why}", first.name());
                Ok(ExitCode::from(1))
            }
        };
    }
    let layout = match layouts {
        [] => verzuim::brp::BrpLayout::builtin(),
        [one] => verzuim::brp::BrpLayout::named(one)?,
        _ => return Err(Error::Usage("--brp reads with one layout".into())),
    };
    let mut clean = true;
    for inp in &inputs {
        let bytes = inp.read()?;
        let result = verzuim::input::read_text(&bytes).and_then(|(text, _)| {
            verzuim::brp::read_extract(&layout, &text, &inp.file_name(), &Default::default(), "inspect").map_err(|p| p.to_string())
        });
        match result {
            Ok(x) => println!(
                "{}: BRP extract, layout {}: gemeente {}, peildatum {}, {} residents",
                inp.name(),
                layout.name,
                x.gemeentecode,
                verzuim::layout::iso_date(x.peildatum),
                x.batch.num_rows()
            ),
            Err(why) => {
                clean = false;
                println!("{}: {why}", inp.name());
            }
        }
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
