//! `analyze` over inputs built to be slow: thousands of prices and numbers in a row, one
//! character repeated, every kind of cue word repeated, separators between every character, and
//! a transcript of one-character segments. Criterion measures each input at two sizes, one four
//! times the other; then the bench itself times each input at three sizes (256 KB, 1 MB, 4 MB)
//! and fails, naming the input, when a quadrupling multiplies the time by more than about four
//! (medians of runs of each size taken in turn; see [`MAX_RATIO`]): the cost of analysis must
//! stay linear in the text, whatever the text holds. Sizes up to 4 MB, because work that grows
//! with the text for each piece of evidence hides at small sizes: looking up a line's speaker by
//! searching the whole line for each finding cost ×6.4, ×8.3 and ×13.4 at the steps from 16 KB
//! to 1 MB, which a check at 64 KB and 256 KB with room for noise let through.
//!
//! `cargo bench --bench adversarial`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use huashu::Analyzer;
use huashu::transcript::{Format, parse};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The smaller size of each input, in bytes (the larger is four times this).
const SMALL: usize = 64 * 1024;

/// How much longer the largest input may take than the one a quarter of its size: 4 for linear
/// time, 16 for a quadratic step, 8 for n^1.5. Above 4, room for a shared machine's load and for
/// caches (up to ×5.7 seen here on linear code while a helper compiled beside the bench).
const MAX_RATIO: f64 = 7.0;

/// The same for the smaller step, with room for a one-time step in cost per byte when the
/// working set outgrows the caches (×3.7–4.2 for one doubling, between 512 KB and 1 MB of
/// one-character segments, with linear steps before and after).
const MAX_FIRST_RATIO: f64 = 10.0;

/// The sizes the linearity check times, each four times the one before.
const STEPS: [usize; 3] = [4 * SMALL, 16 * SMALL, 64 * SMALL];

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

/// The median of `runs` timings of `run` on each of `inputs` (after one warm-up run of each),
/// the inputs taken in turn so that a change in the machine's load falls on all of them.
fn medians<T>(runs: usize, inputs: &[T], run: impl Fn(&T)) -> Vec<Duration> {
    let mut times = vec![Vec::new(); inputs.len()];
    for round in 0..=runs {
        for (input, t) in inputs.iter().zip(&mut times) {
            let start = Instant::now();
            run(input);
            if round > 0 {
                t.push(start.elapsed());
            }
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[runs / 2]
        })
        .collect()
}

/// The ratios of each time to the one before.
fn steps(times: &[Duration]) -> Vec<f64> {
    times
        .windows(2)
        .map(|w| w[1].as_secs_f64() / w[0].as_secs_f64())
        .collect()
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
        let texts: Vec<String> = STEPS.iter().map(|&n| make(n)).collect();
        let times = medians(5, &texts, |t| {
            black_box(analyzer.analyze(t));
        });
        ratios.push((name, steps(&times)));
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
    let sets: Vec<_> = STEPS.iter().map(|&n| transcripts(n)).collect();
    let times = medians(5, &sets, |ts| {
        for t in ts {
            black_box(analyzer.analyze_transcript(t));
        }
    });
    ratios.push(("one_char_segments", steps(&times)));
    g.finish();

    println!(
        "\ntime at four times the size, as a multiple of the time before ({STEPS:?} bytes; \
         at most {MAX_FIRST_RATIO} and {MAX_RATIO}):"
    );
    for (name, r) in &ratios {
        let r: Vec<String> = r.iter().map(|r| format!("{r:.2}×")).collect();
        println!("  {name:<32} {}", r.join("  "));
    }
    let superlinear: Vec<String> = ratios
        .iter()
        .filter(|(_, r)| r[0] > MAX_FIRST_RATIO || r[1] > MAX_RATIO)
        .map(|(name, r)| {
            let r: Vec<String> = r.iter().map(|r| format!("{r:.2}×")).collect();
            format!("{name} ({})", r.join(", "))
        })
        .collect();
    assert!(
        superlinear.is_empty(),
        "quadrupling these inputs multiplied the time by more than linear time allows: {}",
        superlinear.join(", ")
    );
}

criterion_group!(benches, adversarial);
criterion_main!(benches);
