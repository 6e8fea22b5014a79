//! The TOML shapes of the lexicon files, as written by people. `super` validates them and turns
//! them into the compiled model.

use serde::Deserialize;
use toml::Spanned;

use crate::report::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TacticFile {
    pub tactic: Spanned<TacticHeader>,
    #[serde(default)]
    pub terms: Vec<Spanned<TermsRule>>,
    #[serde(default)]
    pub cooccur: Vec<Spanned<CooccurRule>>,
    #[serde(default)]
    pub pattern: Vec<Spanned<PatternRule>>,
    #[serde(default)]
    pub allow: Vec<Spanned<AllowRule>>,
    #[serde(default)]
    pub price: Option<Spanned<PriceRule>>,
    #[serde(default)]
    pub pii: Vec<Spanned<PiiRule>>,
    #[serde(default)]
    pub frame: Vec<Spanned<FrameRule>>,
}

/// A file of word classes (`lexicons/classes/*.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassFile {
    #[serde(default)]
    pub class: Vec<Spanned<ClassRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassRule {
    pub id: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub members: Vec<Spanned<String>>,
}

/// Ordered slots within one clause: claim verb × condition, request × personal-data field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrameRule {
    pub rule: Spanned<String>,
    pub weight: Spanned<f64>,
    pub slots: Spanned<Vec<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub max_gap: Option<Spanned<i64>>,
    #[serde(default)]
    pub unless_before: Vec<Spanned<String>>,
    #[serde(default)]
    pub negatable: Option<bool>,
    #[serde(default)]
    pub severity: Option<Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TacticHeader {
    pub id: Spanned<String>,
    pub name_zh: String,
    pub name_en: String,
    pub description: String,
    pub weight: Spanned<f64>,
    pub legal_basis: Spanned<Vec<String>>,
    #[serde(default)]
    pub alone_max_level: Option<Spanned<String>>,
    /// The default severity of the tactic's rules (a rule's own `severity` wins).
    #[serde(default)]
    pub severity: Severity,
    #[serde(default)]
    pub color: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermsRule {
    pub rule: Spanned<String>,
    pub weight: Spanned<f64>,
    pub terms: Vec<Spanned<String>>,
    #[serde(default)]
    pub boundary: Option<Spanned<String>>,
    #[serde(default)]
    pub negatable: Option<bool>,
    #[serde(default)]
    pub pinyin: Option<bool>,
    #[serde(default)]
    pub severity: Option<Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CooccurRule {
    pub rule: Spanned<String>,
    pub weight: Spanned<f64>,
    pub window: Spanned<i64>,
    pub groups: Spanned<Vec<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub negatable: Option<bool>,
    #[serde(default)]
    pub severity: Option<Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PatternRule {
    pub rule: Spanned<String>,
    pub weight: Spanned<f64>,
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub negatable: Option<bool>,
    #[serde(default)]
    pub severity: Option<Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AllowRule {
    pub phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub scope: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PriceRule {
    pub rule: Spanned<String>,
    pub weight: Spanned<f64>,
    pub min_ratio: Spanned<f64>,
    pub reference: Vec<Spanned<String>>,
    pub offer: Vec<Spanned<String>>,
    #[serde(default)]
    pub baseline: Vec<Spanned<String>>,
    #[serde(default)]
    pub window: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PiiRule {
    pub rule: Spanned<String>,
    pub weight: Spanned<f64>,
    pub kind: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContextFile {
    #[serde(default)]
    pub negation: Option<CueSection>,
    #[serde(default)]
    pub warning: Option<CueSection>,
    #[serde(default)]
    pub reported: Option<CueSection>,
    #[serde(default)]
    pub question: Option<CueSection>,
    #[serde(default)]
    pub comment: Option<CueSection>,
    #[serde(default)]
    pub quote: Option<CueSection>,
    #[serde(default)]
    pub turn: Option<CueSection>,
    #[serde(default)]
    pub frame: Option<FrameSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrameSection {
    pub cues: Vec<Spanned<String>>,
    #[serde(default)]
    pub selling: Vec<Spanned<String>>,
    pub min: Spanned<i64>,
    pub strong: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CueSection {
    #[serde(default)]
    pub window: Option<Spanned<i64>>,
    #[serde(default)]
    pub long_window: Option<Spanned<i64>>,
    #[serde(default)]
    pub after: Option<Spanned<i64>>,
    pub cues: Vec<Spanned<String>>,
    #[serde(default)]
    pub exceptions: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VariantsFile {
    #[serde(default)]
    pub chars: Vec<Spanned<CharVariants>>,
    #[serde(default)]
    pub words: Vec<Spanned<WordVariants>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CharVariants {
    pub to: Spanned<String>,
    pub from: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WordVariants {
    pub canonical: Spanned<String>,
    pub variants: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScoringFile {
    pub repeat_decay: Spanned<f64>,
    #[serde(default)]
    pub single_finding_max_level: Option<Spanned<String>>,
    #[serde(default)]
    pub serious_max_level: Option<Spanned<String>>,
    #[serde(default)]
    pub composite_max_level: Option<Spanned<String>>,
    #[serde(default)]
    pub composite_min_weight: Option<Spanned<f64>>,
    pub levels: Spanned<Levels>,
    #[serde(default)]
    pub combo: Vec<Spanned<ComboRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Levels {
    pub low: f64,
    pub medium: f64,
    pub high: f64,
    pub critical: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ComboRule {
    pub id: Spanned<String>,
    pub tactics: Vec<Spanned<String>>,
    pub bonus: Spanned<f64>,
    #[serde(default)]
    pub description: Option<String>,
}
