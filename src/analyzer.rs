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
use crate::price::{CUE_REACH, PriceCue, find_claims, find_prices};
use crate::report::{Finding, NeutralReason, Neutralization, Part, Report, RuleKind, Severity};
use crate::rules::Candidate;
use crate::rules::frame::{self, SlotHit};
use crate::segment::{Boundaries, Segmenter};
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
        // jieba's dictionary takes as long to load as everything else together: load it on a
        // second thread while the lexicons are parsed and compiled.
        #[cfg(not(target_family = "wasm"))]
        {
            let (send, receive) = std::sync::mpsc::channel::<Vec<String>>();
            std::thread::scope(|scope| {
                let segmenter = scope.spawn(move || {
                    let jieba = jieba_rs::Jieba::new();
                    receive
                        .recv()
                        .ok()
                        .map(|words| Segmenter::new(jieba, words.iter().map(String::as_str)))
                });
                let built = self.compile(extra, move |words| {
                    let _ = send.send(words);
                });
                let segmenter = segmenter
                    .join()
                    .map_err(|_| crate::Error::Build("the segmenter failed to build".into()))?;
                let (lexicon, normalizer, matcher) = built?;
                let segmenter = segmenter
                    .ok_or_else(|| crate::Error::Build("the segmenter got no words".into()))?;
                Ok(Analyzer::assemble(lexicon, normalizer, matcher, segmenter))
            })
        }
        #[cfg(target_family = "wasm")]
        {
            let mut words = Vec::new();
            let (lexicon, normalizer, matcher) = self.compile(extra, |w| words = w)?;
            let segmenter =
                Segmenter::new(jieba_rs::Jieba::new(), words.iter().map(String::as_str));
            Ok(Analyzer::assemble(lexicon, normalizer, matcher, segmenter))
        }
    }

    /// Loads the lexicons, hands the words the segmenter must keep whole to `words`, and
    /// compiles the matcher.
    fn compile(
        &self,
        extra: Vec<Source>,
        words: impl FnOnce(Vec<String>),
    ) -> Result<(LexiconSet, Normalizer, (Matcher, Matcher))> {
        let (mut lexicon, normalizer) = LexiconSet::load(self.defaults, extra)?;
        if let Some(only) = &self.only {
            if let Some(id) = only
                .iter()
                .find(|id| !lexicon.tactics.iter().any(|t| &t.info.id == *id))
            {
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
            lexicon.tactics.retain(|t| only.contains(&t.info.id));
            // The filter changes the reports, so it is part of the fingerprint.
            use sha2::Digest;
            let mut hasher = sha2::Sha256::new();
            hasher.update(lexicon.fingerprint.as_bytes());
            for t in &lexicon.tactics {
                hasher.update(b"\0only:");
                hasher.update(t.info.id.as_bytes());
            }
            lexicon.fingerprint =
                hasher
                    .finalize()
                    .iter()
                    .fold(String::from("sha256:"), |mut s, b| {
                        use std::fmt::Write;
                        let _ = write!(s, "{b:02x}");
                        s
                    });
        }
        let mut list = Vec::new();
        for rule in lexicon.tactics.iter().flat_map(|t| t.rules.iter()) {
            match &rule.kind {
                LexRule::Terms(d) => list.extend(d.terms.iter().cloned()),
                LexRule::Cooccur(d) => list.extend(d.groups.iter().flatten().cloned()),
                LexRule::Frame(d) => list.extend(d.slots.iter().flatten().cloned()),
                LexRule::Price(d) => list.extend(
                    d.reference
                        .iter()
                        .chain(&d.offer)
                        .chain(&d.baseline)
                        .cloned(),
                ),
                _ => {}
            }
        }
        words(list);
        // The tactics' regexes compile on one thread while the automata build on this one.
        let sources: Vec<Vec<String>> = lexicon
            .tactics
            .iter()
            .map(|t| t.pattern_sources.clone())
            .collect();
        let build = |lexicon: &LexiconSet| -> Result<(Matcher, Matcher)> {
            let patterns = PatternSet::from_lexicon(lexicon);
            Ok((patterns.without_terms().build()?, patterns.build()?))
        };
        #[cfg(not(target_family = "wasm"))]
        let (regexes, matchers) = std::thread::scope(|scope| {
            let regexes = scope.spawn(|| crate::lexicon::compile_patterns(&sources));
            let matchers = build(&lexicon);
            let regexes = regexes
                .join()
                .unwrap_or_else(|_| Err(crate::Error::Build("the pattern compiler failed".into())));
            (regexes, matchers)
        });
        #[cfg(target_family = "wasm")]
        let (regexes, matchers) = (crate::lexicon::compile_patterns(&sources), build(&lexicon));
        let (price_matcher, matcher) = matchers?;
        for (tactic, regex) in lexicon.tactics.iter_mut().zip(regexes?) {
            tactic.patterns = regex;
        }
        Ok((lexicon, normalizer, (matcher, price_matcher)))
    }
}

impl Analyzer {
    fn assemble(
        lexicon: LexiconSet,
        normalizer: Normalizer,
        (matcher, price_matcher): (Matcher, Matcher),
        segmenter: Segmenter,
    ) -> Analyzer {
        let context = ContextRules::new(&lexicon.context);
        let tactics = lexicon.tactics.iter().map(|t| t.info.clone()).collect();
        Analyzer {
            inner: Arc::new(Inner {
                tactics,
                lexicon,
                normalizer,
                matcher,
                price_matcher,
                segmenter,
                context,
            }),
        }
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
    /// Price and context cues only, for the price-only pass of live sessions.
    price_matcher: Matcher,
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

/// Which rules an analysis runs (live sessions analyse price claims, which reach far, over a
/// longer region than the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rules {
    All,
    WithoutPrice,
    PriceOnly,
}

/// How far evidence and its context reach, in characters: context `before` evidence, the
/// `longest` evidence (a price claim's reference and offer), and context `after` it (a warning
/// said after a quote, an allow-listed phrase later in the sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reach {
    pub before: usize,
    /// The longest evidence other than price claims.
    pub longest: usize,
    /// The longest price claim.
    pub price: usize,
    pub after: usize,
}

/// What one analysis works on: the normalized text and what was found in it.
struct Scan<'a> {
    norm: &'a Normalized,
    chars: Vec<char>,
    hits: Vec<Hit>,
    numbers: Vec<crate::numeral::Number>,
    bounds: Boundaries,
}

/// Whether `chars[start..end]` has a Chinese character at an edge (where a match can cut a
/// word).
fn cjk_edge(chars: &[char], start: usize, end: usize) -> bool {
    let cjk = crate::normalize::is_cjk;
    cjk(chars[start]) || cjk(chars[end - 1])
}

/// A short match (at most three characters) with a Chinese edge: what jieba is asked about.
fn short_cjk_edge(chars: &[char], start: usize, end: usize) -> bool {
    end - start <= 3 && cjk_edge(chars, start, end)
}

/// A Latin edge of a match may not run into other Latin letters (`vx` in `vxabc`, `加v` in
/// `加vip`), unless decoration or a space separates them.
fn latin_ok(scan: &Scan<'_>, start: usize, end: usize) -> bool {
    let chars = &scan.chars;
    let latin = |c: char| c.is_ascii_alphanumeric();
    let runs_in =
        |a: usize, b: usize| latin(chars[a]) && latin(chars[b]) && scan.norm.flags(b) & GAP == 0;
    let before = start > 0 && runs_in(start - 1, start);
    let after = end < chars.len() && runs_in(end - 1, end);
    !(before || after)
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

    /// The normalizer (for the archive's tokenizer and live sessions).
    pub(crate) fn normalizer(&self) -> &Normalizer {
        &self.inner.normalizer
    }

    /// The segmenter, with every lexicon term in its dictionary (for the archive's tokenizer).
    #[cfg(feature = "index")]
    pub(crate) fn segmenter(&self) -> &Segmenter {
        &self.inner.segmenter
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
            self.findings(piece, Rules::All, 0, &mut findings);
            if offset > 0 {
                let chars = text[..offset].chars().count();
                for f in &mut findings[before..] {
                    shift(f, offset, chars);
                }
            }
        }
        score::score(findings, &self.inner.tactics, &self.inner.lexicon.scoring)
    }

    /// How far, in normalized characters, evidence and its context reach (for live sessions).
    pub(crate) fn reach(&self) -> Reach {
        let lex = &self.inner.lexicon;
        let (mut longest, mut price) = (64, 0); // 64: a pattern match or a long term
        for rule in lex.tactics.iter().flat_map(|t| t.rules.iter()) {
            match &rule.kind {
                LexRule::Terms(d) => {
                    let term = d
                        .terms
                        .iter()
                        .map(|t| t.chars().count() * 3)
                        .max()
                        .unwrap_or(0);
                    longest = longest.max(term);
                }
                LexRule::Cooccur(d) => longest = longest.max(d.window + 16),
                LexRule::Frame(d) => longest = longest.max(frame::reach(d) + 16),
                LexRule::Price(d) => price = price.max(d.window + CUE_REACH + 32),
                _ => {}
            }
        }
        let ctx = &lex.context;
        let before = [
            ctx.negation.window,
            ctx.warning.window,
            ctx.reported.window,
            ctx.question.window,
            SENTENCE_REACH,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
            + 16;
        let after = [ctx.warning.after, ctx.reported.after, SENTENCE_REACH]
            .into_iter()
            .max()
            .unwrap_or(0)
            + 8;
        Reach {
            before,
            longest,
            price,
            after,
        }
    }

    /// The findings of `rules` in `text` that end after character `min_end`, sorted by
    /// position, unscored (for live sessions).
    pub(crate) fn findings_of(&self, text: &str, rules: Rules, min_end: usize) -> Vec<Finding> {
        let mut out = Vec::new();
        for (offset, piece) in pieces(text) {
            let before = out.len();
            let skip = text[..offset].chars().count();
            self.findings(piece, rules, min_end.saturating_sub(skip), &mut out);
            if offset > 0 {
                let chars = text[..offset].chars().count();
                for f in &mut out[before..] {
                    shift(f, offset, chars);
                }
            }
        }
        out.sort_by_key(|f| (f.start, f.end));
        out
    }

    /// Scores findings with this analyzer's model (for live sessions).
    pub(crate) fn score_findings(&self, findings: Vec<Finding>) -> Report {
        score::score(findings, &self.inner.tactics, &self.inner.lexicon.scoring)
    }

    /// Scores evidence without building a report (for live sessions' window risk).
    pub(crate) fn score_evidence(&self, evidence: &[score::Evidence<'_>]) -> score::Scored {
        score::score_evidence(evidence, &self.inner.tactics, &self.inner.lexicon.scoring)
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
    /// Only evidence ending after character `min_end` of `text` is turned into findings.
    fn findings(&self, text: &str, rules: Rules, min_end: usize, out: &mut Vec<Finding>) {
        let inner = &*self.inner;
        let (price, others) = (rules != Rules::WithoutPrice, rules != Rules::PriceOnly);
        let norm = inner.normalizer.normalize(text);
        let chars: Vec<char> = norm.text().chars().collect();
        let numbers = find_numbers(&chars);
        let mut hits = Vec::new();
        let matcher = if rules == Rules::PriceOnly {
            &inner.price_matcher
        } else {
            &inner.matcher
        };
        matcher.scan(&norm, &mut hits);

        // Which hits need jieba's word boundaries: segment all their windows in one go.
        let number_starts: Vec<usize> = numbers.iter().map(|n| n.start).collect();
        let number_follows = |end: usize| {
            let next = number_starts.partition_point(|&s| s < end);
            number_starts
                .get(next)
                .is_some_and(|&s| s <= end + CUE_REACH)
        };
        let mut checks: Vec<(usize, usize)> = Vec::new();
        for hit in &hits {
            let boundary = match hit.target {
                Target::Term { .. } | Target::Group { .. } | Target::Slot { .. } if !others => {
                    continue;
                }
                Target::Price { .. } if !price => continue,
                Target::Term { tactic, rule, .. } => {
                    match &inner.lexicon.tactics[tactic as usize].rules[rule as usize].kind {
                        LexRule::Terms(terms) => terms.boundary,
                        _ => continue,
                    }
                }
                // Co-occurrence members are checked only where a rule completes (see
                // `cooccurrences_checked`): most of them never do.
                Target::Group { .. } => continue,
                Target::Price { .. } if number_follows(hit.end) => Boundary::Auto,
                _ => continue,
            };
            if self.needs_segmentation(&chars, hit, boundary) {
                checks.push((hit.start, hit.end));
            }
        }
        checks.sort_unstable();
        checks.dedup();
        let scan = Scan {
            norm: &norm,
            bounds: inner.segmenter.boundaries(&norm, &checks),
            chars,
            hits,
            numbers,
        };
        let on_boundaries = |hit: &Hit, boundary: Boundary| {
            latin_ok(&scan, hit.start, hit.end)
                && !(self.needs_segmentation(&scan.chars, hit, boundary)
                    && scan.bounds.cuts_word(hit.start, hit.end))
        };

        let mut cands = Vec::new();
        let mut cues: Vec<Cue> = Vec::new();
        let mut questions: Vec<Cue> = Vec::new();
        let mut price_cues: Vec<((usize, usize), PriceCue)> = Vec::new();
        let mut groups: Vec<(usize, usize, usize, Hit)> = Vec::new();
        let mut anchors: Vec<(usize, usize)> = Vec::new();
        let mut frame: Vec<(u16, Hit)> = Vec::new();
        let mut slots: Vec<SlotHit> = Vec::new();
        let mut selling = false;
        for hit in &scan.hits {
            let cue = |reason| Cue {
                reason,
                start: hit.start,
                end: hit.end,
            };
            match hit.target {
                Target::Term { .. }
                | Target::Group { .. }
                | Target::Slot { .. }
                | Target::PatternAnchor { .. }
                    if !others => {}
                Target::Slot { set, form } => {
                    if latin_ok(&scan, hit.start, hit.end) {
                        slots.push(SlotHit {
                            set,
                            form,
                            start: hit.start,
                            end: hit.end,
                        });
                    }
                }
                Target::Price { .. } if !price => {}
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
                    if !on_boundaries(hit, terms.boundary) {
                        continue;
                    }
                    cands.push(Candidate {
                        tactic: t,
                        rule: r,
                        kind: RuleKind::Term,
                        term: Some(terms.terms[term as usize].clone()),
                        form,
                        weight: def.weight,
                        start: hit.start,
                        end: hit.end,
                        parts: Vec::new(),
                        negatable: def.negatable,
                        severity: def.severity,
                        neutral: None,
                    });
                }
                Target::Group {
                    tactic,
                    rule,
                    group,
                } => {
                    if latin_ok(&scan, hit.start, hit.end) {
                        groups.push((tactic as usize, rule as usize, group as usize, *hit));
                    }
                }
                // "我们不是骗子" is no warning.
                Target::Warning => {
                    if inner
                        .context
                        .negation(&scan.chars, &norm, hit.start)
                        .is_none()
                    {
                        cues.push(cue(NeutralReason::Warning));
                    }
                }
                Target::Reported => cues.push(cue(NeutralReason::ReportedSpeech)),
                Target::Question => questions.push(cue(NeutralReason::ReportedSpeech)),
                Target::Price { tactic, rule, role } => {
                    if number_follows(hit.end) && on_boundaries(hit, Boundary::Auto) {
                        let (start, end) = (hit.start, hit.end);
                        let key = (tactic as usize, rule as usize);
                        price_cues.push((key, PriceCue { start, end, role }));
                    }
                }
                Target::PatternAnchor { tactic } => anchors.push((tactic as usize, hit.start)),
                Target::Frame(i) => frame.push((i, *hit)),
                Target::Selling => selling = true,
                Target::Allow { .. } => {}
            }
        }
        if others {
            self.cooccurrences_checked(&scan, &mut groups, &mut cands);
            self.patterns(&scan, &mut anchors, &mut cands);
            self.frames(&scan, &mut slots, &mut cands);
        }
        self.numbers(&scan, &price_cues, rules, &mut cands);
        cues.sort_by_key(|c| (c.start, c.end));
        self.neutralize(&scan, &cues, &questions, &mut cands);
        if rules == Rules::All {
            self.frame(&frame, selling, &mut cands);
            self.quoted(&scan, text, !frame.is_empty(), &mut cands);
        }
        dedupe(&mut cands);
        for c in cands {
            if min_end == 0 || scan.norm.original_range(c.start, c.end).char_end > min_end {
                out.push(self.finding(&scan, text, c));
            }
        }
    }

    /// Co-occurrence rules with word-boundary checks done lazily: the members of the rules
    /// that complete are segmented, and the rules re-run without the members that cut a word
    /// (`治` in `法治`), until every part stands on word boundaries. The same result as checking
    /// every member first, at the cost of the candidates only.
    fn cooccurrences_checked(
        &self,
        scan: &Scan<'_>,
        groups: &mut Vec<(usize, usize, usize, Hit)>,
        out: &mut Vec<Candidate>,
    ) {
        let mut checked: std::collections::HashSet<(usize, usize)> = Default::default();
        loop {
            let mut found = Vec::new();
            self.cooccurrences(&scan.chars, groups, &mut found);
            let mut spans: Vec<(usize, usize)> = found
                .iter()
                .flat_map(|c| c.parts.iter().map(|p| (p.1, p.2)))
                .filter(|&(s, e)| !checked.contains(&(s, e)) && short_cjk_edge(&scan.chars, s, e))
                .collect();
            spans.sort_unstable();
            spans.dedup();
            if spans.is_empty() {
                out.extend(found);
                return;
            }
            let bounds = self.inner.segmenter.boundaries(scan.norm, &spans);
            let bad: std::collections::HashSet<(usize, usize)> = spans
                .iter()
                .copied()
                .filter(|&(s, e)| bounds.cuts_word(s, e))
                .collect();
            checked.extend(spans);
            if bad.is_empty() {
                out.extend(found);
                return;
            }
            groups.retain(|g| !bad.contains(&(g.3.start, g.3.end)));
        }
    }

    /// Frame rules: slot matches whose outer edges fall on word boundaries (the slots inside
    /// may join into one word: `抗` + `癌`). Only the frames found are segmented.
    fn frames(&self, scan: &Scan<'_>, slots: &mut [SlotHit], out: &mut Vec<Candidate>) {
        if slots.is_empty() {
            return;
        }
        let found = frame::find(&self.inner.lexicon, &scan.chars, slots);
        if found.is_empty() {
            return;
        }
        // Short evasion forms inside a frame are checked on their own too: `微` (for 微信)
        // inside `微博` is no messenger.
        let short_variant = |c: &Candidate, k: usize| {
            let (s, e) = (c.parts[k].1, c.parts[k].2);
            c.form != FormKind::Literal && e - s <= 2 && cjk_edge(&scan.chars, s, e)
        };
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for c in &found {
            if cjk_edge(&scan.chars, c.start, c.end) {
                spans.push((c.start, c.end));
            }
            for k in (0..c.parts.len()).filter(|&k| short_variant(c, k)) {
                spans.push((c.parts[k].1, c.parts[k].2));
            }
        }
        let bounds = self.inner.segmenter.boundaries(scan.norm, &spans);
        // The frame's start must not cut a word (`治` in `法治`); its end only when the last
        // slot is short (`癌` of `癌症`): a longer last slot ends a phrase, even where the
        // segmenter joins it to the next character (`直接加` + `我`).
        let ends_ok = |c: &Candidate| {
            let last = c.parts.last().map_or(0, |p| p.2 - p.1);
            !bounds.cuts_at(c.start) && (last > 2 || !bounds.cuts_at(c.end))
        };
        out.extend(found.into_iter().filter(|c| {
            ends_ok(c)
                && !(0..c.parts.len())
                    .any(|k| short_variant(c, k) && bounds.cuts_word(c.parts[k].1, c.parts[k].2))
        }));
    }

    /// Whether a hit must be checked against jieba's word boundaries: short terms (or every
    /// term, for `boundary = "always"`) with a Chinese character at an edge.
    fn needs_segmentation(&self, chars: &[char], hit: &Hit, boundary: Boundary) -> bool {
        let check = match boundary {
            Boundary::Never => false,
            Boundary::Always => true,
            // A pinyin or variant form is checked like its term: by the term's length.
            Boundary::Auto => match hit.target {
                Target::Term {
                    tactic, rule, term, ..
                } => match &self.inner.lexicon.tactics[tactic as usize].rules[rule as usize].kind {
                    LexRule::Terms(t) => t.terms[term as usize].chars().count() <= 3,
                    _ => false,
                },
                _ => return short_cjk_edge(chars, hit.start, hit.end),
            },
        };
        check && cjk_edge(chars, hit.start, hit.end)
    }

    /// Co-occurrence rules: for each rule, windows holding a member of every group.
    fn cooccurrences(
        &self,
        chars: &[char],
        groups: &mut [(usize, usize, usize, Hit)],
        out: &mut Vec<Candidate>,
    ) {
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
                    // Parts stay within the anchor's sentence and the window.
                    let reach = (anchor_hit.start + def.window).min(chars.len());
                    let limit = (anchor_hit.end.min(reach)..reach)
                        .find(|&i| is_sentence_break(chars[i]))
                        .unwrap_or(reach);
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
                            severity: rule.severity,
                            neutral: None,
                        });
                        next_free = end;
                    }
                }
            }
            i = j;
        }
    }

    /// Regular-expression pattern rules: one multi-pattern search per tactic.
    fn patterns(&self, scan: &Scan<'_>, anchors: &mut [(usize, usize)], out: &mut Vec<Candidate>) {
        use regex_automata::{Anchored, Input};
        anchors.sort_unstable();
        let text = scan.norm.text();
        let mut number_runs: Option<Vec<usize>> = None;
        for (t, tactic) in self.inner.lexicon.tactics.iter().enumerate() {
            let Some(regex) = &tactic.patterns else {
                continue;
            };
            let mut push = |m: regex_automata::Match| -> usize {
                let (start, end) = (scan.norm.unit_at(m.start()), scan.norm.unit_at(m.end()));
                let id = m.pattern().as_usize();
                let r = tactic.pattern_rules[id];
                let rule = &tactic.rules[r];
                if let (LexRule::Pattern(sources), true) = (&rule.kind, start < end) {
                    let first = tactic
                        .pattern_rules
                        .iter()
                        .position(|&x| x == r)
                        .unwrap_or(id);
                    out.push(Candidate {
                        tactic: t,
                        rule: r,
                        kind: RuleKind::Pattern,
                        term: sources.get(id - first).cloned(),
                        form: FormKind::Literal,
                        weight: rule.weight,
                        start,
                        end,
                        parts: Vec::new(),
                        negatable: rule.negatable,
                        severity: rule.severity,
                        neutral: None,
                    });
                }
                end
            };
            if tactic.anchors.full_scan {
                for m in regex.find_iter(text) {
                    push(m);
                }
                continue;
            }
            // Anchored searches where a match can start: the literal prefixes the automaton
            // found, and numbers for patterns that start with one.
            let lo = anchors.partition_point(|&(at, _)| at < t);
            let hi = anchors.partition_point(|&(at, _)| at <= t);
            let mut starts: Vec<usize> = anchors[lo..hi].iter().map(|&(_, s)| s).collect();
            if tactic.anchors.numbers {
                starts.extend(
                    number_runs
                        .get_or_insert_with(|| crate::numeral::run_starts(&scan.chars))
                        .iter(),
                );
                starts.sort_unstable();
                starts.dedup();
            }
            let mut next_free = 0;
            for s in starts {
                if s < next_free {
                    continue;
                }
                let input = Input::new(text)
                    .range(scan.norm.byte_of(s)..)
                    .anchored(Anchored::Yes);
                if let Some(m) = regex.search(&input) {
                    next_free = push(m);
                }
            }
        }
    }

    /// Price claims and personal numbers: the rules that read numbers.
    fn numbers(
        &self,
        scan: &Scan<'_>,
        price_cues: &[((usize, usize), PriceCue)],
        rules: Rules,
        out: &mut Vec<Candidate>,
    ) {
        let numbers = &scan.numbers;
        for (t, tactic) in self.inner.lexicon.tactics.iter().enumerate() {
            for (r, rule) in tactic.rules.iter().enumerate() {
                match &rule.kind {
                    LexRule::Price(def) if rules != Rules::WithoutPrice => {
                        let mut cues: Vec<PriceCue> = price_cues
                            .iter()
                            .filter(|(key, _)| *key == (t, r))
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
                                severity: Severity::Normal,
                                neutral: None,
                            });
                        }
                    }
                    LexRule::Pii(kind) if rules != Rules::PriceOnly => {
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
                                severity: Severity::Normal,
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
        // Allow-listed hits by (tactic, start): each candidate looks only near itself.
        let mut allows: Vec<(usize, usize, usize, AllowScope)> = scan
            .hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Allow { tactic, allow } => {
                    let scope =
                        self.inner.lexicon.tactics[tactic as usize].allow[allow as usize].scope;
                    Some((tactic as usize, h.start, h.end, scope))
                }
                _ => None,
            })
            .collect();
        allows.sort_unstable_by_key(|a| (a.0, a.1, a.2));
        let longest_allow = allows.iter().map(|a| a.2 - a.1).max().unwrap_or(0);
        for c in cands.iter_mut() {
            let spans: Vec<(usize, usize)> = if c.parts.is_empty() {
                vec![(c.start, c.end)]
            } else {
                c.parts.iter().map(|p| (p.1, p.2)).collect()
            };
            // Allow-listed phrases win over the terms inside them.
            let from = c.start.saturating_sub(SENTENCE_REACH.max(longest_allow));
            let lo = allows.partition_point(|a| (a.0, a.1) < (c.tactic, from));
            let hi = allows.partition_point(|a| (a.0, a.1) < (c.tactic, c.end + SENTENCE_REACH));
            let allowed = allows[lo..hi]
                .iter()
                .find(|&&(_, s, e, scope)| match scope {
                    AllowScope::Overlap => spans.iter().any(|&(cs, ce)| s < ce && cs < e),
                    AllowScope::Sentence => same_sentence(&scan.chars, s, e, c.start, c.end),
                });
            if let Some(&(_, start, end, _)) = allowed {
                c.neutral = Some(Cue {
                    reason: NeutralReason::AllowListed,
                    start,
                    end,
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
            if let Some(cue) = spans
                .iter()
                .find_map(|&(s, _)| ctx.quote(&scan.chars, scan.norm, s))
            {
                c.neutral = Some(cue);
                continue;
            }
            c.neutral = spans.iter().find_map(|&(s, e)| {
                ctx.question(&scan.chars, scan.norm, questions, s)
                    .or_else(|| ctx.in_scope(&scan.chars, cues, s, e))
            });
        }
    }

    /// A transcript framed as news, consumer education or a scam warning (enough distinct frame
    /// cues, more when selling is going on) quotes scam phrases rather than using them: what
    /// evidence is left scoring is neutralized as reported speech, with the first frame cue.
    fn frame(&self, frame: &[(u16, Hit)], selling: bool, cands: &mut [Candidate]) {
        let def = &self.inner.lexicon.context.frame;
        let mut distinct: Vec<u16> = frame.iter().map(|(i, _)| *i).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let needed = if selling { def.strong } else { def.min };
        let Some((_, first)) = frame.iter().min_by_key(|(_, h)| h.start) else {
            return;
        };
        if needed == 0 || distinct.len() < needed {
            return;
        }
        for c in cands.iter_mut().filter(|c| c.neutral.is_none()) {
            c.neutral = Some(Cue {
                reason: NeutralReason::ReportedSpeech,
                start: first.start,
                end: first.end,
            });
        }
    }

    /// Evidence inside quotation marks (`‘保本保息’`, `“原价回收”`) is somebody else's words when
    /// the transcript has a frame cue anywhere, or when a verb of saying introduces the quote
    /// (`很多直播间说‘按原价回购’`): it is neutralized as reported speech, with the opening mark
    /// as its cue. Recognized speech has no quotation marks, so this never touches it.
    fn quoted(&self, scan: &Scan<'_>, text: &str, framed: bool, cands: &mut [Candidate]) {
        const OPEN: [char; 6] = ['‘', '“', '「', '『', '\'', '"'];
        const CLOSE: [char; 6] = ['’', '”', '」', '』', '\'', '"'];
        const REACH: usize = 60;
        let ends = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n');
        for c in cands.iter_mut().filter(|c| c.neutral.is_none()) {
            let r = scan.norm.original_range(c.start, c.end);
            let before = &text[..r.start];
            let mut open = None;
            for (i, ch) in before.char_indices().rev().take(REACH) {
                if ends(ch) || CLOSE[..4].contains(&ch) {
                    break;
                }
                if OPEN.contains(&ch) {
                    open = Some((i, ch));
                    break;
                }
            }
            let Some((at, mark)) = open else { continue };
            let want = CLOSE[OPEN.iter().position(|&o| o == mark).unwrap_or(0)];
            let close = text[r.end..]
                .char_indices()
                .take(REACH)
                .take_while(|&(_, ch)| !ends(ch))
                .find(|&(_, ch)| ch == want)
                .map(|(i, _)| r.end + i);
            let Some(close) = close else { continue };
            let said = text[..at]
                .chars()
                .rev()
                .take(3)
                .any(|ch| matches!(ch, '说' | '讲' | '称' | '叫' | '问' | '喊' | '念' | '写'));
            if framed || said {
                // The cue is the quotation itself.
                c.neutral = Some(Cue {
                    reason: NeutralReason::ReportedSpeech,
                    start: scan.norm.unit_at_original(at + mark.len_utf8()),
                    end: scan.norm.unit_at_original(close),
                });
            }
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
            severity: c.severity,
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

/// How far apart (in characters) a sentence-scope allowed phrase and its evidence may be.
const SENTENCE_REACH: usize = 80;

fn same_sentence(chars: &[char], a0: usize, a1: usize, b0: usize, b1: usize) -> bool {
    let (lo, hi) = (a0.min(b0), a1.max(b1));
    !(lo..hi.min(chars.len()))
        .any(|i| is_sentence_break(chars[i]) && !(a0..a1).contains(&i) && !(b0..b1).contains(&i))
        && hi - lo <= SENTENCE_REACH
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
    fn inside(c: &Candidate, k: &Candidate) -> bool {
        let within = |s: usize, e: usize| {
            if k.parts.is_empty() {
                k.start <= s && e <= k.end
            } else {
                k.parts.iter().any(|p| p.1 <= s && e <= p.2)
            }
        };
        if c.parts.is_empty() {
            within(c.start, c.end)
        } else {
            c.parts.iter().all(|p| within(p.1, p.2))
        }
    }
    // Strongest first: scoring, then serious, then heavier, then longer evidence.
    cands.sort_by(|a, b| {
        a.tactic
            .cmp(&b.tactic)
            .then(a.neutral.is_some().cmp(&b.neutral.is_some()))
            .then(b.severity.cmp(&a.severity))
            .then(b.weight.total_cmp(&a.weight))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut keep = vec![false; cands.len()];
    let mut i = 0;
    while i < cands.len() {
        let tactic = cands[i].tactic;
        let j = i + cands[i..].partition_point(|c| c.tactic == tactic);
        let longest = cands[i..j]
            .iter()
            .map(|c| c.end - c.start)
            .max()
            .unwrap_or(0);
        // Kept candidates of this tactic by start: only those starting within `longest` before
        // a candidate can contain or overlap it.
        let mut kept: std::collections::BTreeMap<usize, Vec<usize>> =
            std::collections::BTreeMap::new();
        for x in i..j {
            let c = &cands[x];
            let redundant = kept
                .range(c.start.saturating_sub(longest)..c.end)
                .flat_map(|(_, v)| v.iter())
                .any(|&y| {
                    let k = &cands[y];
                    if k.neutral.is_some() && c.neutral.is_none() {
                        return false;
                    }
                    if k.severity < c.severity {
                        return false;
                    }
                    let same_rule_overlap = k.rule == c.rule
                        && c.parts.is_empty()
                        && k.parts.is_empty()
                        && k.start < c.end
                        && c.start < k.end;
                    // Either way round: a heavier phrase kept first is not double-counted by a
                    // lighter, longer rule around it.
                    same_rule_overlap || inside(c, k) || (k.weight > c.weight && inside(k, c))
                });
            if !redundant {
                keep[x] = true;
                kept.entry(c.start).or_default().push(x);
            }
        }
        i = j;
    }
    let mut flags = keep.into_iter();
    cands.retain(|_| flags.next().unwrap_or(false));
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

/// Moves a finding's offsets (and its parts' and cue's) by `bytes` and `chars`.
pub(crate) fn shift(f: &mut Finding, bytes: usize, chars: usize) {
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
