//! The multi-pattern matcher on huashu's own patterns (every lexicon term in every evasion
//! form, cues and allow-listed phrases): daachorse's character-wise double-array automaton
//! against aho-corasick, both reporting every overlapping match, over the same normalized text.

mod common;

use aho_corasick::{AhoCorasick, MatchKind};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use daachorse::CharwiseDoubleArrayAhoCorasickBuilder;
use huashu::Analyzer;
use std::hint::black_box;

fn matcher(c: &mut Criterion) {
    let analyzer = Analyzer::builder().build().expect("default lexicons");
    let patterns = analyzer.matcher_patterns();
    let text = analyzer.normalize(&common::corpus(1 << 20, 7));
    let daac = CharwiseDoubleArrayAhoCorasickBuilder::new()
        .build_with_values(
            patterns
                .iter()
                .enumerate()
                .map(|(i, p)| (p.as_str(), i as u32)),
        )
        .expect("daachorse builds");
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .expect("aho-corasick builds");
    let expected = daac.find_overlapping_iter(&text).count();
    assert_eq!(
        expected,
        ac.find_overlapping_iter(&text).count(),
        "both matchers agree"
    );

    let mut g = c.benchmark_group("matcher_scan");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("daachorse_charwise", |b| {
        b.iter(|| {
            let n = daac.find_overlapping_iter(black_box(&text)).count();
            assert_eq!(n, expected);
            n
        })
    });
    g.bench_function("aho_corasick", |b| {
        b.iter(|| {
            let n = ac.find_overlapping_iter(black_box(&text)).count();
            assert_eq!(n, expected);
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("matcher_build");
    g.sample_size(10);
    g.bench_function("daachorse_charwise", |b| {
        b.iter(|| {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .build_with_values::<_, _, u32>(
                    patterns
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p.as_str(), i as u32)),
                )
                .expect("builds")
        })
    });
    g.bench_function("aho_corasick", |b| {
        b.iter(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("builds")
        })
    });
    g.finish();
}

criterion_group!(benches, matcher);
criterion_main!(benches);
