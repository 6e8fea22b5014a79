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
    assert!(err.contains("bad.srt:2: no readable cue"), "{err}");
    assert!(err.contains("malformed timestamp"), "{err}");
    assert!(err.contains("mixed.jsonl:2:2: not JSON"), "{err}");
    assert!(err.contains("2 error(s), 1 skipped"), "{err}");
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

#[test]
fn evidence_is_found_again_in_the_file_and_in_the_record() {
    let txt = "   宝子们看过来\n\n   以后不想要了拿回来，我们原价回收\n";
    let srt = "1\n00:00:01,000 --> 00:00:04,000\n以后不想要了拿回来\n\n2\n00:00:04,000 --> 00:00:06,000\n  我们原价回收\n";
    let records = "{\"id\":\"j\",\"segments\":[{\"text\":\"以后不想要了拿回来\"},{\"text\":\"我们原价回收\"}]}\n";
    let files = [
        (tmp("refind.txt", txt.as_bytes()), txt),
        (tmp("refind.srt", srt.as_bytes()), srt),
        (tmp("refind.jsonl", records.as_bytes()), records),
    ];
    for (path, file) in &files {
        let out = run(&["--format", "jsonl", "--include-text", path], None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rec = &jsonl(&out)[0];
        let text = rec["text"].as_str().expect("--include-text");
        let f = rec["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["matched"] == "原价回收")
            .unwrap_or_else(|| panic!("{path}: {rec}"));
        let at = |k: &str| f[k].as_u64().unwrap() as usize;
        assert_eq!(&text[at("start")..at("end")], "原价回收");
        assert_eq!(
            &file[at("file_start")..at("file_end")],
            "原价回收",
            "{path}"
        );
        let seg = &rec["segments"][at("segment")];
        let seg_start = seg["start"].as_u64().unwrap() as usize;
        assert_eq!(
            &text[seg_start + at("segment_start")..seg_start + at("segment_end")],
            "原价回收"
        );
    }
    let out = run(&["--format", "jsonl", &files[0].0], None);
    assert!(jsonl(&out)[0].get("text").is_none(), "text only on request");
}

/// The SHA-256 of a file's bytes, as the record must name it.
fn sha256_of(bytes: &[u8]) -> String {
    huashu::record::sha256_hex(bytes)
}

#[test]
fn provenance_in_every_format_for_files_and_standard_input() {
    let srt_path = "examples/transcripts/jade_buyback.srt";
    let srt = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(srt_path)).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    for (args, stdin, bytes) in [
        (vec![srt_path], None, srt.clone()),
        (
            vec!["--input", "srt", "-"],
            Some(srt.as_slice()),
            srt.clone(),
        ),
    ] {
        let hash = sha256_of(&bytes);
        for format in ["text", "json", "jsonl", "html"] {
            let mut a = vec!["--format", format];
            a.extend(&args);
            let out = run(&a, stdin);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let s = String::from_utf8_lossy(&out.stdout);
            assert!(s.contains(&hash), "{format} {args:?}: no full input sha256");
            assert!(s.contains("lexicons") && s.contains("sha256:"), "{format}");
            assert!(s.contains(version), "{format}: no version");
            if format == "jsonl" {
                let rec = &jsonl(&out)[0];
                assert_eq!(rec["sha256"], hash.as_str());
                assert_eq!(rec["huashu_version"], version);
                assert!(rec["lexicons"].as_str().unwrap().starts_with("sha256:"));
            }
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_malformed_cue_is_skipped_with_its_line_and_strict_fails_the_file() {
    let srt = "1\n00:00:01,000 --> 00:00:04,000\n以后不想要了拿回来\n\n2\n00:00:04,000 --> 00:00:0x,000\n这条坏了\n\n3\n00:00:06,000 --> 00:00:09,000\n我们原价回收 只高不低\n";
    let path = tmp("one_bad_cue.srt", srt.as_bytes());
    let out = run(&["--format", "jsonl", &path], None);
    assert_eq!(out.status.code(), Some(2), "input not read in full");
    let err = stderr(&out);
    assert!(
        err.contains("one_bad_cue.srt:6: malformed timestamp") && err.contains("(skipped)"),
        "{err}"
    );
    let rec = &jsonl(&out)[0];
    assert_eq!(rec["skipped"], 1);
    assert_eq!(rec["skipped_parts"][0]["line"], 6);
    let f = rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["matched"] == "原价回收")
        .expect("the cues after the bad one are analysed");
    assert_eq!(f["start_ms"], 6000);
    assert_eq!(f["segment"], 1);

    let strict = run(&["--format", "jsonl", "--strict", &path], None);
    assert_eq!(strict.status.code(), Some(2));
    assert!(strict.stdout.is_empty(), "the file fails as a whole");
    assert!(stderr(&strict).contains("one_bad_cue.srt:6: malformed timestamp"));
}

#[test]
fn jsonl_errors_name_the_files_line_and_column_and_strict_stops() {
    let body = "{\"id\":\"ok1\",\"text\":\"加我vx\"}\n  {\"id\":\"x\",\"text\":\"原价\" \"回收\"}\n{\"id\":\"ok2\",\"text\":\"你好\"}\n";
    let path = tmp("cols.jsonl", body.as_bytes());
    let out = run(&["--format", "jsonl", &path], None);
    let err = stderr(&out);
    // line 2: two spaces, then the object; the stray string starts at character 27.
    let line2 = body.lines().nth(1).unwrap();
    let col = line2[..line2.find("\"回收").unwrap()].chars().count() + 1;
    assert!(
        err.contains(&format!(
            "cols.jsonl:2:{col}: not JSON: expected `,` or `}}`"
        )),
        "{err}"
    );
    assert!(!err.contains("at line 1"), "{err}");
    let ids: Vec<String> = jsonl(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["ok1", "ok2"]);
    assert_eq!(out.status.code(), Some(2));
    let strict = run(&["--format", "jsonl", "--strict", &path], None);
    let ids: Vec<String> = jsonl(&strict)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["ok1"], "--strict stops at the bad record");
}

#[test]
fn lossy_decoding_counts_what_it_replaced() {
    let mut bytes = "以后不想要了拿回来\n我们原价回收\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe\xff\xff\xfd ok\n");
    let path = tmp("bad_bytes.txt", &bytes);
    let out = run(&["--format", "jsonl", &path], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad_bytes.txt:3:1: invalid UTF-8"),
        "{}",
        stderr(&out)
    );
    let out = run(&["--format", "jsonl", "--lossy", &path], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rec = &jsonl(&out)[0];
    assert_eq!(
        rec["replaced"], 5,
        "each invalid byte sequence, as String::from_utf8_lossy"
    );
    assert!(
        rec["tactics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["tactic"] == "buyback_promise")
    );
    assert!(stderr(&out).contains("decoded as U+FFFD"));
}

#[test]
fn funasr_character_timestamps_give_times() {
    let text = "以后不想要了拿回来，我们原价回收！";
    let n = text.chars().filter(|c| c.is_alphanumeric()).count();
    let ts: Vec<String> = (0..n)
        .map(|i| format!("[{},{}]", 1000 + i * 200, 1200 + i * 200))
        .collect();
    let json = format!(
        "[{{\"key\":\"asr1\",\"text\":\"{text}\",\"timestamp\":[{}]}}]",
        ts.join(",")
    );
    let path = tmp("asr_ts.json", json.as_bytes());
    let out = run(&["--format", "jsonl", &path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let rec = &jsonl(&out)[0];
    let f = rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["matched"] == "原价回收")
        .unwrap();
    // 原 is the 12th timed character (index 11): 1000 + 11 * 200.
    assert_eq!(f["start_ms"], 3200);
    assert_eq!(f["end_ms"], 1200 + 14 * 200);
}

#[test]
fn exit_statuses_and_the_summary() {
    let jade = "examples/transcripts/jade_buyback.srt";
    let cooking = "examples/transcripts/cooking_honest.srt";
    let missing = "no/such/file.srt";
    let code = |args: &[&str]| run(args, None).status.code();
    assert_eq!(code(&["--fail-level", "high", cooking]), Some(0));
    assert_eq!(code(&["--fail-level", "high", jade]), Some(1), "risk");
    assert_eq!(
        code(&["--fail-level", "high", cooking, missing]),
        Some(2),
        "errors"
    );
    assert_eq!(
        code(&["--fail-level", "high", jade, missing]),
        Some(3),
        "both"
    );
    assert_eq!(
        code(&["--fail-level", "high", "--bogus", jade]),
        Some(2),
        "usage"
    );

    let summary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scan-tests/summary.json");
    let s = summary.display().to_string();
    let out = run(
        &[
            "--fail-level",
            "high",
            "--summary",
            &s,
            jade,
            cooking,
            missing,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(v["files"], 3);
    assert_eq!(v["transcripts"], 2);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["skipped"], 0);
    assert_eq!(v["exit"], 3);
    assert_eq!(v["fail_level_reached"], true);
    let levels = v["levels"].as_object().unwrap();
    assert_eq!(levels.values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 2);
    assert_eq!(levels["none"], 1);
    let out = run(&["--summary", "-", cooking], None);
    let last = stderr(&out).lines().last().unwrap().to_string();
    let v: Value = serde_json::from_str(&last).expect("the last stderr line is the JSON summary");
    assert_eq!(v["exit"], 0);
}

#[test]
fn the_case_summary_in_text_json_and_html() {
    let jade = "examples/transcripts/jade_buyback.srt";
    let rec = &jsonl(&run(&["--format", "jsonl", jade], None))[0];
    let zh = rec["summary_zh"].as_str().expect("summary_zh");
    let en = rec["summary_en"].as_str().expect("summary_en");
    assert!(
        zh.contains("高价回收/回购承诺") && zh.contains("涉嫌违反"),
        "{zh}"
    );
    assert!(
        en.contains("Buyback promise") && en.contains("Laws cited"),
        "{en}"
    );
    let json: Value =
        serde_json::from_slice(&run(&["--format", "json", jade], None).stdout).unwrap();
    assert_eq!(json[0]["summary_zh"].as_str(), Some(zh));
    let text = String::from_utf8(run(&[jade], None).stdout).unwrap();
    assert!(text.contains(&format!("summary: {zh}")), "{text}");
    assert!(text.contains(&format!("summary (en): {en}")));
    let html = String::from_utf8(run(&["--format", "html", jade], None).stdout).unwrap();
    assert!(
        html.contains("class=\"summary\"") && html.contains("主要证据"),
        "html summary"
    );
}
