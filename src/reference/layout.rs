//! Layouts of DUO's public reference files: header-CSV files whose columns
//! are found by their header names, not their positions. A renamed DUO
//! column is an edit of a layout file (`pipelines/reference/*.toml`).
//!
//! They speak the delivery layouts' header-CSV vocabulary
//! (`crate::layout::csv`): the same `[[column]]` keys (`header`, `name`,
//! `type`, `required`, `optional`, the value rules), the same dialect keys
//! (`separator`, `quoting`, `null`), headers matched the same way — one
//! mechanism, so the two cannot drift apart. What differs is the target:
//! every column of a reference file goes to its one `table`, under its `name`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::layout::csv::{ColumnFile, RuleDefaults, TableMeta, compile_column};
use crate::layout::{CsvColumn, Dialect, header_key};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    layout: TableMeta,
    column: Vec<ColumnFile>,
}

#[derive(Debug, Clone)]
pub struct RefLayout {
    pub name: String,
    pub description: String,
    pub origin: String,
    pub table: String,
    pub dialect: Dialect,
    /// Each column's `name` is its column in the table.
    pub columns: Vec<CsvColumn>,
}

impl RefLayout {
    pub fn from_toml(text: &str, origin: &str) -> Result<RefLayout> {
        let f: File = toml::from_str(text).map_err(|e| Error::Toml { origin: origin.to_string(), source: e })?;
        let err = |m: String| Error::layout(format!("{} ({origin})", f.layout.name), m);
        let m = &f.layout;
        let Some(table) = m.table.clone() else { return Err(err("a reference layout names its `table`".into())) };
        let (dialect, date_format) = m.compile().map_err(&err)?;
        let no_codes = HashMap::new();
        let defaults = RuleDefaults { date_format: date_format.as_ref(), null: &m.null, code_index: &no_codes };
        let mut columns: Vec<CsvColumn> = Vec::new();
        for c in &f.column {
            let col = compile_column(c, &defaults).map_err(&err)?;
            if columns.iter().any(|x| x.name == col.name) {
                return Err(err(format!("column {} is named twice", col.name)));
            }
            columns.push(col);
        }
        if columns.is_empty() {
            return Err(err("a layout needs at least one [[column]]".into()));
        }
        Ok(RefLayout { name: m.name.clone(), description: m.description.clone(), origin: origin.to_string(), table, dialect, columns })
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

    /// The headers this layout needs that `found` (a file's header names) lacks.
    pub fn missing(&self, found: &[String]) -> Vec<&str> {
        let keys: Vec<String> = found.iter().map(|h| header_key(h)).collect();
        self.columns.iter().filter(|c| !c.optional && !keys.contains(&c.key)).map(|c| c.header.as_str()).collect()
    }
}
