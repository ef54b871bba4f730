//! The nightly job as a scheduler runs it: exit statuses, the lock, archive
//! and quarantine, and crash safety — killed with SIGKILL at every step and
//! run again, the lake equals that of an uninterrupted run.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

fn verzuim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verzuim"))
}

/// A job over a copy of the hand-made samples in a fresh folder, archiving.
struct Job {
    dir: tempfile::TempDir,
}

impl Job {
    fn new(extra: &str) -> Job {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir_all(&inbox).unwrap();
        for e in std::fs::read_dir(repo().join("tests/fixtures/handmade")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt" || x == "zip") {
                std::fs::copy(&p, inbox.join(p.file_name().unwrap())).unwrap();
            }
        }
        std::fs::write(
            dir.path().join("job.toml"),
            format!(
                "[run]\nlake = \"lake\"\ninbox = [\"inbox\"]\nafter = \"archive\"\narchive = \"archief\"\n\
                 quarantine = \"quarantaine\"\nretention = \"5j\"\noutput = \"uitvoer\"\n\n\
                 # the hand-made deliveries end in October 2026: watched, every run would end stale (exit 5)\n\
                 [bewaking]\nbewaakt = false\n\n\
                 [[figure]]\nname = \"signalen\"\nsql = \"select * from absoluut_verzuim_signalen(date '2026-10-26')\"\n{extra}"
            ),
        )
        .unwrap();
        Job { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn run(&self) -> (i32, String) {
        let out = verzuim().arg("run").arg(self.path("job.toml")).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
    }

    fn inbox_files(&self) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(self.path("inbox")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    fn archived(&self) -> Vec<String> {
        fn walk(d: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    walk(&e.path(), out)
                } else {
                    out.push(e.file_name().into_string().unwrap());
                }
            }
        }
        let mut v = Vec::new();
        walk(&self.path("archief"), &mut v);
        v.sort();
        v
    }
}

const SKIP: &[&str] = &["ingelezen_op", "levering_id"];

#[test]
fn a_run_ingests_archives_and_writes_figures_and_the_second_finds_nothing_new() {
    let job = Job::new("");
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("7 files: 7 ingested") && out.contains("result:     done (exit 0)"), "{out}");
    assert!(job.inbox_files().is_empty(), "every file archived");
    assert_eq!(job.archived().len(), 7);
    let month = chrono::Local::now().format("%Y/%m").to_string();
    assert!(job.path("archief").join(month).join("20261020G0687A.zip").exists());
    let figure = std::fs::read_dir(job.path("uitvoer")).unwrap().next().unwrap().unwrap().path();
    // the report's CSV conventions: `;` and a BOM, for Dutch Excel; names persons: owner-only
    assert!(std::fs::read_to_string(&figure).unwrap().starts_with("\u{feff}pgn;gemeentecode;categorie;sinds\n"));
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&figure), 0o600);
    // the run log (counts, and rejection reasons that name files) too
    assert_eq!(mode(&job.path("lake/_runs")), 0o700);
    for e in std::fs::read_dir(job.path("lake/_runs")).unwrap() {
        let p = e.unwrap().path();
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    let before = lake_rows(&job.path("lake"), SKIP);

    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing new (exit 0)"), "{out}");
    assert_eq!(lake_rows(&job.path("lake"), SKIP), before);
    // both runs are in the run log, as JSON files and in the catalog
    let runs =
        std::fs::read_dir(job.path("lake/_runs")).unwrap().filter(|e| e.as_ref().unwrap().path().extension().unwrap() == "json").count();
    assert_eq!(runs, 2);
    let conn = duckdb::Connection::open(job.path("lake/verzuim.duckdb")).unwrap();
    assert_eq!(query_rows(&conn, "select ingested, rejected from run_log"), vec!["0|0", "7|0"]);
}

#[test]
fn rejected_files_go_to_quarantine_with_the_reason_and_exit_3() {
    let job = Job::new("");
    let mut lines = valid_lines();
    lines.pop();
    write_lines(&job.path("inbox"), "20261012G0687P-kapot.txt", &lines);
    let (code, out) = job.run();
    assert_eq!(code, 3, "{out}");
    assert!(job.path("quarantaine/20261012G0687P-kapot.txt").exists());
    let reason = std::fs::read_to_string(job.path("quarantaine/20261012G0687P-kapot.txt.reason.txt")).unwrap();
    assert!(reason.contains("no trailer record SLR"), "{reason}");
    assert!(!reason.contains("123456782"), "no BSN in the reason");
    assert_eq!(job.archived().len(), 7);
}

#[test]
fn a_second_run_exits_4_at_once_and_a_dead_runs_lock_is_taken_over() {
    let job = Job::new("");
    std::fs::create_dir_all(job.path("lake")).unwrap();
    // a live process (this test) holds the lock
    std::fs::write(job.path("lake/.verzuim.lock"), std::process::id().to_string()).unwrap();
    let started = Instant::now();
    let (code, out) = job.run();
    assert_eq!(code, 4, "{out}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(out.contains("holds the lock"), "{out}");
    assert_eq!(job.inbox_files().len(), 7, "nothing touched");
    // a lock whose process is gone is taken over, with a warning
    std::fs::write(job.path("lake/.verzuim.lock"), (u32::MAX - 1).to_string()).unwrap();
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("took over the lock"), "{out}");
    assert!(!job.path("lake/.verzuim.lock").exists(), "released at the end");
}

#[test]
fn a_run_killed_at_any_step_is_completed_by_the_next() {
    let reference = Job::new("");
    assert_eq!(reference.run().0, 0);
    let expected = lake_rows(&reference.path("lake"), SKIP);
    for point in ["na_parsen", "tussen_parquet", "voor_commit", "tussen_commits", "catalogus", "verplaatsen"] {
        let job = Job::new("");
        let mut run = verzuim();
        run.arg("run").arg(job.path("job.toml"));
        kill_when_paused(run, point, &job.path("gepauzeerd"), Duration::from_secs(30));
        // an inbox file leaves only after its delivery is committed
        let committed = verzuim::lake::Lake::committed_at(&job.path("lake")).unwrap();
        if point == "verplaatsen" {
            assert_eq!(job.archived().len(), 1, "killed after the first move");
        }
        for archived in job.archived() {
            let bytes = std::fs::read(walk_find(&job.path("archief"), &archived)).unwrap();
            let id = verzuim::input::content_id(&verzuim::input::sha256_hex(&bytes));
            assert!(committed.contains(&id) || archived.ends_with(".zip"), "{point}: {archived} archived before its commit");
        }
        let (code, out) = job.run();
        assert_eq!(code, 0, "{point}: {out}");
        assert_eq!(lake_rows(&job.path("lake"), SKIP), expected, "{point}: lake differs from an uninterrupted run");
        assert!(job.inbox_files().is_empty(), "{point}");
        assert_eq!(job.archived().len(), 7, "{point}");
        let leftovers: Vec<_> = std::fs::read_dir(job.path("lake/_staging")).unwrap().collect();
        assert!(leftovers.is_empty(), "{point}: staging not cleaned");
        let tmp_catalogs = std::fs::read_dir(job.path("lake"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".tmp-"))
            .count();
        assert_eq!(tmp_catalogs, 0, "{point}");
    }
}

fn walk_find(d: &Path, name: &str) -> PathBuf {
    for e in std::fs::read_dir(d).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            let f = walk_find(&p, name);
            if f.exists() {
                return f;
            }
        } else if p.file_name().unwrap() == name {
            return p;
        }
    }
    d.join("(not found)")
}

#[test]
fn a_bad_configuration_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("job.toml");
    std::fs::write(&cfg, "[run]\nlake = \"lake\"\ninbox = [\"nergens\"]\nafter = \"keep\"\nretention = \"5j\"\n").unwrap();
    let out = verzuim().arg("run").arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inbox") && String::from_utf8_lossy(&out.stderr).contains("nergens"));
    std::fs::create_dir_all(dir.path().join("nergens")).unwrap();
    std::fs::write(&cfg, "[run]\nlake = \"lake\"\ninbox = [\"nergens\"]\nafter = \"keep\"\nretention = \"5 jaar\"\n").unwrap();
    let out = verzuim().arg("run").arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bewaartermijn"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(&cfg, "[run]\nlake = \"lake\"\ninbox = [\"nergens\"]\nafter = \"archive\"\nretention = \"5j\"\nonbekend = 1\n").unwrap();
    let out = verzuim().arg("run").arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("onbekend"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn request_files_are_byte_exact() {
    let dir = tempfile::tempdir().unwrap();
    let out = verzuim().args(["request", "c", "--gemeente", "363", "--datum", "2018-09-25", "--out"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(dir.path().join("20180925G0363C.txt")).unwrap(), b"111111111\r\n");

    let list = dir.path().join("nummers.txt");
    std::fs::write(&list, "123456782\n111222333\n123456782\n").unwrap();
    let out = verzuim()
        .args(["request", "a", "--regio", "28", "--datum", "2018-09-25", "--nummers"])
        .arg(&list)
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("duplicates written once (lines 3)"));
    assert_eq!(std::fs::read(dir.path().join("20180925R0028A.txt")).unwrap(), b"123456782\r\n111222333\r\n");

    // a bad number refuses the list before anything is written
    std::fs::write(&list, "123456782\n123456781\n").unwrap();
    let out = verzuim()
        .args(["request", "a", "--gemeente", "0687", "--datum", "2018-09-25", "--nummers"])
        .arg(&list)
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("11-proef") && !err.contains("123456781"), "{err}");
    assert!(!dir.path().join("20180925G0687A.txt").exists());
}

#[test]
fn dry_run_writes_nothing_and_json_logs_hold_no_personal_data() {
    let job = Job::new("");
    let out = verzuim().args(["run", "--dry-run"]).arg(job.path("job.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("7 files: 7 would be ingested, 0 already present"), "{stdout}");
    assert!(!job.path("lake").exists() && job.inbox_files().len() == 7, "a dry run writes nothing");

    let out = verzuim().args(["run", "--log-format", "json"]).arg(job.path("job.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let log = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<serde_json::Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.iter().any(|v| v["fields"]["step"] == "ingest" && v["fields"]["message"] == "done"));
    assert_eq!(lines.iter().filter(|v| v["fields"]["message"] == "delivery").count(), 7);
    // the samples' people never appear in logs
    for secret in ["Jansen", "Zoë", "Çelik"] {
        assert!(!log.contains(secret));
    }
    let bsns =
        lake_rows(&job.path("lake"), &[])["persoon"].iter().map(|r| r.split("pgn=").nth(1).unwrap()[..9].to_string()).collect::<Vec<_>>();
    assert!(bsns.iter().all(|b| !log.contains(b.as_str())));
}

#[test]
fn a_run_loads_new_reference_files_once() {
    let job = Job::new("");
    let refdir = job.path("referentie");
    std::fs::create_dir_all(&refdir).unwrap();
    std::fs::copy(repo().join("tests/fixtures/reference/BASISGEGEVENS_INSTELLINGEN_20250113.zip"), refdir.join("basis.zip")).unwrap();
    let cfg = std::fs::read_to_string(job.path("job.toml"))
        .unwrap()
        .replace("retention = \"5j\"", "retention = \"5j\"\nreference = [\"referentie\"]");
    std::fs::write(job.path("job.toml"), cfg).unwrap();
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("reference:  3 files loaded"), "{out}");
    // opened read-write, as DBeaver does by default: the next run must not trip over it
    let conn = duckdb::Connection::open(job.path("lake/verzuim.duckdb")).unwrap();
    assert_eq!(query_rows(&conn, "select naam from school where instellingscode = '25PK'"), vec!["Scalda Zeeland"]);
    let (_, out) = job.run();
    assert!(out.contains("reference:  0 files loaded") && out.contains("nothing new"), "{out}");
}

#[test]
fn a_configured_report_is_made_after_a_run_with_news_and_not_remade_without() {
    let job = Job::new("\n[report]\nout = \"rapportage\"\nregio = \"32\"\nformaten = [\"xlsx\", \"html\"]\n");
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    let map = job.path("rapportage/32-Walcheren");
    let xlsx: Vec<_> =
        std::fs::read_dir(&map).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "xlsx")).collect();
    assert_eq!(xlsx.len(), 1, "{map:?}");
    assert!(job.path("rapportage/werklijsten").is_dir());
    assert!(!map.join("csv").exists(), "only the configured formats");
    let made = std::fs::metadata(&xlsx[0]).unwrap().modified().unwrap();
    // nothing new: the report stays as it was
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::metadata(&xlsx[0]).unwrap().modified().unwrap(), made);
    // the figures' SQL changed (an upgrade of verzuim, here its fingerprint
    // in the catalog's record): the figures are made again, and the report
    std::thread::sleep(std::time::Duration::from_millis(20));
    let conn = duckdb::Connection::open(job.path("lake/verzuim.duckdb")).unwrap();
    conn.execute_batch("update catalogus_bouw set regels_kenmerk = 'eerder'; checkpoint;").unwrap();
    drop(conn);
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("the figures' changed SQL made again"), "{out}");
    assert!(std::fs::metadata(&xlsx[0]).unwrap().modified().unwrap() > made, "the report is made again");
    // a [report] with neither a regio nor alle_regios is refused before anything runs
    let bad = Job::new("\n[report]\nout = \"rapportage\"\n");
    let (code, out) = bad.run();
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("regio"), "{out}");
}

/// The nightly figures are computed for the lake's last peildatum — the
/// report's date, not the run's (five weeks later on the samples) — with the
/// report's teljaar and schooljaar for it.
#[test]
fn nightly_figures_take_the_last_peildatum_and_the_reports_years() {
    let job = Job::new(
        "\n[[figure]]\nname = \"peil\"\nsql = \"select {peildatum} as peildatum, {teljaar} as teljaar, {schooljaar} as schooljaar\"\n",
    );
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    let conn = duckdb::Connection::open(job.path("lake/verzuim.duckdb")).unwrap();
    let last: String = conn.query_row("select max(peildatum)::varchar from levering_volgorde", [], |r| r.get(0)).unwrap();
    drop(conn);
    let d = chrono::NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap();
    let (t, s) = verzuim::report::teljaar_en_schooljaar(d);
    let figure = std::fs::read_dir(job.path("uitvoer"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("peil-"))
        .unwrap();
    assert_eq!(std::fs::read_to_string(figure).unwrap(), format!("\u{feff}peildatum;teljaar;schooljaar\n{last};{t};{s}\n"));
}

/// The samples' inbox without two weeks of P-leveringen after their last
/// C-levering (peildata 11 and 18 October 2026, ISO weeks 41 and 42): the
/// run and `status` name both afnemers and both weeks and exit 5; once the
/// two weeks arrive, both say fresh and exit 0.
#[test]
fn missing_weeks_make_run_and_status_exit_5_until_they_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let held_back = ["20261012G0687P.txt", "20261012R0032P.txt", "20261019G0687P.txt", "20261019R0032P.txt"];
    for f in sample_deliveries() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if !held_back.contains(&name.as_str()) {
            std::fs::copy(&f, inbox.join(&name)).unwrap();
        }
    }
    let job = dir.path().join("job.toml");
    std::fs::write(&job, "[run]\nlake = \"lake\"\ninbox = [\"inbox\"]\nafter = \"keep\"\nbewaartermijn = \"5j\"\n").unwrap();
    // the night after the last P-levering (peildatum Sunday 25 October)
    let on = |args: &[&str]| -> (i32, String) {
        let out = verzuim().args(args).env("VERZUIM_TODAY", "2026-10-27").current_dir(dir.path()).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
    };
    let (code, out) = on(&["run", "job.toml"]);
    assert_eq!(code, 5, "{out}");
    for afnemer in ["G0687", "R0032"] {
        assert!(out.contains(&format!("stale:      {afnemer}: no P-levering in week 2026-W41, 2026-W42 (no C-levering since)")), "{out}");
        assert!(out.contains(&format!("freshness:  {afnemer}  last P 2026-10-25 (2 days)")), "{out}");
    }
    assert!(out.contains("leveringsvolgnummer skips from"), "{out}");
    assert!(out.contains("result:     done, but the data is stale: see above (exit 5)"), "{out}");

    let (code, out) = on(&["status", "job.toml", "--format", "json"]);
    assert_eq!(code, 5, "{out}");
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["stale"], true);
    assert_eq!(status["catalog"]["state"], "up_to_date");
    assert_eq!(status["last_run"]["outcome"], "stale");
    assert_eq!(status["last_run"]["exit_status"], 5);
    for a in status["afnemers"].as_array().unwrap() {
        let open: Vec<&str> =
            a["missing_weeks"].as_array().unwrap().iter().filter(|w| w["open"] == true).map(|w| w["week"].as_str().unwrap()).collect();
        assert_eq!(open, ["2026-W41", "2026-W42"], "{a}");
    }
    let (code, text) = on(&["status", "job.toml"]);
    assert_eq!(code, 5, "{text}");
    assert!(
        text.contains("G0687: no P-levering in 2026-W41 (open), 2026-W42 (open)") && text.contains("result:     stale (exit 5)"),
        "{text}"
    );
    // no person data in what status says
    assert!(!out.contains("100000083") && !text.contains("100000083"));

    // the two weeks arrive: fresh again
    for name in held_back {
        std::fs::copy(repo().join("data-samples/leveringen").join(name), inbox.join(name)).unwrap();
    }
    let (code, out) = on(&["run", "job.toml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("result:     done (exit 0)") && !out.contains("stale:"), "{out}");
    let (code, out) = on(&["status", "--lake", "lake"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("result:     fresh (exit 0)") && out.contains("catalog:    up to date with the lake"), "{out}");
}

/// A monitor on a local port, as healthchecks.io would be: it records the
/// request line and body of each request and answers 200. It stops by
/// itself after `max` requests or a minute.
fn monitor(max: usize) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/ping/abc", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut served = 0;
        while served < max && Instant::now() < deadline {
            let Ok((mut s, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            s.set_nonblocking(false).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let n = match s.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).into_owned();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&buf).into_owned();
            let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nOK");
            let _ = tx.send(format!("{} {body}", head.lines().next().unwrap_or("")));
            served += 1;
        }
    });
    (url, rx)
}

/// The next two requests the monitor received (a run's start and its end).
fn two(pings: &std::sync::mpsc::Receiver<String>) -> Vec<String> {
    (0..2).filter_map(|_| pings.recv_timeout(Duration::from_secs(5)).ok()).collect()
}

#[test]
fn the_run_signals_start_success_and_failure_to_the_operators_monitor() {
    let (url, pings) = monitor(4);
    let job = Job::new(&format!("\n[signaal]\nurl = \"{url}\"\n"));
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    let got = two(&pings);
    assert!(got[0].starts_with("POST /ping/abc/start HTTP/1.1 "), "{got:?}");
    assert!(got[1].starts_with("POST /ping/abc HTTP/1.1 "), "{got:?}");
    let summary: serde_json::Value = serde_json::from_str(got[1].split_once(" HTTP/1.1 ").unwrap().1).unwrap();
    assert_eq!(
        (summary["event"].as_str(), summary["ingested"].as_u64(), summary["outcome"].as_str()),
        (Some("success"), Some(7), Some("done"))
    );
    // counts, codes and file names: no person's number or name
    for secret in ["123456782", "Jansen"] {
        assert!(!got[1].contains(secret), "{secret} in the signal");
    }

    // a run that fails (a figure whose query cannot run) pings /fail, with the error
    let broken = Job::new(&format!("\n[[figure]]\nname = \"kapot\"\nsql = \"select * from bestaat_niet\"\n\n[signaal]\nurl = \"{url}\"\n"));
    let (code, out) = broken.run();
    assert_eq!(code, 1, "{out}");
    let got = two(&pings);
    assert!(got[0].starts_with("POST /ping/abc/start "), "{got:?}");
    assert!(got[1].starts_with("POST /ping/abc/fail ") && got[1].contains("bestaat_niet"), "{got:?}");
    // and the failure is in the run log, for `verzuim status`
    let status = verzuim().args(["status", "--lake"]).arg(broken.path("lake")).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains(": failed (exit 1)"), "{text}");
}

#[test]
fn a_dead_or_hanging_monitor_never_fails_the_run_and_a_command_gets_the_summary() {
    // nothing listens on port 9; `sleep` never reads its input nor exits in time
    let job = Job::new("\n[signaal]\nurl = \"http://127.0.0.1:9/x\"\ncommand = [\"sleep\", \"30\"]\ntimeout_seconden = 1\n");
    let started = Instant::now();
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(started.elapsed() < Duration::from_secs(20), "bounded by the timeout");
    assert!(out.contains("warning:    signal start to the [signaal] url failed"), "{out}");
    assert!(out.contains("warning:    signal success to the [signaal] command sleep failed: no answer within 1 s"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let script = format!("cat > {}/signaal-$VERZUIM_EVENT.json", dir.path().display());
    let job = Job::new(&format!("\n[signaal]\ncommand = [\"sh\", \"-c\", {script:?}]\n"));
    let (code, out) = job.run();
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning:"), "{out}");
    let success: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("signaal-success.json")).unwrap()).unwrap();
    assert_eq!(success["event"], "success");
    assert_eq!(success["ingested"], 7);
    assert!(dir.path().join("signaal-start.json").exists());
}
