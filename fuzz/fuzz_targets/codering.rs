//! Encoding detection: UTF-8 with or without BOM, else Windows-1252. Any
//! bytes give text or a reason, and the choice keeps its promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verzuim::input::{read_text, Encoding};

fuzz_target!(|bytes: &[u8]| {
    match read_text(bytes) {
        Ok((text, Encoding::Utf8)) => assert_eq!(text.as_bytes(), bytes, "valid UTF-8 is taken as it is"),
        Ok((text, Encoding::Utf8Bom)) => assert_eq!(text.as_bytes(), &bytes[3..], "only the BOM is dropped"),
        Ok((text, Encoding::Windows1252)) => {
            assert!(std::str::from_utf8(bytes).is_err(), "Windows-1252 only for what is not UTF-8");
            // one character per byte: nothing is lost or invented
            assert_eq!(text.chars().count(), bytes.len());
        }
        Err(reason) => assert!(!reason.is_empty()),
    }
});
