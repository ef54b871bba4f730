//! The incremental catalog refresh: deliveries added in batches — out of
//! peildatum order, an A-levering among them — and refreshed after each give
//! the same stored pictures, timelines and figures as one full rebuild; a
//! purge takes its deliveries out the same way; and a catalog written to,
//! or an update that fails, gets a full rebuild.

use std::path::{Path, PathBuf};

use crate::common::{ingest, kill_when_paused, query_rows, read_only, sample_deliveries};
use duckdb::Connection;
use verzuim::catalog::{RefreshKind, WhyFull, refresh_with};

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// What the catalog holds per person and the figures, with persoon_nr (a
/// join key numbered differently by the two paths) replaced by the pgn, and
/// lists sorted (their order is not part of the result).
fn contents(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let mut queries = Vec::new();
    for pictures in ["alles", "eerder"] {
        queries.push((format!("beeld_{pictures}"), format!("select * exclude (persoon_nr) from beeld_{pictures}")));
        for t in ["persoon", "verblijf", "inschrijving", "resultaat", "vrijstelling", "startkwalificatie", "vsv_indicatie"] {
            queries.push((format!("beeld_{t}_{pictures}"), format!("select * exclude (persoon_nr) from beeld_{t}_{pictures}")));
        }
        queries.push((
            format!("tijdlijn_{pictures}"),
            format!(
                "select * exclude (persoon_nr, inschrijvingen, vrijstellingen), list_sort(inschrijvingen), list_sort(vrijstellingen) \
                 from tijdlijn_{pictures}"
            ),
        ));
    }
    queries.push(("levering_volgorde".into(), "select levering_id, volgorde from levering_volgorde".into()));
    queries.push(("onbekend_bij_duo_nummers".into(), "select * from onbekend_bij_duo_nummers".into()));
    for figure in [
        "leerplichttelling(date '2026-10-01')",
        "absoluut_verzuim_signalen(date '2026-10-25')",
        "vsv(2025)",
        "vsv_verschillen(2024)", // 2025: DUO's indicator is not in the samples yet (NULL, no rows)
        "oud_vsv(date '2026-10-01')",
        "vrijstellingen(2026)",
        "status_op(date '2026-03-01')",
        "leerplichttelling(date '2026-10-01', bekend_op := date '2026-10-01')",
        "vsv(2025, bekend_op := date '2026-10-02')",
        "status_op(date '2026-03-01', bekend_op := date '2026-03-01')",
    ] {
        queries.push((figure.into(), format!("select columns(lambda c: c <> 'persoon_nr') from {figure}")));
    }
    queries.into_iter().map(|(what, sql)| (what.clone(), query_rows(conn, &sql))).collect()
}

#[test]
fn deliveries_added_in_batches_give_the_catalog_of_a_full_rebuild() {
    let lake = tempfile::tempdir().unwrap();
    let files = sample_deliveries();
    let held_back = |f: &PathBuf| name(f) == "20251013G0687P.txt";
    // P-leveringen with a peildatum before the C-leveringen of 2026-10-04,
    // which come in the first batch
    let second: Vec<PathBuf> = files.iter().filter(|f| ("20260907".."20260929").contains(&name(f).as_str())).cloned().collect();
    // the newest ones, the A-levering (zip) and one old P held back
    let third: Vec<PathBuf> =
        files.iter().filter(|f| name(f).as_str() > "20261005" || name(f).ends_with(".zip") || held_back(f)).cloned().collect();
    let first: Vec<PathBuf> = files.iter().filter(|f| !second.contains(f) && !third.contains(f)).cloned().collect();
    assert!(third.iter().any(held_back) && third.iter().any(|f| name(f).ends_with("A.zip")));
    assert_eq!(first.len() + second.len() + third.len(), files.len());

    assert_eq!(ingest(lake.path(), &first).rejected(), 0);
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.why_full), (RefreshKind::Full, Some(WhyFull::NoCatalog)));
    for batch in [&second, &third] {
        assert_eq!(ingest(lake.path(), batch).rejected(), 0);
        let r = refresh_with(lake.path(), false).unwrap();
        assert_eq!(r.kind, RefreshKind::Incremental, "{r}");
        // nobody else has it open: updated in place (tests/all/clients.rs: the copy when someone has)
        assert!(r.in_place, "{r}");
        assert_eq!(r.added_deliveries, batch.len());
        assert!(r.recomputed_persons > 0, "{r}");
    }
    // nothing new: still a fresh file, nobody recomputed
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.added_deliveries, r.recomputed_persons), (RefreshKind::Incremental, 0, 0));

    let catalog = lake.path().join("verzuim.duckdb");
    let incremental_copy = lake.path().join("incremental.duckdb");
    std::fs::copy(&catalog, &incremental_copy).unwrap();
    let r = refresh_with(lake.path(), true).unwrap();
    assert_eq!(r.kind, RefreshKind::Full);

    let incremental = contents(&read_only(&incremental_copy));
    let full = contents(&read_only(&catalog));
    assert_eq!(incremental.len(), full.len());
    for ((what, inc), (_, all)) in incremental.iter().zip(&full) {
        assert!(!all.is_empty(), "{what} is empty: the comparison would prove nothing");
        assert!(inc == all, "{what}: incremental refresh differs from a full rebuild ({} rows against {})", inc.len(), all.len());
    }
    let record = query_rows(&read_only(&incremental_copy), "select wijze, len(leveringen) from catalogus_bouw");
    assert_eq!(record, vec![format!("bijgewerkt|{}", files.len())]);
}

/// A lake of the samples but the last two, with its catalog built whole;
/// and all the samples.
fn lake_without_the_last_two() -> (tempfile::TempDir, Vec<PathBuf>) {
    let lake = tempfile::tempdir().unwrap();
    let files = sample_deliveries();
    assert_eq!(ingest(lake.path(), &files[..files.len() - 2]).rejected(), 0);
    assert_eq!(refresh_with(lake.path(), false).unwrap().kind, RefreshKind::Full);
    (lake, files)
}

#[test]
fn a_written_catalog_or_a_failed_update_gets_a_full_rebuild() {
    let (lake, files) = lake_without_the_last_two();

    // an analyst's tool wrote to the catalog and has not checkpointed: the
    // file alone is not a catalog to copy, so the refresh rebuilds (and
    // renames the new one into place; the tool keeps its old file)
    let catalog = lake.path().join("verzuim.duckdb");
    let writer = Connection::open(&catalog).unwrap();
    writer.execute_batch("create table eigen_analyse as select 1 as x;").unwrap();
    assert!(lake.path().join("verzuim.duckdb.wal").exists());
    assert_eq!(ingest(lake.path(), &files[files.len() - 2..]).rejected(), 0);
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.why_full), (RefreshKind::Full, Some(WhyFull::WrittenTo)), "{r}");
    drop(writer);
    let persons = query_rows(&read_only(&catalog), "select count(*) from beeld_alles");

    // an incremental refresh that fails half-way falls back to a rebuild
    // (here: someone dropped a stored table, and checkpointed)
    let conn = Connection::open(&catalog).unwrap();
    conn.execute_batch("drop table tijdlijn_alles; checkpoint;").unwrap();
    drop(conn);
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.why_full), (RefreshKind::Full, Some(WhyFull::IncrementFailed)), "{r}");
    assert_eq!(query_rows(&read_only(&catalog), "select count(*) from beeld_alles"), persons);
    assert!(!query_rows(&read_only(&catalog), "select count(*) from tijdlijn_alles").contains(&"0".to_string()));
}

#[test]
fn changed_figures_are_made_again_in_place_and_changed_pictures_rebuild() {
    let (lake, files) = lake_without_the_last_two();
    let catalog = lake.path().join("verzuim.duckdb");
    // as the catalog of an earlier verzuim: one figure's rule other than
    // today's, three names since taken out, its figures' fingerprint other
    let conn = Connection::open(&catalog).unwrap();
    conn.execute_batch(
        "create or replace macro vrijstellingen(jaar) as table select 1 as anders; \
         create macro oud_cijfer(x) as table select x; create macro oud_getal(x) as x + 1; create view oude_lijst as select 1; \
         update catalogus_bouw set regels_kenmerk = 'eerder', regels = list_concat(regels, ['oud_cijfer', 'oud_getal', 'oude_lijst']); \
         checkpoint;",
    )
    .unwrap();
    drop(conn);
    assert_eq!(ingest(lake.path(), &files[files.len() - 2..]).rejected(), 0);
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.rules_remade, r.added_deliveries), (RefreshKind::Incremental, true, 2), "{r}");
    let gone = "select (select count(*) from duckdb_functions() where function_name in ('oud_cijfer', 'oud_getal')) \
                + (select count(*) from duckdb_views() where view_name = 'oude_lijst')";
    assert_eq!(query_rows(&read_only(&catalog), gone), vec!["0"]);
    assert!(
        query_rows(&read_only(&catalog), "select count(*) from duckdb_functions() where function_name = 'vrijstellingen'") == vec!["1"]
    );
    // nothing changed since: nothing made again
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.rules_remade), (RefreshKind::Incremental, false), "{r}");

    // what the stored pictures are made by changed: rebuilt whole, and the
    // catalog whose figures were made again holds what the rebuild holds
    let remade = lake.path().join("remade.duckdb");
    std::fs::copy(&catalog, &remade).unwrap();
    let conn = Connection::open(&catalog).unwrap();
    conn.execute_batch("update catalogus_bouw set kenmerk = 'eerder'; checkpoint;").unwrap();
    drop(conn);
    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.why_full), (RefreshKind::Full, Some(WhyFull::Changed)), "{r}");
    let (remade, full) = (contents(&read_only(&remade)), contents(&read_only(&catalog)));
    for ((what, inc), (_, all)) in remade.iter().zip(&full) {
        assert!(!all.is_empty(), "{what} is empty: the comparison would prove nothing");
        assert!(inc == all, "{what}: the catalog with its figures made again differs from a full rebuild");
    }
}

/// The samples without the first C-leveringen, built whole: a purge then
/// takes out weekly P-leveringen only (a few persons each), as a monthly
/// purge does between two yearly C-leveringen.
fn lake_without_the_first_c() -> tempfile::TempDir {
    let lake = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> =
        sample_deliveries().into_iter().filter(|f| !name(f).ends_with("C.txt") || name(f).as_str() > "2026").collect();
    assert_eq!(ingest(lake.path(), &files).rejected(), 0);
    assert_eq!(refresh_with(lake.path(), false).unwrap().kind, RefreshKind::Full);
    lake
}

const PURGE_LIMIT: &str = "2025-11-15";

/// `verzuim purge` with a bewaartermijn of a year, as if today were `vandaag`.
fn purge_as_of(lake: &Path, (y, m, d): (i32, u32, u32)) -> verzuim::purge::Report {
    verzuim::purge::purge(&verzuim::purge::Options {
        lake: lake.to_path_buf(),
        bewaartermijn_dagen: 365,
        vandaag: chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        dry_run: false,
        bewaarmappen: vec![],
        analysecatalogi: vec![],
    })
    .unwrap()
}

/// A purge (issue 28) recomputes the pictures of the persons the removed
/// deliveries held, from their stored pictures without them — no rebuild —
/// and the catalog is the one a full rebuild makes of what is left.
#[test]
fn a_purge_updates_the_catalog_as_a_full_rebuild_would() {
    let lake = lake_without_the_first_c();
    let catalog = lake.path().join("verzuim.duckdb");
    let persons = query_rows(&read_only(&catalog), "select count(*) from beeld_alles");
    let removed = purge_as_of(lake.path(), (2026, 11, 15));
    assert!(removed.leveringen.len() >= 8, "{}", removed.samenvatting());
    assert_eq!(removed.grens.to_string(), PURGE_LIMIT);
    let record =
        query_rows(&read_only(&catalog), "select wijze, herberekende_personen > 0, (select count(*) from verwijderd) from catalogus_bouw");
    assert_eq!(record, vec![format!("bijgewerkt|true|{}", removed.leveringen.len())]);
    // persons seen only in the purged deliveries left the catalog
    assert_ne!(query_rows(&read_only(&catalog), "select count(*) from beeld_alles"), persons);
    assert_eq!(
        query_rows(&read_only(&catalog), &format!("select count(*) from levering_volgorde where peildatum < date '{PURGE_LIMIT}'")),
        ["0"]
    );

    let incremental_copy = lake.path().join("incremental.duckdb");
    std::fs::copy(&catalog, &incremental_copy).unwrap();
    assert_eq!(refresh_with(lake.path(), true).unwrap().kind, RefreshKind::Full);
    let incremental = contents(&read_only(&incremental_copy));
    let full = contents(&read_only(&catalog));
    for ((what, inc), (_, all)) in incremental.iter().zip(&full) {
        assert!(!all.is_empty(), "{what} is empty: the comparison would prove nothing");
        assert!(inc == all, "{what}: the purge's update differs from a full rebuild ({} rows against {})", inc.len(), all.len());
    }

    // a year later the C-leveringen go too, with most of the weeks: nearly
    // every person recomputed, still incrementally, still a rebuild's catalog
    let removed = purge_as_of(lake.path(), (2027, 10, 20));
    assert!(removed.leveringen.iter().any(|p| p.soort == "C"), "{}", removed.samenvatting());
    let record = query_rows(&read_only(&catalog), "select wijze from catalogus_bouw");
    assert_eq!(record, ["bijgewerkt"]);
    std::fs::copy(&catalog, &incremental_copy).unwrap();
    refresh_with(lake.path(), true).unwrap();
    let (incremental, full) = (contents(&read_only(&incremental_copy)), contents(&read_only(&catalog)));
    assert!(full.iter().any(|(_, rows)| rows.len() > 1), "nothing left to compare");
    assert!(incremental == full, "after the C-leveringen went the update differs from a full rebuild");
}

/// SIGKILL while the refresh after a purge takes the removed deliveries
/// out, just before its transaction commits: the catalog is the one before,
/// and the next refresh brings it where a full rebuild does.
#[test]
fn a_purge_refresh_killed_before_its_commit_leaves_the_catalog_as_it_was() {
    let lake = lake_without_the_first_c();
    let catalog = lake.path().join("verzuim.duckdb");
    let before = contents(&read_only(&catalog));
    // the lake's half of a purge: the delivery folders go
    let purged = verzuim::lake::Lake::open(lake.path()).unwrap().purge(PURGE_LIMIT, false).unwrap();
    assert!(!purged.is_empty());
    let mut catalog_cmd = std::process::Command::new(env!("CARGO_BIN_EXE_verzuim"));
    catalog_cmd.args(["catalog", "--lake"]).arg(lake.path());
    kill_when_paused(catalog_cmd, "catalogus", &lake.path().join("gepauzeerd"), std::time::Duration::from_secs(60));
    assert!(contents(&read_only(&catalog)) == before, "the killed update left a changed catalog");

    let r = refresh_with(lake.path(), false).unwrap();
    assert_eq!((r.kind, r.removed_deliveries), (RefreshKind::Incremental, purged.len()), "{r}");
    let refreshed = contents(&read_only(&catalog));
    refresh_with(lake.path(), true).unwrap();
    assert!(refreshed == contents(&read_only(&catalog)), "the refresh after the kill differs from a full rebuild");
}

/// SIGKILL while an incremental refresh updates the catalog in place, just
/// before its transaction commits: the catalog is the one before, and the
/// next refresh brings it where a full rebuild does.
#[test]
fn a_refresh_killed_while_updating_in_place_leaves_the_catalog_as_it_was() {
    let (lake, files) = lake_without_the_last_two();
    let catalog = lake.path().join("verzuim.duckdb");
    let before = contents(&read_only(&catalog));
    assert_eq!(ingest(lake.path(), &files[files.len() - 2..]).rejected(), 0);

    let mut catalog_cmd = std::process::Command::new(env!("CARGO_BIN_EXE_verzuim"));
    catalog_cmd.args(["catalog", "--lake"]).arg(lake.path());
    // killed in the middle of the transaction, just before its commit
    kill_when_paused(catalog_cmd, "catalogus", &lake.path().join("gepauzeerd"), std::time::Duration::from_secs(60));
    let copies = std::fs::read_dir(lake.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains(".tmp-")).count();
    assert_eq!(copies, 0, "the update ran in place, not on a copy");
    assert!(contents(&read_only(&catalog)) == before, "the killed update left a changed catalog");

    refresh_with(lake.path(), false).unwrap();
    let refreshed = contents(&read_only(&catalog));
    refresh_with(lake.path(), true).unwrap();
    assert!(refreshed == contents(&read_only(&catalog)), "the refresh after the kill differs from a full rebuild");
}

/// The sizes of a lake table's files, one per delivery.
fn file_sizes(lake: &Path, table: &str) -> Vec<u64> {
    let mut dirs = vec![lake.join("leveringen")];
    let mut sizes = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if name(&path) == format!("{table}.parquet") {
                sizes.push(std::fs::metadata(&path).unwrap().len());
            }
        }
    }
    sizes.sort();
    sizes
}

/// A full build copies a picture table whose delivery files are all small
/// into a scratch database once (within VERZUIM_BUILD_COPY_BYTES) and reads any
/// other in place: which way a table is read must not change anything the
/// catalog holds.
#[test]
fn a_full_build_holds_the_same_whether_files_are_copied_or_read_in_place() {
    let lake = tempfile::tempdir().unwrap();
    assert_eq!(ingest(lake.path(), &sample_deliveries()).rejected(), 0);
    let tables = ["persoon", "verblijf", "inschrijving", "resultaat", "vrijstelling", "startkwalificatie", "vsv_indicatie"];
    let mut totals: Vec<u64> = tables.iter().map(|t| file_sizes(lake.path(), t).iter().sum()).collect();
    assert!(tables.iter().flat_map(|t| file_sizes(lake.path(), t)).all(|s| s < 256 * 1024), "the samples' files are all small");
    totals.sort();
    // some tables within it, some beyond
    let middle = totals[totals.len() / 2];
    let catalog = lake.path().join("verzuim.duckdb");
    // a killed build's spill folder with its scratch copy: the next build removes it
    let stale = lake.path().join("_staging/catalogus.999999999");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("bouw_kopie.duckdb"), b"rows of persons").unwrap();
    let mut builds = Vec::new();
    for budget in [0, middle, u64::MAX] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_verzuim"))
            .args(["catalog", "--full", "--lake"])
            .arg(lake.path())
            .env("VERZUIM_BUILD_COPY_BYTES", budget.to_string())
            .env("VERZUIM_SQL_TIMES", "1")
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{said}");
        // "bouw_<tabel> (N files copied)" or "(N files read in place)"
        let copied: Vec<bool> = said.lines().filter(|l| l.contains("  bouw_")).map(|l| l.ends_with("files copied)")).collect();
        assert_eq!(copied.len(), tables.len(), "{said}");
        match budget {
            0 => assert!(copied.iter().all(|c| !c), "{said}"),
            u64::MAX => assert!(copied.iter().all(|c| *c), "{said}"),
            _ => assert!(copied.contains(&true) && copied.contains(&false), "{said}"),
        }
        let left = query_rows(&read_only(&catalog), "select table_name from duckdb_tables() where table_name like 'bouw%'");
        assert!(left.is_empty(), "the build's copies are left in the catalog: {left:?}");
        let staging: Vec<_> = std::fs::read_dir(lake.path().join("_staging")).unwrap().collect();
        assert!(staging.is_empty(), "the build's scratch files are left: {staging:?}");
        builds.push(contents(&read_only(&catalog)));
    }
    for (what, rows) in &builds[0] {
        assert!(!rows.is_empty(), "{what} is empty: the comparison would prove nothing");
    }
    assert!(builds[1] == builds[0], "copying some of the tables changed the catalog");
    assert!(builds[2] == builds[0], "copying every table changed the catalog");

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_verzuim"))
        .args(["catalog", "--full", "--lake"])
        .arg(lake.path())
        .env("VERZUIM_BUILD_COPY_BYTES", "128MB")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success() && said.contains("VERZUIM_BUILD_COPY_BYTES \"128MB\": a number of bytes"), "{said}");
}
