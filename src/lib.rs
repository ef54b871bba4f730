//! verzuim: DUO verzuim deliveries → Arrow → partitioned Parquet → DuckDB.
//!
//! Data flows one way, and each module knows only the ones before it:
//!
//! ```text
//! input (files, zips, encoding) → parse (records) → normalise (Arrow batches)
//!     → lake (Parquet, atomic commit) → reference (DUO's public files)
//!     → catalog (DuckDB views and the sql/ rules) → status (is data arriving)
//!     → report → ingest, run (the jobs)
//! ```
//!
//! [`layout`] sits underneath all of them: the record layout is data.
//! [`request`] writes the files a user sends to DUO; [`inspect`] looks at a
//! file before it is ingested.

#[cfg(feature = "catalog")]
pub mod bench;
pub mod brp;
#[cfg(feature = "catalog")]
pub mod catalog;
mod embedded;
pub mod environment;
pub mod error;
mod failpoint;
pub mod files;
pub mod generate;
pub mod ingest;
pub mod input;
pub mod inspect;
pub mod lake;
pub mod layout;
pub mod lijst;
pub mod normalise;
pub mod parse;
#[cfg(feature = "catalog")]
pub mod purge;
pub mod reference;
#[cfg(feature = "catalog")]
pub mod report;
pub mod request;
#[cfg(feature = "catalog")]
pub mod run;
#[cfg(feature = "catalog")]
pub mod status;

pub use error::{Error, Problem, Rejection, Result};
