//! `verzuim bench`: the national-scale benchmark of issue 8, side by side
//! with what DuckDB does with the same files on its own.
//!
//! Generates the data set once (`--persons`, every regio, a C-levering each
//! and `--weeks` weekly P-leveringen), keeps it for later runs, and then
//! measures, each step in a child process so that its peak memory (VmHWM
//! from `/proc`) is its own:
//!
//! * (a) `verzuim ingest --no-catalog` of every delivery but one P into a fresh lake,
//!   and the catalog refresh on its own;
//! * (b) the DuckDB loader: each delivery `read_csv` with all columns VARCHAR
//!   and the separator given, split by record type, cast to the layout's
//!   types, `COPY … TO` Parquet zstd, one directory per delivery;
//! * (c) every standard figure on the national lake;
//! * (d) `verzuim run` finding the one held-back P-levering.
//!
//! With `--history-weeks W` it also measures the shape that grows with time
//! rather than persons (issue 15): every regio's C-levering each 1 October
//! from 2024 and W weekly P-leveringen, ingested whole and as its
//! C-leveringen only, and every figure on both, and with `bekend_op`:
//!
//! * (e) ingest and catalog of the history lake, and of its C-leveringen;
//! * (f) each figure on the history lake, against the C-only lake and
//!   against itself with `bekend_op`.
//!
//! With `--csv-persons N` also the header-CSV shape (issue 28): the same
//! kind of country written by the DUO-CSV layout, read by verzuim and by
//! DuckDB's `read_csv` → `COPY` Parquet per file, in three shapes:
//!
//! * (h) the C-leveringen (few big files), all deliveries (many small), and
//!   the C-leveringen as one file (one regio's size times forty: what the
//!   pieces read on every core are for).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use duckdb::Connection;

use crate::error::{Error, Result};
use crate::generate;
use crate::layout::{FieldType, RecordLayout};

pub struct Options {
    pub dir: PathBuf,
    pub persons: u64,
    pub weken: u32,
    /// The verzuim binary the steps run as.
    pub exe: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Measurement {
    pub step: String,
    pub seconds: f64,
    pub peak_mb: f64,
    pub note: String,
}

/// Runs `cmd` to its end; wall time and peak resident memory (MB).
pub fn measure(mut cmd: Command) -> Result<(f64, f64, String)> {
    let started = Instant::now();
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().map_err(|e| Error::io("child process", e))?;
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut piek_kb = 0u64;
    // Read the child's output on threads, so that a full pipe never stalls it.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = loop {
        // VmHWM only grows, so the last reading before exit is the peak (within 20 ms).
        if let Ok(text) = std::fs::read_to_string(&status_path)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        {
            piek_kb = piek_kb.max(kb);
        }
        if let Some(s) = child.try_wait().map_err(|e| Error::io("child process", e))? {
            break s;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let seconds = started.elapsed().as_secs_f64();
    let stdout = t_out.join().unwrap_or_default();
    let stderr = t_err.join().unwrap_or_default();
    if !status.success() {
        return Err(Error::Usage(format!("benchmark step failed ({status}): {}{}", stdout.trim_end(), stderr.trim_end())));
    }
    Ok((seconds, piek_kb as f64 / 1024.0, stdout))
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map(|rd| rd.flatten().map(|e| e.metadata().map(|m| m.len()).unwrap_or(0)).sum()).unwrap_or(0)
}

// Long: the benchmark's steps in order, each measured alike.
pub fn bench(o: &Options) -> Result<(Vec<Measurement>, String)> {
    let data = o.dir.join("data");
    let marker = o.dir.join("data.txt");
    let wanted = format!("persons={} weken={} seed=1 layout=vzl1 uniform", o.persons, o.weken);
    let van = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    // van is a Thursday: the Sundays of the next `weken` weeks
    let tot = van + chrono::Duration::days(i64::from(o.weken) * 7 - 3);
    let mut measurements = Vec::new();
    let held_back_dir = o.dir.join("inbox-nightly");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        let (s, measurement) = generate_vzl1(&data, o.persons, van, tot, "generate (once; kept for later runs)")?;
        measurements.push(measurement);
        // hold back the last P-levering of the first regio for the nightly run
        let last_p = s.leveringen.iter().filter(|l| l.soort == 'P').map(|l| l.peildatum).max();
        let held = s.leveringen.iter().find(|l| l.soort == 'P' && Some(l.peildatum) == last_p).map(|l| l.bestand.clone());
        if held_back_dir.exists() {
            std::fs::remove_dir_all(&held_back_dir).map_err(|e| Error::io(&held_back_dir, e))?;
        }
        std::fs::create_dir_all(&held_back_dir).map_err(|e| Error::io(&held_back_dir, e))?;
        if let Some(h) = held {
            let from = data.join("leveringen").join(&h);
            std::fs::rename(&from, held_back_dir.join(&h)).map_err(|e| Error::io(&from, e))?;
        }
        std::fs::write(&marker, &wanted).map_err(|e| Error::io(&marker, e))?;
    }
    let leveringen = data.join("leveringen");
    let bytes = dir_bytes(&leveringen);
    let records: u64 = {
        let text = std::fs::read_to_string(data.join("waarheid/leveringen.csv")).map_err(|e| Error::io(&data, e))?;
        let held: Vec<String> = std::fs::read_dir(&held_back_dir)
            .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        text.lines()
            .skip(1)
            .filter(|l| !held.iter().any(|h| l.starts_with(h.as_str())))
            .filter_map(|l| l.split(',').nth(5)?.parse::<u64>().ok())
            .sum()
    };
    let mb = bytes as f64 / 1e6;

    let lake_a = o.dir.join("lake-verzuim");
    let lake_b = o.dir.join("lake-duckdb");
    for l in [&lake_a, &lake_b] {
        if l.exists() {
            std::fs::remove_dir_all(l).map_err(|e| Error::io(l, e))?;
        }
    }
    sync_caches();
    let mut cmd = Command::new(&o.exe);
    cmd.args(["ingest", "--no-catalog", "--lake"]).arg(&lake_a).arg(&leveringen);
    let (s_a, m_a, _) = measure(cmd)?;
    measurements.push(Measurement {
        step: "(a) verzuim ingest".into(),
        seconds: s_a,
        peak_mb: m_a,
        note: format!("{mb:.0} MB, {records} records: {:.0} MB/s, {:.2} M records/s", mb / s_a, records as f64 / s_a / 1e6),
    });
    let mut cmd = Command::new(&o.exe);
    cmd.args(["catalog", "--lake"]).arg(&lake_a);
    let (s_c, m_c, _) = measure(cmd)?;
    measurements.push(Measurement {
        step: "(a') catalog refresh".into(),
        seconds: s_c,
        peak_mb: m_c,
        note: "views, stored pictures, timeline".into(),
    });

    let (s_b, m_b) = duckdb_loader_step(o, &leveringen, &lake_b)?;
    measurements.push(Measurement {
        step: "(b) DuckDB read_csv → COPY Parquet".into(),
        seconds: s_b,
        peak_mb: m_b,
        note: format!("{:.0} MB/s; verzuim is {:.2}× as fast", mb / s_b, s_b / s_a),
    });

    for (naam, sql) in [
        ("leerplichttelling", "leerplichttelling(date '2026-10-25'{k})"),
        ("absoluut_verzuim_signalen", "absoluut_verzuim_signalen(date '2026-10-25'{k})"),
        ("vsv", "vsv(2025{k})"),
        ("vsv_verschillen", "vsv_verschillen(2025{k})"),
        ("oud_vsv", "oud_vsv(date '2026-10-25'{k})"),
        ("vrijstellingen", "vrijstellingen(2026{k})"),
        ("absoluut_verzuim_schooljaar", "absoluut_verzuim_schooljaar(2025{k})"),
        ("leerplichttelling_schooljaar", "leerplichttelling_schooljaar(2025{k})"),
        ("verdwenen_zonder_mutatie", "verdwenen_zonder_mutatie"),
        ("bevinding", "bevinding"),
    ] {
        let (s, m) = time_query(o, &lake_a, &sql.replace("{k}", ""))?;
        // as known halfway through the weeks of P-leveringen
        let note = match sql.contains("{k}") {
            true => {
                let (s_k, _) = time_query(o, &lake_a, &sql.replace("{k}", ", bekend_op := date '2026-10-18'"))?;
                format!("bekend_op {s_k:.2} s ({:.1}× without)", s_k / s)
            }
            false => String::new(),
        };
        measurements.push(Measurement { step: format!("(c) {naam}"), seconds: s, peak_mb: m, note });
    }

    measurements.push(nightly(o, &o.dir, &lake_a, &held_back_dir, "(d) verzuim run, one new P-levering")?);

    let tabel = table(&measurements);
    Ok((measurements, tabel))
}

/// A night in steady state on `lake`: a run over an empty inbox first (the
/// very first run also builds the run log's view, a second catalog
/// refresh), then the measured run, which finds the one P-levering held
/// back in `inbox`. Its configurations are written into `dir`.
fn nightly(o: &Options, dir: &Path, lake: &Path, inbox: &Path, step: &str) -> Result<Measurement> {
    let leeg = dir.join("inbox-leeg");
    std::fs::create_dir_all(&leeg).map_err(|e| Error::io(&leeg, e))?;
    let mut measured = None;
    for (naam, map) in [("warm.toml", &leeg), ("nightly.toml", &inbox.to_path_buf())] {
        let config = dir.join(naam);
        std::fs::write(
            &config,
            format!(
                // The generated world ends on fixed dates: watched, the runs
                // would end stale (exit 5). The check itself still runs and is timed.
                "[run]\nlake = {:?}\ninbox = [{:?}]\nafter = \"keep\"\nbewaartermijn = \"5j\"\n\n[bewaking]\nbewaakt = false\n",
                lake.display().to_string(),
                map.display().to_string()
            ),
        )
        .map_err(|e| Error::io(&config, e))?;
        let mut cmd = Command::new(&o.exe);
        cmd.arg("run").arg(&config);
        measured = Some(measure(cmd)?);
    }
    let (seconds, peak_mb, out) = measured.expect("two runs");
    let steps = out.lines().find(|l| l.trim_start().starts_with("steps:")).unwrap_or("").trim().to_string();
    Ok(Measurement { step: step.into(), seconds, peak_mb, note: steps })
}

/// Moves the last P-levering of the first regio in `leveringen` (files named
/// as the generator names them) into `inbox`, unless one is there already:
/// the delivery a nightly run then finds.
fn hold_back_last_p(leveringen: &Path, inbox: &Path) -> Result<()> {
    let held = std::fs::read_dir(inbox).map(|rd| rd.flatten().count()).unwrap_or(0);
    if held > 0 {
        return Ok(());
    }
    std::fs::create_dir_all(inbox).map_err(|e| Error::io(inbox, e))?;
    let mut ps: Vec<PathBuf> = std::fs::read_dir(leveringen)
        .map_err(|e| Error::io(leveringen, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with("R0001P.txt")))
        .collect();
    ps.sort();
    if let Some(last) = ps.pop() {
        let to = inbox.join(last.file_name().expect("a file"));
        std::fs::rename(&last, &to).map_err(|e| Error::io(&last, e))?;
    }
    Ok(())
}

/// `select count(*) from <call>` on `lake` through `verzuim sql`, end to
/// end: seconds and peak MB.
fn time_query(o: &Options, lake: &Path, call: &str) -> Result<(f64, f64)> {
    let mut cmd = Command::new(&o.exe);
    cmd.args(["sql", "--lake"]).arg(lake).arg(format!("select count(*) from {call}"));
    measure(cmd).map(|(s, m, _)| (s, m))
}

/// Step (b): DuckDB's own loader on the deliveries in `leveringen`, into
/// `out`, after the page cache is flushed; seconds and peak MB.
fn duckdb_loader_step(o: &Options, leveringen: &Path, out: &Path) -> Result<(f64, f64)> {
    sync_caches();
    let mut cmd = Command::new(&o.exe);
    cmd.args(["duckdb-loader", "--out"]).arg(out).arg(leveringen);
    measure(cmd).map(|(s, m, _)| (s, m))
}

/// Written data out of the page cache's dirty list, so that one step's
/// writeback does not land in the next step's time.
fn sync_caches() {
    let _ = Command::new("sync").status();
}

/// The same job done by DuckDB alone (step b): per delivery, `read_csv`
/// all-VARCHAR with the separator given, then per record type a `COPY` of
/// the rows cast to the layout's types into Parquet (zstd), one directory per
/// delivery under `soort=/afnemer=/peildatum=`. It checks nothing: no
/// 11-proef, code lists, structure or trailer counts — verzuim does all that.
pub fn duckdb_loader(paths: &[PathBuf], out: &Path) -> Result<(usize, u64)> {
    let layout = RecordLayout::builtin("vzl1").expect("shipped");
    let (inputs, _) = crate::input::discover(paths, &["txt"])?;
    let conn = Connection::open_in_memory().map_err(|e| Error::duckdb("DuckDB", e))?;
    let sql = |s: &str| conn.execute_batch(s).map_err(|e| Error::duckdb(&s[..s.len().min(200)], e));
    let breedste = layout.records.iter().map(|r| r.fields.len()).max().unwrap_or(1);
    let kolommen: Vec<String> = (0..breedste).map(|i| format!("'c{i:02}': 'VARCHAR'")).collect();
    let mut bestanden = 0;
    for (n, input) in inputs.iter().enumerate() {
        let path = input.source().display().to_string().replace('\'', "''");
        sql(&format!(
            "create or replace temp table ruw as select * from read_csv('{path}', delim = '|', header = false, quote = '', escape = '', \
             auto_detect = false, null_padding = true, strict_mode = false, encoding = 'latin-1', columns = {{{}}});",
            kolommen.join(", ")
        ))?;
        let kop: (String, String, String) = conn
            .query_row("select c02, c03 || c04, c05 from ruw where c00 = 'VLP'", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| Error::duckdb("the header record", e))?;
        let dir = out.join(format!("soort={}/afnemer={}/peildatum={}/{n:05}", kop.0, kop.1, kop.2));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        for rec in &layout.records {
            let Some(table) = &rec.table else { continue };
            if rec.code == "SLR" {
                continue;
            }
            let exprs: Vec<String> = rec
                .fields
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, f)| {
                    let c = format!("nullif(c{i:02}, '')");
                    let e = match &f.ty {
                        FieldType::Date(_) => format!("cast(strptime({c}, '%Y%m%d') as date)"),
                        FieldType::Integer => format!("cast({c} as bigint)"),
                        FieldType::Flag => format!("({c} = 'J')"),
                        FieldType::Text | FieldType::Code(_) => c,
                    };
                    format!("{e} as \"{}\"", f.column)
                })
                .collect();
            let target = dir.join(format!("{table}.parquet")).display().to_string().replace('\'', "''");
            sql(&format!(
                "copy (select {} from ruw where c00 = '{}') to '{target}' (format parquet, compression zstd);",
                exprs.join(", "),
                rec.code
            ))?;
            bestanden += 1;
        }
    }
    Ok((inputs.len(), bestanden))
}

/// The header-CSV shape (step h): `persons` young people, every regio, a
/// C-levering each and `weken` weekly P-leveringen, in the DUO-CSV layout.
// Long: three shapes, each read by verzuim and by DuckDB, measured alike.
pub fn header_csv(o: &Options, persons: u64) -> Result<Vec<Measurement>> {
    let dir = o.dir.join(format!("csv-{persons}-{}", o.weken));
    let data = dir.join("data");
    let marker = dir.join("data.txt");
    let wanted = format!("persons={persons} weken={} seed=1 layout=duo-csv uniform", o.weken);
    let van = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    let tot = van + chrono::Duration::days(i64::from(o.weken) * 7 - 3);
    let mut measurements = Vec::new();
    let leveringen = data.join("leveringen");
    let (few, one) = (dir.join("c-leveringen"), dir.join("een-bestand"));
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        measurements.push(generate_in(&data, "duo-csv", persons, van, tot, "(h) header CSV: generate (once; kept)")?.1);
        // the C-leveringen apart, and as one file: Windows-1252 all, one header
        for d in [&few, &one] {
            if d.exists() {
                std::fs::remove_dir_all(d).map_err(|e| Error::io(d, e))?;
            }
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
        }
        let mut c: Vec<PathBuf> =
            std::fs::read_dir(&leveringen).map_err(|e| Error::io(&leveringen, e))?.flatten().map(|e| e.path()).collect();
        c.retain(|p| p.to_string_lossy().ends_with("C.csv"));
        c.sort();
        let mut joined: Vec<u8> = Vec::new();
        for (i, p) in c.iter().enumerate() {
            let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
            std::fs::write(few.join(p.file_name().expect("a file")), &bytes).map_err(|e| Error::io(&few, e))?;
            let body = if i == 0 { 0 } else { memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |n| n + 1) };
            joined.extend_from_slice(&bytes[body..]);
        }
        let name = c.first().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().replace("R00", "R99")).unwrap_or_default();
        std::fs::write(one.join(name), joined).map_err(|e| Error::io(&one, e))?;
        std::fs::write(&marker, &wanted).map_err(|e| Error::io(&marker, e))?;
    }
    for (naam, folder) in
        [("C-leveringen (few big)", &few), ("all deliveries (many small)", &leveringen), ("the C-leveringen as one file", &one)]
    {
        let files = std::fs::read_dir(folder).map_err(|e| Error::io(folder, e))?.flatten().count();
        let mb = dir_bytes(folder) as f64 / 1e6;
        let lake = dir.join("lake");
        let out = dir.join("lake-duckdb");
        for l in [&lake, &out] {
            if l.exists() {
                std::fs::remove_dir_all(l).map_err(|e| Error::io(l, e))?;
            }
        }
        sync_caches();
        let mut cmd = Command::new(&o.exe);
        cmd.args(["ingest", "--no-catalog", "--lake"]).arg(&lake).arg(folder);
        let (s, m, _) = measure(cmd)?;
        sync_caches();
        let mut cmd = Command::new(&o.exe);
        cmd.args(["duckdb-loader", "--csv", "--out"]).arg(&out).arg(folder);
        let (s_d, m_d, _) = measure(cmd)?;
        measurements.push(Measurement {
            step: format!("(h) header CSV, {naam}: ingest"),
            seconds: s,
            peak_mb: m,
            note: format!(
                "{files} files, {mb:.0} MB: {:.0} MB/s; DuckDB {s_d:.2} s ({m_d:.0} MB): verzuim {:.1}× as fast",
                mb / s,
                s_d / s
            ),
        });
    }
    Ok(measurements)
}

/// DuckDB alone on header CSVs (step h): per file `read_csv` with its
/// separator and header, all columns as DuckDB sniffs them, `COPY` to one
/// Parquet file (zstd). It checks and splits nothing: no tables, no
/// 11-proef, no person rows — verzuim does all that.
pub fn duckdb_csv_loader(paths: &[PathBuf], out: &Path) -> Result<usize> {
    let (inputs, _) = crate::input::discover(paths, &["csv"])?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let conn = Connection::open_in_memory().map_err(|e| Error::duckdb("DuckDB", e))?;
    for (n, input) in inputs.iter().enumerate() {
        let bytes = std::fs::read(input.source()).map_err(|e| Error::io(input.source(), e))?;
        let first = &bytes[..memchr::memchr(b'\n', &bytes).unwrap_or(bytes.len())];
        let sep = if first.iter().filter(|b| **b == b'|').count() > first.iter().filter(|b| **b == b';').count() { '|' } else { ';' };
        let encoding = if std::str::from_utf8(&bytes).is_ok() { "utf-8" } else { "latin-1" };
        let path = input.source().display().to_string().replace('\'', "''");
        let target = out.join(format!("{n:05}.parquet")).display().to_string().replace('\'', "''");
        let sql = format!(
            "copy (select * from read_csv('{path}', delim = '{sep}', header = true, encoding = '{encoding}')) to '{target}' (format parquet, compression zstd);"
        );
        conn.execute_batch(&sql).map_err(|e| Error::duckdb(&sql, e))?;
    }
    Ok(inputs.len())
}

/// Appends the result table to `path` (docs/performance.md), headed by the
/// date, the command and the machine it ran on.
pub fn append_results(path: &Path, o: &Options, tabel: &str) -> Result<()> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| t.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let text = format!(
        "\n## {} — `verzuim bench --persons {} --weeks {}`\n\nMachine: {cores} cores ({cpu}). Each step a child process; peak = its VmHWM.\n\n{tabel}",
        chrono::Local::now().format("%Y-%m-%d"),
        o.persons,
        o.weken,
    );
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Error::io(path, e))
}

/// Generates the bench's data set (every regio, seed 1, VZL1, uniform, no
/// A-levering) into `out`, timed as step `step`.
fn generate_vzl1(out: &Path, persons: u64, van: NaiveDate, tot: NaiveDate, step: &str) -> Result<(generate::Summary, Measurement)> {
    generate_in(out, "vzl1", persons, van, tot, step)
}

fn generate_in(
    out: &Path,
    layout: &str,
    persons: u64,
    van: NaiveDate,
    tot: NaiveDate,
    step: &str,
) -> Result<(generate::Summary, Measurement)> {
    let started = Instant::now();
    let s = generate::generate(&generate::Options {
        out: out.to_path_buf(),
        persons,
        seed: 1,
        van,
        tot,
        afnemers: vec![],
        layout: crate::layout::DeliveryLayout::builtin(layout).expect("shipped"),
        c_peildata: vec![],
        gemengd: false,
        a_levering: false,
        brp: false,
        lijsten: false,
    })?;
    let measurement = Measurement {
        step: step.into(),
        seconds: started.elapsed().as_secs_f64(),
        peak_mb: 0.0,
        note: format!("{} files", s.leveringen.len()),
    };
    Ok((s, measurement))
}

/// The history shape: `persons` young people, every regio, `weken` weekly
/// P-leveringen from 2024-10-01 (C-leveringen each 1 October).
pub struct History {
    pub persons: u64,
    pub weken: u32,
    /// Whether to run DuckDB's own loader on the history deliveries (step b).
    pub loader: bool,
}

/// Figures with a date, as on the C-only lake (2026-10-01 is a C-peildatum),
/// and the day their `bekend_op` variant asks about.
const HISTORY_FIGURES: &[(&str, &str)] = &[
    ("leerplichttelling", "leerplichttelling(date '2026-10-01'{k})"),
    ("absoluut_verzuim_signalen", "absoluut_verzuim_signalen(date '2026-10-01'{k})"),
    ("vsv", "vsv(2025{k})"),
    ("vsv_verschillen", "vsv_verschillen(2025{k})"),
    ("oud_vsv", "oud_vsv(date '2026-10-01'{k})"),
    ("vrijstellingen", "vrijstellingen(2026{k})"),
    ("absoluut_verzuim_schooljaar", "absoluut_verzuim_schooljaar(2025{k})"),
    ("leerplichttelling_schooljaar", "leerplichttelling_schooljaar(2025{k})"),
];
const HISTORY_BEKEND_OP: &str = ", bekend_op := date '2026-11-01'";

// Long: the history shape's steps in order, each measured alike.
pub fn history(o: &Options, h: &History) -> Result<Vec<Measurement>> {
    let dir = o.dir.join(format!("history-{}-{}", h.persons, h.weken));
    let data = dir.join("data");
    let marker = dir.join("data.txt");
    let wanted = format!("persons={} weken={} seed=1 layout=vzl1 uniform van=2024-10-01", h.persons, h.weken);
    let van = NaiveDate::from_ymd_opt(2024, 10, 1).expect("date");
    let tot = van + chrono::Duration::days(i64::from(h.weken) * 7 + 3);
    let mut measurements = Vec::new();
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        measurements.push(generate_vzl1(&data, h.persons, van, tot, "(e) history: generate (once; kept)")?.1);
        std::fs::write(&marker, &wanted).map_err(|e| Error::io(&marker, e))?;
    }
    let leveringen = data.join("leveringen");
    let inbox = dir.join("inbox-nightly");
    hold_back_last_p(&leveringen, &inbox)?;
    let mut all: Vec<PathBuf> = std::fs::read_dir(&leveringen)
        .map_err(|e| Error::io(&leveringen, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    all.sort();
    let c_only: Vec<PathBuf> = all.iter().filter(|p| p.to_string_lossy().ends_with("C.txt")).cloned().collect();
    let lake_h = dir.join("lake-history");
    let lake_c = dir.join("lake-c");
    for (lake, files, naam) in [(&lake_h, &all, "history"), (&lake_c, &c_only, "C-leveringen only")] {
        if lake.exists() {
            std::fs::remove_dir_all(lake).map_err(|e| Error::io(lake, e))?;
        }
        let mb = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum::<u64>() as f64 / 1e6;
        sync_caches();
        let mut cmd = Command::new(&o.exe);
        cmd.args(["ingest", "--no-catalog", "--lake"]).arg(lake);
        // the whole folder, or the files chosen from it
        if files.len() == all.len() {
            cmd.arg(&leveringen);
        } else {
            cmd.args(files);
        }
        let (s, m, _) = measure(cmd)?;
        let parquet = count_files(&lake.join("leveringen"), "parquet");
        measurements.push(Measurement {
            step: format!("(e) {naam}: ingest"),
            seconds: s,
            peak_mb: m,
            note: format!(
                "{} deliveries, {mb:.0} MB: {:.0} MB/s, {:.1} ms per delivery; {parquet} Parquet files",
                files.len(),
                mb / s,
                s * 1000.0 / files.len().max(1) as f64
            ),
        });
        let mut cmd = Command::new(&o.exe);
        cmd.args(["catalog", "--lake"]).arg(lake);
        let (s, m, _) = measure(cmd)?;
        measurements.push(Measurement { step: format!("(e') {naam}: catalog refresh"), seconds: s, peak_mb: m, note: String::new() });
    }
    if h.loader {
        let ingest_h = measurements.iter().find(|m| m.step == "(e) history: ingest").map_or(0.0, |m| m.seconds);
        let lake_b = dir.join("lake-duckdb");
        if lake_b.exists() {
            std::fs::remove_dir_all(&lake_b).map_err(|e| Error::io(&lake_b, e))?;
        }
        let (s_b, m_b) = duckdb_loader_step(o, &leveringen, &lake_b)?;
        measurements.push(Measurement {
            step: "(b) history: DuckDB read_csv → COPY Parquet".into(),
            seconds: s_b,
            peak_mb: m_b,
            note: format!("{} deliveries; verzuim is {:.2}× as fast", all.len(), s_b / ingest_h.max(f64::MIN_POSITIVE)),
        });
        std::fs::remove_dir_all(&lake_b).map_err(|e| Error::io(&lake_b, e))?;
    }
    for (naam, call) in HISTORY_FIGURES {
        let plain = call.replace("{k}", "");
        let (s_c, _) = time_query(o, &lake_c, &plain)?;
        let (s_h, m_h) = time_query(o, &lake_h, &plain)?;
        let (s_k, _) = time_query(o, &lake_h, &call.replace("{k}", HISTORY_BEKEND_OP))?;
        measurements.push(Measurement {
            step: format!("(f) {naam}"),
            seconds: s_h,
            peak_mb: m_h,
            note: format!("C only {s_c:.2} s (history {:.1}×); bekend_op {s_k:.2} s ({:.1}× without)", s_h / s_c, s_k / s_h),
        });
    }
    // (g) a plain reader — what a polars or pyarrow user does: one glob over
    // the lake's delivery folders, no catalog; its cost grows with the files
    for (lake, naam) in [(&lake_c, "C-leveringen only"), (&lake_h, "history")] {
        let glob = lake.join(crate::lake::DELIVERIES_DIR).join("*/*/*/*/persoon.parquet");
        let (s, m) = time_query(o, lake, &format!("read_parquet('{}', hive_partitioning = true)", glob.display()))?;
        let deliveries = crate::lake::Lake::open(lake)?.committed()?.len();
        measurements.push(Measurement {
            step: format!("(g) plain reader, {naam}: count(*) over persoon"),
            seconds: s,
            peak_mb: m,
            note: format!("read_parquet over {deliveries} delivery folders"),
        });
    }
    measurements.push(nightly(o, &dir, &lake_h, &inbox, "(d) history: verzuim run, one new P-levering")?);
    Ok(measurements)
}

fn count_files(dir: &Path, ext: &str) -> u64 {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() { count_files(&p, ext) } else { u64::from(p.extension().is_some_and(|x| x == ext)) }
        })
        .sum()
}

/// The result table of some steps.
pub fn table(measurements: &[Measurement]) -> String {
    let mut tabel = String::from("| step | seconds | peak MB | notes |\n|---|---|---|---|\n");
    for m in measurements {
        tabel.push_str(&format!(
            "| {} | {:.2} | {} | {} |\n",
            m.step,
            m.seconds,
            if m.peak_mb > 0.0 { format!("{:.0}", m.peak_mb) } else { "–".into() },
            m.note
        ));
    }
    tabel
}
