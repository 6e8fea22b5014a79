//! The loader rejects bad lexicon files with the file, the line and the reason, at build time;
//! good ones add to or replace the embedded lexicons.

use huashu::{Analyzer, Error, Level};

const HEADER: &str = "[tactic]\nid = \"counterfeit\"\nname_zh = \"假冒\"\nname_en = \"Counterfeit\"\ndescription = \"d\"\nweight = 0.9\nlegal_basis = [\"《商标法》第五十七条\"]\n";

fn build_with(name: &str, toml: &str) -> Result<Analyzer, Error> {
    Analyzer::builder().lexicon_str(name, toml).build()
}

fn err(name: &str, toml: &str) -> String {
    match build_with(name, toml) {
        Ok(_) => panic!("{name} should be rejected:\n{toml}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn unknown_tactic() {
    let e = err("t.toml", &HEADER.replace("counterfeit", "fake_stuff"));
    assert!(
        e.starts_with("t.toml:2: unknown tactic `fake_stuff`"),
        "{e}"
    );
}

#[test]
fn empty_term_and_term_empty_after_normalization() {
    let e = err(
        "t.toml",
        &format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\", \"\"]\n"),
    );
    assert!(e.starts_with("t.toml:11: empty term"), "{e}");
    let e = err(
        "t.toml",
        &format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"❤❤\"]\n"),
    );
    assert!(
        e.contains("t.toml:11:") && e.contains("empty after normalization"),
        "{e}"
    );
}

#[test]
fn weights_out_of_range() {
    let e = err(
        "t.toml",
        &format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.5\nterms = [\"高仿\"]\n"),
    );
    assert!(
        e.starts_with("t.toml:10: weight 1.5 is out of range (0, 1]"),
        "{e}"
    );
    let e = err("t.toml", &HEADER.replace("weight = 0.9", "weight = 0"));
    assert!(
        e.starts_with("t.toml:6: tactic weight 0 is out of range"),
        "{e}"
    );
}

#[test]
fn duplicate_ids_and_terms() {
    let e = err(
        "t.toml",
        &format!(
            "{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\"]\n[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"复刻\"]\n"
        ),
    );
    assert!(
        e.starts_with("t.toml:13: duplicate rule id `a` (first used on line 9)"),
        "{e}"
    );
    let e = err(
        "t.toml",
        &format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\", \"高 仿\"]\n"),
    );
    assert!(e.contains("duplicate term `高 仿`"), "{e}");
    let rule = format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\"]\n");
    let e = Analyzer::builder()
        .lexicon_str("one.toml", &rule)
        .lexicon_str("two.toml", &rule)
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("duplicate tactic id `counterfeit` (also defined in one.toml)"),
        "{e}"
    );
}

#[test]
fn window_of_zero_and_bad_patterns() {
    let e = err(
        "t.toml",
        &format!(
            "{HEADER}[[cooccur]]\nrule = \"c\"\nweight = 1.0\nwindow = 0\ngroups = [[\"a\"], [\"b\"]]\n"
        ),
    );
    assert!(
        e.starts_with("t.toml:11: window must be greater than 0"),
        "{e}"
    );
    let e = err(
        "t.toml",
        &format!("{HEADER}[[pattern]]\nrule = \"p\"\nweight = 1.0\npatterns = [\"高仿(\"]\n"),
    );
    assert!(e.starts_with("t.toml:11: invalid pattern `高仿(`"), "{e}");
    let e = err(
        "t.toml",
        &format!("{HEADER}[[pattern]]\nrule = \"p\"\nweight = 1.0\npatterns = [\"a*\"]\n"),
    );
    assert!(e.contains("matches the empty string"), "{e}");
}

#[test]
fn syntax_errors_and_unknown_fields() {
    let e = err("t.toml", "[tactic\nid = 1\n");
    assert!(e.starts_with("t.toml:1:"), "{e}");
    let e = err(
        "t.toml",
        &format!("{HEADER}[[terms]]\nrule = \"a\"\nweight = 1.0\nterms = [\"高仿\"]\nwieght = 2\n"),
    );
    assert!(e.starts_with("t.toml:") && e.contains("wieght"), "{e}");
    let e = err(
        "variants.toml",
        "[[chars]]\nto = \"收\"\nfrom = [\"収収\"]\n",
    );
    assert!(
        e.starts_with("variants.toml:3: `収収` must be exactly one character"),
        "{e}"
    );
    let e = err(
        "scoring.toml",
        "repeat_decay = 0.5\n[levels]\nlow = 0.5\nmedium = 0.4\nhigh = 0.6\ncritical = 0.9\n",
    );
    assert!(e.contains("levels must rise strictly"), "{e}");
}

#[test]
fn missing_paths_are_io_errors() {
    let e = Analyzer::builder()
        .lexicon_path("no/such/dir")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
    assert!(e.to_string().contains("no/such/dir"));
}

#[test]
fn a_tactic_file_replaces_the_embedded_one() {
    let custom =
        format!("{HEADER}[[terms]]\nrule = \"putian\"\nweight = 1.0\nterms = [\"莆田货\"]\n");
    let a = build_with("my/counterfeit.toml", &custom).expect("valid");
    let r = a.analyze("这双是莆田货 高仿的");
    let rules: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.tactic == "counterfeit")
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(
        rules,
        ["putian"],
        "the embedded counterfeit lexicon (高仿) is replaced"
    );
    assert_ne!(
        a.lexicon_fingerprint(),
        Analyzer::default_ref().lexicon_fingerprint()
    );
}

#[test]
fn only_the_given_lexicons() {
    let custom =
        format!("{HEADER}[[terms]]\nrule = \"putian\"\nweight = 1.0\nterms = [\"莆田货\"]\n");
    let a = Analyzer::builder()
        .defaults(false)
        .lexicon_str("c.toml", &custom)
        .build()
        .expect("valid");
    assert_eq!(a.tactics().len(), 1);
    assert_eq!(a.analyze("加我微信 原价回收").level, Level::None);
    assert!(a.analyze("莆田货").level > Level::None);
}

#[test]
fn tactic_filter_rejects_unknown_ids() {
    let e = Analyzer::builder()
        .only_tactics(&["nope"])
        .build()
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown tactic `nope`"), "{e}");
}

#[test]
fn the_embedded_lexicons_are_broad_and_cite_laws() {
    let a = Analyzer::default_ref();
    assert_eq!(a.tactics().len(), huashu::TACTIC_IDS.len());
    for t in a.tactics() {
        assert!(!t.legal_basis.is_empty(), "{}", t.id);
        assert!(
            t.legal_basis.iter().all(|l| l.contains('《')),
            "{}: cite the law by name",
            t.id
        );
    }
    // Every tactic holds at least 40 entries (terms, group members, patterns).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons/tactics");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let v: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let count = |key: &str, field: &str| -> usize {
            v.get(key).and_then(|x| x.as_array()).map_or(0, |rules| {
                rules
                    .iter()
                    .map(|r| match r.get(field) {
                        Some(toml::Value::Array(items)) if field == "groups" => {
                            items.iter().map(|g| g.as_array().map_or(0, Vec::len)).sum()
                        }
                        Some(toml::Value::Array(items)) => items.len(),
                        _ => 0,
                    })
                    .sum()
            })
        };
        let n = count("terms", "terms") + count("cooccur", "groups") + count("pattern", "patterns");
        assert!(n >= 40, "{}: only {n} entries", path.display());
    }
}

#[test]
fn patterns_see_text_as_normalized() {
    let toml = format!(
        "{HEADER}[[pattern]]\nrule = \"p\"\nweight = 1.0\npatterns = [\"仿[^，。！？]{{0,4}}包\", \"假货{{num}}％\"]\n"
    );
    let a = build_with("t.toml", &toml).expect("valid");
    let tactic = |text: &str| {
        a.analyze(text)
            .findings
            .iter()
            .any(|f| f.tactic == "counterfeit")
    };
    assert!(tactic("这个仿的包"));
    assert!(
        !tactic("这个仿，包"),
        "a full-width comma in a class also excludes the normalized comma"
    );
    assert!(!tactic("这个仿, 包"));
    assert!(
        tactic("假货20%"),
        "％ and % both match the kept percent sign"
    );
    let e = err(
        "t.toml",
        &format!("{HEADER}[[pattern]]\nrule = \"p\"\nweight = 1.0\npatterns = [\"高價\"]\n"),
    );
    assert!(
        e.contains("`價`, which normalized text never contains"),
        "{e}"
    );
}

#[test]
fn price_cues_belong_to_their_own_tactic() {
    let price = |id: &str, reference: &str, offer: &str| {
        format!(
            "[tactic]\nid = \"{id}\"\nname_zh = \"x\"\nname_en = \"x\"\ndescription = \"x\"\nweight = 1.0\nlegal_basis = [\"《价格法》第十四条\"]\n[price]\nrule = \"p\"\nweight = 1.0\nmin_ratio = 3.0\nreference = [\"{reference}\"]\noffer = [\"{offer}\"]\n"
        )
    };
    let a = Analyzer::builder()
        .defaults(false)
        .lexicon_str("a.toml", &price("price_anchoring", "原价", "今天只要"))
        .lexicon_str("b.toml", &price("value_inflation", "估价", "起拍"))
        .build()
        .expect("valid");
    let r = a.analyze("原价三千九百九十九，今天只要九十九");
    let tactics: Vec<&str> = r.findings.iter().map(|f| f.tactic.as_str()).collect();
    assert_eq!(tactics, ["price_anchoring"]);
}

/// A lexicon too large to compile fails with an error naming its largest rule, before the
/// automaton is built (#13: build time and memory stay bounded by the limit, whatever the
/// file holds); under the limit the same file builds.
#[test]
fn oversized_lexicon_names_its_largest_rule() {
    let mut terms = String::new();
    for i in 0..400u32 {
        let a = char::from_u32(0x4e00 + i * 7).unwrap();
        let b = char::from_u32(0x5e00 + i * 3).unwrap();
        terms.push_str(&format!("\"{a}{b}货\", "));
    }
    let toml = format!("{HEADER}[[terms]]\nrule = \"bulk\"\nweight = 0.5\nterms = [{terms}]\n");
    let built = |max: usize| {
        Analyzer::builder()
            .defaults(false)
            .lexicon_str("bulk.toml", &toml)
            .max_patterns(max)
            .build()
    };
    let e = built(500)
        .expect_err("400 terms expand to more than 500 patterns")
        .to_string();
    assert!(e.contains("more than 500 match patterns"), "{e}");
    assert!(e.contains("`bulk` of tactic `counterfeit`"), "{e}");
    let a = built(1_000_000).expect("under the limit");
    let first: String = toml[toml.find("terms = [\"").unwrap() + 10..]
        .chars()
        .take(3)
        .collect();
    assert!(
        a.analyze(&format!("这个{first}很好"))
            .tactic("counterfeit")
            .is_some()
    );
}
