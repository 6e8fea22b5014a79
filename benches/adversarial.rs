//! `analyze` over inputs built to be slow: thousands of prices and numbers in a row, one
//! character repeated, every kind of cue word repeated, separators between every character, and
//! a transcript of one-character segments. Each input is measured at two sizes, one four times
//! the other (criterion reports both); then the bench itself checks that quadrupling an input at
//! most about quadruples its time (medians of runs of each size taken alternately, ratio below
//! [`MAX_RATIO`]) and fails naming the input if not: the cost of analysis must stay linear in the
//! text, whatever the text holds. (Four times, not two: the allocator's mmap threshold alone can
//! double the time of one size step, while a quadratic step gives 16.)
//!
//! `cargo bench --bench adversarial`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use huashu::Analyzer;
use huashu::transcript::{Format, parse};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The smaller size of each input, in bytes (the larger is four times this).
const SMALL: usize = 64 * 1024;

/// How much longer the four-times input may take: 4 for linear time, 16 for a quadratic step.
/// Between them, room for what makes a large input slower per byte without any superlinear
/// algorithm: fresh pages for large buffers, caches, a shared machine's load (up to about 2× per
/// byte here, for one long numeral run).
const MAX_RATIO: f64 = 10.0;

/// `unit` repeated to about `bytes` bytes.
fn repeat(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()).max(1))
}

/// An adversarial input: its name, and the text of about a given size in bytes.
type Input = (&'static str, fn(usize) -> String);

/// The adversarial inputs.
fn inputs() -> Vec<Input> {
    vec![
        // A price claim, then another, with no other word: every price is a reference or an
        // offer, every number a pattern anchor.
        ("prices_in_a_row", |n| repeat("原价9999今天99元，", n)),
        // One numeral repeated: a single number run of the whole text.
        ("one_numeral_repeated", |n| repeat("一", n)),
        // One member of many co-occurrence groups and classes, repeated.
        ("one_cue_char_repeated", |n| repeat("回", n)),
        // Negation, warning, question, quote, price, contact and scarcity cues back to back.
        ("every_cue_repeated", |n| {
            repeat("千万别信什么有人问原价回收加微信最后三单不是骗局", n)
        }),
        // Separators (removed by normalization, kept as pauses) between every character.
        ("separators_between_characters", |n| {
            repeat("原 ，价 。回 ~ 收 . 加 * 微 — 信 ", n)
        }),
    ]
}

/// A transcript of about `bytes` bytes of one-character segments (one a line).
fn one_char_segments(bytes: usize) -> String {
    repeat("好\n", bytes)
}

/// The medians of `runs` timings of `small` and of `large`, taken alternately (after one warm-up
/// run of each) so that a change in the machine's load falls on both.
fn medians(runs: usize, mut small: impl FnMut(), mut large: impl FnMut()) -> (Duration, Duration) {
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        t.elapsed()
    };
    time(&mut small);
    time(&mut large);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        a.push(time(&mut small));
        b.push(time(&mut large));
    }
    a.sort();
    b.sort();
    (a[runs / 2], b[runs / 2])
}

fn adversarial(c: &mut Criterion) {
    let analyzer = Analyzer::builder().build().expect("default lexicons");
    let mut g = c.benchmark_group("adversarial");
    g.sample_size(10);
    let mut ratios = Vec::new();
    for (name, make) in inputs() {
        let (small, large) = (make(SMALL), make(4 * SMALL));
        for (size, text) in [("64KB", &small), ("256KB", &large)] {
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(format!("{name}_{size}"), |b| {
                b.iter(|| analyzer.analyze(black_box(text)).findings.len())
            });
        }
        let (t_small, t_large) = medians(
            9,
            || {
                black_box(analyzer.analyze(&small));
            },
            || {
                black_box(analyzer.analyze(&large));
            },
        );
        ratios.push((name, t_large.as_secs_f64() / t_small.as_secs_f64()));
    }
    let transcripts = |bytes: usize| {
        parse("segments.txt", &one_char_segments(bytes), Format::Txt).expect("plain text parses")
    };
    let (small, large) = (transcripts(SMALL), transcripts(4 * SMALL));
    for (size, ts, bytes) in [("64KB", &small, SMALL), ("256KB", &large, 4 * SMALL)] {
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(format!("one_char_segments_{size}"), |b| {
            b.iter(|| {
                ts.iter()
                    .map(|t| analyzer.analyze_transcript(black_box(t)).findings.len())
                    .sum::<usize>()
            })
        });
    }
    let run = |ts: &[huashu::transcript::Transcript]| {
        for t in ts {
            black_box(analyzer.analyze_transcript(t));
        }
    };
    let (t_small, t_large) = medians(9, || run(&small), || run(&large));
    ratios.push((
        "one_char_segments",
        t_large.as_secs_f64() / t_small.as_secs_f64(),
    ));
    g.finish();

    println!("\ntime at four times the size, as a multiple of the time at {SMALL} bytes:");
    for (name, ratio) in &ratios {
        println!("  {name:<32} {ratio:.2}×");
    }
    let superlinear: Vec<String> = ratios
        .iter()
        .filter(|(_, r)| *r > MAX_RATIO)
        .map(|(name, r)| format!("{name} ({r:.2}×)"))
        .collect();
    assert!(
        superlinear.is_empty(),
        "quadrupling these inputs multiplied the time by more than {MAX_RATIO}: {}",
        superlinear.join(", ")
    );
}

criterion_group!(benches, adversarial);
criterion_main!(benches);
