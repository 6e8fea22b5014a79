//! Building the default analyzer (loading and validating the lexicons, expanding evasion forms,
//! compiling the automaton and the patterns, loading jieba's dictionary with every term added),
//! beside `Jieba::new()` alone as the baseline; and building with a generated lexicon of many
//! terms at two sizes, one four times the other, where the bench itself checks that the build
//! time grows at most about linearly with the terms (below [`MAX_RATIO`], as in the adversarial
//! bench) and fails if not. (A lexicon past `AnalyzerBuilder::max_patterns` fails to build
//! with an error instead; tests/lexicon_errors.rs checks that.)
//!
//! `cargo bench --bench build`

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use huashu::Analyzer;
use jieba_rs::Jieba;

/// The smaller generated lexicon, in terms (the larger is four times this).
const TERMS: usize = 10_000;

/// How much longer the four-times lexicon may take to build: 4 for linear growth, 16 for
/// quadratic.
const MAX_RATIO: f64 = 10.0;

/// A counterfeit tactic file with `n` distinct pseudo-random four-character terms.
fn bulk_lexicon(n: usize) -> String {
    let mut toml = String::from(
        "[tactic]\nid = \"counterfeit\"\nname_zh = \"假冒\"\nname_en = \"Counterfeit\"\n\
         description = \"d\"\nweight = 0.9\nlegal_basis = [\"《商标法》第五十七条\"]\n\n\
         [[terms]]\nrule = \"bulk\"\nweight = 0.5\nterms = [\n",
    );
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..n {
        toml.push('"');
        for _ in 0..4 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            toml.push(char::from_u32(0x4e00 + ((x >> 33) % 0x5000) as u32).unwrap_or('货'));
        }
        toml.push_str("\",\n");
    }
    toml.push_str("]\n");
    toml
}

fn build_bulk(toml: &str) -> Analyzer {
    Analyzer::builder()
        .defaults(false)
        .lexicon_str("bulk.toml", toml)
        .build()
        .expect("the generated lexicon builds")
}

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("default_analyzer", |b| {
        b.iter(|| Analyzer::builder().build().expect("default lexicons"))
    });
    g.bench_function("jieba_new", |b| b.iter(Jieba::new));
    let small = bulk_lexicon(TERMS);
    let large = bulk_lexicon(4 * TERMS);
    g.bench_function(format!("lexicon_{TERMS}_terms"), |b| {
        b.iter(|| build_bulk(&small))
    });
    g.bench_function(format!("lexicon_{}_terms", 4 * TERMS), |b| {
        b.iter(|| build_bulk(&large))
    });
    g.finish();

    // Alternate the two sizes and compare medians.
    let (mut t_small, mut t_large) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        build_bulk(&small);
        t_small.push(t.elapsed());
        let t = Instant::now();
        build_bulk(&large);
        t_large.push(t.elapsed());
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let ratio = median(&mut t_large).as_secs_f64() / median(&mut t_small).as_secs_f64();
    println!("build time, {}× the terms: {ratio:.2}×", 4);
    assert!(
        ratio < MAX_RATIO,
        "building a lexicon of four times the terms took {ratio:.1}× as long (limit {MAX_RATIO}×)"
    );
}

criterion_group!(benches, build);
criterion_main!(benches);
