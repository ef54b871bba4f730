//! Errors as values with context.
//!
//! Every error names where it happened (file, line, record, field) and never
//! carries a person's number or name: values from person fields are masked
//! before they reach a message (see [`crate::parse::mask`]).

use std::fmt;
use std::path::PathBuf;

/// A problem found in a delivery's content, located to the line and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number; 0 when the problem concerns the file as a whole.
    pub line: u64,
    pub record: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn file(message: impl Into<String>) -> Self {
        Problem { line: 0, record: None, field: None, message: message.into() }
    }

    pub fn line(line: u64, message: impl Into<String>) -> Self {
        Problem { line, record: None, field: None, message: message.into() }
    }

    pub fn at(line: u64, record: &str, message: impl Into<String>) -> Self {
        Problem { line, record: Some(record.to_string()), field: None, message: message.into() }
    }

    pub fn field(line: u64, record: &str, field: &str, message: impl Into<String>) -> Self {
        Problem { line, record: Some(record.to_string()), field: Some(field.to_string()), message: message.into() }
    }

    /// A cell of a header-CSV file: its line and its column's header.
    pub fn column(line: u64, header: &str, message: impl Into<String>) -> Self {
        Problem { line, record: None, field: Some(header.to_string()), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if let Some(r) = &self.record {
                write!(f, ", record {r}")?;
            }
            match (&self.record, &self.field) {
                (Some(_), Some(fl)) => write!(f, ", field {fl}")?,
                (None, Some(col)) => write!(f, ", column {col}")?,
                _ => {}
            }
            write!(f, ": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why a delivery was rejected, kept as a value to the end (the run log,
/// the quarantine's reason file, the summary print it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Its content, located to line, record and field.
    Content(Problem),
    /// It could not be read as a delivery: unreadable bytes, no known
    /// encoding, no layout that recognises it.
    Unreadable(String),
    /// The lake could not take it (a full disk, permissions): the delivery
    /// may be fine, and the next run tries again.
    Lake(String),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Content(p) => p.fmt(f),
            Rejection::Unreadable(m) | Rejection::Lake(m) => f.write_str(m),
        }
    }
}

impl Rejection {
    /// The located problem, when the content was at fault.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Rejection::Content(p) => Some(p),
            _ => None,
        }
    }
}

/// Why a delivery layout cannot fill the canonical tables: each a case in
/// the refusal tables beside the plans (`normalise::records`,
/// `normalise::csv`), which assert these kinds, not message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a valid layout file (a key, a value, a pattern): the message says which.
    Invalid,
    /// A record or `[tables.X]` names a table that is not canonical.
    UnknownTable,
    /// Two records fill one table.
    TableFilledTwice,
    /// A canonical column has no field, mapping, constant or `absent`.
    ColumnNotGiven,
    /// A column the figures cannot do without is listed as `absent`.
    IndispensableAbsent,
    /// A field or column fills a canonical column of another type.
    WrongType,
    /// The person key is not text, as a pgn is.
    PersonKeyType,
    /// A field or extra column takes a name verzuim computes or a canonical one.
    ReservedName,
    /// A mapping names a column its table does not have.
    UnknownColumn,
    /// A constant that is not a value of its column's type.
    BadConstant,
    /// No `persoon` table, or `per_person` where it cannot hold.
    PersonTable,
    /// The header record fills another table than `levering`.
    HeaderTable,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("layout {name}: {message}")]
    Layout { name: String, refusal: Refusal, message: String },

    #[error("{path}: {message}")]
    Archive { path: PathBuf, message: String },

    #[error("lake {path}: {message}")]
    Lake { path: PathBuf, message: String },

    #[error("{0}")]
    Usage(String),

    /// DuckDB failed on verzuim's own SQL (the catalog, a report, a figure).
    #[cfg(feature = "catalog")]
    #[error("{what}: {source}")]
    DuckDb {
        what: String,
        #[source]
        source: duckdb::Error,
    },

    /// A query the user wrote (`verzuim sql`, a configured figure) failed:
    /// DuckDB's message, with advice where DuckDB's own cannot work here.
    #[error("{0}")]
    Query(String),

    #[error("{what}: {source}")]
    Arrow {
        what: String,
        #[source]
        source: arrow::error::ArrowError,
    },

    #[error("{path}: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },

    /// A layout file that is not valid TOML (its own checks are [`Error::Layout`]).
    #[error("layout {origin}: {source}")]
    Toml {
        origin: String,
        #[source]
        source: toml::de::Error,
    },

    #[error("{what}: {source}")]
    Json {
        what: String,
        #[source]
        source: serde_json::Error,
    },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// A layout file that says something verzuim cannot use (its TOML, a
    /// key, a value): see the message.
    pub fn layout(name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::refused(name, Refusal::Invalid, message)
    }

    /// A layout refused for a reason of its own kind.
    pub fn refused(name: impl Into<String>, refusal: Refusal, message: impl Into<String>) -> Self {
        Error::Layout { name: name.into(), refusal, message: message.into() }
    }

    /// Why a layout was refused, when it was.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Error::Layout { refusal, .. } => Some(*refusal),
            _ => None,
        }
    }

    pub fn lake(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Lake { path: path.into(), message: message.into() }
    }

    #[cfg(feature = "catalog")]
    pub fn duckdb(what: impl Into<String>, source: duckdb::Error) -> Self {
        Error::DuckDb { what: what.into(), source }
    }

    pub fn arrow(what: impl Into<String>, source: arrow::error::ArrowError) -> Self {
        Error::Arrow { what: what.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
