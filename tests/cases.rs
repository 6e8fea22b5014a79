//! Runs every named case in `tests/data/*.toml` through the default analyzer and reports all
//! failures at once, by file and case name.

use std::collections::HashSet;
use std::path::Path;

use huashu::{Level, Report};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    kind: String,
    text: String,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    forbid: Vec<String>,
    #[serde(default)]
    min_level: Option<String>,
    #[serde(default)]
    max_level: Option<String>,
}

fn describe(r: &Report) -> String {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "{}/{} «{}»{}",
                f.tactic,
                f.rule,
                f.matched,
                f.neutralized
                    .as_ref()
                    .map(|n| format!(" [{:?}: {}]", n.reason, n.cue))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn check(file: &str, case: &Case) -> Result<(), String> {
    let report = huashu::analyze(&case.text);
    let active: HashSet<&str> = report.tactics.iter().map(|t| t.tactic.as_str()).collect();
    let mut problems = Vec::new();
    for t in &case.expect {
        if !huashu::TACTIC_IDS.contains(&t.as_str()) {
            problems.push(format!("unknown tactic `{t}` in expect"));
        } else if !active.contains(t.as_str()) {
            problems.push(format!("expected {t}"));
        }
    }
    for t in &case.forbid {
        if active.contains(t.as_str()) {
            problems.push(format!("forbidden {t} fired"));
        }
    }
    let parse = |s: &Option<String>| {
        s.as_deref()
            .map(|l| l.parse::<Level>().expect("valid level"))
    };
    if let Some(min) = parse(&case.min_level) {
        if report.level < min {
            problems.push(format!("level {} below {min}", report.level));
        }
    }
    if let Some(max) = parse(&case.max_level) {
        if report.level > max {
            problems.push(format!("level {} above {max}", report.level));
        }
    }
    if !matches!(case.kind.as_str(), "positive" | "evasion" | "trap") {
        problems.push(format!("unknown kind `{}`", case.kind));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{file} :: {} ({}): {}\n    text: {}\n    found: {}",
            case.name,
            case.kind,
            problems.join(", "),
            case.text,
            describe(&report)
        ))
    }
}

#[test]
fn data_driven_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).expect("readable case file");
        let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut names = HashSet::new();
        for case in &file.case {
            assert!(
                names.insert(&case.name),
                "{name}: duplicate case name {}",
                case.name
            );
            total += 1;
            if let Err(e) = check(&name, case) {
                failures.push(e);
            }
        }
    }
    assert!(total > 0, "no cases found");
    if !failures.is_empty() {
        panic!(
            "{} of {total} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
