//! Zip reading: any bytes saved as a delivery file, expanded into inputs
//! (members) and each member read and hashed as the ingest does. A broken
//! archive must give an error, not a panic, a hang or an allocation of the
//! size a forged header claims.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static FILE: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("verzuim-fuzz-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("levering.zip")
});

fuzz_target!(|bytes: &[u8]| {
    std::fs::write(&*FILE, bytes).expect("temp file");
    let Ok((inputs, _)) = verzuim::input::discover(&[FILE.clone()], &["txt", "zip"]) else { return };
    for input in inputs {
        let _ = input.name();
        if let Ok(content) = input.read() {
            let _ = verzuim::input::read_text(&content);
        }
        let _ = input.sha256();
    }
});
