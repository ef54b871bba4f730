//! Files compiled into the binary by `build.rs`, so that `verzuim` works
//! from any directory: the catalog's SQL, the delivery and reference-file
//! layouts, the column vocabularies `inspect` drafts from, and the shipped
//! regio table.

// Without the catalog (the fuzz build) the SQL goes unused.
#![cfg_attr(not(feature = "catalog"), allow(dead_code))]

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
