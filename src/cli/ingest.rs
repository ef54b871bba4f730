//! `verzuim ingest`: read deliveries (files, directories, zips) into the lake.

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::catalog;
use verzuim::ingest::{Ingest, Status, Summary};
use verzuim::layout::DeliveryLayout;

#[derive(clap::Args)]
pub struct Args {
    /// Delivery files, directories (searched recursively for .txt and .zip) or zip archives.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The lake directory (created when missing).
    #[arg(long, default_value = "lake")]
    lake: PathBuf,
    /// A shipped layout (vzl1, vzl1-fw, duo-csv) or a layout file. Given once, it is
    /// used for every file; given more often, each file gets the one that
    /// recognises it. Default: all shipped layouts.
    #[arg(long = "layout", value_name = "NAME|FILE")]
    layouts: Vec<String>,
    #[command(flatten)]
    facts: super::FactArgs,
    /// Do not refresh the catalog afterwards (bulk loads: run `verzuim catalog` once at the end).
    #[arg(long)]
    no_catalog: bool,
}

pub fn run(Args { paths, lake, layouts, facts, no_catalog }: Args) -> verzuim::Result<ExitCode> {
    let (layouts, forced) = DeliveryLayout::select(&layouts)?;
    let ingest = Ingest::new(&lake, layouts, forced)?.with_facts(facts.facts()?)?;
    let summary = ingest.run(&paths)?;
    print_summary(&summary);
    let changed = summary.files.iter().any(|f| f.status == Status::Ingested);
    if !no_catalog && (changed || !catalog::catalog_path(&lake).exists()) {
        let path = catalog::refresh(&lake)?;
        println!("catalog: {}", path.display());
    }
    Ok(if summary.rejected() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_summary(s: &Summary) {
    let name_width = s.files.iter().map(|f| f.name.chars().count()).max().unwrap_or(7).clamp(7, 60);
    println!(
        "{:<name_width$}  {:<5} {:<7} {:<10} {:>9} {:>10} {:>11}  status",
        "bestand", "soort", "afnemer", "peildatum", "personen", "records", "bevindingen"
    );
    for f in &s.files {
        println!(
            "{:<name_width$}  {:<5} {:<7} {:<10} {:>9} {:>10} {:>11}  {}",
            f.name,
            f.soort.as_deref().unwrap_or("-"),
            f.afnemer.as_deref().unwrap_or("-"),
            f.peildatum.as_deref().unwrap_or("-"),
            f.persons,
            f.records,
            f.bevindingen,
            f.status.label()
        );
    }
    for k in &s.skipped {
        println!("skipped: {} ({})", k.path.display(), k.reason);
    }
    for w in &s.warnings {
        println!("warning: {w}");
    }
    let count = |p: fn(&Status) -> bool| s.files.iter().filter(|f| p(&f.status)).count();
    let bytes: u64 = s.files.iter().map(|f| f.bytes).sum();
    let records: u64 = s.files.iter().filter(|f| f.status == Status::Ingested).map(|f| f.records).sum();
    println!(
        "{} ingested, {} already present, {} duplicate, {} rejected; {} records, {:.1} MB in {:.2} s",
        count(|x| *x == Status::Ingested),
        count(|x| *x == Status::AlreadyPresent),
        count(|x| matches!(x, Status::Duplicate(_))),
        count(|x| matches!(x, Status::Rejected(_))),
        records,
        bytes as f64 / 1e6,
        s.seconds
    );
}
