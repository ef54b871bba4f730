//! A figure as the reports show it: typed columns with Dutch headers, and
//! small-number protection applied once, here, before any writer sees it.

/// How a column is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Count,
    /// A percentage (0–100); `teller` is the count column it is computed
    /// from, hidden with it.
    Percentage {
        teller: usize,
    },
    /// Per 1,000 (a BBV beleidsindicator); hidden with its `teller` as a percentage is.
    PerThousand {
        teller: usize,
    },
    Date,
}

#[derive(Debug, Clone)]
pub struct Column {
    /// Column name in the catalog (and in Parquet).
    pub naam: String,
    /// Header in xlsx, csv and html.
    pub kop: String,
    pub soort: ColumnKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    Percentage(f64),
    PerThousand(f64),
    Date(chrono::NaiveDate),
    Empty,
    /// A small number, hidden: shown as `<N` (N = threshold + 1).
    Hidden,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// File and sheet name: `leerplichttelling`, `vsv`, …
    pub naam: String,
    pub titel: String,
    /// The definition in plain words, for the Toelichting sheet and the html.
    pub uitleg: String,
    pub kolommen: Vec<Column>,
    pub rijen: Vec<Vec<Cell>>,
}

impl Table {
    /// Hides every count from 1 up to `drempel` (0: nothing hidden), and
    /// every percentage whose count is hidden — the percentage would give
    /// the count away.
    pub fn beschermd(mut self, drempel: i64) -> Table {
        if drempel <= 0 {
            return self;
        }
        for rij in &mut self.rijen {
            let verborgen: Vec<bool> = rij.iter().map(|w| matches!(w, Cell::Count(n) if is_small(*n, drempel))).collect();
            for (i, k) in self.kolommen.iter().enumerate() {
                let verberg = match k.soort {
                    ColumnKind::Count => verborgen[i],
                    ColumnKind::Percentage { teller } | ColumnKind::PerThousand { teller } => verborgen[teller],
                    _ => false,
                };
                if verberg {
                    rij[i] = Cell::Hidden;
                }
            }
        }
        self
    }
}

/// The one rule of small-number protection: a count from 1 up to the threshold is hidden.
pub fn is_small(n: i64, drempel: i64) -> bool {
    drempel > 0 && (1..=drempel).contains(&n)
}

/// `<5` for threshold 4 … the text a hidden count shows.
pub fn hidden_text(drempel: i64) -> String {
    format!("<{}", drempel + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_and_their_percentages_are_hidden() {
        let k = |naam: &str, soort| Column { naam: naam.into(), kop: naam.into(), soort };
        let t = Table {
            naam: "t".into(),
            titel: "t".into(),
            uitleg: String::new(),
            kolommen: vec![
                k("g", ColumnKind::Text),
                k("n", ColumnKind::Count),
                k("v", ColumnKind::Count),
                k("p", ColumnKind::Percentage { teller: 2 }),
            ],
            rijen: vec![
                vec![Cell::Text("a".into()), Cell::Count(40), Cell::Count(3), Cell::Percentage(7.5)],
                vec![Cell::Text("b".into()), Cell::Count(4), Cell::Count(0), Cell::Percentage(0.0)],
            ],
        }
        .beschermd(4);
        assert_eq!(t.rijen[0][1..], [Cell::Count(40), Cell::Hidden, Cell::Hidden]);
        assert_eq!(t.rijen[1][1..], [Cell::Hidden, Cell::Count(0), Cell::Percentage(0.0)]);
        assert_eq!(hidden_text(4), "<5");
    }
}
