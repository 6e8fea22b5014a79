//! The archive example end to end: room, streamer and start time from flags and from JSON
//! Lines fields, so that its room and time filters match; unknown tactic ids are errors.
#![cfg(feature = "index")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn archive_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let bin = dir
        .join("examples")
        .join(format!("archive{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "archive"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example archive");
        assert!(status.success());
    }
    bin
}

fn run(args: &[&str]) -> Output {
    Command::new(archive_bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run archive")
}

fn ids(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("--json");
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn room_streamer_and_start_time_make_the_filters_work() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("archive-example");
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.display().to_string();
    let out = run(&["add", &d, "examples/transcripts/demo.jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "add",
        &d,
        "--room",
        "room-flag",
        "--streamer",
        "主播甲",
        "--start",
        "2026-12-02T20:00:00+08:00",
        "examples/transcripts/jade_buyback.srt",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Rooms from JSON Lines fields and from the flag.
    assert_eq!(
        ids(&run(&["search", &d, "--room", "room-0815", "--json"])),
        ["jade-room-0815"]
    );
    assert_eq!(
        ids(&run(&["search", &d, "--room", "room-flag", "--json"])),
        ["jade_buyback.srt"]
    );
    // Start times: RFC 3339 in the record (2026-08-15 20:00 +08:00) and on the command line.
    let august = ids(&run(&[
        "search",
        &d,
        "--from",
        "2026-08-01T00:00:00Z",
        "--to",
        "2026-09-01T00:00:00Z",
        "--json",
    ]));
    assert_eq!(august, ["jade-room-0815"]);
    let december = ids(&run(&["search", &d, "--from", "1796212800000", "--json"]));
    assert_eq!(december, ["jade_buyback.srt"]);
    // A record without a start time matches no time range.
    let all_time = ids(&run(&["search", &d, "--from", "0", "--json"]));
    assert!(
        !all_time.contains(&"plain-text-record".to_string()),
        "{all_time:?}"
    );
    // The streamer is stored with each hit.
    let v: Value =
        serde_json::from_slice(&run(&["search", &d, "--room", "room-flag", "--json"]).stdout)
            .unwrap();
    assert_eq!(v["hits"][0]["meta"]["streamer"], "主播甲");
}

#[test]
fn unknown_tactics_and_times_are_errors() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("archive-example-bad");
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.display().to_string();
    assert!(
        run(&["add", &d, "examples/transcripts/cooking_honest.srt"])
            .status
            .success()
    );
    let out = run(&["search", &d, "--tactic", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown tactic `nosuch`"), "{err}");
    for id in huashu::TACTIC_IDS {
        assert!(err.contains(id), "{id} listed: {err}");
    }
    let out = run(&[
        "search",
        &d,
        "--all-tactics",
        "buyback_promise,off_platform",
    ]);
    assert_eq!(out.status.code(), Some(2), "one id per flag");
    let out = run(&[
        "add",
        &d,
        "--start",
        "yesterday",
        "examples/transcripts/cooking_honest.srt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
}
