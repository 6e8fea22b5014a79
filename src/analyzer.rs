//! The [`Analyzer`]: built once from lexicons (where everything that can fail fails), then
//! shared across threads to analyse any number of texts, none of which can make it fail.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use once_cell::sync::Lazy;

use crate::context::{ContextRules, Cue};
use crate::error::Result;
use crate::lexicon::{
    AllowScope, Boundary, FormKind, LexiconSet, PiiKind, RuleKind as LexRule, Source, Tactic,
};
use crate::matcher::{Hit, Matcher, PatternSet, Target};
use crate::normalize::{GAP, MAX_PIECE, Normalized, Normalizer, SOFT, is_sentence_break};
use crate::numeral::find_numbers;
use crate::price::{PriceCue, find_claims, find_prices};
use crate::report::{Finding, NeutralReason, Neutralization, Part, Report, RuleKind};
use crate::segment::Segmenter;
use crate::transcript::Transcript;
use crate::{pii, score};

/// Builds an [`Analyzer`] from the embedded lexicons and any given at run time.
///
/// ```
/// let analyzer = huashu::Analyzer::builder()
///     .lexicon_str("tactics/counterfeit.toml", r#"
///         [tactic]
///         id = "counterfeit"
///         name_zh = "假冒伪劣暗语"
///         name_en = "Counterfeit slang"
///         description = "Slang for counterfeit goods."
///         weight = 0.8
///         legal_basis = ["《中华人民共和国刑法》第二百一十四条"]
///         [[terms]]
///         rule = "slang"
///         weight = 1.0
///         terms = ["莆田货"]
///     "#)
///     .build()?;
/// assert!(analyzer.analyze("这双是莆田货").tactic("counterfeit").is_some());
/// # Ok::<(), huashu::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AnalyzerBuilder {
    defaults: bool,
    paths: Vec<PathBuf>,
    strings: Vec<(String, String)>,
    only: Option<Vec<String>>,
}

impl Default for AnalyzerBuilder {
    fn default() -> Self {
        AnalyzerBuilder {
            defaults: true,
            paths: Vec::new(),
            strings: Vec::new(),
            only: None,
        }
    }
}

impl AnalyzerBuilder {
    /// Whether to start from the embedded lexicons (default `true`). With `false`, only the
    /// lexicons given to this builder are used.
    pub fn defaults(&mut self, yes: bool) -> &mut Self {
        self.defaults = yes;
        self
    }

    /// Adds a lexicon file, or every `*.toml` under a directory. A tactic file replaces the
    /// embedded tactic with the same id; `context.toml` and `variants.toml` add to the embedded
    /// ones; `scoring.toml` replaces the embedded model.
    pub fn lexicon_path(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.paths.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds a lexicon held in memory. `name` is used in error messages and decides the kind of
    /// lexicon as a file name would (`context.toml`, `variants.toml`, `scoring.toml`, or a
    /// tactic).
    pub fn lexicon_str(&mut self, name: &str, toml: &str) -> &mut Self {
        self.strings.push((name.to_string(), toml.to_string()));
        self
    }

    /// Keeps only these tactics (ids from [`TACTIC_IDS`](crate::TACTIC_IDS)); the others are
    /// not matched at all.
    pub fn only_tactics<S: AsRef<str>>(&mut self, ids: &[S]) -> &mut Self {
        self.only = Some(ids.iter().map(|s| s.as_ref().to_string()).collect());
        self
    }

    /// Loads and validates the lexicons and compiles the matchers.
    ///
    /// # Errors
    ///
    /// [`Error::Lexicon`](crate::Error::Lexicon) with the file, line and reason when a lexicon
    /// is invalid (unknown tactic, empty term, weight out of range, duplicate id, a window of
    /// 0, a bad pattern, a TOML syntax error); [`Error::Io`](crate::Error::Io) when a path
    /// cannot be read.
    pub fn build(&self) -> Result<Analyzer> {
        let mut extra = Vec::new();
        for p in &self.paths {
            extra.extend(Source::from_path(p)?);
        }
        for (name, text) in &self.strings {
            extra.push(Source::in_memory(name, text.clone()));
        }
        let (mut lexicon, normalizer) = LexiconSet::load(self.defaults, extra)?;
        if let Some(only) = &self.only {
            for id in only {
                if !lexicon.tactics.iter().any(|t| &t.info.id == id) {
                    return Err(crate::Error::Build(format!(
                        "unknown tactic `{id}` in the tactic filter (expected one of: {})",
                        lexicon
                            .tactics
                            .iter()
                            .map(|t| t.info.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
            lexicon.tactics.retain(|t| only.contains(&t.info.id));
        }
        let patterns = PatternSet::from_lexicon(&lexicon);
        let matcher = patterns.build()?;
        let words = lexicon
            .tactics
            .iter()
            .flat_map(|t| t.rules.iter())
            .flat_map(|r| {
                let terms: Box<dyn Iterator<Item = &String>> = match &r.kind {
                    LexRule::Terms(d) => Box::new(d.terms.iter()),
                    LexRule::Cooccur(d) => Box::new(d.groups.iter().flatten()),
                    LexRule::Price(d) => {
                        Box::new(d.reference.iter().chain(&d.offer).chain(&d.baseline))
                    }
                    _ => Box::new(std::iter::empty()),
                };
                terms.map(String::as_str)
            });
        let segmenter = Segmenter::new(words);
        let context = ContextRules::new(&lexicon.context);
        let tactics = lexicon.tactics.iter().map(|t| t.info.clone()).collect();
        Ok(Analyzer {
            inner: Arc::new(Inner {
                tactics,
                lexicon,
                normalizer,
                matcher,
                segmenter,
                context,
            }),
        })
    }
}

/// Finds fraud scripts in Chinese livestream transcripts.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`: build one and share it.
///
/// ```
/// use huashu::{Analyzer, Level};
/// let analyzer = Analyzer::builder().build()?;
/// let report = analyzer.analyze("家人们，原价三千九百九十九，今天直播间只要九十九，最后三单！");
/// assert!(report.level >= Level::High);
/// # Ok::<(), huashu::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Analyzer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    tactics: Vec<Tactic>,
    lexicon: LexiconSet,
    normalizer: Normalizer,
    matcher: Matcher,
    segmenter: Segmenter,
    context: ContextRules,
}

static DEFAULT: Lazy<Analyzer> = Lazy::new(|| {
    Analyzer::builder()
        .build()
        .expect("the embedded lexicons are valid (checked by the test suite)")
});

/// Analyses `text` with the process-wide default analyzer (see [`Analyzer::default_ref`]).
///
/// ```
/// let report = huashu::analyze("这款是高仿的，跟专柜一模一样，加我vx发你实拍");
/// assert!(report.tactic("counterfeit").is_some());
/// assert!(report.tactic("off_platform").is_some());
/// ```
pub fn analyze(text: &str) -> Report {
    Analyzer::default_ref().analyze(text)
}

/// A candidate finding, by normalized unit indices.
#[derive(Debug, Clone)]
struct Candidate {
    tactic: usize,
    rule: usize,
    kind: RuleKind,
    term: Option<String>,
    form: FormKind,
    weight: f64,
    start: usize,
    end: usize,
    parts: Vec<(String, usize, usize)>,
    negatable: bool,
    neutral: Option<Cue>,
}

/// What one analysis works on: the normalized text and what the matcher found in it.
struct Scan<'a> {
    norm: &'a Normalized,
    chars: Vec<char>,
    hits: Vec<Hit>,
}

impl Analyzer {
    /// A builder starting from the embedded lexicons.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// The process-wide analyzer with the embedded lexicons, built on first use.
    ///
    /// # Panics
    ///
    /// Never in a released crate: the embedded lexicons are validated by the test suite. (A
    /// build with broken embedded lexicons panics here on first use.)
    pub fn default_ref() -> &'static Analyzer {
        &DEFAULT
    }

    /// The tactics this analyzer knows, in the contract's order.
    pub fn tactics(&self) -> &[Tactic] {
        &self.inner.tactics
    }

    /// One tactic by id.
    pub fn tactic(&self, id: &str) -> Option<&Tactic> {
        self.inner.tactics.iter().find(|t| t.id == id)
    }

    /// A content hash (`sha256:…`) of the lexicons in use, for provenance: two analyzers with
    /// the same fingerprint produce the same reports.
    pub fn lexicon_fingerprint(&self) -> &str {
        &self.inner.lexicon.fingerprint
    }

    /// Every distinct pattern string compiled into the matcher (terms in all their evasion
    /// forms, cues, allow-listed phrases). For benchmarks comparing matchers; not a stable API.
    #[doc(hidden)]
    pub fn matcher_patterns(&self) -> Vec<String> {
        PatternSet::from_lexicon(&self.inner.lexicon)
            .patterns()
            .map(str::to_string)
            .collect()
    }

    /// The normalized form of `text`, as the matcher sees it (for debugging lexicons).
    ///
    /// ```
    /// let a = huashu::Analyzer::default_ref();
    /// assert_eq!(a.normalize("加 薇❤信，高價収購"), "加薇信,高价收购");
    /// ```
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::new();
        for piece in pieces(text) {
            out.push_str(self.inner.normalizer.normalize(piece.1).text());
        }
        out
    }

    /// Analyses `text`. Never fails and never panics, whatever the input.
    pub fn analyze(&self, text: &str) -> Report {
        let mut findings = Vec::new();
        for (offset, piece) in pieces(text) {
            let before = findings.len();
            self.findings(piece, &mut findings);
            if offset > 0 {
                let chars = text[..offset].chars().count();
                for f in &mut findings[before..] {
                    shift(f, offset, chars);
                }
            }
        }
        score::score(findings, &self.inner.tactics, &self.inner.lexicon.scoring)
    }

    /// Analyses a transcript: the same findings as over its joined text
    /// ([`Transcript::joined`]), each also carrying the segment where it starts and the stream
    /// time it spans. Evidence that runs across a segment boundary is found.
    ///
    /// ```
    /// use huashu::transcript::{Segment, Transcript};
    /// let t = Transcript {
    ///     id: "room-42".into(),
    ///     segments: vec![Segment::timed("喜欢的加我薇", 61_000, 63_000), Segment::timed("信 私聊", 63_000, 64_500)],
    /// };
    /// let report = huashu::Analyzer::default_ref().analyze_transcript(&t);
    /// let f = report.findings.iter().find(|f| f.tactic == "off_platform").unwrap();
    /// assert_eq!((f.segment, f.start_ms, f.end_ms), (Some(0), Some(61_000), Some(64_500)));
    /// ```
    pub fn analyze_transcript(&self, transcript: &Transcript) -> Report {
        let text = transcript.joined();
        let starts = transcript.segment_starts();
        let mut report = self.analyze(&text);
        let segment_of = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
        for f in &mut report.findings {
            let (first, last) = (
                segment_of(f.start),
                segment_of(f.end.saturating_sub(1).max(f.start)),
            );
            f.segment = Some(first);
            f.start_ms = transcript.segments.get(first).and_then(|s| s.start_ms);
            f.end_ms = transcript.segments.get(last).and_then(|s| s.end_ms);
        }
        report
    }

    /// Appends the findings in `text` (a piece short enough for u32 offsets).
    fn findings(&self, text: &str, out: &mut Vec<Finding>) {
        let inner = &*self.inner;
        let norm = inner.normalizer.normalize(text);
        let mut scan = Scan {
            norm: &norm,
            chars: norm.text().chars().collect(),
            hits: Vec::new(),
        };
        inner.matcher.scan(&norm, &mut scan.hits);

        let mut cands = Vec::new();
        let mut cues: Vec<Cue> = Vec::new();
        let mut questions: Vec<Cue> = Vec::new();
        let mut price_cues: Vec<(usize, PriceCue)> = Vec::new();
        let mut groups: Vec<(usize, usize, usize, Hit)> = Vec::new();
        for hit in &scan.hits {
            match hit.target {
                Target::Term {
                    tactic,
                    rule,
                    term,
                    form,
                } => {
                    let (t, r) = (tactic as usize, rule as usize);
                    let def = &inner.lexicon.tactics[t].rules[r];
                    let LexRule::Terms(terms) = &def.kind else {
                        continue;
                    };
                    let canonical = &terms.terms[term as usize];
                    if !self.on_boundaries(&scan, hit.start, hit.end, terms.boundary, canonical) {
                        continue;
                    }
                    cands.push(Candidate {
                        tactic: t,
                        rule: r,
                        kind: RuleKind::Term,
                        term: Some(canonical.clone()),
                        form,
                        weight: def.weight,
                        start: hit.start,
                        end: hit.end,
                        parts: Vec::new(),
                        negatable: def.negatable,
                        neutral: None,
                    });
                }
                Target::Group {
                    tactic,
                    rule,
                    group,
                } => {
                    let term = scan.norm.slice(hit.start, hit.end);
                    if self.on_boundaries(&scan, hit.start, hit.end, Boundary::Auto, term) {
                        groups.push((tactic as usize, rule as usize, group as usize, *hit));
                    }
                }
                // "我们不是骗子" is no warning.
                Target::Warning
                    if inner
                        .context
                        .negation(&scan.chars, &norm, hit.start)
                        .is_none() =>
                {
                    cues.push(Cue {
                        reason: NeutralReason::Warning,
                        start: hit.start,
                        end: hit.end,
                    })
                }
                Target::Warning => {}
                Target::Reported => cues.push(Cue {
                    reason: NeutralReason::ReportedSpeech,
                    start: hit.start,
                    end: hit.end,
                }),
                Target::Question => questions.push(Cue {
                    reason: NeutralReason::ReportedSpeech,
                    start: hit.start,
                    end: hit.end,
                }),
                Target::Price { rule, role, tactic } => {
                    let term = scan.norm.slice(hit.start, hit.end);
                    if self.on_boundaries(&scan, hit.start, hit.end, Boundary::Auto, term) {
                        let _ = tactic;
                        price_cues.push((
                            rule as usize,
                            PriceCue {
                                start: hit.start,
                                end: hit.end,
                                role,
                            },
                        ));
                    }
                }
                Target::Allow { .. } => {}
            }
        }
        self.cooccurrences(&mut groups, &mut cands);
        self.patterns(&scan, &mut cands);
        self.numbers(&scan, &price_cues, &mut cands);
        cues.sort_by_key(|c| (c.start, c.end));
        self.neutralize(&scan, &cues, &questions, &mut cands);
        dedupe(&mut cands);
        for c in cands {
            out.push(self.finding(&scan, text, c));
        }
    }

    /// Whether a match on units `start..end` respects word boundaries: Latin edges may not run
    /// into other Latin letters, and short Chinese terms may not cut through a jieba word.
    fn on_boundaries(
        &self,
        scan: &Scan<'_>,
        start: usize,
        end: usize,
        boundary: Boundary,
        term: &str,
    ) -> bool {
        let chars = &scan.chars;
        let latin = |c: char| c.is_ascii_alphanumeric();
        if start > 0
            && latin(chars[start])
            && latin(chars[start - 1])
            && scan.norm.flags(start) & GAP == 0
        {
            return false;
        }
        if end < chars.len()
            && latin(chars[end - 1])
            && latin(chars[end])
            && scan.norm.flags(end) & GAP == 0
        {
            return false;
        }
        let check = match boundary {
            Boundary::Never => false,
            Boundary::Always => true,
            Boundary::Auto => term.chars().count() <= 3,
        };
        let cjk_edge =
            crate::normalize::is_cjk(chars[start]) || crate::normalize::is_cjk(chars[end - 1]);
        !(check && cjk_edge && self.inner.segmenter.cuts_word(scan.norm, start, end))
    }

    /// Co-occurrence rules: for each rule, windows holding a member of every group.
    fn cooccurrences(&self, groups: &mut [(usize, usize, usize, Hit)], out: &mut Vec<Candidate>) {
        groups.sort_by_key(|(t, r, _, h)| (*t, *r, h.start, h.end));
        let mut i = 0;
        while i < groups.len() {
            let (t, r) = (groups[i].0, groups[i].1);
            let mut j = i;
            while j < groups.len() && (groups[j].0, groups[j].1) == (t, r) {
                j += 1;
            }
            let rule = &self.inner.lexicon.tactics[t].rules[r];
            if let LexRule::Cooccur(def) = &rule.kind {
                let hits = &groups[i..j];
                let mut next_free = 0usize;
                for (a, anchor) in hits.iter().enumerate() {
                    let anchor_hit = anchor.3;
                    if anchor_hit.start < next_free {
                        continue;
                    }
                    let limit = anchor_hit.start + def.window;
                    let mut parts: Vec<Option<Hit>> = vec![None; def.groups.len()];
                    parts[anchor.2] = Some(anchor_hit);
                    for other in &hits[a + 1..] {
                        let h = other.3;
                        if h.start >= limit {
                            break;
                        }
                        let overlaps = parts
                            .iter()
                            .flatten()
                            .any(|p| h.start < p.end && p.start < h.end);
                        if parts[other.2].is_none() && h.end <= limit && !overlaps {
                            parts[other.2] = Some(h);
                        }
                    }
                    if parts.iter().all(Option::is_some) {
                        let parts: Vec<Hit> = parts.into_iter().flatten().collect();
                        let start = parts
                            .iter()
                            .map(|p| p.start)
                            .min()
                            .unwrap_or(anchor_hit.start);
                        let end = parts.iter().map(|p| p.end).max().unwrap_or(anchor_hit.end);
                        let mut ordered: Vec<(usize, Hit)> =
                            parts.into_iter().enumerate().collect();
                        ordered.sort_by_key(|(_, h)| h.start);
                        out.push(Candidate {
                            tactic: t,
                            rule: r,
                            kind: RuleKind::Cooccurrence,
                            term: None,
                            form: FormKind::Literal,
                            weight: rule.weight,
                            start,
                            end,
                            parts: ordered
                                .into_iter()
                                .map(|(g, h)| (format!("group {}", g + 1), h.start, h.end))
                                .collect(),
                            negatable: rule.negatable,
                            neutral: None,
                        });
                        next_free = end;
                    }
                }
            }
            i = j;
        }
    }

    /// Regular-expression pattern rules.
    fn patterns(&self, scan: &Scan<'_>, out: &mut Vec<Candidate>) {
        for (t, tactic) in self.inner.lexicon.tactics.iter().enumerate() {
            for (r, rule) in tactic.rules.iter().enumerate() {
                let LexRule::Pattern(patterns) = &rule.kind else {
                    continue;
                };
                for (source, re) in patterns {
                    for m in re.find_iter(scan.norm.text()) {
                        let (start, end) =
                            (scan.norm.unit_at(m.start()), scan.norm.unit_at(m.end()));
                        if start >= end {
                            continue;
                        }
                        out.push(Candidate {
                            tactic: t,
                            rule: r,
                            kind: RuleKind::Pattern,
                            term: Some(source.clone()),
                            form: FormKind::Literal,
                            weight: rule.weight,
                            start,
                            end,
                            parts: Vec::new(),
                            negatable: rule.negatable,
                            neutral: None,
                        });
                    }
                }
            }
        }
    }

    /// Price claims and personal numbers: the rules that read numbers.
    fn numbers(&self, scan: &Scan<'_>, price_cues: &[(usize, PriceCue)], out: &mut Vec<Candidate>) {
        let mut numbers = None;
        for (t, tactic) in self.inner.lexicon.tactics.iter().enumerate() {
            for (r, rule) in tactic.rules.iter().enumerate() {
                match &rule.kind {
                    LexRule::Price(def) => {
                        let numbers = numbers.get_or_insert_with(|| find_numbers(&scan.chars));
                        let mut cues: Vec<PriceCue> = price_cues
                            .iter()
                            .filter(|(rr, _)| *rr == r)
                            .map(|(_, c)| *c)
                            .collect();
                        cues.sort_by_key(|c| (c.end, c.start));
                        let prices = find_prices(&scan.chars, numbers, &cues, |i| {
                            scan.norm.flags(i) & SOFT != 0
                        });
                        for claim in find_claims(&prices, def) {
                            let (rf, of) = (claim.reference, claim.offer);
                            let mut parts = Vec::new();
                            for (role, p) in [("reference", rf), ("offer", of)] {
                                if let Some(c) = p.cue.filter(|c| c.end > c.start) {
                                    parts.push((format!("{role} cue"), c.start, c.end));
                                }
                                parts.push((format!("{role} price"), p.start, p.end));
                            }
                            parts.sort_by_key(|p| p.1);
                            let start = parts.iter().map(|p| p.1).min().unwrap_or(rf.start);
                            let end = parts.iter().map(|p| p.2).max().unwrap_or(rf.end);
                            out.push(Candidate {
                                tactic: t,
                                rule: r,
                                kind: RuleKind::Price,
                                term: Some(format!(
                                    "{} ÷ {} = {:.1}",
                                    fmt_amount(rf.value),
                                    fmt_amount(of.value),
                                    claim.ratio
                                )),
                                form: FormKind::Literal,
                                weight: rule.weight * claim.strength,
                                start,
                                end,
                                parts,
                                negatable: true,
                                neutral: None,
                            });
                        }
                    }
                    LexRule::Pii(kind) => {
                        let numbers = numbers.get_or_insert_with(|| find_numbers(&scan.chars));
                        for n in pii::find_personal_numbers(&scan.chars, numbers) {
                            if n.kind != *kind {
                                continue;
                            }
                            out.push(Candidate {
                                tactic: t,
                                rule: r,
                                kind: RuleKind::PersonalData,
                                term: Some(
                                    match kind {
                                        PiiKind::Mobile => "mobile number",
                                        PiiKind::IdCard => "resident ID number",
                                        PiiKind::BankCard => "bank card number",
                                    }
                                    .to_string(),
                                ),
                                form: FormKind::Literal,
                                weight: rule.weight,
                                start: n.start,
                                end: n.end,
                                parts: Vec::new(),
                                negatable: true,
                                neutral: None,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Applies allow-lists, negation, warnings and reported speech.
    fn neutralize(
        &self,
        scan: &Scan<'_>,
        cues: &[Cue],
        questions: &[Cue],
        cands: &mut [Candidate],
    ) {
        let ctx = &self.inner.context;
        let allows: Vec<(usize, usize, &Hit)> = scan
            .hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Allow { tactic, allow } => Some((tactic as usize, allow as usize, h)),
                _ => None,
            })
            .collect();
        for c in cands.iter_mut() {
            let tactic = &self.inner.lexicon.tactics[c.tactic];
            let spans: Vec<(usize, usize)> = if c.parts.is_empty() {
                vec![(c.start, c.end)]
            } else {
                c.parts.iter().map(|p| (p.1, p.2)).collect()
            };
            // Allow-listed phrases win over the terms inside them.
            let allowed = allows.iter().find(|(t, a, h)| {
                *t == c.tactic
                    && match tactic.allow[*a].scope {
                        AllowScope::Overlap => spans.iter().any(|&(s, e)| h.start < e && s < h.end),
                        AllowScope::Sentence => {
                            same_sentence(&scan.chars, h.start, h.end, c.start, c.end)
                        }
                    }
            });
            if let Some((_, _, h)) = allowed {
                c.neutral = Some(Cue {
                    reason: NeutralReason::AllowListed,
                    start: h.start,
                    end: h.end,
                });
                continue;
            }
            if c.negatable {
                if let Some(cue) = spans
                    .iter()
                    .find_map(|&(s, _)| ctx.negation(&scan.chars, scan.norm, s))
                {
                    c.neutral = Some(cue);
                    continue;
                }
            }
            c.neutral = spans.iter().find_map(|&(s, e)| {
                ctx.question(&scan.chars, scan.norm, questions, s)
                    .or_else(|| ctx.in_scope(&scan.chars, cues, s, e))
            });
        }
    }

    /// Turns a candidate into a finding with original offsets.
    fn finding(&self, scan: &Scan<'_>, text: &str, c: Candidate) -> Finding {
        let tactic = &self.inner.tactics[c.tactic];
        let rule = &self.inner.lexicon.tactics[c.tactic].rules[c.rule];
        let r = scan.norm.original_range(c.start, c.end);
        let n = scan.norm.len_chars();
        let ctx = scan
            .norm
            .original_range(c.start.saturating_sub(12), (c.end + 12).min(n));
        let context: String = text[ctx.start..ctx.end]
            .chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch })
            .collect();
        let parts = c
            .parts
            .iter()
            .map(|(role, s, e)| {
                let p = scan.norm.original_range(*s, *e);
                Part {
                    role: role.clone(),
                    matched: text[p.start..p.end].to_string(),
                    start: p.start,
                    end: p.end,
                    char_start: p.char_start,
                    char_end: p.char_end,
                }
            })
            .collect();
        let neutralized = c.neutral.map(|cue| {
            let o = scan.norm.original_range(cue.start, cue.end);
            Neutralization {
                reason: cue.reason,
                cue: text[o.start..o.end].to_string(),
                start: o.start,
                end: o.end,
            }
        });
        Finding {
            tactic: tactic.id.clone(),
            rule: rule.id.clone(),
            kind: c.kind,
            term: c.term,
            form: c.form,
            weight: tactic.weight * c.weight,
            contribution: 0.0,
            start: r.start,
            end: r.end,
            char_start: r.char_start,
            char_end: r.char_end,
            matched: text[r.start..r.end].to_string(),
            normalized: scan.norm.slice(c.start, c.end).to_string(),
            context,
            legal_basis: tactic.legal_basis.clone(),
            parts,
            neutralized,
            segment: None,
            start_ms: None,
            end_ms: None,
        }
    }
}

fn same_sentence(chars: &[char], a0: usize, a1: usize, b0: usize, b1: usize) -> bool {
    let (lo, hi) = (a0.min(b0), a1.max(b1));
    !(lo..hi.min(chars.len()))
        .any(|i| is_sentence_break(chars[i]) && !(a0..a1).contains(&i) && !(b0..b1).contains(&i))
        && hi - lo <= 80
}

fn fmt_amount(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Within one tactic, evidence inside other evidence is the same evidence: a candidate whose
/// every evidence span (its parts, or its whole span) lies inside one evidence span of another
/// is dropped, and of two overlapping matches of the same rule the longer stays. A scoring
/// candidate is never dropped for a neutralized one. A co-occurrence's hull is not evidence:
/// terms between its parts stay.
fn dedupe(cands: &mut Vec<Candidate>) {
    fn evidence(c: &Candidate) -> Vec<(usize, usize)> {
        if c.parts.is_empty() {
            vec![(c.start, c.end)]
        } else {
            c.parts.iter().map(|p| (p.1, p.2)).collect()
        }
    }
    // Strongest first: longer evidence, then scoring, then heavier.
    cands.sort_by(|a, b| {
        a.tactic
            .cmp(&b.tactic)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.neutral.is_some().cmp(&b.neutral.is_some()))
            .then(b.weight.total_cmp(&a.weight))
            .then(a.start.cmp(&b.start))
    });
    let mut keep: Vec<Candidate> = Vec::with_capacity(cands.len());
    for c in cands.drain(..) {
        let mine = evidence(&c);
        let redundant = keep.iter().filter(|k| k.tactic == c.tactic).any(|k| {
            if k.neutral.is_some() && c.neutral.is_none() {
                return false;
            }
            let theirs = evidence(k);
            let inside = mine
                .iter()
                .all(|&(s, e)| theirs.iter().any(|&(ks, ke)| ks <= s && e <= ke));
            let same_rule_overlap = k.rule == c.rule
                && c.parts.is_empty()
                && k.parts.is_empty()
                && k.start < c.end
                && c.start < k.end;
            inside || same_rule_overlap
        });
        if !redundant {
            keep.push(c);
        }
    }
    *cands = keep;
}

/// Splits text longer than the normalizer's limit at character boundaries.
fn pieces(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    while text.len() - offset > MAX_PIECE {
        let mut cut = offset + MAX_PIECE;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push((offset, &text[offset..cut]));
        offset = cut;
    }
    out.push((offset, &text[offset..]));
    out
}

fn shift(f: &mut Finding, bytes: usize, chars: usize) {
    f.start += bytes;
    f.end += bytes;
    f.char_start += chars;
    f.char_end += chars;
    for p in &mut f.parts {
        p.start += bytes;
        p.end += bytes;
        p.char_start += chars;
        p.char_end += chars;
    }
    if let Some(n) = &mut f.neutralized {
        n.start += bytes;
        n.end += bytes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyzer_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Analyzer>();
        assert_send_sync::<Report>();
    }
}
