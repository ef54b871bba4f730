//! DUO's VSV lists of the generated world (issue 25): per teljaar whose
//! indicator DUO has set by the horizon, the startpopulatie (NRSP) and the
//! nieuwe vsv'ers (NenR, voorlopig and definitief) for the first afnemer, in
//! DUO's two spellings — NRSP `;` with a `#` header, DD-MM-JJJJ, `REGIO 32`
//! and the gemeente without leading zeros; NenR JJJJMMDD, `32`, `0687`. DUO
//! decides who is on them with what it knew on 15 January t+2 and its own
//! indicator (wrong on purpose for some: `duo_vsv_afwijkend.csv`); the
//! voorlopige NenR misses about a third of the definitieve's rows and is
//! superseded by it.
//!
//! And DUO's monthly A-rapportages for the same afnemer, one file per
//! rapportage and month (A01, A02, A04; A05 in October), each in its own
//! spelling — A04 with CR-only line ends, `M/D/JJ` dates and the header
//! `RAPPORTAGEMAAND` — from what DUO knew a week after the month: the stand
//! of the startpopulatie at the month's end (`waarheid::stand`).

use super::beeld::Beeld;
use super::datum::{dag, ymd};
use super::rng::Rng;
use super::waarheid::{LijstVraag, OpLijst, OpRapportage, maand_dagen, stand, vsv_regel};
use super::wereld::{Leven, Wereld, brin};

pub const NRSP_HEADER: &str = "#BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;RMC_REGIO;GEMCODE;BRIN\n";
pub const NENR_HEADER: &str = "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;RMC_REGIO;GEMCODE;BRIN;EXAMEN;IND_BEKOSTIGING\r\n";

/// `NRSP2025DR0032.csv`: list, the year t+1, status, the receiver.
pub fn file_name(lijst: &str, t: i32, status: char, ontvanger: &str) -> String {
    format!("{lijst}{}{status}{ontvanger}.csv", t + 1)
}

/// Where DUO puts this person on its lists of teljaar `t`, if anywhere.
pub fn op_lijst(leven: &Leven, lijsten: &LijstVraag, t: i32) -> Option<OpLijst> {
    let b = Beeld::new(leven, dag(t + 2, 1, 15));
    let a = vsv_regel(&b, t)?;
    let gemeente = b.woont_op(dag(t, 10, 1)).filter(|&g| lijsten.gemeenten[usize::from(g)])?;
    let vsv = leven.vsv.iter().any(|v| v.teldatum == dag(t + 1, 10, 1));
    Some(OpLijst { gemeente, instelling: a.instelling, vsv })
}

/// The person's NRSP row and, a vsv'er, NenR row.
pub fn regels(leven: &Leven, w: &Wereld, l: &OpLijst) -> (String, Option<String>) {
    let (bsn, onr) = if leven.heeft_bsn { (leven.pgn.as_str(), "") } else { ("0", leven.pgn.as_str()) };
    let g = &w.gemeenten[usize::from(l.gemeente)];
    let (y, m, d) = ymd(leven.geboortedatum);
    let nrsp = format!("{bsn};{onr};{d:02}-{m:02}-{y};REGIO {};{};{}\n", g.regiocode, g.code.trim_start_matches('0'), brin(l.instelling));
    let nenr = l.vsv.then(|| format!("{bsn};{onr};{y}{m:02}{d:02};{};{};{};N;J\r\n", g.regiocode, g.code, brin(l.instelling)));
    (nrsp, nenr)
}

pub const A01_HEADER: &str =
    "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;RMC_REGIO;GEMCODE;BRIN;RAPPORTAGE_MAAND;DATUM_UITSCHRIJVING\n";
pub const A04_HEADER: &str = "BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;RMC_REGIO;GEMCODE;BRIN;RAPPORTAGEMAAND\r";
pub const A05_HEADER: &str = "#BURGERSERVICENUMMER;ONDERWIJSNUMMER;GEBOORTEDATUM;GEMCODE;BRIN;INDICATIE_STARTKWALIFICATIE\r\n";

/// `A04_R0032_202602.csv`: code, receiver, the month reported (the shipped layouts' pattern).
pub fn rapportage_naam(code: &str, ontvanger: &str, maand: i32) -> String {
    let (y, m, _) = ymd(maand);
    format!("{code}_{ontvanger}_{y}{m:02}.csv")
}

/// The header of a rapportage's file.
pub fn rapportage_kop(code: &str) -> &'static str {
    match code {
        "A04" => A04_HEADER,
        "A05" => A05_HEADER,
        _ => A01_HEADER,
    }
}

/// Where DUO puts this person on its monthly rapportages: per month of
/// `lijsten.maanden` the stand at the month's end and the previous month's
/// (October: T0), as DUO knew it a week after the month, of the person in
/// its startpopulatie living in the afnemer's area on T0. Two deliberate
/// disagreements, as DUO's own lag and indicator have: about half of those
/// who re-enrolled stay on A04 one month longer (their A02 already sent),
/// and the A05 indicator is wrong for about one in 30.
pub fn op_rapportages(leven: &Leven, lijsten: &LijstVraag, rng: &mut Rng) -> Vec<OpRapportage> {
    let mut uit = Vec::new();
    let mut op_a04 = false;
    // per convenantjaar, the month the current uitval was first reported (A04's RAPPORTAGEMAAND)
    let mut sinds: Option<(i32, i32)> = None;
    for &m in &lijsten.maanden {
        let (t, einde, vorige) = maand_dagen(m);
        let b = Beeld::new(leven, einde + 7);
        let Some(gemeente) = b.woont_op(dag(t, 10, 1)).filter(|&g| lijsten.gemeenten[usize::from(g)]) else { continue };
        let (Some(nu), Some(voor)) = (stand(&b, t, einde, einde), stand(&b, t, vorige, vorige)) else { continue };
        // DUO's lag: a re-enrolled person left on A04 one more month, with the month first reported
        let blijft = op_a04 && !nu.vsv && rng.chance(0.5);
        op_a04 = nu.vsv;
        sinds = match (nu.vsv, sinds) {
            (false, s) if blijft => s,
            (false, _) => None,
            (true, Some((st, s))) if st == t => Some((t, s)),
            (true, _) => Some((t, m)),
        };
        let eerst_gemeld = sinds.map_or(m, |(_, s)| s);
        if blijft {
            sinds = None;
        }
        let rij = |code: &'static str| OpRapportage {
            maand: m,
            code,
            gemeente,
            instelling: nu.instelling,
            indicatie: nu.startkwalificatie,
            sinds: eerst_gemeld,
        };
        if nu.vsv || blijft {
            uit.push(rij("A04"));
        }
        if nu.vsv && !voor.vsv {
            uit.push(rij("A01"));
        }
        if voor.vsv && !nu.vsv {
            uit.push(rij("A02"));
        }
        if ymd(m).1 == 10 {
            let fout = rng.chance(1.0 / 30.0);
            uit.push(OpRapportage { indicatie: nu.startkwalificatie != fout, ..rij("A05") });
        }
    }
    uit
}

/// The person's row on one rapportage, in that rapportage's spelling.
pub fn rapportage_regel(leven: &Leven, w: &Wereld, r: &OpRapportage) -> String {
    let (bsn, onr) = if leven.heeft_bsn { (leven.pgn.as_str(), "") } else { ("0", leven.pgn.as_str()) };
    let g = &w.gemeenten[usize::from(r.gemeente)];
    let (y, m, d) = ymd(leven.geboortedatum);
    let (my, mm, _) = ymd(r.maand);
    let (sy, sm, _) = ymd(r.sinds);
    let brin = brin(r.instelling);
    match r.code {
        // CR-only, M/D/JJ, the month the uitval was first reported as JJJJMM
        "A04" => format!("{bsn};{onr};{m}/{d}/{:02};{};{};{brin};{sy}{sm:02}\r", y % 100, g.regiocode, g.code.trim_start_matches('0')),
        "A05" => format!("{bsn};{onr};{d:02}-{m:02}-{y};{};{brin};{}\r\n", g.code, if r.indicatie { "J" } else { "N" }),
        // A01, A02: LF, JJJJMMDD, the month as M/D/JJ; no date of the uitschrijving
        _ => format!("{bsn};{onr};{y}{m:02}{d:02};REGIO {};{};{brin};{mm}/1/{:02};\n", g.regiocode, g.code, my % 100),
    }
}
