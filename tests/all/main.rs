//! Every integration test in one binary: each test binary links DuckDB, and
//! one link instead of seventeen took a rebuild of the tests from 88 s to
//! 66 s on two cores, and a test run from 117 s to 95 s (issue 27 item 6,
//! docs/decisions.md). One file per subject still: `cargo test --test all figures::`.

mod common;

mod analyse;
mod bad_input;
mod bench;
mod brp;
mod catalog_refresh;
mod cli;
mod clients;
mod csv_deliveries;
mod duckdb_lake;
mod figures;
mod generated;
mod ingest;
mod lijsten;
mod parse_cases;
mod privacy;
mod purge;
mod reference;
mod report;
mod run;
