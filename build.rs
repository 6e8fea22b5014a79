//! Embeds every lexicon under `lexicons/` into the library: the generated file lists
//! `(relative path, contents)` pairs, so adding a lexicon file needs no code change.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let lexicons = root.join("lexicons");
    println!("cargo:rerun-if-changed=lexicons");
    let mut files = Vec::new();
    collect(&lexicons, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every embedded lexicon file: (path relative to `lexicons/`, contents).\npub(crate) const EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&lexicons)
            .expect("under lexicons/")
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_lexicons.rs");
    fs::write(out, code).expect("write the embedded lexicon list");
}
