//! The case summary: a short paragraph, in Chinese and in English, that a reviewer can paste
//! into a case file. It is made from the report's findings alone, by fixed rules, so the same
//! report always gives the same words, and every sentence says where it comes from:
//!
//! 1. the score, the level and the tactics that score, with their counts (`tactics`);
//! 2. when in the stream the scoring evidence lies (the findings' `start_ms`/`end_ms`, or
//!    their character offsets in an untimed text);
//! 3. the strongest evidence of each tactic (the finding with the largest `contribution`, up
//!    to three tactics), quoted with its time and rule;
//! 4. the combinations that raised the score (`combos`);
//! 5. the laws cited (the scoring findings' `legal_basis`, each once, without their
//!    explanatory clause, sorted so that the articles of one law stand together);
//! 6. a level cap (`capped`) and how many findings were neutralized, when there are any.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::clock;
use crate::Analyzer;
use crate::report::{Finding, Level, Report};

/// A report's case summary in Chinese and English ([`case_summary`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// The paragraph in Chinese.
    pub zh: String,
    /// The paragraph in English.
    pub en: String,
}

/// The most a summary quotes: the strongest evidence of this many tactics.
const QUOTED: usize = 3;

fn when(f: &Finding) -> (String, String) {
    match f.start_ms {
        Some(ms) => (clock(ms), clock(ms)),
        None => (
            format!("第{}字处", f.char_start),
            format!("at character {}", f.char_start),
        ),
    }
}

/// A citation without its explanatory clause: `《广告法》第二十五条：…` → `《广告法》第二十五条`.
fn citation(law: &str) -> &str {
    law.split(['：', ':']).next().unwrap_or(law).trim()
}

fn level_zh(level: Level) -> &'static str {
    match level {
        Level::None => "无",
        Level::Low => "低",
        Level::Medium => "中",
        Level::High => "高",
        Level::Critical => "极高",
    }
}

/// One line of evidence: no line breaks, at most 40 characters.
fn quote(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = one_line.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// The case summary of `report`, with tactic names from `analyzer` (tactic ids where the
/// analyzer does not know a tactic).
///
/// ```
/// use huashu::render::case_summary;
/// use huashu::transcript::{Segment, Transcript};
/// let a = huashu::Analyzer::default_ref();
/// let t = Transcript {
///     id: "room".into(),
///     segments: vec![
///         Segment::timed("以后不想要了拿回来，我们原价回收。", 61_000, 65_000),
///         Segment::timed("想要的加我薇信私聊。", 65_000, 68_000),
///     ],
///     ..Transcript::default()
/// };
/// let report = a.analyze_transcript(&t);
/// let s = case_summary(a, &report);
/// assert!(s.zh.contains("高价回收/回购承诺") && s.zh.contains("00:01:01"));
/// assert!(s.en.contains("Laws cited"));
/// assert_eq!(s, case_summary(a, &report), "deterministic");
/// ```
pub fn case_summary(analyzer: &Analyzer, report: &Report) -> CaseSummary {
    let names = |id: &str| {
        analyzer.tactic(id).map_or_else(
            || (id.to_string(), id.to_string()),
            |t| (t.name_zh.clone(), t.name_en.clone()),
        )
    };
    let scoring: Vec<&Finding> = report.scoring_findings().collect();
    let neutralized = report.findings.len() - scoring.len();
    let mut zh = Vec::new();
    let mut en = Vec::new();

    if scoring.is_empty() {
        zh.push(format!(
            "风险评分 {:.2}，等级{}（{}）：未发现计分证据。",
            report.score,
            level_zh(report.level),
            report.level
        ));
        en.push(format!(
            "Risk score {:.2} ({}): no scoring evidence was found.",
            report.score, report.level
        ));
    } else {
        // 1. Score, level, tactics.
        let list_zh: Vec<String> = report
            .tactics
            .iter()
            .map(|t| format!("{}（{}处）", names(&t.tactic).0, t.findings))
            .collect();
        let list_en: Vec<String> = report
            .tactics
            .iter()
            .map(|t| format!("{} ({})", names(&t.tactic).1, t.findings))
            .collect();
        zh.push(format!(
            "风险评分 {:.2}，等级{}（{}）：计分证据 {} 处，涉及 {} 类话术：{}。",
            report.score,
            level_zh(report.level),
            report.level,
            scoring.len(),
            report.tactics.len(),
            list_zh.join("、")
        ));
        en.push(format!(
            "Risk score {:.2} ({}) from {} scoring finding(s) of {} tactic(s): {}.",
            report.score,
            report.level,
            scoring.len(),
            report.tactics.len(),
            list_en.join(", ")
        ));

        // 2. When.
        let timed: Vec<(u64, u64)> = scoring
            .iter()
            .filter_map(|f| f.start_ms.map(|s| (s, f.end_ms.unwrap_or(s))))
            .collect();
        if let (Some(first), Some(last)) = (
            timed.iter().map(|t| t.0).min(),
            timed.iter().map(|t| t.1).max(),
        ) {
            zh.push(format!(
                "证据出现在直播的 {} 至 {} 之间。",
                clock(first),
                clock(last)
            ));
            en.push(format!(
                "The evidence lies between {} and {} of the stream.",
                clock(first),
                clock(last)
            ));
        } else if let (Some(first), Some(last)) = (
            scoring.iter().map(|f| f.char_start).min(),
            scoring.iter().map(|f| f.char_end).max(),
        ) {
            zh.push(format!(
                "证据位于文本第 {first} 至 {last} 字之间（无时间戳）。"
            ));
            en.push(format!(
                "The evidence lies between characters {first} and {last} of the text (no timestamps)."
            ));
        }

        // 3. The strongest evidence of each tactic, strongest tactic first.
        let mut best: BTreeMap<&str, &Finding> = BTreeMap::new();
        for f in &scoring {
            let e = best.entry(f.tactic.as_str()).or_insert(f);
            if f.contribution > e.contribution {
                *e = f;
            }
        }
        let mut best: Vec<&Finding> = best.into_values().collect();
        best.sort_by(|a, b| {
            b.contribution
                .total_cmp(&a.contribution)
                .then(a.start.cmp(&b.start))
                .then(a.tactic.cmp(&b.tactic))
        });
        let quoted_zh: Vec<String> = best
            .iter()
            .take(QUOTED)
            .map(|f| {
                format!(
                    "{}「{}」（{}，规则 {}）",
                    when(f).0,
                    quote(&f.matched),
                    names(&f.tactic).0,
                    f.rule
                )
            })
            .collect();
        let quoted_en: Vec<String> = best
            .iter()
            .take(QUOTED)
            .map(|f| {
                format!(
                    "{} «{}» ({}, rule {})",
                    when(f).1,
                    quote(&f.matched),
                    names(&f.tactic).1,
                    f.rule
                )
            })
            .collect();
        zh.push(format!("主要证据：{}。", quoted_zh.join("；")));
        en.push(format!("Strongest evidence: {}.", quoted_en.join("; ")));

        // 4. Combinations.
        if !report.combos.is_empty() {
            let c_zh: Vec<String> = report
                .combos
                .iter()
                .map(|c| {
                    let t: Vec<String> = c.tactics.iter().map(|t| names(t).0).collect();
                    format!("{}（{}，+{:.2}）", t.join(" + "), c.id, c.bonus)
                })
                .collect();
            let c_en: Vec<String> = report
                .combos
                .iter()
                .map(|c| {
                    let t: Vec<String> = c.tactics.iter().map(|t| names(t).1).collect();
                    format!("{} ({}, +{:.2})", t.join(" + "), c.id, c.bonus)
                })
                .collect();
            zh.push(format!("以下话术组合提高了风险：{}。", c_zh.join("；")));
            en.push(format!(
                "Combinations that raised the risk: {}.",
                c_en.join("; ")
            ));
        }

        // 5. Laws.
        let mut laws: Vec<&str> = Vec::new();
        for f in &scoring {
            for l in &f.legal_basis {
                let c = citation(l);
                if !c.is_empty() && !laws.contains(&c) {
                    laws.push(c);
                }
            }
        }
        // (sorted, so that the articles of one law stand together)
        laws.sort_unstable();
        if !laws.is_empty() {
            zh.push(format!("涉嫌违反：{}。", laws.join("；")));
            en.push(format!("Laws cited: {}.", laws.join("; ")));
        }
    }

    // 6. Cap and neutralized evidence.
    if let Some(cap) = report.capped {
        zh.push(format!("等级被限制为{}（{}）。", level_zh(cap), cap));
        en.push(format!("The level was capped at {cap}."));
    }
    if neutralized > 0 {
        zh.push(format!(
            "另有 {neutralized} 处证据因否定、警示、转述或白名单被中和，不计分。"
        ));
        en.push(format!(
            "{neutralized} further finding(s) were neutralized (negation, warning, reported speech or allow list) and score nothing."
        ));
    }
    CaseSummary {
        zh: zh.concat(),
        en: en.join(" "),
    }
}
