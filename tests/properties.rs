//! Invariants that hold for every input: spans point into the ORIGINAL text on character
//! boundaries, findings are sorted, scores are in range, and analysis never panics.

use huashu::{Analyzer, Level, Report};
use proptest::prelude::*;

/// Pieces that exercise normalization and matching: fraud phrases, traditional and full-width
/// forms, numerals, decoration, emoji, zero-width characters and Latin text.
const PIECES: &[&str] = &[
    "高价回收",
    "原价",
    "三千九百九十九",
    "今天只要",
    "九十九",
    "加微信",
    "加 薇❤信",
    "ＶＸ",
    "vx",
    "sfz",
    "身份证号",
    "110105194912310020",
    "13812345678",
    "一三八一二三四五六七八",
    "高價収購",
    "不",
    "没有",
    "千万别",
    "有人问",
    "法院",
    "，",
    "。",
    "！",
    " ",
    "\n",
    "\u{200B}",
    "🚽",
    "❤",
    "-",
    "１：１",
    "1.2万",
    "两万八",
    "最后三单",
    "稳赚不赔",
    "kang癌",
    "抗癌",
    "治疗",
    "法治",
    "历史上",
    "最近",
    "a",
    "Z",
    "é",
    "ｱ",
    "㎏",
    "①",
    "\u{FE0F}",
    "\u{301}",
    "𠀀",
    "¥",
    "米",
    "块",
    "的",
    "我们",
    "宝子们",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// Every span of the report is a valid, consistent range of `text`.
fn check_spans(text: &str, report: &Report) -> Result<(), TestCaseError> {
    let char_of = |byte: usize| text[..byte].chars().count();
    let check =
        |start: usize, end: usize, cs: usize, ce: usize, what: &str| -> Result<(), TestCaseError> {
            prop_assert!(
                start <= end && end <= text.len(),
                "{what}: {start}..{end} out of {}",
                text.len()
            );
            prop_assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{what}: not on char boundaries"
            );
            prop_assert_eq!(char_of(start), cs, "{} char_start", what);
            prop_assert_eq!(char_of(end), ce, "{} char_end", what);
            Ok(())
        };
    let mut last = (0, 0);
    for f in &report.findings {
        check(f.start, f.end, f.char_start, f.char_end, "finding")?;
        prop_assert!(f.start < f.end, "empty finding");
        prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
        prop_assert!((f.start, f.end) >= last, "findings not sorted");
        last = (f.start, f.end);
        for p in &f.parts {
            check(p.start, p.end, p.char_start, p.char_end, "part")?;
            prop_assert_eq!(&text[p.start..p.end], p.matched.as_str());
            prop_assert!(
                f.start <= p.start && p.end <= f.end,
                "part outside its finding"
            );
        }
        if let Some(n) = &f.neutralized {
            prop_assert!(n.start <= n.end && n.end <= text.len());
            prop_assert!(text.is_char_boundary(n.start) && text.is_char_boundary(n.end));
            prop_assert_eq!(&text[n.start..n.end], n.cue.as_str());
            prop_assert_eq!(f.contribution, 0.0);
        }
        prop_assert!(f.weight > 0.0 && f.weight <= 1.0);
        prop_assert!(f.contribution >= 0.0 && f.contribution <= f.weight + 1e-12);
    }
    prop_assert!((0.0..=1.0).contains(&report.score));
    prop_assert_eq!(report.level == Level::None, report.tactics.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn spans_point_into_the_original(text in text_strategy()) {
        let report = Analyzer::default_ref().analyze(&text);
        check_spans(&text, &report)?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let report = Analyzer::default_ref().analyze(&text);
        check_spans(&text, &report)?;
    }

    #[test]
    fn analysis_is_deterministic(text in text_strategy()) {
        let a = Analyzer::default_ref();
        prop_assert_eq!(a.analyze(&text), a.analyze(&text));
    }

    /// Decoration between Chinese characters (emoji, hearts, hyphens, zero-width characters)
    /// does not change what is found: it is the evasion the normalizer exists for.
    #[test]
    fn decoration_between_characters_changes_nothing(
        seed in prop::sample::select(&[
            "以后不想要了拿回来我们原价回收只高不低",
            "原价三千九百九十九今天直播间只要九十九最后三单",
            "这款是高仿的跟专柜一模一样加我微信发你实拍",
            "这个能抗癌还能降血压把你的身份证号发在评论区",
            "稳赚不赔零风险比存银行强多了",
        ][..]),
        noise in prop::collection::vec((0usize..40, prop::sample::select(&["❤", "🚽", "\u{200B}", "-", "*", "·", "【", "】"][..])), 1..6),
    ) {
        let chars: Vec<char> = seed.chars().collect();
        let mut noisy = String::new();
        for (i, c) in chars.iter().enumerate() {
            noisy.push(*c);
            for (at, n) in &noise {
                if *at == i && i + 1 < chars.len() {
                    noisy.push_str(n);
                }
            }
        }
        let a = Analyzer::default_ref();
        let tactics = |r: &Report| r.tactics.iter().map(|t| t.tactic.clone()).collect::<Vec<_>>();
        let (clean, dirty) = (a.analyze(seed), a.analyze(&noisy));
        prop_assert_eq!(tactics(&clean), tactics(&dirty), "noisy text: {}", noisy);
        check_spans(&noisy, &dirty)?;
    }
}

#[test]
fn one_megabyte_single_line() {
    let unit = "家人们原价三千九百九十九今天只要九十九加我薇❤信高價収購稳赚不赔 abc ";
    let mut text = String::with_capacity(1 << 20);
    while text.len() < 1 << 20 {
        text.push_str(unit);
    }
    let report = Analyzer::default_ref().analyze(&text);
    assert!(report.level >= Level::High);
    let f = report.findings.last().expect("findings");
    assert!(f.end <= text.len() && text.is_char_boundary(f.end));
}

#[test]
fn empty_and_whitespace_inputs() {
    for text in ["", " ", "\n\n", "\u{200B}", "。。。", "🚽🚽"] {
        let report = Analyzer::default_ref().analyze(text);
        assert_eq!(report.level, Level::None, "{text:?}");
        assert!(report.findings.is_empty());
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn is<T: Send + Sync>() {}
    is::<Analyzer>();
    is::<Report>();
    is::<huashu::Error>();
}
