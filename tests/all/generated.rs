//! Generated deliveries in, figures out: every standard figure computed
//! from the lake must equal the generator's ground truth, which the
//! generator computed from its simulated lives and not from the files.

use std::path::{Path, PathBuf};

use crate::common::*;
use chrono::NaiveDate;
use verzuim::generate::{Options, Summary, generate};
use verzuim::layout::DeliveryLayout;
use verzuim::request::Afnemer;

fn options(out: &Path, seed: u64, layout: &str, persons: u64) -> Options {
    Options {
        out: out.to_path_buf(),
        persons,
        seed,
        van: NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
        tot: NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(),
        afnemers: vec![Afnemer::gemeente("0687").unwrap(), Afnemer::regio("0032").unwrap()],
        layout: DeliveryLayout::resolve(layout).unwrap(),
        c_peildata: vec![],
        gemengd: true,
        a_levering: true,
        brp: true,
        lijsten: true,
    }
}

/// Every figure of `waarheid/index.csv`, queried from the catalog, against
/// its truth file; returns the differences found.
fn compare_with_truth(lake: &Path, waarheid: &Path) -> (usize, Vec<String>) {
    let conn = duckdb::Connection::open(lake.join("verzuim.duckdb")).unwrap();
    let index = std::fs::read_to_string(waarheid.join("index.csv")).unwrap();
    let mut problems = Vec::new();
    let mut figures = 0;
    for line in index.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (figuur, parameter, bekend_op, bestand) = (f[0], f[1], f[2], f[3]);
        let mut args = if parameter.contains('-') { format!("date '{parameter}'") } else { parameter.to_string() };
        if !bekend_op.is_empty() {
            args.push_str(&format!(", bekend_op := date '{bekend_op}'"));
        }
        let query = format!("select * from {figuur}({args})");
        let columns: Vec<(String, String)> = {
            let mut st = conn.prepare(&format!("select column_name, column_type from (describe {query})")).unwrap();
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        let types = columns.iter().map(|(n, t)| format!("'{n}': '{t}'")).collect::<Vec<_>>().join(", ");
        // percentages: compared as the two decimals they are rounded to
        let select = columns
            .iter()
            .map(|(n, t)| if t == "DOUBLE" { format!("cast({n} as decimal(18,2)) as {n}") } else { n.clone() })
            .collect::<Vec<_>>()
            .join(", ");
        let truth = format!("read_csv('{}', header = true, columns = {{{types}}})", waarheid.join(bestand).display());
        let only_lake = query_rows(&conn, &format!("select {select} from ({query}) except all select {select} from {truth}"));
        let only_truth = query_rows(&conn, &format!("select {select} from {truth} except all select {select} from ({query})"));
        if !only_lake.is_empty() || !only_truth.is_empty() {
            problems.push(format!(
                "{figuur}({args}): only in the lake {:?}, only in the truth {:?}",
                &only_lake[..only_lake.len().min(3)],
                &only_truth[..only_truth.len().min(3)]
            ));
        }
        figures += 1;
    }
    (figures, problems)
}

/// Loads the generated BRP extracts (`<out>/brp/`) with the shipped layout:
/// the truth counts the children only the BRP knows.
fn load_brp(lake: &Path, out: &Path) {
    let reports = verzuim::brp::load(lake, &verzuim::brp::BrpLayout::builtin(), &[out.join("brp")], &Default::default()).unwrap();
    assert!(!reports.is_empty() && reports.iter().all(|r| r.status == verzuim::brp::BrpStatus::Loaded), "{reports:#?}");
    // and DUO's VSV lists (NRSP, NenR voorlopig and definitief) and monthly
    // A-rapportages: the truth reconciles with them
    let lists =
        verzuim::lijst::load(lake, &verzuim::lijst::ListLayout::all_builtin(), &[out.join("lijsten")], &Default::default()).unwrap();
    assert!(lists.iter().all(|r| r.outcome == Ok(true)), "{lists:#?}");
    assert_eq!(lists.iter().filter(|r| r.teljaar.is_some()).count(), 3, "{lists:#?}");
    assert!(lists.iter().any(|r| r.maand.is_some()), "{lists:#?}");
}

fn persons_and_records(s: &Summary) -> (u64, u64) {
    s.leveringen.iter().fold((0, 0), |(p, r), l| (p + l.personen, r + l.records))
}

#[test]
fn figures_from_generated_deliveries_equal_the_truth_for_three_seeds_and_all_three_layouts() {
    for seed in [11, 12, 13] {
        for layout in ["vzl1", "vzl1-fw", "duo-csv"] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("gen");
            let s = generate(&options(&out, seed, layout, 1500)).unwrap();
            let lake = dir.path().join("lake");
            let ingested = ingest(&lake, &[out.join("leveringen")]);
            assert_eq!(ingested.rejected(), 0, "seed {seed} {layout}: {:#?}", ingested.files);
            assert_eq!(ingested.files.len(), s.leveringen.len());
            load_brp(&lake, &out);
            verzuim::catalog::refresh(&lake).unwrap();

            // what the generator says it wrote is what the lake holds
            let (persons, records) = persons_and_records(&s);
            let conn = duckdb::Connection::open(lake.join("verzuim.duckdb")).unwrap();
            assert_eq!(query_rows(&conn, "select count(*) from persoon"), vec![persons.to_string()]);
            assert_eq!(query_rows(&conn, "select sum(aantal_records) from levering"), vec![records.to_string()]);

            let (figures, problems) = compare_with_truth(&lake, &out.join("waarheid"));
            assert!(figures >= 15, "seed {seed} {layout}: only {figures} figures in the truth");
            assert!(problems.is_empty(), "seed {seed} {layout}:\n{}", problems.join("\n"));
            // the truth is not trivially empty
            let signals = query_rows(&conn, "select count(*) from absoluut_verzuim_signalen(date '2026-10-25')");
            assert_ne!(signals, vec!["0"], "seed {seed}: no signals to compare");
            // every category of the BRP comparison occurs
            let categories = query_rows(&conn, "select distinct categorie from brp_vergelijking(date '2026-04-07') order by 1");
            assert_eq!(
                categories,
                ["NIET_BIJ_DUO", "NIET_INGESCHREVEN", "NIET_IN_BRP", "ONBEKEND_BIJ_DUO", "WOONT_ELDERS_VOLGENS_DUO"],
                "seed {seed} {layout}"
            );
            // DUO's lists and the lake disagree both ways, for a reason each
            let redenen = query_rows(&conn, "select count(distinct reden) from vsv_vergelijking(2024) where reden is not null");
            assert!(redenen[0].parse::<i32>().unwrap() >= 3, "seed {seed} {layout}: {redenen:?}");
            // DUO's monthly rapportages of a year, and the lake disagreeing with them for a reason each
            let maanden: Vec<String> = (0..12)
                .map(|i| format!("select * from maandrapportage_vergelijking(date '{}-{:02}-01')", 2025 + (9 + i) / 12, (9 + i) % 12 + 1))
                .collect();
            let per =
                query_rows(&conn, &format!("select count(distinct maand), count(distinct reden) from ({})", maanden.join(" union all ")));
            let (m, r) = per[0].split_once('|').unwrap();
            assert!(m.parse::<i32>().unwrap() >= 3 && r.parse::<i32>().unwrap() >= 2, "seed {seed} {layout}: {per:?}");
            let brp_rows = query_rows(&conn, "select count(*) from absoluut_verzuim_schooljaar(2025) where herkomst = 'brp'");
            assert_ne!(brp_rows, vec!["0"], "seed {seed}: no BRP child in the yearly count");
        }
    }
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let read_all = |out: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = ["leveringen", "aanvragen", "brp", "lijsten", "waarheid"]
            .iter()
            .flat_map(|d| std::fs::read_dir(out.join(d)).unwrap().map(|e| e.unwrap().path()))
            .map(|p| (p.strip_prefix(out).unwrap().to_path_buf(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    generate(&options(&a, 5, "vzl1", 400)).unwrap();
    generate(&options(&b, 5, "vzl1", 400)).unwrap();
    generate(&options(&c, 6, "vzl1", 400)).unwrap();
    assert!(read_all(&a) == read_all(&b), "same seed, different output");
    assert!(read_all(&a) != read_all(&c), "another seed, same output");
    // generating again over existing output replaces it whole
    generate(&options(&a, 6, "vzl1", 400)).unwrap();
    assert!(read_all(&a) == read_all(&c));
    assert!(!a.join(".verzuim-generate.tmp").exists());
}

/// data-samples/ is exactly what the command in data-samples/README.md writes.
#[test]
fn data_samples_are_what_the_documented_command_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("samples");
    let readme = std::fs::read_to_string(repo().join("data-samples/README.md")).unwrap();
    assert!(readme.contains("verzuim generate --out data-samples --persons 2000 --seed 1 --afnemer G0687 --afnemer R0032"));
    let mut o = options(&out, 1, "vzl1", 2000);
    o.out = out.clone();
    generate(&o).unwrap();
    for sub in ["leveringen", "aanvragen", "brp", "lijsten", "waarheid"] {
        let mut names: Vec<_> = std::fs::read_dir(repo().join("data-samples").join(sub)).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        let mut fresh: Vec<_> = std::fs::read_dir(out.join(sub)).unwrap().map(|e| e.unwrap().file_name()).collect();
        fresh.sort();
        assert_eq!(names, fresh, "{sub}: other files than the command writes");
        for n in names {
            let shipped = std::fs::read(repo().join("data-samples").join(sub).join(&n)).unwrap();
            assert!(
                shipped == std::fs::read(out.join(sub).join(&n)).unwrap(),
                "data-samples/{sub}/{n:?} differs from what the command writes"
            );
        }
    }
}

#[test]
fn data_samples_give_their_truth() {
    let lake = tempfile::tempdir().unwrap();
    let s = ingest(lake.path(), &[repo().join("data-samples/leveringen")]);
    assert_eq!(s.rejected(), 0);
    load_brp(lake.path(), &repo().join("data-samples"));
    verzuim::catalog::refresh(lake.path()).unwrap();
    let (figures, problems) = compare_with_truth(lake.path(), &repo().join("data-samples/waarheid"));
    assert!(figures >= 15 && problems.is_empty(), "{}", problems.join("\n"));
}

/// Issue 23: the layout `inspect --draft` writes for one generated DUO-CSV
/// C-levering, with no hand edits, reads the whole world — C, the weekly P
/// (columns empty in the C file included), the A answer with its
/// niet-gevonden rows — says it can answer every figure, and every figure
/// equals the truth.
#[test]
fn a_draft_from_one_duo_csv_c_levering_reads_the_whole_world_to_the_truth() {
    for seed in [21, 22, 23] {
        draft_from_one_c_levering(seed);
    }
}

fn draft_from_one_c_levering(seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    generate(&options(&out, seed, "duo-csv", 1500)).unwrap();
    let mut c_files: Vec<PathBuf> = std::fs::read_dir(out.join("leveringen"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("C.csv"))
        .collect();
    c_files.sort();
    let bytes = std::fs::read(&c_files[0]).unwrap();
    let (text, encoding) = verzuim::input::read_text(&bytes).unwrap();
    let draft = verzuim::inspect::draft_csv_layout(&text, encoding, &c_files[0].file_name().unwrap().to_string_lossy());
    the_draft_reads_the_world_to_the_truth(&draft, &out, &dir.path().join("lake"), seed);
}

/// Issue 23, the proof: the world written in a second header-CSV spelling
/// (`tests/fixtures/layouts/tweede-spelling.toml`: `,`, quoted, DD-MM-JJJJ,
/// canonical names for some headers, other DUO spellings for the rest), a
/// layout drafted from the whole folder with no hand edits, every delivery
/// ingested with it: every figure, `bekend_op` included, equals the truth,
/// for three seeds.
#[test]
fn a_draft_from_a_folder_in_a_second_spelling_reads_every_figure_to_the_truth() {
    let spelling = repo().join("tests/fixtures/layouts/tweede-spelling.toml").display().to_string();
    for seed in [31, 32, 33] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("gen");
        generate(&options(&out, seed, &spelling, 1500)).unwrap();
        let (inputs, _) = verzuim::input::discover(&[out.join("leveringen")], verzuim::ingest::EXTENSIONS).unwrap();
        let files: Vec<(Vec<u8>, String)> = inputs.iter().map(|i| (i.read().unwrap(), i.file_name())).collect();
        assert!(files.len() > 50, "seed {seed}: {} files", files.len());
        let given = verzuim::normalise::Facts::default();
        let draft = verzuim::inspect::draft_from_files(&files, &[], false, &given).unwrap();
        assert!(draft.contains(&format!("# Drafted from {} files", files.len())), "{draft}");
        the_draft_reads_the_world_to_the_truth(&draft, &out, &dir.path().join("lake"), seed);
    }
}

/// A draft, unedited, that says it can answer every figure, reads every
/// delivery the generator wrote into `out`, once per layout without a
/// warning, and every figure of the lake equals the truth.
fn the_draft_reads_the_world_to_the_truth(draft: &str, out: &Path, lake: &Path, seed: u64) {
    assert!(!draft.contains("cannot answer"), "seed {seed}: {draft}");
    let layout = DeliveryLayout::from_toml(draft, "draft").unwrap_or_else(|e| panic!("{e}\n{draft}"));
    let s = verzuim::ingest::Ingest::new(lake, vec![layout], true).unwrap().run(&[out.join("leveringen")]).unwrap();
    let not_ingested: Vec<_> = s.files.iter().filter(|f| !matches!(f.status, verzuim::ingest::Status::Ingested)).collect();
    assert!(not_ingested.is_empty(), "seed {seed}: {not_ingested:#?}");
    assert!(s.warnings.is_empty(), "seed {seed}: {:?}", s.warnings);
    load_brp(lake, out);
    verzuim::catalog::refresh(lake).unwrap();
    let (figures, problems) = compare_with_truth(lake, &out.join("waarheid"));
    assert!(figures >= 15, "seed {seed}: only {figures} figures in the truth");
    assert!(problems.is_empty(), "seed {seed}:\n{}", problems.join("\n"));
}
