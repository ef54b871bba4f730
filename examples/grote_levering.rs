//! Writes a large synthetic VZL1 C-levering, for measuring ingest throughput
//! until `verzuim generate` (issue 3) and the benchmark (issue 8) exist.
//!
//! ```sh
//! cargo run --release --example grote_levering -- /tmp/groot.txt 500000
//! time target/release/verzuim ingest /tmp/groot.txt --lake /tmp/lake-groot
//! ```
//! (or with CARGO_TARGET_DIR, the binary under that directory)

use std::io::{BufWriter, Write};

/// The next nine-digit number from `n` on that passes the BSN 11-proef.
fn next_bsn(n: &mut u32) -> String {
    loop {
        *n += 1;
        let s = format!("{:09}", *n);
        let sum: i64 = s.bytes().enumerate().map(|(i, c)| (if i == 8 { -1 } else { 9 - i as i64 }) * i64::from(c - b'0')).sum();
        if sum.rem_euclid(11) == 0 {
            return s;
        }
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "groot.txt".into());
    let persons: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    let names = ["Jansen", "de Vries", "Zoë", "Çelik", "Øster", "Bakker", "Visser", "Smit"];
    let gemeenten = ["0687", "0717", "0718"];
    let mut n = 100_000_000u32;
    let mut records = 1u64;
    write!(out, "VLP|VZL1|C|R|0032|20261001|20261005|000001\r\n")?;
    for i in 0..persons {
        let pgn = next_bsn(&mut n);
        let year = 2004 + i % 19;
        let name = names[(i % 8) as usize];
        let gem = gemeenten[(i % 3) as usize];
        write!(out, "PER|{pgn}|{pgn}||{year}0{}1{}|{}|{name}||Voornaam {i}|\r\n", 1 + i % 9, i % 10, if i % 2 == 0 { "V" } else { "M" })?;
        write!(out, "VBL|{pgn}|{gem}|4331AB|{}||MIDDELBURG|6030|{year}0601|\r\n", 1 + i % 200)?;
        write!(out, "INS|{pgn}|0000000001|05XY|05XY00|PO||||{}|{}0820|{}0715|03|J\r\n", 1 + i % 6, year + 4, year + 12)?;
        write!(out, "INS|{pgn}|0000000002|20AB|20AB00|VMBO||TL||{}|{}0820|||J\r\n", 1 + i % 4, year + 12)?;
        write!(out, "RES|{pgn}|05XY|PO|||GET|{}0715|N\r\n", year + 12)?;
        write!(out, "SKW|{pgn}|N|\r\n")?;
        records += 6;
    }
    records += 1;
    write!(out, "SLR|{persons}|{records}\r\n")?;
    out.flush()?;
    eprintln!("{path}: {persons} persons, {records} records");
    Ok(())
}
