//! The archive over ~10,000 generated transcripts of 3–20 KB each: indexing throughput beside
//! analysing the same text (the baseline, both single-threaded), and query latency (p50 and
//! p99) for a phrase query, a tactic-filtered query and a score-sorted query.

mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use huashu::Level;
use huashu::index::{Meta, SearchQuery, SortBy, TranscriptIndex};
use huashu::transcript::Transcript;
use std::hint::black_box;

fn transcripts(n: usize) -> Vec<Transcript> {
    let mut rng = common::Rng::new(42);
    (0..n)
        .map(|i| {
            let size = 3 * 1024 + rng.below(17 * 1024);
            Transcript::from_text(format!("room-{i}"), common::document(size, 1000 + i as u64))
        })
        .collect()
}

fn percentiles(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort_unstable();
    let at = |p: f64| d[((d.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.99))
}

fn index(c: &mut Criterion) {
    let n: usize = std::env::var("HUASHU_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let analyzer = huashu::Analyzer::builder()
        .build()
        .expect("default lexicons");
    let docs = transcripts(n);
    let bytes: usize = docs.iter().map(|t| t.segments[0].text.len()).sum();

    let t = Instant::now();
    let reports: Vec<_> = docs
        .iter()
        .map(|d| analyzer.analyze_transcript(d))
        .collect();
    let analyse = t.elapsed();

    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-archive");
    let _ = std::fs::remove_dir_all(&dir);
    let archive = TranscriptIndex::create(&dir, &analyzer).expect("create archive");
    let t = Instant::now();
    {
        let mut w = archive.writer().expect("writer");
        for (i, (d, r)) in docs.iter().zip(&reports).enumerate() {
            w.add(
                d,
                r,
                &Meta::default()
                    .room(format!("r{}", i % 100))
                    .start_ms(i as i64 * 60_000),
            )
            .expect("add");
        }
        w.commit().expect("commit");
    }
    let indexing = t.elapsed();
    let mb = bytes as f64 / 1e6;
    println!(
        "index/build: {n} transcripts, {mb:.1} MB; analysing {:.2} s ({:.1} MB/s, {:.0}/s); indexing the reports {:.2} s ({:.1} MB/s, {:.0}/s); indexing ÷ analysing = {:.2}; analyse+index ÷ analyse = {:.2}",
        analyse.as_secs_f64(),
        mb / analyse.as_secs_f64(),
        n as f64 / analyse.as_secs_f64(),
        indexing.as_secs_f64(),
        mb / indexing.as_secs_f64(),
        n as f64 / indexing.as_secs_f64(),
        indexing.as_secs_f64() / analyse.as_secs_f64(),
        (indexing + analyse).as_secs_f64() / analyse.as_secs_f64(),
    );

    let queries = [
        ("phrase", SearchQuery::text("\"原价回收\"").limit(20)),
        (
            "tactic_filtered",
            SearchQuery::text("回收")
                .tactic_any("buyback_promise")
                .min_score(0.7)
                .limit(20),
        ),
        (
            "score_sorted",
            SearchQuery::default()
                .min_level(Level::High)
                .sort(SortBy::Score)
                .limit(50),
        ),
    ];
    let mut g = c.benchmark_group("index_query");
    for (name, q) in &queries {
        let hits = archive.search(q).expect("search").total;
        assert!(hits > 0, "{name} finds something");
        let mut lat = Vec::new();
        g.bench_function(*name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    black_box(archive.search(q).expect("search"));
                    let d = t.elapsed();
                    lat.push(d);
                    total += d;
                }
                total
            })
        });
        let (p50, p99) = percentiles(lat);
        println!("index_query/{name}: {hits} matches; p50 {p50:?}, p99 {p99:?}");
    }
    g.finish();
}

criterion_group!(benches, index);
criterion_main!(benches);
