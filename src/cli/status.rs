//! `verzuim status`: is the data still arriving, is the house in order
//! (docs/operations.md, "When the data stops").

use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::Error;
use verzuim::status::{CatalogState, Status};

#[derive(clap::Args)]
pub struct Args {
    /// The nightly configuration whose lake, [bewaking] thresholds and
    /// quarantine folder to use; default pipelines/nightly.toml, unless
    /// --lake is given (then the default thresholds).
    config: Option<PathBuf>,
    /// The lake (overrides the configuration's).
    #[arg(long)]
    lake: Option<PathBuf>,
    /// text, or json (one object, for monitoring tools).
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

pub fn run(Args { config, lake, format }: Args) -> verzuim::Result<ExitCode> {
    let config = match (config, &lake) {
        (Some(c), _) => Some(verzuim::run::Config::load(&c)?),
        (None, None) => Some(verzuim::run::Config::load(std::path::Path::new("pipelines/nightly.toml"))?),
        (None, Some(_)) => None,
    };
    let lake = match (lake, &config) {
        (Some(l), _) => l,
        (None, Some(c)) => c.lake.clone(),
        (None, None) => return Err(Error::Usage("give a configuration or --lake".into())),
    };
    let status = verzuim::status::status(&verzuim::status::Options {
        lake,
        today: verzuim::status::today()?,
        thresholds: config.as_ref().map(|c| c.bewaking.clone()).unwrap_or_default(),
        quarantine: config.as_ref().and_then(|c| c.quarantine.clone()),
    })?;
    if format == "json" {
        let text = serde_json::to_string_pretty(&status).map_err(|e| Error::Json { what: "the status".into(), source: e })?;
        println!("{text}");
    } else {
        print_status(&status);
    }
    Ok(ExitCode::from(if status.stale { verzuim::status::EXIT_STALE } else { 0 }))
}

fn print_status(s: &Status) {
    println!("verzuim status  {}  (lake {})", s.today, s.lake);
    println!("  deliveries: {}", s.deliveries);
    super::run::print_freshness(&s.afnemers);
    for a in &s.afnemers {
        let weeks: Vec<String> = a.missing_weeks.iter().map(|w| format!("{}{}", w.week, if w.open { " (open)" } else { "" })).collect();
        if !weeks.is_empty() {
            println!("              {}: no P-levering in {}", a.afnemer, weeks.join(", "));
        }
        for k in &a.skipped_volgnummers {
            println!("              {}: leveringsvolgnummer {} → {}{}", a.afnemer, k.after, k.before, if k.open { " (open)" } else { "" });
        }
    }
    for r in s.stale_because() {
        println!("  stale:      {r}");
    }
    match &s.last_run {
        Some(r) => println!(
            "  last run:   {}: {}{}, {} ingested, {} rejected",
            r.start,
            r.outcome,
            r.exit_status.map(|e| format!(" (exit {e})")).unwrap_or_default(),
            r.ingested,
            r.rejected
        ),
        None => println!("  last run:   none recorded"),
    }
    if let Some(q) = &s.quarantine {
        println!("  quarantine: {} files waiting in {}", q.files, q.folder);
    }
    let catalog = match &s.catalog {
        CatalogState::UpToDate => "up to date with the lake".to_string(),
        CatalogState::Behind { not_in_catalog, no_longer_in_lake } => format!(
            "behind the lake: {not_in_catalog} deliveries not in it, {no_longer_in_lake} no longer in the lake (`verzuim catalog` brings it up to date)"
        ),
        CatalogState::Missing => "none yet (`verzuim catalog` makes it)".to_string(),
        CatalogState::Busy => "busy: a run is writing it".to_string(),
    };
    println!("  catalog:    {catalog}");
    if let Some(b) = s.free_bytes {
        println!("  disk:       {:.1} GB free beside the lake", b as f64 / 1e9);
    }
    println!("  result:     {}", if s.stale { "stale (exit 5)" } else { "fresh (exit 0)" });
}
