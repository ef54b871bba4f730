//! Layouts of DUO's public reference files: header-CSV files whose columns
//! are found by their header names, not their positions. A renamed DUO
//! column is an edit of a layout file (`pipelines/reference/*.toml`).

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::layout::{DateFormat, ValueKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    layout: Meta,
    column: Vec<ColumnFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    name: String,
    table: String,
    separator: String,
    #[serde(default = "yes")]
    quoting: bool,
    date_format: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFile {
    header: String,
    name: String,
    #[serde(rename = "type", default)]
    ty: Option<String>,
    #[serde(default)]
    optional: bool,
}

#[derive(Debug, Clone)]
pub struct RefColumn {
    /// The header in the file (matched after trimming, case-sensitive).
    pub header: String,
    /// The column in the table.
    pub name: String,
    pub kind: ValueKind,
    /// A file may lack this header and still be this layout.
    pub optional: bool,
}

#[derive(Debug, Clone)]
pub struct RefLayout {
    pub name: String,
    pub origin: String,
    pub table: String,
    pub separator: u8,
    pub quoting: bool,
    pub date_format: Option<DateFormat>,
    pub columns: Vec<RefColumn>,
}

impl RefLayout {
    pub fn from_toml(text: &str, origin: &str) -> Result<RefLayout> {
        let f: File = toml::from_str(text).map_err(|e| Error::Toml { origin: origin.to_string(), source: e })?;
        let err = |m: String| Error::layout(format!("{} ({origin})", f.layout.name), m);
        let separator = match f.layout.separator.as_bytes() {
            [b] if b.is_ascii() && !b.is_ascii_alphanumeric() => *b,
            _ => return Err(err(format!("separator {:?} must be one ASCII character", f.layout.separator))),
        };
        let date_format = f.layout.date_format.as_deref().map(DateFormat::parse_pattern).transpose().map_err(&err)?;
        let mut columns = Vec::new();
        for c in &f.column {
            let kind = match c.ty.as_deref() {
                None | Some("text") => ValueKind::Text,
                Some("date") => ValueKind::Date,
                Some("integer") => ValueKind::Integer,
                Some("flag") => ValueKind::Flag,
                Some(other) => return Err(err(format!("column {}: type {other:?} is not text, date, integer or flag", c.name))),
            };
            if kind == ValueKind::Date && date_format.is_none() {
                return Err(err(format!("column {} is a date: the layout needs `date_format`", c.name)));
            }
            if columns.iter().any(|x: &RefColumn| x.name == c.name) {
                return Err(err(format!("column {} is named twice", c.name)));
            }
            columns.push(RefColumn { header: c.header.trim().to_string(), name: c.name.clone(), kind, optional: c.optional });
        }
        if columns.is_empty() {
            return Err(err("a layout needs at least one [[column]]".into()));
        }
        Ok(RefLayout {
            name: f.layout.name,
            origin: origin.to_string(),
            table: f.layout.table,
            separator,
            quoting: f.layout.quoting,
            date_format,
            columns,
        })
    }

    pub fn from_path(path: &Path) -> Result<RefLayout> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        RefLayout::from_toml(&text, &path.display().to_string())
    }

    pub fn all_builtin() -> Vec<RefLayout> {
        crate::embedded::REFERENCE_LAYOUTS
            .iter()
            .map(|(name, text)| RefLayout::from_toml(text, &format!("builtin:{name}")).expect("shipped reference layouts are valid"))
            .collect()
    }

    /// The headers this layout needs that `found` lacks.
    pub fn missing(&self, found: &[String]) -> Vec<&str> {
        self.columns.iter().filter(|c| !c.optional && !found.contains(&c.header)).map(|c| c.header.as_str()).collect()
    }
}
