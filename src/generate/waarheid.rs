//! The ground truth: the standard figures of `docs/domain-rules.md`, computed
//! from the simulation's own state — each person's life seen through what
//! the deliveries carried of it — and never by reading the files back.
//!
//! This is a second, independent implementation of the rules (Rust here,
//! SQL in `sql/`); the tests hold the two against each other.
//!
//! Knowledge: the lake answers with, per person, the picture of the last
//! delivery that carried the person. So the truth takes, per person, the
//! life as DUO knew it on the peildatum of that delivery (see
//! [`Kennis`]): a late uitschrijving that reached DUO after the person's
//! last delivery is, rightly, not in the truth either.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::beeld::{Beeld, Ins, actief};
use super::datum::{begin_leerplicht, dag, einde_leerplicht, iso, ymd};
use super::wereld::{Leven, Wereld, brin};
use crate::error::{Error, Result};

/// What the truth is asked: figure dates, teljaren, schooljaren, and the
/// days of knowledge (`bekend_op`) for which leerplichttelling and signalen
/// are also given as known then.
#[derive(Debug, Clone)]
pub struct Vraag {
    pub datums: Vec<i32>,
    pub teljaren: Vec<i32>,
    pub schooljaren: Vec<i32>,
    /// (datum, bekend_op) pairs.
    pub eerder: Vec<(i32, i32)>,
    /// The first C-levering's peildatum (every afnemer gets the same ones):
    /// before it the lake's population is incomplete.
    pub gedekt_vanaf: i32,
    /// The last peildatum of any delivery: what the lake knows until.
    pub bekend_tot: i32,
    /// The BRP extracts written beside the deliveries, if any.
    pub brp: Option<BrpVraag>,
    /// DUO's VSV lists written beside the deliveries, if any.
    pub lijsten: Option<LijstVraag>,
}

/// DUO's VSV lists of the generated world (NRSP, NenR) for the first
/// afnemer: of the teljaren whose indicator DUO has set by the horizon.
#[derive(Debug, Clone)]
pub struct LijstVraag {
    pub teljaren: Vec<i32>,
    pub gemeenten: Vec<bool>,
    /// The months of DUO's A-rapportages (first days), in order.
    pub maanden: Vec<i32>,
}

/// A person on one of DUO's monthly rapportages.
#[derive(Debug, Clone, Copy)]
pub struct OpRapportage {
    /// The month reported on (its first day).
    pub maand: i32,
    pub code: &'static str,
    /// DUO's gemeente on T0 and instelling.
    pub gemeente: u16,
    pub instelling: u16,
    /// A05: DUO's startkwalificatie indicator.
    pub indicatie: bool,
    /// A04: the month the uitval was first reported.
    pub sinds: i32,
}

/// The convenantjaar of month `m` (its first day) — the teljaar whose
/// 1 October is the latest on or before it — the month's last day, and the
/// previous month's last day (October: T0).
pub fn maand_dagen(m: i32) -> (i32, i32, i32) {
    let (y, mm, _) = ymd(m);
    let t = if mm < 10 { y - 1 } else { y };
    let einde = if mm == 12 { dag(y + 1, 1, 1) } else { dag(y, mm + 1, 1) } - 1;
    (t, einde, (m - 1).max(dag(t, 10, 1)))
}

/// Why a person is not in the lake's startpopulatie of the teljaar with
/// T0 `t0` (the catalog's `buiten_startpopulatie`).
fn buiten_startpopulatie(beeld: Option<&Beeld>, gedekt: &[bool], t0: i32) -> &'static str {
    match beeld {
        None => "persoon niet in de lake",
        Some(b) if b.woont_op(t0).is_none_or(|g| !gedekt[usize::from(g)]) => "woont op T0 buiten de gedekte gemeenten",
        Some(b) if b.leeftijd(t0) >= 22 => "22 of ouder op T0",
        Some(_) => "geen hoofdinschrijving op T0",
    }
}

/// The rows of `maandrapportage_vergelijking(m)` for a person, every month
/// and rapportage, from DUO's rapportages (`duo`) and the lake's picture.
/// Rows of a rapportage DUO sent nobody on that month are dropped when the
/// truth is written (the catalog compares only rapportages with rows).
pub fn maandrapportage_vergelijking(leven: &Leven, kennis: &Kennis, gedekt: &[bool], maanden: &[i32], duo: &[OpRapportage]) -> Vec<Feit> {
    let beeld = kennis.op(None).map(|k| Beeld::new(leven, k));
    let mut feiten = Vec::new();
    for &m in maanden {
        let (t, einde, vorige) = maand_dagen(m);
        let t0 = dag(t, 10, 1);
        let lake = beeld.as_ref().and_then(|b| {
            let g = b.woont_op(t0).filter(|&g| gedekt[usize::from(g)])?;
            Some((g, stand(b, t, einde, einde)?, stand(b, t, vorige, vorige)?))
        });
        for code in ["A01", "A02", "A04", "A05"] {
            let op = duo.iter().find(|r| r.maand == m && r.code == code);
            let bij_lake = lake.as_ref().is_some_and(|(_, nu, voor)| match code {
                "A05" => true,
                "A04" => nu.vsv,
                "A01" => nu.vsv && !voor.vsv,
                _ => voor.vsv && !nu.vsv,
            });
            let reden = match (&lake, op) {
                (_, None) if bij_lake => Some("niet op de rapportage van DUO"),
                (_, None) => continue,
                (None, Some(_)) => Some(buiten_startpopulatie(beeld.as_ref(), gedekt, t0)),
                (Some((_, nu, _)), Some(r)) => match code {
                    "A05" if r.indicatie && !nu.startkwalificatie => Some("startkwalificatie alleen volgens DUO"),
                    "A05" if !r.indicatie && nu.startkwalificatie => Some("startkwalificatie alleen volgens de lake"),
                    _ if bij_lake => None,
                    "A01" | "A04" if nu.weg => Some("buitenland of overleden aan het eind van de maand"),
                    "A01" | "A04" if nu.in_onderwijs => Some("in onderwijs aan het eind van de maand"),
                    "A01" | "A04" if nu.startkwalificatie => Some("startkwalificatie aan het eind van de maand"),
                    "A01" => Some("volgens de lake al uitgevallen aan het eind van de vorige maand"),
                    _ if nu.vsv => Some("volgens de lake nog uitgevallen aan het eind van de maand"),
                    _ => Some("volgens de lake niet uitgevallen aan het eind van de vorige maand"),
                },
            };
            let (gemeente, instelling) = match (&lake, op) {
                (Some((g, nu, _)), _) => (*g, nu.instelling),
                (None, Some(r)) => (r.gemeente, r.instelling),
                (None, None) => unreachable!("skipped above"),
            };
            let op_rapportage = match (op.is_some(), bij_lake) {
                (true, true) => "beide",
                (true, false) => "alleen_duo",
                _ => "alleen_berekend",
            };
            feiten.push(Feit::Maandrapportage { maand: m, rapportage: code, gemeente, instelling, op_rapportage, reden });
        }
    }
    feiten
}

/// One person on DUO's lists of a teljaar: DUO's gemeente and instelling on
/// T0, and whether DUO counts them as vsv'er.
#[derive(Debug, Clone, Copy)]
pub struct OpLijst {
    pub gemeente: u16,
    pub instelling: u16,
    pub vsv: bool,
}

/// The row of `vsv_vergelijking(t)` for a person (None: in neither
/// startpopulatie), from DUO's lists (`lijst`) and the lake's picture.
pub fn vsv_vergelijking(leven: &Leven, kennis: &Kennis, gedekt: &[bool], t: i32, lijst: Option<OpLijst>) -> Option<Feit> {
    let t0 = dag(t, 10, 1);
    let beeld = kennis.op(None).map(|k| Beeld::new(leven, k));
    let ons = beeld.as_ref().and_then(|b| {
        let g = b.woont_op(t0).filter(|&g| gedekt[usize::from(g)])?;
        vsv_regel(b, t).map(|a| (g, a))
    });
    let duo_vsv = lijst.is_some_and(|l| l.vsv);
    let (in_start, vsv_lake) = (lijst.is_some(), ons.as_ref().is_some_and(|(_, a)| a.vsv));
    let reden = match (&ons, &lijst) {
        (None, None) => return None,
        (None, Some(_)) => Some(buiten_startpopulatie(beeld.as_ref(), gedekt, t0)),
        (Some(_), None) => Some("niet in de lijst van DUO"),
        (Some((_, a)), Some(_)) if duo_vsv && !a.vsv => Some(if a.weg {
            "buitenland of overleden op T1"
        } else if a.in_onderwijs {
            "in onderwijs op T1"
        } else {
            "startkwalificatie uiterlijk 31 december t+1"
        }),
        (Some((_, a)), Some(_)) if a.vsv && !duo_vsv => Some("volgens de lake geen onderwijs op T1 en geen startkwalificatie"),
        _ => None,
    };
    let beide = |a: bool, b: bool, geen: &'static str| match (a, b) {
        (true, true) => "beide",
        (true, false) => "alleen_duo",
        (false, true) => "alleen_berekend",
        (false, false) => geen,
    };
    let (gemeente, instelling) = match (&ons, &lijst) {
        (Some((g, a)), _) => (*g, a.instelling),
        (None, Some(l)) => (l.gemeente, l.instelling),
        (None, None) => unreachable!("returned above"),
    };
    Some(Feit::VsvVergelijking {
        teljaar: t,
        gemeente,
        instelling,
        in_startpopulatie: beide(in_start, ons.is_some(), "geen"),
        vsv: beide(duo_vsv, vsv_lake, "geen"),
        reden,
    })
}

/// The BRP extracts of the generated world: one per gemeente of `gemeenten`
/// (the first afnemer's area), all on `datum`, compared on that day.
#[derive(Debug, Clone)]
pub struct BrpVraag {
    pub datum: i32,
    pub gemeenten: Vec<bool>,
    /// The peildatum of the A-levering that answers the unknown number ONB.
    pub onb_vanaf: Option<i32>,
}

impl Vraag {
    /// vsv's status of teljaar `t` (domain rules, "Coverage").
    pub fn vsv_status(&self, t: i32) -> &'static str {
        if self.gedekt_vanaf > dag(t, 10, 1) {
            "onvolledig"
        } else if self.bekend_tot <= dag(t + 1, 12, 31) {
            "voorlopig"
        } else {
            "definitief"
        }
    }
}

/// The peildata of the deliveries that carried a person.
#[derive(Debug, Clone, Default)]
pub struct Kennis {
    pub peildata: Vec<i32>,
}

impl Kennis {
    /// The day of knowledge of the person's latest picture known on `bekend_op`.
    pub fn op(&self, bekend_op: Option<i32>) -> Option<i32> {
        self.peildata.iter().copied().filter(|&p| bekend_op.is_none_or(|k| p <= k)).max()
    }
}

/// The person's state on a day, per the rules.
#[derive(Debug, Clone)]
pub struct Status {
    pub gemeente: Option<u16>,
    pub leeftijd: i32,
    pub in_leven: bool,
    pub leerplichtig: bool,
    pub kwalificatieplichtig: bool,
    pub ingeschreven: bool,
    pub vrijstelling: bool,
    pub vervangende_leerplicht: bool,
    pub startkwalificatie: bool,
    pub absoluut_verzuim: bool,
    pub nooit_ingeschreven: bool,
    pub sinds: i32,
}

pub fn is_vrijstelling(artikel: &str) -> bool {
    matches!(artikel, "5A" | "5B" | "5C" | "5ATR" | "15")
}

pub fn is_vervangende_leerplicht(artikel: &str) -> bool {
    matches!(artikel, "3A" | "3B")
}

pub fn status_op(b: &Beeld, d: i32) -> Status {
    let geb = b.leven.geboortedatum;
    let in_leven = b.in_leven_op(d);
    let leeftijd = b.leeftijd(d);
    let (begin, einde) = (begin_leerplicht(geb), einde_leerplicht(geb));
    let mut ingeschreven = false;
    let mut nooit_ingeschreven = true;
    let mut laatste_uit: Option<i32> = None;
    for i in b.inschrijvingen() {
        nooit_ingeschreven = false;
        ingeschreven |= i.actief_op(d);
        if let Some(e) = i.einde.filter(|&e| e < d) {
            laatste_uit = laatste_uit.max(Some(e));
        }
    }
    let (mut vrijstelling, mut vervangende_leerplicht) = (false, false);
    for v in b.vrijstellingen().filter(|v| actief(v.begin, v.einde, d)) {
        vrijstelling |= is_vrijstelling(v.artikel);
        vervangende_leerplicht |= is_vervangende_leerplicht(v.artikel);
    }
    let startkwalificatie = b.startkwalificatie_op(d);
    let leerplichtig = in_leven && begin <= d && d <= einde;
    let kwalificatieplichtig = in_leven && d > einde && leeftijd < 18 && !startkwalificatie;
    Status {
        gemeente: b.woont_op(d),
        leeftijd,
        in_leven,
        leerplichtig,
        kwalificatieplichtig,
        ingeschreven,
        vrijstelling,
        vervangende_leerplicht,
        startkwalificatie,
        absoluut_verzuim: (leerplichtig || kwalificatieplichtig) && !ingeschreven && !vrijstelling && !vervangende_leerplicht,
        nooit_ingeschreven,
        sinds: laatste_uit.map_or(begin, |u| (u + 1).max(begin)),
    }
}

pub fn leeftijdsband(leeftijd: i32) -> Option<&'static str> {
    match leeftijd {
        4 => Some("4"),
        5..=11 => Some("5-11"),
        12..=15 => Some("12-15"),
        16..=17 => Some("16-17"),
        18..=22 => Some("18-22"),
        _ => None,
    }
}

/// Among the active, bekostigde inschrijvingen in a counted onderwijssoort:
/// the latest begun, on a tie the lowest volgnummer.
pub fn hoofdinschrijving<'a>(b: &Beeld<'a>, d: i32) -> Option<Ins<'a>> {
    b.inschrijvingen()
        .filter(|i| i.actief_op(d) && i.ins.os.telt_voor_vsv() && i.ins.bekostigd)
        .max_by_key(|i| (i.ins.begin, std::cmp::Reverse(i.ins.volgnummer)))
}

pub fn vsv_categorie(i: &Ins) -> &'static str {
    use super::wereld::Os;
    let leerjaar = i.ins.leerjaar.unwrap_or(0);
    match i.ins.os {
        Os::Vmbo if leerjaar >= 3 => "VO_BB_VMBO",
        Os::Havo | Os::Vwo if leerjaar >= 4 => "VO_BB_HAVOVWO",
        Os::Vmbo | Os::Havo | Os::Vwo => "VO_OB",
        Os::Mbo => match i.ins.niveau {
            Some(1) => "MBO_1",
            Some(2) => "MBO_2",
            _ => "MBO_34",
        },
        _ => "VAVO",
    }
}

/// A member of the VSV start population A of teljaar `t`.
#[derive(Debug, Clone)]
pub struct Deelname {
    pub instelling: u16,
    pub categorie: &'static str,
    /// Nieuwe vsv'er by the rule (not in B, C or D).
    pub vsv: bool,
    /// B: died or abroad on T1.
    pub weg: bool,
    /// C: an inschrijving or vrijstelling on T1.
    pub in_onderwijs: bool,
    /// D: a startkwalificatie on 31 December t+1.
    pub startkwalificatie: bool,
}

/// The rule A − B − C − D for teljaar `t`, without the residence condition
/// (which the regional figure adds and DUO's national indicator does not).
pub fn vsv_regel(b: &Beeld, t: i32) -> Option<Deelname> {
    stand(b, t, dag(t + 1, 10, 1), dag(t + 1, 12, 31))
}

/// A member of the start population A of teljaar `t` and their stand on
/// day `d` (B: died or abroad, C: in education) with a startkwalificatie
/// on day `k` (D): the catalog's `vsv_stand`. `vsv` is "uitgevallen": in
/// none of B, C, D.
pub fn stand(b: &Beeld, t: i32, d: i32, k: i32) -> Option<Deelname> {
    let t0 = dag(t, 10, 1);
    let h = hoofdinschrijving(b, t0)?;
    if b.leeftijd(t0) >= 22 {
        return None;
    }
    let buiten_beeld = b.overlijdensdatum().is_some_and(|o| o <= d) || b.woont_in_buitenland_op(d);
    let nog_op_school =
        b.inschrijvingen().any(|i| i.actief_op(d)) || b.vrijstellingen().any(|v| is_vrijstelling(v.artikel) && actief(v.begin, v.einde, d));
    let startkwalificatie = b.startkwalificatie_op(k);
    Some(Deelname {
        instelling: h.ins.instelling,
        categorie: vsv_categorie(&h),
        vsv: !buiten_beeld && !nog_op_school && !startkwalificatie,
        weg: buiten_beeld,
        in_onderwijs: nog_op_school,
        startkwalificatie,
    })
}

/// One person's contribution to the truth.
#[derive(Debug, Clone)]
pub enum Feit {
    /// Absoluut verzuimer over schooljaar s (the yearly Leerplichttelling).
    Schooljaar {
        schooljaar: i32,
        gemeente: u16,
        onderwijssoort: &'static str,
        eerste: i32,
        laatste: i32,
        /// `duo`, or `brp` for a child DUO does not know.
        herkomst: &'static str,
    },
    /// A row of vsv_vergelijking(teljaar).
    VsvVergelijking {
        teljaar: i32,
        gemeente: u16,
        instelling: u16,
        in_startpopulatie: &'static str,
        vsv: &'static str,
        reden: Option<&'static str>,
    },
    /// A row of maandrapportage_vergelijking(maand).
    Maandrapportage {
        maand: i32,
        rapportage: &'static str,
        gemeente: u16,
        instelling: u16,
        op_rapportage: &'static str,
        reden: Option<&'static str>,
    },
    /// A row of brp_vergelijking on the extract date.
    Brp {
        gemeente: u16,
        categorie: &'static str,
    },
    Telling {
        vraag: usize,
        gemeente: u16,
        band: &'static str,
        s: [bool; 6],
    },
    Signaal {
        vraag: usize,
        gemeente: u16,
        categorie: &'static str,
        sinds: i32,
    },
    Vsv {
        teljaar: i32,
        gemeente: u16,
        instelling: u16,
        categorie: &'static str,
        berekend: bool,
        duo: bool,
    },
    OudVsv {
        datum: i32,
        gemeente: u16,
        leeftijd: i32,
    },
    /// The person's picture carries DUO's own vsv indicator for teljaar t.
    DuoIndicator {
        teljaar: i32,
    },
    Vrijstelling {
        schooljaar: i32,
        gemeente: u16,
        artikel: &'static str,
    },
}

/// The (datum, bekend_op) pairs leerplichttelling and signalen are given for.
pub fn telvragen(v: &Vraag) -> Vec<(i32, Option<i32>)> {
    v.datums.iter().map(|&d| (d, None)).chain(v.eerder.iter().map(|&(d, k)| (d, Some(k)))).collect()
}

/// The facts one person adds, given what the deliveries carried of them and
/// which gemeenten the afnemers cover.
pub fn feiten(leven: &Leven, kennis: &Kennis, vraag: &Vraag, gedekt: &[bool]) -> Vec<Feit> {
    let mut uit = Vec::new();
    let Some(k_alles) = kennis.op(None) else { return uit };
    let gedekt_g = |g: Option<u16>| g.filter(|&g| gedekt[usize::from(g)]);
    // a figure on a day counts a gemeente from its first C-levering on (known then)
    let volledig = |d: i32, bekend_op: Option<i32>| vraag.gedekt_vanaf <= d && bekend_op.is_none_or(|k| vraag.gedekt_vanaf <= k);
    for (n, (d, bekend_op)) in telvragen(vraag).into_iter().enumerate() {
        if !volledig(d, bekend_op) {
            continue;
        }
        let Some(k) = kennis.op(bekend_op) else { continue };
        let b = Beeld::new(leven, k);
        let s = status_op(&b, d);
        let Some(g) = gedekt_g(s.gemeente) else { continue };
        if s.in_leven
            && let Some(band) = leeftijdsband(s.leeftijd)
        {
            let vlag =
                [s.leerplichtig, s.kwalificatieplichtig, s.ingeschreven, s.vrijstelling, s.vervangende_leerplicht, s.absoluut_verzuim];
            uit.push(Feit::Telling { vraag: n, gemeente: g, band, s: vlag });
        }
        if s.absoluut_verzuim {
            let categorie = if s.nooit_ingeschreven { "NOOIT_INGESCHREVEN" } else { "UITGESCHREVEN" };
            uit.push(Feit::Signaal { vraag: n, gemeente: g, categorie, sinds: s.sinds });
        }
    }
    let b = Beeld::new(leven, k_alles);
    for &d in vraag.datums.iter().filter(|&&d| volledig(d, None)) {
        let s = status_op(&b, d);
        if let Some(g) = gedekt_g(s.gemeente)
            && s.in_leven
            && (18..=22).contains(&s.leeftijd)
            && !s.startkwalificatie
            && !s.ingeschreven
            && !s.vrijstelling
        {
            uit.push(Feit::OudVsv { datum: d, gemeente: g, leeftijd: s.leeftijd });
        }
    }
    for &t in &vraag.teljaren {
        if b.vsv().any(|v| v.teldatum == dag(t + 1, 10, 1)) {
            uit.push(Feit::DuoIndicator { teljaar: t });
        }
        let Some(g) = gedekt_g(b.woont_op(dag(t, 10, 1))) else { continue };
        if let Some(a) = vsv_regel(&b, t) {
            let duo = b.vsv().any(|v| v.teldatum == dag(t + 1, 10, 1));
            uit.push(Feit::Vsv { teljaar: t, gemeente: g, instelling: a.instelling, categorie: a.categorie, berekend: a.vsv, duo });
        }
    }
    for &s in &vraag.schooljaren {
        let (begin, volgend) = (dag(s, 8, 1), dag(s + 1, 8, 1));
        let mut gezien: Vec<(u16, &'static str)> = Vec::new();
        for v in b.vrijstellingen() {
            let g = if actief(v.begin, v.einde, begin) {
                b.woont_op(begin)
            } else if v.begin > begin && v.begin < volgend {
                b.woont_op(v.begin)
            } else {
                None
            };
            if let Some(g) = gedekt_g(g)
                && !gezien.contains(&(g, v.artikel))
            {
                gezien.push((g, v.artikel));
            }
        }
        uit.extend(gezien.into_iter().map(|(gemeente, artikel)| Feit::Vrijstelling { schooljaar: s, gemeente, artikel }));
        uit.extend(verzuim_in_schooljaar(&b, s, vraag, gedekt));
    }
    uit
}

/// The yearly Leerplichttelling's rule, day by day — the SQL asks only the
/// days on which something changes; this asks every one, so the two check
/// each other.
fn verzuim_in_schooljaar(b: &Beeld, s: i32, vraag: &Vraag, gedekt: &[bool]) -> Option<Feit> {
    let laatste_dag = dag(s + 1, 7, 31).min(vraag.bekend_tot);
    // per gemeente: the first and last day of verzuim there
    let mut dagen: Vec<(u16, i32, i32)> = Vec::new();
    for d in dag(s, 8, 1)..=laatste_dag {
        let st = status_op(b, d);
        let Some(g) = st.gemeente.filter(|&g| gedekt[usize::from(g)] && vraag.gedekt_vanaf <= d) else { continue };
        if st.absoluut_verzuim && (5..=17).contains(&st.leeftijd) {
            match dagen.iter_mut().find(|(x, _, _)| *x == g) {
                Some(e) => e.2 = d,
                None => dagen.push((g, d, d)),
            }
        }
    }
    let einde = status_op(b, laatste_dag);
    if !einde.in_leven || einde.startkwalificatie {
        return None;
    }
    let (gemeente, eerste, laatste) = dagen.into_iter().find(|(g, _, _)| Some(*g) == einde.gemeente)?;
    let gevolgd = b.inschrijvingen().filter_map(|i| i.einde.filter(|&e| e <= laatste).map(|e| ((e, i.ins.begin), i.ins.os.code()))).max();
    let onderwijssoort = match gevolgd.map(|(_, os)| os) {
        None => "geen onderwijs",
        Some("PO" | "SBO") => "po",
        Some("SO" | "VSO") => "so/vso",
        Some("PRO" | "VMBO" | "HAVO" | "VWO" | "VAVO") => "vo",
        Some("MBO") => "mbo",
        Some(_) => "onbekend",
    };
    Some(Feit::Schooljaar { schooljaar: s, gemeente, onderwijssoort, eerste, laatste, herkomst: "duo" })
}

/// The comparison of a person of the simulation with the BRP on its date:
/// `in_brp` is the gemeente whose extract holds them (None: in none).
/// A person the lake knows is compared with the lake's latest picture; one
/// it does not know is a child DUO does not know ([`brp_alleen`]).
pub fn brp_feiten(leven: &Leven, kennis: &Kennis, vraag: &Vraag, gedekt: &[bool], in_brp: Option<u16>) -> Vec<Feit> {
    let Some(brp) = &vraag.brp else { return Vec::new() };
    let e = brp.datum;
    if vraag.gedekt_vanaf > e {
        return Vec::new();
    }
    let Some(k) = kennis.op(None) else {
        return match in_brp {
            Some(g) => brp_alleen(leven.geboortedatum, g, false, vraag, gedekt, |bekend_op| kennis.op(bekend_op).is_some()),
            None => Vec::new(),
        };
    };
    let mut uit = Vec::new();
    let s = status_op(&Beeld::new(leven, k), e);
    if let Some(g) = in_brp.filter(|&g| gedekt[usize::from(g)])
        && (5..=17).contains(&super::datum::leeftijd(leven.geboortedatum, e))
    {
        if s.gemeente != Some(g) {
            uit.push(Feit::Brp { gemeente: g, categorie: "WOONT_ELDERS_VOLGENS_DUO" });
        } else if !(s.ingeschreven || s.vrijstelling || s.vervangende_leerplicht) {
            uit.push(Feit::Brp { gemeente: g, categorie: "NIET_INGESCHREVEN" });
        }
    }
    if let Some(g) = s.gemeente.filter(|&g| brp.gemeenten[usize::from(g)] && gedekt[usize::from(g)])
        && s.in_leven
        && (5..=17).contains(&s.leeftijd)
        && in_brp != Some(g)
    {
        uit.push(Feit::Brp { gemeente: g, categorie: "NIET_IN_BRP" });
    }
    uit
}

/// The facts of a child in gemeente `g`'s extract whom no delivery shows
/// (`in_lake(bekend_op)` false): in brp_vergelijking when 5–17 on the
/// extract date; a signal on every figure day from the extract date on while
/// leerplichtig by age; an absoluut verzuimer of each schooljaar with such
/// a day. `onb`: an A-levering answers the number ONB.
pub fn brp_alleen(
    geboortedatum: i32,
    g: u16,
    onb: bool,
    vraag: &Vraag,
    gedekt: &[bool],
    in_lake: impl Fn(Option<i32>) -> bool,
) -> Vec<Feit> {
    let mut uit = Vec::new();
    let Some(brp) = &vraag.brp else { return uit };
    let e = brp.datum;
    if !gedekt[usize::from(g)] || vraag.gedekt_vanaf > e {
        return uit;
    }
    let onb_op = |bekend_op: Option<i32>| onb && brp.onb_vanaf.is_some_and(|a| bekend_op.is_none_or(|k| a <= k));
    let categorie = |bekend_op: Option<i32>| if onb_op(bekend_op) { "ONBEKEND_BIJ_DUO" } else { "NIET_BIJ_DUO" };
    let plichtig = |d: i32| begin_leerplicht(geboortedatum) <= d && d < super::datum::verjaardag(geboortedatum, 18);
    if !in_lake(None) && (5..=17).contains(&super::datum::leeftijd(geboortedatum, e)) {
        uit.push(Feit::Brp { gemeente: g, categorie: categorie(None) });
    }
    for (n, (d, bekend_op)) in telvragen(vraag).into_iter().enumerate() {
        let volledig = vraag.gedekt_vanaf <= d && bekend_op.is_none_or(|k| vraag.gedekt_vanaf <= k);
        if volledig && d >= e && plichtig(d) && !in_lake(bekend_op) {
            let sinds = e.max(begin_leerplicht(geboortedatum));
            uit.push(Feit::Signaal { vraag: n, gemeente: g, categorie: categorie(bekend_op), sinds });
        }
    }
    if in_lake(None) {
        return uit;
    }
    for &s in &vraag.schooljaren {
        let laatste = dag(s + 1, 7, 31).min(vraag.bekend_tot);
        let eerste = dag(s, 8, 1).max(e).max(vraag.gedekt_vanaf).max(begin_leerplicht(geboortedatum));
        let tot = laatste.min(super::datum::verjaardag(geboortedatum, 18) - 1);
        if eerste <= tot {
            uit.push(Feit::Schooljaar {
                schooljaar: s,
                gemeente: g,
                onderwijssoort: "geen onderwijs",
                eerste,
                laatste: tot,
                herkomst: "brp",
            });
        }
    }
    uit
}

/// One absoluut verzuimer of a schooljaar: pgn, bsn, gemeente,
/// onderwijssoort, first and last day of verzuim, herkomst.
type Verzuimer = (String, Option<String>, u16, &'static str, i32, i32, &'static str);

/// The truth, aggregated over all persons.
#[derive(Debug, Default)]
pub struct Waarheid {
    telling: BTreeMap<(usize, u16, &'static str), [u64; 7]>,
    signalen: BTreeMap<usize, Vec<(String, u16, &'static str, i32)>>,
    vsv: BTreeMap<(i32, u16, u16, &'static str), [u64; 3]>,
    verschillen: BTreeMap<i32, Vec<(String, bool, bool)>>,
    oud_vsv: BTreeMap<(i32, u16, i32), u64>,
    vrijstellingen: BTreeMap<(i32, u16, &'static str), u64>,
    /// Per schooljaar, the absoluut verzuimers.
    schooljaar: BTreeMap<i32, Vec<Verzuimer>>,
    /// brp_vergelijking on the extract date: bsn, pgn, gemeente, categorie.
    brp: Vec<(String, String, u16, &'static str)>,
    /// vsv_vergelijking per teljaar: the CSV rows.
    vsv_vergelijking: BTreeMap<i32, Vec<(String, String)>>,
    /// maandrapportage_vergelijking per month: rapportage, pgn, gemeente, the rest of the CSV row.
    maandrapportage: BTreeMap<i32, Vec<(&'static str, String, u16, String)>>,
    afwijkingen: Vec<(i32, String, bool, bool)>,
    /// Teljaren for which some picture carries DUO's indicator.
    duo_beschikbaar: std::collections::BTreeSet<i32>,
}

impl Waarheid {
    /// The facts of one person (`bsn`: the pgn when it is a BSN).
    pub fn neem(&mut self, pgn: &str, bsn: Option<&str>, feiten: Vec<Feit>) {
        for f in feiten {
            match f {
                Feit::Schooljaar { schooljaar, gemeente, onderwijssoort, eerste, laatste, herkomst } => self
                    .schooljaar
                    .entry(schooljaar)
                    .or_default()
                    .push((pgn.to_string(), bsn.map(str::to_string), gemeente, onderwijssoort, eerste, laatste, herkomst)),
                Feit::VsvVergelijking { teljaar, gemeente, instelling, in_startpopulatie, vsv, reden } => self
                    .vsv_vergelijking
                    .entry(teljaar)
                    .or_default()
                    .push((pgn.to_string(), format!("{gemeente},{},{in_startpopulatie},{vsv},{}", brin(instelling), reden.unwrap_or("")))),
                Feit::Maandrapportage { maand, rapportage, gemeente, instelling, op_rapportage, reden } => self
                    .maandrapportage
                    .entry(maand)
                    .or_default()
                    .push((rapportage, pgn.to_string(), gemeente, format!("{},{op_rapportage},{}", brin(instelling), reden.unwrap_or("")))),
                Feit::Brp { gemeente, categorie } => {
                    // a child DUO does not know has no pgn in the lake
                    let pgn = if matches!(categorie, "NIET_BIJ_DUO" | "ONBEKEND_BIJ_DUO") { "" } else { pgn };
                    self.brp.push((bsn.unwrap_or_default().to_string(), pgn.to_string(), gemeente, categorie))
                }
                Feit::Telling { vraag, gemeente, band, s } => {
                    let t = self.telling.entry((vraag, gemeente, band)).or_default();
                    t[0] += 1;
                    for (i, v) in s.iter().enumerate() {
                        t[i + 1] += u64::from(*v);
                    }
                }
                Feit::Signaal { vraag, gemeente, categorie, sinds } => {
                    self.signalen.entry(vraag).or_default().push((pgn.to_string(), gemeente, categorie, sinds))
                }
                Feit::Vsv { teljaar, gemeente, instelling, categorie, berekend, duo } => {
                    let t = self.vsv.entry((teljaar, gemeente, instelling, categorie)).or_default();
                    t[0] += 1;
                    t[1] += u64::from(berekend);
                    t[2] += u64::from(duo);
                    if berekend != duo {
                        self.verschillen.entry(teljaar).or_default().push((pgn.to_string(), berekend, duo));
                    }
                }
                Feit::OudVsv { datum, gemeente, leeftijd } => *self.oud_vsv.entry((datum, gemeente, leeftijd)).or_default() += 1,
                Feit::DuoIndicator { teljaar } => {
                    self.duo_beschikbaar.insert(teljaar);
                }
                Feit::Vrijstelling { schooljaar, gemeente, artikel } => {
                    *self.vrijstellingen.entry((schooljaar, gemeente, artikel)).or_default() += 1
                }
            }
        }
    }

    pub fn afwijking(&mut self, teljaar: i32, pgn: &str, regel: bool, geleverd: bool) {
        self.afwijkingen.push((teljaar, pgn.to_string(), regel, geleverd));
    }

    /// Writes one CSV per figure and parameter into `dir`, and `index.csv`
    /// naming them. Returns the files written.
    // Long: one truth file per question, each written alike.
    pub fn write(&self, dir: &Path, vraag: &Vraag, w: &Wereld) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let gem = |g: u16| &w.gemeenten[usize::from(g)];
        let mut index = vec!["figuur,parameter,bekend_op,bestand".to_string()];
        let mut files = Vec::new();
        let mut schrijf =
            |naam: String, figuur: &str, parameter: String, bekend_op: Option<i32>, kop: &str, rijen: Vec<String>| -> Result<()> {
                let path = dir.join(&naam);
                let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?);
                let mut body = String::with_capacity(64 * (rijen.len() + 1));
                body.push_str(kop);
                body.push('\n');
                for r in rijen {
                    body.push_str(&r);
                    body.push('\n');
                }
                f.write_all(body.as_bytes()).and_then(|_| f.flush()).map_err(|e| Error::io(&path, e))?;
                index.push(format!("{figuur},{parameter},{},{naam}", bekend_op.map(iso).unwrap_or_default()));
                files.push(path);
                Ok(())
            };
        for (n, (d, bekend_op)) in telvragen(vraag).into_iter().enumerate() {
            let achter = bekend_op.map(|k| format!("_bekend_op_{}", iso(k))).unwrap_or_default();
            let rijen = self
                .telling
                .range((n, 0, "")..(n + 1, 0, ""))
                .map(|((_, g, band), t)| {
                    let g = gem(*g);
                    format!("{},{},{band},{},{},{},{},{},{},{}", g.code, g.regiocode, t[0], t[1], t[2], t[3], t[4], t[5], t[6])
                })
                .collect();
            schrijf(
                format!("leerplichttelling_{}{achter}.csv", iso(d)),
                "leerplichttelling",
                iso(d),
                bekend_op,
                "gemeentecode,regiocode,leeftijdsband,personen,leerplichtig,kwalificatieplichtig,ingeschreven,vrijstelling,vervangende_leerplicht,absoluut_verzuim",
                rijen,
            )?;
            let mut sig = self.signalen.get(&n).cloned().unwrap_or_default();
            sig.sort_by(|a, b| (gem(a.1).code.as_str(), a.3, &a.0).cmp(&(gem(b.1).code.as_str(), b.3, &b.0)));
            let rijen = sig.iter().map(|(pgn, g, c, s)| format!("{pgn},{},{c},{}", gem(*g).code, iso(*s))).collect();
            schrijf(
                format!("absoluut_verzuim_signalen_{}{achter}.csv", iso(d)),
                "absoluut_verzuim_signalen",
                iso(d),
                bekend_op,
                "pgn,gemeentecode,categorie,sinds",
                rijen,
            )?;
        }
        for &d in &vraag.datums {
            let rijen = self.oud_vsv.range((d, 0, 0)..(d + 1, 0, 0)).map(|((_, g, l), n)| format!("{},{l},{n}", gem(*g).code)).collect();
            schrijf(format!("oud_vsv_{}.csv", iso(d)), "oud_vsv", iso(d), None, "gemeentecode,leeftijd,personen", rijen)?;
        }
        for &t in &vraag.teljaren {
            // DUO's count where its indicator for the teljaar is in the lake, else "not available"
            let duo = self.duo_beschikbaar.contains(&t);
            let status = vraag.vsv_status(t);
            let mut rijen: Vec<(String, String)> = self
                .vsv
                .range((t, 0, 0, "")..(t + 1, 0, 0, ""))
                .map(|((_, g, i, c), n)| {
                    let g = gem(*g);
                    // percentage rounded half away from zero, as DuckDB's round does
                    let honderdsten = (20_000 * n[1] + n[0]) / (2 * n[0]);
                    let key = format!("{},{},{},{c}", g.regiocode, g.code, brin(*i));
                    let vsv_duo = if duo { n[2].to_string() } else { String::new() };
                    (key.clone(), format!("{key},{},{},{vsv_duo},{}.{:02},{status}", n[0], n[1], honderdsten / 100, honderdsten % 100))
                })
                .collect();
            rijen.sort();
            schrijf(
                format!("vsv_{t}.csv"),
                "vsv",
                t.to_string(),
                None,
                "regiocode,gemeentecode,instellingscode,categorie,deelnemers,vsv,vsv_duo,percentage,status",
                rijen.into_iter().map(|(_, r)| r).collect(),
            )?;
            let mut v = if duo { self.verschillen.get(&t).cloned().unwrap_or_default() } else { Vec::new() };
            v.sort();
            let rijen = v.iter().map(|(p, b, d)| format!("{p},{b},{d}")).collect();
            schrijf(format!("vsv_verschillen_{t}.csv"), "vsv_verschillen", t.to_string(), None, "pgn,berekend,duo", rijen)?;
        }
        for &s in &vraag.schooljaren {
            let mut rijen: Vec<String> =
                self.vrijstellingen.range((s, 0, "")..(s + 1, 0, "")).map(|((_, g, a), n)| format!("{},{a},{n}", gem(*g).code)).collect();
            rijen.sort();
            schrijf(format!("vrijstellingen_{s}.csv"), "vrijstellingen", s.to_string(), None, "gemeentecode,artikel,personen", rijen)?;
            let mut rijen: Vec<String> = self
                .schooljaar
                .get(&s)
                .into_iter()
                .flatten()
                .map(|(pgn, bsn, g, os, e, l, herkomst)| {
                    format!("{pgn},{},{},{os},{},{},{herkomst}", bsn.as_deref().unwrap_or(""), gem(*g).code, iso(*e), iso(*l))
                })
                .collect();
            rijen.sort();
            schrijf(
                format!("absoluut_verzuim_schooljaar_{s}.csv"),
                "absoluut_verzuim_schooljaar",
                s.to_string(),
                None,
                "pgn,bsn,gemeentecode,onderwijssoort,eerste_dag,laatste_dag,herkomst",
                rijen,
            )?;
        }
        if let Some(brp) = &vraag.brp {
            let mut rijen: Vec<(&str, &str, &str, &str)> =
                self.brp.iter().map(|(bsn, pgn, g, c)| (gem(*g).code.as_str(), *c, bsn.as_str(), pgn.as_str())).collect();
            rijen.sort();
            schrijf(
                format!("brp_vergelijking_{}.csv", iso(brp.datum)),
                "brp_vergelijking",
                iso(brp.datum),
                None,
                "bsn,pgn,gemeentecode,categorie,extractdatum",
                rijen.into_iter().map(|(g, c, bsn, pgn)| format!("{bsn},{pgn},{g},{c},{}", iso(brp.datum))).collect(),
            )?;
        }
        if let Some(l) = &vraag.lijsten {
            for &t in &l.teljaren {
                let mut rijen: Vec<String> = self
                    .vsv_vergelijking
                    .get(&t)
                    .into_iter()
                    .flatten()
                    .map(|(pgn, rest)| {
                        // the gemeente as its code
                        let (g, rest) = rest.split_once(',').expect("gemeente first");
                        format!("{pgn},{},{rest}", gem(g.parse().expect("a gemeente index")).code)
                    })
                    .collect();
                rijen.sort();
                schrijf(
                    format!("vsv_vergelijking_{t}.csv"),
                    "vsv_vergelijking",
                    t.to_string(),
                    None,
                    "pgn,gemeentecode,instellingscode,in_startpopulatie,vsv,reden",
                    rijen,
                )?;
            }
        }
        if let Some(l) = &vraag.lijsten {
            for &m in &l.maanden {
                let rijen = self.maandrapportage.get(&m).map(Vec::as_slice).unwrap_or_default();
                // the catalog compares a rapportage of a month only when DUO sent some row of it
                let gestuurd: std::collections::BTreeSet<&str> =
                    rijen.iter().filter(|(_, _, _, rest)| !rest.contains(",alleen_berekend,")).map(|(r, _, _, _)| *r).collect();
                let mut regels: Vec<String> = rijen
                    .iter()
                    .filter(|(r, _, _, _)| gestuurd.contains(r))
                    .map(|(r, pgn, g, rest)| format!("{r},{},{pgn},{},{rest}", iso(m), gem(*g).code))
                    .collect();
                regels.sort();
                schrijf(
                    format!("maandrapportage_vergelijking_{}.csv", iso(m)),
                    "maandrapportage_vergelijking",
                    iso(m),
                    None,
                    "rapportage,maand,pgn,gemeentecode,instellingscode,op_rapportage,reden",
                    regels,
                )?;
            }
        }
        let mut afw = self.afwijkingen.clone();
        afw.sort();
        let path = dir.join("duo_vsv_afwijkend.csv");
        let body: String = std::iter::once("teljaar,pgn,regel,geleverd".to_string())
            .chain(afw.iter().map(|(t, p, r, g)| format!("{t},{p},{r},{g}")))
            .map(|l| l + "\n")
            .collect();
        std::fs::write(&path, body).map_err(|e| Error::io(&path, e))?;
        files.push(path);
        let path = dir.join("index.csv");
        std::fs::write(&path, index.join("\n") + "\n").map_err(|e| Error::io(&path, e))?;
        files.push(path);
        Ok(files)
    }
}
