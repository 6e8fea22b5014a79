//! The transcript archive: tokenizer offsets, replace-by-id, crash-before-commit, every filter
//! and sort, counts, and the error cases.
#![cfg(feature = "index")]

use std::path::PathBuf;

use huashu::index::{ChineseTokenizer, Meta, SearchQuery, SortBy, TranscriptIndex};
use huashu::transcript::{Segment, Transcript};
use huashu::{Analyzer, Error, Level};

fn analyzer() -> &'static Analyzer {
    Analyzer::default_ref()
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("index-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

const DOCS: &[(&str, &str, &str, i64)] = &[
    (
        "jade-1",
        "jade",
        "以后不想要了拿回来，我们原价回收，只高不低。想要的加我薇信私聊，翻倍回收也行。",
        1_000,
    ),
    (
        "jade-2",
        "jade",
        "这串南红越戴越值钱，拍卖行估价几十万，我们高價回収，稳赚不赔。",
        2_000,
    ),
    (
        "cook-1",
        "kitchen",
        "今天教大家做红烧肉，先焯水，再炒糖色，小火慢炖一个小时。",
        3_000,
    ),
    (
        "bags-1",
        "bags",
        "我们是高仿的，跟专柜一模一样，加我vx发实拍，私下转账便宜一百。",
        4_000,
    ),
    (
        "news-1",
        "news",
        "据警方通报，一团伙在直播间宣称高价回收，诱导观众私下转账，警方提醒大家提高警惕。",
        5_000,
    ),
];

fn filled(archive: &TranscriptIndex) {
    let mut w = archive.writer().unwrap();
    for (id, room, text, t) in DOCS {
        let tr = Transcript {
            id: id.to_string(),
            segments: vec![Segment::timed(*text, 0, 9_000)],
            ..Transcript::default()
        };
        w.add(
            &tr,
            &analyzer().analyze_transcript(&tr),
            &Meta::default().room(*room).start_ms(*t).source("test"),
        )
        .unwrap();
    }
    w.commit().unwrap();
}

fn ids(archive: &TranscriptIndex, q: &SearchQuery) -> Vec<String> {
    archive
        .search(q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn tokenizer_offsets_point_into_traditional_and_full_width_text() {
    let tok = ChineseTokenizer::for_indexing(analyzer().clone());
    for text in [
        "高價回収，加ＶＸ私聊",
        "我們原價回收 只高不低",
        "翻　倍　回　收",
    ] {
        let tokens = tok.tokens(text);
        assert!(!tokens.is_empty());
        for t in &tokens {
            assert!(
                text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to),
                "{text}: {t:?}"
            );
            assert!(t.offset_from < t.offset_to && t.offset_to <= text.len());
        }
    }
    let words: Vec<String> = tok
        .tokens("我們原價回收")
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert!(
        words.contains(&"原价回收".to_string()),
        "lexicon terms stay whole: {words:?}"
    );
    assert!(
        words.contains(&"回收".to_string()),
        "and their parts are indexed too: {words:?}"
    );
    let q: Vec<String> = ChineseTokenizer::for_queries(analyzer().clone())
        .tokens("原价回收")
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert_eq!(q, ["原价回收"]);
}

#[test]
fn search_text_filters_and_sorts() {
    let a = TranscriptIndex::in_memory(analyzer()).unwrap();
    filled(&a);
    assert_eq!(a.len(), 5);
    // Full text, normalized like detection: the traditional spelling finds the simplified one.
    let hits = ids(&a, &SearchQuery::text("高價回收").limit(10));
    assert!(
        hits.contains(&"jade-2".to_string()) && hits.contains(&"news-1".to_string()),
        "{hits:?}"
    );
    // A word inside a lexicon term.
    assert!(ids(&a, &SearchQuery::text("回收")).contains(&"jade-1".to_string()));
    // Exact phrase.
    assert_eq!(ids(&a, &SearchQuery::text("\"红烧肉\"")), ["cook-1"]);
    // Tactic filters.
    let any = ids(
        &a,
        &SearchQuery::default()
            .tactic_any("counterfeit")
            .tactic_any("value_inflation")
            .limit(10),
    );
    let mut sorted = any.clone();
    sorted.sort();
    assert_eq!(sorted, ["bags-1", "jade-2"]);
    let all = ids(
        &a,
        &SearchQuery::default()
            .tactic_all("buyback_promise")
            .tactic_all("off_platform"),
    );
    assert_eq!(all, ["jade-1"]);
    // Score and level.
    for h in a
        .search(&SearchQuery::default().min_score(0.6).limit(10))
        .unwrap()
        .hits
    {
        assert!(h.score >= 0.6);
    }
    assert!(
        ids(&a, &SearchQuery::default().max_score(0.01).limit(10)).contains(&"cook-1".to_string())
    );
    assert!(
        !ids(&a, &SearchQuery::default().min_level(Level::High).limit(10))
            .contains(&"cook-1".to_string())
    );
    // Time range and room.
    let mut window = ids(
        &a,
        &SearchQuery::default()
            .between(Some(2_000), Some(4_000))
            .limit(10),
    );
    window.sort();
    assert_eq!(window, ["cook-1", "jade-2"]);
    assert_eq!(ids(&a, &SearchQuery::default().room("bags")), ["bags-1"]);
    // Sorts and pages.
    let by_score = a
        .search(&SearchQuery::default().sort(SortBy::Score).limit(10))
        .unwrap()
        .hits;
    assert!(by_score.windows(2).all(|w| w[0].score >= w[1].score));
    let by_time = ids(&a, &SearchQuery::default().sort(SortBy::Time).limit(10));
    assert_eq!(by_time.first().map(String::as_str), Some("news-1"));
    let page2 = ids(
        &a,
        &SearchQuery::default().sort(SortBy::Time).offset(1).limit(2),
    );
    assert_eq!(page2, by_time[1..3]);
    let rel = a
        .search(&SearchQuery::text("回收").sort(SortBy::Relevance))
        .unwrap();
    assert!(rel.hits.iter().all(|h| h.relevance.is_some()));
    assert_eq!(rel.total, rel.hits.len());
}

#[test]
fn hits_carry_snippets_and_findings() {
    let a = TranscriptIndex::in_memory(analyzer()).unwrap();
    filled(&a);
    let r = a.search(&SearchQuery::text("原价回收")).unwrap();
    let hit = r.hits.iter().find(|h| h.id == "jade-1").unwrap();
    assert!(hit.snippet.html.contains("<b>"), "{:?}", hit.snippet);
    for h in &hit.snippet.highlights {
        assert!(
            hit.snippet.fragment.is_char_boundary(h.start)
                && hit.snippet.fragment.is_char_boundary(h.end)
        );
    }
    let f = hit
        .findings
        .iter()
        .find(|f| f.tactic == "buyback_promise")
        .unwrap();
    assert_eq!(&DOCS[0].2[f.start..f.end], f.matched);
    assert!(
        !f.legal_basis.is_empty(),
        "the legal basis is filled back in"
    );
    assert_eq!(hit.lexicons, analyzer().lexicon_fingerprint());
    assert_eq!(hit.meta.room.as_deref(), Some("jade"));
    assert_eq!(hit.segments, [(Some(0), Some(9_000))]);
}

#[test]
fn counts_by_tactic_and_level() {
    let a = TranscriptIndex::in_memory(analyzer()).unwrap();
    filled(&a);
    let c = a.counts(&SearchQuery::default()).unwrap();
    assert_eq!(c.total, 5);
    let n = |t: &str| c.by_tactic.iter().find(|(x, _)| x == t).map_or(0, |x| x.1);
    assert_eq!(n("buyback_promise"), 2);
    assert_eq!(c.by_level.iter().map(|x| x.1).sum::<u64>(), 5);
    let c = a.counts(&SearchQuery::text("回收")).unwrap();
    assert!(c.total >= 2 && c.total < 5);
}

#[test]
fn readding_an_id_replaces_it() {
    let a = TranscriptIndex::in_memory(analyzer()).unwrap();
    filled(&a);
    let mut w = a.writer().unwrap();
    let t = Transcript::from_text("cook-1", "今天改做糖醋排骨，加我微信领菜谱");
    w.add(&t, &analyzer().analyze_transcript(&t), &Meta::default())
        .unwrap();
    w.add(&t, &analyzer().analyze_transcript(&t), &Meta::default())
        .unwrap();
    w.commit().unwrap();
    assert_eq!(a.len(), 5);
    assert!(ids(&a, &SearchQuery::text("红烧肉")).is_empty());
    assert_eq!(ids(&a, &SearchQuery::text("糖醋排骨")), ["cook-1"]);
}

#[test]
fn create_open_and_a_dropped_writer() {
    let dir = tmp("persist");
    {
        let a = TranscriptIndex::create(&dir, analyzer()).unwrap();
        filled(&a);
        let mut w = a.writer().unwrap();
        let t = Transcript::from_text("lost", "这条没有提交");
        w.add(&t, &analyzer().analyze_transcript(&t), &Meta::default())
            .unwrap();
        drop(w); // never committed
    }
    let a = TranscriptIndex::open(&dir, analyzer()).unwrap();
    assert_eq!(a.len(), 5);
    assert!(ids(&a, &SearchQuery::text("没有提交")).is_empty());
    assert!(matches!(
        TranscriptIndex::create(&dir, analyzer()),
        Err(Error::Index { .. })
    ));
}

/// A child process adds to a committed archive and aborts before committing; the archive
/// must still open at its last commit with nothing half-written.
#[test]
fn a_crash_before_commit_leaves_the_last_commit() {
    if let Ok(target) = std::env::var("HUASHU_CRASH_DIR") {
        let a = TranscriptIndex::open(&target, analyzer()).unwrap();
        let mut w = a.writer().unwrap();
        for i in 0..200 {
            let t = Transcript::from_text(format!("crash-{i}"), "崩溃之前写入的内容 高价回收");
            w.add(&t, &analyzer().analyze_transcript(&t), &Meta::default())
                .unwrap();
        }
        std::process::abort();
    }
    let dir = tmp("crash");
    {
        let a = TranscriptIndex::create(&dir, analyzer()).unwrap();
        filled(&a);
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_crash_before_commit_leaves_the_last_commit",
            "--nocapture",
        ])
        .env("HUASHU_CRASH_DIR", &dir)
        .status()
        .unwrap();
    assert!(!status.success(), "the child aborted");
    let a = TranscriptIndex::open(&dir, analyzer()).unwrap();
    assert_eq!(a.len(), 5);
    assert!(ids(&a, &SearchQuery::text("崩溃之前")).is_empty());
    // And it still takes writes.
    let mut w = a.writer().unwrap();
    let t = Transcript::from_text("after", "崩溃以后的新内容");
    w.add(&t, &analyzer().analyze_transcript(&t), &Meta::default())
        .unwrap();
    w.commit().unwrap();
    assert_eq!(a.len(), 6);
}

#[test]
fn error_cases() {
    let e = TranscriptIndex::open(tmp("missing"), analyzer())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no such directory"), "{e}");
    let plain = tmp("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let e = TranscriptIndex::open(&plain, analyzer())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a huashu archive"), "{e}");
    let old = tmp("old");
    TranscriptIndex::create(&old, analyzer()).unwrap();
    std::fs::write(
        old.join("huashu-index.json"),
        r#"{"format": 0, "huashu": "0.0.1"}"#,
    )
    .unwrap();
    let e = TranscriptIndex::open(&old, analyzer())
        .unwrap_err()
        .to_string();
    assert!(e.contains("archive format 0"), "{e}");
    let corrupt = tmp("corrupt");
    TranscriptIndex::create(&corrupt, analyzer()).unwrap();
    std::fs::write(corrupt.join("meta.json"), "{not json").unwrap();
    let e = TranscriptIndex::open(&corrupt, analyzer())
        .unwrap_err()
        .to_string();
    assert!(e.contains("corrupt index"), "{e}");
    let a = TranscriptIndex::in_memory(analyzer()).unwrap();
    let e = a.search(&SearchQuery::text("\"高价回收")).unwrap_err();
    assert!(
        matches!(e, Error::Query { .. }) && e.to_string().contains("unbalanced quote"),
        "{e}"
    );
    let e = a
        .search(&SearchQuery::text("，。！"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no searchable word"), "{e}");
}

#[test]
fn an_archive_opens_only_with_the_lexicons_that_tokenized_it() {
    let dir = tmp("lexicons");
    TranscriptIndex::create(&dir, analyzer()).unwrap();
    let other = Analyzer::builder()
        .only_tactics(&[huashu::TACTIC_IDS[0]])
        .build()
        .unwrap();
    assert_ne!(
        other.lexicon_fingerprint(),
        analyzer().lexicon_fingerprint()
    );
    let e = TranscriptIndex::open(&dir, &other).unwrap_err().to_string();
    assert!(e.contains("tokenized with lexicons"), "{e}");
    assert!(e.contains(other.lexicon_fingerprint()), "{e}");
    TranscriptIndex::open(&dir, analyzer()).unwrap();
    // An archive written before the fingerprint was recorded still opens.
    std::fs::write(
        dir.join("huashu-index.json"),
        r#"{"format": 1, "huashu": "0.1.0"}"#,
    )
    .unwrap();
    TranscriptIndex::open(&dir, &other).unwrap();
}

#[test]
fn an_interrupted_creation_is_reported_and_can_be_redone() {
    let dir = tmp("interrupted");
    TranscriptIndex::create(&dir, analyzer()).unwrap();
    // As if the process died after the marker was written, before tantivy's files were.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "huashu-index.json" {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    let e = TranscriptIndex::open(&dir, analyzer())
        .unwrap_err()
        .to_string();
    assert!(e.contains("incomplete archive"), "{e}");
    let a = TranscriptIndex::create(&dir, analyzer()).unwrap();
    filled(&a);
    drop(a);
    let a = TranscriptIndex::open(&dir, analyzer()).unwrap();
    assert_eq!(
        a.search(&SearchQuery::default().limit(10)).unwrap().total,
        DOCS.len()
    );
}

#[test]
fn a_time_range_never_matches_transcripts_without_a_start_time() {
    let a = TranscriptIndex::in_memory(analyzer()).unwrap();
    filled(&a);
    let mut w = a.writer().unwrap();
    let tr = Transcript {
        id: "untimed".into(),
        segments: vec![Segment::timed("高价回收，加我薇信。", 0, 1_000)],
        ..Transcript::default()
    };
    w.add(&tr, &analyzer().analyze_transcript(&tr), &Meta::default())
        .unwrap();
    w.commit().unwrap();
    let all = ids(&a, &SearchQuery::default().limit(10));
    assert!(all.contains(&"untimed".to_string()));
    for (from, to) in [(None, Some(0)), (None, Some(2_500)), (Some(i64::MIN), None)] {
        let got = ids(&a, &SearchQuery::default().between(from, to).limit(10));
        assert!(
            !got.contains(&"untimed".to_string()),
            "{from:?}..{to:?}: {got:?}"
        );
    }
    assert_eq!(
        ids(
            &a,
            &SearchQuery::default().between(None, Some(1_500)).limit(10)
        ),
        ["jade-1"]
    );
}
