//! Speaker roles (#10): roles from speaker labels through the analyzer's role map, for whole
//! transcripts and live sessions alike; roles guessed where the text frames a viewer's words;
//! a viewer's evidence never scores as the seller's pitch.

use huashu::transcript::{Format, RoleMap, Segment, Transcript, parse};
use huashu::{Analyzer, Level, NeutralReason, Role, SessionConfig};

fn said(speaker: &str, text: &str, at: u64) -> Segment {
    let mut s = Segment::timed(text, at, at + 3000);
    s.speaker = Some(speaker.to_string());
    s
}

fn room(segments: Vec<Segment>) -> Transcript {
    Transcript {
        id: "room".into(),
        segments,
        ..Transcript::default()
    }
}

/// A viewer's comment asks about buyback and a private chat; the host answers with a pitch of
/// his own in the next segment.
fn comment_then_pitch() -> Vec<Segment> {
    vec![
        said("弹幕", "主播你们高价回收吗 加我微信聊", 0),
        said("主播", "宝子们这款翡翠手镯 缅甸老坑的料子", 3000),
        said("主播", "专柜卖三万八 今天直播间只要一千九百八", 6000),
    ]
}

#[test]
fn roles_from_labels_in_a_whole_transcript() {
    let report = Analyzer::default_ref().analyze_transcript(&room(comment_then_pitch()));
    let viewer: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.segment == Some(0))
        .collect();
    assert!(!viewer.is_empty(), "{:#?}", report.findings);
    for f in &viewer {
        assert_eq!(f.role, Role::Viewer);
        let n = f
            .neutralized
            .as_ref()
            .expect("a viewer's evidence is neutralized");
        assert_eq!(n.reason, NeutralReason::Viewer);
        // The empty cue lies at the comment's start, in the joined text.
        assert_eq!((n.start, n.end, n.cue.as_str()), (0, 0, ""));
    }
    assert!(report.tactic("buyback_promise").is_none());
    assert!(report.tactic("off_platform").is_none());
    let price = report
        .findings
        .iter()
        .find(|f| f.tactic == "price_anchoring")
        .expect("the host's own price claim");
    assert_eq!(price.role, Role::Host);
    assert!(price.is_scoring());
    // The same words said by the host score.
    let mut hosted = comment_then_pitch();
    hosted[0].speaker = Some("主播".into());
    let hosted = Analyzer::default_ref().analyze_transcript(&room(hosted));
    assert!(hosted.tactic("buyback_promise").is_some());
    assert!(hosted.score > report.score);
}

#[test]
fn unlabelled_transcripts_are_unchanged() {
    let mut segments = comment_then_pitch();
    segments.iter_mut().for_each(|s| s.speaker = None);
    let t = room(segments);
    let a = Analyzer::default_ref();
    let report = a.analyze_transcript(&t);
    assert_eq!(report.findings.len(), a.analyze(&t.joined()).findings.len());
    assert!(report.findings.iter().all(|f| f.role == Role::Unknown));
    assert!(report.tactic("buyback_promise").is_some());
}

#[test]
fn a_custom_role_map_names_a_recognizers_speakers() {
    let a = Analyzer::builder()
        .speaker_roles(
            RoleMap::exact_only()
                .with("spk_0", Role::Host)
                .with("spk_1", Role::Viewer),
        )
        .build()
        .unwrap();
    let mut segments = comment_then_pitch();
    segments[0].speaker = Some("spk_1".into());
    segments[1].speaker = Some("spk_0".into());
    segments[2].speaker = Some("spk_0".into());
    let report = a.analyze_transcript(&room(segments.clone()));
    assert!(report.tactic("buyback_promise").is_none());
    assert!(report.findings.iter().any(|f| f.role == Role::Host));
    // Without the map, the labels mean nothing: the comment scores.
    let plain = Analyzer::builder()
        .speaker_roles(RoleMap::exact_only())
        .build()
        .unwrap();
    let report = plain.analyze_transcript(&room(segments));
    assert!(report.tactic("buyback_promise").is_some());
}

#[test]
fn evidence_the_host_completes_after_a_comment_is_the_hosts() {
    // A viewer starts the phrase, the host completes it: the seller's side said it.
    let segments = vec![
        said("观众", "你们家能原价", 0),
        said("主播", "回收 只高不低 放心买", 3000),
    ];
    let report = Analyzer::default_ref().analyze_transcript(&room(segments));
    let buyback: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.tactic == "buyback_promise")
        .collect();
    assert!(!buyback.is_empty());
    assert!(
        buyback
            .iter()
            .all(|f| f.role == Role::Host && f.is_scoring()),
        "{buyback:#?}"
    );
}

#[test]
fn roles_guessed_from_the_text() {
    let a = Analyzer::default_ref();
    for text in [
        "我来念一下弹幕，主播你们高价回收吗，加我微信聊",
        "有宝宝问你们家原价回收吗",
        "有条评论说加我微信私聊更便宜",
    ] {
        let report = a.analyze(text);
        assert_eq!(report.level, Level::None, "{text}: {:#?}", report.findings);
        assert!(!report.findings.is_empty(), "{text}");
        for f in &report.findings {
            assert_eq!(f.role, Role::Viewer, "{text}: {f:#?}");
            assert_eq!(
                f.neutralized.as_ref().unwrap().reason,
                NeutralReason::Viewer
            );
        }
    }
    // The host's answer after the question is the host's, and scores.
    let report = a.analyze("有宝宝问能不能回收，能！我们原价回收，只高不低");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.is_scoring() && f.role == Role::Unknown)
    );
    assert!(report.level >= Level::High);
}

#[test]
fn live_sessions_take_roles_from_labels_as_whole_transcripts_do() {
    let a = Analyzer::default_ref();
    let segments = comment_then_pitch();
    let whole = a.analyze_transcript(&room(segments.clone()));
    let mut s = a.session(SessionConfig::default());
    let mut got = Vec::new();
    for seg in segments {
        got.extend(s.push(seg).findings);
    }
    got.extend(s.finish().findings);
    let view = |fs: &[huashu::Finding]| {
        let mut v: Vec<_> = fs
            .iter()
            .map(|f| (f.rule.clone(), f.char_start, f.role, f.is_scoring()))
            .collect();
        v.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        v
    };
    assert_eq!(view(&got), view(&whole.findings));
    assert!(
        got.iter()
            .any(|f| f.role == Role::Viewer && !f.is_scoring())
    );
    assert!(s.cumulative().tactic("buyback_promise").is_none());
}

#[test]
fn webvtt_voices_are_roles() {
    let vtt = "WEBVTT\n\n00:00.000 --> 00:03.000\n<v 弹幕>主播你们高价回收吗 加我微信聊\n\n\
               00:03.000 --> 00:06.000\n<v 主播>我们不做回收 有问题找平台客服\n";
    let t = parse("room.vtt", vtt, Format::Vtt).unwrap();
    let report = Analyzer::default_ref().analyze_transcript(&t[0]);
    assert_eq!(report.level, Level::None, "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.role == Role::Viewer));
}

#[test]
fn roles_from_line_labels_in_a_chat_log() {
    let a = Analyzer::default_ref();
    let text = "买家：以后能原价回收吗？\n卖家：能，拿回来我们原价回收，只高不低";
    let report = a.analyze(text);
    let buyer = report
        .findings
        .iter()
        .find(|f| f.char_end <= 12)
        .expect("the buyer's words are found");
    assert_eq!(buyer.role, Role::Viewer);
    let n = buyer
        .neutralized
        .as_ref()
        .expect("a buyer's line does not score");
    assert_eq!(
        (n.reason, &text[n.start..n.end]),
        (NeutralReason::Viewer, "买家")
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.role == Role::Host && f.is_scoring() && f.tactic == "buyback_promise")
    );
    // Live, the same.
    let mut s = a.session(SessionConfig::default());
    let mut got = Vec::new();
    for line in text.split('\n') {
        got.extend(s.push(Segment::new(line)).findings);
    }
    got.extend(s.finish().findings);
    let roles = |fs: &[huashu::Finding]| {
        let mut v: Vec<_> = fs
            .iter()
            .map(|f| (f.char_start, f.role, f.is_scoring()))
            .collect();
        v.sort_by_key(|x| x.0);
        v
    };
    assert_eq!(roles(&got), roles(&report.findings));
}
