//! Named regressions: each test is a failure that was found (by fuzzing or by reading the code),
//! minimized, and kept so that it cannot come back. The name says what failed.

use huashu::transcript::Segment;
use huashu::{Analyzer, Finding, SessionConfig};
use proptest::prelude::*;

// The session ledger of the fuzz target: the same grammar of states, checked the same way.
#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use checks::{Key, Ledger, key};

/// #13, failure 1: without price rules the price region's reach was 0 and shorter than the
/// other rules' region; after enough text the session sliced its buffer at an underflowed
/// offset and panicked in `analyze_until`.
#[test]
fn session_without_price_rules_does_not_panic_after_many_pushes() {
    let a = Analyzer::builder()
        .only_tactics(&["off_platform"])
        .build()
        .unwrap();
    let mut s = a.session(SessionConfig::default());
    let mut ledger = Ledger::default();
    for _ in 0..60 {
        ledger.record(&s.push(Segment::new("想要的家人加我微信私聊，今天天气不错")));
    }
    ledger.record(&s.finish());
    ledger.check_finished("");
    let whole = a.analyze(&vec!["想要的家人加我微信私聊，今天天气不错"; 60].join("\n"));
    let want: Vec<Key> = {
        let mut w: Vec<Key> = whole.findings.iter().map(key).collect();
        w.sort();
        w
    };
    assert_eq!(ledger.committed_keys(), want);
}

/// #13, failure 1, second form: a co-occurrence window longer than any price claim's reach.
#[test]
fn session_with_a_cooccurrence_window_longer_than_price_reach_does_not_panic() {
    let tactic = "[tactic]\nid = \"off_platform\"\nname_zh = \"站外\"\nname_en = \"Off platform\"\n\
        description = \"d\"\nweight = 0.9\nlegal_basis = [\"《电子商务法》第三十八条\"]\n\n\
        [[cooccur]]\nrule = \"far_apart\"\nweight = 0.8\nwindow = 900\n\
        groups = [[\"加我\"], [\"私聊\"]]\n";
    let a = Analyzer::builder()
        .lexicon_str("off_platform.toml", tactic)
        .build()
        .unwrap();
    let mut s = a.session(SessionConfig::default());
    for i in 0..200 {
        s.push(Segment::new(if i % 50 == 0 {
            "加我，然后我们再说"
        } else {
            "今天天气不错，家人们晚上好呀"
        }));
    }
    s.push(Segment::new("私聊吧"));
    s.finish();
}

/// Pushes `segments` one by one into a session with the analyzer's lookahead, finishes it, and
/// checks that each finding went through its states legally and that what the session
/// committed is exactly what the whole text holds. Returns the whole text's findings.
fn session_matches_whole_text(a: &Analyzer, segments: &[&str]) -> Vec<Finding> {
    let mut s = a.session(SessionConfig::default());
    let mut ledger = Ledger::default();
    for seg in segments {
        ledger.record(&s.push(Segment::new(*seg)));
    }
    ledger.record(&s.finish());
    ledger.check_finished("");
    let whole = a.analyze(&segments.join("\n"));
    let mut want: Vec<Key> = whole.findings.iter().map(key).collect();
    want.sort();
    assert_eq!(ledger.committed_keys(), want, "session vs whole text");
    whole.findings
}

/// Filler speech without prices: about 120 normalized characters, more than the lookahead.
const CHAT: [&str; 4] = [
    "这个颜色特别正 戴在手上显得皮肤白 我自己也戴了好几年了",
    "后面的家人们点点关注 点点小红心 今天的福袋马上开",
    "有宝宝问尺寸 我们这个圈口大的小的都有 下单的时候备注一下",
    "新来的宝宝欢迎欢迎 我们家是自己的工作室 做了好多年了",
];

/// #13, the session target's saved failure `session/price_claim_superseded_after_settling`: an
/// offer said right before its reference (直播间只要九十，原价三千九) paired with it and settled
/// once the lookahead passed; but an offer said after the reference, within the claim window,
/// takes precedence in the whole text, which pairs the reference with that one instead.
#[test]
fn price_claim_paired_backwards_waits_for_a_later_offer() {
    let a = Analyzer::default_ref();
    let mut segments = vec!["家人们看这个手镯 直播间只要九十 原价三千九"];
    segments.extend(CHAT);
    segments.push("今天给大家的福利价只要三百九 喜欢的拍");
    segments.extend(CHAT);
    let whole = session_matches_whole_text(a, &segments);
    // The whole text pairs the reference with the later offer.
    assert!(
        whole
            .iter()
            .any(|f| f.kind == huashu::RuleKind::Price && f.matched.ends_with("三百九")),
        "{whole:#?}"
    );
}

/// The same, when the later offer is too close to the reference to be a claim: the whole text
/// has no claim at all, so the session must not commit the backward one either (and whatever
/// the claim would have absorbed is reported on its own).
#[test]
fn price_claim_paired_backwards_dropped_by_a_later_offer() {
    let a = Analyzer::default_ref();
    let mut segments = vec!["家人们看这个手镯 直播间只要九十 专柜价三千九"];
    segments.extend(CHAT);
    segments.push("今天给大家的福利价只要两千九 喜欢的拍");
    segments.extend(CHAT);
    let whole = session_matches_whole_text(a, &segments);
    assert!(
        !whole.iter().any(|f| f.kind == huashu::RuleKind::Price),
        "{whole:#?}"
    );
}

/// With no later offer the backward claim stands, in the session as in the whole text.
#[test]
fn price_claim_paired_backwards_stands_without_a_later_offer() {
    let a = Analyzer::default_ref();
    let mut segments = vec!["家人们看这个手镯 直播间只要九十 原价三千九"];
    segments.extend(CHAT);
    segments.extend(CHAT);
    segments.extend(CHAT);
    let whole = session_matches_whole_text(a, &segments);
    assert!(
        whole.iter().any(|f| f.kind == huashu::RuleKind::Price),
        "{whole:#?}"
    );
}

/// Price claims in every arrangement a session must wait for: offers before and after their
/// reference, far apart and close, with a later offer that supersedes the claim, one that
/// leaves no claim, or none; the session commits what the whole text holds.
#[test]
fn price_claims_in_sessions_match_the_whole_text() {
    let a = Analyzer::default_ref();
    let references = [
        "原价三千九",
        "专柜卖三千九",
        "花了我三千九",
        "我倒贴了三百",
        "吊牌价三千九",
    ];
    let offers = ["直播间只要九十", "福利价九十九"];
    let later = [
        "",
        "今天给大家的福利价只要三百九",
        "今天给大家的福利价只要两千九",
    ];
    for r in references {
        for o in offers {
            for offer_first in [true, false] {
                for gap in [0usize, 3, 6] {
                    for l in later {
                        let chat = || CHAT.iter().cycle().copied();
                        let first = if offer_first {
                            format!("家人们看这个 {o} {r}")
                        } else {
                            format!("家人们看这个 {r}")
                        };
                        let offer_after = format!("{o} 喜欢的拍");
                        let mut segments = vec![first.as_str()];
                        if !offer_first {
                            segments.extend(chat().take(gap));
                            segments.push(&offer_after);
                        }
                        segments.extend(chat().take(gap + 1));
                        if !l.is_empty() {
                            segments.push(l);
                        }
                        segments.extend(CHAT);
                        session_matches_whole_text(a, &segments);
                    }
                }
            }
        }
    }
}

/// Found by the session fuzz target after the fix above: a backward claim decided at an early
/// `finish` (its window cut short by the end of speech) was reported again once later pushes
/// let the window run its full length (`fuzz/regressions/session/price_claim_reported_again_after_finish`).
#[test]
fn price_claim_decided_at_finish_is_not_reported_again() {
    let a = Analyzer::default_ref();
    let mut s = a.session(SessionConfig::default());
    let mut ledger = Ledger::default();
    ledger.record(&s.push(Segment::new("今天直播间只要九十原价三千九")));
    ledger.record(&s.finish());
    for _ in 0..14 {
        ledger.record(&s.push(Segment::new("家人们晚上好")));
    }
    ledger.record(&s.push(Segment::new("九 最后三单")));
    ledger.record(&s.finish());
    ledger.check_finished("");
    assert!(
        ledger
            .committed_keys()
            .iter()
            .any(|k| k.1 == "reference_vs_offer")
    );
}

/// #13, failure 3: a final result shorter than the partial that carried a provisional finding
/// left it pending for ever; `finish` must decide every provisional finding.
#[test]
fn finish_decides_provisional_findings_past_a_shorter_final() {
    let a = Analyzer::default_ref();
    let mut s = a.session(SessionConfig::default());
    let mut ledger = Ledger::default();
    let long_partial = format!(
        "这款精油能kang癌，{}",
        "我们家的精油都是自己工厂灌装的，瓶子是深色玻璃的，放在阴凉的地方保存就可以了，".repeat(3)
    );
    let u = s.push_partial(Segment::new(long_partial));
    assert!(
        u.provisional.iter().any(|f| f.tactic == "health_claim"),
        "{u:?}"
    );
    ledger.record(&u);
    ledger.record(&s.push(Segment::new("好")));
    ledger.record(&s.finish());
    ledger.check_finished("");
    assert!(
        ledger
            .committed_keys()
            .iter()
            .all(|k| k.0 != "health_claim")
    );
}

/// #13, failure 4: a revised partial with different evidence at the same characters was taken
/// for the same finding: the first was never retracted, the second never reported.
#[test]
fn revised_partial_with_other_evidence_at_the_same_place() {
    let a = Analyzer::default_ref();
    let mut s = a.session(SessionConfig::default().with_lookahead_chars(0));
    let mut ledger = Ledger::default();
    let u = s.push_partial(Segment::new("我们用的是独家秘方"));
    assert!(
        u.provisional.iter().any(|f| f.matched == "独家秘方"),
        "{u:?}"
    );
    ledger.record(&u);
    let u = s.push_partial(Segment::new("熬的N膏，全网独家，"));
    assert!(u.retracted.iter().any(|f| f.matched == "独家秘方"), "{u:?}");
    assert!(
        u.provisional.iter().any(|f| f.matched == "全网独家"),
        "{u:?}"
    );
    ledger.record(&u);
    let u = s.push(Segment::new("别的直播间根本买不到。"));
    assert!(u.retracted.iter().any(|f| f.matched == "全网独家"), "{u:?}");
    ledger.record(&u);
    ledger.record(&s.finish());
    ledger.check_finished("");
}

const PIECES: &[&str] = &[
    "家人们晚上好",
    "这串翡翠以后不想要了拿回来我们原价回收",
    "只高不低",
    "加我薇信私聊",
    "这种话千万别信都是骗局",
    "专柜卖三万八今天只要一千九",
    "这个能kang癌降血压",
    "今天给大家做红烧排骨",
    "最后三单手慢无",
    "好",
    "我们用的是独家秘方",
    "全网独家",
];

/// One recognizer result: two pieces, as a partial (`false`) or a final (`true`) result.
type Op = (usize, usize, bool);

fn op() -> impl Strategy<Value = Op> {
    (0..PIECES.len(), 0..PIECES.len(), any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Under random partial revisions and finals: every finding goes through each state at
    /// most once, nothing stays provisional after `finish`, and what the session committed is
    /// what analysing the final text whole finds.
    #[test]
    fn random_partial_revisions_report_each_state_once(
        ops in prop::collection::vec(op(), 1..14),
        lookahead in prop::option::of(0usize..40),
    ) {
        let a = Analyzer::default_ref();
        let mut config = SessionConfig::default();
        if let Some(l) = lookahead {
            config = config.with_lookahead_chars(l);
        }
        let mut s = a.session(config);
        let mut ledger = Ledger::default();
        let mut finals = Vec::new();
        for op in &ops {
            let (x, y, last) = *op;
            let segment = Segment::new(format!("{}{}", PIECES[x], PIECES[y]));
            let u = if last {
                finals.push(segment.text.clone());
                s.push(segment)
            } else {
                s.push_partial(segment)
            };
            ledger.record(&u);
        }
        ledger.record(&s.finish());
        if let Some(e) = ledger.illegal_history() {
            return Err(TestCaseError::fail(format!("{ops:?}: {e}")));
        }
        // With a shorter lookahead than the analyzer's, a session may commit evidence that a
        // later warning would have neutralized (documented): compare only at the default.
        if lookahead.is_none() {
            let mut want: Vec<Key> = a.analyze(&finals.join("\n")).findings.iter().map(key).collect();
            want.sort();
            prop_assert_eq!(ledger.committed_keys(), want, "{:?}", ops);
        }
    }
}

/// Found by the session fuzz target (fuzz/regressions/session/price_claim_reported_repeatedly_with_lookahead_0):
/// with a lookahead shorter than the claim window, a price claim whose offer came before its
/// reference was taken to settle at the end of the text each push (its window reached past
/// it), and was reported again by every push until the window was complete.
#[test]
fn price_claim_waiting_for_its_window_is_reported_once() {
    let a = Analyzer::default_ref();
    let mut s = a.session(SessionConfig::default().with_lookahead_chars(0));
    let mut ledger = Ledger::default();
    ledger.record(&s.push(Segment::new("这条手链今天只要九十九，原价九百九十九")));
    for _ in 0..12 {
        ledger.record(&s.push(Segment::new("家人们看一下")));
    }
    ledger.record(&s.finish());
    ledger.check_finished("");
    let claims: Vec<Key> = ledger
        .committed_keys()
        .into_iter()
        .filter(|k| k.0 == "price_anchoring")
        .collect();
    let mut whole = vec!["这条手链今天只要九十九，原价九百九十九"];
    whole.extend(["家人们看一下"; 12]);
    let want: Vec<Key> = a
        .analyze(&whole.join("\n"))
        .findings
        .iter()
        .filter(|f| f.tactic == "price_anchoring")
        .map(key)
        .collect();
    assert!(!want.is_empty(), "the whole text holds the claim");
    assert_eq!(claims, want);
}

/// A claim still waiting for its window when speech ends is decided at `finish`, with what it
/// would absorb (a term of its tactic inside its reference part), as the whole text decides them.
#[test]
fn price_claim_waiting_for_its_window_is_decided_at_finish() {
    let a = Analyzer::default_ref();
    for lookahead in [Some(0), Some(10), None] {
        let mut config = SessionConfig::default();
        if let Some(l) = lookahead {
            config = config.with_lookahead_chars(l);
        }
        let mut s = a.session(config);
        let mut ledger = Ledger::default();
        let pieces = ["这条手链今天只要九十九", "专柜价九百九十九", "好"];
        for p in pieces {
            ledger.record(&s.push(Segment::new(p)));
        }
        ledger.record(&s.finish());
        ledger.check_finished("");
        let mut want: Vec<Key> = a
            .analyze(&pieces.join("\n"))
            .findings
            .iter()
            .map(key)
            .collect();
        want.sort();
        assert!(want.iter().any(|k| k.0 == "price_anchoring"), "{want:?}");
        assert_eq!(ledger.committed_keys(), want, "lookahead {lookahead:?}");
    }
}
