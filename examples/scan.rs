//! Temporary minimal scanner: JSON Lines in, JSON Lines out (replaced by the full scanner).
use std::io::{BufRead, Write};

fn main() {
    let analyzer = huashu::Analyzer::default_ref();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("-:{}: {e}", n + 1);
                std::process::exit(2);
            }
        };
        let text = v["text"].as_str().unwrap_or("");
        let r = analyzer.analyze(text);
        let mut j = serde_json::to_value(&r).unwrap();
        j["id"] = v["id"].clone();
        writeln!(out, "{}", j).unwrap();
    }
}
