//! No personal data in output: generated deliveries, and copies broken in
//! the ways that produce messages, go through every command; nothing any
//! command prints (stdout, stderr, JSON logs, run logs) holds a BSN,
//! onderwijsnummer or name of the persons in them.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn verzuim(args: &[&str], cwd: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_verzuim")).args(args).current_dir(cwd).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains("panicked"), "verzuim {args:?} panicked:\n{text}");
    text
}

#[test]
fn no_command_prints_a_person_number_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let generated = d.join("gen");
    let gen_s = generated.display().to_string();
    verzuim(
        &[
            "generate",
            "--out",
            &gen_s,
            "--persons",
            "400",
            "--afnemer",
            "G0687",
            "--afnemer",
            "R0032",
            "--van",
            "2026-08-01",
            "--tot",
            "2026-10-25",
        ],
        d,
    );

    // broken copies: a pgn failing the 11-proef, a bad date, a missing trailer
    let inbox = d.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(generated.join("leveringen")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in &files {
        std::fs::copy(f, inbox.join(f.file_name().unwrap())).unwrap();
    }
    let c = files.iter().find(|f| f.to_string_lossy().ends_with("G0687C.txt")).unwrap();
    let text = String::from_utf8_lossy(&std::fs::read(c).unwrap()).into_owned();
    let per = text.lines().find(|l| l.starts_with("PER|")).unwrap().to_string();
    let pgn = per.split('|').nth(1).unwrap().to_string();
    let broken_pgn = format!("{}{}", &pgn[..8], (pgn.as_bytes()[8] - b'0' + 1) % 10);
    let variants = [
        ("20250101G0687C.txt", text.replacen(&per, &per.replace(&pgn, &broken_pgn), 1)),
        ("20250102G0687C.txt", text.replacen(&per, &per.replacen("|20", "|2O", 1), 1)),
        ("20250103G0687C.txt", text.lines().filter(|l| !l.starts_with("SLR")).collect::<Vec<_>>().join("\r\n")),
    ];
    for (name, body) in &variants {
        std::fs::write(inbox.join(name), body.as_bytes()).unwrap();
    }

    // the BRP extract, and copies broken in each way that refuses one
    let brp_inbox = d.join("brp-inbox");
    std::fs::create_dir_all(&brp_inbox).unwrap();
    let extract = std::fs::read_dir(generated.join("brp")).unwrap().next().unwrap().unwrap().path();
    std::fs::copy(&extract, brp_inbox.join(extract.file_name().unwrap())).unwrap();
    let brp_text = std::fs::read_to_string(&extract).unwrap();
    let brp_row = brp_text.lines().nth(1).unwrap().to_string();
    let brp_bsn = brp_row.split(';').next().unwrap().to_string();
    let broken_bsn = format!("{}{}", &brp_bsn[..8], (brp_bsn.as_bytes()[8] - b'0' + 1) % 10);
    let birth = brp_row.split(';').nth(1).unwrap();
    let broken_extracts = [
        ("0687_20260101.csv", brp_text.replacen(&brp_row, &brp_row.replacen(&brp_bsn, &broken_bsn, 1), 1)),
        ("0687_20260102.csv", format!("{brp_text}{brp_row}\r\n")),
        ("0687_20260103.csv", brp_text.replacen(&brp_row, &brp_row.replacen(&format!(";{birth};"), ";;", 1), 1)),
    ];
    let brp_broken = d.join("brp-broken");
    std::fs::create_dir_all(&brp_broken).unwrap();
    for (name, body) in &broken_extracts {
        std::fs::write(brp_broken.join(name), body).unwrap();
    }

    let lake = d.join("lake").display().to_string();
    let inbox_s = inbox.display().to_string();
    let mut printed = String::new();
    printed += &verzuim(&["ingest", &inbox_s, "--lake", &lake], d);
    let brp_refused = verzuim(&["brp", "load", "--lake", &lake, &brp_broken.display().to_string()], d);
    assert_eq!(brp_refused.matches("refused").count(), 3, "{brp_refused}");
    assert!(brp_refused.contains(&format!("*****{}", &broken_bsn[5..])), "the bad BSN is shown masked:\n{brp_refused}");
    printed += &brp_refused;
    printed += &verzuim(&["brp", "load", "--lake", &lake, &extract.display().to_string()], d);
    printed += &verzuim(&["inspect", "--brp", &brp_broken.display().to_string()], d);
    printed += &verzuim(&["inspect", "--brp", "--draft", "brp-draft.toml", &extract.display().to_string()], d);
    printed += &verzuim(&["request", "a", "--gemeente", "0687", "--uit-brp", "--lake", &lake, "--out", "aanvragen"], d);
    // DUO's VSV lists: one with a number failing the 11-proef (kept), one ragged (refused)
    let nrsp_header = "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;RMC_REGIO;GEMCODE;BRIN;NIVEAU";
    std::fs::write(
        d.join("NRSP2026DR0032.csv"),
        format!("{nrsp_header}\n{brp_bsn};;01-01-2010;32;687;25PK;2\n{broken_bsn};;01-01-2010;32;687;25PK;2\n"),
    )
    .unwrap();
    std::fs::write(d.join("NenR2026DR0032.csv"), format!("{nrsp_header};EXAMEN\n{brp_bsn};;01-01-2010;32;687;25PK;2;N;extra\n")).unwrap();
    let lists = verzuim(&["lijst", "load", "--lake", &lake, "NRSP2026DR0032.csv", "NenR2026DR0032.csv"], d);
    assert!(lists.contains("1 numbers fail the 11-proef") && lists.contains("refused"), "{lists}");
    printed += &lists;
    assert!(d.join("aanvragen").read_dir().unwrap().count() == 1, "{printed}");
    for (name, _) in &variants {
        printed += &verzuim(&["inspect", &inbox.join(name).display().to_string()], d);
    }
    printed += &verzuim(&["inspect", &files[0].display().to_string()], d);
    std::fs::write(
        d.join("job.toml"),
        "[run]\nlake = \"lake2\"\ninbox = [\"inbox\"]\nbrp = [\"brp-inbox\", \"brp-broken\"]\nafter = \"keep\"\nretention = \"5j\"\n\n[report]\nout = \"rapportage\"\nregio = \"32\"\n\n\
             [analyse]\nsleutel = \"sleutels/run.key\"\npeildata = [\"2026-10-01\"]\n\n\
             [signaal]\ncommand = [\"sh\", \"-c\", \"cat >> signalen.json\"]\n",
    )
    .unwrap();
    printed += &verzuim(&["run", "job.toml", "--log-format", "json"], d);
    printed += &verzuim(&["run", "job.toml", "--dry-run"], d);
    printed += &verzuim(&["status", "job.toml"], d);
    printed += &verzuim(&["status", "job.toml", "--format", "json"], d);
    // what the operator's monitor is sent
    let signals = std::fs::read_to_string(d.join("signalen.json")).unwrap();
    assert!(signals.contains("\"event\":\"start\"") && signals.contains("\"event\":"), "{signals}");
    printed += &signals;
    printed += &verzuim(&["catalog", "--lake", &lake], d);
    printed += &verzuim(&["catalog", "--lake", &lake, "--analyse", "--sleutel", "sleutels/k.key", "--peildatum", "2026-10-01"], d);
    assert!(d.join("lake/verzuim-analyse.duckdb").exists() && d.join("lake2/verzuim-analyse.duckdb").exists());
    printed += &verzuim(&["report", "--lake", &lake, "--regio", "32", "--out", "rapportage2"], d);
    printed += &verzuim(&["purge", "--lake", &lake, "--ouder-dan", "1d", "--dry-run"], d);
    printed += &verzuim(&["reference", "load", "--lake", &lake, &files[0].display().to_string()], d);
    for f in std::fs::read_dir(d.join("lake2/_runs")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            printed += &std::fs::read_to_string(p).unwrap();
        }
    }
    // the commands did their work: rejections and masked numbers are in the output
    assert!(printed.contains("rejected"), "{printed}");
    assert!(printed.contains(&format!("*****{}", &broken_pgn[5..])), "the broken number is shown masked:\n{printed}");

    let conn = duckdb::Connection::open(d.join("lake/verzuim.duckdb")).unwrap();
    let mut secrets = query_rows(
        &conn,
        "select distinct pgn from persoon union select distinct bsn from persoon where bsn is not null union select distinct onderwijsnummer from persoon where onderwijsnummer is not null",
    );
    secrets.push(broken_pgn.clone());
    secrets.push(broken_bsn.clone());
    // the BRP's residents, those DUO does not know among them
    secrets.extend(query_rows(&conn, "select distinct bsn from brp_persoon_alles"));
    let brp_only = query_rows(&conn, "select bsn from brp_alleen_op(date '2026-10-25')");
    assert!(!brp_only.is_empty());
    // the analyst catalog holds the BRP as counts: no resident's number
    let analyse = duckdb::Connection::open(d.join("lake/verzuim-analyse.duckdb")).unwrap();
    assert_ne!(query_rows(&analyse, "select count(*) from brp_extract"), vec!["0"]);
    let in_analyse = query_rows(&analyse, "select pseudoniem from figuur_absoluut_verzuim_signalen where pseudoniem is not null");
    assert!(brp_only.iter().all(|b| !in_analyse.contains(b)));
    let names = query_rows(
        &conn,
        "select distinct achternaam from persoon where length(achternaam) >= 5 union select distinct voornamen from persoon where length(voornamen) >= 5 \
         union select distinct achternaam from brp_persoon_alles where length(achternaam) >= 5",
    );
    assert!(secrets.len() > 200 && names.len() > 10);
    for s in &secrets {
        assert!(!printed.contains(s.as_str()), "a person number is in the output");
    }
    for n in &names {
        assert!(!printed.contains(n.as_str()), "a name is in the output: {n}");
    }
}
