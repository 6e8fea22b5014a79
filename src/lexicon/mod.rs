//! Lexicons: the tactic taxonomy, the rule model, and the loader that validates lexicon files
//! and reports every problem with its file, line and reason.
//!
//! The file format is documented in `lexicons/README.md`.

mod file;
mod forms;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use regex_automata::meta;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::report::{Level, Severity};

pub use forms::FormKind;
pub(crate) use forms::{Form, Pinyin, expand_forms};

include!(concat!(env!("OUT_DIR"), "/embedded_lexicons.rs"));

/// The tactic ids huashu knows. They are a contract: reports, indexes and other tools read them.
pub const TACTIC_IDS: [&str; 13] = [
    "buyback_promise",
    "price_anchoring",
    "value_inflation",
    "false_scarcity",
    "counterfeit",
    "false_provenance",
    "health_claim",
    "off_platform",
    "guaranteed_return",
    "absolute_claim",
    "fake_endorsement",
    "deceptive_narrative",
    "personal_info",
];

/// A tactic as its lexicon describes it: names, legal basis and base weight.
///
/// ```
/// let analyzer = huashu::Analyzer::default_ref();
/// let t = analyzer.tactic("buyback_promise").unwrap();
/// assert_eq!(t.name_zh, "高价回收/回购承诺");
/// assert!(!t.legal_basis.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tactic {
    /// The contract id, one of [`TACTIC_IDS`].
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// What the tactic is, in a sentence or two.
    pub description: String,
    /// The laws and rules it breaks.
    pub legal_basis: Vec<String>,
    /// Base weight in (0, 1]; a finding weighs this times its entry's weight.
    pub weight: f64,
    /// With only this tactic present, a report stays at or below this level.
    pub alone_max_level: Option<Level>,
    /// A colour for reports (`#rrggbb`).
    pub color: String,
}

/// When a term must fall on word boundaries of jieba's segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// Terms of at most three characters.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub(crate) struct TermsDef {
    pub terms: Vec<String>,
    pub boundary: Boundary,
    pub pinyin: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct CooccurDef {
    pub window: usize,
    pub groups: Vec<Vec<String>>,
}

/// Ordered slots within one clause (see `rules::frame`).
#[derive(Debug, Clone)]
pub(crate) struct FrameRuleDef {
    pub slots: Vec<Vec<String>>,
    /// Characters allowed between consecutive slots.
    pub max_gap: usize,
    /// Phrases that, right before the first slot, make the match no evidence (`有助于`).
    pub unless_before: Vec<String>,
    /// The interned term set of each slot, then of `unless_before` (see `SlotSets`): frames
    /// that share a slot's terms (`{use_verb}`) share its hits.
    pub sets: Vec<u32>,
}

/// The distinct term lists of every frame slot and guard, numbered: the automaton reports a
/// hit once per set, however many frames use it.
#[derive(Debug, Clone, Default)]
pub(crate) struct SlotSets {
    pub sets: Vec<Vec<String>>,
}

impl SlotSets {
    /// Numbers every frame's slot and guard term lists across `tactics`.
    fn intern(tactics: &mut [TacticDef]) -> SlotSets {
        let mut index: HashMap<Vec<String>, u32> = HashMap::new();
        let mut out = SlotSets::default();
        for rule in tactics.iter_mut().flat_map(|t| t.rules.iter_mut()) {
            let RuleKind::Frame(def) = &mut rule.kind else {
                continue;
            };
            let lists = def.slots.iter().chain(std::iter::once(&def.unless_before));
            let mut ids = Vec::with_capacity(def.slots.len() + 1);
            for list in lists {
                let id = *index.entry(list.clone()).or_insert_with(|| {
                    out.sets.push(list.clone());
                    (out.sets.len() - 1) as u32
                });
                ids.push(id);
            }
            def.sets = ids;
        }
        out
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PriceDef {
    pub min_ratio: f64,
    pub window: usize,
    pub reference: Vec<String>,
    pub offer: Vec<String>,
    pub baseline: Vec<String>,
}

/// Personal numbers recognised by their structure and check digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PiiKind {
    Mobile,
    IdCard,
    BankCard,
}

#[derive(Debug, Clone)]
pub(crate) enum RuleKind {
    Terms(TermsDef),
    Cooccur(CooccurDef),
    /// The patterns as written; they are compiled per tactic into [`TacticDef::patterns`].
    Pattern(Vec<String>),
    Price(PriceDef),
    Pii(PiiKind),
    Frame(FrameRuleDef),
}

#[derive(Debug, Clone)]
pub(crate) struct RuleDef {
    pub id: String,
    /// Entry weight in (0, 1].
    pub weight: f64,
    pub negatable: bool,
    pub severity: Severity,
    pub kind: RuleKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AllowScope {
    Overlap,
    Sentence,
}

#[derive(Debug, Clone)]
pub(crate) struct AllowDef {
    pub phrases: Vec<String>,
    pub scope: AllowScope,
}

#[derive(Debug, Clone)]
pub(crate) struct TacticDef {
    pub info: Tactic,
    pub rules: Vec<RuleDef>,
    pub allow: Vec<AllowDef>,
    /// The tactic's patterns that have literal or number anchors, in one multi-pattern regex
    /// searched anchored where a match can start; its pattern `i` is `anchored_ids[i]` of
    /// `pattern_sources` (and `pattern_rules[anchored_ids[i]]` its rule).
    pub patterns: Option<MultiRegex>,
    /// The patterns without a finite set of prefixes (`\p{Han}{1,6}…`), in their own, small
    /// regex searched over the whole text; its pattern `i` is `anchors.scan_only[i]`.
    pub scan_patterns: Option<MultiRegex>,
    pub anchored_ids: Vec<usize>,
    /// The expanded patterns `patterns` is compiled from.
    pub pattern_sources: Vec<String>,
    pub pattern_rules: Vec<usize>,
    /// Where a pattern match can start, so the regex runs anchored there instead of over the
    /// whole text.
    pub anchors: Anchors,
}

/// What can follow an anchor's literal prefix in a match: `None` when anything can (some
/// pattern's prefix ends there, or what follows is not a small set); else the characters, sorted,
/// with [`Anchors::NUMBER`] standing for any numeral (`这{num}…`). A match can start at an
/// anchor only when the next character is allowed: `今天` anchors `今天(就|只)…` only before
/// 就 or 只.
pub(crate) type Next = Option<Vec<char>>;

/// Whether `next` allows the character `c` (`None`: the end of the text) after an anchor.
pub(crate) fn next_allows(next: &Next, c: Option<char>) -> bool {
    let Some(set) = next else {
        return true;
    };
    c.is_some_and(|c| {
        set.binary_search(&c).is_ok()
            || (crate::numeral::in_run(c) && set.binary_search(&Anchors::NUMBER).is_ok())
    })
}

/// Where the matches of a tactic's patterns can start.
#[derive(Debug, Clone, Default)]
pub(crate) struct Anchors {
    /// Literal prefixes of the patterns (at most two characters), the automaton finds them;
    /// with what can come right after the prefix in a match.
    pub literals: Vec<(String, Next)>,
    /// Some pattern starts with a number (`{num}倍…`): numbers are anchors too.
    pub numbers: bool,
    /// The characters that can follow such a leading number (`倍` in `{num}倍…`), sorted;
    /// `None` when some pattern's continuation is not known (`{num}` ends its literal prefix),
    /// so that every number is an anchor. Lets the search skip numbers that no pattern could
    /// continue (`一下`, `十分`).
    pub number_next: Option<Vec<char>>,
    /// The patterns (by index) with no finite set of prefixes: searched over the whole text.
    pub scan_only: Vec<usize>,
}

impl Anchors {
    /// Stands for `{num}` in a pattern while its prefixes are extracted, and for "a numeral" in
    /// a [`Next`] set (a private-use character, never in normalized text).
    pub(crate) const NUMBER: char = '\u{E000}';

    /// The anchors of `patterns` (as written): literal prefixes, with `{num}` standing for
    /// any number (a prefix that starts with a number makes numbers anchors).
    fn of(patterns: &[String]) -> Anchors {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        const NUMBER: char = Anchors::NUMBER;
        let mut out = Anchors::default();
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        let mut next: Option<Vec<char>> = Some(Vec::new());
        for (n, src) in patterns.iter().enumerate() {
            let marked = src.replace("{num}", &NUMBER.to_string());
            let Ok(hir) = regex_syntax::Parser::new().parse(&marked) else {
                out.scan_only.push(n);
                continue;
            };
            // Class alternations (`{price_venue}…`) hold hundreds of prefixes: allow them, they
            // are cut to two characters and deduplicated below.
            let seq = Extractor::new()
                .kind(ExtractKind::Prefix)
                .limit_total(4096)
                .limit_class(64)
                .extract(&hir);
            let Some(lits) = seq.literals().filter(|l| !l.is_empty()) else {
                out.scan_only.push(n);
                continue;
            };
            // A pattern is searched over the whole text when some prefix of it is not a literal
            // (then its literals are no use as anchors).
            let mut prefixes = Vec::new();
            let mut whole_text = false;
            let mut numbers = false;
            for lit in lits {
                // Literals may be cut mid-character: keep the whole characters.
                let bytes = lit.as_bytes();
                let s = match std::str::from_utf8(bytes) {
                    Ok(s) => s,
                    Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
                };
                // Two characters are enough to anchor an anchored search (and keep the
                // automaton small: prefix sets of alternations multiply).
                let whole = s;
                let s = s.split(NUMBER).next().unwrap_or("");
                let s = s.char_indices().nth(2).map_or(s, |(i, _)| &s[..i]);
                let after = whole[s.len()..].chars().next();
                if s.is_empty() {
                    if let Some(after) = whole.strip_prefix(NUMBER) {
                        numbers = true;
                        match (after.chars().next(), next.as_mut()) {
                            (Some(c), Some(set)) => set.push(c),
                            (None, _) => next = None,
                            (_, None) => {}
                        }
                    } else {
                        whole_text = true;
                    }
                } else {
                    prefixes.push((s.to_string(), after));
                }
            }
            if whole_text {
                out.scan_only.push(n);
                continue;
            }
            out.numbers |= numbers;
            if numbers {
                out.number_next = next.clone();
            }
            for (s, after) in prefixes {
                let i = *seen.entry(s.clone()).or_insert_with(|| {
                    out.literals.push((s, Some(Vec::new())));
                    out.literals.len() - 1
                });
                let next = &mut out.literals[i].1;
                match (after, next.as_mut()) {
                    (Some(c), Some(set)) => set.push(c),
                    (None, _) => *next = None,
                    (_, None) => {}
                }
            }
        }
        let sets = out.literals.iter_mut().map(|(_, next)| next);
        for set in sets.chain([&mut out.number_next]).flatten() {
            set.sort_unstable();
            set.dedup();
        }
        out
    }
}

/// A compiled multi-pattern regex (one search reports which pattern matched).
pub(crate) type MultiRegex = regex_automata::meta::Regex;

#[derive(Debug, Clone, Default)]
pub(crate) struct CueDef {
    pub window: usize,
    /// For negation: the window of cues of two or more characters (`不要把…当成`).
    pub long_window: usize,
    pub after: usize,
    pub cues: Vec<String>,
    pub exceptions: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ContextDef {
    pub negation: CueDef,
    pub warning: CueDef,
    pub reported: CueDef,
    pub question: CueDef,
    /// A viewer's comment read out (`我来念一下弹幕`): the rest of its sentence is the viewer's.
    pub comment: CueDef,
    /// Dismissive quoting right before evidence: `什么保本高收益`.
    pub quote: CueDef,
    /// The speaker turning to their own offer (`我们这款`): a warning or reported-speech cue
    /// before it does not reach past it.
    pub turn: CueDef,
    pub frame: FrameDef,
}

/// A document frame: news, consumer education or a scam warning, in which scam phrases are
/// quoted, not used.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameDef {
    pub cues: Vec<String>,
    /// The written entry (a phrase or a class) each cue comes from: distinct entries count.
    pub groups: Vec<u16>,
    pub selling: Vec<String>,
    /// Distinct frame cues that frame a transcript with no selling cue.
    pub min: usize,
    /// Distinct frame cues that frame a transcript even with selling cues.
    pub strong: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct VariantsDef {
    pub chars: Vec<(char, char)>,
    /// (canonical, variants), normalized.
    pub words: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct ComboDef {
    pub id: String,
    pub description: String,
    pub tactics: Vec<String>,
    pub bonus: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct ScoringDef {
    pub repeat_decay: f64,
    /// A report resting on one finding stays at or below this level.
    pub single_finding_max_level: Option<Level>,
    /// A report resting on one *serious* finding stays at or below this level (instead of
    /// `single_finding_max_level`).
    pub serious_max_level: Option<Level>,
    /// A report resting on one *composite* finding (a frame or co-occurrence: two or more parts
    /// in one clause) of weight at least `composite_min_weight` stays at or below this level.
    pub composite_max_level: Option<Level>,
    pub composite_min_weight: f64,
    /// Thresholds for low, medium, high, critical.
    pub levels: [f64; 4],
    pub combos: Vec<ComboDef>,
}

impl Default for ScoringDef {
    fn default() -> Self {
        ScoringDef {
            repeat_decay: 0.5,
            single_finding_max_level: None,
            serious_max_level: None,
            composite_max_level: None,
            composite_min_weight: 1.0,
            levels: [0.15, 0.35, 0.6, 0.85],
            combos: Vec::new(),
        }
    }
}

/// Which kind of lexicon a source holds, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceKind {
    Tactic,
    Context,
    Variants,
    Scoring,
    /// Word classes (`classes/*.toml`): named vocabularies used as `{id}` in other lexicons.
    Classes,
}

/// One lexicon file's text and name.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub name: String,
    pub text: Cow<'static, str>,
    pub kind: SourceKind,
    pub embedded: bool,
}

impl Source {
    fn kind_of(name: &str) -> SourceKind {
        let path = Path::new(name);
        let in_classes = path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|d| d == "classes");
        if in_classes {
            return SourceKind::Classes;
        }
        let stem = Path::new(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        match stem {
            "context" => SourceKind::Context,
            "variants" => SourceKind::Variants,
            "scoring" => SourceKind::Scoring,
            _ => SourceKind::Tactic,
        }
    }

    /// The lexicons compiled into the crate.
    pub(crate) fn embedded() -> Vec<Source> {
        EMBEDDED
            .iter()
            .map(|(name, text)| Source {
                name: format!("embedded:{name}"),
                text: Cow::Borrowed(text),
                kind: Source::kind_of(name),
                embedded: true,
            })
            .collect()
    }

    /// A lexicon held in memory; `name` decides its kind (`context.toml`, `variants.toml`,
    /// `scoring.toml`, `classes/NAME.toml`, anything else is a tactic).
    pub(crate) fn in_memory(name: &str, text: String) -> Source {
        Source {
            name: name.to_string(),
            kind: Source::kind_of(name),
            text: Cow::Owned(text),
            embedded: false,
        }
    }

    /// A lexicon file, or every `*.toml` file under a directory.
    pub(crate) fn from_path(path: &Path) -> Result<Vec<Source>> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        let mut files = Vec::new();
        if meta.is_dir() {
            collect_toml(path, &mut files)?;
            files.sort();
            if files.is_empty() {
                return Err(Error::lexicon(
                    &path.display().to_string(),
                    None,
                    "the directory holds no .toml lexicon files",
                ));
            }
        } else {
            files.push(path.to_path_buf());
        }
        files
            .into_iter()
            .map(|file| {
                let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                    path: file.clone(),
                    source,
                })?;
                let name = file.display().to_string();
                Ok(Source {
                    kind: Source::kind_of(&name),
                    name,
                    text: Cow::Owned(text),
                    embedded: false,
                })
            })
            .collect()
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Every lexicon an analyzer uses, validated and normalized.
#[derive(Debug, Clone)]
pub(crate) struct LexiconSet {
    pub tactics: Vec<TacticDef>,
    /// Frame slots' term lists, shared between frames.
    pub slot_sets: SlotSets,
    pub context: ContextDef,
    pub variants: VariantsDef,
    pub scoring: ScoringDef,
    pub fingerprint: String,
}

/// A parse context: the source's name and text, for turning byte spans into lines.
struct Ctx<'a> {
    name: &'a str,
    text: &'a str,
    classes: &'a Classes,
}

/// Word classes by id: their members as written (each is normalized where it is used).
pub(crate) type Classes = HashMap<String, Vec<String>>;

/// The most strings one entry with classes may expand to.
const MAX_EXPANSION: usize = 50_000;

/// Expands every `{class}` in `raw` into the class's members (every combination for several
/// classes). `Ok(None)` when `raw` names no class; `{num}` is left to patterns.
fn expand_classes(
    raw: &str,
    classes: &Classes,
) -> std::result::Result<Option<Vec<String>>, String> {
    let Some(open) = find_class_ref(raw) else {
        return Ok(None);
    };
    let (at, id) = open;
    let members = classes.get(id).ok_or_else(|| {
        format!("unknown word class `{{{id}}}` (no class with this id is loaded)")
    })?;
    let rest = &raw[at + id.len() + 2..];
    let tails = expand_classes(rest, classes)?.unwrap_or_else(|| vec![rest.to_string()]);
    if members.len().saturating_mul(tails.len()) > MAX_EXPANSION {
        return Err(format!(
            "`{raw}` expands to more than {MAX_EXPANSION} strings: split it or use a frame"
        ));
    }
    let head = &raw[..at];
    let mut out = Vec::with_capacity(members.len() * tails.len());
    for m in members {
        for t in &tails {
            out.push(format!("{head}{m}{t}"));
        }
    }
    Ok(Some(out))
}

/// The first `{id}` class reference in `s` (byte offset of `{`, id); `{num}` is not a class.
fn find_class_ref(s: &str) -> Option<(usize, &str)> {
    let mut from = 0;
    while let Some(i) = s[from..].find('{').map(|i| i + from) {
        let close = s[i + 1..].find('}').map(|j| i + 1 + j)?;
        let id = &s[i + 1..close];
        let is_id = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
            && !id.bytes().all(|b| b.is_ascii_digit() || b == b',')
            && id != "num";
        if is_id {
            return Some((i, id));
        }
        from = i + 1;
    }
    None
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn err<T>(&self, span: std::ops::Range<usize>, reason: impl Into<String>) -> Result<T> {
        Err(Error::lexicon(
            self.name,
            Some(self.line(span.start)),
            reason,
        ))
    }

    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        toml::from_str(self.text).map_err(|e| {
            let line = e.span().map(|s| self.line(s.start));
            Error::lexicon(self.name, line, e.message().trim().to_string())
        })
    }

    fn weight(&self, w: &Spanned<f64>, what: &str) -> Result<f64> {
        let v = *w.get_ref();
        if !(v > 0.0 && v <= 1.0) {
            return self.err(w.span(), format!("{what} {v} is out of range (0, 1]"));
        }
        Ok(v)
    }

    fn window(&self, w: &Spanned<i64>, what: &str) -> Result<usize> {
        let v = *w.get_ref();
        if v <= 0 {
            return self.err(w.span(), format!("{what} must be greater than 0, not {v}"));
        }
        if v > 10_000 {
            return self.err(
                w.span(),
                format!("{what} {v} is larger than 10000 characters"),
            );
        }
        Ok(v as usize)
    }

    fn rule_id(&self, id: &Spanned<String>, seen: &mut HashMap<String, usize>) -> Result<String> {
        let s = id.get_ref();
        if s.is_empty()
            || !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return self.err(
                id.span(),
                format!("rule id `{s}` must be non-empty [a-z0-9_]"),
            );
        }
        let line = self.line(id.span().start);
        if let Some(prev) = seen.insert(s.clone(), line) {
            return self.err(
                id.span(),
                format!("duplicate rule id `{s}` (first used on line {prev})"),
            );
        }
        Ok(s.clone())
    }

    /// Normalizes a list of terms, expanding word classes (`治{disease}`), rejecting empty and
    /// duplicate ones (the strings a class expands to may repeat other entries: they are kept
    /// once).
    fn terms(
        &self,
        norm: &Normalizer,
        terms: &[Spanned<String>],
        what: &str,
    ) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::with_capacity(terms.len());
        let mut seen: HashMap<String, (String, bool)> = HashMap::new();
        for t in terms {
            let raw = t.get_ref();
            if raw.trim().is_empty() {
                return self.err(t.span(), format!("empty {what}"));
            }
            let expanded = expand_classes(raw, self.classes).or_else(|e| self.err(t.span(), e))?;
            let from_class = expanded.is_some();
            for one in expanded.unwrap_or_else(|| vec![raw.clone()]) {
                let n = norm.normalize(&one).text().to_string();
                if n.is_empty() {
                    if from_class {
                        continue;
                    }
                    return self.err(
                        t.span(),
                        format!("{what} `{raw}` is empty after normalization"),
                    );
                }
                match seen.get(&n) {
                    Some((prev, prev_class)) => {
                        if !(from_class || *prev_class) {
                            return self.err(
                                t.span(),
                                format!(
                                    "duplicate {what} `{raw}` (same as `{prev}` after normalization)"
                                ),
                            );
                        }
                    }
                    None => {
                        seen.insert(n.clone(), (raw.clone(), from_class));
                        out.push(n);
                    }
                }
            }
        }
        if out.is_empty() {
            return Err(Error::lexicon(
                self.name,
                None,
                format!("a rule has no {what}s"),
            ));
        }
        Ok(out)
    }
}

/// Replaces every `{class}` in a pattern with an alternation of its members, normalized and
/// escaped (longest first, so the leftmost-first regex prefers the longer member).
fn class_alternations(
    pattern: &str,
    classes: &Classes,
    norm: &Normalizer,
) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some((at, id)) = find_class_ref(rest) {
        let members = classes
            .get(id)
            .ok_or_else(|| format!("unknown word class `{{{id}}}`"))?;
        let mut alts: Vec<String> = members
            .iter()
            .map(|m| regex_syntax::escape(norm.normalize(m).text()))
            .filter(|m| !m.is_empty())
            .collect();
        alts.sort_by_key(|a| std::cmp::Reverse(a.chars().count()));
        alts.dedup();
        out.push_str(&rest[..at]);
        out.push_str("(?:");
        out.push_str(&alts.join("|"));
        out.push(')');
        rest = &rest[at + id.len() + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Expands `{num}` in a pattern.
const NUM: &str = r"(?:[0-9]+(?:\.[0-9]+)?[万千百wk]?|[零〇一二两三四五六七八九十百千万亿几幺壹贰叁肆伍陆柒捌玖拾佰仟]+)";

/// Compiles each tactic's patterns into one multi-pattern regex (`None` without patterns).
pub(crate) fn compile_patterns(sources: &[Vec<String>]) -> Result<Vec<Option<MultiRegex>>> {
    sources
        .iter()
        .map(|p| {
            if p.is_empty() {
                return Ok(None);
            }
            meta::Regex::new_many(p)
                .map(Some)
                .map_err(|e| Error::Build(format!("the patterns cannot be compiled: {e}")))
        })
        .collect()
}

impl LexiconSet {
    /// Loads the embedded lexicons (when `defaults`) and then `extra`, which add to them
    /// (context cues, variants) or replace them (a tactic with the same id, scoring).
    pub(crate) fn load(defaults: bool, extra: Vec<Source>) -> Result<(LexiconSet, Normalizer)> {
        let mut sources = if defaults {
            Source::embedded()
        } else {
            Vec::new()
        };
        sources.extend(extra);

        // Variants first: their look-alike characters are part of normalization.
        let mut variants = VariantsDef::default();
        let mut raw_words = Vec::new();
        let no_classes = Classes::new();
        for s in sources.iter().filter(|s| s.kind == SourceKind::Variants) {
            let ctx = Ctx {
                name: &s.name,
                text: &s.text,
                classes: &no_classes,
            };
            let file: file::VariantsFile = ctx.parse()?;
            for cv in &file.chars {
                let cv = cv.get_ref();
                let to = single_char(&ctx, &cv.to)?;
                for f in &cv.from {
                    variants.chars.push((single_char(&ctx, f)?, to));
                }
            }
            for w in file.words {
                raw_words.push((s.name.clone(), s.text.clone(), w));
            }
        }
        let normalizer = Normalizer::new(&variants.chars);
        for (name, text, w) in &raw_words {
            let ctx = Ctx {
                name,
                text,
                classes: &no_classes,
            };
            let w = w.get_ref();
            let canonical = ctx.terms(
                &normalizer,
                std::slice::from_ref(&w.canonical),
                "canonical word",
            )?;
            let vs = ctx.terms(&normalizer, &w.variants, "variant")?;
            variants.words.push((canonical[0].clone(), vs));
        }

        // Word classes next: every other lexicon may use them.
        let mut used: Vec<&Source> = Vec::new();
        let mut classes = Classes::new();
        let mut class_origin: HashMap<String, (String, bool)> = HashMap::new();
        for s in sources.iter().filter(|s| s.kind == SourceKind::Classes) {
            let ctx = Ctx {
                name: &s.name,
                text: &s.text,
                classes: &no_classes,
            };
            for (id, members) in load_classes(&ctx, &normalizer)? {
                match class_origin.get(&id) {
                    Some((other, false)) => {
                        return Err(Error::lexicon(
                            &s.name,
                            None,
                            format!("duplicate word class `{id}` (also defined in {other})"),
                        ));
                    }
                    _ => {
                        class_origin.insert(id.clone(), (s.name.clone(), s.embedded));
                        classes.insert(id, members);
                    }
                }
            }
            used.push(s);
        }

        let mut context = ContextDef::default();
        let mut scoring = None;
        let mut tactics: Vec<(TacticDef, String, bool)> = Vec::new();
        for s in &sources {
            let ctx = Ctx {
                name: &s.name,
                text: &s.text,
                classes: &classes,
            };
            match s.kind {
                SourceKind::Variants | SourceKind::Classes => used.push(s),
                SourceKind::Context => {
                    load_context(&ctx, &normalizer, &mut context)?;
                    used.push(s);
                }
                SourceKind::Scoring => {
                    scoring = Some((load_scoring(&ctx)?, s));
                }
                SourceKind::Tactic => {
                    let def = load_tactic(&ctx, &normalizer)?;
                    match tactics
                        .iter_mut()
                        .find(|(t, _, _)| t.info.id == def.info.id)
                    {
                        Some(slot) if slot.2 => *slot = (def, s.name.clone(), s.embedded),
                        Some(slot) => {
                            return Err(Error::lexicon(
                                &s.name,
                                None,
                                format!(
                                    "duplicate tactic id `{}` (also defined in {})",
                                    def.info.id, slot.1
                                ),
                            ));
                        }
                        None => tactics.push((def, s.name.clone(), s.embedded)),
                    }
                }
            }
        }
        let scoring = match scoring {
            Some((scoring, s)) => {
                used.push(s);
                scoring
            }
            None => ScoringDef::default(),
        };
        used.extend(
            tactics
                .iter()
                .filter_map(|(_, name, _)| sources.iter().find(|s| &s.name == name)),
        );
        tactics.sort_by_key(|(t, _, _)| TACTIC_IDS.iter().position(|id| *id == t.info.id));

        let mut hasher = Sha256::new();
        let mut named: Vec<(String, &str)> = used
            .iter()
            .map(|s| {
                (
                    s.name.trim_start_matches("embedded:").to_string(),
                    s.text.as_ref(),
                )
            })
            .collect();
        named.sort();
        for (name, text) in named {
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        let fingerprint = format!("sha256:{}", crate::record::hex(&hasher.finalize()));

        let mut defs: Vec<TacticDef> = tactics.into_iter().map(|(t, _, _)| t).collect();
        let slot_sets = SlotSets::intern(&mut defs);
        Ok((
            LexiconSet {
                slot_sets,
                tactics: defs,
                context,
                variants,
                scoring,
                fingerprint,
            },
            normalizer,
        ))
    }
}

/// The classes of one classes file: ids checked, members non-empty, unique and free of `{`.
fn load_classes(ctx: &Ctx<'_>, norm: &Normalizer) -> Result<Vec<(String, Vec<String>)>> {
    let file: file::ClassFile = ctx.parse()?;
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for c in &file.class {
        let c = c.get_ref();
        let id = ctx.rule_id(&c.id, &mut seen)?;
        if id == "num" {
            return ctx.err(c.id.span(), "`num` is reserved for numbers in patterns");
        }
        if c.description.trim().is_empty() {
            return ctx.err(
                c.id.span(),
                format!("class `{id}` needs a description (what belongs in it)"),
            );
        }
        if let Some(m) = c.members.iter().find(|m| m.get_ref().contains(['{', '}'])) {
            return ctx.err(
                m.span(),
                format!(
                    "class member `{}` may not contain `{{` or `}}`",
                    m.get_ref()
                ),
            );
        }
        // Checked like terms (empty, duplicates after normalization); kept as written.
        ctx.terms(norm, &c.members, "class member")?;
        out.push((id, c.members.iter().map(|m| m.get_ref().clone()).collect()));
    }
    Ok(out)
}

fn single_char(ctx: &Ctx<'_>, s: &Spanned<String>) -> Result<char> {
    let mut chars = s.get_ref().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => ctx.err(
            s.span(),
            format!("`{}` must be exactly one character", s.get_ref()),
        ),
    }
}

fn load_context(ctx: &Ctx<'_>, norm: &Normalizer, out: &mut ContextDef) -> Result<()> {
    let file: file::ContextFile = ctx.parse()?;
    if let Some(frame) = &file.frame {
        // A written entry is one cue however many phrases it expands to: the members of
        // `{victim_outcome}` (卷款, 跑路) in one stretch of text are one piece of the frame.
        let cues = ctx.terms(norm, &frame.cues, "frame cue")?;
        let base = out.frame.groups.iter().max().map_or(0, |&g| g + 1);
        let mut entry_of: HashMap<String, u16> = HashMap::new();
        for (k, entry) in frame.cues.iter().enumerate() {
            let Some(group) = u16::try_from(k).ok().and_then(|k| base.checked_add(k)) else {
                return ctx.err(entry.span(), "too many frame cues (at most 65,535 entries)");
            };
            for one in ctx.terms(norm, std::slice::from_ref(entry), "frame cue")? {
                entry_of.entry(one).or_insert(group);
            }
        }
        for cue in cues {
            out.frame
                .groups
                .push(entry_of.get(&cue).copied().unwrap_or(base));
            out.frame.cues.push(cue);
        }
        if !frame.selling.is_empty() {
            out.frame
                .selling
                .extend(ctx.terms(norm, &frame.selling, "selling cue")?);
        }
        out.frame.min = ctx.window(&frame.min, "min")?;
        out.frame.strong = ctx.window(&frame.strong, "strong")?;
    }
    let sections = [
        (file.negation, &mut out.negation, 3usize, 0usize),
        (file.warning, &mut out.warning, 24, 16),
        (file.reported, &mut out.reported, 24, 8),
        (file.question, &mut out.question, 20, 0),
        (file.comment, &mut out.comment, 24, 0),
        (file.quote, &mut out.quote, 2, 0),
        (file.turn, &mut out.turn, 0, 0),
    ];
    for (section, def, window, after) in sections {
        let Some(section) = section else { continue };
        def.window = match &section.window {
            Some(w) => ctx.window(w, "window")?,
            None if def.window == 0 => window,
            None => def.window,
        };
        def.long_window = match &section.long_window {
            Some(w) => ctx.window(w, "long_window")?,
            None if def.long_window == 0 => def.window,
            None => def.long_window,
        };
        def.after = match &section.after {
            Some(w) => ctx.window(w, "after")?,
            None if def.after == 0 => after,
            None => def.after,
        };
        def.cues.extend(ctx.terms(norm, &section.cues, "cue")?);
        if !section.exceptions.is_empty() {
            def.exceptions
                .extend(ctx.terms(norm, &section.exceptions, "exception")?);
        }
    }
    Ok(())
}

fn load_scoring(ctx: &Ctx<'_>) -> Result<ScoringDef> {
    let file: file::ScoringFile = ctx.parse()?;
    let decay = *file.repeat_decay.get_ref();
    if !(0.0..=1.0).contains(&decay) {
        return ctx.err(
            file.repeat_decay.span(),
            format!("repeat_decay {decay} is out of range [0, 1]"),
        );
    }
    let l = file.levels.get_ref();
    let levels = [l.low, l.medium, l.high, l.critical];
    if !levels.windows(2).all(|w| w[0] < w[1]) || levels[0] <= 0.0 || levels[3] > 1.0 {
        return ctx.err(
            file.levels.span(),
            "levels must rise strictly: 0 < low < medium < high < critical <= 1",
        );
    }
    let mut combos = Vec::new();
    let mut seen = HashMap::new();
    for c in &file.combo {
        let c = c.get_ref();
        let id = ctx.rule_id(&c.id, &mut seen)?;
        let mut tactics = Vec::new();
        for t in &c.tactics {
            if !TACTIC_IDS.contains(&t.get_ref().as_str()) {
                return ctx.err(t.span(), unknown_tactic(t.get_ref()));
            }
            tactics.push(t.get_ref().clone());
        }
        if tactics.len() < 2 {
            return ctx.err(
                c.id.span(),
                format!("combo `{id}` needs at least two tactics"),
            );
        }
        combos.push(ComboDef {
            id,
            description: c.description.clone().unwrap_or_default(),
            tactics,
            bonus: ctx.weight(&c.bonus, "bonus")?,
        });
    }
    let level = |l: &Option<Spanned<String>>| -> Result<Option<Level>> {
        l.as_ref()
            .map(|l| {
                l.get_ref()
                    .parse::<Level>()
                    .or_else(|e| ctx.err(l.span(), e))
            })
            .transpose()
    };
    let single_finding_max_level = level(&file.single_finding_max_level)?;
    let serious_max_level = level(&file.serious_max_level)?;
    let composite_max_level = level(&file.composite_max_level)?;
    let composite_min_weight = match &file.composite_min_weight {
        Some(w) => ctx.weight(w, "composite_min_weight")?,
        None => 1.0,
    };
    Ok(ScoringDef {
        repeat_decay: decay,
        single_finding_max_level,
        serious_max_level,
        composite_max_level,
        composite_min_weight,
        levels,
        combos,
    })
}

fn unknown_tactic(id: &str) -> String {
    format!(
        "unknown tactic `{id}` (expected one of: {})",
        TACTIC_IDS.join(", ")
    )
}

fn load_tactic(ctx: &Ctx<'_>, norm: &Normalizer) -> Result<TacticDef> {
    let file: file::TacticFile = ctx.parse()?;
    let h = file.tactic.get_ref();
    let id = h.id.get_ref().clone();
    if !TACTIC_IDS.contains(&id.as_str()) {
        return ctx.err(h.id.span(), unknown_tactic(&id));
    }
    if h.legal_basis.get_ref().iter().all(|s| s.trim().is_empty()) {
        return ctx.err(
            h.legal_basis.span(),
            "legal_basis must cite at least one rule",
        );
    }
    let alone_max_level = match &h.alone_max_level {
        Some(l) => Some(
            l.get_ref()
                .parse::<Level>()
                .or_else(|e| ctx.err(l.span(), e))?,
        ),
        None => None,
    };
    let color = match &h.color {
        Some(c) => {
            let s = c.get_ref();
            let ok =
                s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                return ctx.err(c.span(), format!("color `{s}` is not #rrggbb"));
            }
            s.clone()
        }
        None => "#7f8c8d".to_string(),
    };
    let info = Tactic {
        id,
        name_zh: h.name_zh.clone(),
        name_en: h.name_en.clone(),
        description: h.description.clone(),
        legal_basis: h.legal_basis.get_ref().clone(),
        weight: ctx.weight(&h.weight, "tactic weight")?,
        alone_max_level,
        color,
    };

    let mut seen = HashMap::new();
    let mut rules = Vec::new();
    for r in &file.terms {
        let r = r.get_ref();
        let boundary = match r
            .boundary
            .as_ref()
            .map(|b| (b.get_ref().as_str(), b.span()))
        {
            None | Some(("auto", _)) => Boundary::Auto,
            Some(("always", _)) => Boundary::Always,
            Some(("never", _)) => Boundary::Never,
            Some((other, span)) => {
                return ctx.err(
                    span,
                    format!("boundary `{other}` is not auto, always or never"),
                );
            }
        };
        rules.push(RuleDef {
            id: ctx.rule_id(&r.rule, &mut seen)?,
            weight: ctx.weight(&r.weight, "weight")?,
            negatable: r.negatable.unwrap_or(true),
            severity: r.severity.unwrap_or(h.severity),
            kind: RuleKind::Terms(TermsDef {
                terms: ctx.terms(norm, &r.terms, "term")?,
                boundary,
                pinyin: r.pinyin.unwrap_or(true),
            }),
        });
    }
    for r in &file.cooccur {
        let r = r.get_ref();
        let id = ctx.rule_id(&r.rule, &mut seen)?;
        if r.groups.get_ref().len() < 2 {
            return ctx.err(
                r.groups.span(),
                format!("co-occurrence rule `{id}` needs at least two groups"),
            );
        }
        let groups = r
            .groups
            .get_ref()
            .iter()
            .map(|g| ctx.terms(norm, g, "term"))
            .collect::<Result<Vec<_>>>()?;
        rules.push(RuleDef {
            id,
            weight: ctx.weight(&r.weight, "weight")?,
            negatable: r.negatable.unwrap_or(true),
            severity: r.severity.unwrap_or(h.severity),
            kind: RuleKind::Cooccur(CooccurDef {
                window: ctx.window(&r.window, "window")?,
                groups,
            }),
        });
    }
    for r in &file.frame {
        let r = r.get_ref();
        let id = ctx.rule_id(&r.rule, &mut seen)?;
        let n = r.slots.get_ref().len();
        if !(2..=4).contains(&n) {
            return ctx.err(
                r.slots.span(),
                format!("frame `{id}` needs two to four slots, not {n}"),
            );
        }
        let slots = r
            .slots
            .get_ref()
            .iter()
            .map(|g| ctx.terms(norm, g, "slot term"))
            .collect::<Result<Vec<_>>>()?;
        let max_gap = match &r.max_gap {
            Some(g) if !(0..=30).contains(g.get_ref()) => {
                return ctx.err(
                    g.span(),
                    format!("max_gap {} is out of range [0, 30]", g.get_ref()),
                );
            }
            Some(g) => *g.get_ref() as usize,
            None => 4,
        };
        let unless_before = if r.unless_before.is_empty() {
            Vec::new()
        } else {
            ctx.terms(norm, &r.unless_before, "unless_before phrase")?
        };
        rules.push(RuleDef {
            id,
            weight: ctx.weight(&r.weight, "weight")?,
            negatable: r.negatable.unwrap_or(true),
            severity: r.severity.unwrap_or(h.severity),
            kind: RuleKind::Frame(FrameRuleDef {
                slots,
                max_gap,
                unless_before,
                sets: Vec::new(),
            }),
        });
    }
    // All pattern rules of the tactic compile into one multi-pattern regex; a pattern is
    // compiled on its own only to explain an error.
    let mut expanded: Vec<String> = Vec::new();
    let mut spans: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut pattern_rules = Vec::new();
    for r in &file.pattern {
        let r = r.get_ref();
        let id = ctx.rule_id(&r.rule, &mut seen)?;
        let mut sources = Vec::new();
        for p in &r.patterns {
            let src = p.get_ref();
            if src.trim().is_empty() {
                return ctx.err(p.span(), "empty pattern");
            }
            // Patterns run on normalized text: full-width clause punctuation is ASCII there
            // (`[^，。！？]` must exclude `,`, `!`, `?`); any other character the normalizer
            // would change can never match, so it is an error.
            let folded: String = src
                .chars()
                .map(|c| match c {
                    '，' => ',',
                    '！' => '!',
                    '？' => '?',
                    '；' => ';',
                    '：' => ':',
                    '％' => '%',
                    _ => c,
                })
                .collect();
            if let Some(c) = folded.chars().filter(|c| !c.is_ascii()).find(|c| {
                let s = c.to_string();
                norm.normalize(&s).text() != s && !matches!(c, '。' | '、')
            }) {
                return ctx.err(
                    p.span(),
                    format!("pattern `{src}` has `{c}`, which normalized text never contains (write it as the normalizer does)"),
                );
            }
            let with_classes = class_alternations(&folded, ctx.classes, norm)
                .or_else(|e| ctx.err(p.span(), format!("pattern `{src}`: {e}")))?;
            expanded.push(with_classes.replace("{num}", NUM));
            spans.push((with_classes, p.span()));
            pattern_rules.push(rules.len());
            sources.push(src.clone());
        }
        if sources.is_empty() {
            return ctx.err(
                r.rule.span(),
                format!("pattern rule `{id}` has no patterns"),
            );
        }
        rules.push(RuleDef {
            id,
            weight: ctx.weight(&r.weight, "weight")?,
            negatable: r.negatable.unwrap_or(true),
            severity: r.severity.unwrap_or(h.severity),
            kind: RuleKind::Pattern(sources),
        });
    }
    // Each pattern is checked here, with its line; the multi-pattern regex is compiled later
    // (see `compile_patterns`), off the critical path of building an analyzer.
    for (e, (src, span)) in expanded.iter().zip(&spans) {
        let src = if src.len() > 80 {
            format!("{}…", src.chars().take(40).collect::<String>())
        } else {
            src.clone()
        };
        let hir = regex_syntax::Parser::new()
            .parse(e)
            .or_else(|err| ctx.err(span.clone(), format!("invalid pattern `{src}`: {err}")))?;
        if hir.properties().minimum_len() == Some(0) {
            return ctx.err(
                span.clone(),
                format!("pattern `{src}` matches the empty string"),
            );
        }
    }
    let anchors = Anchors::of(&spans.iter().map(|(src, _)| src.clone()).collect::<Vec<_>>());
    if let Some(p) = &file.price {
        let p = p.get_ref();
        let ratio = *p.min_ratio.get_ref();
        if ratio.is_nan() || ratio < 1.0 {
            return ctx.err(
                p.min_ratio.span(),
                format!("min_ratio {ratio} must be at least 1"),
            );
        }
        let baseline = if p.baseline.is_empty() {
            Vec::new()
        } else {
            ctx.terms(norm, &p.baseline, "baseline cue")?
        };
        rules.push(RuleDef {
            id: ctx.rule_id(&p.rule, &mut seen)?,
            weight: ctx.weight(&p.weight, "weight")?,
            negatable: true,
            severity: Severity::Normal,
            kind: RuleKind::Price(PriceDef {
                min_ratio: ratio,
                window: match &p.window {
                    Some(w) => ctx.window(w, "window")?,
                    None => 400,
                },
                reference: ctx.terms(norm, &p.reference, "reference cue")?,
                offer: ctx.terms(norm, &p.offer, "offer cue")?,
                baseline,
            }),
        });
    }
    for p in &file.pii {
        let p = p.get_ref();
        let kind = match p.kind.get_ref().as_str() {
            "mobile" => PiiKind::Mobile,
            "id_card" => PiiKind::IdCard,
            "bank_card" => PiiKind::BankCard,
            other => {
                return ctx.err(
                    p.kind.span(),
                    format!("pii kind `{other}` is not mobile, id_card or bank_card"),
                );
            }
        };
        rules.push(RuleDef {
            id: ctx.rule_id(&p.rule, &mut seen)?,
            weight: ctx.weight(&p.weight, "weight")?,
            negatable: true,
            severity: Severity::Normal,
            kind: RuleKind::Pii(kind),
        });
    }
    let mut allow = Vec::new();
    for a in &file.allow {
        let a = a.get_ref();
        let scope = match a.scope.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            None | Some(("overlap", _)) => AllowScope::Overlap,
            Some(("sentence", _)) => AllowScope::Sentence,
            Some((other, span)) => {
                return ctx.err(
                    span,
                    format!("allow scope `{other}` is not overlap or sentence"),
                );
            }
        };
        allow.push(AllowDef {
            phrases: ctx.terms(norm, &a.phrases, "allowed phrase")?,
            scope,
        });
    }
    if rules.is_empty() {
        return ctx.err(
            file.tactic.span(),
            format!("tactic `{}` has no rules", info.id),
        );
    }
    Ok(TacticDef {
        info,
        rules,
        allow,
        patterns: None,
        scan_patterns: None,
        anchored_ids: (0..expanded.len())
            .filter(|i| !anchors.scan_only.contains(i))
            .collect(),
        pattern_sources: expanded,
        pattern_rules,
        anchors,
    })
}

#[cfg(test)]
mod tests {
    use super::Anchors;

    fn anchors(patterns: &[&str]) -> Anchors {
        Anchors::of(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_leading_number_anchors_with_what_can_follow_it() {
        let a = anchors(&["{num}倍(回收|收回)", "最后{num}单", "{num}多?(万|千)块"]);
        assert!(a.numbers);
        assert_eq!(a.number_next, Some(vec!['万', '倍', '千', '多']));
        assert_eq!(
            a.literals,
            vec![("最后".to_string(), Some(vec![Anchors::NUMBER]))]
        );
        let none = anchors(&["最后{num}单"]);
        assert!(!none.numbers);
    }

    #[test]
    fn a_literal_prefix_anchors_with_what_can_follow_it() {
        use super::next_allows;
        let a = anchors(&["今天(就|只)剩", "今天也只", "今晚{num}点"]);
        let next = |p: &str| {
            a.literals
                .iter()
                .find(|(s, _)| s == p)
                .map(|(_, n)| n.clone())
        };
        assert_eq!(next("今天"), Some(Some(vec!['也', '只', '就'])));
        assert_eq!(next("今晚"), Some(Some(vec![Anchors::NUMBER])));
        let today = next("今天").unwrap();
        assert!(next_allows(&today, Some('就')) && !next_allows(&today, Some('的')));
        assert!(!next_allows(&today, None));
        let tonight = next("今晚").unwrap();
        assert!(next_allows(&tonight, Some('八')) && next_allows(&tonight, Some('8')));
        assert!(!next_allows(&tonight, Some('有')));
        // A pattern that may end, or go on with anything, right after the prefix.
        let open = anchors(&["今天(就|只)剩", "今天"]);
        assert_eq!(open.literals[0].1, None);
        assert!(next_allows(&None, Some('的')));
    }

    #[test]
    fn an_unknown_continuation_makes_every_number_an_anchor() {
        // `.*` after the number: no literal follows it, so no character can be ruled out.
        assert_eq!(anchors(&["{num}倍", "{num}.*收"]).number_next, None);
        // A class after it gives all of its characters.
        let spaced = anchors(&["{num}(倍|\\s*成)"]).number_next.unwrap();
        assert!(
            ['倍', '成', ' ', '\u{3000}']
                .iter()
                .all(|c| spaced.contains(c))
        );
    }
}
