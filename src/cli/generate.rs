//! `verzuim generate`: synthetic deliveries of a simulated world, with the ground truth of

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;
use verzuim::layout::DeliveryLayout;
use verzuim::request;

use super::datum_arg;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write leveringen/, aanvragen/ and waarheid/ into.
    #[arg(long)]
    out: PathBuf,
    /// Young people in the simulated world (born in the 24 years before --van).
    #[arg(long, default_value_t = 2000)]
    persons: u64,
    /// The random seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Peildatum of the first C-levering (JJJJ-MM-DD); weekly P-leveringen follow it.
    #[arg(long, default_value = "2025-10-01")]
    van: String,
    /// The last P-levering covers the week up to the last Sunday on or before this date.
    #[arg(long, default_value = "2026-10-25")]
    tot: String,
    /// G0687 (gemeente) or R0032 (regio), repeatable; default every Doorstroompunt-regio.
    #[arg(long = "afnemer", value_name = "G0000|R0000")]
    afnemers: Vec<String>,
    /// The layout the files are written in: vzl1, vzl1-fw, duo-csv or a layout file.
    #[arg(long, default_value = "vzl1")]
    layout: String,
    /// C-leveringen on these peildata instead of --van and every 1 October after it (repeatable).
    #[arg(long = "c-peildatum", value_name = "DATUM")]
    c_peildata: Vec<String>,
    /// Every file Windows-1252 with CRLF and the layout's first separator,
    /// instead of varying them per file as DUO's tooling might.
    #[arg(long)]
    uniform: bool,
    /// No A request and answer.
    #[arg(long, alias = "zonder-a")]
    no_a_levering: bool,
    /// No BRP extracts (<out>/brp/: the first afnemer's gemeenten, with
    /// children DUO never hears of, a week before the A request).
    #[arg(long)]
    no_brp: bool,
    /// No DUO VSV lists (<out>/lijsten/: NRSP and NenR of the first afnemer,
    /// for each teljaar whose indicator DUO has set by --tot).
    #[arg(long)]
    no_lijsten: bool,
}

pub fn run(
    Args { out, persons, seed, van, tot, afnemers, layout, c_peildata, uniform, no_a_levering, no_brp, no_lijsten }: Args,
) -> verzuim::Result<ExitCode> {
    let afnemers = afnemers
        .iter()
        .map(|a| match a.split_at_checked(1) {
            Some(("G" | "g", code)) => request::Afnemer::gemeente(code),
            Some(("R" | "r", code)) => request::Afnemer::regio(code),
            _ => Err(Error::Usage(format!("--afnemer {a:?}: G or R and the code, e.g. G0687 or R0032"))),
        })
        .collect::<verzuim::Result<Vec<_>>>()?;
    let opts = verzuim::generate::Options {
        out,
        persons,
        seed,
        van: datum_arg("van", &van)?,
        tot: datum_arg("tot", &tot)?,
        afnemers,
        layout: DeliveryLayout::resolve(&layout)?,
        c_peildata: c_peildata.iter().map(|d| datum_arg("c-peildatum", d)).collect::<verzuim::Result<Vec<_>>>()?,
        gemengd: !uniform,
        a_levering: !no_a_levering,
        brp: !no_brp,
        lijsten: !no_lijsten,
    };
    let started = std::time::Instant::now();
    let s = verzuim::generate::generate(&opts)?;
    let (personen, records): (u64, u64) = s.leveringen.iter().fold((0, 0), |(p, r), l| (p + l.personen, r + l.records));
    println!(
        "{} deliveries, {} person pictures, {} records; {} of {} simulated persons appear in a delivery ({:.1} s)",
        s.leveringen.len(),
        personen,
        records,
        s.in_een_levering,
        s.personen,
        started.elapsed().as_secs_f64()
    );
    println!("deliveries: {}", opts.out.join("leveringen").display());
    if let Some(a) = &s.aanvraag {
        println!("A request:  {}", a.display());
    }
    if opts.lijsten {
        println!("VSV lists:  {} (verzuim lijst load)", opts.out.join("lijsten").display());
    }
    if opts.brp {
        println!("BRP:        {} (verzuim brp load)", opts.out.join("brp").display());
    }
    println!("truth:      {}", opts.out.join("waarheid").display());
    Ok(ExitCode::SUCCESS)
}
