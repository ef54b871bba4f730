//! Calendar arithmetic on days since 1970-01-01 (the lake's Date32), so that
//! a simulated life is a handful of integers.

use chrono::{Datelike, NaiveDate};

use crate::layout::{date_from_days, days_from_date};

pub fn dag(y: i32, m: u32, d: u32) -> i32 {
    days_from_date(NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date"))
}

pub fn van_datum(d: NaiveDate) -> i32 {
    days_from_date(d)
}

pub fn naar_datum(days: i32) -> NaiveDate {
    date_from_days(days).expect("date in range")
}

pub fn ymd(days: i32) -> (i32, u32, u32) {
    let d = naar_datum(days);
    (d.year(), d.month(), d.day())
}

pub fn jaar(days: i32) -> i32 {
    naar_datum(days).year()
}

/// Whole years between `geboren` and `d`: the birthdays on or before `d`.
pub fn leeftijd(geboren: i32, d: i32) -> i32 {
    let n = jaar(d) - jaar(geboren);
    n - i32::from(d < verjaardag(geboren, n))
}

/// The first day on which a person born on `geboren` is `n` years old.
pub fn verjaardag(geboren: i32, n: i32) -> i32 {
    let (y, m, d) = ymd(geboren);
    NaiveDate::from_ymd_opt(y + n, m, d).map(van_datum).unwrap_or_else(|| dag(y + n, 3, 1))
}

/// First day of the month after the month of the 5th birthday.
pub fn begin_leerplicht(geboren: i32) -> i32 {
    let (y, m, _) = ymd(verjaardag(geboren, 5));
    if m == 12 { dag(y + 1, 1, 1) } else { dag(y, m + 1, 1) }
}

/// 31 July of the schooljaar in which the person turns 16.
pub fn einde_leerplicht(geboren: i32) -> i32 {
    let (y, m, _) = ymd(verjaardag(geboren, 16));
    dag(y + i32::from(m >= 8), 7, 31)
}

pub fn iso(days: i32) -> String {
    naar_datum(days).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_leerplicht_follow_the_law() {
        let schrikkel = dag(2012, 2, 29);
        assert_eq!(leeftijd(schrikkel, dag(2016, 2, 28)), 3);
        assert_eq!(leeftijd(schrikkel, dag(2016, 2, 29)), 4);
        assert_eq!(verjaardag(schrikkel, 5), dag(2017, 3, 1));
        assert_eq!(begin_leerplicht(dag(2015, 12, 10)), dag(2021, 1, 1));
        assert_eq!(begin_leerplicht(dag(2015, 3, 1)), dag(2020, 4, 1));
        assert_eq!(einde_leerplicht(dag(2010, 7, 31)), dag(2026, 7, 31));
        assert_eq!(einde_leerplicht(dag(2010, 8, 1)), dag(2027, 7, 31));
        // born 29 February: 5 on 1 March in 2025, so leerplichtig from 1 April
        let feb29 = dag(2020, 2, 29);
        assert_eq!(verjaardag(feb29, 5), dag(2025, 3, 1));
        assert_eq!(leeftijd(feb29, dag(2025, 2, 28)), 4);
        assert_eq!(leeftijd(feb29, dag(2025, 3, 1)), 5);
        assert_eq!(begin_leerplicht(feb29), dag(2025, 4, 1));
        assert_eq!(begin_leerplicht(dag(2024, 2, 29)), dag(2029, 4, 1));
        assert_eq!(verjaardag(feb29, 4), dag(2024, 2, 29));
    }
}
