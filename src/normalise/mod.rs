//! Records and rows → Arrow record batches of the canonical tables.
//!
//! One seam: a [`DeliveryReader`] is a delivery layout compiled against the
//! canonical tables ([`canonical`], the lake's schema and the only place it
//! is written). Its two kinds differ only in how they find rows and fields —
//! [`records::RecordPlan`] cuts a record file into chunks parsed in
//! parallel, [`csv::CsvPlan`] reads a header CSV row by row — and both push
//! rows into the same [`sink::Sink`], which holds the Arrow builders, the
//! row policy per table, the findings, and makes the `levering` row and the
//! bounded batches. DUO's reference files go through the same header-CSV
//! row source ([`crate::parse::HeaderCsv`]) and column rules.

pub(crate) mod builder;
pub mod canonical;
pub mod csv;
mod facts;
pub mod records;
pub mod sink;

pub use facts::Facts;
pub use sink::{Bevinding, DeliveryKey, DeliveryMeta, Normalised, TableData};

use crate::error::{Problem, Result};
use crate::layout::DeliveryLayout;
use canonical::Unanswerable;

/// What reading a delivery without storing it found (`verzuim inspect`).
#[derive(Debug, Clone, Default)]
pub struct Survey {
    /// Rows read per record code, or (header CSV) rows, persons and rows
    /// kept per table.
    pub counts: Vec<(String, u64)>,
    /// Up to the limit asked for, in file order.
    pub problems: Vec<Problem>,
    pub bevindingen: u64,
}

/// A delivery layout of either kind, compiled: it reads deliveries.
#[derive(Debug, Clone)]
pub enum DeliveryReader {
    Records(records::RecordPlan),
    Csv(csv::CsvPlan),
}

impl DeliveryReader {
    /// Refused when the layout cannot fill the canonical tables
    /// ([`crate::error::Refusal`] says why).
    pub fn new(layout: DeliveryLayout) -> Result<DeliveryReader> {
        match layout {
            DeliveryLayout::Records(l) => records::RecordPlan::new(l).map(DeliveryReader::Records),
            DeliveryLayout::Csv(l) => csv::CsvPlan::new(l).map(DeliveryReader::Csv),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            DeliveryReader::Records(p) => &p.layout().name,
            DeliveryReader::Csv(p) => &p.layout().name,
        }
    }

    /// Whether a file whose first line is `first_line` is this layout.
    pub fn recognises(&self, first_line: &str) -> bool {
        match self {
            DeliveryReader::Records(p) => p.layout().recognises(first_line),
            DeliveryReader::Csv(p) => p.layout().recognises(first_line),
        }
    }

    /// How it recognises a file, for a message naming the layouts tried.
    pub fn recognition(&self) -> String {
        match self {
            DeliveryReader::Records(p) => p.layout().recognition(),
            DeliveryReader::Csv(p) => p.layout().recognition(),
        }
    }

    /// The figures this layout cannot answer. A record layout fills every
    /// canonical column (it is refused otherwise); a header-CSV layout may
    /// list columns as `absent`.
    pub fn unanswerable(&self) -> Vec<Unanswerable> {
        match self {
            DeliveryReader::Records(_) => Vec::new(),
            DeliveryReader::Csv(p) => canonical::unanswerable(|t, c| p.layout().leaves_empty(t, c)),
        }
    }

    /// Parses and normalises a delivery. `given` are the facts from outside
    /// the file: a header-CSV file's first source of them; for a record file
    /// a check on its header record. The first problem rejects it.
    pub fn normalise(
        &self,
        text: &str,
        meta: &DeliveryMeta,
        given: &Facts,
        chunk_bytes: usize,
    ) -> std::result::Result<Normalised, Problem> {
        match self {
            DeliveryReader::Records(p) => p.normalise(text, meta, given, chunk_bytes),
            DeliveryReader::Csv(p) => p.normalise(text, meta, given, chunk_bytes),
        }
    }

    /// Reads a delivery whole without storing it, collecting up to `limit` problems.
    pub fn survey(&self, text: &str, file_name: &str, given: &Facts, limit: usize) -> Survey {
        match self {
            DeliveryReader::Records(p) => p.survey(text, limit),
            DeliveryReader::Csv(p) => p.survey(text, file_name, given, limit),
        }
    }
}
