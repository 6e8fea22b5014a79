//! Building the default analyzer (loading and validating the lexicons, expanding evasion forms,
//! compiling the automaton and the patterns, loading jieba's dictionary with every term added),
//! beside `Jieba::new()` alone as the baseline.

use criterion::{Criterion, criterion_group, criterion_main};
use huashu::Analyzer;
use jieba_rs::Jieba;

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("default_analyzer", |b| {
        b.iter(|| Analyzer::builder().build().expect("default lexicons"))
    });
    g.bench_function("jieba_new", |b| b.iter(Jieba::new));
    g.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
