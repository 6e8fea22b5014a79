//! `analyze` over ~1 MB of mixed honest and fraudulent speech, beside jieba-rs segmentation of
//! the same text (`cut(text, true)`) as the baseline, plus the normalization stage alone.
//! Results read as ratios: huashu's throughput against jieba's, measured in the same run.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use huashu::Analyzer;
use jieba_rs::Jieba;
use std::hint::black_box;

fn analyze(c: &mut Criterion) {
    let text = common::corpus(1 << 20, 7);
    let analyzer = Analyzer::builder().build().expect("default lexicons");
    let jieba = Jieba::new();
    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("huashu_analyze_1MB", |b| {
        b.iter(|| {
            let r = analyzer.analyze(black_box(&text));
            assert!(!r.findings.is_empty());
            r
        })
    });
    g.bench_function("jieba_cut_hmm_1MB", |b| {
        b.iter(|| {
            let words = jieba.cut(black_box(&text), true);
            assert!(!words.is_empty());
            words.len()
        })
    });
    g.bench_function("huashu_normalize_1MB", |b| {
        b.iter(|| analyzer.normalize(black_box(&text)).len())
    });
    g.finish();

    // Sparse text, like real streamer chit-chat: evidence in about one sentence in fifty. The
    // references are jieba's segmentation and a raw char-wise automaton scan over every pattern
    // the analyzer's automaton holds, with no normalization and no rules.
    let sparse = common::sparse(1 << 20, 13);
    let patterns = analyzer.matcher_patterns();
    let raw: daachorse::CharwiseDoubleArrayAhoCorasick<u32> =
        daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::Standard)
            .build(&patterns)
            .expect("the patterns build");
    let mut g = c.benchmark_group("analyze_sparse");
    g.throughput(Throughput::Bytes(sparse.len() as u64));
    g.sample_size(10);
    g.bench_function("huashu_analyze_1MB", |b| {
        b.iter(|| analyzer.analyze(black_box(&sparse)).findings.len())
    });
    g.bench_function("jieba_cut_hmm_1MB", |b| {
        b.iter(|| jieba.cut(black_box(&sparse), true).len())
    });
    g.bench_function("raw_daachorse_scan_1MB", |b| {
        b.iter(|| raw.find_overlapping_iter(black_box(&sparse)).count())
    });
    g.finish();

    // A typical transcript (8 KB): per-document overhead matters for batch scans.
    let doc = common::document(8 << 10, 11);
    let mut g = c.benchmark_group("analyze_document");
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.bench_function("huashu_analyze_8KB", |b| {
        b.iter(|| analyzer.analyze(black_box(&doc)))
    });
    g.bench_function("jieba_cut_hmm_8KB", |b| {
        b.iter(|| jieba.cut(black_box(&doc), true).len())
    });
    g.finish();

    // Diverse text: the 2,000-odd case texts of `tests/data` (written for the tests, every
    // wording different), each analysed on its own as a batch scan does. Templates repeat a
    // small vocabulary, which keeps the lazy DFAs' caches warm; varied wording does not.
    let cases = common::case_texts();
    let bytes: usize = cases.iter().map(String::len).sum();
    let mut g = c.benchmark_group("analyze_cases");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("huashu_analyze_each", |b| {
        b.iter(|| {
            cases
                .iter()
                .map(|t| analyzer.analyze(black_box(t)).findings.len())
                .sum::<usize>()
        })
    });
    g.bench_function("jieba_cut_hmm_each", |b| {
        b.iter(|| {
            cases
                .iter()
                .map(|t| jieba.cut(black_box(t), true).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
