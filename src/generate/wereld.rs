//! The simulated world: young people living, moving, going to school,
//! leaving it, obtaining diplomas, getting vrijstellingen, emigrating and
//! dying, day by day over 24 years, and when DUO learns of each of it.
//!
//! Every fact carries the day DUO registered it. Most facts are registered
//! on the day they happen; an uitschrijving often reaches DUO weeks late, an
//! inschrijving is sometimes deleted as a mistake, a diploma sometimes
//! revoked. [`crate::generate::beeld`] turns a life and a day of knowledge
//! into what DUO would deliver on that day.
//!
//! A life depends only on (seed, person number) and the world, never on
//! other persons: persons are simulated in parallel, in any order.

use super::datum::{begin_leerplicht, dag, einde_leerplicht, jaar, leeftijd, verjaardag, ymd};
use super::rng::Rng;
use crate::reference::RegioIndeling;

/// A gemeente of the shipped regio table.
#[derive(Debug, Clone)]
pub struct Gemeente {
    pub code: String,
    pub naam: String,
    pub regiocode: String,
    /// Index of its regio in [`Wereld::regiocodes`].
    pub regio: u16,
}

/// The gemeenten people live in and the period simulated.
#[derive(Debug, Clone)]
pub struct Wereld {
    pub gemeenten: Vec<Gemeente>,
    pub regiocodes: Vec<String>,
    /// Where people are born: the gemeenten the afnemers cover.
    pub geboortegemeenten: Vec<u16>,
    per_regio: Vec<Vec<u16>>,
    /// Nothing after this day is simulated (the last delivery's peildatum).
    pub horizon: i32,
    /// The first day a delivery covers.
    pub van: i32,
}

impl Wereld {
    pub fn new(indeling: &RegioIndeling, geboortegemeenten: &[String], van: i32, horizon: i32) -> Wereld {
        let regiocodes: Vec<String> = {
            let mut r: Vec<String> = indeling.values().map(|g| g.regiocode.clone()).collect();
            r.sort();
            r.dedup();
            r
        };
        let gemeenten: Vec<Gemeente> = indeling
            .iter()
            .map(|(code, r)| Gemeente {
                code: code.clone(),
                naam: r.gemeentenaam.clone(),
                regiocode: r.regiocode.clone(),
                regio: regiocodes.iter().position(|c| *c == r.regiocode).expect("listed") as u16,
            })
            .collect();
        let mut per_regio = vec![Vec::new(); regiocodes.len()];
        for (i, g) in gemeenten.iter().enumerate() {
            per_regio[usize::from(g.regio)].push(i as u16);
        }
        let geboortegemeenten =
            gemeenten.iter().enumerate().filter(|(_, g)| geboortegemeenten.contains(&g.code)).map(|(i, _)| i as u16).collect();
        Wereld { gemeenten, regiocodes, geboortegemeenten, per_regio, horizon, van }
    }

    pub fn regio_gemeenten(&self, regiocode: &str) -> &[u16] {
        self.regiocodes.iter().position(|c| c == regiocode).map(|i| self.per_regio[i].as_slice()).unwrap_or(&[])
    }
}

/// Onderwijssoort (code list OS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Po,
    Sbo,
    So,
    Vso,
    Pro,
    Vmbo,
    Havo,
    Vwo,
    Vavo,
    Mbo,
    Ho,
    Nbo,
}

impl Os {
    pub fn code(self) -> &'static str {
        match self {
            Os::Po => "PO",
            Os::Sbo => "SBO",
            Os::So => "SO",
            Os::Vso => "VSO",
            Os::Pro => "PRO",
            Os::Vmbo => "VMBO",
            Os::Havo => "HAVO",
            Os::Vwo => "VWO",
            Os::Vavo => "VAVO",
            Os::Mbo => "MBO",
            Os::Ho => "HO",
            Os::Nbo => "NBO",
        }
    }

    /// Counted for the VSV start population.
    pub fn telt_voor_vsv(self) -> bool {
        matches!(self, Os::Vmbo | Os::Havo | Os::Vwo | Os::Mbo | Os::Vavo)
    }
}

#[derive(Debug, Clone)]
pub struct Verblijf {
    /// `None` abroad.
    pub gemeente: Option<u16>,
    pub postcode: Option<[u8; 6]>,
    pub huisnummer: u16,
    pub toevoeging: &'static str,
    pub landcode: &'static str,
    pub aanvang: i32,
    /// Last day; known to DUO from the next verblijf's aanvang.
    pub einde: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct Inschrijving {
    pub volgnummer: u32,
    pub instelling: u16,
    pub os: Os,
    pub opleiding: u32,
    pub leerweg: Option<&'static str>,
    pub niveau: Option<u8>,
    pub leerjaar: Option<u8>,
    pub begin: i32,
    pub einde: Option<i32>,
    pub reden: Option<&'static str>,
    pub bekostigd: bool,
    /// The day DUO registered the uitschrijving (≥ einde).
    pub einde_bekend: i32,
    /// The day the inschrijving was deleted as a mistake.
    pub verwijderd: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct Resultaat {
    pub instelling: u16,
    pub os: Os,
    pub opleiding: u32,
    pub niveau: Option<u8>,
    pub soort: &'static str,
    pub datum: i32,
    pub startkwalificatie: bool,
    pub ingetrokken: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct Vrijstelling {
    pub artikel: &'static str,
    pub begin: i32,
    pub einde: Option<i32>,
}

/// DUO's own vsv indicator for one teldatum, registered on `bekend`.
#[derive(Debug, Clone)]
pub struct VsvIndicatie {
    pub teldatum: i32,
    pub instelling: u16,
    pub categorie: &'static str,
    pub bekend: i32,
}

/// A person on whom DUO's indicator deliberately disagrees with the rule.
#[derive(Debug, Clone)]
pub struct Afwijking {
    pub teljaar: i32,
    pub regel: bool,
    pub geleverd: bool,
}

#[derive(Debug, Clone)]
pub struct Leven {
    pub id: u64,
    pub pgn: String,
    /// The pgn is a BSN (else an onderwijsnummer only).
    pub heeft_bsn: bool,
    pub geboortedatum: i32,
    pub geslacht: &'static str,
    pub voornamen: &'static str,
    pub voorvoegsel: &'static str,
    pub achternaam: &'static str,
    pub overlijden: Option<i32>,
    pub verblijven: Vec<Verblijf>,
    pub inschrijvingen: Vec<Inschrijving>,
    pub resultaten: Vec<Resultaat>,
    pub vrijstellingen: Vec<Vrijstelling>,
    pub vsv: Vec<VsvIndicatie>,
    pub afwijkingen: Vec<Afwijking>,
}

/// BRIN-like instellingscode for an instelling number: two digits, two letters.
pub fn brin(n: u16) -> String {
    let n = u32::from(n);
    let l = |i: u32| char::from(b'A' + (i % 26) as u8);
    format!("{:02}{}{}", n % 100, l(n / 100), l(n / 2600))
}

// Instelling numbers: 8 per gemeente, then one ROC per regio, then HO.
const PO_SCHOLEN: u16 = 3;
fn po_school(g: u16, rng: &mut Rng) -> u16 {
    g * 8 + rng.below(u64::from(PO_SCHOLEN)) as u16
}
fn sbo_school(g: u16) -> u16 {
    g * 8 + 3
}
fn vo_school(g: u16, rng: &mut Rng) -> u16 {
    g * 8 + 4 + rng.below(2) as u16
}
fn vso_pro_school(g: u16) -> u16 {
    g * 8 + 6
}
fn nbo_school(g: u16) -> u16 {
    g * 8 + 7
}
fn roc(regio: u16) -> u16 {
    5000 + regio
}
fn hogeschool(rng: &mut Rng) -> u16 {
    6000 + rng.below(12) as u16
}

/// Person numbers that pass the 11-proef: the 8-digit prefix 2·n or 2·n+1
/// (one of two neighbours always has a valid check digit), so that numbers
/// are unique per person and BSNs and onderwijsnummers never collide.
pub fn elfproef_nummer(basis: u64, n: u64, rest: i64) -> String {
    for prefix in [basis + 2 * n, basis + 2 * n + 1] {
        let p = format!("{prefix:08}");
        let s: i64 = p.bytes().zip((2..=9).rev()).map(|(c, w)| i64::from(c - b'0') * w).sum();
        let last = (s - rest).rem_euclid(11);
        if last < 10 {
            return format!("{p}{last}");
        }
    }
    unreachable!("two neighbouring prefixes cannot both need check digit 10")
}

pub const BSN_BASIS: u64 = 10_000_000;
pub const ONDERWIJSNUMMER_BASIS: u64 = 60_000_000;

const VOORNAMEN_M: &[&str] = &[
    "Daan",
    "Sem",
    "Lucas",
    "Milan",
    "Levi",
    "Noah",
    "Mohammed",
    "Bram",
    "Thijs",
    "Jesse",
    "Tim",
    "Kevin",
    "Sven",
    "Ruben",
    "Émile",
    "François",
    "Björn",
    "Søren",
    "Mehmet",
    "Yusuf",
    "Çağan",
    "Ömer",
    "Jiří",
    "Luuk",
    "Finn",
];
const VOORNAMEN_V: &[&str] = &[
    "Emma", "Julia", "Sophie", "Zoë", "Lotte", "Noor", "Saar", "Anna", "Fenna", "Tess", "Chloë", "Anaïs", "Şeyma", "Işıl", "Aylin",
    "Fatima", "Inès", "Maëlle", "Linh", "Sanne", "Eva", "Mila", "Nora", "Hüsna", "Renée",
];
const ACHTERNAMEN: &[(&str, &str)] = &[
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Yılmaz"),
    ("", "Öztürk"),
    ("", "Nguyễn"),
    ("", "Şahin"),
    ("", "Kaya"),
    ("El", "Amrani"),
    ("", "Bouzid"),
    ("", "Müller"),
    ("", "Cavaljé"),
    ("van der", "Heijden"),
    ("", "Çelik"),
    ("", "Kovačević"),
    ("", "Ødegaard"),
];
const LANDEN: &[&str] = &["5010", "6029", "5039", "6039", "7050", "5049"];

impl Leven {
    pub fn simulate(w: &Wereld, seed: u64, id: u64) -> Leven {
        let mut rng = Rng::new(seed, id);
        // Born so that everyone is between 3 and 27 years old during the period.
        let eerste = dag(jaar(w.van) - 24, 1, 1);
        let laatste = w.horizon - 3 * 365;
        let geboortedatum = rng.between(eerste, laatste);
        let heeft_bsn = !rng.chance(0.03);
        let pgn = if heeft_bsn { elfproef_nummer(BSN_BASIS, id, 0) } else { elfproef_nummer(ONDERWIJSNUMMER_BASIS, id, 5) };
        let geslacht = if rng.chance(0.002) {
            "O"
        } else if rng.chance(0.5) {
            "M"
        } else {
            "V"
        };
        let voornamen = if geslacht == "M" { *rng.pick(VOORNAMEN_M) } else { *rng.pick(VOORNAMEN_V) };
        let (voorvoegsel, achternaam) = *rng.pick(ACHTERNAMEN);
        let mut leven = Leven {
            id,
            pgn,
            heeft_bsn,
            geboortedatum,
            geslacht,
            voornamen,
            voorvoegsel,
            achternaam,
            overlijden: None,
            verblijven: Vec::new(),
            inschrijvingen: Vec::new(),
            resultaten: Vec::new(),
            vrijstellingen: Vec::new(),
            vsv: Vec::new(),
            afwijkingen: Vec::new(),
        };
        leven.woon(w, &mut rng);
        Loopbaan { leven: &mut leven, w, rng: &mut rng }.doorloop();
        leven.knip_af();
        leven.registreer(&mut rng);
        leven
    }

    /// Residence from birth: moves inside the gemeente, to another gemeente
    /// (mostly in the same regio), emigration with a possible return; death.
    fn woon(&mut self, w: &Wereld, rng: &mut Rng) {
        let mut gemeente = *rng.pick(&w.geboortegemeenten);
        let adres = |g: Option<u16>, rng: &mut Rng, aanvang: i32| -> Verblijf {
            let postcode = g.map(|g| {
                let cijfers = 1000 + (u32::from(g) * 26 + rng.below(20) as u32) % 9000;
                let l = |rng: &mut Rng| b'A' + rng.below(26) as u8;
                let c = format!("{cijfers:04}");
                let b = c.as_bytes();
                [b[0], b[1], b[2], b[3], l(rng), l(rng)]
            });
            Verblijf {
                gemeente: g,
                postcode,
                huisnummer: if g.is_some() { 1 + rng.below(250) as u16 } else { 0 },
                toevoeging: if g.is_some() && rng.chance(0.1) { rng.pick_copy(&["A", "B", "2", "bis", "hs"]) } else { "" },
                landcode: if g.is_some() { "6030" } else { rng.pick_copy(LANDEN) },
                aanvang,
                einde: None,
            }
        };
        self.verblijven.push(adres(Some(gemeente), rng, self.geboortedatum));
        let mut in_buitenland = false;
        let (mut j, eind) = (jaar(self.geboortedatum), jaar(w.horizon));
        while j <= eind {
            let dag_in_jaar = |rng: &mut Rng| dag(j, 1, 1) + rng.between(0, 364);
            let vorige = self.verblijven.last().expect("born somewhere").aanvang;
            let d = dag_in_jaar(rng).max(vorige + 30);
            if d > w.horizon {
                break;
            }
            if rng.chance(0.001) {
                self.overlijden = Some(d);
                break;
            }
            let nieuw = if in_buitenland {
                rng.chance(0.3).then(|| {
                    in_buitenland = false;
                    Some(gemeente)
                })
            } else if rng.chance(0.07) {
                Some(Some(gemeente))
            } else if rng.chance(0.03) {
                let eigen = w.regio_gemeenten(&w.gemeenten[usize::from(gemeente)].regiocode);
                gemeente = if rng.chance(0.7) && eigen.len() > 1 { *rng.pick(eigen) } else { rng.below(w.gemeenten.len() as u64) as u16 };
                Some(Some(gemeente))
            } else if rng.chance(0.003) {
                in_buitenland = true;
                Some(None)
            } else {
                None
            };
            if let Some(g) = nieuw {
                self.verblijven.last_mut().expect("one").einde = Some(d - 1);
                self.verblijven.push(adres(g, rng, d));
            }
            j += 1;
        }
    }

    /// Where the person lives in the Netherlands on `d` (the last gemeente
    /// before `d` while abroad): schools are chosen near home.
    fn thuis(&self, d: i32) -> u16 {
        self.verblijven
            .iter()
            .filter(|v| v.aanvang <= d)
            .filter_map(|v| v.gemeente)
            .next_back()
            .or_else(|| self.verblijven.iter().find_map(|v| v.gemeente))
            .expect("born in a gemeente")
    }

    /// Abroad and death end what was running: an inschrijving active on the
    /// day of emigration ends the day before (reden 04), one active at death
    /// ends on that day (reden 05); nothing starts while abroad or after death.
    fn knip_af(&mut self) {
        let mut weg: Vec<(i32, Option<i32>, &'static str)> =
            self.verblijven.iter().filter(|v| v.gemeente.is_none()).map(|v| (v.aanvang, v.einde.map(|e| e + 1), "04")).collect();
        if let Some(o) = self.overlijden {
            weg.push((o + 1, None, "05"));
        }
        for (start, terug, reden) in weg {
            let binnen = |d: i32| d >= start && terug.is_none_or(|t| d < t);
            self.inschrijvingen.retain(|i| !binnen(i.begin));
            for i in &mut self.inschrijvingen {
                if i.begin < start && i.einde.is_none_or(|e| e >= start) {
                    i.einde = Some(start - 1);
                    i.reden = Some(reden);
                }
            }
            self.resultaten.retain(|r| !binnen(r.datum));
            self.vrijstellingen.retain(|v| !binnen(v.begin));
            for v in &mut self.vrijstellingen {
                if v.begin < start && v.einde.is_none_or(|e| e >= start) {
                    v.einde = Some(start - 1);
                }
            }
        }
    }

    /// When DUO learns of things: late uitschrijvingen, a deleted
    /// inschrijving, a revoked diploma; volgnummers in order of inschrijving.
    fn registreer(&mut self, rng: &mut Rng) {
        self.inschrijvingen.sort_by_key(|i| (i.begin, i.os.code()));
        for (n, i) in self.inschrijvingen.iter_mut().enumerate() {
            i.volgnummer = n as u32 + 1;
            let vertraging = if rng.chance(0.75) {
                0
            } else if rng.chance(0.6) {
                rng.between(1, 10)
            } else {
                rng.between(14, 90)
            };
            i.einde_bekend = i.einde.map_or(i32::MAX, |e| e + vertraging);
        }
        for r in &mut self.resultaten {
            if r.startkwalificatie && rng.chance(0.01) {
                r.ingetrokken = Some(r.datum + rng.between(14, 60));
            }
        }
    }
}

/// The school career, built forward in time.
struct Loopbaan<'a> {
    leven: &'a mut Leven,
    w: &'a Wereld,
    rng: &'a mut Rng,
}

enum Step {
    Vo { os: Os, leerweg: Option<&'static str>, leerjaar: u8, jaar: i32 },
    Mbo { niveau: u8, start: i32 },
    Ho { start: i32 },
    Vavo { jaar: i32 },
    Klaar,
}

impl Loopbaan<'_> {
    #[allow(clippy::too_many_arguments)]
    fn ins(
        &mut self,
        instelling: u16,
        os: Os,
        opleiding: u32,
        leerweg: Option<&'static str>,
        niveau: Option<u8>,
        leerjaar: Option<u8>,
        begin: i32,
        einde: i32,
        reden: &'static str,
    ) {
        self.leven.inschrijvingen.push(Inschrijving {
            volgnummer: 0,
            instelling,
            os,
            opleiding,
            leerweg,
            niveau,
            leerjaar,
            begin,
            einde: Some(einde),
            reden: Some(reden),
            bekostigd: os != Os::Nbo && !(os == Os::Mbo && self.rng.chance(0.02)),
            einde_bekend: i32::MAX,
            verwijderd: None,
        });
    }

    fn herreden(&mut self, reden: &'static str) {
        if let Some(i) = self.leven.inschrijvingen.last_mut() {
            i.reden = Some(reden);
        }
    }

    fn diploma(&mut self, instelling: u16, os: Os, opleiding: u32, niveau: Option<u8>, datum: i32, startkwalificatie: bool) {
        self.leven.resultaten.push(Resultaat {
            instelling,
            os,
            opleiding,
            niveau,
            soort: "DIP",
            datum,
            startkwalificatie,
            ingetrokken: None,
        });
    }

    fn vrijstelling(&mut self, artikel: &'static str, begin: i32, einde: Option<i32>) {
        self.leven.vrijstellingen.push(Vrijstelling { artikel, begin, einde });
    }

    fn doorloop(&mut self) {
        let geb = self.leven.geboortedatum;
        let r = self.rng.unit();
        if r < 0.012 {
            // Never enrolled: some have a vrijstelling from the start, the rest are found by the leerplichtambtenaar.
            let begin = begin_leerplicht(geb);
            match self.rng.below(20) {
                0..=5 => self.vrijstelling("5A", begin, None),
                6..=8 => self.vrijstelling("5B", begin, None),
                9..=11 => self.vrijstelling("5C", begin, Some(einde_leerplicht(geb))),
                _ => {}
            }
            return;
        }
        if self.rng.chance(0.004) {
            let s = verjaardag(geb, 6) + self.rng.between(0, 300);
            let einde = s + self.rng.between(120, 600);
            self.vrijstelling("5ATR", s, Some(einde));
        }
        // Basisonderwijs from the 4th birthday (a few start late), to the summer of group 8.
        let mut start = verjaardag(geb, 4) + self.rng.between(0, 20);
        if self.rng.chance(0.01) {
            start = begin_leerplicht(geb) + self.rng.between(1, 60);
        }
        let (gy, gm, _) = ymd(geb);
        let mut vo_jaar = gy + 12 + i32::from(gm >= 10);
        if self.rng.chance(0.1) {
            vo_jaar += 1;
        }
        let po_einde = dag(vo_jaar, 7, 31);
        let g = self.leven.thuis(start);
        let (po_os, po_school) = match self.rng.below(100) {
            0..=2 => (Os::Sbo, sbo_school(g)),
            3 => (Os::So, vso_pro_school(g)),
            _ => (Os::Po, po_school(g, self.rng)),
        };
        if start >= po_einde || start > self.w.horizon {
            return;
        }
        self.ins(po_school, po_os, 0, None, None, None, start, po_einde, "02");
        let vo_start = dag(vo_jaar, 8, 1);
        let mut stap = match self.rng.below(100) {
            0..=3 => {
                let einde = dag(jaar(verjaardag(geb, 18)), 7, 31);
                let g = self.leven.thuis(vo_start);
                self.ins(vso_pro_school(g), Os::Pro, 0, None, None, None, vo_start, einde.max(vo_start + 365), "07");
                Step::Klaar
            }
            4..=6 => {
                let einde = dag(jaar(verjaardag(geb, 19)), 7, 31);
                let g = self.leven.thuis(vo_start);
                self.ins(vso_pro_school(g), Os::Vso, 0, None, None, None, vo_start, einde.max(vo_start + 365), "08");
                Step::Klaar
            }
            7 => {
                let g = self.leven.thuis(vo_start);
                self.ins(nbo_school(g), Os::Nbo, 0, None, None, None, vo_start, dag(vo_jaar + 6, 7, 31), "03");
                Step::Klaar
            }
            8..=55 => Step::Vo { os: Os::Vmbo, leerweg: Some(*self.rng.pick(&["BB", "KB", "GL", "TL", "TL"])), leerjaar: 1, jaar: vo_jaar },
            56..=80 => Step::Vo { os: Os::Havo, leerweg: None, leerjaar: 1, jaar: vo_jaar },
            _ => Step::Vo { os: Os::Vwo, leerweg: None, leerjaar: 1, jaar: vo_jaar },
        };
        let mut stappen = 0;
        while stappen < 40 {
            stappen += 1;
            stap = match stap {
                Step::Klaar => break,
                Step::Vo { os, leerweg, leerjaar, jaar } => self.vo_jaar(os, leerweg, leerjaar, jaar),
                Step::Mbo { niveau, start } => self.mbo(niveau, start),
                Step::Ho { start } => self.ho(start),
                Step::Vavo { jaar } => self.vavo(jaar),
            };
        }
    }

    // Long: one school year of a pupil in secondary school: a decision per branch of the law.
    fn vo_jaar(&mut self, os: Os, leerweg: Option<&'static str>, leerjaar: u8, j: i32) -> Step {
        let geb = self.leven.geboortedatum;
        let (begin, einde) = (dag(j, 8, 1), dag(j + 1, 7, 31));
        if begin > self.w.horizon {
            return Step::Klaar;
        }
        let leerplichtig = begin <= einde_leerplicht(geb);
        // Interruptions at the start of a schooljaar.
        if leerplichtig && self.rng.chance(0.002) {
            self.herreden("06");
            self.vrijstelling("15", begin, Some(einde));
            return Step::Vo { os, leerweg, leerjaar, jaar: j + 1 };
        }
        if leerplichtig && self.rng.chance(0.0015) {
            self.herreden("06");
            let einde = self.rng.chance(0.5).then(|| verjaardag(geb, 18) - 1);
            self.vrijstelling("5A", begin, einde);
            return Step::Klaar;
        }
        if leerplichtig && leeftijd(geb, begin) >= 14 && self.rng.chance(0.01) {
            self.herreden("06");
            let lp = einde_leerplicht(geb);
            let artikel = if self.rng.chance(0.5) { "3A" } else { "3B" };
            self.vrijstelling(artikel, begin, Some(lp));
            return if self.rng.chance(0.5) { Step::Mbo { niveau: 1 + self.rng.below(2) as u8, start: lp + 1 } } else { Step::Klaar };
        }
        let g = self.leven.thuis(begin);
        let school = vo_school(g, self.rng);
        let opleiding = 2130
            + u32::from(leerjaar) * 10
            + match (os, leerweg) {
                (Os::Havo, _) => 1,
                (Os::Vwo, _) => 2,
                (_, Some("BB")) => 3,
                (_, Some("KB")) => 4,
                (_, Some("GL")) => 5,
                _ => 6,
            };
        let laatste = match os {
            Os::Vmbo => 4,
            Os::Havo => 5,
            _ => 6,
        };
        // Dropping out, for those 16 and older in the upper years.
        if leerjaar >= 3 && leeftijd(geb, begin) >= 16 && self.rng.chance(0.03) {
            let weg = begin + self.rng.between(30, 280);
            self.ins(school, os, opleiding, leerweg, None, Some(leerjaar), begin, weg, "08");
            return match self.rng.below(10) {
                0..=2 => Step::Mbo { niveau: 1 + self.rng.below(2) as u8, start: weg + self.rng.between(30, 300) },
                3 if os != Os::Vmbo => Step::Vavo { jaar: j + 1 },
                _ => Step::Klaar,
            };
        }
        self.ins(school, os, opleiding, leerweg, None, Some(leerjaar), begin, einde, "02");
        if leerjaar < laatste {
            let verder = if self.rng.chance(0.04) { leerjaar } else { leerjaar + 1 };
            return Step::Vo { os, leerweg, leerjaar: verder, jaar: j + 1 };
        }
        if !self.rng.chance(0.9) {
            return Step::Vo { os, leerweg, leerjaar, jaar: j + 1 };
        }
        let datum = dag(j + 1, 7, 5) + self.rng.between(0, 6);
        self.diploma(school, os, opleiding, None, datum, os != Os::Vmbo);
        self.herreden("03");
        let volgend_aug = dag(j + 1, 8, 1);
        let r = self.rng.below(100);
        match os {
            Os::Vmbo => {
                let niveau = match leerweg {
                    Some("BB") => 2,
                    Some("KB") => 3,
                    _ => 4,
                };
                if r < 90 {
                    Step::Mbo { niveau, start: volgend_aug }
                } else if r < 95 && leerweg == Some("TL") {
                    Step::Vo { os: Os::Havo, leerweg: None, leerjaar: 4, jaar: j + 1 }
                } else {
                    Step::Klaar
                }
            }
            Os::Havo if r < 70 => Step::Ho { start: dag(j + 1, 9, 1) },
            Os::Havo if r < 90 => Step::Mbo { niveau: 4, start: volgend_aug },
            Os::Vwo if r < 88 => Step::Ho { start: dag(j + 1, 9, 1) },
            Os::Vwo if r < 94 => Step::Ho { start: dag(j + 2, 9, 1) },
            _ => Step::Klaar,
        }
    }

    fn mbo(&mut self, niveau: u8, start: i32) -> Step {
        if start > self.w.horizon {
            return Step::Klaar;
        }
        let duur = match niveau {
            1 => 1,
            2 => 2,
            3 => 3,
            _ => 3 + self.rng.below(2) as i32,
        };
        let einde = {
            let (y, m, _) = ymd(start);
            dag(y + duur - i32::from(m < 8), 7, 31)
        };
        let g = self.leven.thuis(start);
        let instelling = roc(self.w.gemeenten[usize::from(g)].regio);
        let leerweg = if self.rng.chance(0.15) { "BBL" } else { "BOL" };
        let opleiding = 25000 + u32::from(niveau) * 1000 + self.rng.below(40) as u32;
        let uitval = match niveau {
            1 => 0.2,
            2 => 0.15,
            3 => 0.1,
            _ => 0.08,
        };
        if self.rng.chance(uitval) {
            let weg = start + self.rng.between(20, (einde - start - 20).max(21));
            let reden = if self.rng.chance(0.4) { "07" } else { "08" };
            self.ins(instelling, Os::Mbo, opleiding, Some(leerweg), Some(niveau), None, start, weg, reden);
            return if self.rng.chance(0.4) { Step::Mbo { niveau, start: weg + self.rng.between(20, 330) } } else { Step::Klaar };
        }
        if self.rng.chance(0.04) {
            // Verlate startkwalificatie: the exam after the summer, the diploma in October–December.
            self.ins(instelling, Os::Mbo, opleiding, Some(leerweg), Some(niveau), None, start, einde, "08");
            let (y, _, _) = ymd(einde);
            let datum = dag(y, 10, 1) + self.rng.between(0, 91);
            self.diploma(instelling, Os::Mbo, opleiding, Some(niveau), datum, niveau >= 2);
            return Step::Klaar;
        }
        self.ins(instelling, Os::Mbo, opleiding, Some(leerweg), Some(niveau), None, start, einde, "03");
        let datum = einde - self.rng.between(5, 30);
        self.diploma(instelling, Os::Mbo, opleiding, Some(niveau), datum, niveau >= 2);
        let volgend_aug = einde + 1;
        match niveau {
            1 if self.rng.chance(0.6) => Step::Mbo { niveau: 2, start: volgend_aug },
            2 if self.rng.chance(0.3) => Step::Mbo { niveau: 3, start: volgend_aug },
            4 if self.rng.chance(0.35) => Step::Ho { start: volgend_aug + 31 },
            _ => Step::Klaar,
        }
    }

    fn ho(&mut self, start: i32) -> Step {
        if start > self.w.horizon {
            return Step::Klaar;
        }
        let instelling = hogeschool(self.rng);
        let opleiding = 34000 + self.rng.below(900) as u32;
        let (y, _, _) = ymd(start);
        if self.rng.chance(0.25) {
            self.ins(instelling, Os::Ho, opleiding, None, None, None, start, dag(y + 1, 8, 31), "02");
            return if self.rng.chance(0.4) { Step::Mbo { niveau: 4, start: dag(y + 1, 9, 1) } } else { Step::Klaar };
        }
        self.ins(instelling, Os::Ho, opleiding, None, None, None, start, dag(y + 4, 8, 31), "03");
        Step::Klaar
    }

    fn vavo(&mut self, j: i32) -> Step {
        let begin = dag(j, 8, 1);
        if begin > self.w.horizon {
            return Step::Klaar;
        }
        let g = self.leven.thuis(begin);
        let instelling = roc(self.w.gemeenten[usize::from(g)].regio);
        self.ins(instelling, Os::Vavo, 2200, None, None, None, begin, dag(j + 1, 7, 31), "08");
        if self.rng.chance(0.6) {
            self.diploma(instelling, Os::Havo, 2200, None, dag(j + 1, 7, 5), true);
            self.herreden("03");
            if self.rng.chance(0.5) {
                return Step::Ho { start: dag(j + 1, 9, 1) };
            }
        }
        Step::Klaar
    }
}

/// A mistaken inschrijving, deleted some weeks later (INT, then INV).
pub fn vergissing(leven: &mut Leven, w: &Wereld, rng: &mut Rng) {
    let begin = rng.between(w.van - 60, w.horizon - 10);
    if leven.overlijden.is_some_and(|o| o <= begin) || leeftijd(leven.geboortedatum, begin) < 4 {
        return;
    }
    let g = leven.thuis(begin);
    leven.inschrijvingen.push(Inschrijving {
        volgnummer: leven.inschrijvingen.len() as u32 + 1,
        instelling: vo_school(g, rng),
        os: Os::Vmbo,
        opleiding: 2146,
        leerweg: Some("TL"),
        niveau: None,
        leerjaar: Some(3),
        begin,
        einde: None,
        reden: None,
        bekostigd: true,
        einde_bekend: i32::MAX,
        verwijderd: Some(begin + rng.between(7, 30)),
    });
}
