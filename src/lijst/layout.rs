//! The layout of one of DUO's VSV lists (`pipelines/lijsten/*.toml`): the
//! header names of the lake's fixed `duo_vsv_lijst` columns, the headers
//! that recognise the list, and where its teljaar, status and receiver are
//! written. The `[[column]]` vocabulary of every header-CSV layout.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::error::{Error, Refusal, Result};
use crate::layout::csv::{ColumnFile, TableMeta, compile_target_columns};
use crate::layout::{CsvColumn, Dialect, ValueKind, header_key};

/// The columns a list layout may fill, with their type.
pub const COLUMNS: &[(&str, ValueKind)] = &[
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

/// What a list is: DUO's startpopulatie, or its nieuwe vsv'ers.
pub const LIJSTEN: &[&str] = &["startpopulatie", "vsv"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    layout: TableMeta,
    list: ListFile,
    column: Vec<ColumnFile>,
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
    pub lijst: String,
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
        if !LIJSTEN.contains(&f.list.lijst.as_str()) {
            return Err(invalid(format!("[list] lijst {:?}: one of {}", f.list.lijst, LIJSTEN.join(", "))));
        }
        let (dialect, date_format) = f.layout.compile().map_err(invalid)?;
        let columns = compile_target_columns(&f.column, &f.layout, date_format.as_ref(), COLUMNS, "a DUO VSV list")
            .map_err(|(refusal, message)| refuse(refusal, message))?;
        for needed in ["gemeentecode", "instellingscode"] {
            if !columns.iter().any(|c| c.name == needed && !c.optional) {
                return Err(refuse(Refusal::ColumnNotGiven, format!("a VSV list layout needs a column {needed} (not optional)")));
            }
        }
        if !columns.iter().any(|c| c.name == "bsn" || c.name == "onderwijsnummer") {
            return Err(refuse(Refusal::ColumnNotGiven, "a VSV list layout needs a column bsn or onderwijsnummer".into()));
        }
        if f.list.recognise.is_empty() {
            return Err(invalid("[list] recognise lists no header".into()));
        }
        let file_name = match &f.list.file_name {
            None => None,
            Some(p) => Some(Regex::new(p).map_err(|e| invalid(format!("[list] file_name {p:?}: {e}")))?),
        };
        Ok(ListLayout {
            name: f.layout.name.clone(),
            origin: origin.to_string(),
            lijst: f.list.lijst,
            dialect,
            columns,
            recognise: f.list.recognise.iter().map(|h| header_key(h)).collect(),
            file_name,
        })
    }

    pub fn from_path(path: &Path) -> Result<ListLayout> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        ListLayout::from_toml(&text, &path.display().to_string())
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
        self.recognise.iter().all(|r| keys.contains(r)).then_some(self.recognise.len())
    }
}

/// The list layout that recognises a file by its first line: of those whose
/// recognising headers it holds all, the one asking most (NenR's columns
/// hold NRSP's).
pub fn recognise<'a>(layouts: &'a [ListLayout], first_line: &str) -> Option<&'a ListLayout> {
    layouts.iter().filter_map(|l| l.matches(first_line).map(|n| (n, l))).max_by_key(|(n, _)| *n).map(|(_, l)| l)
}
