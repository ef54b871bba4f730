//! DUO's VSV lists of the generated world (issue 25): per teljaar whose
//! indicator DUO has set by the horizon, the startpopulatie (NRSP) and the
//! nieuwe vsv'ers (NenR, voorlopig and definitief) for the first afnemer, in
//! DUO's two spellings — NRSP `;` with a `#` header, DD-MM-JJJJ, `REGIO 32`
//! and the gemeente without leading zeros; NenR JJJJMMDD, `32`, `0687`. DUO
//! decides who is on them with what it knew on 15 January t+2 and its own
//! indicator (wrong on purpose for some: `duo_vsv_afwijkend.csv`); the
//! voorlopige NenR misses about a third of the definitieve's rows and is
//! superseded by it.

use super::beeld::Beeld;
use super::datum::{dag, ymd};
use super::waarheid::{LijstVraag, OpLijst, vsv_regel};
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
