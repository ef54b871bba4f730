//! Date formats written the way DUO writes them: `JJJJMMDD`, `DD-MM-JJJJ`,
//! `D-M-JJJJ`. `JJJJ`/`YYYY` is the year, `MM`/`DD` two digits, `M`/`D` one
//! or two digits; any other character must stand as written.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    tokens: Vec<Token>,
    /// `JJJJMMDD`: the common case gets a branch-light path.
    compact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
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
                    "date format {pattern:?}: unexpected {:?} (use JJJJ, MM, DD, M, D and separators)",
                    rest.chars().next().unwrap_or(' ')
                ));
            } else {
                (Token::Literal(b[i]), 1)
            };
            tokens.push(tok);
            i += len;
        }
        for needed in [Token::Year, Token::Month2, Token::Day2] {
            let present = tokens.iter().any(|t| match needed {
                Token::Month2 => matches!(t, Token::Month2 | Token::Month),
                Token::Day2 => matches!(t, Token::Day2 | Token::Day),
                _ => *t == needed,
            });
            if !present {
                return Err(format!("date format {pattern:?} needs a year, a month and a day"));
            }
        }
        let compact = tokens == [Token::Year, Token::Month2, Token::Day2];
        Ok(DateFormat { pattern: pattern.to_string(), tokens, compact })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
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
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
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
        assert!(DateFormat::parse_pattern("JJJJ-MM").is_err());
        assert!(DateFormat::parse_pattern("JJJJ-MM-DDx").is_err());
    }
}
