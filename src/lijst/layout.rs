//! The layout of one of DUO's VSV lists or monthly A-rapportages
//! (`pipelines/lijsten/*.toml`): the header names of the lake's fixed
//! `duo_vsv_lijst` or `duo_rapportage` columns, the headers that recognise
//! the file, and where its teljaar and status (a list) or its month (a
//! rapportage) and receiver are written. The `[[column]]` vocabulary of
//! every header-CSV layout.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::error::{Error, Refusal, Result};
use crate::layout::csv::{ColumnFile, TableMeta, compile_target_columns};
use crate::layout::{CsvColumn, Dialect, ValueKind, header_key};

/// The columns a list layout may fill, with their type.
pub const LIST_COLUMNS: &[(&str, ValueKind)] = &[
    ("bsn", ValueKind::Text),
    ("onderwijsnummer", ValueKind::Text),
    ("geboortedatum", ValueKind::Date),
    ("postcode_cijfers", ValueKind::Text),
    ("regiocode", ValueKind::Text),
    ("gemeentecode", ValueKind::Text),
    ("instellingscode", ValueKind::Text),
    ("vestigingsvolgnummer", ValueKind::Text),
    ("niveau", ValueKind::Text),
    ("onderwijssoort", ValueKind::Text),
    ("opleidingscode", ValueKind::Text),
    ("examen", ValueKind::Text),
    ("ind_bekostiging", ValueKind::Text),
];

/// The columns a rapportage layout may fill, with their type: a list's
/// person and school columns, the row's own reporting month, the date of
/// the uitschrijving and DUO's startkwalificatie indicator.
pub const RAPPORTAGE_COLUMNS: &[(&str, ValueKind)] = &[
    ("bsn", ValueKind::Text),
    ("onderwijsnummer", ValueKind::Text),
    ("geboortedatum", ValueKind::Date),
    ("regiocode", ValueKind::Text),
    ("gemeentecode", ValueKind::Text),
    ("instellingscode", ValueKind::Text),
    ("vestigingsvolgnummer", ValueKind::Text),
    ("niveau", ValueKind::Text),
    ("onderwijssoort", ValueKind::Text),
    ("opleidingscode", ValueKind::Text),
    ("maand_in_bestand", ValueKind::Date),
    ("datum_uitschrijving", ValueKind::Date),
    ("indicatie_startkwalificatie", ValueKind::Flag),
];

/// What a list is: DUO's startpopulatie, or its nieuwe vsv'ers.
pub const LIJSTEN: &[&str] = &["startpopulatie", "vsv"];

/// The monthly A-rapportages whose rows are persons the catalog can set
/// beside the lake (`maandrapportage_vergelijking`): A01 uitschrijvingen
/// zonder startkwalificatie of the month, A02 herinschrijvingen, A04 the
/// actuele workload (cumulative: A01 − A02 since 1 October), A05 the
/// startset. The others are counts, not persons.
pub const RAPPORTAGES: &[&str] = &["A01", "A02", "A04", "A05"];

/// What a layout reads: one of DUO's VSV lists, or a monthly rapportage.
#[derive(Debug, Clone, PartialEq)]
pub enum Soort {
    /// One of [`LIJSTEN`]; its teljaar and status from the name or the command line.
    Lijst(String),
    /// One of [`RAPPORTAGES`]; its month from the name, the command line or its rows.
    Rapportage(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    layout: TableMeta,
    list: Option<ListFile>,
    rapportage: Option<RapportageFile>,
    column: Vec<ColumnFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RapportageFile {
    code: String,
    /// Each month's file repeats the earlier months' rows (A04).
    #[serde(default)]
    cumulatief: bool,
    recognise: Vec<String>,
    /// A pattern on the file name with the groups `jaar` and `maand` (the
    /// reporting month) and `ontvanger`.
    file_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    lijst: String,
    recognise: Vec<String>,
    /// A pattern on the file name with the groups `jaar` (Y: teljaar Y−1),
    /// `status` (`V`/`D`) and `ontvanger`.
    file_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ListLayout {
    pub name: String,
    pub origin: String,
    pub soort: Soort,
    /// A rapportage whose file repeats the earlier months' rows: a row of an
    /// earlier month is no disagreement with the file's month.
    pub cumulatief: bool,
    pub dialect: Dialect,
    pub columns: Vec<CsvColumn>,
    /// [`header_key`]s a header must hold.
    pub recognise: Vec<String>,
    pub file_name: Option<Regex>,
}

impl ListLayout {
    pub fn from_toml(text: &str, origin: &str) -> Result<ListLayout> {
        let f: File = toml::from_str(text).map_err(|e| Error::Toml { origin: origin.to_string(), source: e })?;
        let name = format!("{} ({origin})", f.layout.name);
        let refuse = |refusal: Refusal, m: String| Error::refused(&name, refusal, m);
        let invalid = |m: String| refuse(Refusal::Invalid, m);
        let (soort, cumulatief, recognise, file_name, targets, what) = match (f.list, f.rapportage) {
            (Some(l), None) if LIJSTEN.contains(&l.lijst.as_str()) => {
                (Soort::Lijst(l.lijst), false, l.recognise, l.file_name, LIST_COLUMNS, "a DUO VSV list")
            }
            (Some(l), None) => return Err(invalid(format!("[list] lijst {:?}: one of {}", l.lijst, LIJSTEN.join(", ")))),
            (None, Some(r)) if RAPPORTAGES.contains(&r.code.as_str()) => {
                (Soort::Rapportage(r.code), r.cumulatief, r.recognise, r.file_name, RAPPORTAGE_COLUMNS, "a DUO A-rapportage")
            }
            (None, Some(r)) => {
                return Err(invalid(format!(
                    "[rapportage] code {:?}: one of {} (the rapportages whose rows are persons)",
                    r.code,
                    RAPPORTAGES.join(", ")
                )));
            }
            _ => return Err(invalid("a layout has either a [list] or a [rapportage] section".into())),
        };
        let (dialect, date_format) = f.layout.compile().map_err(invalid)?;
        let columns = compile_target_columns(&f.column, &f.layout, date_format.as_ref(), targets, what)
            .map_err(|(refusal, message)| refuse(refusal, message))?;
        for needed in ["gemeentecode", "instellingscode"] {
            if !columns.iter().any(|c| c.name == needed && !c.optional) {
                return Err(refuse(Refusal::ColumnNotGiven, format!("{what}'s layout needs a column {needed} (not optional)")));
            }
        }
        if !columns.iter().any(|c| c.name == "bsn" || c.name == "onderwijsnummer") {
            return Err(refuse(Refusal::ColumnNotGiven, format!("{what}'s layout needs a column bsn or onderwijsnummer")));
        }
        if recognise.is_empty() {
            return Err(invalid("recognise lists no header".into()));
        }
        let file_name = match &file_name {
            None => None,
            Some(p) => Some(Regex::new(p).map_err(|e| invalid(format!("file_name {p:?}: {e}")))?),
        };
        Ok(ListLayout {
            name: f.layout.name.clone(),
            origin: origin.to_string(),
            soort,
            cumulatief,
            dialect,
            columns,
            recognise: recognise.iter().map(|h| header_key(h)).collect(),
            file_name,
        })
    }

    pub fn from_path(path: &Path) -> Result<ListLayout> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        ListLayout::from_toml(&text, &path.display().to_string())
    }

    /// The lake columns this layout's rows fill.
    pub fn targets(&self) -> &'static [(&'static str, ValueKind)] {
        match self.soort {
            Soort::Lijst(_) => LIST_COLUMNS,
            Soort::Rapportage(_) => RAPPORTAGE_COLUMNS,
        }
    }

    /// The shipped layouts (`pipelines/lijsten/`).
    pub fn all_builtin() -> Vec<ListLayout> {
        crate::embedded::LIST_LAYOUTS
            .iter()
            .map(|(name, text)| ListLayout::from_toml(text, &format!("builtin:{name}")).expect("shipped list layouts are valid"))
            .collect()
    }

    /// How many of its recognising headers `first_line` holds, when it holds all.
    fn matches(&self, first_line: &str) -> Option<usize> {
        let keys: Vec<String> = self.dialect.header(first_line).1.iter().map(|h| header_key(h)).collect();
        // `A|B`: either spelling of a header will do
        self.recognise.iter().all(|r| r.split('|').any(|alt| keys.iter().any(|k| k == alt.trim()))).then_some(self.recognise.len())
    }
}

/// The layout that recognises a file by its first line and name: of those
/// whose recognising headers it holds all, the one whose `file_name` the
/// name matches, then the one asking most (NenR's columns hold NRSP's).
/// `Err`: two layouts of different files fit equally (A01, A02 and A04 have
/// the same columns; only the name tells them apart).
pub fn recognise<'a>(layouts: &'a [ListLayout], first_line: &str, file_name: &str) -> std::result::Result<Option<&'a ListLayout>, String> {
    let stem = Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
    let fits: Vec<((bool, usize), &ListLayout)> = layouts
        .iter()
        .filter_map(|l| l.matches(first_line).map(|n| ((l.file_name.as_ref().is_some_and(|re| re.is_match(stem)), n), l)))
        .collect();
    let Some(best) = fits.iter().map(|(k, _)| *k).max() else { return Ok(None) };
    let top: Vec<&ListLayout> = fits.iter().filter(|(k, _)| *k == best).map(|(_, l)| *l).collect();
    match top.as_slice() {
        [one] => Ok(Some(one)),
        many => Err(format!(
            "the header fits the layouts {} alike; name the file as DUO does, or give the layout (verzuim lijst load --layout)",
            many.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}
