//! Whether each afnemer's deliveries are still arriving: the rules, on a
//! list of deliveries and a date, without touching a file.
//!
//! DUO sends every afnemer a P-levering each week and a C-levering when
//! asked (at least once a schooljaar, for the teldatum). When the weekly
//! stream stops, nothing fails: the pictures simply stop changing. So:
//!
//! * the last P-levering may be at most `p_levering_max_dagen` old, the last
//!   C-levering at most `c_levering_max_dagen`;
//! * the weekly sequence may have no hole: an ISO week without a P-levering
//!   between two that arrived (a gap of more than 7 days between peildata),
//!   or leveringsvolgnummers that skip. A hole is *open* — it makes the data
//!   stale — until a C-levering with a later peildatum arrives: a snapshot
//!   makes every picture whole again, so a lost week is then harmless. An
//!   operator who cannot fetch a lost week asks DUO for a C-levering
//!   (`verzuim request c`);
//! * the weeks after the last P-levering are listed too, but only its age
//!   decides whether they are late (the threshold is the one knob for "how
//!   late may it be").
//!
//! A P-stream is watched from its first P-levering on: an afnemer that only
//! ever asked for C- or A-leveringen is not expected to get weekly ones.
//! A-leveringen answer a request and are never expected.

use std::collections::BTreeMap;

use chrono::{Datelike, IsoWeek, NaiveDate};
use serde::Serialize;

/// Defaults of `[bewaking]` (docs/operations.md).
pub const P_LEVERING_MAX_DAGEN: u32 = 10;
pub const C_LEVERING_MAX_DAGEN: u32 = 400;

/// The thresholds of `[bewaking]`, with the overrides per afnemer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    pub limits: Limits,
    /// `[bewaking.afnemer.G0363]`: what differs for one afnemer.
    pub per_afnemer: BTreeMap<String, Override>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub p_levering_max_dagen: u32,
    pub c_levering_max_dagen: u32,
    /// false: listed, never stale (an afnemer whose deliveries ended on purpose).
    pub bewaakt: bool,
}

/// `[bewaking.afnemer.G0363]`, read as it stands in the configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub p_levering_max_dagen: Option<u32>,
    pub c_levering_max_dagen: Option<u32>,
    pub bewaakt: Option<bool>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            limits: Limits { p_levering_max_dagen: P_LEVERING_MAX_DAGEN, c_levering_max_dagen: C_LEVERING_MAX_DAGEN, bewaakt: true },
            per_afnemer: BTreeMap::new(),
        }
    }
}

impl Thresholds {
    pub fn for_afnemer(&self, afnemer: &str) -> Limits {
        let o = self.per_afnemer.get(afnemer).copied().unwrap_or_default();
        Limits {
            p_levering_max_dagen: o.p_levering_max_dagen.unwrap_or(self.limits.p_levering_max_dagen),
            c_levering_max_dagen: o.c_levering_max_dagen.unwrap_or(self.limits.c_levering_max_dagen),
            bewaakt: o.bewaakt.unwrap_or(self.limits.bewaakt),
        }
    }
}

/// One committed delivery, as far as freshness is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub soort: String,
    pub afnemer: String,
    pub peildatum: NaiveDate,
    /// Unknown for a delivery the catalog does not hold yet (or a header
    /// CSV that does not give it).
    pub volgnummer: Option<i64>,
}

/// An ISO week without a P-levering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingWeek {
    /// `2026-W44`
    pub week: String,
    /// its Monday, `JJJJ-MM-DD`
    pub monday: String,
    /// Between two P-leveringen with no later C-levering: the pictures miss
    /// that week's changes. False for a hole a C-levering closed, and for
    /// the weeks after the last P-levering (its age decides those).
    pub open: bool,
}

/// Leveringsvolgnummers that skip between two consecutive P-leveringen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedNumbers {
    pub after: i64,
    pub before: i64,
    pub open: bool,
}

/// The latest delivery of one soort and its age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Latest {
    /// `JJJJ-MM-DD`
    pub peildatum: String,
    pub days_ago: i64,
    pub max_days: u32,
    pub too_old: bool,
}

/// What `status` and `run` say of one afnemer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AfnemerFreshness {
    pub afnemer: String,
    pub bewaakt: bool,
    pub last_p_levering: Option<Latest>,
    pub last_c_levering: Option<Latest>,
    pub p_leveringen: usize,
    pub missing_weeks: Vec<MissingWeek>,
    pub skipped_volgnummers: Vec<SkippedNumbers>,
    /// Why the data is stale, one sentence each (empty: fresh).
    pub stale_because: Vec<String>,
}

impl AfnemerFreshness {
    pub fn stale(&self) -> bool {
        !self.stale_because.is_empty()
    }
}

/// Every afnemer with a P- or C-levering, in code order.
pub fn evaluate(deliveries: &[Delivery], today: NaiveDate, thresholds: &Thresholds) -> Vec<AfnemerFreshness> {
    let mut by_afnemer: BTreeMap<&str, Vec<&Delivery>> = BTreeMap::new();
    for d in deliveries.iter().filter(|d| d.soort == "P" || d.soort == "C") {
        by_afnemer.entry(d.afnemer.as_str()).or_default().push(d);
    }
    by_afnemer.into_iter().map(|(afnemer, ds)| one_afnemer(afnemer, &ds, today, thresholds.for_afnemer(afnemer))).collect()
}

fn one_afnemer(afnemer: &str, deliveries: &[&Delivery], today: NaiveDate, limits: Limits) -> AfnemerFreshness {
    let mut p: Vec<&Delivery> = deliveries.iter().copied().filter(|d| d.soort == "P").collect();
    p.sort_by_key(|d| (d.peildatum, d.volgnummer));
    let last_c = deliveries.iter().filter(|d| d.soort == "C").map(|d| d.peildatum).max();
    let latest = |date: NaiveDate, max: u32| {
        let age = (today - date).num_days();
        Latest { peildatum: iso(date), days_ago: age, max_days: max, too_old: age > i64::from(max) }
    };
    let last_p_levering = p.last().map(|d| latest(d.peildatum, limits.p_levering_max_dagen));
    let last_c_levering = last_c.map(|d| latest(d, limits.c_levering_max_dagen));
    // a hole is healed by a C-levering after it
    let healed = |after: NaiveDate| last_c.is_some_and(|c| c > after);

    let mut missing_weeks = Vec::new();
    let mut skipped_volgnummers = Vec::new();
    for pair in p.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        for week in weeks_between(a.peildatum.iso_week(), b.peildatum.iso_week()) {
            missing_weeks.push(missing(week, !healed(a.peildatum)));
        }
        if let (Some(x), Some(y)) = (a.volgnummer, b.volgnummer)
            && y > x + 1
        {
            skipped_volgnummers.push(SkippedNumbers { after: x, before: y, open: !healed(a.peildatum) });
        }
    }
    if let Some(last) = p.last() {
        for week in weeks_between(last.peildatum.iso_week(), today.iso_week()) {
            missing_weeks.push(missing(week, false));
        }
    }

    let mut stale_because = Vec::new();
    if limits.bewaakt {
        if let Some(l) = last_p_levering.as_ref().filter(|l| l.too_old) {
            stale_because.push(format!("{afnemer}: last P-levering {} is {} days old (max {})", l.peildatum, l.days_ago, l.max_days));
        }
        if let Some(l) = last_c_levering.as_ref().filter(|l| l.too_old) {
            stale_because.push(format!("{afnemer}: last C-levering {} is {} days old (max {})", l.peildatum, l.days_ago, l.max_days));
        }
        if last_c_levering.is_none() {
            stale_because.push(format!("{afnemer}: no C-levering in the lake"));
        }
        let open: Vec<&str> = missing_weeks.iter().filter(|w| w.open).map(|w| w.week.as_str()).collect();
        if !open.is_empty() {
            stale_because.push(format!("{afnemer}: no P-levering in week {} (no C-levering since)", open.join(", ")));
        }
        for s in skipped_volgnummers.iter().filter(|s| s.open) {
            stale_because.push(format!("{afnemer}: leveringsvolgnummer skips from {} to {} (no C-levering since)", s.after, s.before));
        }
    }
    AfnemerFreshness {
        afnemer: afnemer.to_string(),
        bewaakt: limits.bewaakt,
        last_p_levering,
        last_c_levering,
        p_leveringen: p.len(),
        missing_weeks,
        skipped_volgnummers,
        stale_because,
    }
}

/// The ISO weeks strictly after `from` and strictly before `to`.
fn weeks_between(from: IsoWeek, to: IsoWeek) -> Vec<IsoWeek> {
    let mut out = Vec::new();
    let Some(mut monday) = NaiveDate::from_isoywd_opt(from.year(), from.week(), chrono::Weekday::Mon) else { return out };
    loop {
        monday += chrono::Duration::days(7);
        let w = monday.iso_week();
        if (w.year(), w.week()) >= (to.year(), to.week()) {
            return out;
        }
        out.push(w);
    }
}

fn missing(week: IsoWeek, open: bool) -> MissingWeek {
    let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), chrono::Weekday::Mon).unwrap_or_default();
    MissingWeek { week: format!("{}-W{:02}", week.year(), week.week()), monday: iso(monday), open }
}

pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// `"C 2026-10-03"`, `"P 2026-10-05 #12"` (with volgnummer), for afnemer G0687.
    fn deliveries(lines: &[&str]) -> Vec<Delivery> {
        lines
            .iter()
            .map(|l| {
                let parts: Vec<&str> = l.split(' ').collect();
                Delivery {
                    soort: parts[0].to_string(),
                    afnemer: "G0687".into(),
                    peildatum: date(parts[1]),
                    volgnummer: parts.get(2).map(|n| n.trim_start_matches('#').parse().unwrap()),
                }
            })
            .collect()
    }

    fn one(lines: &[&str], today: &str) -> AfnemerFreshness {
        let mut v = evaluate(&deliveries(lines), date(today), &Thresholds::default());
        assert_eq!(v.len(), 1);
        v.remove(0)
    }

    fn weeks(f: &AfnemerFreshness, open: bool) -> Vec<&str> {
        f.missing_weeks.iter().filter(|w| w.open == open).map(|w| w.week.as_str()).collect()
    }

    /// (deliveries, today) → (stale, open missing weeks, closed missing weeks)
    type Case<'a> = (&'a [&'a str], &'a str, bool, &'a [&'a str], &'a [&'a str]);

    #[test]
    fn freshness_cases() {
        let weekly = ["C 2026-10-03", "P 2026-10-05", "P 2026-10-12", "P 2026-10-19", "P 2026-10-26"];
        let cases: &[Case] = &[
            // fresh: the last P-levering is 2 days old, no hole
            (&weekly, "2026-10-28", false, &[], &[]),
            // 10 days is still fresh, 11 is not
            (&weekly, "2026-11-05", false, &[], &[]),
            (&weekly, "2026-11-06", true, &[], &[]),
            // the weeks after the last P-levering are listed, not open: its age decides
            (&weekly, "2026-11-10", true, &[], &["2026-W45"]),
            // two weeks missing in the middle: open, and stale however fresh the tail
            (&["C 2026-10-03", "P 2026-10-05", "P 2026-10-26"], "2026-10-27", true, &["2026-W42", "2026-W43"], &[]),
            // the same hole closed by a later C-levering
            (&["C 2026-10-03", "P 2026-10-05", "P 2026-10-26", "C 2026-10-28"], "2026-10-29", false, &[], &["2026-W42", "2026-W43"]),
            // a shifted peildatum within its own week is no hole (Monday, then Friday of the next week)
            (&["C 2026-10-03", "P 2026-10-05", "P 2026-10-16"], "2026-10-17", false, &[], &[]),
            // only C-leveringen: no weekly stream is expected
            (&["C 2026-10-03"], "2026-12-01", false, &[], &[]),
            // a C-levering over the limit
            (&["C 2025-10-03", "P 2026-11-30"], "2026-12-01", true, &[], &[]),
            // P-leveringen but never a C-levering: the pictures were never whole
            (&["P 2026-11-23", "P 2026-11-30"], "2026-12-01", true, &[], &[]),
        ];
        for (i, (lines, today, stale, open, closed)) in cases.iter().enumerate() {
            let f = one(lines, today);
            assert_eq!(f.stale(), *stale, "case {i}: {:?}", f.stale_because);
            assert_eq!(weeks(&f, true), *open, "case {i}");
            assert_eq!(weeks(&f, false), *closed, "case {i}");
        }
    }

    #[test]
    fn skipped_volgnummers_are_open_until_a_c_levering() {
        let f = one(&["C 2026-10-03", "P 2026-10-05 #1", "P 2026-10-12 #2", "P 2026-10-19 #4"], "2026-10-20");
        assert_eq!(f.skipped_volgnummers, vec![SkippedNumbers { after: 2, before: 4, open: true }]);
        assert!(f.stale() && f.stale_because[0].contains("skips from 2 to 4"), "{:?}", f.stale_because);
        let f = one(&["C 2026-10-03", "P 2026-10-05 #1", "P 2026-10-12 #3", "C 2026-10-15"], "2026-10-16");
        assert!(!f.stale(), "{:?}", f.stale_because);
        // unknown numbers say nothing
        let f = one(&["C 2026-10-03", "P 2026-10-05 #1", "P 2026-10-12", "P 2026-10-19 #7"], "2026-10-20");
        assert!(f.skipped_volgnummers.is_empty());
    }

    #[test]
    fn thresholds_per_afnemer() {
        let mut t = Thresholds::default();
        t.per_afnemer.insert("G0687".into(), Override { p_levering_max_dagen: Some(30), ..Override::default() });
        t.per_afnemer.insert("R0032".into(), Override { bewaakt: Some(false), ..Override::default() });
        let mut ds = deliveries(&["C 2026-10-03", "P 2026-10-26"]);
        ds.extend(ds.clone().into_iter().map(|d| Delivery { afnemer: "R0032".into(), ..d }));
        ds.push(Delivery { soort: "A".into(), afnemer: "G0363".into(), peildatum: date("2020-01-01"), volgnummer: None });
        let v = evaluate(&ds, date("2026-11-20"), &t);
        assert_eq!(v.iter().map(|f| f.afnemer.as_str()).collect::<Vec<_>>(), ["G0687", "R0032"], "an A-levering alone is not watched");
        assert!(!v[0].stale(), "25 days within G0687's 30");
        assert!(v[1].last_p_levering.as_ref().unwrap().too_old && !v[1].stale(), "R0032 is listed but not watched");
    }
}
