//! Live sessions: evidence across segment boundaries, exactly-once reporting, partial results,
//! the bounded horizon, alerts, and the chunking property (a transcript fed in arbitrary
//! pieces yields the same findings as analysing it whole).

use std::collections::HashSet;

use huashu::transcript::Segment;
use huashu::{Analyzer, Finding, Level, Provisional, SessionConfig};
use proptest::prelude::*;

type Key = (String, String, usize, usize, usize, usize, bool);

fn key(f: &Finding) -> Key {
    (
        f.tactic.clone(),
        f.rule.clone(),
        f.start,
        f.end,
        f.char_start,
        f.char_end,
        f.neutralized.is_some(),
    )
}

/// Feeds `pieces` as final segments and returns every reported finding, in report order, as
/// the stream's frame last left it (a re-framed finding replaces its earlier report).
fn feed(pieces: &[&str]) -> Vec<Finding> {
    let mut s = Analyzer::default_ref().session(SessionConfig::default());
    let mut out: Vec<Finding> = Vec::new();
    let take = |u: huashu::Update, out: &mut Vec<Finding>| {
        for r in u.reframed {
            let at = out
                .iter()
                .position(|f| {
                    f.rule == r.rule && f.char_start == r.char_start && f.matched == r.matched
                })
                .expect("re-framed a finding never reported");
            out[at] = r;
        }
        out.extend(u.findings);
    };
    for (i, p) in pieces.iter().enumerate() {
        let u = s.push(Segment::timed(*p, i as u64 * 1000, i as u64 * 1000 + 1000));
        take(u, &mut out);
    }
    take(s.finish(), &mut out);
    out
}

/// Feeds `pieces` as final segments into a session reporting evidence at once, checks that each
/// finding went through its states legally (provisional, then confirmed or retracted, each
/// once), and returns what the session committed, as the stream's frame last left it.
fn feed_ahead(pieces: &[&str], mode: Provisional) -> Result<Vec<Finding>, String> {
    let config = SessionConfig::default().with_provisional(mode);
    let mut s = Analyzer::default_ref().session(config);
    let mut states: std::collections::HashMap<(String, usize, String), Vec<&str>> =
        Default::default();
    let mut committed: Vec<Finding> = Vec::new();
    let id = |f: &Finding| (f.rule.clone(), f.char_start, f.matched.clone());
    let mut take = |u: huashu::Update| {
        for (fs, state) in [
            (&u.provisional, "provisional"),
            (&u.findings, "reported"),
            (&u.confirmed, "confirmed"),
            (&u.retracted, "retracted"),
        ] {
            for f in fs {
                states.entry(id(f)).or_default().push(state);
            }
        }
        for r in u.reframed {
            let at = committed
                .iter()
                .position(|f| id(f) == id(&r))
                .expect("re-framed a finding never committed");
            committed[at] = r;
        }
        committed.extend(u.findings);
        committed.extend(u.confirmed);
    };
    for (i, p) in pieces.iter().enumerate() {
        take(s.push(Segment::timed(*p, i as u64 * 1000, i as u64 * 1000 + 1000)));
    }
    take(s.finish());
    for (k, st) in &states {
        let legal = matches!(
            st.as_slice(),
            ["provisional", "confirmed"]
                | ["provisional", "retracted"]
                | ["provisional", "retracted", "reported"]
                | ["reported"]
        );
        if !legal {
            return Err(format!("{k:?} went through {st:?} ({pieces:?})"));
        }
    }
    Ok(committed)
}

fn whole(pieces: &[&str]) -> Vec<Finding> {
    Analyzer::default_ref().analyze(&pieces.join("\n")).findings
}

fn same(pieces: &[&str]) -> Result<(), String> {
    let got: Vec<Key> = feed(pieces).iter().map(key).collect();
    let unique: HashSet<&Key> = got.iter().collect();
    if unique.len() != got.len() {
        return Err(format!("reported twice: {got:?}"));
    }
    let mut got = got;
    got.sort();
    let mut want: Vec<Key> = whole(pieces).iter().map(key).collect();
    want.sort();
    if got != want {
        return Err(format!(
            "pieces {pieces:?}\n  session: {got:?}\n  whole:   {want:?}"
        ));
    }
    Ok(())
}

#[test]
fn words_split_across_segments() {
    same(&["喜欢的加我薇", "信 私聊"]).unwrap();
    let found = feed(&["喜欢的加我薇", "信 私聊"]);
    let f = found
        .iter()
        .find(|f| f.tactic == "off_platform")
        .expect("加我薇|信");
    assert_eq!(
        (f.segment, f.start_ms, f.end_ms),
        (Some(0), Some(0), Some(2000))
    );
}

#[test]
fn numbers_split_across_segments() {
    let pieces = ["原价三千九", "百九十九 今天直播间只要九十", "九 最后三单"];
    same(&pieces).unwrap();
    assert!(
        feed(&pieces)
            .iter()
            .any(|f| f.tactic == "price_anchoring" && f.parts.len() >= 3)
    );
}

#[test]
fn cooccurrence_and_price_across_many_segments() {
    let pieces = [
        "这串翡翠是老坑的料子 专柜卖两万八",
        "你们看这个水头 这个颜色",
        "今天直播间只要九百九十九",
        "以后不想要了 拿回来",
        "我们高价 回收",
    ];
    same(&pieces).unwrap();
    let found = feed(&pieces);
    assert!(found.iter().any(|f| f.tactic == "price_anchoring"));
    assert!(found.iter().any(|f| f.tactic == "buyback_promise"));
}

#[test]
fn a_price_claim_longer_than_the_lookahead() {
    // The reference and its offer about 120 normalized characters apart (the default claim
    // window is 160), over segments, past the session's lookahead: the region the session
    // analyses reaches back far enough to pair them.
    let filler = "你们看这个做工 这个细节 包装也很用心 送人自己用都合适 ";
    let mut pieces = vec!["这款手表在商场专柜卖一万二千八"];
    pieces.extend(std::iter::repeat_n(filler, 5));
    pieces.push("今天直播间只要九百九十九");
    pieces.extend(std::iter::repeat_n(filler, 4));
    same(&pieces).unwrap();
    assert!(
        feed(&pieces)
            .iter()
            .any(|f| f.tactic == "price_anchoring" && f.char_end - f.char_start > 140)
    );
}

#[test]
fn a_later_warning_still_neutralizes() {
    // The warning comes in the next segment: the session waits for lookahead before reporting.
    let pieces = ["主播说原价回收 只高不低", "这种话千万别信"];
    same(&pieces).unwrap();
    assert!(feed(&pieces).iter().all(|f| f.neutralized.is_some()));
}

#[test]
fn decoration_does_not_shorten_the_lookahead() {
    // Emoji and spaces vanish in normalization: measured in the caller's characters, the
    // lookahead would pass long before the warning that neutralizes the promise arrives.
    let filler = "✨ ".repeat(300);
    let pieces = ["我们原价回收 只高不低", filler.as_str(), "这种话千万别信"];
    same(&pieces).unwrap();
    assert!(feed(&pieces).iter().all(|f| f.neutralized.is_some()));
    // And the region analysed reaches back far enough for a price claim decorated apart.
    let wide = "～ ".repeat(150);
    let pieces = [
        "专柜价三万八",
        wide.as_str(),
        wide.as_str(),
        "今天直播间只要一千九百八",
    ];
    same(&pieces).unwrap();
}

#[test]
fn full_width_prices_settle() {
    // The price pass runs only when a numeral settles: `１９８` is one once normalized.
    let mut pieces = vec!["专柜价３８０００元", "今天直播间只要１９８元"];
    pieces.extend(std::iter::repeat_n("家人们晚上好", 18));
    assert!(
        whole(&pieces)
            .iter()
            .any(|f| f.tactic == "price_anchoring" && f.is_scoring())
    );
    same(&pieces).unwrap();
}

#[test]
fn provisional_findings_carry_their_partial_segment_and_are_confirmed() {
    let a = Analyzer::default_ref();
    let mut s = a.session(SessionConfig::default().with_lookahead_chars(0));
    s.push(Segment::timed("家人们晚上好", 0, 1_000));
    let u = s.push_partial(Segment::timed("加我微信", 5_000, 6_000));
    let f = &u.provisional[0];
    assert_eq!(
        (f.segment, f.start_ms, f.end_ms),
        (Some(1), Some(5_000), Some(6_000))
    );
    let u = s.push(Segment::timed("加我微信 私聊", 5_000, 7_000));
    assert!(u.findings.iter().all(|f| f.matched != "加我微信"));
    assert!(u.confirmed.iter().any(|f| f.matched == "加我微信"));
}

#[test]
fn a_shorter_revision_leaves_undecided_findings_pending() {
    let a = Analyzer::default_ref();
    let mut s = a.session(SessionConfig::default().with_lookahead_chars(6));
    s.push(Segment::new("家人们晚上好"));
    // The first hypothesis runs far enough past the contact request to settle it...
    let u = s.push_partial(Segment::new("加我微信 我们私聊一下"));
    assert!(u.provisional.iter().any(|f| f.matched == "加我微信"));
    // ...the revision is shorter: it cannot settle it either way, so nothing is retracted.
    let u = s.push_partial(Segment::new("加我微信"));
    assert!(u.retracted.is_empty() && u.provisional.is_empty(), "{u:?}");
    // Nor can the final result, which stops there too: still undecided.
    let u = s.push(Segment::new("加我微信"));
    assert!(u.retracted.is_empty() && u.findings.is_empty(), "{u:?}");
    // The next segment settles it: confirmed, never reported twice.
    let u = s.push(Segment::new("好的家人们 我们继续看下一款"));
    assert!(u.confirmed.iter().any(|f| f.matched == "加我微信"), "{u:?}");
    assert!(u.findings.iter().all(|f| f.matched != "加我微信"));
    assert!(u.retracted.is_empty());
}

#[test]
fn partial_results_are_replaced_not_kept() {
    let a = Analyzer::default_ref();
    let config = SessionConfig::default().with_lookahead_chars(0);
    let mut s = a.session(config);
    s.push(Segment::new("家人们晚上好"));
    // A partial hypothesis with a promise the recognizer later revises away.
    let u = s.push_partial(Segment::new("以后原价回收"));
    assert!(u.provisional.iter().any(|f| f.tactic == "buyback_promise"));
    let u = s.push_partial(Segment::new("以后原价回收 只高不低"));
    assert!(
        u.provisional.iter().all(|f| f.matched != "原价回收"),
        "not reported twice"
    );
    let u = s.push(Segment::new("以后圆圆会说"));
    assert!(u.findings.iter().all(|f| f.tactic != "buyback_promise"));
    assert!(
        u.retracted.iter().any(|f| f.tactic == "buyback_promise"),
        "the revised-away finding is retracted"
    );
    assert!(
        s.cumulative()
            .tactics
            .iter()
            .all(|t| t.tactic != "buyback_promise"),
        "and not kept"
    );
    // A partial whose finding survives into the final result is committed, not reported again.
    let u = s.push_partial(Segment::new("加我微信"));
    assert_eq!(u.provisional.len(), 1);
    let u = s.push(Segment::new("加我微信 私聊"));
    assert!(u.findings.iter().all(|f| f.matched != "加我微信"));
    assert!(u.retracted.is_empty());
    assert!(
        s.cumulative()
            .tactics
            .iter()
            .any(|t| t.tactic == "off_platform")
    );
}

#[test]
fn alerts_once_per_rise() {
    let config = SessionConfig::default()
        .with_lookahead_chars(0)
        .with_horizon_chars(200)
        .with_horizon_ms(None);
    let mut s = Analyzer::default_ref().session(config);
    let mut alerts = 0;
    let honest = "今天给大家做一道红烧排骨 先冷水下锅焯水 加两片姜 小火慢炖四十分钟 出锅前撒点葱花";
    let fraud = [
        "以后不想要了拿回来原价回收只高不低",
        "想要的加我微信私下转账",
        "这个东西越放越值钱十年翻几倍",
    ];
    for round in 0..2 {
        for f in fraud {
            alerts += usize::from(s.push(Segment::new(f)).alert.is_some());
        }
        assert!(s.risk().level >= Level::High, "round {round}");
        // More pushes while high: no new alert.
        alerts += usize::from(s.push(Segment::new("这个真的很好")).alert.is_some());
        assert_eq!(alerts, round + 1);
        // Honest speech pushes the evidence out of the window.
        for _ in 0..10 {
            alerts += usize::from(s.push(Segment::new(honest)).alert.is_some());
        }
        assert!(s.risk().level < Level::High);
    }
    assert_eq!(alerts, 2);
}

#[test]
fn horizon_keeps_memory_flat() {
    let mut s = Analyzer::default_ref().session(SessionConfig::default());
    let lines = [
        "大家晚上好 果园刚摘的苹果 都是自己家种的",
        "这个翡翠以后拿回来我们原价回收 只高不低",
        "发货走顺丰 坏果拍照联系客服 按个数给大家补",
    ];
    let mut peak = 0;
    for i in 0..20_000u64 {
        s.push(Segment::timed(
            lines[i as usize % 3],
            i * 2000,
            i * 2000 + 2000,
        ));
        if i > 1000 {
            peak = peak.max(s.buffered_bytes());
        }
    }
    assert!(s.len_chars() > 400_000);
    assert!(
        peak < 64 * 1024,
        "the working buffer stays small: {peak} bytes"
    );
    let cumulative = s.cumulative();
    assert!(cumulative.findings.len() <= 200);
    assert!(
        cumulative.tactics.iter().any(|t| t.findings > 1000),
        "counts cover the whole session"
    );
}

/// The stream's frame, live: a stream that turns out to explain a scam script neutralizes the
/// evidence it quoted minutes before (as the whole text does), says so in `reframed`, and its
/// risk falls; a stream that then starts selling needs more cues to stay framed.
#[test]
fn live_frame_reframes_what_was_reported() {
    let chat = "今天天气不错 大家吃饭了吗 我们慢慢聊 先看看弹幕 有人从广州来 有人从成都来 欢迎欢迎 \
                家里老人身体都好吧 我们这个节目每周三晚上八点 大家记得来 今天聊的东西有点长 \
                大家耐心听我讲完 不着急 慢慢来 先喝口水";
    let pieces = [
        "家人们这串翡翠以后不想要了拿回来 我们原价回收 只高不低",
        chat,
        "记者调查发现 这套话术就是骗局 警方提醒大家 今天不卖货 只给大家揭秘",
        chat,
    ];
    let a = Analyzer::default_ref();
    let whole = a.analyze(&pieces.join("\n"));
    assert!(whole.findings.iter().any(|f| f.tactic == "buyback_promise"));
    assert!(
        whole.findings.iter().all(|f| f.neutralized.is_some()),
        "{whole:?}"
    );

    let mut s = a.session(SessionConfig::default());
    let first = s.push(Segment::new(pieces[0]));
    let second = s.push(Segment::new(pieces[1]));
    let reported: Vec<&Finding> = first.findings.iter().chain(&second.findings).collect();
    let buyback = reported
        .iter()
        .find(|f| f.tactic == "buyback_promise")
        .expect("the promise settles before the frame is said");
    assert!(buyback.is_scoring());
    assert!(s.risk().score > 0.0);
    let mut reframed = Vec::new();
    for p in &pieces[2..] {
        reframed.extend(s.push(Segment::new(*p)).reframed);
    }
    reframed.extend(s.finish().reframed);
    let again = reframed
        .iter()
        .find(|f| f.rule == buyback.rule && f.char_start == buyback.char_start)
        .expect("the promise is re-framed");
    let n = again.neutralized.as_ref().expect("neutralized");
    assert_eq!(n.reason, huashu::NeutralReason::ReportedSpeech);
    assert_eq!(s.risk().level, Level::None);
    assert_eq!(s.cumulative().level, Level::None);
    same(&pieces).unwrap();
}

fn chunked(text: &str, cuts: &[usize]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (chars.len() + 1)).collect();
    points.push(0);
    points.push(chars.len());
    points.sort_unstable();
    points.dedup();
    points
        .windows(2)
        .map(|w| chars[w[0]..w[1]].iter().collect())
        .filter(|s: &String| !s.is_empty())
        .collect()
}

const SENTENCES: &[&str] = &[
    "家人们这串翡翠是缅甸老坑的料子",
    "专柜卖三万八 今天直播间只要一千九百八",
    "以后不想要了拿回来 我们原价回收 只高不低",
    "这种话千万别信 都是骗局",
    "我们不是高仿 专柜正品",
    "想要的加我薇❤信 私xia转zhang再便宜两百",
    "今天给大家做红烧排骨 先冷水下锅焯水",
    "最后三单 手慢无",
    "这个能kang癌 降💉血压 中科院研发的",
    "把你的身份证号发在评论区",
    "有人问能不能加微信 不能 有问题找平台客服",
    "记者调查发现 这套话术就是骗局 警方提醒大家",
    "今天不卖货 只给大家揭秘",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// Fed in arbitrary pieces (mid-word, mid-number), a session reports exactly the findings
    /// of analysing the whole text, each once.
    #[test]
    fn chunking_property(
        picks in prop::collection::vec(0..SENTENCES.len(), 1..8),
        cuts in prop::collection::vec(0usize..400, 0..12),
        deco in 0usize..80,
    ) {
        let text: String = picks.iter().map(|&i| SENTENCES[i]).collect::<Vec<_>>().join(&" ✨".repeat(deco));
        let pieces = chunked(&text, &cuts);
        let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
        if let Err(e) = same(&refs) {
            return Err(TestCaseError::fail(e));
        }
    }

    /// Reporting evidence at once changes when it is reported, not what is committed: each
    /// finding is provisional then confirmed or retracted, each once, and the confirmed set is
    /// the whole text's.
    #[test]
    fn chunking_property_reporting_at_once(
        picks in prop::collection::vec(0..SENTENCES.len(), 1..8),
        cuts in prop::collection::vec(0usize..400, 0..12),
        alert in any::<bool>(),
    ) {
        let text: String = picks.iter().map(|&i| SENTENCES[i]).collect::<Vec<_>>().join(" ");
        let pieces = chunked(&text, &cuts);
        let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let mode = if alert { Provisional::Alert } else { Provisional::Report };
        let committed = feed_ahead(&refs, mode).map_err(TestCaseError::fail)?;
        let mut got: Vec<Key> = committed.iter().map(key).collect();
        got.sort();
        let mut want: Vec<Key> = whole(&refs).iter().map(key).collect();
        want.sort();
        prop_assert_eq!(got, want, "{:?}", refs);
    }
}

/// #10: evidence said inside one segment is reported by the push that brings it, and
/// confirmed once it settles; the settled-only session reports it half a minute later.
#[test]
fn provisional_on_push_reports_in_the_push_that_completes_it() {
    let segments = [
        "宝子们这串翡翠 缅甸老坑的料子",
        "以后不想要了拿回来我们原价回收 只高不低",
        "这个颜色特别正 戴在手上显得皮肤白 我自己也戴了好几年了",
        "后面的家人们点点关注 点点小红心 今天的福袋马上开",
        "有宝宝问尺寸 我们这个圈口大的小的都有 下单的时候备注一下",
        "新来的宝宝欢迎欢迎 我们家是自己的工作室 做了好多年了",
    ];
    let first_push = |mode: Provisional| -> Option<usize> {
        let mut s =
            Analyzer::default_ref().session(SessionConfig::default().with_provisional(mode));
        for (i, seg) in segments.iter().enumerate() {
            let u = s.push(Segment::timed(
                *seg,
                i as u64 * 4000,
                i as u64 * 4000 + 4000,
            ));
            if u.provisional
                .iter()
                .chain(&u.findings)
                .any(|f| f.tactic == "buyback_promise")
            {
                return Some(i);
            }
        }
        None
    };
    assert_eq!(first_push(Provisional::Report), Some(1));
    let settled = first_push(Provisional::Off).expect("settles before the end");
    assert!(
        settled > 2,
        "settled-only reports it later, at push {settled}"
    );
    let mut s = Analyzer::default_ref()
        .session(SessionConfig::default().with_provisional(Provisional::Report));
    let mut confirmed = Vec::new();
    for seg in segments {
        let u = s.push(Segment::new(seg));
        assert!(u.findings.is_empty(), "{:?}", u.findings);
        confirmed.extend(u.confirmed);
    }
    confirmed.extend(s.finish().confirmed);
    assert!(confirmed.iter().any(|f| f.tactic == "buyback_promise"));
}

/// #10: provisional evidence that more speech turns into something else is retracted: 高仿 at
/// the end of one segment is 高仿真花 (artificial flowers) with the next.
#[test]
fn provisional_on_push_then_retracted() {
    let mut s = Analyzer::default_ref()
        .session(SessionConfig::default().with_provisional(Provisional::Report));
    let u = s.push(Segment::new("这款是高仿"));
    assert!(u.provisional.iter().any(|f| f.matched == "高仿"), "{u:?}");
    let mut retracted = s
        .push(Segment::new("真花 跟真的一样 放在客厅特别好看"))
        .retracted;
    retracted.extend(s.finish().retracted);
    assert!(
        retracted.iter().any(|f| f.matched == "高仿"),
        "{retracted:?}"
    );
}

/// #10: with [`Provisional::Alert`] the alert fires on provisional evidence, in the push that
/// brings it, and names the findings that raised it; with [`Provisional::Report`] it waits
/// for the evidence to settle.
#[test]
fn alerts_on_provisional_evidence() {
    let pitch = "这串翡翠以后不想要了拿回来我们原价回收 只高不低 想要的加我薇信私聊";
    let alert_at = |mode: Provisional| {
        let mut s =
            Analyzer::default_ref().session(SessionConfig::default().with_provisional(mode));
        let u = s.push(Segment::timed(pitch, 0, 5000));
        if let Some(a) = u.alert {
            return Some((0, a));
        }
        for i in 1..20u64 {
            let u = s.push(Segment::timed(
                "今天天气不错 家人们晚上好呀",
                i * 5000,
                i * 5000 + 5000,
            ));
            if let Some(a) = u.alert {
                return Some((i, a));
            }
        }
        s.finish().alert.map(|a| (20, a))
    };
    let (at, alert) = alert_at(Provisional::Alert).expect("an alert");
    assert_eq!(at, 0);
    assert_eq!(alert.at_ms, Some(5000));
    assert!(
        alert.findings.iter().any(|f| f.tactic == "buyback_promise"),
        "{alert:?}"
    );
    assert!(alert.findings.iter().all(|f| f.is_scoring()));
    let (later, _) = alert_at(Provisional::Report).expect("an alert once settled");
    assert!(later > 0);
}

#[test]
fn extreme_times_do_not_overflow() {
    let mut s = Analyzer::default_ref().session(SessionConfig::default());
    s.push(Segment::timed(
        "原价回收 加我微信",
        u64::MAX - 10,
        u64::MAX - 1,
    ));
    s.push(Segment::timed("只高不低", u64::MAX - 1, u64::MAX));
    s.finish();
}
