//! Live sessions: per-segment `push` latency (20–60 character segments) on a session that has
//! already run for an hour, as p50 and p99, settled-only and reporting evidence at once
//! (`Provisional::Report`: a second pass over the unsettled tail each push), beside analysing
//! the same segment alone (the stateless baseline); and the memory a session holds after ten hours of simulated speech,
//! measured with a counting allocator.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use huashu::transcript::Segment;
use huashu::{Analyzer, Provisional, SessionConfig};
use std::hint::black_box;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Speech cut into 20–60 character segments, one every ~8 seconds, for `hours`.
fn segments(hours: u64, seed: u64) -> Vec<Segment> {
    let text = common::corpus((hours * 3600 * 5 * 3) as usize, seed);
    let chars: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
    let mut rng = common::Rng::new(seed + 1);
    let mut out = Vec::new();
    let (mut at, mut t) = (0, 0u64);
    while at < chars.len() {
        let n = (20 + rng.below(41)).min(chars.len() - at);
        let s: String = chars[at..at + n].iter().collect();
        let dur = n as u64 * 200;
        out.push(Segment::timed(s, t, t + dur));
        at += n;
        t += dur;
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn session(c: &mut Criterion) {
    let analyzer = Analyzer::builder().build().expect("default lexicons");
    let warmup = segments(1, 3);
    let stream = segments(3, 5);
    let mut g = c.benchmark_group("session");

    let mut s = analyzer.session(SessionConfig::default());
    for seg in &warmup {
        s.push(seg.clone());
    }
    let mut pushes = Vec::new();
    let mut i = 0;
    g.bench_function("push_20_60_chars", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let seg = stream[i % stream.len()].clone();
                i += 1;
                let t = Instant::now();
                black_box(s.push(seg));
                let d = t.elapsed();
                pushes.push(d);
                total += d;
            }
            total
        })
    });
    let mut ahead =
        analyzer.session(SessionConfig::default().with_provisional(Provisional::Report));
    for seg in &warmup {
        ahead.push(seg.clone());
    }
    let mut pushes_ahead = Vec::new();
    let mut k = 0;
    g.bench_function("push_20_60_chars_provisional", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let seg = stream[k % stream.len()].clone();
                k += 1;
                let t = Instant::now();
                black_box(ahead.push(seg));
                let d = t.elapsed();
                pushes_ahead.push(d);
                total += d;
            }
            total
        })
    });
    let mut alone = Vec::new();
    let mut j = 0;
    g.bench_function("analyze_segment_alone", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let seg = &stream[j % stream.len()];
                j += 1;
                let t = Instant::now();
                black_box(analyzer.analyze(&seg.text));
                let d = t.elapsed();
                alone.push(d);
                total += d;
            }
            total
        })
    });
    g.finish();
    for (name, samples) in [
        ("push_20_60_chars", &mut pushes),
        ("push_20_60_chars_provisional", &mut pushes_ahead),
        ("analyze_segment_alone", &mut alone),
    ] {
        // A filtered run (`cargo bench --bench session -- provisional`) leaves the others empty.
        if samples.is_empty() {
            continue;
        }
        samples.sort_unstable();
        println!(
            "session/{name}: {} samples, p50 {:?}, p99 {:?}, max {:?}",
            samples.len(),
            percentile(samples, 0.5),
            percentile(samples, 0.99),
            samples.last().copied().unwrap_or_default()
        );
    }

    // Memory held by one session after each hour of ten hours of speech: the session's own
    // account of its heap, and the process's live heap growth beside it (a counting allocator;
    // it also sees caches the analyzer fills on first use).
    let ten_hours = segments(10, 7);
    let per_hour = ten_hours.len() / 10;
    let before = LIVE.load(Ordering::Relaxed);
    let mut s = analyzer.session(SessionConfig::default());
    let (mut own, mut process) = (Vec::new(), Vec::new());
    for (n, seg) in ten_hours.into_iter().enumerate() {
        drop(s.push(seg));
        if (n + 1) % per_hour == 0 {
            own.push(s.heap_bytes());
            process.push(LIVE.load(Ordering::Relaxed) as i64 - before as i64);
        }
    }
    println!("session/memory: {} chars over 10 h", s.len_chars());
    println!("session/memory: heap_bytes() after each hour: {own:?}");
    println!("session/memory: process heap growth after each hour: {process:?}");
    black_box(&s);
}

criterion_group!(benches, session);
criterion_main!(benches);
