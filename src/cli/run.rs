//! `verzuim run`: the nightly job, in steps: take the lake's lock; ingest what arrived in

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use verzuim::run::{Config, Outcome, Report};

#[derive(clap::Args)]
pub struct Args {
    /// The job's configuration.
    #[arg(default_value = "pipelines/nightly.toml")]
    config: PathBuf,
    /// Show what would be ingested, without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// Logs on standard error: text, or json (one object per line, for log collectors).
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
}

pub fn run(Args { config, dry_run, log_format }: Args) -> verzuim::Result<ExitCode> {
    let config = Config::load(&config)?;
    let terminal = std::io::stderr().is_terminal();
    // On a terminal a spinner shows the job is busy and only warnings
    // are logged; otherwise (a scheduler) every step is logged.
    let level = if terminal && log_format == "text" { tracing::Level::WARN } else { tracing::Level::INFO };
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level).with_target(false);
    if log_format == "json" {
        builder.json().init();
    } else {
        builder.with_ansi(terminal).init();
    }
    let spinner = (terminal && log_format == "text").then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(format!("verzuim run ({})", config.source.display()));
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let report = verzuim::run::run(&config, dry_run);
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let report = report?;
    print_run(&config, &report);
    Ok(ExitCode::from(report.outcome.exit_code()))
}

/// The one-screen summary of a run.
fn print_run(config: &Config, r: &Report) {
    let l = &r.log;
    println!("verzuim run  {}  ({})", l.start, config.source.display());
    if let Outcome::Locked(pid) = r.outcome {
        println!("  result:     another run (process {pid}) holds the lock; nothing done (exit 4)");
        return;
    }
    if l.dry_run {
        println!("  dry run:    {} files: {} would be ingested, {} already present", l.files, l.ingested, l.already_present);
        for m in &l.moved {
            println!("    {m}");
        }
        return;
    }
    println!("  inbox:      {} files: {} ingested, {} already present, {} rejected", l.files, l.ingested, l.already_present, l.rejected);
    println!("  ingested:   {} persons, {} records", l.persons, l.records);
    println!("  reference:  {} files loaded", l.reference_files_loaded);
    println!("  brp:        {} extracts loaded", l.brp_extracts_loaded);
    let steps: Vec<String> = l.steps.iter().map(|s| format!("{} {:.2} s", s.step, s.seconds)).collect();
    println!("  steps:      {}", steps.join(", "));
    for m in &l.moved {
        println!("  moved:      {m}");
    }
    for x in &l.rejections {
        println!("  rejected:   {x}");
    }
    for w in &r.warnings {
        println!("  warning:    {w}");
    }
    print_freshness(&l.afnemers);
    for s in &l.stale_because {
        println!("  stale:      {s}");
    }
    let result = match r.outcome {
        Outcome::Done if l.ingested == 0 && l.reference_files_loaded == 0 => "nothing new (exit 0)",
        Outcome::Done => "done (exit 0)",
        Outcome::DoneWithRejections => "done, with rejected files in quarantine (exit 3)",
        Outcome::Locked(_) => "locked (exit 4)",
        Outcome::Stale if l.ingested == 0 => "nothing new, and the data is stale: see above (exit 5)",
        Outcome::Stale => "done, but the data is stale: see above (exit 5)",
    };
    println!("  result:     {result}");
}

/// One line per afnemer: its last P- and C-levering and their age.
pub fn print_freshness(afnemers: &[verzuim::status::AfnemerFreshness]) {
    for a in afnemers {
        let latest = |soort: &str, l: &Option<verzuim::status::freshness::Latest>| match l {
            Some(l) => format!("{soort} {} ({} days{})", l.peildatum, l.days_ago, if l.too_old { ", too old" } else { "" }),
            None => format!("no {soort}"),
        };
        let missing = a.missing_weeks.len();
        println!(
            "  freshness:  {}  last {}, last {}{}{}",
            a.afnemer,
            latest("P", &a.last_p_levering),
            latest("C", &a.last_c_levering),
            if missing > 0 { format!(", {missing} weeks without a P-levering") } else { String::new() },
            if a.bewaakt { "" } else { " (not watched)" }
        );
    }
}
