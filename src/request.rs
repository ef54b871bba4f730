//! Request files for DUO (`verzuim request`): the files leerplichtambtenaren
//! otherwise type in Notepad. Exactly as DUO asks: name `JJJJMMDD` + `G`/`R` +
//! the 4-character code + `C`/`A` + `.txt`; content `111111111` (C) or the
//! requested numbers (A), one per line, every line ended with CRLF,
//! Windows-1252 (the content is digits only, so also plain ASCII).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::layout::NumberCheck;
use crate::parse::{mask, passes_11_proef};

/// Who asks: a gemeente or a Doorstroompunt-regio, with its code zero-padded to 4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Afnemer {
    pub soort: char,
    pub code: String,
}

impl Afnemer {
    pub fn gemeente(code: &str) -> Result<Afnemer> {
        Afnemer::new('G', code)
    }

    pub fn regio(code: &str) -> Result<Afnemer> {
        Afnemer::new('R', code)
    }

    fn new(soort: char, code: &str) -> Result<Afnemer> {
        let code = code.trim();
        if code.is_empty() || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Usage(format!("code {code:?}: one to four digits, e.g. 0363 or 28")));
        }
        Ok(Afnemer { soort, code: format!("{code:0>4}") })
    }
}

/// `20180925G1234C.txt`
pub fn file_name(datum: NaiveDate, afnemer: &Afnemer, soort: char) -> String {
    format!("{}{}{}{soort}.txt", datum.format("%Y%m%d"), afnemer.soort, afnemer.code)
}

/// The C-levering request: `111111111` and one line ending.
pub fn c_request() -> Vec<u8> {
    b"111111111\r\n".to_vec()
}

/// An A-levering request, checked.
#[derive(Debug)]
pub struct ARequest {
    pub bytes: Vec<u8>,
    pub numbers: usize,
    /// Line numbers of numbers given before (written once).
    pub duplicates: Vec<usize>,
}

/// Builds the A request from a list of numbers, one per line (blank lines
/// skipped). A number that is not 9 digits or fails the 11-proef (as BSN or
/// as onderwijsnummer) refuses the whole list, naming every bad line; the
/// numbers themselves are masked in the message.
pub fn a_request(list: &str) -> std::result::Result<ARequest, String> {
    let mut seen = HashSet::new();
    let mut out = String::new();
    let mut bad = Vec::new();
    let mut duplicates = Vec::new();
    for (i, line) in list.lines().enumerate() {
        let n = line.trim().trim_start_matches('\u{feff}');
        if n.is_empty() {
            continue;
        }
        if !passes_11_proef(n, NumberCheck::BsnOfOnderwijsnummer) {
            let why = if n.len() != 9 || !n.bytes().all(|b| b.is_ascii_digit()) { "is not 9 digits" } else { "fails the 11-proef" };
            bad.push(format!("line {}: {} {why}", i + 1, mask(n)));
            continue;
        }
        if !seen.insert(n.to_string()) {
            duplicates.push(i + 1);
            continue;
        }
        out.push_str(n);
        out.push_str("\r\n");
    }
    if !bad.is_empty() {
        return Err(format!("nothing written: {}", bad.join("; ")));
    }
    if seen.is_empty() {
        return Err("nothing written: the list holds no numbers".into());
    }
    Ok(ARequest { bytes: out.into_bytes(), numbers: seen.len(), duplicates })
}

/// Writes a request file into `dir` (written aside, then renamed). An
/// existing file of that name is not overwritten.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let target = dir.join(name);
    if target.exists() {
        return Err(Error::Usage(format!("{} exists already; remove it or choose another --out", target.display())));
    }
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents_are_exactly_what_duo_asks() {
        let d = NaiveDate::from_ymd_opt(2018, 9, 25).unwrap();
        assert_eq!(file_name(d, &Afnemer::gemeente("1234").unwrap(), 'C'), "20180925G1234C.txt");
        assert_eq!(file_name(d, &Afnemer::regio("28").unwrap(), 'A'), "20180925R0028A.txt");
        assert_eq!(c_request(), b"111111111\r\n");
        let a = a_request("123456782\n\n111222333\r\n123456782\n").unwrap();
        assert_eq!(a.bytes, b"123456782\r\n111222333\r\n");
        assert_eq!((a.numbers, a.duplicates.clone()), (2, vec![4]));
    }

    #[test]
    fn bad_numbers_refuse_the_list_with_their_lines() {
        let e = a_request("123456782\n12345678\n123456781\n").unwrap_err();
        assert!(e.contains("line 2: ****5678 is not 9 digits") && e.contains("line 3: *****6781 fails the 11-proef"), "{e}");
        assert!(!e.contains("123456781"));
        assert!(Afnemer::gemeente("03630").is_err() && Afnemer::regio("R28").is_err());
    }
}
