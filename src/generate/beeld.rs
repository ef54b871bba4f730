//! What DUO holds about a person on a day of knowledge `k`: the lens
//! through which both the deliveries and the ground truth see a life.
//!
//! A fact is in the picture once registered on or before `k`: a verblijf
//! from its aanvang, an inschrijving from its begin until it is deleted, its
//! uitschrijving only once registered (until then it looks open), a result
//! from its date until revoked, DUO's vsv indicator from the day DUO set it.

use super::datum::leeftijd;
use super::wereld::{Inschrijving, Leven, Resultaat, Verblijf, Vrijstelling, VsvIndicatie};

#[derive(Clone, Copy)]
pub struct Beeld<'a> {
    pub leven: &'a Leven,
    pub k: i32,
}

/// An inschrijving as known on `k`.
#[derive(Clone, Copy)]
pub struct Ins<'a> {
    pub ins: &'a Inschrijving,
    pub einde: Option<i32>,
    pub reden: Option<&'static str>,
}

impl Ins<'_> {
    pub fn actief_op(&self, d: i32) -> bool {
        self.ins.begin <= d && self.einde.is_none_or(|e| e >= d)
    }
}

pub fn actief(begin: i32, einde: Option<i32>, d: i32) -> bool {
    begin <= d && einde.is_none_or(|e| e >= d)
}

impl<'a> Beeld<'a> {
    pub fn new(leven: &'a Leven, k: i32) -> Self {
        Beeld { leven, k }
    }

    pub fn overlijdensdatum(&self) -> Option<i32> {
        self.leven.overlijden.filter(|&o| o <= self.k)
    }

    pub fn in_leven_op(&self, d: i32) -> bool {
        self.overlijdensdatum().is_none_or(|o| o > d)
    }

    pub fn leeftijd(&self, d: i32) -> i32 {
        leeftijd(self.leven.geboortedatum, d)
    }

    /// Verblijven with the einde as known on `k`.
    pub fn verblijven(&self) -> impl Iterator<Item = (&'a Verblijf, Option<i32>)> + '_ {
        let k = self.k;
        self.leven.verblijven.iter().filter(move |v| v.aanvang <= k).map(move |v| (v, v.einde.filter(|e| *e < k)))
    }

    /// The gemeente (index) the person lives in on `d`, in the Netherlands.
    pub fn woont_op(&self, d: i32) -> Option<u16> {
        self.verblijven()
            .filter(|(v, e)| v.landcode == "6030" && actief(v.aanvang, *e, d))
            .max_by_key(|(v, _)| v.aanvang)
            .and_then(|(v, _)| v.gemeente)
    }

    pub fn woont_in_buitenland_op(&self, d: i32) -> bool {
        self.verblijven().any(|(v, e)| v.landcode != "6030" && actief(v.aanvang, e, d))
    }

    pub fn inschrijvingen(&self) -> impl Iterator<Item = Ins<'a>> + '_ {
        let k = self.k;
        self.leven.inschrijvingen.iter().filter(move |i| i.begin <= k && i.verwijderd.is_none_or(|v| v > k)).map(move |i| {
            let bekend = i.einde_bekend <= k;
            Ins { ins: i, einde: i.einde.filter(|_| bekend), reden: i.reden.filter(|_| bekend) }
        })
    }

    pub fn resultaten(&self) -> impl Iterator<Item = &'a Resultaat> + '_ {
        let k = self.k;
        self.leven.resultaten.iter().filter(move |r| r.datum <= k && r.ingetrokken.is_none_or(|x| x > k))
    }

    pub fn vrijstellingen(&self) -> impl Iterator<Item = &'a Vrijstelling> + '_ {
        let k = self.k;
        self.leven.vrijstellingen.iter().filter(move |v| v.begin <= k)
    }

    pub fn vsv(&self) -> impl Iterator<Item = &'a VsvIndicatie> + '_ {
        let k = self.k;
        self.leven.vsv.iter().filter(move |v| v.bekend <= k)
    }

    /// The first startkwalificatie-result in the picture.
    pub fn startkwalificatie_behaald(&self) -> Option<i32> {
        self.resultaten().filter(|r| r.startkwalificatie).map(|r| r.datum).min()
    }

    /// The SKW record DUO adds from age 12: (indicatie, datum_behaald).
    pub fn skw(&self) -> Option<(bool, Option<i32>)> {
        (self.leeftijd(self.k) >= 12).then(|| {
            let d = self.startkwalificatie_behaald();
            (d.is_some(), d)
        })
    }

    pub fn startkwalificatie_op(&self, d: i32) -> bool {
        self.resultaten().any(|r| r.startkwalificatie && r.datum <= d) || self.skw().is_some_and(|(j, b)| j && b.is_some_and(|b| b <= d))
    }
}
