//! Replays the fuzz seeds and the saved fuzz regressions through the fuzz targets' own checks,
//! on stable, under `cargo test`: every file in `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/` goes through `fuzz/src/checks.rs`, the code the cargo-fuzz
//! targets run (see fuzz/README.md). Inputs libFuzzer adds to a corpus while fuzzing (named by
//! their SHA-1, ignored by git) are skipped: only the committed files are replayed.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// Whether a file name is libFuzzer's: 40 hexadecimal digits.
fn generated(name: &str) -> bool {
    name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable fuzz directory").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && !(dir == "corpus" && generated(name)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs every input of `target` through `check`, and fails naming each input that failed.
fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no seeds for the {target} fuzz target in fuzz/corpus/{target}"
    );
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("a readable fuzz input");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs failed (messages above): {failed:#?}",
        failed.len(),
        files.len()
    );
}

#[test]
fn analyze() {
    replay("analyze", checks::analyze);
}

#[test]
fn readers() {
    replay("readers", checks::readers);
}

#[test]
fn lexicon() {
    replay("lexicon", checks::lexicon);
}

#[test]
fn session() {
    replay("session", checks::session);
}

#[test]
fn tokenizer() {
    replay("tokenizer", checks::tokenizer);
}

#[test]
fn normalize() {
    replay("normalize", checks::normalize);
}
