//! Word classes and frames: expansion wherever a term is written, ordered slots within one
//! clause, guards, context over the whole frame, severity, spans in the original text, and the
//! loader's errors for each (file, line, reason).

use huashu::{Analyzer, Error, Level, RuleKind, Severity};

const CLASSES: &str = r#"
[[class]]
id = "gadget"
description = "test gadgets"
members = ["手表", "耳机", "充電寶"]

[[class]]
id = "fake_verb"
description = "test verbs of copying"
members = ["仿造", "翻版", "山寨"]
"#;

const HEADER: &str = "[tactic]\nid = \"counterfeit\"\nname_zh = \"假冒\"\nname_en = \"Counterfeit\"\ndescription = \"d\"\nweight = 0.9\nlegal_basis = [\"《商标法》第五十七条\"]\n";

fn analyzer(rules: &str) -> Analyzer {
    Analyzer::builder()
        .only_tactics(&["counterfeit"])
        .lexicon_str("classes/test.toml", CLASSES)
        .lexicon_str("counterfeit.toml", &format!("{HEADER}{rules}"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn build_err(classes: &str, rules: &str) -> String {
    match Analyzer::builder()
        .lexicon_str("classes/test.toml", classes)
        .lexicon_str("counterfeit.toml", &format!("{HEADER}{rules}"))
        .build()
    {
        Ok(_) => panic!("should be rejected:\n{rules}"),
        Err(e) => e.to_string(),
    }
}

const FRAME: &str = "[[frame]]\nrule = \"copy_gadget\"\nweight = 1.0\nslots = [[\"{fake_verb}\"], [\"{gadget}\"]]\nmax_gap = 3\nunless_before = [\"拒绝\"]\n";

fn frames(a: &Analyzer, text: &str) -> Vec<(String, bool)> {
    a.analyze(text)
        .findings
        .into_iter()
        .filter(|f| f.kind == RuleKind::Frame)
        .map(|f| {
            let scoring = f.is_scoring();
            (f.matched, scoring)
        })
        .collect()
}

#[test]
fn a_class_expands_in_terms_and_is_normalized() {
    let a = analyzer("[[terms]]\nrule = \"fake_gadget\"\nweight = 1.0\nterms = [\"假{gadget}\"]\n");
    for text in ["这是假手表", "这是假耳机", "这是假充电宝", "這是假充電寶"] {
        let r = a.analyze(text);
        assert!(
            r.tactic("counterfeit").is_some(),
            "{text}: {:?}",
            r.findings
        );
    }
    assert!(a.analyze("这是真手表").tactic("counterfeit").is_none());
}

#[test]
fn a_class_expands_in_patterns() {
    let a = analyzer(
        "[[pattern]]\nrule = \"n_gadgets\"\nweight = 1.0\npatterns = [\"{num}块的{gadget}\"]\n",
    );
    assert!(a.analyze("三十块的耳机").tactic("counterfeit").is_some());
    assert!(a.analyze("三十块的鞋子").tactic("counterfeit").is_none());
}

#[test]
fn frame_slots_match_in_order_within_the_gap_and_the_clause() {
    let a = analyzer(FRAME);
    assert_eq!(
        frames(&a, "我们仿造手表"),
        vec![("仿造手表".to_string(), true)]
    );
    // A filler between the slots is within the gap.
    assert_eq!(
        frames(&a, "山寨 那个耳机"),
        vec![("山寨 那个耳机".to_string(), true)]
    );
    // Wrong order, too far apart, across a comma.
    assert!(frames(&a, "手表仿造").is_empty());
    assert!(frames(&a, "仿造了一大堆的手表").is_empty());
    assert!(frames(&a, "仿造，手表").is_empty());
}

#[test]
fn frame_guard_and_context_apply_to_the_whole_frame() {
    let a = analyzer(FRAME);
    assert!(frames(&a, "我们拒绝仿造手表").is_empty());
    // Negation before the first slot neutralizes the frame (reported, not scoring).
    assert_eq!(
        frames(&a, "我们不仿造手表"),
        vec![("仿造手表".to_string(), false)]
    );
    // A warning in the sentence neutralizes it too.
    let warned = frames(&a, "千万别信那些仿造手表的骗子");
    assert!(warned.iter().all(|(_, scoring)| !scoring), "{warned:?}");
}

#[test]
fn frame_spans_and_parts_point_into_the_original_text() {
    let a = analyzer(FRAME);
    let text = "老鐵們，咱家翻❤版 充電寶到了";
    let r = a.analyze(text);
    let f = r
        .findings
        .iter()
        .find(|f| f.kind == RuleKind::Frame)
        .expect("a frame finding");
    assert_eq!(&text[f.start..f.end], f.matched);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[f.char_start..f.char_end].iter().collect::<String>(),
        f.matched
    );
    assert_eq!(f.parts.len(), 2);
    assert_eq!(f.parts[0].matched, "翻❤版");
    assert_eq!(f.parts[1].matched, "充電寶");
    for p in &f.parts {
        assert_eq!(&text[p.start..p.end], p.matched);
    }
}

#[test]
fn one_serious_finding_reaches_high_and_a_normal_one_stays_at_medium() {
    // A weak composite finding (weight below `composite_min_weight`) stays at medium alone; a
    // strong one reaches high as a serious one does.
    let weak = FRAME.replace("weight = 1.0", "weight = 0.6");
    let normal = analyzer(&weak);
    let serious = analyzer(&FRAME.replace("max_gap = 3", "max_gap = 3\nseverity = \"serious\""));
    let text = "我们家仿造手表。";
    let n = normal.analyze(text);
    assert_eq!(n.level, Level::Medium, "{n:?}");
    let strong = analyzer(FRAME).analyze(text);
    assert_eq!(strong.level, Level::High, "{strong:?}");
    let s = serious.analyze(text);
    assert_eq!(s.level, Level::High, "{s:?}");
    assert!(s.findings.iter().any(|f| f.severity == Severity::Serious));
    // The serious cap is high, never critical, on one finding.
    assert!(s.score < 0.85);
}

#[test]
fn the_tactic_header_sets_the_default_severity_and_a_rule_overrides_it() {
    let rules = "[[terms]]\nrule = \"plain\"\nweight = 0.7\nterms = [\"高仿\"]\n\n[[terms]]\nrule = \"kept_normal\"\nweight = 0.7\nseverity = \"normal\"\nterms = [\"山寨\"]\n";
    let serious_header = HEADER.replace("weight = 0.9\n", "weight = 0.9\nseverity = \"serious\"\n");
    let a = Analyzer::builder()
        .only_tactics(&["counterfeit"])
        .lexicon_str("counterfeit.toml", &format!("{serious_header}{rules}"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let plain = a.analyze("这是高仿。");
    assert_eq!(plain.findings[0].severity, Severity::Serious);
    assert_eq!(plain.level, Level::High, "{plain:?}");
    let kept = a.analyze("这是山寨。");
    assert_eq!(kept.findings[0].severity, Severity::Normal);
    assert_eq!(kept.level, Level::Medium, "{kept:?}");
    // Without the header's default, the same rule is normal.
    let normal = analyzer(rules).analyze("这是高仿。");
    assert_eq!(normal.findings[0].severity, Severity::Normal);
    assert_eq!(normal.level, Level::Medium);
    // A bad value names the file and line.
    let bad = HEADER.replace("weight = 0.9\n", "weight = 0.9\nseverity = \"grave\"\n");
    let e = match Analyzer::builder()
        .lexicon_str("counterfeit.toml", &format!("{bad}{rules}"))
        .build()
    {
        Ok(_) => panic!("severity = grave should be rejected"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.starts_with("counterfeit.toml:") && e.contains("grave"),
        "{e}"
    );
}

#[test]
fn loader_errors_name_file_line_and_reason() {
    let e = build_err(
        CLASSES,
        "[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"假{nosuch}\"]\n",
    );
    assert!(
        e.starts_with("counterfeit.toml:11:") && e.contains("unknown word class `{nosuch}`"),
        "{e}"
    );
    let e = build_err(
        CLASSES,
        "[[frame]]\nrule = \"a\"\nweight = 1.0\nslots = [[\"仿造\"]]\n",
    );
    assert!(
        e.starts_with("counterfeit.toml:11:") && e.contains("two to four slots"),
        "{e}"
    );
    let e = build_err(CLASSES, &FRAME.replace("max_gap = 3", "max_gap = 99"));
    assert!(e.contains("max_gap 99 is out of range"), "{e}");
    let e = build_err(
        "[[class]]\nid = \"x\"\ndescription = \"d\"\nmembers = [\"a{b}\"]\n",
        "[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\"]\n",
    );
    assert!(
        e.starts_with("classes/test.toml:4:") && e.contains("may not contain"),
        "{e}"
    );
    let e = build_err(
        "[[class]]\nid = \"x\"\nmembers = [\"甲乙\"]\n",
        "[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\"]\n",
    );
    assert!(e.contains("needs a description"), "{e}");
    let e = build_err(
        "[[class]]\nid = \"x\"\ndescription = \"d\"\nmembers = [\"甲乙\", \"甲乙\"]\n",
        "[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\"]\n",
    );
    assert!(e.contains("duplicate class member"), "{e}");
}

#[test]
fn a_user_class_file_cannot_redefine_another_user_class() {
    let e = match Analyzer::builder()
        .lexicon_str("classes/a.toml", CLASSES)
        .lexicon_str("classes/b.toml", CLASSES)
        .build()
    {
        Ok(_) => panic!("duplicate class accepted"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("duplicate word class `gadget`"), "{e}");
}

#[test]
fn errors_are_lexicon_errors() {
    let r = Analyzer::builder()
        .lexicon_str(
            "counterfeit.toml",
            &format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"{{x}}\"]\n"),
        )
        .build();
    assert!(matches!(r, Err(Error::Lexicon { .. })), "{r:?}");
}

#[test]
fn a_slot_spans_an_enumeration_of_its_members() {
    let a = analyzer(
        "[[frame]]\nrule = \"gadgets_copied\"\nweight = 1.0\nslots = [[\"{gadget}\"], [\"都是{fake_verb}\"]]\n",
    );
    let found = frames(&a, "手表、耳机和充电宝都是山寨的");
    assert_eq!(
        found,
        vec![("手表、耳机和充电宝都是山寨".to_string(), true)]
    );
    // The enumeration never runs across a sentence.
    assert!(frames(&a, "手表。耳机都是山寨的").len() == 1);
}
