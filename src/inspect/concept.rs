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
use std::fmt::Write as _;

use serde::Deserialize;

use crate::input::Encoding;
use crate::layout::csv::{Dialect, first_line, separator_of};
use crate::layout::{DateFormat, NumberCheck, ValueKind, header_key};
use crate::normalise::canonical::RECORD_TABLES;
use crate::parse::passes_11_proef;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    term: Vec<Term>,
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
fn loose(h: &str) -> String {
    header_key(h).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Date formats tried, in this order; the first that reads every value wins.
/// `D-M-JJJJ` comes before `DD-MM-JJJJ`: `D` reads one or two digits, so it
/// also reads the next file's `5-3-2010` when this one only had `15-10-2025`.
const DATE_FORMATS: &[&str] = &["JJJJMMDD", "JJJJ-MM-DD", "D-M-JJJJ", "D/M/JJJJ", "M/D/JJJJ", "D-M-JJ", "M/D/JJ", "JJJJMM"];

/// What the values of one column look like.
struct Sniffed {
    kind: ValueKind,
    date: Option<&'static str>,
    /// a second format, for the values `date` does not read
    also: Option<&'static str>,
    pad: Option<usize>,
    whole_number: bool,
    pattern: bool,
    flag_map: Option<(&'static str, &'static str)>,
    check: Option<NumberCheck>,
    present: usize,
    empty: usize,
    /// a date followed by a time: the pattern keeps the date
    date_with_time: bool,
    /// values that stand for "no date" (`00000000`, `00-00-0000`)
    zero_dates: Vec<String>,
}

fn date_hint(h: &str) -> bool {
    ["DATUM", "DATE", "GEBOORTE", "MAAND", "PERIODE", "PEIL"].iter().any(|w| h.contains(w))
}

fn sniff(header: &str, values: &[&str], target: Option<ValueKind>, pad_hint: Option<usize>, null: &[String]) -> Sniffed {
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
    let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let zero_fraction = |v: &str| match v.split_once(['.', ',']) {
        Some((i, f)) => digits(i) && !f.is_empty() && f.bytes().all(|b| b == b'0'),
        None => false,
    };
    // dates: with a hint in the name or the vocabulary; 8 and 6 digits only then
    let may_be_date = target == Some(ValueKind::Date) || date_hint(&h);
    // `0`, `00000000`, `00-00-0000`: a date column's way of saying "none"
    let zero = |v: &str| v.bytes().all(|b| b == b'0' || b == b'-' || b == b'/' || b == b'.') && v.contains('0');
    let zeros: Vec<String> = if may_be_date {
        let mut z: Vec<String> = present.iter().filter(|v| zero(v)).map(|v| v.to_string()).collect();
        z.sort();
        z.dedup();
        z
    } else {
        Vec::new()
    };
    let dated: Vec<&str> = present.iter().copied().filter(|v| !zeros.iter().any(|z| z == v)).collect();
    if !dated.is_empty() && (may_be_date || dated.iter().all(|v| v.contains(['-', '/']) && v.bytes().any(|b| b.is_ascii_digit()))) {
        let candidates: Vec<&'static str> = DATE_FORMATS
            .iter()
            .copied()
            .filter(|f| !((*f == "JJJJMMDD" || *f == "JJJJMM") && !may_be_date))
            .filter(|f| *f != "JJJJMM" || ["MAAND", "PERIODE", "PEIL"].iter().any(|w| h.contains(w)))
            .collect();
        let reads = |f: &str, v: &str| DateFormat::parse_pattern(f).expect("valid").parse_days(v).is_some();
        if let Some(f) = candidates.iter().copied().find(|f| dated.iter().all(|v| reads(f, v))) {
            s.kind = ValueKind::Date;
            s.date = Some(f);
            s.zero_dates = zeros;
            return s;
        }
        // dates written two ways (an export merged from two systems): the
        // format most values are in, and one that reads all the rest
        let count = |f: &str| dated.iter().filter(|v| reads(f, v)).count();
        let most = candidates.iter().copied().fold(None, |best: Option<(&'static str, usize)>, f| {
            let n = count(f);
            if best.is_none_or(|(_, b)| n > b) { Some((f, n)) } else { best }
        });
        if let Some((first, n)) = most
            && 2 * n >= dated.len()
        {
            let rest: Vec<&str> = dated.iter().copied().filter(|v| !reads(first, v)).collect();
            if let Some(second) = candidates.iter().copied().find(|f| rest.iter().all(|v| reads(f, v))) {
                s.kind = ValueKind::Date;
                s.date = Some(first);
                s.also = Some(second);
                s.zero_dates = zeros;
                return s;
            }
        }
    }
    // flags
    for (yes, no) in [("J", "N"), ("JA", "NEE"), ("Ja", "Nee"), ("ja", "nee"), ("Y", "N"), ("1", "0"), ("true", "false"), ("True", "False")]
    {
        if present.iter().all(|v| *v == yes || *v == no) && ((yes, no) == ("J", "N") || target == Some(ValueKind::Flag)) {
            s.kind = ValueKind::Flag;
            if yes != "J" {
                s.flag_map = Some((yes, no));
            }
            return s;
        }
    }
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
        return s;
    }
    // a number inside text (`REGIO 28`, `Mbo4 opleidingen`) where a number is wanted
    if target == Some(ValueKind::Integer) && present.iter().all(|v| one_number(v).is_some()) {
        s.kind = ValueKind::Integer;
        s.pattern = true;
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

fn kind_name(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Text => "text",
        ValueKind::Date => "date",
        ValueKind::Integer => "integer",
        ValueKind::Flag => "flag",
    }
}

fn canonical_kind(table: &str, column: &str) -> Option<ValueKind> {
    RECORD_TABLES.iter().find(|t| t.name == table)?.columns.iter().find(|(c, _)| *c == column).map(|(_, k)| *k)
}

/// `s` with every control character a space: TOML refuses them in a
/// comment, and a string of the draft shows the text as a comment would.
fn printable(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect()
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in printable(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// The draft from the evidence of every file given — decoded text,
/// encoding, name — which must share one header: a weekly P-levering rarely
/// has a value in every column, the C-levering beside it does. Files with
/// another header are refused, naming them (draft those on their own).
pub fn draft_csv_layout_from(files: &[(&str, Encoding, &str)]) -> std::result::Result<String, String> {
    let Some(&(text, encoding, file_name)) = files.first() else { return Err("no file to draft from".into()) };
    let sep = separator_of(first_line(text)).unwrap_or(b';');
    // quoting: on when some value starts with a quote; otherwise a `"` is text
    let quoting =
        files.iter().any(|(t, _, _)| t.split(['\r', '\n']).any(|l| l.starts_with('"') || l.contains(&format!("{}\"", char::from(sep)))));
    let dialect = Dialect { separators: vec![sep], quoting };
    let mut rows: Vec<csv::StringRecord> = Vec::new();
    // per row, the file it came from: a delivery fact is one value per file
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

    // the vocabulary
    let terms = vocabulary();
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
        let sniffed = sniff(h, &values, target, term.as_ref().and_then(|t| t.pad), &nulls);
        let mut name = term.as_ref().map(|t| t.name.clone()).unwrap_or_else(|| snake(h));
        while used_names.contains(&name) {
            name.push_str("_2");
        }
        used_names.push(name.clone());
        let present: Vec<&&str> = values.iter().filter(|v| !nulls.iter().any(|n| n == **v)).collect();
        // one value in each file (rows are in file order)
        let constant = values
            .iter()
            .zip(&file_of_row)
            .filter(|(v, _)| !nulls.iter().any(|n| n == **v))
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0].1 != w[1].1 || w[0].0 == w[1].0);
        let fact = term.and_then(|t| t.fact);
        let one_value = if constant && fact.is_some() { present.first().map(|v| v.to_string()) } else { None };
        cols.push(Col { pos: i, header: h.clone(), name, sniffed, fills, fact, note: Vec::new(), per_person: true, constant, one_value });
    }

    // A date column empty in this file takes the format its other date
    // columns share (a weekly file rarely has a value in every column, and
    // the next one's values must read), rather than a default.
    let mut formats: Vec<&'static str> = cols.iter().filter(|c| c.sniffed.present > 0).filter_map(|c| c.sniffed.date).collect();
    formats.sort_unstable();
    let common = formats.chunk_by(|a, b| a == b).max_by_key(|run| run.len()).map(|run| run[0]);
    for c in cols.iter_mut().filter(|c| c.sniffed.present == 0 && c.sniffed.kind == ValueKind::Date) {
        if let Some(f) = common {
            c.sniffed.date = Some(f);
            c.note.push(format!("empty in this file: format {f}, as the file's other dates"));
        }
    }

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
        let (k, why) = key_by_evidence(&cols, &rows);
        keys.push(k);
        key_evidence = Some(why);
    }
    // a pgn is text (nine digits, leading zeros kept): a key column whose
    // values read as numbers is drafted as text all the same
    for &k in &keys {
        let values: Vec<&str> = rows.iter().map(|r| r.get(cols[k].pos).unwrap_or("").trim()).collect();
        as_person_number(&mut cols[k].sniffed, &values);
    }
    let key = keys.first().copied();
    if let Some(k) = key.map(|k| cols[k].pos) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for c in cols.iter_mut() {
            seen.clear();
            for r in &rows {
                let person = r.get(k).unwrap_or("").trim();
                let v = r.get(c.pos).unwrap_or("").trim();
                if *seen.entry(person).or_insert(v) != v {
                    c.per_person = false;
                    break;
                }
            }
        }
    }
    // which mappings can stand: the sniffed type must be the canonical one
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
    let key_names: Vec<String> = keys.iter().map(|&k| cols[k].name.clone()).collect();

    // tables: canonical column → the column filling it
    let mut tables: BTreeMap<&'static str, BTreeMap<&'static str, String>> = BTreeMap::new();
    for c in &cols {
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
    let mut extra: BTreeMap<&str, Vec<String>> = BTreeMap::new();
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

    // ---- write it ----
    let mut s = String::new();
    let stem = file_name.rsplit('/').next().unwrap_or(file_name);
    let _ = writeln!(s, "# Layout drafted by `verzuim inspect` from {stem}: a header CSV.");
    let _ = writeln!(s, "# Read, check and rename; then:");
    let _ = writeln!(s, "#   verzuim inspect FILE --layout THIS.toml --soort C --afnemer G0363 --peildatum 2026-10-01");
    let _ = writeln!(s, "#   verzuim ingest FILE --layout THIS.toml --soort C --afnemer G0363 --peildatum 2026-10-01");
    if files.len() > 1 {
        let _ = writeln!(s, "# Drafted from {} files with this header, all their rows read.", files.len());
    }
    let _ = writeln!(s, "# Found: {} columns, {} rows; encoding {}; line ends {endings}.", header.len(), rows.len(), encoding.label());
    if ragged > 0 {
        let _ = writeln!(s, "# {ragged} row(s) do not have {} values: the file will be refused until they do.", header.len());
    }
    for r in &repeated {
        let _ = writeln!(s, "# The header's {r}: left out here, and the file is refused until each column has its own name.");
    }
    if let (Some(why), Some(k)) = (&key_evidence, key) {
        let _ = writeln!(s, "# No person number column was recognised by name (PERSOONSGEBONDENNUMMER, BSN, ONDERWIJSNUMMER):");
        let _ = writeln!(s, "# person_key is {}, {why}. Set it to the column that identifies a person if that is another.", cols[k].name);
    }
    if geboortedatum.is_none() {
        let _ = writeln!(s, "# No birth date column was recognised: map persoon.geboortedatum, the figures need it.");
    }
    let _ = writeln!(
        s,
        "\n[layout]\nname = {}\ndescription = {}\nformat = \"csv\"",
        q(&format!("DRAFT-{}", snake(stem.split('.').next().unwrap_or("csv")).to_uppercase())),
        q(&format!("drafted from {stem}"))
    );
    let _ = writeln!(s, "separator = {}", q(&char::from(sep).to_string()));
    let _ = writeln!(
        s,
        "# {}\nquoting = {quoting}",
        if quoting {
            "some values are quoted \"…\" (a separator or \"\" inside)"
        } else {
            "no value starts with a quote: a \" is part of the text"
        }
    );
    let _ = writeln!(s, "null = [{}]", nulls.iter().map(|n| q(n)).collect::<Vec<_>>().join(", "));
    match key_names.as_slice() {
        [] => {
            let _ = writeln!(s, "person_key = \"pgn\"");
        }
        [one] => {
            let _ = writeln!(s, "person_key = {}", q(one));
        }
        several => {
            let _ = writeln!(s, "# the pgn is the first of these with a value (DUO: the BSN, else the onderwijsnummer)");
            let _ = writeln!(s, "person_key = [{}]", several.iter().map(|n| q(n)).collect::<Vec<_>>().join(", "));
        }
    }
    let _ = writeln!(s, "# two rows of one person that disagree in a per-person table: \"bevinding\" (the first kept) or \"reject\"");
    let _ = writeln!(s, "person_rows = \"bevinding\"");
    let _ = writeln!(s, "# A file is this layout when its header holds every column below (or list some here).");
    let _ = writeln!(s, "# recognise = [{}]", cols.iter().take(3).map(|c| q(&c.header)).collect::<Vec<_>>().join(", "));

    let _ = writeln!(s, "\n# The delivery's soort, afnemer and peildatum: from --soort --afnemer --peildatum,");
    let _ = writeln!(s, "# else a column, else the file name (DUO's naming: 20261005G0363C.csv), else a constant here.");
    let _ = writeln!(s, "[delivery]");
    let _ = writeln!(s, "file_name = '^(?<aanmaakdatum>[0-9]{{8}})(?<afnemer>[GR][0-9]{{4}})(?<soort>[PCA])'");
    for c in &cols {
        if let Some(f) = &c.fact {
            let _ = writeln!(s, "{f} = {{ column = {} }}", q(&c.name));
        }
    }

    for c in &cols {
        let _ = writeln!(s, "\n[[column]]\nheader = {}\nname = {}", q(&c.header), q(&c.name));
        let sn = &c.sniffed;
        let mut about = vec![format!("{} with a value, {} empty", sn.present, sn.empty)];
        if sn.kind != ValueKind::Text {
            let _ = writeln!(s, "type = {}", q(kind_name(sn.kind)));
        }
        if let Some(d) = sn.date {
            match sn.also {
                None => {
                    let _ = writeln!(s, "format = {}", q(d));
                    about.push(format!("every value a date {d}"));
                }
                Some(a) => {
                    let _ = writeln!(s, "format = [{}, {}]", q(d), q(a));
                    about.push(format!("dates written two ways: {d}, and {a} for the rest"));
                }
            }
            if !sn.zero_dates.is_empty() {
                let markers: Vec<String> = nulls.iter().cloned().chain(sn.zero_dates.iter().cloned()).collect();
                let _ = writeln!(s, "null = [{}]", markers.iter().map(|n| q(n)).collect::<Vec<_>>().join(", "));
                about.push("zeros stand for no date".into());
            }
            if d.contains("JJ") && !d.contains("JJJJ") {
                about.push("two-digit years: 00-69 → 20xx, 70-99 → 19xx".into());
            }
            if d == "JJJJMM" {
                about.push("a month reads as its last day".into());
            }
        }
        if sn.whole_number {
            let _ = writeln!(s, "whole_number = true");
            about.push("whole numbers written as decimals (129.0)".into());
        }
        if let Some(p) = sn.pad {
            let _ = writeln!(s, "pad = {p}");
            about.push(format!("digits padded with zeros to {p}"));
        }
        if sn.pattern {
            let _ = writeln!(s, "pattern = '([0-9]+)'");
            about.push("the number inside the text is the value".into());
        }
        if sn.date_with_time {
            let _ = writeln!(s, "pattern = '^([^ ]+)'");
            about.push("a date with a time: the date is read, the time left".into());
        }
        if let Some((yes, no)) = sn.flag_map {
            let _ = writeln!(s, "map = {{ {} = \"J\", {} = \"N\" }}", q(yes), q(no));
        }
        if let Some(ch) = sn.check {
            let name = match ch {
                NumberCheck::Bsn => "bsn",
                NumberCheck::Onderwijsnummer => "onderwijsnummer",
                NumberCheck::BsnOfOnderwijsnummer => "bsn-of-onderwijsnummer",
            };
            let _ = writeln!(s, "check = {}", q(name));
            about.push(format!("every value passes the 11-proef ({name})"));
        }
        if !c.fills.is_empty() {
            about.push(format!("fills {}", c.fills.iter().map(|(t, x)| format!("{t}.{x}")).collect::<Vec<_>>().join(", ")));
        }
        about.extend(c.note.iter().cloned());
        for a in about {
            let _ = writeln!(s, "# {a}");
        }
    }

    let _ = writeln!(s, "\n# Canonical tables: canonical column = the column above that fills it, a constant, or `absent`");
    let _ = writeln!(s, "# (stored as null; docs/layouts.md says which figures need which column). pgn is the person key.");
    let mut table_names: Vec<&str> = tables.keys().copied().collect();
    for t in extra.keys() {
        if !table_names.contains(t) {
            table_names.push(t);
        }
    }
    for t in RECORD_TABLES.iter().map(|t| t.name).filter(|t| table_names.contains(t)) {
        let mapped = tables.get(t).cloned().unwrap_or_default();
        let canon = RECORD_TABLES.iter().find(|x| x.name == t).expect("listed");
        let _ = writeln!(s, "\n[tables.{t}]");
        let mut absent = Vec::new();
        let verblijf_start = t == "verblijf" && !mapped.contains_key("datum_aanvang");
        if t == "verblijf" || t == "startkwalificatie" {
            let _ = writeln!(s, "# the file gives one per person: repeated rows collapse, disagreeing ones are a bevinding");
            let _ = writeln!(s, "per_person = {}", verblijf_start || t == "startkwalificatie");
        }
        if t == "persoon" {
            let _ = writeln!(s, "# pgn: the person key");
        }
        for (col, _) in canon.columns {
            if *col == "pgn" {
                continue;
            }
            match mapped.get(col) {
                Some(c) => {
                    let _ = writeln!(s, "{col} = {}", q(c));
                }
                None if t == "verblijf" && *col == "landcode" => {
                    let _ = writeln!(s, "# no country column: a gemeentecode is a Dutch address\nlandcode = {{ constant = \"6030\" }}");
                }
                None if verblijf_start && *col == "datum_aanvang" && geboortedatum.is_some() => {
                    let _ = writeln!(
                        s,
                        "# no start date of the address: read as \"lived there since birth\", so that the person counts in\n# the gemeente on every peildatum of this delivery (docs/layouts.md)\ndatum_aanvang = {}",
                        q(geboortedatum.as_deref().unwrap_or_default())
                    );
                }
                None => absent.push(q(col)),
            }
        }
        if !absent.is_empty() {
            let _ = writeln!(s, "absent = [{}]", absent.join(", "));
        }
        if let Some(e) = extra.get(t) {
            let _ = writeln!(s, "# columns kept as they are, as extra columns of {t}");
            let _ = writeln!(s, "extra = [{}]", e.iter().map(|n| q(n)).collect::<Vec<_>>().join(", "));
        }
    }
    Ok(cannot_answer(s))
}

/// The draft with, before its `[layout]`, the figures it cannot answer —
/// judged by the layout it reads as, the one rule `inspect --layout` and
/// `ingest` apply too.
fn cannot_answer(draft: String) -> String {
    let Ok(layout) = crate::layout::csv::CsvLayout::from_toml(&draft, "draft") else { return draft };
    let gaps = crate::normalise::canonical::unanswerable(|t, c| layout.leaves_empty(t, c));
    let Some(at) = draft.find("\n[layout]") else { return draft };
    let mut lines = String::new();
    if !gaps.is_empty() {
        lines.push_str("#\n# This layout cannot answer every figure: map these columns if the file has them.\n");
        for g in &gaps {
            let _ = writeln!(lines, "#   {g}");
        }
    }
    format!("{}{lines}{}", &draft[..at + 1], &draft[at + 1..])
}
