//! Delivery facts given from outside the file: `--soort --afnemer
//! --peildatum` on `ingest`, or per inbox in the nightly configuration.
//!
//! A header-CSV delivery has no header record, so these are its first
//! source (then a column, the file name, a constant in the layout). A
//! record layout's header record stays the source of its facts: a given
//! fact that contradicts it rejects the delivery rather than relabel it.

use super::DeliveryKey;
use crate::layout::iso_date;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// `P`, `C` or `A`.
    pub soort: Option<String>,
    /// soort_afnemer + afnemercode: `G0363`, `R0032`.
    pub afnemer: Option<String>,
    /// Days since 1970-01-01.
    pub peildatum: Option<i32>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        *self == Facts::default()
    }

    /// Checks the given values' form, for a message at the command line
    /// rather than one per file.
    pub fn check(&self) -> Result<(), String> {
        if let Some(s) = &self.soort {
            check_soort(s)?;
        }
        if let Some(a) = &self.afnemer {
            split_afnemer(a)?;
        }
        Ok(())
    }

    /// A record layout's header against what was given: the first
    /// contradiction, if any.
    pub fn contradiction(&self, key: &DeliveryKey) -> Option<String> {
        let differs = |what: &str, given: &str, header: &str| {
            Some(format!(
                "--{what} {given} contradicts the header record, which says {header}: the header record is the delivery's own word"
            ))
        };
        if let Some(s) = &self.soort
            && *s != key.soort
        {
            return differs("soort", s, &key.soort);
        }
        if let Some(a) = &self.afnemer
            && *a != key.afnemer
        {
            return differs("afnemer", a, &key.afnemer);
        }
        if let Some(p) = self.peildatum
            && p != key.peildatum
        {
            return differs("peildatum", &iso_date(p), &key.peildatum_iso());
        }
        None
    }
}

pub(crate) fn check_soort(s: &str) -> Result<(), String> {
    if matches!(s, "P" | "C" | "A") { Ok(()) } else { Err(format!("soort {s:?} is not P, C or A")) }
}

/// `G0363` → (`G`, `0363`).
pub(crate) fn split_afnemer(a: &str) -> Result<(String, String), String> {
    let b = a.as_bytes();
    if b.len() == 5 && matches!(b[0], b'G' | b'R') && b[1..].iter().all(u8::is_ascii_digit) {
        Ok((a[..1].to_string(), a[1..].to_string()))
    } else {
        Err(format!("afnemer {a:?} is not G or R followed by four digits (G0363: gemeente 0363; R0032: regio 32)"))
    }
}
