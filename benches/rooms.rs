//! Many rooms in one process: `HUASHU_ROOMS` live sessions (default 10,000), each receiving one
//! segment a second of generated livestream speech (20–60 characters, 40 on average) for
//! `HUASHU_MINUTES` simulated minutes (default 5), spread over the machine's cores. Pushes are made in stream-time order, as a
//! server would receive them, and the run reports:
//!
//! - CPU seconds per room-hour (process user + system time over the pushes, from
//!   `/proc/self/stat`), and how much of one core real time would need;
//! - push latency p50 / p99 / p99.9;
//! - peak RSS (`VmHWM`) and the sessions' own heap account (`heap_bytes`);
//! - the same segments analysed alone, statelessly (the baseline in the same run), and the
//!   ratio of the session's CPU to it.
//!
//! `HUASHU_PROVISIONAL=1` reports evidence at once (`Provisional::Report`). A plain harness
//! (not criterion): one long run is the measurement. Run with
//! `cargo bench --bench rooms` (about two minutes of CPU with the defaults on this machine's two
//! cores); `HUASHU_ROOMS=1000 HUASHU_MINUTES=2 cargo bench --bench rooms` for a quick look.

mod common;

use std::time::{Duration, Instant};

use huashu::transcript::Segment;
use huashu::{Analyzer, LiveSession, Provisional, SessionConfig};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) this process has used.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident set size, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// One room's speech: a segment of 20–60 characters (40 on average) every second, as a
/// recognizer delivering a fast talker's utterances (the reference measurement pushes
/// 40 characters a second).
fn room_speech(seconds: u64, seed: u64) -> Vec<(u64, Segment)> {
    let text = common::corpus((seconds * 160) as usize, seed);
    let chars: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
    let mut rng = common::Rng::new(seed ^ 0x9e37);
    let (mut at, mut out) = (0usize, Vec::new());
    for second in 0..seconds {
        let n = (20 + rng.below(41)).min(chars.len() - at);
        if n == 0 {
            break;
        }
        let s: String = chars[at..at + n].iter().collect();
        let t = second * 1000;
        out.push((t + 1000, Segment::timed(s, t, t + 1000)));
        at += n;
    }
    out
}

/// A room: its speech (each segment with the stream time it is pushed at) and its session.
type Room = (Vec<(u64, Segment)>, LiveSession);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted
        .get(((sorted.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or_default()
}

fn main() {
    let rooms = env("HUASHU_ROOMS", 10_000);
    let minutes = env("HUASHU_MINUTES", 5) as u64;
    let provisional = env("HUASHU_PROVISIONAL", 0) == 1;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let analyzer = Analyzer::builder().build().expect("default lexicons");
    let config = SessionConfig::default().with_provisional(if provisional {
        Provisional::Report
    } else {
        Provisional::Off
    });
    let seconds = minutes * 60;
    println!("rooms: {rooms} rooms × {minutes} min, {threads} threads, provisional {provisional}");
    let made = Instant::now();
    // Each thread owns a share of the rooms: their speech and their sessions.
    let shares: Vec<Vec<Room>> = (0..threads)
        .map(|t| {
            (t..rooms)
                .step_by(threads)
                .map(|r| {
                    (
                        room_speech(seconds, r as u64 + 11),
                        analyzer.session(config.clone()),
                    )
                })
                .collect()
        })
        .collect();
    let chars: usize = shares
        .iter()
        .flatten()
        .flat_map(|(speech, _)| speech.iter().map(|(_, s)| s.text.chars().count()))
        .sum();
    println!(
        "rooms: speech made in {:.1} s: {} characters, {:.1} a room-second",
        made.elapsed().as_secs_f64(),
        chars,
        chars as f64 / (rooms as f64 * seconds as f64)
    );

    // Baseline: the same segments analysed alone, statelessly.
    let cpu0 = cpu_seconds();
    std::thread::scope(|scope| {
        for share in &shares {
            let analyzer = &analyzer;
            scope.spawn(move || {
                for (speech, _) in share {
                    for (_, seg) in speech {
                        std::hint::black_box(analyzer.analyze(&seg.text));
                    }
                }
            });
        }
    });
    let baseline_cpu = cpu_seconds() - cpu0;

    // The rooms: every second of stream time, each room pushes what was said by then.
    let cpu1 = cpu_seconds();
    let wall = Instant::now();
    let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|mut share| {
                scope.spawn(move || {
                    let mut lat = Vec::new();
                    let mut next = vec![0usize; share.len()];
                    for second in 1..=seconds {
                        let now = second * 1000;
                        for ((speech, session), i) in share.iter_mut().zip(next.iter_mut()) {
                            while *i < speech.len() && speech[*i].0 <= now {
                                let seg = speech[*i].1.clone();
                                let t = Instant::now();
                                std::hint::black_box(session.push(seg));
                                lat.push(t.elapsed());
                                *i += 1;
                            }
                        }
                    }
                    let heap: usize = share.iter().map(|(_, s)| s.heap_bytes()).sum();
                    (lat, heap)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("room thread"))
            .collect()
    });
    let session_cpu = cpu_seconds() - cpu1;
    let wall = wall.elapsed();
    let heap: usize = results.iter().map(|(_, h)| h).sum();
    let mut lat: Vec<Duration> = results.into_iter().flat_map(|(l, _)| l).collect();
    lat.sort_unstable();
    let room_hours = rooms as f64 * seconds as f64 / 3600.0;
    println!(
        "rooms: {} pushes in {:.1} s wall, {:.1} CPU-s: {:.2} CPU-s a room-hour; real time \
         needs {:.3} of a core for these {rooms} rooms",
        lat.len(),
        wall.as_secs_f64(),
        session_cpu,
        session_cpu / room_hours,
        session_cpu / seconds as f64
    );
    println!(
        "rooms: push p50 {:?}, p99 {:?}, p99.9 {:?}, max {:?}",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        percentile(&lat, 0.999),
        lat.last().copied().unwrap_or_default()
    );
    println!(
        "rooms: baseline (each segment analysed alone) {:.1} CPU-s; sessions / baseline = {:.2}",
        baseline_cpu,
        session_cpu / baseline_cpu.max(1e-9)
    );
    println!(
        "rooms: peak RSS {:.0} MB; sessions' own heap {:.1} MB ({:.0} KB a room)",
        peak_rss_mb(),
        heap as f64 / 1e6,
        heap as f64 / 1e3 / rooms as f64
    );
}
