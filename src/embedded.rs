//! Files compiled into the binary by `build.rs`, so that `verzuim` works
//! from any directory: the catalog's SQL and the reference-file layouts.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
