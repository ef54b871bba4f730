//! A header-CSV layout drafted from a file no layout recognises, complete
//! enough to load the file as it is: `verzuim inspect FILE --draft OUT.toml`,
//! then `verzuim ingest FILE --layout OUT.toml --soort … --afnemer …
//! --peildatum …`.
//!
//! Everything is sniffed from *all* values of a column, so that no rule is
//! written that one of them breaks: the separator, the quoting, each
//! column's type and date format, zero padding and whole numbers written as
//! decimals, null markers, the 11-proef (only where every value passes).
//! Known DUO column names are mapped to the canonical columns through the
//! vocabulary `pipelines/vocabulary/*.toml` (data, not code); every other
//! column is kept as an extra column — of `persoon` when it holds one value
//! per person, else of the row's table. No value of the file is copied into
//! the draft.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::input::Encoding;
use crate::layout::csv::{Dialect, first_line, separator_of};
use crate::layout::{DateFormat, NumberCheck, ValueKind, header_key};
use crate::normalise::canonical::RECORD_TABLES;
use crate::parse::passes_11_proef;

use super::draft::{Draft, DraftColumn, DraftTable, Source, check_name, kind_name, printable};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    #[serde(default)]
    term: Vec<Term>,
    /// BRP export column names (`inspect --brp --draft`, [`super::brp`]).
    #[serde(default)]
    brp: Vec<BrpTerm>,
}

/// A BRP layout column and the header names that fill it.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct BrpTerm {
    pub name: String,
    pub headers: Vec<String>,
}

pub(super) fn brp_vocabulary() -> Vec<BrpTerm> {
    crate::embedded::VOCABULARIES
        .iter()
        .flat_map(|(name, text)| {
            toml::from_str::<VocabularyFile>(text).unwrap_or_else(|e| panic!("pipelines/vocabulary/{name} is valid: {e}")).brp
        })
        .collect()
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Term {
    name: String,
    headers: Vec<String>,
    #[serde(default)]
    fills: Vec<String>,
    fact: Option<String>,
    pad: Option<usize>,
    role: Option<String>,
}

fn vocabulary() -> Vec<Term> {
    crate::embedded::VOCABULARIES
        .iter()
        .flat_map(|(name, text)| {
            toml::from_str::<VocabularyFile>(text).unwrap_or_else(|e| panic!("pipelines/vocabulary/{name} is valid: {e}")).term
        })
        .collect()
}

/// Headers compared loosely: only letters and digits count, in any case
/// (`Datum_inschrijving`, `DATUM INSCHRIJVING`, `DATUMINSCHRIJVING` and
/// `BSN/Onderwijsnummer` vs `BSN ONDERWIJSNUMMER` are alike).
pub(super) fn loose(h: &str) -> String {
    header_key(h).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Date formats tried, in this order; the first that reads every value wins.
/// `D-M-JJJJ` comes before `DD-MM-JJJJ`: `D` reads one or two digits, so it
/// also reads the next file's `5-3-2010` when this one only had `15-10-2025`.
const DATE_FORMATS: &[&str] = &["JJJJMMDD", "JJJJ-MM-DD", "D-M-JJJJ", "D/M/JJJJ", "M/D/JJJJ", "D-M-JJ", "M/D/JJ", "JJJJMM"];

/// What the values of one column look like.
pub(super) struct Sniffed {
    pub(super) kind: ValueKind,
    pub(super) date: Option<&'static str>,
    /// a second format, for the values `date` does not read
    pub(super) also: Option<&'static str>,
    pub(super) pad: Option<usize>,
    pub(super) whole_number: bool,
    pattern: bool,
    flag_map: Option<(&'static str, &'static str)>,
    check: Option<NumberCheck>,
    present: usize,
    empty: usize,
    /// a date followed by a time: the pattern keeps the date
    pub(super) date_with_time: bool,
    /// values that stand for "no date" (`00000000`, `00-00-0000`)
    pub(super) zero_dates: Vec<String>,
    /// `00` for an unknown month or day (`20100500`): read as the first
    pub(super) unknown_parts: bool,
}

/// The header of a record file's field: it has no name to hint with, and
/// the reference layout writes its dates as eight digits, so any field may
/// hold compact dates.
const UNNAMED: &str = "";

fn date_hint(h: &str) -> bool {
    ["DATUM", "DATE", "GEBOORTE", "MAAND", "PERIODE", "PEIL"].iter().any(|w| h.contains(w))
}

/// What the values of a column are. `header` hints (a date's name), `target`
/// is the canonical column's type where the vocabulary maps it, `pad_hint`
/// a code's width; `null` the markers of no value.
pub(super) fn sniff(header: &str, values: &[&str], target: Option<ValueKind>, pad_hint: Option<usize>, null: &[String]) -> Sniffed {
    let present: Vec<&str> = values.iter().copied().filter(|v| !null.iter().any(|n| n == v)).collect();
    let mut s = Sniffed {
        kind: ValueKind::Text,
        date: None,
        also: None,
        pad: None,
        whole_number: false,
        pattern: false,
        flag_map: None,
        check: None,
        present: present.len(),
        empty: values.len() - present.len(),
        date_with_time: false,
        zero_dates: Vec::new(),
        unknown_parts: false,
    };
    if present.is_empty() {
        s.kind = target.unwrap_or(ValueKind::Text);
        if s.kind == ValueKind::Date {
            s.date = Some("JJJJMMDD");
        }
        return s;
    }
    let h = loose(header);
    // a spreadsheet's date with a time (`05-03-2010 00:00:00`): the date is the first word
    let timed = |v: &str| {
        v.split_once(' ').is_some_and(|(_, t)| t.contains(':') && t.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.'))
    };
    if present.iter().all(|v| timed(v)) {
        let dates: Vec<&str> = present.iter().map(|v| v.split(' ').next().unwrap_or(v)).collect();
        let inner = sniff(header, &dates, target, pad_hint, null);
        if inner.kind == ValueKind::Date {
            // the null markers apply before the pattern: the whole value
            let mut zero_dates: Vec<String> =
                present.iter().filter(|v| inner.zero_dates.iter().any(|z| v.starts_with(z.as_str()))).map(|v| v.to_string()).collect();
            zero_dates.sort();
            zero_dates.dedup();
            return Sniffed { date_with_time: true, empty: s.empty, zero_dates, ..inner };
        }
    }
    if let Some(d) = sniff_date(&h, &present, target, header == UNNAMED) {
        return Sniffed {
            kind: ValueKind::Date,
            date: Some(d.format),
            also: d.also,
            zero_dates: d.zeros,
            unknown_parts: d.unknown_parts,
            ..s
        };
    }
    if let Some(map) = sniff_flag(&present, target) {
        return Sniffed { kind: ValueKind::Flag, flag_map: map, ..s };
    }
    sniff_number(&mut s, &present, target, pad_hint);
    s
}

/// A date column's formats, and the values that stand for "no date".
struct Dated {
    format: &'static str,
    also: Option<&'static str>,
    zeros: Vec<String>,
    unknown_parts: bool,
}

/// Whether the values are dates: with a hint in the (loose) name `h`, the
/// wanted type or `unnamed` (a record field), also as 8 or 6 digits;
/// without, only when written with `-` or `/`. One format that reads them
/// all, or the one most values are in and one for the rest.
fn sniff_date(h: &str, present: &[&str], target: Option<ValueKind>, unnamed: bool) -> Option<Dated> {
    let may_be_date = target == Some(ValueKind::Date) || date_hint(h) || unnamed;
    // `0`, `00000000`, `00-00-0000`: a date column's way of saying "none"
    let zero = |v: &str| v.bytes().all(|b| b == b'0' || b == b'-' || b == b'/' || b == b'.') && v.contains('0');
    let mut zeros: Vec<String> = if may_be_date { present.iter().filter(|v| zero(v)).map(|v| v.to_string()).collect() } else { Vec::new() };
    zeros.sort();
    zeros.dedup();
    let dated: Vec<&str> = present.iter().copied().filter(|v| !zeros.iter().any(|z| z == v)).collect();
    let written_as_date = dated.iter().all(|v| v.contains(['-', '/']) && v.bytes().any(|b| b.is_ascii_digit()));
    if dated.is_empty() || !(may_be_date || written_as_date) {
        return None;
    }
    let candidates: Vec<&'static str> = DATE_FORMATS
        .iter()
        .copied()
        .filter(|f| !((*f == "JJJJMMDD" || *f == "JJJJMM") && !may_be_date))
        .filter(|f| *f != "JJJJMM" || ["MAAND", "PERIODE", "PEIL"].iter().any(|w| h.contains(w)))
        .collect();
    let reads = |f: &str, v: &str| DateFormat::parse_pattern(f).expect("valid").parse_days(v).is_some();
    if let Some(format) = candidates.iter().copied().find(|f| dated.iter().all(|v| reads(f, v))) {
        return Some(Dated { format, also: None, zeros, unknown_parts: false });
    }
    // eight digits with `00` for a month or day the register does not know (the BRP's way)
    let unknown_as_first = DateFormat::parse_pattern("JJJJMMDD").expect("valid").with_unknown_as_first();
    if may_be_date && dated.iter().all(|v| unknown_as_first.parse_days(v).is_some()) {
        return Some(Dated { format: "JJJJMMDD", also: None, zeros, unknown_parts: true });
    }
    // dates written two ways (an export merged from two systems): the
    // format most values are in, and one that reads all the rest
    let count = |f: &str| dated.iter().filter(|v| reads(f, v)).count();
    let most = candidates.iter().copied().fold(None, |best: Option<(&'static str, usize)>, f| {
        let n = count(f);
        if best.is_none_or(|(_, b)| n > b) { Some((f, n)) } else { best }
    });
    let (format, _) = most.filter(|(_, n)| 2 * n >= dated.len())?;
    let rest: Vec<&str> = dated.iter().copied().filter(|v| !reads(format, v)).collect();
    let also = candidates.iter().copied().find(|f| rest.iter().all(|v| reads(f, v)))?;
    Some(Dated { format, also: Some(also), zeros, unknown_parts: false })
}

/// Whether the values are flags: J/N always; other pairs (Ja/Nee, 1/0, …)
/// only where a flag is wanted, with the map that reads them.
fn sniff_flag(present: &[&str], target: Option<ValueKind>) -> Option<Option<(&'static str, &'static str)>> {
    let pairs = [("J", "N"), ("JA", "NEE"), ("Ja", "Nee"), ("ja", "nee"), ("Y", "N"), ("1", "0"), ("true", "false"), ("True", "False")];
    let (yes, no) = pairs
        .into_iter()
        .find(|&(yes, no)| present.iter().all(|v| *v == yes || *v == no) && ((yes, no) == ("J", "N") || target == Some(ValueKind::Flag)))?;
    Some(if yes == "J" { None } else { Some((yes, no)) })
}

/// Digits: a whole number (also written as `129.0`), or a code kept as
/// text with the leading zeros a spreadsheet dropped restored and the
/// 11-proef where every value passes it; a number inside text where a
/// number is wanted.
fn sniff_number(s: &mut Sniffed, present: &[&str], target: Option<ValueKind>, pad_hint: Option<usize>) {
    let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let zero_fraction = |v: &str| match v.split_once(['.', ',']) {
        Some((i, f)) => digits(i) && !f.is_empty() && f.bytes().all(|b| b == b'0'),
        None => false,
    };
    let whole = present.iter().all(|v| digits(v) || zero_fraction(v));
    s.whole_number = whole && present.iter().any(|v| zero_fraction(v));
    let ints: Vec<&str> = present.iter().map(|v| v.split([',', '.']).next().unwrap_or(v)).collect();
    if whole {
        let leading_zero = ints.iter().any(|v| v.len() > 1 && v.starts_with('0'));
        let max = ints.iter().map(|v| v.len()).max().unwrap_or(0);
        let min = ints.iter().map(|v| v.len()).min().unwrap_or(0);
        match target {
            Some(ValueKind::Integer) => s.kind = ValueKind::Integer,
            Some(_) => {
                // a code: keep its text; restore leading zeros a spreadsheet dropped
                let width = pad_hint.unwrap_or(max);
                if min < width && (pad_hint.is_some() || leading_zero) && max <= width {
                    s.pad = Some(width);
                }
            }
            None if !leading_zero && max <= 9 => s.kind = ValueKind::Integer,
            None => {
                if min < max && leading_zero {
                    s.pad = Some(max);
                }
            }
        }
        if s.kind == ValueKind::Text {
            let width = s.pad.unwrap_or(0);
            let padded = |v: &str| format!("{v:0>width$}");
            let all = |c: NumberCheck| ints.iter().all(|v| passes_11_proef(&padded(v), c));
            s.check = if all(NumberCheck::Bsn) {
                Some(NumberCheck::Bsn)
            } else if all(NumberCheck::Onderwijsnummer) {
                Some(NumberCheck::Onderwijsnummer)
            } else if all(NumberCheck::BsnOfOnderwijsnummer) {
                Some(NumberCheck::BsnOfOnderwijsnummer)
            } else {
                None
            };
        }
        return;
    }
    // a number inside text (`REGIO 28`, `Mbo4 opleidingen`) where a number is wanted
    if target == Some(ValueKind::Integer) && present.iter().all(|v| one_number(v).is_some()) {
        s.kind = ValueKind::Integer;
        s.pattern = true;
    }
}

/// Sniffs a layout from a delimited record file (no header to go by): the
/// separator used most consistently, each record code with its field
/// count, and per field what [`sniff`] makes of its values — dates, J/N
/// flags, digits. Values are never copied into it.
pub fn draft_record_layout(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).take(5000).collect();
    let separator = [b'|', b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&s| lines.iter().filter(|l| l.as_bytes().contains(&s)).count() * 10 + usize::from(s == b'|'))
        .filter(|&s| lines.iter().any(|l| l.as_bytes().contains(&s)));
    let quoted = |s: &str| toml::Value::String(printable(s)).to_string();
    let mut s = String::new();
    s.push_str("# Draft layout written by `verzuim inspect`: check every line, name the fields,\n");
    s.push_str("# set `table` per record and the person records, then pass it with --layout.\n[layout]\nname = \"DRAFT\"\n");
    let Some(sep) = separator.map(char::from) else {
        let start: String = lines.first().map(|l| l.chars().take(3).collect()).unwrap_or_default();
        s.push_str("format = \"fixed\"\n# no separator found: give each field a `width`.\n");
        s.push_str(&format!("recognise = [{}]\n", quoted(&start)));
        return s;
    };
    let code_of = |l: &&str| l.split(sep).next().unwrap_or("").trim().to_string();
    let first_code = lines.first().map(code_of).unwrap_or_default();
    s.push_str(&format!("format = \"delimited\"\nseparators = [{}]\n", quoted(&sep.to_string())));
    s.push_str(&format!("recognise = [{}]\ndate_format = \"JJJJMMDD\"\n\n", quoted(&format!("{first_code}{sep}"))));
    // per record code, in order of appearance: the values of each field
    let mut codes: Vec<(String, Vec<Vec<&str>>)> = Vec::new();
    for l in &lines {
        let fields: Vec<&str> = l.split(sep).map(str::trim).collect();
        let at = match codes.iter().position(|(c, _)| *c == fields[0]) {
            Some(i) => i,
            None => {
                codes.push((fields[0].to_string(), Vec::new()));
                codes.len() - 1
            }
        };
        let columns = &mut codes[at].1;
        columns.resize(columns.len().max(fields.len()), Vec::new());
        for (col, v) in columns.iter_mut().zip(fields) {
            col.push(v);
        }
    }
    let (last, second) = (lines.last().map(code_of).unwrap_or_default(), lines.get(1).map(code_of).unwrap_or_default());
    s.push_str(&format!(
        "[file]\nheader = {}\ntrailer = {}\nperson = {}   # guess: the record after the header\nperson_key = \"veld2\"        # guess\n\n",
        quoted(&first_code),
        quoted(&last),
        quoted(&second)
    ));
    let null = [String::new()];
    for (code, fields) in &codes {
        s.push_str(&format!("[records.{}]\n# table = \"…\"\nfields = [\n", quoted(code)));
        for (i, values) in fields.iter().enumerate() {
            let sn = sniff(UNNAMED, values, None, None, &null);
            let (guess, note) = match (i, sn.kind, sn.date) {
                (0, ..) => (String::new(), ""),
                (_, ValueKind::Date, Some("JJJJMMDD")) => (", type = \"date\"".to_string(), ""),
                (_, ValueKind::Date, Some(f)) => (format!(", type = \"date\", format = {}", quoted(f)), ""),
                (_, ValueKind::Flag, _) if sn.flag_map.is_none() => (", type = \"flag\"".to_string(), ""),
                (_, ValueKind::Integer, _) => (String::new(), "  # digits only: a number, or a code kept as text"),
                _ => (String::new(), ""),
            };
            let name = if i == 0 { "recordsoort".to_string() } else { format!("veld{}", i + 1) };
            s.push_str(&format!("  {{ name = {}{guess} }},{note}\n", quoted(&name)));
        }
        s.push_str("]\n\n");
    }
    s
}

/// A header that is a canonical column's own name — `resultaat_startkwalificatie`,
/// `niet_gevonden.reden`, `datum_behaald`, in any case, with spaces, `_` or `.`
/// — or a delivery fact's (`leveringsvolgnummer`, `aanmaakdatum`): known
/// without a vocabulary entry, and meant as such. A bare column name counts
/// where one table alone has it and the name is not a common word
/// (`reden`, `categorie`, `indicatie`, `referentie`: written with their table).
fn canonical_term(h: &str) -> Option<Term> {
    const TOO_COMMON: &[&str] = &["reden", "categorie", "indicatie", "referentie", "pgn"];
    let key = loose(h);
    let term = |table: &str, column: &str, name: String| Term {
        // the person numbers keep the vocabulary's names, which carry their role
        name: if table == "persoon" && matches!(column, "pgn" | "bsn" | "onderwijsnummer") { column.to_string() } else { name },
        headers: Vec::new(),
        fills: vec![format!("{table}.{column}")],
        fact: None,
        pad: None,
        role: None,
    };
    for t in RECORD_TABLES {
        for (c, _) in t.columns {
            if key == loose(&format!("{}_{c}", t.name)) {
                return Some(term(t.name, c, format!("{}_{c}", t.name)));
            }
        }
    }
    for (fact, names) in [
        ("soort", &["soort_levering", "levering_soort"][..]),
        ("afnemer", &["afnemer", "afnemercode", "levering_afnemer"]),
        ("peildatum", &["peildatum", "levering_peildatum"]),
        ("aanmaakdatum", &["aanmaakdatum", "levering_aanmaakdatum"]),
        ("volgnummer", &["volgnummer", "leveringsvolgnummer", "levering_leveringsvolgnummer"]),
    ] {
        if names.iter().any(|n| loose(n) == key) {
            return Some(Term {
                name: fact.into(),
                headers: Vec::new(),
                fills: Vec::new(),
                fact: Some(fact.into()),
                pad: None,
                role: None,
            });
        }
    }
    let hits: Vec<(&str, &str)> =
        RECORD_TABLES.iter().flat_map(|t| t.columns.iter().map(move |(c, _)| (t.name, *c))).filter(|(_, c)| loose(c) == key).collect();
    match hits.as_slice() {
        [(t, c)] if !TOO_COMMON.contains(c) => Some(term(t, c, c.to_string())),
        _ => None,
    }
}

/// Names that say "person number" (letters and digits only, as [`loose`]).
const PERSON_NUMBER_NAMES: &[&str] =
    &["BSN", "BURGERSERVICE", "SOFI", "ONDERWIJSNR", "ONDERWIJSNUMMER", "PGN", "PERSOONSNUMMER", "PERSOONSGEBONDEN"];

/// The column most likely to be the person's number when the vocabulary
/// knows none: by its name (a fragment of [`PERSON_NUMBER_NAMES`]) and by
/// its values (eight or nine digits — a BSN a spreadsheet shortened — that
/// pass the 11-proef); the leftmost of the best; the first column when
/// nothing speaks for any. With how sure the choice is, for the draft.
fn key_by_evidence(cols: &[Col], rows: &[csv::StringRecord]) -> (usize, String) {
    let judged: Vec<(bool, bool, bool)> = cols
        .iter()
        .map(|c| {
            let h = loose(&c.header);
            let by_name = PERSON_NUMBER_NAMES.iter().any(|n| h.contains(n));
            let values: Vec<&str> = rows.iter().map(|r| r.get(c.pos).unwrap_or("").trim()).filter(|v| !v.is_empty()).collect();
            let digits = !values.is_empty() && values.iter().all(|v| (8..=9).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()));
            let proef = digits && values.iter().all(|v| passes_as_person_number(v));
            (by_name, digits, proef)
        })
        .collect();
    let score = |&(name, digits, proef): &(bool, bool, bool)| 2 * u8::from(name) + u8::from(digits) + u8::from(proef);
    let best = judged.iter().map(score).max().unwrap_or(0);
    let k = judged.iter().position(|j| score(j) == best).unwrap_or(0);
    let why = match judged.get(k).copied().unwrap_or_default() {
        (true, _, true) => "chosen by its name and its values (nine digits passing the 11-proef)",
        (true, _, false) => "chosen by its name; its values are not all nine-digit numbers passing the 11-proef: check it",
        (false, _, true) => "chosen by its values (nine digits passing the 11-proef), not by its name: check it",
        (false, true, false) => "chosen by its values (eight or nine digits, failing the 11-proef): a guess, check it",
        (false, false, false) => "a guess: nothing in the file says which column holds the person; the first column stands in",
    };
    (k, why.to_string())
}

/// A BSN or onderwijsnummer, once padded to nine digits (a spreadsheet may
/// have dropped a leading zero).
fn passes_as_person_number(v: &str) -> bool {
    passes_11_proef(&format!("{v:0>9}"), NumberCheck::BsnOfOnderwijsnummer)
}

/// A person-key column as text: nine digits with their leading zeros
/// (padded where a spreadsheet dropped them), never a number or a date.
fn as_person_number(s: &mut Sniffed, values: &[&str]) {
    if s.kind == ValueKind::Text {
        return;
    }
    s.kind = ValueKind::Text;
    s.date = None;
    s.date_with_time = false;
    s.zero_dates.clear();
    s.pattern = false;
    s.flag_map = None;
    let present: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
    if !present.is_empty() && present.iter().all(|v| v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit())) {
        if present.iter().any(|v| v.len() < 9) {
            s.pad = Some(9);
        }
        if present.iter().all(|v| passes_as_person_number(v)) {
            s.check = Some(NumberCheck::BsnOfOnderwijsnummer);
        }
    }
}

/// The one run of digits in `v`, if there is exactly one.
fn one_number(v: &str) -> Option<&str> {
    let runs: Vec<&str> = v.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect();
    if runs.len() == 1 { Some(runs[0]) } else { None }
}

fn canonical_kind(table: &str, column: &str) -> Option<ValueKind> {
    RECORD_TABLES.iter().find(|t| t.name == table)?.columns.iter().find(|(c, _)| *c == column).map(|(_, k)| *k)
}

fn snake(h: &str) -> String {
    let mut s: String =
        h.trim().trim_start_matches('#').to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) { format!("kolom_{s}") } else { s }
}

struct Col {
    /// position in the file's header
    pos: usize,
    header: String,
    name: String,
    sniffed: Sniffed,
    /// canonical (table, column)s it fills
    fills: Vec<(String, String)>,
    fact: Option<String>,
    note: Vec<String>,
    /// its value is the same on every row of a person
    per_person: bool,
    /// its value is the same on every row of the file
    constant: bool,
    /// that value, kept only for a delivery-fact column (a regio, a date: not personal)
    one_value: Option<String>,
}

/// The draft for a header-CSV `text` (already decoded), named after `file_name`.
pub fn draft_csv_layout(text: &str, encoding: Encoding, file_name: &str) -> String {
    draft_csv_layout_from(&[(text, encoding, file_name)]).unwrap_or_else(|e| format!("# {e}\n"))
}

/// As [`analyse_csv`], written as a layout file.
pub fn draft_csv_layout_from(files: &[(&str, Encoding, &str)]) -> std::result::Result<String, String> {
    analyse_csv(files).map(|d| d.render())
}

/// The draft from the evidence of every file given — decoded text,
/// encoding, name — which must share one header: a weekly P-levering rarely
/// has a value in every column, the C-levering beside it does. Files with
/// another header are refused, naming them (draft those on their own).
pub fn analyse_csv(files: &[(&str, Encoding, &str)]) -> std::result::Result<Draft, String> {
    let Some(&(_, encoding, file_name)) = files.first() else { return Err("no file to draft from".into()) };
    let ev = read_evidence(files)?;
    let terms = vocabulary();
    let (mut cols, repeated) = describe_columns(&ev, &terms);
    date_format_for_empty_columns(&mut cols);
    let (keys, key_evidence) = choose_person_key(&mut cols, &ev.rows, &terms);
    let key = keys.first().copied();
    mark_per_person(&mut cols, &ev.rows, key);
    fit_mappings(&mut cols);
    let key_names: Vec<String> = keys.iter().map(|&k| cols[k].name.clone()).collect();
    let Placement { tables, extra, geboortedatum } = place(&mut cols, &keys);
    let stem = file_name.rsplit('/').next().unwrap_or(file_name);
    let found = Found {
        files: files.len(),
        columns: ev.header.len(),
        rows: ev.rows.len(),
        encoding,
        endings: ev.endings,
        ragged: ev.ragged,
        repeated,
    };
    let key_note = key_evidence.zip(key).map(|(why, k)| (cols[k].name.clone(), why));
    let mut draft = Draft {
        notes: notes(stem, &found, key_note, geboortedatum.is_none()),
        name: format!("DRAFT-{}", snake(stem.split('.').next().unwrap_or("csv")).to_uppercase()),
        description: format!("drafted from {stem}"),
        separator: char::from(ev.sep),
        quoting: ev.quoting,
        null: ev.nulls.clone(),
        person_key: key_names,
        recognise_example: cols.iter().take(3).map(|c| c.header.clone()).collect(),
        facts: cols.iter().filter_map(|c| c.fact.clone().map(|f| (f, c.name.clone()))).collect(),
        columns: cols.iter().map(|c| draft_column(c, &ev.nulls)).collect(),
        tables: draft_tables(&tables, &extra, geboortedatum.as_deref()),
        ..Draft::default()
    };
    // the figures it cannot answer, judged by the layout it reads as: the
    // one rule `inspect --layout` and `ingest` apply too
    if let Ok(layout) = crate::layout::csv::CsvLayout::from_toml(&draft.render(), "draft") {
        draft.gaps = crate::normalise::canonical::unanswerable(|t, c| layout.leaves_empty(t, c)).iter().map(|g| g.to_string()).collect();
    }
    Ok(draft)
}

/// The files as the drafter reads them: one header, every row, and what
/// holds for the files as a whole.
struct Evidence {
    sep: u8,
    quoting: bool,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
    /// Per row, the file it came from: a delivery fact is one value per file.
    file_of_row: Vec<usize>,
    /// Rows without a value per header column.
    ragged: usize,
    endings: &'static str,
    nulls: Vec<String>,
}

/// Reads every file's rows; files with another header than the first are refused.
fn read_evidence(files: &[(&str, Encoding, &str)]) -> std::result::Result<Evidence, String> {
    let (text, _, file_name) = files[0];
    let sep = separator_of(first_line(text)).unwrap_or(b';');
    // quoting: on when some value starts with a quote; otherwise a `"` is text
    let quoting =
        files.iter().any(|(t, _, _)| t.split(['\r', '\n']).any(|l| l.starts_with('"') || l.contains(&format!("{}\"", char::from(sep)))));
    let dialect = Dialect { separators: vec![sep], quoting };
    let mut rows: Vec<csv::StringRecord> = Vec::new();
    let mut file_of_row: Vec<usize> = Vec::new();
    let mut ragged = 0usize;
    let mut header: Vec<String> = Vec::new();
    for (i, &(t, _, name)) in files.iter().enumerate() {
        let mut reader = dialect.reader(sep, t);
        let mut records = reader.records();
        let this: Vec<String> = match records.next() {
            Some(Ok(h)) => h.iter().map(|x| x.trim().to_string()).collect(),
            _ => Vec::new(),
        };
        if i == 0 {
            header = this;
        } else if this.iter().map(|h| header_key(h)).ne(header.iter().map(|h| header_key(h))) {
            return Err(format!("{name} has another header than {file_name}: draft each kind of file on its own"));
        }
        for r in records.flatten() {
            if r.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            if r.len() != header.len() {
                ragged += 1;
            }
            rows.push(r);
            file_of_row.push(i);
        }
    }
    let endings = {
        let count = |p: &str| files.iter().map(|(t, _, _)| t.matches(p).count()).sum::<usize>();
        let crlf = count("\r\n");
        let lf = count("\n") - crlf;
        let cr = count("\r") - crlf;
        match (crlf, lf, cr) {
            (_, 0, 0) => "CRLF",
            (0, _, 0) => "LF",
            (0, 0, _) => "CR only",
            _ => "mixed",
        }
    };
    let null_marker = rows.iter().any(|r| r.iter().any(|v| v.trim().eq_ignore_ascii_case("NULL")));
    let nulls: Vec<String> = if null_marker { vec![String::new(), "NULL".into(), "null".into()] } else { vec![String::new()] };

    Ok(Evidence { sep, quoting, header, rows, file_of_row, ragged, endings, nulls })
}

/// Each named column of the header: its name from the vocabulary (or the
/// header itself), the canonical columns it may fill, what its values
/// are. Also the header names that repeat an earlier one (left out).
fn describe_columns(ev: &Evidence, terms: &[Term]) -> (Vec<Col>, Vec<String>) {
    let (header, rows, nulls) = (&ev.header, &ev.rows, &ev.nulls);
    let term_of = |h: &str| terms.iter().find(|t| t.headers.iter().any(|x| loose(x) == loose(h)));
    let mut used_names: Vec<String> = Vec::new();
    let mut cols: Vec<Col> = Vec::new();
    let mut seen_headers: Vec<(String, usize)> = Vec::new();
    let mut repeated: Vec<String> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if h.trim().trim_start_matches('#').trim().is_empty() {
            // an unnamed column (a separator at the end of every line) cannot be asked for by name
            continue;
        }
        // a name the header holds twice cannot be asked for either: which
        // column is meant? (ingest refuses such a file, naming both). Compared
        // as the draft writes it: control characters become spaces (`q`), and
        // TOML refuses them in a comment too.
        let shown = printable(h.trim()).replace('\t', " ");
        if let Some((_, first)) = seen_headers.iter().find(|(k, _)| *k == header_key(&shown)) {
            repeated.push(format!("column {} repeats the name of column {first} ({shown})", i + 1));
            continue;
        }
        seen_headers.push((header_key(&shown), i + 1));
        let values: Vec<&str> = rows.iter().map(|r| r.get(i).unwrap_or("").trim()).collect();
        // a canonical name is meant as one; the vocabulary's entry where both
        // say the same (it carries a code's width and a person number's role)
        let term = match (canonical_term(h), term_of(h)) {
            (Some(c), Some(k)) if k.fills == c.fills && k.fact == c.fact => Some(k.clone()),
            (Some(c), _) => Some(c),
            (None, k) => k.cloned(),
        }
        .filter(|t| !used_names.contains(&t.name));
        let fills: Vec<(String, String)> = term
            .iter()
            .flat_map(|t| t.fills.iter().filter_map(|f| f.split_once('.')).map(|(a, b)| (a.to_string(), b.to_string())))
            .collect();
        let target = fills.first().and_then(|(t, c)| canonical_kind(t, c)).or(match term.as_ref().and_then(|t| t.fact.as_deref()) {
            Some("peildatum" | "aanmaakdatum") => Some(ValueKind::Date),
            Some(_) => Some(ValueKind::Text),
            None => None,
        });
        let sniffed = sniff(h, &values, target, term.as_ref().and_then(|t| t.pad), nulls);
        let mut name = term.as_ref().map(|t| t.name.clone()).unwrap_or_else(|| snake(h));
        while used_names.contains(&name) {
            name.push_str("_2");
        }
        used_names.push(name.clone());
        let present: Vec<&&str> = values.iter().filter(|v| !nulls.iter().any(|n| n == **v)).collect();
        // one value in each file (rows are in file order)
        let constant = values
            .iter()
            .zip(&ev.file_of_row)
            .filter(|(v, _)| !nulls.iter().any(|n| n == **v))
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0].1 != w[1].1 || w[0].0 == w[1].0);
        let fact = term.and_then(|t| t.fact);
        let one_value = if constant && fact.is_some() { present.first().map(|v| v.to_string()) } else { None };
        cols.push(Col { pos: i, header: h.clone(), name, sniffed, fills, fact, note: Vec::new(), per_person: true, constant, one_value });
    }

    (cols, repeated)
}

/// A date column empty in this file takes the format its other date
/// columns share (a weekly file rarely has a value in every column, and
/// the next one's values must read), rather than a default.
fn date_format_for_empty_columns(cols: &mut [Col]) {
    let mut formats: Vec<&'static str> = cols.iter().filter(|c| c.sniffed.present > 0).filter_map(|c| c.sniffed.date).collect();
    formats.sort_unstable();
    let common = formats.chunk_by(|a, b| a == b).max_by_key(|run| run.len()).map(|run| run[0]);
    for c in cols.iter_mut().filter(|c| c.sniffed.present == 0 && c.sniffed.kind == ValueKind::Date) {
        if let Some(f) = common {
            c.sniffed.date = Some(f);
            c.note.push(format!("empty in this file: format {f}, as the file's other dates"));
        }
    }
}

/// The person key columns, and — when the vocabulary knew none — why the
/// one chosen was chosen. Key columns are drafted as text.
fn choose_person_key(cols: &mut [Col], rows: &[csv::StringRecord], terms: &[Term]) -> (Vec<usize>, Option<String>) {
    // the person key: the pgn column, else the BSN and then the onderwijsnummer
    // (DUO's pgn is the BSN where known), else whichever of the two there is
    let role_of = |c: &Col| terms.iter().find(|t| t.name == c.name).and_then(|t| t.role.clone());
    let with_role = |r: &str| cols.iter().position(|c| role_of(c).as_deref() == Some(r));
    let mut keys: Vec<usize> = match (with_role("pgn"), with_role("bsn"), with_role("onderwijsnummer")) {
        (Some(p), _, _) => vec![p],
        (None, b, o) => b.into_iter().chain(o).collect(),
    };
    // none recognised by the vocabulary: chosen by evidence, and the draft
    // says how sure the choice is
    let mut key_evidence = None;
    if keys.is_empty() && !cols.is_empty() {
        let (k, why) = key_by_evidence(cols, rows);
        keys.push(k);
        key_evidence = Some(why);
    }
    // a pgn is text (nine digits, leading zeros kept): a key column whose
    // values read as numbers is drafted as text all the same
    for &k in &keys {
        let values: Vec<&str> = rows.iter().map(|r| r.get(cols[k].pos).unwrap_or("").trim()).collect();
        as_person_number(&mut cols[k].sniffed, &values);
    }
    (keys, key_evidence)
}

/// Marks the columns whose value changes within a person's rows.
fn mark_per_person(cols: &mut [Col], rows: &[csv::StringRecord], key: Option<usize>) {
    if let Some(k) = key.map(|k| cols[k].pos) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for c in cols.iter_mut() {
            seen.clear();
            for r in rows {
                let person = r.get(k).unwrap_or("").trim();
                let v = r.get(c.pos).unwrap_or("").trim();
                if *seen.entry(person).or_insert(v) != v {
                    c.per_person = false;
                    break;
                }
            }
        }
    }
}

/// Keeps the mappings the sniffed types allow, and the delivery facts
/// that are one value per file; says why for each one dropped.
fn fit_mappings(cols: &mut [Col]) {
    for c in cols.iter_mut() {
        let mut kept = Vec::new();
        for (t, col) in c.fills.drain(..) {
            match canonical_kind(&t, &col) {
                Some(k) if k == c.sniffed.kind => kept.push((t, col)),
                Some(k) => c.note.push(format!(
                    "not mapped to {t}.{col}: that holds {} values, this column's values read as {} (add a `map` or `pattern`, then map it)",
                    kind_name(k),
                    kind_name(c.sniffed.kind)
                )),
                None => {}
            }
        }
        c.fills = kept;
        if let Some(f) = &c.fact {
            let ok = match f.as_str() {
                "peildatum" | "aanmaakdatum" => c.sniffed.kind == ValueKind::Date,
                _ => c.sniffed.kind == ValueKind::Text,
            };
            if !c.constant || !ok || c.sniffed.present == 0 {
                c.note.push(format!("not used as the delivery's {f}: its values are not one {f} for the whole file"));
                c.fact = None;
            } else if f == "afnemer" {
                // G0363 / R0032, or a regio number as it is; else take the number out (`REGIO 28`)
                let v = c.one_value.as_deref().unwrap_or_default();
                let plain = v.bytes().all(|b| b.is_ascii_digit()) || (v.len() == 5 && v.starts_with(['G', 'R']));
                c.sniffed.pattern = !plain && one_number(v).is_some();
            }
        }
    }
}

/// Where the columns go: canonical column → the column filling it, per
/// table; the extra columns per table; the birth date column, if any.
struct Placement {
    tables: BTreeMap<&'static str, BTreeMap<&'static str, String>>,
    extra: BTreeMap<&'static str, Vec<String>>,
    geboortedatum: Option<String>,
}

fn place(cols: &mut [Col], keys: &[usize]) -> Placement {
    // tables: canonical column → the column filling it
    let mut tables: BTreeMap<&'static str, BTreeMap<&'static str, String>> = BTreeMap::new();
    for c in cols.iter() {
        for (t, col) in &c.fills {
            let Some(table) = RECORD_TABLES.iter().find(|x| x.name == t) else { continue };
            let Some((canon, _)) = table.columns.iter().find(|(x, _)| x == col) else { continue };
            tables.entry(table.name).or_default().entry(canon).or_insert_with(|| c.name.clone());
        }
    }
    tables.entry("persoon").or_default();
    // a column whose canonical columns all went to an earlier one is kept as an extra
    for c in cols.iter_mut() {
        let kept = c.fills.iter().any(|(t, col)| tables.get(t.as_str()).and_then(|m| m.get(col.as_str())) == Some(&c.name));
        if !c.fills.is_empty() && !kept {
            c.note.push("its canonical column is filled by an earlier column: kept as an extra column".into());
            c.fills.clear();
        }
    }
    let geboortedatum = tables.get("persoon").and_then(|p| p.get("geboortedatum")).cloned();
    let row_table = if tables.contains_key("inschrijving") { "inschrijving" } else { "persoon" };
    let mut extra: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let taken: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
    for (i, c) in cols.iter_mut().enumerate() {
        if keys.contains(&i) || !c.fills.is_empty() || c.fact.is_some() {
            continue;
        }
        let to = if c.per_person { "persoon" } else { row_table };
        // an extra column may not take a canonical column's name (`niveau` read as text)
        if canonical_kind(to, &c.name).is_some() || c.name == "levering_id" {
            let mut renamed = format!("{}_in_bestand", c.name);
            while taken.contains(&renamed) {
                renamed.push_str("_2");
            }
            c.note.push(format!("named {renamed}: {} is a canonical column of {to}", c.name));
            c.name = renamed;
        }
        extra.entry(to).or_default().push(c.name.clone());
    }

    Placement { tables, extra, geboortedatum }
}

/// What the drafter found in the files as a whole.
struct Found {
    files: usize,
    columns: usize,
    rows: usize,
    encoding: Encoding,
    endings: &'static str,
    ragged: usize,
    repeated: Vec<String>,
}

/// The draft's opening comments.
fn notes(stem: &str, f: &Found, key_evidence: Option<(String, String)>, no_birth_date: bool) -> Vec<String> {
    let mut n = vec![
        format!("Layout drafted by `verzuim inspect` from {stem}: a header CSV."),
        "Read, check and rename; then:".to_string(),
        "  verzuim inspect FILE --layout THIS.toml --soort C --afnemer G0363 --peildatum 2026-10-01".to_string(),
        "  verzuim ingest FILE --layout THIS.toml --soort C --afnemer G0363 --peildatum 2026-10-01".to_string(),
    ];
    if f.files > 1 {
        n.push(format!("Drafted from {} files with this header, all their rows read.", f.files));
    }
    n.push(format!("Found: {} columns, {} rows; encoding {}; line ends {}.", f.columns, f.rows, f.encoding.label(), f.endings));
    if f.ragged > 0 {
        n.push(format!("{} row(s) do not have {} values: the file will be refused until they do.", f.ragged, f.columns));
    }
    for r in &f.repeated {
        n.push(format!("The header's {r}: left out here, and the file is refused until each column has its own name."));
    }
    if let Some((key, why)) = key_evidence {
        n.push("No person number column was recognised by name (PERSOONSGEBONDENNUMMER, BSN, ONDERWIJSNUMMER):".into());
        n.push(format!("person_key is {key}, {why}. Set it to the column that identifies a person if that is another."));
    }
    if no_birth_date {
        n.push("No birth date column was recognised: map persoon.geboortedatum, the figures need it.".into());
    }
    n
}

/// A column as the draft writes it, with what its values look like.
fn draft_column(c: &Col, nulls: &[String]) -> DraftColumn {
    let sn = &c.sniffed;
    let mut about = vec![format!("{} with a value, {} empty", sn.present, sn.empty)];
    let mut formats = Vec::new();
    let mut null = None;
    if let Some(d) = sn.date {
        formats.push(d);
        match sn.also {
            None => about.push(format!("every value a date {d}")),
            Some(a) => {
                formats.push(a);
                about.push(format!("dates written two ways: {d}, and {a} for the rest"));
            }
        }
        if !sn.zero_dates.is_empty() {
            null = Some(nulls.iter().cloned().chain(sn.zero_dates.iter().cloned()).collect());
            about.push("zeros stand for no date".into());
        }
        if sn.unknown_parts {
            about.push("00 for a month or day not known: read as the first".into());
        }
        if d.contains("JJ") && !d.contains("JJJJ") {
            about.push("two-digit years: 00-69 → 20xx, 70-99 → 19xx".into());
        }
        if d == "JJJJMM" {
            about.push("a month reads as its last day".into());
        }
    }
    if sn.whole_number {
        about.push("whole numbers written as decimals (129.0)".into());
    }
    if let Some(p) = sn.pad {
        about.push(format!("digits padded with zeros to {p}"));
    }
    let pattern = match (sn.pattern, sn.date_with_time) {
        (true, _) => {
            about.push("the number inside the text is the value".into());
            Some("([0-9]+)")
        }
        (false, true) => {
            about.push("a date with a time: the date is read, the time left".into());
            Some("^([^ ]+)")
        }
        (false, false) => None,
    };
    if let Some(ch) = sn.check {
        about.push(format!("every value passes the 11-proef ({})", check_name(ch)));
    }
    if !c.fills.is_empty() {
        about.push(format!("fills {}", c.fills.iter().map(|(t, x)| format!("{t}.{x}")).collect::<Vec<_>>().join(", ")));
    }
    about.extend(c.note.iter().cloned());
    DraftColumn {
        header: c.header.clone(),
        name: c.name.clone(),
        kind: sn.kind,
        formats,
        null,
        whole_number: sn.whole_number,
        pad: sn.pad,
        pattern,
        flag_map: sn.flag_map,
        check: sn.check,
        unknown_date_parts: sn.unknown_parts,
        about,
    }
}

/// The `[tables.X]` sections, in canonical order: each canonical column
/// mapped, given a stand-in, or absent; the extra columns.
fn draft_tables(
    tables: &BTreeMap<&'static str, BTreeMap<&'static str, String>>,
    extra: &BTreeMap<&str, Vec<String>>,
    geboortedatum: Option<&str>,
) -> Vec<DraftTable> {
    let mut out = Vec::new();
    for canon in RECORD_TABLES.iter().filter(|t| tables.contains_key(t.name) || extra.contains_key(t.name)) {
        let t = canon.name;
        let mapped = tables.get(t).cloned().unwrap_or_default();
        let mut table = DraftTable { table: t, extra: extra.get(t).cloned().unwrap_or_default(), ..DraftTable::default() };
        let verblijf_start = t == "verblijf" && !mapped.contains_key("datum_aanvang");
        if t == "verblijf" || t == "startkwalificatie" {
            let why = vec!["the file gives one per person: repeated rows collapse, disagreeing ones are a bevinding".to_string()];
            table.per_person = Some((why, verblijf_start || t == "startkwalificatie"));
        }
        for (col, _) in canon.columns.iter().filter(|(c, _)| *c != "pgn") {
            match (mapped.get(col), geboortedatum) {
                (Some(c), _) => table.columns.push((Vec::new(), col, Source::Column(c.clone()))),
                (None, _) if t == "verblijf" && *col == "landcode" => table.columns.push((
                    vec!["no country column: a gemeentecode is a Dutch address".into()],
                    col,
                    Source::Constant("6030".into()),
                )),
                (None, Some(born)) if verblijf_start && *col == "datum_aanvang" => table.columns.push((
                    vec![
                        "no start date of the address: read as \"lived there since birth\", so that the person counts in".into(),
                        "the gemeente on every peildatum of this delivery (docs/layouts.md)".into(),
                    ],
                    col,
                    Source::Column(born.to_string()),
                )),
                (None, _) => table.absent.push(col),
            }
        }
        out.push(table);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a column's values make of it, in the style of csv-core's
    /// `parses_to!`: (header, values, canonical type wanted, a code's width) in; type,
    /// date formats, padding, whole numbers, pattern, flag map, 11-proef out.
    #[test]
    fn sniffs_to() {
        use ValueKind::{Date, Flag, Integer, Text};
        type Out =
            (ValueKind, &'static [&'static str], Option<usize>, bool, bool, Option<(&'static str, &'static str)>, Option<NumberCheck>);
        type Case = (&'static str, &'static [&'static str], Option<ValueKind>, Option<usize>, Out);
        let cases: &[Case] = &[
            ("GEBOORTEDATUM", &["20100305", "20111231"], None, None, (Date, &["JJJJMMDD"], None, false, false, None, None)),
            // eight digits without a date's name are a number
            ("VOLGNR", &["20100305"], None, None, (Integer, &[], None, false, false, None, None)),
            ("DATUM", &["15-10-2025", "5-3-2010"], None, None, (Date, &["D-M-JJJJ"], None, false, false, None, None)),
            ("DATUM", &["20100305", "5-3-2011", "20120101"], None, None, (Date, &["JJJJMMDD", "D-M-JJJJ"], None, false, false, None, None)),
            ("PEILMAAND", &["202609"], None, None, (Date, &["JJJJMM"], None, false, false, None, None)),
            ("DATUM", &["05-03-2010 00:00:00", "00-00-0000 00:00:00"], None, None, (Date, &["D-M-JJJJ"], None, false, false, None, None)),
            ("M", &["3/5/10", "12/31/99"], None, None, (Date, &["M/D/JJ"], None, false, false, None, None)),
            ("BEKOSTIGD", &["J", "N"], None, None, (Flag, &[], None, false, false, None, None)),
            ("BEKOSTIGD", &["Ja", "Nee"], Some(Flag), None, (Flag, &[], None, false, false, Some(("Ja", "Nee")), None)),
            // Ja/Nee where no flag is wanted stays text
            ("OPMERKING", &["Ja", "Nee"], None, None, (Text, &[], None, false, false, None, None)),
            ("HUISNUMMER", &["129.0", "7"], None, None, (Integer, &[], None, true, false, None, None)),
            ("GEMEENTE", &["363", "0014"], Some(Text), Some(4), (Text, &[], Some(4), false, false, None, None)),
            ("BSN", &["12345672", "123456782"], Some(Text), Some(9), (Text, &[], Some(9), false, false, None, Some(NumberCheck::Bsn))),
            ("NIVEAU", &["Mbo4 opleidingen", "niveau 2"], Some(Integer), None, (Integer, &[], None, false, true, None, None)),
            ("POSTCODE", &["1234AB"], None, None, (Text, &[], None, false, false, None, None)),
            ("GEBOORTEDATUM", &["20100500", "20100517", "20100000"], None, None, (Date, &["JJJJMMDD"], None, false, false, None, None)),
            // no values: the wanted type, a date compact
            ("DATUM_EINDE", &["", ""], Some(Date), None, (Date, &["JJJJMMDD"], None, false, false, None, None)),
        ];
        for (header, values, target, pad_hint, want) in cases {
            let s = sniff(header, values, *target, *pad_hint, &[String::new()]);
            let formats: Vec<&str> = s.date.into_iter().chain(s.also).collect();
            let got = (s.kind, formats.as_slice(), s.pad, s.whole_number, s.pattern, s.flag_map, s.check);
            let want = (want.0, want.1, want.2, want.3, want.4, want.5, want.6);
            assert_eq!(got, want, "{header} {values:?}");
            assert_eq!(
                s.unknown_parts,
                values.iter().any(|v| v.len() == 8 && (v.ends_with("00") || &v[4..6] == "00")),
                "{header} {values:?}"
            );
        }
    }

    /// A record file's fields are typed by the same sniffing: compact dates
    /// without a name to hint, J/N flags, digits noted.
    #[test]
    fn a_record_file_drafts_through_the_same_sniffing() {
        let draft =
            draft_record_layout("KOP|20261001|X\nREC|123456782|J|20100305|5-3-2010|41\nREC|100000009|N|20110101|6-3-2010|7\nEIND|2\n");
        for want in [
            "separators = [\"|\"]",
            "[records.\"REC\"]",
            "{ name = \"veld3\", type = \"flag\" }",
            "{ name = \"veld4\", type = \"date\" }",
            "{ name = \"veld5\", type = \"date\", format = \"D-M-JJJJ\" }",
            "{ name = \"veld6\" },  # digits only",
        ] {
            assert!(draft.contains(want), "{want} not in:\n{draft}");
        }
        assert!(!draft.contains("123456782"), "values are never copied");
    }

    /// A register's export with `00` for a month or day it does not know
    /// drafts to a layout that reads those dates as the first.
    #[test]
    fn unknown_date_parts_draft_and_read() {
        let text = "BSN;GEBOORTEDATUM\r\n123456782;20100500\r\n100000009;20110000\r\n";
        let draft = draft_csv_layout(text, Encoding::Utf8, "brp.csv");
        assert!(draft.contains("unknown_date_parts = \"first\""), "{draft}");
        let layout = crate::layout::csv::CsvLayout::from_toml(&draft, "draft").unwrap();
        let plan = crate::normalise::csv::CsvPlan::new(layout).unwrap();
        let given = crate::normalise::Facts { soort: Some("C".into()), afnemer: Some("G0363".into()), peildatum: Some(20_727) };
        let survey = plan.survey(text, "brp.csv", &given, 5);
        assert!(survey.problems.is_empty(), "{:?}", survey.problems);
        assert!(survey.counts.contains(&("personen".to_string(), 2)), "{:?}", survey.counts);
    }
}
