//! Every kind of bad input gets a message naming file, line and field, never
//! a panic, and leaves nothing of the rejected delivery in the lake.

use std::path::{Path, PathBuf};

use crate::common::*;
use verzuim::ingest::Status;
use verzuim::layout::RecordLayout;

const NAME: &str = "20261012G0687P.txt";

/// Ingests `lines` as a file and returns the rejection message, after
/// checking that the lake holds nothing.
fn reject(lines: &[String]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write_lines(dir.path(), NAME, lines);
    reject_path(&path)
}

fn reject_path(path: &Path) -> String {
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[path.to_path_buf()]);
    let why = rejection(&s);
    assert_lake_empty(lake.path());
    // personal data never appears in a message
    for secret in ["123456782", "111222333", "Jansen", "Sanne", "Bakker", "Noah"] {
        assert!(!why.contains(secret), "message leaks {secret}: {why}");
    }
    why
}

fn edit(f: impl FnOnce(&mut Vec<String>)) -> Vec<String> {
    let mut l = valid_lines();
    f(&mut l);
    l
}

#[test]
fn the_valid_base_file_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_lines(dir.path(), NAME, &valid_lines());
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[path]);
    assert_eq!(only(&s).status, Status::Ingested);
    assert_eq!((only(&s).persons, only(&s).records), (2, 10));
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(NAME);
    std::fs::write(&p, "").unwrap();
    assert!(reject_path(&p).contains("empty"));
    std::fs::write(&p, "\r\n\r\n").unwrap();
    assert!(reject_path(&p).contains("empty"));
}

#[test]
fn binary_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(NAME);
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    std::fs::write(&p, &garbage).unwrap();
    assert!(reject_path(&p).contains("binary"));
    // high bytes without NULs decode as Windows-1252 but match no layout
    let high: Vec<u8> = (0..4096u32).map(|i| 0x80 | (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    std::fs::write(&p, &high).unwrap();
    let why = reject_path(&p);
    assert!(why.contains("no layout recognises") && why.contains("VZL1") && why.contains("VZL1-FW"), "{why}");
}

#[test]
fn truncated_file_without_trailer() {
    let why = reject(&edit(|l| {
        l.pop();
    }));
    assert!(why.contains("no trailer record SLR"), "{why}");
    // cut in the middle of a line
    let mut l = valid_lines();
    l.truncate(5);
    l[4].truncate(20);
    let why = reject(&l);
    assert!(why.contains("line 5") && why.contains("INS") && why.contains("fields"), "{why}");
}

#[test]
fn trailer_counts_that_do_not_match() {
    let why = reject(&edit(|l| *l.last_mut().unwrap() = "SLR|2|11".into()));
    assert!(why.contains("line 10") && why.contains("aantal_records") && why.contains("says 11") && why.contains("holds 10"), "{why}");
    let why = reject(&edit(|l| *l.last_mut().unwrap() = "SLR|3|10".into()));
    assert!(why.contains("aantal_personen") && why.contains("says 3") && why.contains("holds 2"), "{why}");
}

#[test]
fn header_missing_or_not_first() {
    // without a header no layout recognises the file …
    let why = reject(&edit(|l| {
        l.remove(0);
    }));
    assert!(why.contains("no layout recognises"), "{why}");
    // … and with the layout forced, the message names the header
    let dir = tempfile::tempdir().unwrap();
    let p = write_lines(
        dir.path(),
        NAME,
        &edit(|l| {
            l.remove(0);
        }),
    );
    let lake = tempfile::tempdir().unwrap();
    let s = ingest_with(lake.path(), RecordLayout::builtin("vzl1").unwrap(), &[p]);
    let why = rejection(&s);
    assert!(why.contains("line 1") && why.contains("must start with the header record VLP"), "{why}");
    assert_lake_empty(lake.path());
    // a second header further down
    let why = reject(&edit(|l| l.insert(3, "VLP|VZL1|P|G|0687|20261010|20261012|000041".into())));
    assert!(why.contains("line 4") && why.contains("second header"), "{why}");
}

#[test]
fn record_with_too_few_fields() {
    let why = reject(&edit(|l| l[3] = "VBL|123456782|0687|4331AB|12|A|MIDDELBURG|6030".into()));
    assert!(why.contains("line 4") && why.contains("record VBL") && why.contains("has 8 fields, the layout needs 10"), "{why}");
}

#[test]
fn record_before_any_person() {
    let why = reject(&edit(|l| {
        let vbl = l.remove(3);
        l.insert(1, vbl);
    }));
    assert!(why.contains("line 2") && why.contains("VBL") && why.contains("before any PER"), "{why}");
}

#[test]
fn record_carrying_another_pgn_than_its_block() {
    let why = reject(&edit(|l| l[8] = "VBL|123456782|0687|4331CD|3||MIDDELBURG|6030|20110101|".into()));
    assert!(why.contains("line 9") && why.contains("field pgn") && why.contains("*****6782") && why.contains("*****2333"), "{why}");
}

#[test]
fn impossible_date() {
    let why = reject(&edit(|l| l[1] = "PER|123456782|123456782||20250231|V|Jansen|de|Sanne Maria|".into()));
    assert!(why.contains("line 2") && why.contains("field geboortedatum") && why.contains("\"20250231\" is not a date"), "{why}");
}

/// A rejection keeps its located problem as a value, not only as text: the
/// run log and the quarantine's reason file can name line, record and field.
#[test]
fn a_rejection_keeps_line_record_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_lines(dir.path(), NAME, &edit(|l| l[1] = "PER|123456782|123456782||20250231|V|Jansen|de|Sanne Maria|".into()));
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[path]);
    let verzuim::ingest::Status::Rejected(why) = &only(&s).status else { panic!("{:?}", only(&s).status) };
    let p = why.problem().expect("a problem in the content");
    assert_eq!((p.line, p.record.as_deref(), p.field.as_deref()), (2, Some("PER"), Some("geboortedatum")));
    // a file no layout reads is unreadable, not a content problem
    let other = write_lines(dir.path(), "x.txt", &["HELLO|WORLD".to_string()]);
    let s = ingest(lake.path(), &[other]);
    let verzuim::ingest::Status::Rejected(why) = &only(&s).status else { panic!() };
    assert!(matches!(why, verzuim::Rejection::Unreadable(_)), "{why:?}");
}

#[test]
fn numbers_failing_the_11_proef() {
    let why = reject(&edit(|l| l[1] = "PER|123456782|123456781||20100305|V|Jansen|de|Sanne Maria|".into()));
    assert!(why.contains("line 2") && why.contains("field bsn") && why.contains("11-proef") && why.contains("*****6781"), "{why}");
    // an onderwijsnummer must be ≡ 5 (mod 11): a valid BSN is not one
    let why = reject(&edit(|l| l[1] = "PER|123456782|123456782|111222333|20100305|V|Jansen|de|Sanne Maria|".into()));
    assert!(why.contains("field onderwijsnummer") && why.contains("11-proef"), "{why}");
}

#[test]
fn unknown_record_type() {
    let why = reject(&edit(|l| l.insert(4, "XYZ|123456782|iets".into())));
    assert!(why.contains("line 5") && why.contains("unknown record type \"XYZ\""), "{why}");
}

#[test]
fn a_garbled_line_starting_with_a_bsn_is_not_quoted() {
    let why = reject(&edit(|l| l.insert(4, "123456782|0687|4331AB".into())));
    assert!(why.contains("line 5") && why.contains("unknown record type") && why.contains("*****6782"), "{why}");
}

/// Whatever a delivery is cut or bitten into, reading it ends in a table or
/// a message, never a panic.
#[test]
fn truncations_and_byte_flips_never_panic() {
    use verzuim::normalise::{DeliveryMeta, Facts, records::RecordPlan};
    let plans: Vec<RecordPlan> = RecordLayout::all_builtin().into_iter().map(|l| RecordPlan::new(l).unwrap()).collect();
    let meta = DeliveryMeta { levering_id: "x".into(), bestand: "x".into(), sha256: "x".into(), ingelezen_op: 0 };
    let run = |bytes: &[u8]| -> bool {
        let Ok((text, _)) = verzuim::input::read_text(bytes) else { return false };
        let first = text.lines().next().unwrap_or("");
        let Some(plan) = plans.iter().find(|p| p.layout().recognises(first)) else { return false };
        plan.normalise(&text, &meta, &Facts::default(), 64).is_ok()
    };
    let mut accepted = 0;
    for sample in ["vzl1/20261019G0687P.txt", "vzl1-fw/20261019G0687P.txt", "vzl1/20261020G0687A.txt"] {
        let original = std::fs::read(repo().join("tests/fixtures/variants").join(sample)).unwrap();
        assert!(run(&original), "{sample} itself reads");
        for cut in 0..original.len() {
            accepted += usize::from(run(&original[..cut]));
        }
        let mut state = 0x9E37_79B9u32;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let mut bitten = original.clone();
            let at = state as usize % bitten.len();
            bitten[at] = (state >> 24) as u8;
            run(&bitten);
        }
    }
    // only cuts that end right after the trailer line still read
    assert!(accepted <= 6, "{accepted} truncated files were accepted");
}

#[test]
fn a_record_after_the_trailer() {
    let why = reject(&edit(|l| l.push("PER|111222333|111222333||20110101|M|Bakker||Noah|".into())));
    assert!(why.contains("line 11") && why.contains("after the trailer"), "{why}");
}

#[test]
fn a_bad_flag_or_number() {
    let why = reject(&edit(|l| l[4] = "INS|123456782|0000000001|20AB|20AB00|VMBO||TL||3|20220820|20261006|08|X".into()));
    assert!(why.contains("line 5") && why.contains("field bekostigd") && why.contains("not J or N"), "{why}");
    let why = reject(&edit(|l| l[4] = "INS|123456782|0000000001|20AB|20AB00|VMBO||TL||drie|20220820|20261006|08|J".into()));
    assert!(why.contains("field leerjaar") && why.contains("not a whole number"), "{why}");
}

#[test]
fn zip_with_a_member_that_is_no_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("levering.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file(NAME, opts).unwrap();
    std::io::Write::write_all(&mut zip, (valid_lines().join("\r\n") + "\r\n").as_bytes()).unwrap();
    zip.start_file("leesmij.pdf", opts).unwrap();
    std::io::Write::write_all(&mut zip, b"%PDF-1.4 not a delivery").unwrap();
    zip.finish().unwrap();
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[zip_path]);
    assert_eq!(s.files.len(), 2);
    assert_eq!(s.files[0].status, Status::Ingested);
    assert!(s.files[1].name.ends_with("levering.zip!leesmij.pdf"));
    assert!(matches!(&s.files[1].status, Status::Rejected(why) if why.to_string().contains("no layout recognises")));
    assert_eq!(lake_rows(lake.path(), &[])["levering"].len(), 1, "only the delivery member is in the lake");
}

#[test]
fn a_corrupt_zip_is_an_error_naming_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("kapot.zip");
    std::fs::write(&p, b"PK\x03\x04 this is not really a zip").unwrap();
    let lake = tempfile::tempdir().unwrap();
    let e = verzuim::ingest::Ingest::new(lake.path(), RecordLayout::all_builtin(), false).unwrap().run(&[p]).unwrap_err();
    assert!(e.to_string().contains("kapot.zip"), "{e}");
}

#[test]
fn oddities_become_findings_not_rejections() {
    let dir = tempfile::tempdir().unwrap();
    let lines = edit(|l| {
        l[4] = "INS|123456782|0000000001|20AB|20AB00|VMBOX||TL||3|20220820|20261006|08|J".into();
        l[5] = "SKW|123456782|N||een later veld|nog een".into();
    });
    let p = write_lines(dir.path(), NAME, &lines);
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[p]);
    assert_eq!(only(&s).status, Status::Ingested);
    assert_eq!(only(&s).bevindingen, 2);
    let rows = lake_rows(lake.path(), &[]);
    let b = &rows["bevinding"];
    assert!(
        b.iter().any(|r| r.contains("regel=5")
            && r.contains("veld=onderwijssoort")
            && r.contains("code=ONBEKENDE_CODE")
            && r.contains("VMBOX")),
        "{b:?}"
    );
    assert!(b.iter().any(|r| r.contains("regel=6") && r.contains("recordsoort=SKW") && r.contains("code=EXTRA_VELDEN")), "{b:?}");
    assert!(rows["inschrijving"][0].contains("onderwijssoort=VMBOX"), "unknown codes are kept as written");
}

#[test]
fn a_path_traversal_in_the_afnemercode_is_refused() {
    let why = reject(&edit(|l| l[0] = "VLP|VZL1|P|G|../x|20261010|20261012|000041".into()));
    assert!(why.contains("afnemer") && why.contains("partition"), "{why}");
}

#[test]
fn missing_input_is_an_error_not_a_panic() {
    let lake = tempfile::tempdir().unwrap();
    let e = verzuim::ingest::Ingest::new(lake.path(), RecordLayout::all_builtin(), false)
        .unwrap()
        .run(&[PathBuf::from("/nonexistent/levering.txt")])
        .unwrap_err();
    assert!(e.to_string().contains("/nonexistent/levering.txt"));
}

/// Inputs the fuzzers of `fuzz/` found a fault with (docs/fuzzing.md), each
/// kept as a regression test: read and ingested, they give an answer — a
/// delivery or a message — and neither a panic nor an abort.
#[test]
fn fuzz_findings_are_answered() {
    let dir = repo().join("tests/fixtures/fuzz");
    let mut found = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        found += 1;
        // zip-…: a member whose header claims a size the archive cannot hold
        if let Ok((inputs, _)) = verzuim::input::discover(std::slice::from_ref(&path), &["txt", "zip"]) {
            for input in inputs {
                let _ = input.read().map(|bytes| verzuim::input::read_text(&bytes).map(|_| ()));
            }
        }
        let lake = tempfile::tempdir().unwrap();
        let s = ingest(lake.path(), std::slice::from_ref(&path));
        assert!(!s.files.is_empty(), "{}", path.display());
        // Memory the process may not have: a 64-bit test process gets any
        // reservation granted (overcommit), so the fault shows only under a
        // limit, as on a host with a memory cap.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 1500000; exec '{}' inspect '{}'", env!("CARGO_BIN_EXE_verzuim"), path.display()))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.code().is_some(), "{}: killed by a signal under a 1.5 GB limit: {err}", path.display());
        assert!(!err.contains("memory allocation"), "{}: {err}", path.display());
    }
    assert!(found > 0);
}
