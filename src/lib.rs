//! verzuim: DUO verzuim deliveries → Arrow → partitioned Parquet → DuckDB.
//!
//! Data flows one way, and each module knows only the ones before it:
//!
//! ```text
//! input (files, zips, encoding) → parse (records) → normalise (Arrow batches)
//!     → lake (Parquet, atomic commit) → reference (DUO's public files)
//!     → catalog (DuckDB views and the sql/ rules) → ingest, run (the jobs)
//! ```
//!
//! [`layout`] sits underneath all of them: the record layout is data.
//! [`request`] writes the files a user sends to DUO; [`inspect`] looks at a
//! file before it is ingested.

pub mod bench;
pub mod catalog;
mod embedded;
pub mod error;
pub mod generate;
mod failpoint;
pub mod ingest;
pub mod input;
pub mod inspect;
pub mod lake;
pub mod layout;
pub mod normalise;
pub mod parse;
pub mod purge;
pub mod reference;
pub mod report;
pub mod request;
pub mod run;

pub use error::{Error, Problem, Result};
