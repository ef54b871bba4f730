//! The layout file as written in TOML; [`super::RecordLayout::from_toml`] checks it
//! and compiles it into the form the parser uses.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LayoutFile {
    pub layout: Meta,
    pub file: FileRules,
    #[serde(default)]
    pub codes: BTreeMap<String, Vec<String>>,
    pub records: BTreeMap<String, RecordFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Meta {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub format: FormatName,
    /// One separator (as header-CSV layouts write it); joins `separators`.
    pub separator: Option<String>,
    #[serde(default)]
    pub separators: Vec<String>,
    pub recognise: Vec<String>,
    #[serde(default = "default_date_format")]
    pub date_format: String,
}

fn default_date_format() -> String {
    "JJJJMMDD".to_string()
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(super) enum FormatName {
    Delimited,
    Fixed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileRules {
    pub header: String,
    pub trailer: String,
    pub person: String,
    pub person_key: String,
    #[serde(default)]
    pub trailer_check: Vec<TrailerCheckFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TrailerCheckFile {
    pub field: String,
    pub counts: CountsFile,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum CountsFile {
    /// `"all"`
    Keyword(String),
    /// a list of record codes
    Records(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RecordFile {
    pub table: Option<String>,
    #[serde(default = "yes")]
    pub person_bound: bool,
    pub fields: Vec<FieldFile>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FieldFile {
    pub name: String,
    pub column: Option<String>,
    #[serde(rename = "type", default)]
    pub ty: TypeName,
    pub format: Option<String>,
    pub codes: Option<String>,
    pub width: Option<usize>,
    pub start: Option<usize>,
    #[serde(default)]
    pub required: bool,
    pub check: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TypeName {
    #[default]
    Text,
    Date,
    Integer,
    Flag,
    Code,
}
