//! The scan example end to end: every input format on the demo transcripts, the JSON Lines
//! contract that `score.py` and pipelines read, exit codes, and bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The scan example built by `cargo test` (examples are compiled for tests).
fn scan_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let bin = dir
        .join("examples")
        .join(format!("scan{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "scan"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example scan");
        assert!(status.success());
    }
    bin
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(scan_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run scan");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("scan finishes")
}

fn jsonl(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn tmp(name: &str, bytes: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scan-tests");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write tmp file");
    path.display().to_string()
}

/// Checks one output record against the contract and against its transcript's text.
fn check_record(rec: &Value, text: &str) {
    for key in [
        "id",
        "score",
        "level",
        "tactics",
        "findings",
        "huashu_version",
        "lexicons",
        "record_sha256",
    ] {
        assert!(rec.get(key).is_some(), "missing {key}: {rec}");
    }
    let score = rec["score"].as_f64().expect("score");
    assert!((0.0..=1.0).contains(&score));
    let mut last = 0;
    for f in rec["findings"].as_array().expect("findings") {
        for key in [
            "tactic",
            "rule",
            "matched",
            "start",
            "end",
            "char_start",
            "char_end",
            "segment",
            "start_ms",
            "end_ms",
            "weight",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], f["matched"].as_str().unwrap());
        assert_eq!(
            text[..s].chars().count() as u64,
            f["char_start"].as_u64().unwrap()
        );
        assert!(s >= last, "findings sorted");
        last = s;
    }
    for t in rec["tactics"].as_array().expect("tactics") {
        assert!(
            t["score"].as_f64().unwrap() > 0.0,
            "tactics lists only scoring tactics"
        );
        assert!(t["findings"].as_u64().unwrap() > 0);
    }
}

#[test]
fn jsonl_contract_on_demo_records_in_input_order() {
    let out = run(
        &["--format", "jsonl", "examples/transcripts/demo.jsonl"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = jsonl(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "jade-room-0815",
            "cooking-room-0302",
            "bags-room-1107",
            "plain-text-record"
        ]
    );
    let demo = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/transcripts/demo.jsonl"),
    )
    .unwrap();
    for (rec, line) in recs.iter().zip(demo.lines()) {
        let input: Value = serde_json::from_str(line).unwrap();
        let text = match input.get("segments") {
            Some(segs) => segs
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap())
                .collect::<Vec<_>>()
                .join("\n"),
            None => input["text"].as_str().unwrap().to_string(),
        };
        check_record(rec, &text);
    }
    assert!(matches!(
        recs[0]["level"].as_str(),
        Some("high" | "critical")
    ));
    assert_eq!(recs[1]["level"], "none", "the honest cooking stream");
    assert!(
        matches!(recs[2]["level"].as_str(), Some("high" | "critical")),
        "the evasion stream"
    );
    let timed = recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["tactic"] == "buyback_promise")
        .unwrap();
    assert!(timed["start_ms"].as_u64().is_some());
}

#[test]
fn every_input_format() {
    let srt = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/transcripts/jade_buyback.srt"),
    )
    .unwrap();
    let vtt = "WEBVTT\n\n00:01.000 --> 00:04.000\n以后不想要了拿回来\n\n00:04.000 --> 00:07.000\n我们原价回收 加我vx\n";
    let whisper = r#"{"segments":[{"start":1.0,"end":4.0,"text":"以后不想要了拿回来"},{"start":4.0,"end":7.0,"text":"我们原价回收 加我vx"}]}"#;
    let funasr = r#"[{"key":"k1","sentence_info":[{"text":"以后不想要了拿回来","start":1000,"end":4000},{"text":"我们原价回收 加我vx","start":4000,"end":7000}]}]"#;
    let txt = "以后不想要了拿回来\n我们原价回收 加我vx\n";
    let files = [
        tmp("a.srt", &srt),
        tmp("b.vtt", vtt.as_bytes()),
        tmp("c.json", whisper.as_bytes()),
        tmp("d.json", funasr.as_bytes()),
        tmp("e.txt", txt.as_bytes()),
        tmp(
            "f.gbk.srt",
            &encoding_rs::GB18030
                .encode(&String::from_utf8(srt.clone()).unwrap())
                .0,
        ),
    ];
    let mut args = vec!["--format", "jsonl"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 6);
    for rec in &recs {
        let tactics: Vec<&str> = rec["tactics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["tactic"].as_str().unwrap())
            .collect();
        assert!(
            tactics.contains(&"buyback_promise"),
            "{}: {tactics:?}",
            rec["id"]
        );
        assert!(rec["sha256"].as_str().is_some_and(|h| h.len() == 64));
    }
    assert_eq!(recs[3]["id"], "k1");
    assert_eq!(recs[1]["findings"][0]["start_ms"].as_u64(), Some(1000));
}

#[test]
fn standard_input_and_json_array() {
    let input = "{\"id\":\"s1\",\"text\":\"原价三千九百九十九 今天只要九十九\"}\n{\"id\":\"s2\",\"text\":\"今天天气不错\"}\n";
    let out = run(
        &["--input", "jsonl", "--format", "json", "-"],
        Some(input.as_bytes()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["id"], "s1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("stdin sha256"));
}

#[test]
fn fail_level_and_min_level() {
    let jade = "examples/transcripts/jade_buyback.srt";
    let cooking = "examples/transcripts/cooking_honest.srt";
    assert_eq!(
        run(&["--fail-level", "high", jade], None).status.code(),
        Some(1)
    );
    assert_eq!(
        run(&["--fail-level", "high", cooking], None).status.code(),
        Some(0)
    );
    let out = run(
        &["--format", "jsonl", "--min-level", "medium", jade, cooking],
        None,
    );
    let recs = jsonl(&out);
    assert_eq!(recs.len(), 1, "the cooking stream is below medium");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 transcript(s)"));
}

#[test]
fn bad_input_is_reported_and_the_rest_goes_on() {
    let empty = tmp("empty.srt", b"");
    let bad_srt = tmp(
        "bad.srt",
        "1\n00:00:01,000 --> 00:00:0x,000\n你好\n".as_bytes(),
    );
    let jsonl_with_bad = tmp(
        "mixed.jsonl",
        "{\"id\":\"ok1\",\"text\":\"加我vx\"}\n{broken\n{\"id\":\"ok2\",\"text\":\"你好\"}\n"
            .as_bytes(),
    );
    let out = run(
        &[
            "--format",
            "jsonl",
            &empty,
            &bad_srt,
            &jsonl_with_bad,
            "examples/transcripts/cooking_honest.srt",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.srt: empty file"), "{err}");
    assert!(err.contains("bad.srt:2: malformed timestamp"), "{err}");
    assert!(err.contains("mixed.jsonl:2: not JSON"), "{err}");
    assert!(err.contains("3 error(s)"), "{err}");
    let ids: Vec<String> = jsonl(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["ok1", "ok2", "cooking_honest.srt"]);
    let missing = run(&["no/such/file.srt"], None);
    assert_eq!(missing.status.code(), Some(2));
    let usage = run(&["--format", "pdf", "x"], None);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("unknown output format"));
}

#[test]
fn custom_lexicons_and_tactic_filter() {
    let bad = tmp("bad_lexicon.toml", b"[tactic]\nid = \"counterfeit\"\nname_zh = \"x\"\nname_en = \"x\"\ndescription = \"x\"\nweight = 1.4\nlegal_basis = [\"x\"]\n");
    let out = run(
        &["--lexicons", &bad, "examples/transcripts/evasion.srt"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad_lexicon.toml:6: tactic weight 1.4 is out of range"),
        "{err}"
    );
    let out = run(
        &[
            "--format",
            "jsonl",
            "--only",
            "off_platform",
            "examples/transcripts/evasion.srt",
        ],
        None,
    );
    let recs = jsonl(&out);
    let tactics: Vec<&str> = recs[0]["tactics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tactic"].as_str().unwrap())
        .collect();
    assert_eq!(tactics, ["off_platform"]);
}

#[test]
fn text_and_html_outputs() {
    let out = run(&["examples/transcripts/jade_buyback.srt"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        !text.contains('\u{1b}'),
        "no colour when piped or NO_COLOR is set"
    );
    assert!(
        text.contains("«原价回收»") && text.contains("[00:00:24]"),
        "{text}"
    );
    let out = run(
        &[
            "--format",
            "html",
            "examples/transcripts/jade_buyback.srt",
            "examples/transcripts/cooking_honest.srt",
        ],
        None,
    );
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("<script src"),
        "self-contained"
    );
    assert!(html.contains("<mark") && html.contains("class=\"timeline\""));
}
