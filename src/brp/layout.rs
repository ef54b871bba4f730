//! The layout of a BRP extract: which header names the file uses for the
//! lake's fixed `brp_persoon` columns, and where the extract's gemeente and
//! date are written. The same `[[column]]` vocabulary and header matching as
//! every header-CSV layout (`crate::layout::csv`); what is the BRP's own is
//! the fixed target and the `[extract]` facts.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::error::{Error, Refusal, Result};
use crate::layout::csv::{ColumnFile, TableMeta, compile_target_columns};
use crate::layout::{CsvColumn, DateFormat, Dialect, NumberCheck, ValueKind};

/// The columns a BRP layout may fill, with their type. `gemeentecode` and
/// `peildatum` are facts of the whole extract: read from a column, every row
/// must agree.
pub const COLUMNS: &[(&str, ValueKind)] = &[
    ("bsn", ValueKind::Text),
    ("geboortedatum", ValueKind::Date),
    ("geslacht", ValueKind::Text),
    ("voornamen", ValueKind::Text),
    ("voorvoegsel", ValueKind::Text),
    ("achternaam", ValueKind::Text),
    ("straatnaam", ValueKind::Text),
    ("huisnummer", ValueKind::Text),
    ("huisnummertoevoeging", ValueKind::Text),
    ("postcode", ValueKind::Text),
    ("woonplaats", ValueKind::Text),
    ("datum_vestiging", ValueKind::Date),
    ("overlijdensdatum", ValueKind::Date),
    ("gemeentecode", ValueKind::Text),
    ("peildatum", ValueKind::Date),
];

/// The columns without which an extract says nothing: whom, and how old.
pub const INDISPENSABLE: &[&str] = &["bsn", "geboortedatum"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    layout: TableMeta,
    #[serde(default)]
    extract: ExtractFile,
    column: Vec<ColumnFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtractFile {
    /// A pattern on the file name with the groups `gemeente` and/or `peildatum`.
    file_name: Option<String>,
    file_name_date_format: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BrpLayout {
    pub name: String,
    pub description: String,
    pub origin: String,
    pub dialect: Dialect,
    /// Each column's `name` is one of [`COLUMNS`].
    pub columns: Vec<CsvColumn>,
    pub file_name: Option<Regex>,
    pub file_name_date: DateFormat,
}

impl BrpLayout {
    pub fn from_toml(text: &str, origin: &str) -> Result<BrpLayout> {
        let f: File = toml::from_str(text).map_err(|e| Error::Toml { origin: origin.to_string(), source: e })?;
        let name = format!("{} ({origin})", f.layout.name);
        let refuse = |refusal: Refusal, m: String| Error::refused(&name, refusal, m);
        let invalid = |m: String| refuse(Refusal::Invalid, m);
        let m = &f.layout;
        if m.table.is_some() {
            return Err(invalid("a BRP layout fills the lake's brp_persoon columns: no `table`".into()));
        }
        let (dialect, date_format) = m.compile().map_err(invalid)?;
        let columns = compile_target_columns(&f.column, m, date_format.as_ref(), COLUMNS, "a BRP extract")
            .map_err(|(refusal, message)| refuse(refusal, message))?;
        for needed in INDISPENSABLE {
            match columns.iter().find(|c| c.name == *needed) {
                Some(c) if !c.optional && c.rule.required => {}
                Some(_) => {
                    return Err(refuse(
                        Refusal::IndispensableAbsent,
                        format!("column {needed} must be `required = true` and not `optional`: a row without it says nothing"),
                    ));
                }
                None => return Err(refuse(Refusal::ColumnNotGiven, format!("a BRP layout needs a column named {needed}"))),
            }
        }
        if let Some(bsn) = columns.iter().find(|c| c.name == "bsn")
            && bsn.rule.check != Some(NumberCheck::Bsn)
        {
            return Err(invalid("column bsn needs check = \"bsn\": a number that fails the 11-proef is no BSN".into()));
        }
        let file_name = match &f.extract.file_name {
            None => None,
            Some(p) => {
                let re = Regex::new(p).map_err(|e| invalid(format!("[extract] file_name {p:?}: {e}")))?;
                if !re.capture_names().flatten().any(|g| g == "gemeente" || g == "peildatum") {
                    return Err(invalid(format!("[extract] file_name {p:?} has no group (?<gemeente>…) or (?<peildatum>…)")));
                }
                Some(re)
            }
        };
        let file_name_date =
            DateFormat::parse_pattern(f.extract.file_name_date_format.as_deref().unwrap_or("JJJJMMDD")).map_err(invalid)?;
        Ok(BrpLayout {
            name: m.name.clone(),
            description: m.description.clone(),
            origin: origin.to_string(),
            dialect,
            columns,
            file_name,
            file_name_date,
        })
    }

    pub fn from_path(path: &Path) -> Result<BrpLayout> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        BrpLayout::from_toml(&text, &path.display().to_string())
    }

    /// The shipped layout (`pipelines/brp/brp.toml`).
    pub fn builtin() -> BrpLayout {
        let (name, text) = crate::embedded::BRP_LAYOUTS.first().expect("pipelines/brp/brp.toml is embedded");
        BrpLayout::from_toml(text, &format!("builtin:{name}")).expect("the shipped BRP layout is valid")
    }

    /// A layout by name (`brp`, the shipped one) or file.
    pub fn named(name_or_path: &str) -> Result<BrpLayout> {
        if name_or_path.eq_ignore_ascii_case("brp") {
            return Ok(BrpLayout::builtin());
        }
        let path = Path::new(name_or_path);
        if path.exists() {
            return BrpLayout::from_path(path);
        }
        Err(Error::Usage(format!("--layout {name_or_path:?}: neither the shipped layout brp nor a file")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(columns: &str) -> Result<BrpLayout> {
        BrpLayout::from_toml(&format!("[layout]\nname = \"t\"\nseparator = \";\"\ndate_format = \"JJJJMMDD\"\n{columns}"), "test")
    }

    const BSN: &str = "[[column]]\nheader = \"BSN\"\nname = \"bsn\"\ncheck = \"bsn\"\nrequired = true\n";
    const GEB: &str = "[[column]]\nheader = \"GEB\"\nname = \"geboortedatum\"\ntype = \"date\"\nrequired = true\n";

    /// Each refusal of a BRP layout, one line per case.
    #[test]
    fn refusals() {
        let cases: &[(&str, Refusal)] = &[
            (BSN, Refusal::ColumnNotGiven),
            (&format!("{BSN}[[column]]\nheader = \"GEB\"\nname = \"geboortedatum\"\ntype = \"date\"\n"), Refusal::IndispensableAbsent),
            (&format!("{BSN}{GEB}[[column]]\nheader = \"X\"\nname = \"schoenmaat\"\n"), Refusal::UnknownColumn),
            (&format!("{BSN}{GEB}[[column]]\nheader = \"X\"\nname = \"datum_vestiging\"\n"), Refusal::WrongType),
            (&format!("[[column]]\nheader = \"BSN\"\nname = \"bsn\"\nrequired = true\n{GEB}"), Refusal::Invalid),
            (&format!("[extract]\nfile_name = \"[0-9]+\"\n{BSN}{GEB}"), Refusal::Invalid),
        ];
        for (columns, want) in cases {
            let got = layout(columns).expect_err(columns);
            assert_eq!(got.refusal(), Some(*want), "{columns}: {got}");
        }
        assert!(layout(&format!("{BSN}{GEB}")).is_ok());
        assert_eq!(BrpLayout::builtin().columns.len(), COLUMNS.len() - 1);
    }
}
