//! The BRP extracts of the generated world: per gemeente of the first
//! afnemer's area, its residents on one date, as a burgerzaken system
//! exports them (`pipelines/brp/brp.toml`'s spelling, UTF-8, `;`, JJJJMMDD),
//! including children DUO never hears of, and the disagreements a real
//! comparison finds: residents with only an onderwijsnummer are in no
//! extract (DUO places them, the BRP does not hold them: NIET_IN_BRP), and
//! about one in five who moved out of the area still stand in their old
//! gemeente's extract (WOONT_ELDERS_VOLGENS_DUO).

use super::datum::{dag, iso, jaar, ymd};
use super::rng::Rng;
use super::waarheid::BrpVraag;
use super::wereld::{Leven, Verblijf};

pub const HEADER: &str = "BURGERSERVICENUMMER;GEBOORTEDATUM;GESLACHTSAANDUIDING;VOORNAMEN;VOORVOEGSEL GESLACHTSNAAM;GESLACHTSNAAM;\
POSTCODE;HUISNUMMER;HUISNUMMERTOEVOEGING;DATUM AANVANG ADRESHOUDING;DATUM OVERLIJDEN\r\n";

/// The file of gemeente `code`'s extract on `datum`: the name the shipped
/// layout reads its gemeente and date from.
pub fn file_name(code: &str, datum: i32) -> String {
    format!("{code}_{}.csv", iso(datum).replace('-', ""))
}

/// The gemeente whose extract holds this person, with the verblijf it
/// shows (None: in no extract).
pub fn in_brp<'a>(leven: &'a Leven, brp: &BrpVraag, rng: &mut Rng) -> Option<(u16, &'a Verblijf)> {
    let e = brp.datum;
    if !leven.heeft_bsn || leven.overlijden.is_some_and(|o| o <= e) {
        return None;
    }
    let in_gebied = |v: &Verblijf| v.gemeente.filter(|&g| brp.gemeenten[usize::from(g)]);
    if let Some(v) = leven.verblijven.iter().find(|v| v.aanvang <= e && v.einde.is_none_or(|x| x >= e))
        && let Some(g) = in_gebied(v)
    {
        return Some((g, v));
    }
    // a move out of the area the register has not processed yet
    let vorig = leven.verblijven.iter().rfind(|v| v.einde.is_some_and(|x| x < e))?;
    let g = in_gebied(vorig)?;
    rng.chance(0.2).then_some((g, vorig))
}

/// `JJJJMMDD`; with `dag_onbekend`, `JJJJMM00` (the BRP's unknown day).
fn datum(d: i32, dag_onbekend: bool) -> String {
    let (y, m, dd) = ymd(d);
    if dag_onbekend { format!("{y:04}{m:02}00") } else { format!("{y:04}{m:02}{dd:02}") }
}

/// One resident's row.
pub fn regel(leven: &Leven, v: &Verblijf) -> String {
    let postcode = v.postcode.map(|p| String::from_utf8_lossy(&p).into_owned()).unwrap_or_default();
    format!(
        "{};{};{};{};{};{};{postcode};{};{};{};\r\n",
        leven.pgn,
        datum(leven.geboortedatum, false),
        leven.geslacht,
        leven.voornamen,
        leven.voorvoegsel,
        leven.achternaam,
        v.huisnummer,
        v.toevoeging,
        datum(v.aanvang, false)
    )
}

const VOORNAMEN: &[&str] = &["Amir", "Lena", "Oleksandr", "Sofiia", "Mateo", "Zara", "Dawit", "Ana"];
const ACHTERNAMEN: &[&str] = &["Kowalski", "Haddad", "Petrenko", "Santos", "Tesfaye", "Popescu"];

/// A child DUO never hears of: arrived in the gemeente within the year
/// before the extract, aged 3 to 17 on its date, born on the first of a
/// month (written half the time with the day unknown, `00`).
pub struct Nieuwkomer {
    pub bsn: String,
    pub geboortedatum: i32,
    pub regel: String,
}

/// `leerplichtig`: aged 10 on the extract's date (the child the A-request
/// asks about must be in the comparison whatever the seed).
pub fn nieuwkomer(bsn: String, e: i32, leerplichtig: bool, rng: &mut Rng) -> Nieuwkomer {
    let geboren = if leerplichtig { e - 10 * 365 } else { rng.between(e - 18 * 365 + 30, e - 3 * 365) };
    let (y, m, _) = ymd(geboren);
    let geboortedatum = dag(y, m, 1);
    let vestiging = e - rng.between(14, 365);
    let regel = format!(
        "{bsn};{};{};{};;{};;;;{};\r\n",
        datum(geboortedatum, rng.chance(0.5)),
        if rng.chance(0.5) { "M" } else { "V" },
        rng.pick(VOORNAMEN),
        rng.pick(ACHTERNAMEN),
        datum(vestiging, false)
    );
    debug_assert!(jaar(geboortedatum) > 1900);
    Nieuwkomer { bsn, geboortedatum, regel }
}
