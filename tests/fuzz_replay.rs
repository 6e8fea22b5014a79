//! Replays the fuzz seeds and the saved fuzz regressions through the fuzz targets' own checks,
//! on stable, under `cargo test`: every file in `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/` goes through `fuzz/src/checks.rs`, the code the cargo-fuzz
//! targets run (see fuzz/README.md). Inputs libFuzzer adds to a corpus while fuzzing (named by
//! their SHA-1, ignored by git) are skipped: only the committed files are replayed.
//!
//! A regression whose bug is not fixed yet is listed in `fuzz/regressions/known-failures.txt`
//! (`<target>/<file>`): it still runs, and its failure is reported without failing the test;
//! once it passes the test fails until the line is removed, so the list cannot go stale.

// tests/regressions.rs uses parts of it that replaying does not (the session ledger's API).
#[allow(dead_code)]
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

/// The regressions known to fail still (`<target>/<file>` a line, `#` comments).
fn known_failures() -> Vec<String> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/known-failures.txt");
    std::fs::read_to_string(list)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Runs every input of `target` through `check`, and fails naming each input that failed
/// (other than known failures) and each known failure that passes now.
fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no seeds for the {target} fuzz target in fuzz/corpus/{target}"
    );
    let known = known_failures();
    let (mut failed, mut fixed) = (Vec::new(), Vec::new());
    for file in &files {
        let data = std::fs::read(file).expect("a readable fuzz input");
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_known = file
            .parent()
            .and_then(Path::parent)
            .is_some_and(|p| p.ends_with("regressions"))
            && known.contains(&format!("{target}/{name}"));
        let ok = std::panic::catch_unwind(|| check(&data)).is_ok();
        match (ok, is_known) {
            (false, false) => failed.push(file.display().to_string()),
            (false, true) => eprintln!("known failure, not fixed yet: {}", file.display()),
            (true, true) => fixed.push(format!("{target}/{name}")),
            (true, false) => {}
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs failed (messages above): {failed:#?}",
        failed.len(),
        files.len()
    );
    assert!(
        fixed.is_empty(),
        "fixed: remove {fixed:?} from fuzz/regressions/known-failures.txt"
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
