//! The `verzuim` command line. Thin: parsing arguments, calling the library,
//! printing summaries and choosing the exit status.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use verzuim::Error;
use verzuim::catalog::{self, OutputFormat};
use verzuim::ingest::{Ingest, Status, Summary};
use verzuim::layout::{DateFormat, Layout};
use verzuim::reference::{RefLayout, RefLoader, RefReport, RefStatus};
use verzuim::request;
use verzuim::run::{Config, Outcome, Report};

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
    Ingest {
        /// Delivery files, directories (searched recursively for .txt and .zip) or zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The lake directory (created when missing).
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// A shipped layout (vzl1, vzl1-fw) or a layout file. Given once, it is
        /// used for every file; given more often, each file gets the one that
        /// recognises it. Default: all shipped layouts.
        #[arg(long = "layout", value_name = "NAME|FILE")]
        layouts: Vec<String>,
        /// Do not refresh the catalog afterwards (bulk loads: run `verzuim catalog` once at the end).
        #[arg(long)]
        no_catalog: bool,
    },
    /// The nightly job, in steps: take the lake's lock; ingest what arrived in
    /// the inboxes; load new reference files; refresh the catalog; write the
    /// analyst catalog ([analyse], after news); write the figures ([[figure]],
    /// for the last peildatum); make the reports ([report], after news); move
    /// each inbox file to the archive or, rejected, to quarantine; record the
    /// run in <lake>/_runs/ (docs/operations.md).
    ///
    /// Exit status: 0 done (also when there was nothing new), 3 done but some
    /// files were rejected (see the quarantine folder), 4 another run holds
    /// the lock, 1 failure, 2 usage or configuration error.
    Run {
        /// The job's configuration.
        #[arg(default_value = "pipelines/nightly.toml")]
        config: PathBuf,
        /// Show what would be ingested, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Logs on standard error: text, or json (one object per line, for log collectors).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        log_format: String,
    },
    /// Write a request file for DUO (C: a snapshot, A: specific persons).
    Request {
        #[command(subcommand)]
        soort: RequestSoort,
    },
    /// Public reference data: Basisgegevens instellingen, DUO address files, opleidingen.
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Refresh the DuckDB catalog <lake>/verzuim.duckdb (also done after every
    /// ingest): incrementally when deliveries were only added, else rebuilt.
    Catalog {
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
    },
    /// Run one SQL query against the catalog: the figures' macros, the lake's
    /// views. Exit status: 0 done, 1 the query failed (DuckDB's message on stderr).
    Sql {
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
    },
    /// The national-scale benchmark, side by side with DuckDB's own loader
    /// (docs/performance.md). Generates the data set once into --dir.
    Bench {
        /// Where the data set is generated once and kept, with the lakes the steps make.
        #[arg(long, default_value = "/tmp/verzuim-bench")]
        dir: PathBuf,
        /// Young people in the simulated country.
        #[arg(long, default_value_t = 3_500_000)]
        persons: u64,
        /// Weekly P-leveringen after the C-levering of each regio.
        #[arg(long, alias = "weken", default_value_t = 4)]
        weeks: u32,
        /// Append the result table (with machine, command and date) to this file.
        #[arg(long, alias = "rapport", value_name = "FILE")]
        append_to: Option<PathBuf>,
    },
    /// The benchmark's DuckDB-only loader (step b of `verzuim bench`).
    #[command(hide = true)]
    DuckdbLoader {
        /// The folder its Parquet files go to.
        #[arg(long)]
        out: PathBuf,
        /// The delivery files.
        paths: Vec<PathBuf>,
    },
    /// The bewaartermijn: remove deliveries whose peildatum is older than the
    /// term, rebuild the catalog without them, delete archived and quarantined
    /// files as old. Prints counts, never persons. Lake, term and folders come
    /// from the configuration unless given.
    Purge {
        /// The nightly job's configuration: lake, bewaartermijn, archive and quarantine.
        #[arg(default_value = "pipelines/nightly.toml")]
        config: PathBuf,
        /// The lake, instead of the configuration's.
        #[arg(long)]
        lake: Option<PathBuf>,
        /// The bewaartermijn, instead of the configuration's: a number and j
        /// (jaar), m (maand) or d (dag), e.g. 5j. Deliveries with a peildatum
        /// older than that go.
        #[arg(long, alias = "ouder-dan", value_name = "DUUR")]
        bewaartermijn: Option<String>,
        /// Show what would be removed; remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Reports for Doorstroompunt-regio's (xlsx, csv, parquet, html) and the
    /// leerplichtambtenaar's weekly worklists (docs/reports.md).
    ///
    /// Writes <out>/<regiocode>-<regionaam>/ per regio (small numbers hidden:
    /// publishable) and <out>/werklijsten/ (names: restricted, owner-only).
    Report {
        /// The lake (made only by ingest and run: another command on a path
        /// without one exits 2).
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// The regio (32 or 0032); one of --regio or --alle-regios.
        #[arg(long, conflicts_with = "alle_regios", required_unless_present = "alle_regios")]
        regio: Option<String>,
        /// Every regio with a covered gemeente.
        #[arg(long)]
        alle_regios: bool,
        /// Peildatum of the figures (JJJJ-MM-DD); default the latest peildatum loaded.
        #[arg(long)]
        datum: Option<String>,
        /// VSV teljaar; default the latest whose second 1 October lies on or before --datum.
        #[arg(long)]
        teljaar: Option<i32>,
        /// Schooljaar of the vrijstellingen; default the one --datum falls in.
        #[arg(long)]
        schooljaar: Option<i32>,
        /// Comma-separated: xlsx, csv, parquet, html.
        #[arg(long, default_value = "xlsx,csv,parquet,html")]
        format: String,
        /// The folder the reports go to: <out>/<regiocode>-<regionaam>/ and <out>/werklijsten/.
        #[arg(long, default_value = "rapportage")]
        out: PathBuf,
        /// Counts from 1 up to this are shown as <N+1>; 0 hides nothing (not for publication).
        #[arg(long, default_value_t = 4)]
        drempel: i64,
        /// Percentages in the CSV with a decimal comma (12,50).
        #[arg(long)]
        decimaalkomma: bool,
        /// No worklists with names.
        #[arg(long, alias = "zonder-werklijsten")]
        no_werklijsten: bool,
    },
    /// Synthetic deliveries of a simulated world, with the ground truth of
    /// every standard figure computed from the simulation (docs/generator.md).
    ///
    /// Writes <out>/leveringen (C, weekly P, an A answer), <out>/aanvragen
    /// (the A request) and <out>/waarheid (the figures as CSV), each
    /// replacing what was there. The same seed gives the same bytes.
    Generate {
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
        /// The layout the files are written in: vzl1, vzl1-fw or a layout file.
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
    },
    /// Tell which layout a file (or each member of a zip) matches, its
    /// encoding, record counts and first problems; for an unrecognised file,
    /// print a draft layout.
    ///
    /// Exit status: 0 no problems, 1 problems found (or the file unreadable), 2 usage error.
    Inspect {
        /// A delivery file or a zip of them.
        file: PathBuf,
        /// As for ingest.
        #[arg(long = "layout", value_name = "NAME|FILE")]
        layouts: Vec<String>,
    },
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Aanvrager {
    /// Gemeentecode (written zero-padded to 4, e.g. 0363).
    #[arg(long)]
    gemeente: Option<String>,
    /// Doorstroompunt-regiocode (written zero-padded to 4, e.g. 0028).
    #[arg(long)]
    regio: Option<String>,
}

#[derive(Subcommand)]
enum RequestSoort {
    /// The C-levering request (a snapshot on a peildatum): `111111111`.
    C {
        #[command(flatten)]
        aanvrager: Aanvrager,
        /// Date in the file name (JJJJ-MM-DD); default today.
        #[arg(long)]
        datum: Option<String>,
        /// The folder the request file is written to.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// The A-levering request: the BSNs or onderwijsnummers in FILE, one per line.
    A {
        #[command(flatten)]
        aanvrager: Aanvrager,
        /// A file with the BSNs or onderwijsnummers asked for, one per line (each 11-proef checked).
        #[arg(long)]
        nummers: PathBuf,
        /// Date in the file name (JJJJ-MM-DD); default today.
        #[arg(long)]
        datum: Option<String>,
        /// The folder the request file is written to.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Load reference files (CSV, or DUO's zip), each recognised by its header.
    ///
    /// An address file also shows how the gemeente → regio table it implies
    /// differs from the one in force; --regio-vanaf adopts it from that date.
    /// Exit status: 0 every file loaded or already present, 1 a file was
    /// rejected, 2 usage error.
    Load {
        /// Reference files (CSV) or DUO's zips of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The lake (made only by ingest and run: another command on a path
        /// without one exits 2).
        #[arg(long, default_value = "lake")]
        lake: PathBuf,
        /// A reference layout file; given, only these layouts are tried.
        /// Default: the shipped ones (pipelines/reference/).
        #[arg(long = "layout", value_name = "FILE")]
        layouts: Vec<PathBuf>,
        /// Adopt the regio table derived from the (one) address file from this date (JJJJ-MM-DD).
        #[arg(long, value_name = "DATUM")]
        regio_vanaf: Option<String>,
    },
}

/// A date option (`--datum 2026-10-01`), or a usage error naming the option.
fn datum_arg(option: &str, value: &str) -> verzuim::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| Error::Usage(format!("--{option} {value:?} is not a date JJJJ-MM-DD")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
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

fn run(cli: Cli) -> verzuim::Result<ExitCode> {
    match cli.command {
        Command::Ingest { paths, lake, layouts, no_catalog } => {
            let (layouts, forced) = Layout::select(&layouts)?;
            let ingest = Ingest::new(&lake, layouts, forced)?;
            let summary = ingest.run(&paths)?;
            print_summary(&summary);
            let changed = summary.files.iter().any(|f| f.status == Status::Ingested);
            if !no_catalog && (changed || !catalog::catalog_path(&lake).exists()) {
                let path = catalog::refresh(&lake)?;
                println!("catalog: {}", path.display());
            }
            Ok(if summary.rejected() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Bench { dir, persons, weeks: weken, append_to } => {
            let exe = std::env::current_exe().map_err(|e| Error::io("current executable", e))?;
            let (_, tabel) = verzuim::bench::bench(&verzuim::bench::Options { dir, persons, weken, exe })?;
            println!("{tabel}");
            if let Some(path) = append_to {
                let cpu = std::fs::read_to_string("/proc/cpuinfo")
                    .ok()
                    .and_then(|t| {
                        t.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
                    })
                    .unwrap_or_default();
                let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
                let text = format!(
                    "\n## {} — `verzuim bench --persons {persons} --weeks {weken}`\n\nMachine: {cores} cores ({cpu}). Each step a child process; peak = its VmHWM.\n\n{tabel}",
                    chrono::Local::now().format("%Y-%m-%d"),
                );
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .and_then(|mut f| f.write_all(text.as_bytes()))
                    .map_err(|e| Error::io(&path, e))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::DuckdbLoader { out, paths } => {
            let (files, tables) = verzuim::bench::duckdb_loader(&paths, &out)?;
            println!("{files} deliveries, {tables} Parquet files");
            Ok(ExitCode::SUCCESS)
        }
        Command::Purge { config, lake, bewaartermijn: ouder_dan, dry_run } => {
            let cfg = if lake.is_some() && ouder_dan.is_some() && !config.exists() { None } else { Some(Config::load(&config)?) };
            let lake =
                lake.or_else(|| cfg.as_ref().map(|c| c.lake.clone())).ok_or_else(|| Error::Usage("--lake or a configuration".into()))?;
            let dagen = match &ouder_dan {
                Some(d) => verzuim::run::config::parse_duration(d).map_err(Error::Usage)?,
                None => cfg.as_ref().map(|c| c.retention_days).ok_or_else(|| Error::Usage("--bewaartermijn or a configuration".into()))?,
            };
            let bewaarmappen = cfg.as_ref().map(|c| c.archive.iter().chain(c.quarantine.iter()).cloned().collect()).unwrap_or_default();
            let mut analysecatalogi = vec![lake.join(catalog::analyse::ANALYSE_FILE)];
            analysecatalogi.extend(cfg.as_ref().and_then(|c| c.analyse.as_ref()).and_then(|a| a.out.clone()));
            let r = verzuim::purge::purge(&verzuim::purge::Options {
                lake,
                bewaartermijn_dagen: dagen,
                vandaag: chrono::Local::now().date_naive(),
                dry_run,
                bewaarmappen,
                analysecatalogi,
            })?;
            println!("{}: {}", if dry_run { "would remove" } else { "removed" }, r.samenvatting());
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { lake, regio, alle_regios, datum, teljaar, schooljaar, format, out, drempel, decimaalkomma, no_werklijsten } => {
            let _ = alle_regios; // clap makes it the alternative to --regio
            let formaten = format
                .split(',')
                .map(|f| f.parse::<verzuim::report::Formaat>().map_err(Error::Usage))
                .collect::<verzuim::Result<Vec<_>>>()?;
            let datum = datum.map(|d| datum_arg("datum", &d)).transpose()?;
            let opts = verzuim::report::Options {
                lake,
                regio,
                datum,
                teljaar,
                schooljaar,
                formaten,
                out,
                drempel: drempel.max(0),
                decimaalkomma,
                werklijsten: !no_werklijsten,
            };
            let s = verzuim::report::report(&opts)?;
            println!(
                "peildatum {}, teljaar {}-{}, schooljaar {}-{}",
                s.peil.datum,
                s.peil.teljaar,
                s.peil.teljaar + 1,
                s.peil.schooljaar,
                s.peil.schooljaar + 1
            );
            for (code, naam, map, files) in &s.regios {
                println!("regio {code} {naam}: {} files in {}", files.len(), map.display());
            }
            if !s.werklijsten.is_empty() {
                println!("worklists (names, restricted): {} in {}", s.werklijsten.len(), opts.out.join("werklijsten").display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { out, persons, seed, van, tot, afnemers, layout, c_peildata, uniform, no_a_levering } => {
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
                layout: Layout::resolve(&layout)?,
                c_peildata: c_peildata.iter().map(|d| datum_arg("c-peildatum", d)).collect::<verzuim::Result<Vec<_>>>()?,
                gemengd: !uniform,
                a_levering: !no_a_levering,
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
            println!("truth:      {}", opts.out.join("waarheid").display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Request { soort } => {
            let (aanvrager, datum, out, nummers, letter) = match soort {
                RequestSoort::C { aanvrager, datum, out } => (aanvrager, datum, out, None, 'C'),
                RequestSoort::A { aanvrager, datum, out, nummers } => (aanvrager, datum, out, Some(nummers), 'A'),
            };
            let afnemer = match (&aanvrager.gemeente, &aanvrager.regio) {
                (Some(g), _) => request::Afnemer::gemeente(g)?,
                (_, Some(r)) => request::Afnemer::regio(r)?,
                _ => unreachable!("clap requires one of them"),
            };
            let datum = match datum {
                None => chrono::Local::now().date_naive(),
                Some(d) => datum_arg("datum", &d)?,
            };
            let bytes = match &nummers {
                None => request::c_request(),
                Some(path) => {
                    let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
                    let (text, _) = verzuim::input::decode(&raw).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))?;
                    let a = request::a_request(&text).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))?;
                    if !a.duplicates.is_empty() {
                        let lines: Vec<String> = a.duplicates.iter().map(usize::to_string).collect();
                        println!("duplicates written once (lines {})", lines.join(", "));
                    }
                    println!("{} numbers", a.numbers);
                    a.bytes
                }
            };
            let path = request::write(&out, &request::file_name(datum, &afnemer, letter), &bytes)?;
            println!("{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { config, dry_run, log_format } => {
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
        Command::Reference { command: ReferenceCommand::Load { paths, lake, layouts, regio_vanaf } } => {
            let layouts = if layouts.is_empty() {
                RefLayout::all_builtin()
            } else {
                layouts.iter().map(|p| RefLayout::from_path(p)).collect::<verzuim::Result<_>>()?
            };
            let vanaf = match regio_vanaf.as_deref() {
                None => None,
                Some(d) => Some(
                    DateFormat::parse_pattern("JJJJ-MM-DD")
                        .expect("valid pattern")
                        .parse_days(d)
                        .ok_or_else(|| Error::Usage(format!("--regio-vanaf {d:?} is not a date JJJJ-MM-DD")))?,
                ),
            };
            verzuim::lake::existing(&lake)?;
            let reports = RefLoader::new(&lake, layouts)?.load(&paths, vanaf)?;
            print_reference(&reports);
            let path = catalog::refresh(&lake)?;
            println!("catalog: {}", path.display());
            let rejected = reports.iter().any(|r| matches!(r.status, RefStatus::Rejected(_)));
            Ok(if rejected { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Catalog { lake, full, analyse, out, sleutel, peildata, teljaren, schooljaren } => {
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
        Command::Sql { lake, format, out, query } => {
            if let Some(text) = catalog::query(&lake, &query, format, out.as_deref())? {
                print!("{text}");
                if !text.ends_with('\n') {
                    println!();
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect { file, layouts } => {
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
    }
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

fn print_reference(reports: &[RefReport]) {
    for r in reports {
        let status = match &r.status {
            RefStatus::Loaded => "loaded".to_string(),
            RefStatus::AlreadyPresent => "already present".to_string(),
            RefStatus::Rejected(why) => format!("rejected: {why}"),
        };
        println!("{}  {} → {}  {} rows  {status}", r.name, r.layout.as_deref().unwrap_or("-"), r.table.as_deref().unwrap_or("-"), r.rows);
        if let Some(regio) = &r.regio {
            let regios: std::collections::BTreeSet<_> = regio.derived.values().map(|g| &g.regiocode).collect();
            println!(
                "  regio-indeling in this file: {} gemeenten in {} regio's; {} difference(s) from the one in force",
                regio.derived.len(),
                regios.len(),
                regio.differences.len()
            );
            for d in &regio.differences {
                println!("    {d}");
            }
            if regio.absent > 0 {
                println!("    ({} gemeenten of the table in force have no school in this file; they keep their regio)", regio.absent);
            }
            for c in &regio.conflicts {
                println!("    conflict: {c}");
            }
            match &r.adopted_from {
                Some(d) => println!("  adopted: in force from {d}"),
                None if !regio.differences.is_empty() => println!("  (adopt it with --regio-vanaf JJJJ-MM-DD)"),
                None => {}
            }
        }
    }
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
    let result = match r.outcome {
        Outcome::Done if l.ingested == 0 && l.reference_files_loaded == 0 => "nothing new (exit 0)",
        Outcome::Done => "done (exit 0)",
        Outcome::DoneWithRejections => "done, with rejected files in quarantine (exit 3)",
        Outcome::Locked(_) => "locked (exit 4)",
    };
    println!("  result:     {result}");
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
