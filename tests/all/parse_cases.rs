//! A table of parse cases, each run whole and in small chunks (as csv-core
//! tests its reader on every buffer size): the parser splits a large file
//! into chunks at person blocks and parses them in parallel, and where the
//! chunks fall must never change the answer — not the rows, not the counts,
//! not the first problem and the line it names.

use crate::common::{repo, valid_lines};
use arrow::compute::concat_batches;
use verzuim::layout::RecordLayout;
use verzuim::normalise::records::RecordPlan;
use verzuim::normalise::{DeliveryMeta, Facts, Normalised};

/// What a case must give: the persons and records, or a problem whose text
/// holds these words.
enum Expect {
    Ok(u64, u64),
    Problem(&'static str),
}

fn lines_with(f: impl FnOnce(&mut Vec<String>)) -> Vec<String> {
    let mut l = valid_lines();
    f(&mut l);
    l
}

fn cases() -> Vec<(&'static str, String, Expect)> {
    let crlf = |l: Vec<String>| l.join("\r\n") + "\r\n";
    let lf = |l: Vec<String>| l.join("\n") + "\n";
    let per2 = "PER|123456782|123456782||20250231|V|Jansen|de|Sanne Maria|";
    vec![
        ("valid, CRLF", crlf(valid_lines()), Expect::Ok(2, 10)),
        ("valid, LF", lf(valid_lines()), Expect::Ok(2, 10)),
        ("no line end after the trailer", valid_lines().join("\r\n"), Expect::Ok(2, 10)),
        (
            "blank lines between records",
            crlf(lines_with(|l| {
                l.insert(6, String::new());
                l.insert(3, String::new());
            })),
            Expect::Ok(2, 10),
        ),
        ("trailer missing", crlf(lines_with(|l| drop(l.pop()))), Expect::Problem("no trailer record SLR")),
        ("trailer counts wrong", crlf(lines_with(|l| *l.last_mut().unwrap() = "SLR|3|10".into())), Expect::Problem("SLR")),
        (
            "impossible date in the first person",
            crlf(lines_with(|l| l[1] = per2.into())),
            Expect::Problem("line 2, record PER, field geboortedatum"),
        ),
        (
            "impossible date in the second person",
            crlf(lines_with(|l| l[6] = "PER|111222333|111222333||20110231|M|Bakker||Noah|".into())),
            Expect::Problem("line 7, record PER, field geboortedatum"),
        ),
        (
            "a record of another person in a block",
            crlf(lines_with(|l| l[3] = "VBL|111222333|0687|4331AB|12|A|MIDDELBURG|6030|20150601|".into())),
            Expect::Problem("line 4"),
        ),
        ("an unknown record type", crlf(lines_with(|l| l.insert(5, "XYZ|123456782|1".into()))), Expect::Problem("line 6")),
        (
            "the first problem counts, the later one in another chunk does not",
            crlf(lines_with(|l| {
                l[8] = "VBL|111222333|0687|4331CD|drie||MIDDELBURG|6030|20110101|".into();
                l[1] = per2.into();
            })),
            Expect::Problem("line 2"),
        ),
    ]
}

fn meta() -> DeliveryMeta {
    DeliveryMeta { levering_id: "0123456789abcdef".into(), bestand: "case.txt".into(), sha256: String::new(), ingelezen_op: 0 }
}

/// Each table's rows as one batch, so that two runs compare row for row.
fn rows(n: &Normalised) -> Vec<(&'static str, arrow::record_batch::RecordBatch)> {
    n.tables.iter().map(|t| (t.name, concat_batches(&t.schema, &t.batches).unwrap())).collect()
}

/// Parses `text` whole and in chunks of every small size; all must agree.
fn whole_and_chunked(plan: &RecordPlan, text: &str) -> Result<Normalised, verzuim::Problem> {
    alike_in_chunks(text, &[1, 7, 16, 64, 256], |text, chunk| plan.normalise(text, &meta(), &Facts::default(), chunk))
}

/// `read` whole and in chunks of each size: all must agree (rows, counts,
/// findings, or the same first problem).
fn alike_in_chunks(
    text: &str,
    sizes: &[usize],
    read: impl Fn(&str, usize) -> Result<Normalised, verzuim::Problem>,
) -> Result<Normalised, verzuim::Problem> {
    let whole = read(text, usize::MAX);
    for &chunk in sizes {
        let chunked = read(text, chunk);
        match (&whole, &chunked) {
            (Ok(w), Ok(c)) => {
                assert_eq!(
                    (w.persons, w.records, &w.counts, w.bevindingen),
                    (c.persons, c.records, &c.counts, c.bevindingen),
                    "chunk {chunk}"
                );
                assert_eq!(rows(w), rows(c), "chunk {chunk}: other rows");
            }
            (Err(w), Err(c)) => assert_eq!(w, c, "chunk {chunk}: another problem"),
            (w, c) => panic!("chunk {chunk} changed the verdict: whole {:?}, chunked {:?}", w.is_ok(), c.is_ok()),
        }
    }
    whole
}

#[test]
fn every_parse_case_gives_the_same_answer_whole_and_in_chunks() {
    let plan = RecordPlan::new(RecordLayout::builtin("vzl1").unwrap()).unwrap();
    for (name, text, expect) in cases() {
        let got = whole_and_chunked(&plan, &text);
        match (expect, got) {
            (Expect::Ok(persons, records), Ok(n)) => assert_eq!((n.persons, n.records), (persons, records), "{name}"),
            (Expect::Problem(words), Err(p)) => assert!(p.to_string().contains(words), "{name}: {p}"),
            (Expect::Ok(..), Err(p)) => panic!("{name}: rejected: {p}"),
            (Expect::Problem(words), Ok(_)) => panic!("{name}: accepted, expected {words:?}"),
        }
    }
}

/// The hand-made deliveries of both layouts, the fixed-width one included.
#[test]
fn the_fixture_deliveries_parse_alike_whole_and_in_chunks() {
    let mut seen = 0;
    for dir in ["tests/fixtures/handmade", "tests/fixtures/variants/vzl1", "tests/fixtures/variants/vzl1-fw"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let (text, _) = verzuim::input::read_text(&bytes).unwrap();
            let first = text.lines().next().unwrap_or("");
            let layout = RecordLayout::all_builtin().into_iter().find(|l| l.recognises(first)).expect("a shipped layout reads it");
            let plan = RecordPlan::new(layout).unwrap();
            let n = whole_and_chunked(&plan, &text).unwrap_or_else(|p| panic!("{}: {p}", path.display()));
            assert!(n.persons > 0, "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} fixtures");
}

/// Header CSVs (issue 28): a large one is cut into pieces read in parallel,
/// only after a line end outside quotes, and joined as one piece — the same
/// rows, findings and first problem, wherever the cuts fall. Generated
/// DUO-CSV deliveries, then the C-levering with quoted names that hold line
/// ends, separators and quotes (`"Jan\nsen; ""de"""`), a person whose rows
/// disagree two pieces apart, and a peildatum that changes in a late piece.
#[test]
fn header_csv_deliveries_read_alike_whole_and_in_pieces() {
    use verzuim::layout::DeliveryLayout;
    use verzuim::normalise::DeliveryReader;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let opts = verzuim::generate::Options {
        out: out.clone(),
        persons: 300,
        seed: 5,
        van: chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
        tot: chrono::NaiveDate::from_ymd_opt(2025, 11, 30).unwrap(),
        afnemers: vec![verzuim::request::Afnemer::regio("0032").unwrap()],
        layout: DeliveryLayout::resolve("duo-csv").unwrap(),
        c_peildata: vec![],
        gemengd: true,
        a_levering: false,
        brp: false,
        lijsten: false,
    };
    verzuim::generate::generate(&opts).unwrap();
    let reader = DeliveryReader::new(DeliveryLayout::resolve("duo-csv").unwrap()).unwrap();
    // the file name says soort, afnemer and peildatum
    let as_file = |name: String| {
        let reader = &reader;
        move |text: &str, chunk: usize| {
            let meta = DeliveryMeta { bestand: name.clone(), ..meta() };
            reader.normalise(text, &meta, &Facts::default(), chunk)
        }
    };
    let sizes = [1, 7, 64, 300, 4096];
    let mut c_levering = None;
    for entry in std::fs::read_dir(out.join("leveringen")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let (text, _) = verzuim::input::read_text(&bytes).unwrap();
        let n = alike_in_chunks(&text, &sizes, as_file(name.clone())).unwrap_or_else(|p| panic!("{name}: {p}"));
        if name.ends_with("C.csv") {
            assert!(n.persons > 100, "{name}");
            c_levering = Some((name, text.into_owned()));
        }
    }
    let (name, text) = c_levering.expect("a C-levering");
    let read = as_file(name);
    // every person's name quoted with a line end, a separator and a quote inside
    let sep = if text.lines().next().unwrap().contains(';') { ';' } else { '|' };
    let header: Vec<&str> = text.lines().next().unwrap().split(sep).collect();
    let (naam, peil) = (header.iter().position(|h| *h == "ACHTERNAAM").unwrap(), header.iter().position(|h| *h == "PEILDATUM").unwrap());
    let records: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let quoted = |records: &[String]| -> String {
        records
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if i == 0 {
                    return line.clone();
                }
                let mut cells: Vec<String> = line.split(sep).map(str::to_string).collect();
                cells[naam] = format!("\"{}\n{sep} \"\"x\"\"\"", &cells[naam]);
                cells.join(&sep.to_string())
            })
            .collect()
    };
    let n = alike_in_chunks(&quoted(&records), &sizes, &read).unwrap();
    assert_eq!(n.bevindingen, 0, "names quoted alike on every row of a person");
    let names = rows(&n).into_iter().find(|(t, _)| *t == "persoon").unwrap().1;
    let achternaam = names.column_by_name("achternaam").unwrap();
    let achternaam = achternaam.as_any().downcast_ref::<arrow::array::StringArray>().unwrap();
    assert!(achternaam.value(0).contains(&format!("\n{sep} \"x\"")), "{:?}", achternaam.value(0));

    // a person's last row disagrees with their first, pieces apart: a finding at its line
    let mut other = records.clone();
    let (v, m) = (format!("{sep}V{sep}"), format!("{sep}M{sep}"));
    let moved = records[1].replacen(&v, &m, 1);
    other.push(if moved != records[1] { moved } else { records[1].replacen(&m, &v, 1) });
    let n = alike_in_chunks(&quoted(&other), &sizes, &read).unwrap();
    assert_eq!(n.bevindingen, 1);

    // a peildatum that changes far into the file: the one problem, at its line
    let mut other = records.clone();
    let at = other.len() * 3 / 4;
    let mut cells: Vec<String> = other[at].split(sep).map(str::to_string).collect();
    cells[peil] = "1-1-2030".into();
    other[at] = cells.join(&sep.to_string());
    let p = alike_in_chunks(&quoted(&other), &sizes, &read).unwrap_err();
    assert!(p.message.contains("another peildatum"), "{p}");
}
