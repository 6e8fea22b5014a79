//! Replay a transcript as a live stream: segments are pushed into a live session at their
//! timestamps (sped up), and evidence and alerts are printed as they fire.
//!
//! ```text
//! cargo run --release --example live -- examples/transcripts/jade_buyback.srt --speed 10
//! cargo run --release --example live -- examples/transcripts/demo.jsonl --speed 0
//! cargo run --release --example live -- examples/transcripts/jade_buyback.srt --speed 0 --format jsonl
//! ```
//!
//! - `--speed N` plays N times faster than real time; `--speed 0` replays without waiting.
//! - `--alert-level LEVEL` sets the level that raises an alert (default high).
//! - `--settled-only` reports evidence only once it has settled (about 25–30 seconds of speech
//!   later); by default it is reported by the push that completes it, as provisional (`?`),
//!   then confirmed (`✓`) or retracted (`✗`), and alerts count provisional evidence.
//! - `--format jsonl` prints one JSON event a line instead: `kind` is `provisional`,
//!   `confirmed`, `retracted`, `reframed`, `alert` or `summary`; `at_ms` is the stream time of
//!   the push that produced the event (the end of its segment); findings are as in reports.
//!
//! - `--split N` re-cuts each segment into pieces of N characters, timed at four characters a
//!   second when the source has no times (to replay plain-text transcripts, such as a JSON
//!   Lines file of whole streams, as a recognizer would deliver them).
//!
//! The summary gives the reporting latency: for each finding, the stream time from the end of
//! the segment that completes it to the push that first reports it (p50 and p95 over the
//! room, and the share of provisional findings that were retracted).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use huashu::render::clock;
use huashu::transcript::{Segment, read_path};
use huashu::{Analyzer, Finding, Level, Provisional, SessionConfig, Update};
use serde_json::json;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Jsonl,
}

/// What a room's replay measured about reporting.
#[derive(Default)]
struct Latency {
    /// Stream milliseconds from the end of a finding's last segment to its first report.
    delays: Vec<u64>,
    provisional: usize,
    retracted: usize,
}

impl Latency {
    fn note(&mut self, u: &Update, at_ms: Option<u64>) {
        for f in u.provisional.iter().chain(&u.findings) {
            if let (Some(at), Some(end)) = (at_ms, f.end_ms) {
                self.delays.push(at.saturating_sub(end));
            }
        }
        self.provisional += u.provisional.len();
        self.retracted += u.retracted.len();
    }

    fn percentile(&self, p: f64) -> Option<u64> {
        let mut d = self.delays.clone();
        d.sort_unstable();
        let i = ((d.len() as f64 - 1.0) * p).round() as usize;
        d.get(i).copied()
    }
}

fn main() -> ExitCode {
    let mut files = Vec::new();
    let mut speed = 1.0f64;
    let mut alert_level = Level::High;
    let mut provisional = Provisional::Alert;
    let mut format = Format::Text;
    let mut split = None;
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
            "--format" => match args.next().as_deref() {
                Some("text") => format = Format::Text,
                Some("jsonl") => format = Format::Jsonl,
                _ => {
                    eprintln!("live: --format needs text or jsonl");
                    return ExitCode::from(2);
                }
            },
            "--settled-only" => provisional = Provisional::Off,
            "--split" => match args.next().and_then(|v| v.parse::<usize>().ok()) {
                Some(n) if n > 0 => split = Some(n),
                _ => {
                    eprintln!("live: --split needs a number of characters ≥ 1");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!(
                    "usage: live FILE... [--speed N] [--alert-level LEVEL] [--settled-only] \
                     [--split N] [--format text|jsonl]"
                );
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
    let config = SessionConfig::default()
        .with_alert_level(alert_level)
        .with_provisional(provisional);
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
            let room = transcript.id.clone();
            let segments = match split {
                Some(n) => recut(transcript.segments, n),
                None => transcript.segments,
            };
            if format == Format::Text {
                println!("▶ room {room} ({} segments)", segments.len());
            }
            let mut session = analyzer.session(config.clone());
            let started = Instant::now();
            let first_ms = segments.iter().find_map(|s| s.start_ms).unwrap_or(0);
            let mut slowest = Duration::ZERO;
            let mut latency = Latency::default();
            let print = |u: &Update, at_ms: Option<u64>| match format {
                Format::Text => print_text(analyzer, u),
                Format::Jsonl => print_jsonl(&room, u, at_ms),
            };
            let mut end_ms = None;
            for segment in segments {
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
                let at_ms = segment.end_ms;
                end_ms = at_ms.or(end_ms);
                let t = Instant::now();
                let update = session.push(segment);
                slowest = slowest.max(t.elapsed());
                latency.note(&update, at_ms);
                print(&update, at_ms);
            }
            let last = session.finish();
            latency.note(&last, end_ms);
            print(&last, end_ms);
            let report = session.cumulative();
            let ms = |v: Option<u64>| {
                v.map_or("-".to_string(), |v| format!("{:.1} s", v as f64 / 1000.0))
            };
            let retracted_share = if latency.provisional == 0 {
                0.0
            } else {
                latency.retracted as f64 / latency.provisional as f64
            };
            match format {
                Format::Text => {
                    let tactics: Vec<String> = report
                        .tactics
                        .iter()
                        .map(|t| format!("{} ×{}", t.tactic, t.findings))
                        .collect();
                    println!(
                        "■ room {room}: {} (score {:.2}); {}; reported after p50 {}, p95 {} of \
                         stream time; {} of {} provisional retracted; slowest push {:?}",
                        report.level,
                        report.score,
                        if tactics.is_empty() {
                            "no evidence".to_string()
                        } else {
                            tactics.join(", ")
                        },
                        ms(latency.percentile(0.5)),
                        ms(latency.percentile(0.95)),
                        latency.retracted,
                        latency.provisional,
                        slowest
                    );
                }
                Format::Jsonl => println!(
                    "{}",
                    json!({
                        "kind": "summary",
                        "room": room,
                        "level": report.level,
                        "score": report.score,
                        "tactics": report.tactics.iter()
                            .map(|t| json!({"tactic": t.tactic, "findings": t.findings}))
                            .collect::<Vec<_>>(),
                        "latency_ms_p50": latency.percentile(0.5),
                        "latency_ms_p95": latency.percentile(0.95),
                        "provisional": latency.provisional,
                        "retracted": latency.retracted,
                        "retracted_share": retracted_share,
                        "slowest_push_us": slowest.as_micros() as u64,
                    })
                ),
            }
        }
    }
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// One line a finding: `?` provisional, `✓` confirmed, `✗` retracted, `↺` re-framed, and no
/// mark for evidence reported once it settled.
fn print_text(analyzer: &Analyzer, u: &Update) {
    let show = |mark: &str, f: &Finding| {
        let when = f
            .start_ms
            .map(clock)
            .unwrap_or_else(|| format!("@{}", f.char_start));
        let name = analyzer
            .tactic(&f.tactic)
            .map_or(f.tactic.as_str(), |t| t.name_zh.as_str());
        let matched = f.matched.replace('\n', " ");
        match &f.neutralized {
            None => println!("  {mark}[{when}] {name} · {} «{matched}»", f.rule),
            Some(n) => println!(
                "  {mark}[{when}] ({name} «{matched}» neutralized: {})",
                n.reason
            ),
        }
    };
    u.provisional.iter().for_each(|f| show("? ", f));
    u.findings.iter().for_each(|f| show("", f));
    u.confirmed.iter().for_each(|f| show("✓ ", f));
    u.retracted.iter().for_each(|f| show("✗ ", f));
    // The stream's frame changed: what was reported before now stands differently.
    for f in &u.reframed {
        let now = match &f.neutralized {
            Some(n) => format!("now neutralized: {} «{}»", n.reason, n.cue),
            None => "scores again".to_string(),
        };
        println!("  ↺ «{}» {now}", f.matched.replace('\n', " "));
    }
    if let Some(alert) = &u.alert {
        let at = alert.at_ms.map(clock).unwrap_or_default();
        let why: Vec<String> = alert
            .findings
            .iter()
            .map(|f| format!("{} «{}»", f.tactic, f.matched.replace('\n', " ")))
            .collect();
        println!(
            "  ⚠ ALERT {at}: risk rose from {} to {} (score {:.2}) on {}",
            alert.previous,
            alert.level,
            alert.score,
            why.join(", ")
        );
    }
}

/// One JSON event a line.
fn print_jsonl(room: &str, u: &Update, at_ms: Option<u64>) {
    let event = |kind: &str, f: &Finding| {
        println!(
            "{}",
            json!({"kind": kind, "room": room, "at_ms": at_ms, "finding": f})
        );
    };
    u.provisional.iter().for_each(|f| event("provisional", f));
    // Settled without having been provisional (`--settled-only`): confirmed at once.
    u.findings.iter().for_each(|f| event("confirmed", f));
    u.confirmed.iter().for_each(|f| event("confirmed", f));
    u.retracted.iter().for_each(|f| event("retracted", f));
    u.reframed.iter().for_each(|f| event("reframed", f));
    if let Some(a) = &u.alert {
        println!(
            "{}",
            json!({
                "kind": "alert", "room": room, "at_ms": at_ms,
                "level": a.level, "previous": a.previous, "score": a.score,
                "findings": a.findings,
            })
        );
    }
}

/// Cuts segments into pieces of `n` characters, each timed by interpolating its segment's
/// times, or at four characters a second from the end of the previous piece.
fn recut(segments: Vec<Segment>, n: usize) -> Vec<Segment> {
    const MS_PER_CHAR: u64 = 250;
    let mut out = Vec::new();
    let mut clock = 0u64;
    for seg in segments {
        let chars: Vec<char> = seg.text.chars().collect();
        let len = chars.len().max(1) as u64;
        let (start, end) = match (seg.start_ms, seg.end_ms) {
            (Some(s), Some(e)) if e >= s => (s, e),
            _ => (clock, clock + len * MS_PER_CHAR),
        };
        for (i, piece) in chars.chunks(n).enumerate() {
            let from = (i * n) as u64;
            let to = from + piece.len() as u64;
            let mut p = Segment::timed(
                piece.iter().collect::<String>(),
                start + (end - start) * from / len,
                start + (end - start) * to / len,
            );
            p.speaker = seg.speaker.clone();
            out.push(p);
        }
        clock = end;
    }
    out
}
