//! The rules of the domain, each pinned by a small hand-made case: deliveries
//! written here, ingested, and the figures read back from the catalog.

use std::path::{Path, PathBuf};

use crate::common::*;
use verzuim::ingest::Status;

/// A person's records for a delivery: PER first, then the rest, `{pgn}` filled in.
pub(crate) struct Persoon {
    pub(crate) pgn: String,
    records: Vec<String>,
}

pub(crate) fn bsn(seed: u32) -> String {
    (seed * 1000..)
        .map(|n| format!("{:09}", 100_000_000 + n))
        .find(|s| verzuim::parse::passes_11_proef(s, verzuim::layout::NumberCheck::Bsn))
        .unwrap()
}

pub(crate) fn persoon(seed: u32, geboortedatum: &str, rest: &[&str]) -> Persoon {
    let pgn = bsn(seed);
    let mut records = vec![format!("PER|{pgn}|{pgn}||{geboortedatum}|V|Achternaam||Voornaam|")];
    records.extend(rest.iter().map(|r| format!("{}|{pgn}|{}", &r[..3], &r[4..])));
    Persoon { pgn, records }
}

impl Persoon {
    fn died(mut self, datum: &str) -> Self {
        self.records[0] = format!("{}{datum}", self.records[0]);
        self
    }
}

/// Writes one VZL1 delivery; `afnemer` like `G0687`.
pub(crate) fn delivery(dir: &Path, soort: &str, afnemer: &str, peildatum: &str, volgnummer: u32, persons: &[&Persoon]) -> PathBuf {
    let mut lines = vec![format!("VLP|VZL1|{soort}|{}|{}|{peildatum}|{peildatum}|{volgnummer:06}", &afnemer[..1], &afnemer[1..])];
    for p in persons {
        lines.extend(p.records.iter().cloned());
    }
    lines.push(format!("SLR|{}|{}", persons.len(), lines.len() + 1));
    let name = format!("{peildatum}{afnemer}{soort}{volgnummer}.txt");
    write_lines(dir, &name, &lines)
}

pub(crate) struct Catalog {
    _lake: tempfile::TempDir,
    conn: duckdb::Connection,
}

impl Catalog {
    pub(crate) fn of(files: &[PathBuf]) -> Catalog {
        let lake = tempfile::tempdir().unwrap();
        let s = ingest(lake.path(), files);
        assert!(s.files.iter().all(|f| f.status == Status::Ingested), "{:#?}", s.files);
        let path = verzuim::catalog::refresh(lake.path()).unwrap();
        let conn = duckdb::Connection::open(path).unwrap();
        Catalog { _lake: lake, conn }
    }

    pub(crate) fn rows(&self, sql: &str) -> Vec<String> {
        query_rows(&self.conn, sql)
    }

    pub(crate) fn count(&self, sql: &str) -> i64 {
        self.conn.query_row(&format!("select count(*) from ({sql})"), [], |r| r.get(0)).unwrap()
    }
}

pub(crate) const MB: &str = "VBL|0687|4331AB|1||MIDDELBURG|6030|20000101|";

#[test]
fn leeftijd_and_leerplicht_around_29_february() {
    let c = Catalog::of(&[]);
    let q = |e: &str| -> String { c.conn.query_row(&format!("select ({e})::varchar"), [], |r| r.get(0)).unwrap() };
    assert_eq!(q("leeftijd(date '2012-02-29', date '2016-02-28')"), "3");
    assert_eq!(q("leeftijd(date '2012-02-29', date '2016-02-29')"), "4");
    // in a non-leap year the year is complete on 1 March, not on 28 February
    assert_eq!(q("leeftijd(date '2012-02-29', date '2017-02-28')"), "4");
    assert_eq!(q("leeftijd(date '2012-02-29', date '2017-03-01')"), "5");
    // one birthday rule for every limit: born 29 February, a year older on
    // 1 March when there is no 29 February (4 and 16 fall in leap years)
    for (n, dag) in [(4, "2016-02-29"), (5, "2017-03-01"), (16, "2028-02-29"), (18, "2030-03-01"), (22, "2034-03-01"), (23, "2035-03-01")] {
        assert_eq!(q(&format!("verjaardag(date '2012-02-29', {n})")), dag, "{n}th birthday");
        let day_before: String = q(&format!("date '{dag}' - 1"));
        assert_eq!(
            q(&format!("leeftijd(date '2012-02-29', date '{day_before}')")),
            (n - 1).to_string(),
            "the day before the {n}th birthday"
        );
        assert_eq!(q(&format!("leeftijd(date '2012-02-29', date '{dag}')")), n.to_string(), "on the {n}th birthday");
    }
    // 5 on 1 March 2017: leerplichtig from the first of the month after, 1 April
    assert_eq!(q("begin_leerplicht(date '2012-02-29')"), "2017-04-01");
    assert_eq!(q("begin_leerplicht(date '2020-02-29')"), "2025-04-01");
    assert_eq!(q("einde_leerplicht(date '2012-02-29')"), "2028-07-31");
    assert_eq!(q("begin_leerplicht(date '2020-12-15')"), "2026-01-01");
    // einde: 31 July of the schooljaar in which the 16th birthday falls
    assert_eq!(q("einde_leerplicht(date '2010-07-31')"), "2026-07-31");
    assert_eq!(q("einde_leerplicht(date '2010-08-01')"), "2027-07-31");
    assert_eq!(q("vsv_categorie('HAVO', null, null)"), "VO_OB");
    assert_eq!(q("vsv_categorie('VWO', 6, null)"), "VO_BB_HAVOVWO");
    assert_eq!(q("vsv_categorie('MBO', 1, 3)"), "MBO_34");
}

/// Born 29 February 2020: 5 on 1 March 2025 and leerplichtig from 1 April,
/// not from 1 March (the count on 1 March was one too high per such child);
/// born 29 February 2008: 18 on 1 March 2026, kwalificatieplichtig until then.
#[test]
fn a_child_born_on_29_february_is_counted_by_the_one_birthday_rule() {
    let dir = tempfile::tempdir().unwrap();
    let kind = persoon(1, "20200229", &[MB]);
    let jongere = persoon(2, "20080229", &[MB, "SKW|N|"]);
    let c = Catalog::of(&[delivery(dir.path(), "C", "G0687", "20250101", 1, &[&kind, &jongere])]);
    let telling = |d: &str| c.rows(&format!("select leeftijdsband, leerplichtig, kwalificatieplichtig from leerplichttelling(date '{d}')"));
    assert_eq!(telling("2025-02-28"), vec!["16-17|0|1", "4|0|0"]);
    assert_eq!(telling("2025-03-01"), vec!["16-17|0|1", "5-11|0|0"], "5 on 1 March, not yet leerplichtig");
    assert_eq!(telling("2025-04-01"), vec!["16-17|0|1", "5-11|1|0"]);
    assert_eq!(telling("2026-02-28"), vec!["16-17|0|1", "5-11|1|0"], "17 until 1 March 2026");
    assert_eq!(telling("2026-03-01"), vec!["18-22|0|0", "5-11|1|0"], "18 on 1 March: no longer kwalificatieplichtig");
}

#[test]
fn leerplichttelling_and_signalen_with_a_late_uitschrijving_and_bekend_op() {
    let dir = tempfile::tempdir().unwrap();
    // 12 years old, enrolled; DUO hears on 7 November of an uitschrijving on 15 September
    let lena = persoon(1, "20140310", &[MB, "INS|0000000001|20AB|20AB00|VWO||||1|20260820|||J"]);
    let lena_later = persoon(1, "20140310", &[MB, "INS|0000000001|20AB|20AB00|VWO||||1|20260820|20260915|08|J"]);
    // 6 years old, never enrolled; 17 without startkwalificatie, in MBO
    let bram = persoon(2, "20200415", &[MB]);
    let sem = persoon(3, "20090101", &[MB, "INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20250901|||J", "SKW|N|"]);
    // lives in a gemeente no afnemer covers: never counted
    let elders = persoon(4, "20140101", &["VBL|0363|1012AB|1||AMSTERDAM|6030|20000101|"]);
    // died before the date
    let overleden = persoon(5, "20140101", &[MB]).died("20260101");
    let c = Catalog::of(&[
        delivery(dir.path(), "C", "G0687", "20261001", 1, &[&lena, &sem]),
        delivery(dir.path(), "P", "G0687", "20261003", 1, &[&bram, &elders, &overleden]),
        delivery(dir.path(), "P", "G0687", "20261107", 2, &[&lena_later]),
    ]);
    let d = "date '2026-10-01'";
    assert_eq!(
        c.rows(&format!("select * from leerplichttelling({d})")),
        vec![
            // gemeente|regio|band|personen|leerplichtig|kwalificatieplichtig|ingeschreven|vrijstelling|vervangend|absoluut_verzuim
            "0687|32|12-15|1|1|0|0|0|0|1",
            "0687|32|16-17|1|0|1|1|0|0|0",
            "0687|32|5-11|1|1|0|0|0|0|1",
        ]
    );
    // as known on 1 October: only the C-levering, Lena still enrolled, Bram unknown
    assert_eq!(
        c.rows(&format!("select * from leerplichttelling({d}, bekend_op := {d})")),
        vec!["0687|32|12-15|1|1|0|1|0|0|0", "0687|32|16-17|1|0|1|1|0|0|0"]
    );
    // with everything loaded, Lena was no longer enrolled on 1 October …
    assert_eq!(c.rows(&format!("select * from absoluut_verzuim_signalen({d})")), {
        let mut v = vec![format!("{}|0687|NOOIT_INGESCHREVEN|2025-05-01", bram.pgn), format!("{}|0687|UITGESCHREVEN|2026-09-16", lena.pgn)];
        v.sort();
        v
    });
    // … but as known on 1 October she was: the old figure can be reproduced
    assert_eq!(
        c.rows(&format!("select * from absoluut_verzuim_signalen({d}, bekend_op := {d})")),
        Vec::<String>::new(),
        "Bram arrived with a later delivery, Lena's uitschrijving later still"
    );
    assert_eq!(c.count(&format!("select * from leerplichttelling({d}, bekend_op := date '2026-11-06') where absoluut_verzuim > 0")), 1);
}

/// A vsv figure says what the lake can know of its teljaar: onvolledig
/// before the first C-levering, voorlopig until the lake knows the gemeente
/// past 31 December t+1, then definitief; and DUO's own count is NULL (not
/// 0) for a teljaar whose indicator no delivery carries, with no
/// "disagreements" listed then.
#[test]
fn vsv_is_provisional_until_the_lake_knows_past_31_december_and_duo_is_null_when_absent() {
    let dir = tempfile::tempdir().unwrap();
    let ins = "INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20230901|20260131|08|J";
    let uitval = persoon(10, "20070101", &[MB, ins, "VSV|20261001|25PK|MBO_2"]);
    let ander = persoon(11, "20070101", &[MB, ins]);
    // on 15 September 2025 both were enrolled, and DUO had said nothing yet
    let open = "INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20230901|||J";
    let vroeg =
        delivery(dir.path(), "C", "G0687", "20250915", 1, &[&persoon(10, "20070101", &[MB, open]), &persoon(11, "20070101", &[MB, open])]);
    let laat = delivery(dir.path(), "C", "G0687", "20261101", 2, &[&uitval, &ander]);
    let c = Catalog::of(&[vroeg.clone(), laat.clone()]);
    assert_eq!(c.rows("select vsv, vsv_duo, status from vsv(2025)"), vec!["2|1|voorlopig"], "known until 1 November 2026 only");
    assert_eq!(c.rows("select vsv, vsv_duo, status from vsv(2025, bekend_op := date '2025-12-31')"), vec!["0|∅|voorlopig"]);
    // teljaar 2024: no delivery carries DUO's indicator for 1 October 2025
    assert_eq!(
        c.rows("select deelnemers, vsv_duo, status from vsv(2024)"),
        vec!["2|∅|onvolledig"],
        "1 October 2024 lies before the first C-levering"
    );
    assert_eq!(c.count("select * from vsv_deelnemers(2024) where duo is not null"), 0);
    assert_eq!(c.count("select * from vsv_verschillen(2024)"), 0, "no indicator: nothing to disagree with");
    assert_eq!(c.rows("select pgn from vsv_verschillen(2025)"), vec![ander.pgn.clone()]);

    // a delivery of after 31 December 2026 makes teljaar 2025 final
    let januari = delivery(dir.path(), "P", "G0687", "20270104", 1, &[]);
    let c = Catalog::of(&[vroeg, laat, januari]);
    assert_eq!(c.rows("select vsv, vsv_duo, status from vsv(2025)"), vec!["2|1|definitief"]);
    assert_eq!(c.rows("select status from vsv(2025, bekend_op := date '2026-12-31')"), vec!["voorlopig"]);
}

#[test]
fn vsv_counts_a_plain_dropout_and_exempts_every_other_route() {
    let dir = tempfile::tempdir().unwrap();
    let mbo = |seed: u32, geb: &str, eind: &str, extra: &[&str]| {
        let ins = format!("INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20240901|{eind}|08|J");
        let mut rest = vec![MB, ins.as_str()];
        rest.extend_from_slice(extra);
        persoon(seed, geb, &rest)
    };
    let uitval = mbo(10, "20070101", "20260131", &["VSV|20261001|25PK|MBO_2"]);
    let uitval_zonder_duo = mbo(11, "20070101", "20260131", &[]);
    let verlaat_diploma = mbo(12, "20070101", "20260630", &["RES|25PK|MBO|25168|2|DIP|20261115|J"]);
    let te_laat_diploma = mbo(13, "20070101", "20260630", &["RES|25PK|MBO|25168|2|DIP|20270110|J"]);
    let herinschrijving = mbo(14, "20070101", "20260131", &["INS|0000000002|25PK|25PK00|MBO|25168|BBL|2|1|20260915|||J"]);
    let naar_ho = mbo(15, "20070101", "20260630", &["INS|0000000002|21HO|21HO00|HO||||1|20260901|||J"]);
    let emigrant = persoon(
        16,
        "20070101",
        &[
            "VBL|0687|4331AB|1||MIDDELBURG|6030|20000101|20260301",
            "VBL||||||5010|20260302|",
            "INS|0000000001|25PK|25PK00|MBO|25168|BOL|2|1|20240901|20260228|04|J",
        ],
    );
    let overleden = mbo(17, "20070101", "20260501", &[]).died("20260501");
    let op_22 = mbo(18, "20031001", "20260131", &[]); // 22 on 1 October 2025: not in A
    let op_21 = mbo(19, "20031002", "20260131", &[]); // 21 that day: in A, and a vsv'er
    let havo = persoon(20, "20090501", &[MB, "INS|0000000001|20AB|20AB00|HAVO||||4|20240820|||J"]);
    let all = [
        &uitval,
        &uitval_zonder_duo,
        &verlaat_diploma,
        &te_laat_diploma,
        &herinschrijving,
        &naar_ho,
        &emigrant,
        &overleden,
        &op_22,
        &op_21,
        &havo,
    ];
    let c = Catalog::of(&[delivery(dir.path(), "C", "R0032", "20261101", 1, &all)]);

    let berekend: Vec<String> = c.rows("select pgn from vsv_deelnemers(2025) where berekend");
    let mut expected = vec![uitval.pgn.clone(), uitval_zonder_duo.pgn.clone(), te_laat_diploma.pgn.clone(), op_21.pgn.clone()];
    expected.sort();
    assert_eq!(berekend, expected);
    assert_eq!(c.count("select * from vsv_deelnemers(2025)"), 10, "everyone but the one aged 22 is in A");
    assert_eq!(
        c.rows("select * from vsv(2025)"),
        vec!["32|0687|20AB|VO_BB_HAVOVWO|1|0|0|0.0|onvolledig", "32|0687|25PK|MBO_2|9|4|1|44.44|onvolledig"],
        "the lake's first C-levering is of after 1 October 2025: who left before it is missing"
    );
    // DUO counted one of the four; the rule and the indicator disagree on the other three
    assert_eq!(c.rows("select * from vsv_verschillen(2025)"), {
        let mut v: Vec<String> = [&uitval_zonder_duo, &te_laat_diploma, &op_21].iter().map(|p| format!("{}|true|false", p.pgn)).collect();
        v.sort();
        v
    });
}

#[test]
fn oud_vsv_and_vrijstellingen() {
    let dir = tempfile::tempdir().unwrap();
    let oud = persoon(30, "20060601", &[MB, "INS|0000000001|25PK|25PK00|MBO|25168|BOL|1|1|20220901|20240101|08|J"]);
    let met_skw = persoon(31, "20060601", &[MB, "RES|20AB|HAVO|||DIP|20240701|J"]);
    let vrij_5a = persoon(32, "20150101", &[MB, "VRS|5A|20200101|"]);
    let vrij_nieuw = persoon(33, "20150101", &[MB, "VRS|5B|20260301|20260601"]);
    let vervangend = persoon(34, "20120101", &[MB, "VRS|3A|20250101|20251231"]);
    let c = Catalog::of(&[delivery(dir.path(), "C", "G0687", "20261001", 1, &[&oud, &met_skw, &vrij_5a, &vrij_nieuw, &vervangend])]);
    assert_eq!(c.rows("select * from oud_vsv(date '2026-10-01')"), vec!["0687|20|1"]);
    assert_eq!(c.rows("select * from vrijstellingen(2025)"), vec!["0687|3A|1", "0687|5A|1", "0687|5B|1"]);
    assert_eq!(c.rows("select * from vrijstellingen(2026)"), vec!["0687|5A|1"]);
}

#[test]
fn a_person_vanishing_from_the_next_c_levering_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let blijft = persoon(40, "20120101", &[MB, "INS|0000000001|20AB|20AB00|VMBO||TL||2|20240820|||J"]);
    let verdwijnt = persoon(41, "20120101", &[MB, "INS|0000000001|20AB|20AB00|VMBO||TL||2|20240820|||J"]);
    let verhuisd = persoon(
        42,
        "20120101",
        &[
            "VBL|0687|4331AB|1||MIDDELBURG|6030|20000101|20261101",
            "VBL|0363|1012AB|1||AMSTERDAM|6030|20261102|",
            "INS|0000000001|20AB|20AB00|VMBO||TL||2|20240820|||J",
        ],
    );
    let c = Catalog::of(&[
        delivery(dir.path(), "C", "G0687", "20261001", 1, &[&blijft, &verdwijnt, &verhuisd]),
        delivery(dir.path(), "C", "G0687", "20270101", 2, &[&blijft]),
    ]);
    let found = c.rows("select afnemer, peildatum, pgn, gemeentecode from verdwenen_zonder_mutatie");
    assert_eq!(found, vec![format!("G0687|2027-01-01|{}|0687", verdwijnt.pgn)], "the one who moved away is explained");
}

#[test]
fn the_catalog_exists_before_the_first_delivery_and_opens_from_anywhere() {
    let c = Catalog::of(&[]);
    assert_eq!(c.count("select * from leerplichttelling(date '2026-10-01')"), 0);
    assert_eq!(c.count("select * from persoon"), 0);
    assert_eq!(c.count("select * from regio_indeling"), 342);
    assert_eq!(c.rows("select regiocode, regionaam from regio_indeling where gemeentecode = '0687'"), vec!["32|Walcheren"]);
}

/// A refresh replaces the catalog whole: a stale write-ahead log beside the
/// old file must not be replayed onto the new one.
#[test]
fn a_refresh_ignores_a_stale_write_ahead_log() {
    let lake = tempfile::tempdir().unwrap();
    verzuim::lake::Lake::open(lake.path()).unwrap();
    let path = verzuim::catalog::refresh(lake.path()).unwrap();
    std::fs::write(format!("{}.wal", path.display()), b"not a wal").unwrap();
    let path = verzuim::catalog::refresh(lake.path()).unwrap();
    assert!(!std::path::Path::new(&format!("{}.wal", path.display())).exists());
    let conn = duckdb::Connection::open(&path).unwrap();
    let n: i64 = conn.query_row("select count(*) from regio_indeling", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 342);
}

/// The yearly Leerplichttelling (art. 25) for schooljaar 2024/2025, case by
/// case, in regio 32 Walcheren (gemeenten 0687, 0717, 0718), covered from a
/// C-levering on 1 August 2024 and known to 4 August 2025.
#[test]
fn absoluut_verzuim_over_a_schooljaar_counts_each_verzuimer_once_where_they_live_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let vli = |van: &str, tot: &str| format!("VBL|0718|4381AB|1||VLISSINGEN|6030|{van}|{tot}");
    let mb_tot = |tot: &str| format!("VBL|0687|4331AB|1||MIDDELBURG|6030|20000101|{tot}");
    let mb_tot_feb = mb_tot("20250228");
    let vli_maart = vli("20250301", "");
    let mb_tot_mei = mb_tot("20250531");
    // verzuimer in October, enrolled again in May: counted once, vo (the VMBO that ended)
    let oktober = persoon(
        40,
        "20120301",
        &[MB, "INS|0000000001|20AB|20AB00|VMBO||TL||1|20230820|20240930|02|J", "INS|0000000002|20AB|20AB00|VMBO||TL||2|20250501|||J"],
    );
    // moved to Vlissingen in March and enrolled there: counted nowhere
    let verhuisd_ingeschreven = persoon(
        41,
        "20120301",
        &[
            &mb_tot_feb,
            &vli_maart,
            "INS|0000000001|20AB|20AB00|VMBO||TL||1|20230820|20240930|02|J",
            "INS|0000000002|30CD|30CD00|VMBO||TL||2|20250301|||J",
        ],
    );
    // moved to Vlissingen in March, never enrolled: counted in 0718 only, from March
    let verhuisd_verzuimer = persoon(42, "20120301", &[&mb_tot_feb, &vli_maart]);
    // died, abroad, a startkwalificatie by 31 July: not counted
    let overleden = persoon(43, "20120301", &[MB]).died("20250401");
    let buitenland = persoon(44, "20120301", &[&mb_tot_mei, "VBL||||||5010|20250601|"]);
    let diploma =
        persoon(45, "20080301", &[MB, "INS|0000000001|20AB|20AB00|HAVO||||5|20230820|20240930|02|J", "RES|20AB|HAVO|||DIP|20250615|J"]);
    // left primary school in September: po
    let po = persoon(46, "20160301", &[MB, "INS|0000000001|10PO|10PO00|PO||||3|20220820|20240915|02|J"]);
    // enrolled all year: not counted
    let ingeschreven = persoon(47, "20120301", &[MB, "INS|0000000001|20AB|20AB00|VMBO||TL||1|20230820|||J"]);
    let all = [&oktober, &verhuisd_ingeschreven, &verhuisd_verzuimer, &overleden, &buitenland, &diploma, &po, &ingeschreven];
    let c = Catalog::of(&[
        delivery(dir.path(), "C", "R0032", "20240801", 1, &all),
        delivery(dir.path(), "P", "R0032", "20250804", 2, &[&ingeschreven]),
    ]);
    let got = c.rows(
        "select pgn, gemeentecode, onderwijssoort, eerste_dag, laatste_dag, herkomst from absoluut_verzuim_schooljaar(2024) order by pgn",
    );
    let want = vec![
        format!("{}|0687|vo|2024-10-01|2025-04-30|duo", oktober.pgn),
        format!("{}|0718|geen onderwijs|2025-03-01|2025-07-31|duo", verhuisd_verzuimer.pgn),
        format!("{}|0687|po|2024-09-16|2025-07-31|duo", po.pgn),
    ];
    let mut want = want;
    want.sort();
    assert_eq!(got, want);
    // a schooljaar the lake does not cover counts nobody
    assert_eq!(c.count("from absoluut_verzuim_schooljaar(2022)"), 0);
}
