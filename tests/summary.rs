//! The case summary (`summary_zh`, `summary_en`): deterministic, made from the findings alone,
//! and every sentence traceable to them.

use huashu::render::{CaseSummary, case_summary};
use huashu::transcript::{Segment, Transcript};
use huashu::{Analyzer, Report};

fn stream() -> Transcript {
    Transcript {
        id: "room-summary".into(),
        segments: vec![
            Segment::timed("家人们，这串翡翠是缅甸老坑的料子。", 1_000, 4_000),
            Segment::timed("以后不想要了拿回来，我们原价回收，只高不低。", 4_000, 9_000),
            Segment::timed("千万别信别家的高价回收。", 9_000, 11_000),
            Segment::timed("想要的加我薇信私聊，私下转账便宜两百。", 61_000, 66_000),
        ],
        ..Transcript::default()
    }
}

fn summary_of(report: &Report) -> CaseSummary {
    case_summary(Analyzer::default_ref(), report)
}

#[test]
fn deterministic_and_a_function_of_the_report_alone() {
    let a = Analyzer::default_ref();
    let r = a.analyze_transcript(&stream());
    let s = summary_of(&r);
    assert_eq!(s, summary_of(&a.analyze_transcript(&stream())));
    let back: Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(
        s,
        summary_of(&back),
        "the report (as stored) is all it needs"
    );
}

#[test]
fn every_sentence_traces_to_findings() {
    let a = Analyzer::default_ref();
    let r = a.analyze_transcript(&stream());
    let s = summary_of(&r);
    let scoring: Vec<_> = r.scoring_findings().collect();
    // 1. Every scoring tactic, with its count, and no other tactic.
    for t in &r.tactics {
        let tactic = a.tactic(&t.tactic).unwrap();
        assert!(
            s.zh.contains(&format!("{}（{}处）", tactic.name_zh, t.findings)),
            "{}",
            s.zh
        );
        assert!(
            s.en.contains(&format!("{} ({})", tactic.name_en, t.findings)),
            "{}",
            s.en
        );
    }
    for t in a.tactics() {
        if r.tactic(&t.id).is_none() {
            assert!(
                !s.zh.contains(&format!("{}（", t.name_zh)),
                "{} is not scored: {}",
                t.id,
                s.zh
            );
        }
    }
    // 2. The time range is the scoring findings'.
    let first = scoring.iter().filter_map(|f| f.start_ms).min().unwrap();
    let last = scoring.iter().filter_map(|f| f.end_ms).max().unwrap();
    assert!(
        s.zh.contains(&format!(
            "{} 至 {}",
            huashu::render::clock(first),
            huashu::render::clock(last)
        )),
        "{}",
        s.zh
    );
    // 3. Each quote is a scoring finding's evidence at its time.
    let quotes: Vec<&str> =
        s.zh.split('「')
            .skip(1)
            .map(|q| q.split('」').next().unwrap())
            .collect();
    assert!(!quotes.is_empty() && quotes.len() <= 3);
    for q in &quotes {
        let f = scoring
            .iter()
            .find(|f| f.matched == *q)
            .unwrap_or_else(|| panic!("quote «{q}» is no scoring finding"));
        let at = huashu::render::clock(f.start_ms.unwrap());
        assert!(s.zh.contains(&format!("{at}「{q}」")), "{}", s.zh);
    }
    // The strongest scoring finding is quoted.
    let strongest = scoring
        .iter()
        .max_by(|a, b| {
            a.contribution
                .total_cmp(&b.contribution)
                .then(b.start.cmp(&a.start))
        })
        .unwrap();
    assert!(quotes.contains(&strongest.matched.as_str()));
    // 4. Combinations.
    for c in &r.combos {
        assert!(s.zh.contains(&c.id) && s.en.contains(&c.id));
    }
    // 5. Every law cited is a scoring finding's legal basis, and every such basis is cited.
    let laws =
        s.zh.split("涉嫌违反：")
            .nth(1)
            .expect("laws")
            .split('。')
            .next()
            .unwrap();
    for law in laws.split('；') {
        assert!(
            scoring
                .iter()
                .any(|f| f.legal_basis.iter().any(|l| l.starts_with(law))),
            "{law} is cited by no scoring finding"
        );
    }
    for f in &scoring {
        for l in &f.legal_basis {
            let c = l.split('：').next().unwrap();
            assert!(laws.split('；').any(|x| x == c), "{c} not cited");
        }
    }
    // 6. The neutralized warning (千万别信…高价回收) is counted, not quoted.
    let neutralized = r.findings.len() - scoring.len();
    assert!(neutralized > 0);
    assert!(
        s.zh.contains(&format!("另有 {neutralized} 处证据")),
        "{}",
        s.zh
    );
}

#[test]
fn nothing_found_says_so() {
    let a = Analyzer::default_ref();
    let r = a.analyze_transcript(&Transcript::from_text(
        "x",
        "今天教大家做红烧肉，先把五花肉焯水。",
    ));
    let s = summary_of(&r);
    assert!(s.zh.contains("未发现计分证据"), "{}", s.zh);
    assert!(s.en.contains("no scoring evidence"), "{}", s.en);
    assert!(!s.zh.contains("涉嫌违反"));
}

#[test]
fn untimed_text_gives_character_positions() {
    let a = Analyzer::default_ref();
    let r = a.analyze_transcript(&Transcript::from_text(
        "x",
        "以后不想要了拿回来，我们原价回收，加我薇信私聊。",
    ));
    let s = summary_of(&r);
    assert!(s.zh.contains("无时间戳") && s.zh.contains("第"), "{}", s.zh);
    assert!(s.en.contains("at character"), "{}", s.en);
}
