//! The command line: one module per command, each with its arguments and
//! what it prints (like xsv's `cmd::cat::run`); the work itself is in the
//! library. `src/main.rs` only calls [`main`].

mod bench;
mod brp;
mod catalog;
mod generate;
mod ingest;
mod inspect;
mod lijst;
mod purge;
mod reference;
mod report;
mod request;
mod run;
mod sql;
mod status;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use verzuim::Error;

/// DUO verzuim deliveries → Parquet lake → DuckDB.
#[derive(Parser)]
#[command(name = "verzuim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read deliveries (files, directories, zips) into the lake.
    ///
    /// Exit status: 0 every delivery accepted or already present,
    /// 1 a delivery was rejected (or the run failed), 2 usage error.
    Ingest(ingest::Args),
    /// The nightly job, in steps: take the lake's lock; ingest what arrived in
    /// the inboxes; load new reference files; refresh the catalog; write the
    /// analyst catalog ([analyse], after news); write the figures ([[figure]],
    /// for the last peildatum); make the reports ([report], after news); move
    /// each inbox file to the archive or, rejected, to quarantine; record the
    /// run in <lake>/_runs/ (docs/operations.md).
    ///
    /// Exit status: 0 done (also when there was nothing new), 3 done but some
    /// files were rejected (see the quarantine folder), 4 another run holds
    /// the lock, 5 done but the data is stale (a [bewaking] threshold is
    /// passed: `verzuim status` says which), 1 failure, 2 usage or
    /// configuration error.
    Run(run::Args),
    /// Whether the data is still arriving: per afnemer the last P- and
    /// C-levering and the weeks missing, the last run, quarantine, the
    /// catalog, free disk space. No person data.
    ///
    /// Exit status: 0 fresh, 5 a [bewaking] threshold is passed (stale),
    /// 1 failure, 2 usage or configuration error.
    Status(status::Args),
    /// Write a request file for DUO (C: a snapshot, A: specific persons).
    Request(request::Args),
    /// Public reference data: Basisgegevens instellingen, DUO address files, opleidingen.
    Reference(reference::Args),
    /// The gemeente's population register (BRP) beside DUO's data: load
    /// extracts; `brp_vergelijking` in the catalog compares them
    /// (docs/analysts.md, "The BRP beside DUO").
    Brp(brp::Args),
    /// DUO's own VSV lists (startpopulatie, nieuwe vsv'ers) beside the
    /// lake's: load them; `vsv_vergelijking` reconciles (docs/analysts.md).
    Lijst(lijst::Args),
    /// Refresh the DuckDB catalog <lake>/verzuim.duckdb (also done after every
    /// ingest): incrementally when deliveries were added or purged, else rebuilt.
    Catalog(catalog::Args),
    /// Run one SQL query against the catalog: the figures' macros, the lake's
    /// views. Exit status: 0 done, 1 the query failed (DuckDB's message on stderr).
    Sql(sql::Args),
    /// The national-scale benchmark, side by side with DuckDB's own loader
    /// (docs/performance.md). Generates the data set once into --dir.
    Bench(bench::Args),
    /// The benchmark's DuckDB-only loader (step b of `verzuim bench`).
    #[command(hide = true)]
    DuckdbLoader(bench::LoaderArgs),
    /// The bewaartermijn: remove deliveries whose peildatum is older than the
    /// term, take them out of the catalog, delete archived and quarantined
    /// files as old. Prints counts, never persons. Lake, term and folders come
    /// from the configuration unless given.
    Purge(purge::Args),
    /// Reports for Doorstroompunt-regio's (xlsx, csv, parquet, html) and the
    /// leerplichtambtenaar's weekly worklists (docs/reports.md).
    ///
    /// Writes <out>/<regiocode>-<regionaam>/ per regio (small numbers hidden:
    /// publishable) and <out>/werklijsten/ (names: restricted, owner-only).
    Report(report::Args),
    /// Synthetic deliveries of a simulated world, with the ground truth of
    /// every standard figure computed from the simulation (docs/generator.md).
    ///
    /// Writes <out>/leveringen (C, weekly P, an A answer), <out>/aanvragen
    /// (the A request) and <out>/waarheid (the figures as CSV), each
    /// replacing what was there. The same seed gives the same bytes.
    Generate(generate::Args),
    /// Tell which layout a file (or each member of a zip) matches, its
    /// encoding, record counts and first problems; for an unrecognised file,
    /// print a draft layout.
    ///
    /// Exit status: 0 no problems, 1 problems found (or the file unreadable), 2 usage error.
    Inspect(inspect::Args),
}

/// Parses the command line, runs the command and turns its outcome into the
/// exit status: its own, 2 for a usage error, 1 for any other failure.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Run(args) => run::run(args),
        Command::Status(args) => status::run(args),
        Command::Request(args) => request::run(args),
        Command::Reference(args) => reference::run(args),
        Command::Brp(args) => brp::run(args),
        Command::Lijst(args) => lijst::run(args),
        Command::Catalog(args) => catalog::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Bench(args) => bench::run(args),
        Command::DuckdbLoader(args) => bench::run_loader(args),
        Command::Purge(args) => purge::run(args),
        Command::Report(args) => report::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Inspect(args) => inspect::run(args),
    };
    match result {
        Ok(code) => code,
        Err(Error::Usage(m)) => {
            eprintln!("verzuim: {m}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("verzuim: {e}");
            ExitCode::from(1)
        }
    }
}

/// A date option (`--datum 2026-10-01`), or a usage error naming the option.
/// The delivery facts a file may not give itself, for `ingest` and `inspect` alike.
#[derive(clap::Args)]
pub struct FactArgs {
    /// Soort of every delivery given (P, C or A), for files without a header
    /// record; a header record that says otherwise rejects the file.
    #[arg(long, value_name = "P|C|A")]
    soort: Option<String>,
    /// Afnemer of every delivery given: G + gemeentecode or R + regiocode (G0363, R0032).
    #[arg(long, value_name = "G0363|R0032")]
    afnemer: Option<String>,
    /// Peildatum of every delivery given.
    #[arg(long, value_name = "JJJJ-MM-DD")]
    peildatum: Option<String>,
}

impl FactArgs {
    /// The facts, their form checked (a usage error otherwise).
    fn facts(self) -> verzuim::Result<verzuim::normalise::Facts> {
        let peildatum = self.peildatum.map(|p| datum_arg("peildatum", &p).map(verzuim::layout::days_from_date)).transpose()?;
        let facts = verzuim::normalise::Facts { soort: self.soort, afnemer: self.afnemer, peildatum };
        facts.check().map_err(Error::Usage)?;
        Ok(facts)
    }
}

fn datum_arg(option: &str, value: &str) -> verzuim::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| Error::Usage(format!("--{option} {value:?} is not a date JJJJ-MM-DD")))
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::Cli;

    /// Every option and argument of every command says what it is for
    /// (`verzuim X --help`), and the spellings of an earlier release still
    /// parse (docs/decisions.md, "One command-line language").
    #[test]
    fn every_option_has_a_help_line_and_old_spellings_still_parse() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "verzuim", &mut missing);
        assert!(missing.is_empty(), "options without a help line: {missing:?}");

        // (earlier spelling, the one of the rule): both parse
        for (old, new) in [
            ("catalog --volledig", "catalog --full"),
            ("catalog --analyse --uit a.duckdb", "catalog --analyse --out a.duckdb"),
            ("purge --ouder-dan 5j", "purge --bewaartermijn 5j"),
            ("report --regio 32 --zonder-werklijsten", "report --regio 32 --no-werklijsten"),
            ("bench --weken 2 --rapport r.md", "bench --weeks 2 --append-to r.md"),
            ("generate --out x --zonder-a", "generate --out x --no-a-levering"),
        ] {
            for line in [old, new] {
                let args = std::iter::once("verzuim").chain(line.split(' '));
                assert!(Cli::try_parse_from(args).is_ok(), "verzuim {line}");
            }
        }
    }
}
