//! A figure as the reports show it: typed columns with Dutch headers, and
//! small-number protection applied once, here, before any writer sees it.

/// How a column is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    Tekst,
    Aantal,
    /// A percentage (0–100); `teller` is the count column it is computed
    /// from, hidden with it.
    Percentage {
        teller: usize,
    },
    Datum,
}

#[derive(Debug, Clone)]
pub struct Kolom {
    /// Column name in the catalog (and in Parquet).
    pub naam: String,
    /// Header in xlsx, csv and html.
    pub kop: String,
    pub soort: Soort,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Waarde {
    Tekst(String),
    Aantal(i64),
    Percentage(f64),
    Datum(chrono::NaiveDate),
    Leeg,
    /// A small number, hidden: shown as `<N` (N = threshold + 1).
    Verborgen,
}

#[derive(Debug, Clone)]
pub struct Tabel {
    /// File and sheet name: `leerplichttelling`, `vsv`, …
    pub naam: String,
    pub titel: String,
    /// The definition in plain words, for the Toelichting sheet and the html.
    pub uitleg: String,
    pub kolommen: Vec<Kolom>,
    pub rijen: Vec<Vec<Waarde>>,
}

impl Tabel {
    /// Hides every count from 1 up to `drempel` (0: nothing hidden), and
    /// every percentage whose count is hidden — the percentage would give
    /// the count away.
    pub fn beschermd(mut self, drempel: i64) -> Tabel {
        if drempel <= 0 {
            return self;
        }
        for rij in &mut self.rijen {
            let verborgen: Vec<bool> = rij.iter().map(|w| matches!(w, Waarde::Aantal(n) if is_klein(*n, drempel))).collect();
            for (i, k) in self.kolommen.iter().enumerate() {
                let verberg = match k.soort {
                    Soort::Aantal => verborgen[i],
                    Soort::Percentage { teller } => verborgen[teller],
                    _ => false,
                };
                if verberg {
                    rij[i] = Waarde::Verborgen;
                }
            }
        }
        self
    }
}

/// The one rule of small-number protection: a count from 1 up to the threshold is hidden.
pub fn is_klein(n: i64, drempel: i64) -> bool {
    drempel > 0 && (1..=drempel).contains(&n)
}

/// `<5` for threshold 4 … the text a hidden count shows.
pub fn verborgen_tekst(drempel: i64) -> String {
    format!("<{}", drempel + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_and_their_percentages_are_hidden() {
        let k = |naam: &str, soort| Kolom { naam: naam.into(), kop: naam.into(), soort };
        let t = Tabel {
            naam: "t".into(),
            titel: "t".into(),
            uitleg: String::new(),
            kolommen: vec![k("g", Soort::Tekst), k("n", Soort::Aantal), k("v", Soort::Aantal), k("p", Soort::Percentage { teller: 2 })],
            rijen: vec![
                vec![Waarde::Tekst("a".into()), Waarde::Aantal(40), Waarde::Aantal(3), Waarde::Percentage(7.5)],
                vec![Waarde::Tekst("b".into()), Waarde::Aantal(4), Waarde::Aantal(0), Waarde::Percentage(0.0)],
            ],
        }
        .beschermd(4);
        assert_eq!(t.rijen[0][1..], [Waarde::Aantal(40), Waarde::Verborgen, Waarde::Verborgen]);
        assert_eq!(t.rijen[1][1..], [Waarde::Verborgen, Waarde::Aantal(0), Waarde::Percentage(0.0)]);
        assert_eq!(verborgen_tekst(4), "<5");
    }
}
