//! Ingest behaviour on the shipped samples: real files in, tables out.

use std::path::PathBuf;

use crate::common::*;
use verzuim::ingest::Status;
use verzuim::layout::{FieldType, Format, RecordLayout};

fn samples() -> PathBuf {
    repo().join("tests/fixtures/handmade")
}

#[test]
fn data_samples_ingest_into_every_table() {
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[samples()]);
    assert_eq!(s.rejected(), 0, "{:#?}", s.files);
    assert_eq!(s.files.len(), 7);
    assert!(s.files.iter().all(|f| f.status == Status::Ingested));
    // the zip member is read as a delivery in its own right
    let a = s.files.iter().find(|f| f.name.ends_with("20261020G0687A.zip!20261020G0687A.txt")).unwrap();
    assert_eq!((a.soort.as_deref(), a.afnemer.as_deref(), a.persons), (Some("A"), Some("G0687"), 2));
    let c = s.files.iter().find(|f| f.name.ends_with("20261005R0032C.txt")).unwrap();
    assert_eq!((c.layout.as_deref(), c.persons, c.peildatum.as_deref()), (Some("VZL1-FW"), 14, Some("2026-10-01")));

    let rows = lake_rows(lake.path(), &["ingelezen_op"]);
    let count = |t: &str| rows.get(t).map_or(0, Vec::len);
    assert_eq!(count("levering"), 7);
    // persons: C G0687 11 + C R0032 14 + P 2 + P 2 + P 3 + P 1 + A 2
    assert_eq!(count("persoon"), 35);
    assert_eq!(count("niet_gevonden"), 2);
    assert_eq!(count("mutatie"), 2 + 2 + 4 + 2);
    // Kevin's uitschrijving reden 09 is outside code list RU: kept, and reported
    assert_eq!(count("bevinding"), 1);
    assert!(rows["bevinding"][0].contains("code=ONBEKENDE_CODE"), "{:?}", rows["bevinding"]);
    assert!(rows["inschrijving"].iter().any(|r| r.contains("reden_uitschrijving=09")));
    // diacritics survive Windows-1252 and UTF-8 alike
    assert!(rows["persoon"].iter().any(|r| r.contains("achternaam=Çelik")));
    assert!(rows["persoon"].iter().any(|r| r.contains("voornamen=Şanne Maria")));
    assert!(rows["persoon"].iter().any(|r| r.contains("achternaam=Øster") && r.contains("voorvoegsel=van")));
    // typed columns: dates, flags, integers
    assert!(rows["inschrijving"].iter().any(|r| r.contains("datum_uitschrijving=2026-10-06") && r.contains("bekostigd=true")));
    assert!(rows["levering"].iter().any(|r| r.contains("leveringsvolgnummer=43") && r.contains("aantal_records=")));
}

#[test]
fn both_variants_give_identical_tables() {
    let fixtures = repo().join("tests/fixtures/variants");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = ingest(a.path(), &[fixtures.join("vzl1")]);
    let sb = ingest(b.path(), &[fixtures.join("vzl1-fw")]);
    assert_eq!((sa.rejected(), sb.rejected()), (0, 0), "{:#?} {:#?}", sa.files, sb.files);
    assert!(sa.files.iter().all(|f| f.layout.as_deref() == Some("VZL1")));
    assert!(sb.files.iter().all(|f| f.layout.as_deref() == Some("VZL1-FW")));
    let skip = ["ingelezen_op", "bestand", "sha256", "layout"];
    let (ra, rb) = (lake_rows(a.path(), &skip), lake_rows(b.path(), &skip));
    assert_eq!(ra.keys().collect::<Vec<_>>(), rb.keys().collect::<Vec<_>>());
    for (table, rows) in &ra {
        assert_eq!(rows, &rb[table], "table {table} differs between the variants");
    }
    assert!(ra["persoon"].len() > 30);
}

/// A layout edit (separator `;`, dates `DD-MM-JJJJ`, two INS fields swapped)
/// reads a file written that way into the same tables as the reference.
#[test]
fn a_modified_layout_is_an_edit_of_the_layout_file_only() {
    let reference = RecordLayout::builtin("vzl1").unwrap();
    let text = std::fs::read_to_string(repo().join("pipelines/layouts/vzl1.toml")).unwrap();
    let swapped_from = "  { name = \"instellingscode\", required = true },\n  { name = \"vestigingscode\" },\n";
    let swapped_to = "  { name = \"vestigingscode\" },\n  { name = \"instellingscode\", required = true },\n";
    assert!(text.contains(swapped_from));
    let edited = text
        .replace("separators = [\"|\", \";\"]", "separators = [\";\"]")
        .replace("recognise = [\"VLP|\", \"VLP;\"]", "recognise = [\"VLP;\"]")
        .replace("date_format = \"JJJJMMDD\"", "date_format = \"DD-MM-JJJJ\"")
        .replace(swapped_from, swapped_to);
    let modified = RecordLayout::from_toml(&edited, "test:modified").unwrap();
    assert_eq!(modified.format, Format::Delimited { separators: vec![b';'] });

    // write the reference sample the modified way, using the reference layout to know the dates
    let src = repo().join("tests/fixtures/variants/vzl1/20261005G0687C.txt");
    let bytes = std::fs::read(&src).unwrap();
    let (text, _) = verzuim::input::decode(&bytes).unwrap();
    let ins = reference.record_index("INS").unwrap();
    let (i_inst, i_vest) =
        (reference.records[ins].field_index("instellingscode").unwrap(), reference.records[ins].field_index("vestigingscode").unwrap());
    let mut out = Vec::new();
    for line in text.lines() {
        let mut fields: Vec<String> = line.split('|').map(str::to_string).collect();
        let rec = reference.record_index(&fields[0]).unwrap();
        for (i, f) in reference.records[rec].fields.iter().enumerate() {
            if let FieldType::Date(fmt) = &f.ty
                && let Some(days) = fmt.parse_days(&fields[i])
            {
                fields[i] = verzuim::layout::DateFormat::parse_pattern("DD-MM-JJJJ").unwrap().format_days(days);
            }
        }
        if rec == ins {
            fields.swap(i_inst, i_vest);
        }
        out.push(fields.join(";"));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("20261005G0687C.txt");
    std::fs::write(&file, out.join("\r\n") + "\r\n").unwrap();
    assert!(out.iter().any(|l| l.contains("20-08-2022")), "dates were rewritten");

    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = ingest_with(a.path(), reference, &[src]);
    let sb = ingest_with(b.path(), modified, &[file]);
    assert_eq!(only(&sa).status, Status::Ingested);
    assert_eq!(only(&sb).status, Status::Ingested, "{:?}", sb.files);
    let skip = ["ingelezen_op", "bestand", "sha256"];
    assert_eq!(lake_rows(a.path(), &skip), lake_rows(b.path(), &skip));
}

#[test]
fn reingesting_is_a_no_op_even_under_another_name_or_in_a_zip() {
    let lake = tempfile::tempdir().unwrap();
    let first = ingest(lake.path(), &[samples()]);
    assert_eq!(first.rejected(), 0);
    let before = parquet_files(lake.path());

    let again = ingest(lake.path(), &[samples()]);
    assert!(again.files.iter().all(|f| f.status == Status::AlreadyPresent), "{:#?}", again.files);

    // the same bytes renamed, and zipped
    let dir = tempfile::tempdir().unwrap();
    let src = samples().join("20261012G0687P.txt");
    std::fs::copy(&src, dir.path().join("hernoemd.txt")).unwrap();
    let zip_path = dir.path().join("levering.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    zip.start_file("binnen/20261012G0687P.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, &std::fs::read(&src).unwrap()).unwrap();
    zip.finish().unwrap();
    let renamed = ingest(lake.path(), &[dir.path().to_path_buf()]);
    assert_eq!(renamed.files.len(), 2);
    assert!(renamed.files.iter().all(|f| matches!(f.status, Status::AlreadyPresent | Status::Duplicate(_))), "{:#?}", renamed.files);
    assert_eq!(parquet_files(lake.path()), before);
}

#[test]
fn the_same_delivery_twice_in_one_run_is_ingested_once() {
    let dir = tempfile::tempdir().unwrap();
    let src = samples().join("20261026G0687P.txt");
    let (p1, p2) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::copy(&src, &p1).unwrap();
    std::fs::copy(&src, &p2).unwrap();
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[p1, p2]);
    assert_eq!(s.files[0].status, Status::Ingested);
    assert!(matches!(&s.files[1].status, Status::Duplicate(of) if of.ends_with("a.txt")));
    assert_eq!(lake_rows(lake.path(), &[])["levering"].len(), 1);
}

#[test]
fn a_delivery_is_one_directory_holding_every_table() {
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[samples().join("20261026G0687P.txt")]);
    let id = only(&s).levering_id.clone().unwrap();
    let dir = lake.path().join("leveringen/soort=P/afnemer=G0687/peildatum=2026-10-24").join(&id);
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = verzuim::normalise::canonical::table_names().iter().map(|t| format!("{t}.parquet")).collect();
    expected.sort();
    assert_eq!(names, expected);
    // every row carries its levering_id and, where it has one, the pgn
    let batches = read_batches(&dir.join("inschrijving.parquet"));
    let b = &batches[0];
    assert_eq!(b.schema().field(0).name(), "levering_id");
    assert_eq!(b.schema().field(1).name(), "pgn");
}

#[test]
fn windows_1252_utf8_bom_crlf_and_lf_read_alike() {
    // the same delivery in four encodings/line ends gives the same rows
    let base = std::fs::read_to_string(repo().join("tests/fixtures/variants/vzl1/20261026G0687P.txt")).unwrap();
    let text = base.replace("\r\n", "\n").replace("Smit", "Smët");
    let dir = tempfile::tempdir().unwrap();
    let variants: [(&str, Vec<u8>); 4] = [
        ("cp1252-crlf.txt", encoding_rs::WINDOWS_1252.encode(&text.replace('\n', "\r\n")).0.into_owned()),
        ("utf8-lf.txt", text.as_bytes().to_vec()),
        ("utf8bom-crlf.txt", [b"\xEF\xBB\xBF".as_slice(), text.replace('\n', "\r\n").as_bytes()].concat()),
        ("cp1252-lf.txt", encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()),
    ];
    let mut all = Vec::new();
    for (name, bytes) in variants {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let lake = tempfile::tempdir().unwrap();
        let s = ingest(lake.path(), &[dir.path().join(name)]);
        assert_eq!(only(&s).status, Status::Ingested, "{name}");
        all.push(lake_rows(lake.path(), &["ingelezen_op", "bestand", "sha256"]));
    }
    assert!(all[0]["persoon"][0].contains("achternaam=Smët"));
    for other in &all[1..] {
        assert_eq!(&all[0], other);
    }
}

/// A large file is cut into chunks that parse in parallel; the tables must
/// not depend on where the cuts fall.
#[test]
fn chunked_parsing_gives_the_same_tables_as_one_piece() {
    use verzuim::normalise::{DeliveryMeta, Facts, records::RecordPlan};
    let plan = RecordPlan::new(RecordLayout::builtin("vzl1").unwrap()).unwrap();
    let text = std::fs::read_to_string(repo().join("tests/fixtures/variants/vzl1/20261005R0032C.txt")).unwrap_or_else(|_| {
        let b = std::fs::read(repo().join("tests/fixtures/variants/vzl1/20261005R0032C.txt")).unwrap();
        verzuim::input::decode(&b).unwrap().0.into_owned()
    });
    let meta = DeliveryMeta { levering_id: "x".into(), bestand: "x".into(), sha256: "x".into(), ingelezen_op: 0 };
    let whole = plan.normalise(&text, &meta, &Facts::default(), usize::MAX).unwrap();
    let chunked = plan.normalise(&text, &meta, &Facts::default(), 200).unwrap();
    let batches = |n: &verzuim::normalise::Normalised, t: &str| n.tables.iter().find(|x| x.name == t).unwrap().batches.len();
    assert!(batches(&chunked, "persoon") > 3, "the file was cut into chunks");
    assert_eq!(batches(&whole, "persoon"), 1);
    for (a, b) in whole.tables.iter().zip(&chunked.tables) {
        let concat = |t: &verzuim::normalise::TableData| arrow::compute::concat_batches(&t.schema, &t.batches).unwrap();
        assert_eq!(concat(a), concat(b), "table {}", a.name);
    }
    assert_eq!((whole.persons, whole.records), (chunked.persons, chunked.records));
}

/// A crash before the commit leaves only a staging directory; the next run
/// removes it and ingests the delivery in full.
#[test]
fn leftovers_of_a_crashed_run_are_cleared_and_the_job_completed() {
    let lake = tempfile::tempdir().unwrap();
    let src = samples().join("20261026G0687P.txt");
    let sha = verzuim::input::sha256_hex(&std::fs::read(&src).unwrap());
    let id = verzuim::input::content_id(&sha);
    // what a run killed while writing would have left (no process has pid u32::MAX - 1)
    let crashed = lake.path().join("_staging").join(format!("{id}.{}", u32::MAX - 1));
    std::fs::create_dir_all(&crashed).unwrap();
    std::fs::write(crashed.join("persoon.parquet"), b"half a file").unwrap();
    assert!(parquet_files(lake.path()).is_empty(), "staging is outside the lake's globs");

    let s = ingest(lake.path(), &[src]);
    assert_eq!(only(&s).status, Status::Ingested);
    assert!(!crashed.exists());
    assert_eq!(parquet_files(lake.path()).len(), verzuim::normalise::canonical::table_names().len());
    assert_eq!(std::fs::read_dir(lake.path().join("_staging")).unwrap().count(), 0);
}

/// How the lake's files are written (crate::lake::writer_properties): a
/// table of 256 KiB or more zstd-compressed, a smaller one not; a person's
/// identifiers and names without a dictionary (every value differs), codes
/// with one. Generated deliveries: a C-levering of 4,000 persons and the
/// small weekly P-leveringen after it.
#[test]
fn lake_files_are_compressed_by_size_and_identifiers_are_written_without_a_dictionary() {
    use parquet::basic::{Compression, Encoding};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let opts = verzuim::generate::Options {
        out: out.clone(),
        persons: 4000,
        seed: 11,
        van: chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
        tot: chrono::NaiveDate::from_ymd_opt(2025, 10, 20).unwrap(),
        afnemers: vec![verzuim::request::Afnemer::regio("0032").unwrap()],
        layout: verzuim::layout::DeliveryLayout::resolve("vzl1").unwrap(),
        c_peildata: vec![],
        gemengd: false,
        a_levering: false,
        brp: false,
        lijsten: false,
    };
    verzuim::generate::generate(&opts).unwrap();
    let lake = dir.path().join("lake");
    let s = ingest(&lake, &[out.join("leveringen")]);
    assert!(s.files.len() > 1 && s.files.iter().all(|f| f.status == Status::Ingested), "{s:?}");
    // per file of persoon and inschrijving: (soort, compressed, pgn's encodings, a code's encodings)
    let mut seen = Vec::new();
    for path in parquet_files(&lake) {
        let table = path.file_stem().unwrap().to_string_lossy().into_owned();
        let code = match table.as_str() {
            "persoon" => "geslacht",
            "inschrijving" => "instellingscode",
            _ => continue,
        };
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let meta = reader.metadata();
        if meta.file_metadata().num_rows() == 0 {
            continue;
        }
        let soort = if path.to_string_lossy().contains("soort=C") { "C" } else { "P" };
        for rg in meta.row_groups() {
            let column = |name: &str| rg.columns().iter().find(|c| c.column_path().string() == name).unwrap();
            let zstd = matches!(column("pgn").compression(), Compression::ZSTD(_));
            let dictionary = |name: &str| column(name).encodings().any(|e| e == Encoding::RLE_DICTIONARY);
            assert!(!dictionary("pgn"), "{table} ({soort}): pgn with a dictionary");
            if table == "persoon" {
                for name in ["bsn", "achternaam", "voornamen"] {
                    assert!(!dictionary(name), "persoon ({soort}): {name} with a dictionary");
                }
            }
            assert!(dictionary(code), "{table} ({soort}): {code} without a dictionary");
            assert_eq!(zstd, soort == "C", "{table} ({soort}): zstd {zstd}");
            seen.push((table.clone(), soort));
        }
    }
    for want in [("persoon", "C"), ("persoon", "P"), ("inschrijving", "C"), ("inschrijving", "P")] {
        assert!(seen.iter().any(|(t, s)| t == want.0 && *s == want.1), "no {want:?} file: {seen:?}");
    }
}
