//! Date formats written the way DUO writes them: `JJJJMMDD`, `DD-MM-JJJJ`,
//! `D-M-JJJJ`, `M/D/JJ`, `JJJJMM`. `JJJJ`/`YYYY` is the year, `JJ`/`YY` a
//! two-digit year, `MM`/`DD` two digits, `M`/`D` one or two digits; any
//! other character must stand as written.
//!
//! Two rules are fixed here and documented in docs/layouts.md:
//! * a two-digit year `00`–`69` is 2000–2069, `70`–`99` is 1970–1999 (the
//!   POSIX `%y` rule): every date verzuim meets — births of persons of 4 up
//!   to 23, inschrijvingen, resultaten — lies between 1970 and 2069, and the
//!   rule does not change with the day it runs;
//! * a format without a day (`JJJJMM`, a reporting month) reads as the
//!   month's **last** day: the state at the end of the month it reports.
//!
//! One is a column's choice: `unknown_date_parts = "first"` reads a `00`
//! month or day — the BRP's way to write a part it does not know — as the
//! first (`20100500` → 1 May 2010, `20100000` → 1 January 2010).

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    tokens: Vec<Token>,
    /// `JJJJMMDD`: the common case gets a branch-light path.
    compact: bool,
    /// `00` for an unknown month or day read as the first (the BRP writes
    /// `20100500` for "some day in May 2010", `20100000` for "some day in 2010").
    unknown_as_first: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
    /// two digits, century by the rule above
    ShortYear,
    Month2,
    Day2,
    Month,
    Day,
    Literal(u8),
}

/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01, for Arrow's Date32.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

impl DateFormat {
    pub fn parse_pattern(pattern: &str) -> Result<Self, String> {
        let mut tokens = Vec::new();
        let b = pattern.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let rest = &pattern[i..];
            let (tok, len) = if rest.starts_with("JJJJ") || rest.starts_with("YYYY") {
                (Token::Year, 4)
            } else if rest.starts_with("JJ") || rest.starts_with("YY") {
                (Token::ShortYear, 2)
            } else if rest.starts_with("MM") {
                (Token::Month2, 2)
            } else if rest.starts_with("DD") {
                (Token::Day2, 2)
            } else if rest.starts_with('M') {
                (Token::Month, 1)
            } else if rest.starts_with('D') {
                (Token::Day, 1)
            } else if b[i].is_ascii_alphanumeric() || !b[i].is_ascii() {
                return Err(format!(
                    "date format {pattern:?}: unexpected {:?} (use JJJJ, JJ, MM, DD, M, D and separators)",
                    rest.chars().next().unwrap_or(' ')
                ));
            } else {
                (Token::Literal(b[i]), 1)
            };
            tokens.push(tok);
            i += len;
        }
        let count = |f: fn(&Token) -> bool| tokens.iter().filter(|t| f(t)).count();
        let years = count(|t| matches!(t, Token::Year | Token::ShortYear));
        let months = count(|t| matches!(t, Token::Month2 | Token::Month));
        let days = count(|t| matches!(t, Token::Day2 | Token::Day));
        if years != 1 || months != 1 || days > 1 {
            return Err(format!("date format {pattern:?} needs one year, one month and at most one day"));
        }
        let compact = tokens == [Token::Year, Token::Month2, Token::Day2];
        Ok(DateFormat { pattern: pattern.to_string(), tokens, compact, unknown_as_first: false })
    }

    /// This format, reading `00` for an unknown month or day as the first
    /// (a column's `unknown_date_parts = "first"`).
    pub fn with_unknown_as_first(mut self) -> DateFormat {
        self.unknown_as_first = true;
        self
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    fn has_day(&self) -> bool {
        self.tokens.iter().any(|t| matches!(t, Token::Day2 | Token::Day))
    }

    /// Days since 1970-01-01, or `None` when `s` is not a real date in this format.
    pub fn parse_days(&self, s: &str) -> Option<i32> {
        let b = s.as_bytes();
        let (y, m, d) = if self.compact {
            if b.len() != 8 {
                return None;
            }
            (digits(&b[0..4])?, digits(&b[4..6])?, digits(&b[6..8])?)
        } else {
            self.parse_general(b)?
        };
        let (m, d) = if self.unknown_as_first { (m.max(1), if self.has_day() { d.max(1) } else { d }) } else { (m, d) };
        // no day in the format: the month's last day (see the module's rules)
        let date = if d == 0 && !self.has_day() {
            NaiveDate::from_ymd_opt(y as i32, m, 1)?.checked_add_months(chrono::Months::new(1))?.pred_opt()?
        } else {
            NaiveDate::from_ymd_opt(y as i32, m, d)?
        };
        Some(chrono::Datelike::num_days_from_ce(&date) - UNIX_EPOCH_DAYS_FROM_CE)
    }

    fn parse_general(&self, b: &[u8]) -> Option<(u32, u32, u32)> {
        let (mut y, mut m, mut d) = (0, 0, 0);
        let mut i = 0;
        for tok in &self.tokens {
            match *tok {
                Token::Year => {
                    y = digits(b.get(i..i + 4)?)?;
                    i += 4;
                }
                Token::ShortYear => {
                    let yy = digits(b.get(i..i + 2)?)?;
                    y = if yy < 70 { 2000 + yy } else { 1900 + yy };
                    i += 2;
                }
                Token::Month2 | Token::Day2 => {
                    let v = digits(b.get(i..i + 2)?)?;
                    i += 2;
                    if *tok == Token::Month2 { m = v } else { d = v }
                }
                Token::Month | Token::Day => {
                    let len = if b.get(i + 1).is_some_and(u8::is_ascii_digit) { 2 } else { 1 };
                    let v = digits(b.get(i..i + len)?)?;
                    i += len;
                    if *tok == Token::Month { m = v } else { d = v }
                }
                Token::Literal(c) => {
                    if *b.get(i)? != c {
                        return None;
                    }
                    i += 1;
                }
            }
        }
        (i == b.len()).then_some((y, m, d))
    }

    /// Writes `days` (since 1970-01-01) in this format.
    pub fn format_days(&self, days: i32) -> String {
        let date = NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE).unwrap_or_default();
        let (y, m, d) = (chrono::Datelike::year(&date), chrono::Datelike::month(&date), chrono::Datelike::day(&date));
        let mut out = String::with_capacity(10);
        for tok in &self.tokens {
            match *tok {
                Token::Year => out.push_str(&format!("{y:04}")),
                Token::ShortYear => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                Token::Month2 => out.push_str(&format!("{m:02}")),
                Token::Day2 => out.push_str(&format!("{d:02}")),
                Token::Month => out.push_str(&m.to_string()),
                Token::Day => out.push_str(&d.to_string()),
                Token::Literal(c) => out.push(c as char),
            }
        }
        out
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// The calendar date of Arrow's Date32 value `days` (days since 1970-01-01).
pub fn date_from_days(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)
}

/// Arrow's Date32 value of a calendar date.
pub fn days_from_date(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date) - UNIX_EPOCH_DAYS_FROM_CE
}

/// `1970-01-01` + `days` as ISO text, for partition names and messages.
pub fn iso_date(days: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("day {days}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_dutch_formats_agree() {
        let compact = DateFormat::parse_pattern("JJJJMMDD").unwrap();
        let dutch = DateFormat::parse_pattern("DD-MM-JJJJ").unwrap();
        let loose = DateFormat::parse_pattern("D-M-JJJJ").unwrap();
        let days = compact.parse_days("20261122").unwrap();
        assert_eq!(iso_date(days), "2026-11-22");
        assert_eq!(dutch.parse_days("22-11-2026"), Some(days));
        assert_eq!(loose.parse_days("22-11-2026"), Some(days));
        assert_eq!(loose.parse_days("1-2-2026"), compact.parse_days("20260201"));
        assert_eq!(dutch.format_days(days), "22-11-2026");
        assert_eq!(compact.parse_days("19700101"), Some(0));
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        let compact = DateFormat::parse_pattern("JJJJMMDD").unwrap();
        for bad in ["20250231", "20251301", "2025011", "2025O101", "", "202501011"] {
            assert_eq!(compact.parse_days(bad), None, "{bad}");
        }
        let dutch = DateFormat::parse_pattern("DD-MM-JJJJ").unwrap();
        assert_eq!(dutch.parse_days("22/11/2026"), None);
        assert!(DateFormat::parse_pattern("JJJJ-DD").is_err());
        assert!(DateFormat::parse_pattern("JJJJ-MM-DDx").is_err());
        assert!(DateFormat::parse_pattern("JJJJ-MM-DD-JJ").is_err());
    }

    #[test]
    fn two_digit_years_and_months_follow_the_documented_rules() {
        let us = DateFormat::parse_pattern("M/D/JJ").unwrap();
        let compact = DateFormat::parse_pattern("JJJJMMDD").unwrap();
        assert_eq!(us.parse_days("3/5/10"), compact.parse_days("20100305"));
        assert_eq!(us.parse_days("12/31/69"), compact.parse_days("20691231"));
        assert_eq!(us.parse_days("1/1/70"), compact.parse_days("19700101"));
        assert_eq!(us.parse_days("2/29/23"), None);
        let month = DateFormat::parse_pattern("JJJJMM").unwrap();
        assert_eq!(month.parse_days("202310"), compact.parse_days("20231031"));
        assert_eq!(month.parse_days("202402"), compact.parse_days("20240229"));
        assert_eq!(month.parse_days("202313"), None);
        assert_eq!(month.format_days(compact.parse_days("20231031").unwrap()), "202310");
        assert_eq!(us.format_days(compact.parse_days("20100305").unwrap()), "3/5/10");
    }
}
