//! The yearly Leerplichttelling as one xlsx per gemeente: what a
//! leerplichtambtenaar copies into DUO's form, item by item down one
//! column. Exact counts — the file goes to DUO, it is not published — so
//! it is written owner-only beside the worklists, not in the regio folder.

use std::path::{Path, PathBuf};

use super::figuren::{column, leerplichttelling_kolommen};
use super::table::{Cell, ColumnKind, Table};
use super::{figures_text, slug, xlsx};
use crate::error::Result;

/// Writes `<dir>/leerplichttelling-<s>-<gemeentecode>-<naam>.xlsx` for each
/// row of `rijen` (a regio's gemeenten, the columns of
/// `leerplichttelling_kolommen`, exact counts); returns the files.
pub fn write(rijen: &[Vec<Cell>], s: i32, dir: &Path) -> Result<Vec<PathBuf>> {
    let kolommen = leerplichttelling_kolommen();
    let mut files = Vec::new();
    for rij in rijen.iter().cloned() {
        let (code, naam) = (figures_text(&rij[0]), figures_text(&rij[1]));
        let form = Table {
            naam: "leerplichttelling".into(),
            titel: format!("Leerplichttelling schooljaar {s}-{} – {naam}", s + 1),
            uitleg: "Per onderdeel van het formulier van DUO de waarde uit de leveringen.".into(),
            kolommen: vec![column("onderdeel", "Onderdeel", ColumnKind::Text), column("waarde", "Waarde", ColumnKind::Count)],
            rijen: kolommen.iter().zip(rij).skip(2).map(|(k, w)| vec![Cell::Text(k.kop.clone()), w]).collect(),
        };
        let path = dir.join(format!("leerplichttelling-{s}-{code}-{}.xlsx", slug(&naam)));
        let regels = vec![
            ("Gemeente".to_string(), format!("{code} {naam}")),
            ("Schooljaar".to_string(), format!("{s}-{} (1 augustus {s} – 31 juli {})", s + 1, s + 1)),
            (
                "Bron".to_string(),
                "DUO-leveringen in de lake; absoluut_verzuim_schooljaar en leerplichttelling_schooljaar in de catalogus".to_string(),
            ),
            ("Kleine aantallen".to_string(), "niet verborgen: dit bestand is voor het formulier van DUO, niet voor publicatie".to_string()),
        ];
        let titel = format!("Leerplichttelling {s}-{} – {naam}", s + 1);
        xlsx::write_with(&path, &xlsx::Toelichting { titel: &titel, regels }, &[&form], 0, true)?;
        files.push(path);
    }
    Ok(files)
}
