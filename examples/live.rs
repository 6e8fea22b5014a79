//! Replay a transcript as a live stream: segments are pushed into a live session at their
//! timestamps (sped up), and evidence and alerts are printed as they fire.
//!
//! ```text
//! cargo run --release --example live -- examples/transcripts/jade_buyback.srt --speed 10
//! cargo run --release --example live -- examples/transcripts/demo.jsonl --speed 0
//! ```
//!
//! `--speed N` plays N times faster than real time; `--speed 0` replays without waiting.
//! `--alert-level LEVEL` sets the level that raises an alert (default high).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use huashu::render::clock;
use huashu::transcript::read_path;
use huashu::{Analyzer, Level, SessionConfig};

fn main() -> ExitCode {
    let mut files = Vec::new();
    let mut speed = 1.0f64;
    let mut alert_level = Level::High;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--speed" => match args.next().and_then(|v| v.parse::<f64>().ok()) {
                Some(s) if s >= 0.0 => speed = s,
                _ => {
                    eprintln!("live: --speed needs a number ≥ 0");
                    return ExitCode::from(2);
                }
            },
            "--alert-level" => match args.next().map(|v| v.parse::<Level>()) {
                Some(Ok(l)) => alert_level = l,
                _ => {
                    eprintln!("live: --alert-level needs none, low, medium, high or critical");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("usage: live FILE... [--speed N] [--alert-level LEVEL]");
                return ExitCode::SUCCESS;
            }
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("live: give a transcript file (SRT, WebVTT, JSON Lines, Whisper or FunASR JSON)");
        return ExitCode::from(2);
    }
    let analyzer = Analyzer::default_ref();
    let mut errors = 0;
    for file in &files {
        let records = match read_path(Path::new(file), None) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("live: {e}");
                errors += 1;
                continue;
            }
        };
        for record in records {
            let transcript = match record {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("live: {e}");
                    errors += 1;
                    continue;
                }
            };
            println!(
                "▶ room {} ({} segments)",
                transcript.id,
                transcript.segments.len()
            );
            let mut session =
                analyzer.session(SessionConfig::default().with_alert_level(alert_level));
            let started = Instant::now();
            let first_ms = transcript
                .segments
                .iter()
                .find_map(|s| s.start_ms)
                .unwrap_or(0);
            let mut slowest = Duration::ZERO;
            // The stream's frame changed: what was reported before now stands differently.
            let show_reframed = |fs: &[huashu::Finding]| {
                for f in fs {
                    let now = match &f.neutralized {
                        Some(n) => format!("now neutralized: {} «{}»", n.reason, n.cue),
                        None => "scores again".to_string(),
                    };
                    println!("  ↺ «{}» {now}", f.matched.replace('\n', " "));
                }
            };
            let show = |f: &huashu::Finding| {
                let when = f
                    .start_ms
                    .map(clock)
                    .unwrap_or_else(|| format!("@{}", f.char_start));
                let name = analyzer
                    .tactic(&f.tactic)
                    .map_or(f.tactic.as_str(), |t| t.name_zh.as_str());
                match &f.neutralized {
                    None => println!(
                        "  [{when}] {name} · {} «{}»",
                        f.rule,
                        f.matched.replace('\n', " ")
                    ),
                    Some(n) => println!(
                        "  [{when}] ({name} «{}» neutralized: {})",
                        f.matched.replace('\n', " "),
                        n.reason
                    ),
                }
            };
            for segment in transcript.segments {
                if speed > 0.0 {
                    if let Some(ms) = segment.start_ms {
                        let due = Duration::from_secs_f64(
                            (ms.saturating_sub(first_ms)) as f64 / 1000.0 / speed,
                        );
                        if let Some(wait) = due.checked_sub(started.elapsed()) {
                            std::thread::sleep(wait);
                        }
                    }
                }
                let t = Instant::now();
                let update = session.push(segment);
                slowest = slowest.max(t.elapsed());
                update.findings.iter().for_each(show);
                show_reframed(&update.reframed);
                if let Some(alert) = update.alert {
                    let at = alert.at_ms.map(clock).unwrap_or_default();
                    println!(
                        "  ⚠ ALERT {at}: risk rose from {} to {} (score {:.2}; tactics: {})",
                        alert.previous,
                        alert.level,
                        alert.score,
                        update.risk.tactics.join(", ")
                    );
                }
            }
            let last = session.finish();
            show_reframed(&last.reframed);
            last.findings.iter().for_each(show);
            let report = session.cumulative();
            let tactics: Vec<String> = report
                .tactics
                .iter()
                .map(|t| format!("{} ×{}", t.tactic, t.findings))
                .collect();
            println!(
                "■ room {}: {} (score {:.2}); {}; slowest push {:?}",
                transcript.id,
                report.level,
                report.score,
                if tactics.is_empty() {
                    "no evidence".to_string()
                } else {
                    tactics.join(", ")
                },
                slowest
            );
        }
    }
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
