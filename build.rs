//! Embeds `sql/*.sql`, `pipelines/{layouts,reference,brp,lijsten,vocabulary}/*.toml`
//! and `reference/*.csv` in the binary, in file-name order: adding a view,
//! macro, layout or vocabulary is adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time, not with env!(): a build script compiled for one
    // checkout is reused by cargo for another checkout sharing the target dir.
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = root.as_path();
    println!("cargo:rerun-if-changed=build.rs");
    let mut out = String::new();
    embed(&mut out, &root.join("sql"), "sql", "SQL_FILES", "`sql/*.sql` in the order they are applied");
    embed(
        &mut out,
        &root.join("sql/bijwerken"),
        "sql",
        "SQL_BIJWERKEN",
        "`sql/bijwerken/*.sql`: a stored table's incremental update, run in place of its namesake in `sql/`",
    );
    embed(&mut out, &root.join("sql/analyse"), "sql", "SQL_ANALYSE", "`sql/analyse/*.sql`: the pseudonymised analyst catalog's tables");
    embed(&mut out, &root.join("pipelines/reference"), "toml", "REFERENCE_LAYOUTS", "the shipped reference-file layouts");
    embed(&mut out, &root.join("pipelines/brp"), "toml", "BRP_LAYOUTS", "the shipped BRP-extract layout");
    embed(&mut out, &root.join("pipelines/lijsten"), "toml", "LIST_LAYOUTS", "the shipped layouts of DUO's VSV lists");
    embed(&mut out, &root.join("pipelines/layouts"), "toml", "DELIVERY_LAYOUTS", "the shipped delivery layouts");
    embed(&mut out, &root.join("pipelines/vocabulary"), "toml", "VOCABULARIES", "the column vocabularies `verzuim inspect` drafts from");
    embed(&mut out, &root.join("reference"), "csv", "REFERENCE_TABLES", "the shipped reference tables (the gemeente → regio table)");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(dest, out).unwrap();
}

fn embed(out: &mut String, dir: &Path, ext: &str, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    writeln!(out, "/// {doc}: (file name, text).\npub const {name}: &[(&str, &str)] = &[").unwrap();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let file = f.file_name().unwrap().to_string_lossy();
        writeln!(out, "    ({file:?}, include_str!({:?})),", f.display().to_string()).unwrap();
    }
    out.push_str("];\n");
}
