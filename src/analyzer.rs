//! The [`Analyzer`]: built once from lexicons (where everything that can fail fails), then
//! shared across threads to analyse any number of texts, none of which can make it fail.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use once_cell::sync::Lazy;

use crate::context::{ContextRules, Cue};
use crate::error::Result;
use crate::lexicon::{Boundary, LexiconSet, RuleKind as LexRule, Source, Tactic};
use crate::matcher::{MAX_PATTERNS, Matcher, PatternSet, Target};
use crate::normalize::{MAX_PIECE, Normalizer};
use crate::numeral::find_numbers;
use crate::price::{BACKWARD_REACH, CUE_REACH, PriceCue};
use crate::report::{Finding, NeutralReason, Neutralization, Part, Report, Role};
use crate::rules::dedupe::dedupe;
use crate::rules::frame::{self, SlotHit};
use crate::rules::neutralize::{FrameCue, FrameEvidence};
use crate::rules::{
    Buckets, Candidate, SENTENCE_REACH, Scan, cooccur, latin_ok, neutralize, number, pattern, term,
};
use crate::score;
use crate::segment::Segmenter;
use crate::transcript::role::LineSpeakers;
use crate::transcript::{RoleMap, Transcript};

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
    max_patterns: usize,
    roles: RoleMap,
}

impl Default for AnalyzerBuilder {
    fn default() -> Self {
        AnalyzerBuilder {
            defaults: true,
            paths: Vec::new(),
            strings: Vec::new(),
            only: None,
            max_patterns: MAX_PATTERNS,
            roles: RoleMap::default(),
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

    /// The most distinct match patterns the lexicons may expand to (every term in its evasion
    /// forms, cues, allow phrases; default 3,000,000). The embedded lexicons expand to about
    /// 450,000 and a file of 100,000 four-character terms adds about 1.35 million, which
    /// builds in tens of seconds and about 1.5 GB; past the limit [`build`](Self::build) fails
    /// with an error naming the largest rule, in time and memory bounded by the limit, instead
    /// of growing with whatever file it was given.
    ///
    /// ```
    /// let err = huashu::Analyzer::builder().max_patterns(1000).build().unwrap_err();
    /// assert!(err.to_string().contains("more than 1000 match patterns"));
    /// ```
    pub fn max_patterns(&mut self, n: usize) -> &mut Self {
        self.max_patterns = n;
        self
    }

    /// How speaker labels map to roles (default [`RoleMap::default`]: the usual kind words,
    /// 主播, 助播, 弹幕, 观众, host, viewer…). A transcript's or a live session's segments
    /// labelled as a viewer's never score as the seller's pitch.
    ///
    /// ```
    /// use huashu::{Role, transcript::{RoleMap, Segment, Transcript}};
    /// let a = huashu::Analyzer::builder()
    ///     .speaker_roles(RoleMap::default().with("spk_1", Role::Viewer))
    ///     .build()?;
    /// let mut comment = Segment::new("主播你们高价回收吗 加我微信聊");
    /// comment.speaker = Some("spk_1".into());
    /// let room = Transcript { id: "room".into(), segments: vec![comment], ..Transcript::default() };
    /// let report = a.analyze_transcript(&room);
    /// assert_eq!(report.level, huashu::Level::None);
    /// assert!(report.findings.iter().all(|f| f.role == Role::Viewer));
    /// # Ok::<(), huashu::Error>(())
    /// ```
    pub fn speaker_roles(&mut self, roles: RoleMap) -> &mut Self {
        self.roles = roles;
        self
    }

    /// Loads and validates the lexicons and compiles the matchers.
    ///
    /// # Errors
    ///
    /// [`Error::Lexicon`](crate::Error::Lexicon) with the file, line and reason when a lexicon
    /// is invalid (unknown tactic, empty term, weight out of range, duplicate id, a window of
    /// 0, a bad pattern, a TOML syntax error); [`Error::Io`](crate::Error::Io) when a path
    /// cannot be read; [`Error::Build`](crate::Error::Build) when the lexicons expand to more
    /// than [`max_patterns`](Self::max_patterns) patterns.
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
                    let jieba = crate::segment::default_jieba();
                    receive.recv().ok().map(|words| {
                        jieba.map(|j| Segmenter::new(j, words.iter().map(String::as_str)))
                    })
                });
                let built = self.compile(extra, move |words| {
                    let _ = send.send(words);
                });
                let segmenter = segmenter
                    .join()
                    .map_err(|_| crate::Error::Build("the segmenter failed to build".into()))?;
                let (lexicon, normalizer, matcher) = built?;
                let segmenter = segmenter
                    .ok_or_else(|| crate::Error::Build("the segmenter got no words".into()))??;
                Ok(Analyzer::assemble(
                    lexicon,
                    normalizer,
                    matcher,
                    segmenter,
                    self.roles.clone(),
                ))
            })
        }
        #[cfg(target_family = "wasm")]
        {
            let mut words = Vec::new();
            let (lexicon, normalizer, matcher) = self.compile(extra, |w| words = w)?;
            let segmenter = Segmenter::new(
                crate::segment::default_jieba()?,
                words.iter().map(String::as_str),
            );
            Ok(Analyzer::assemble(
                lexicon,
                normalizer,
                matcher,
                segmenter,
                self.roles.clone(),
            ))
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
            lexicon.fingerprint = format!("sha256:{}", crate::record::hex(&hasher.finalize()));
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
        // Two regexes a tactic: the anchored patterns, and those searched over the whole text.
        let pick = |t: &crate::lexicon::TacticDef, ids: &[usize]| -> Vec<String> {
            ids.iter().map(|&i| t.pattern_sources[i].clone()).collect()
        };
        let sources: Vec<Vec<String>> = lexicon
            .tactics
            .iter()
            .flat_map(|t| [pick(t, &t.anchored_ids), pick(t, &t.anchors.scan_only)])
            .collect();
        let build = |lexicon: &LexiconSet| -> Result<(Matcher, Matcher)> {
            let patterns = PatternSet::from_lexicon(lexicon, self.max_patterns)?;
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
        let mut regexes = regexes?.into_iter();
        for tactic in lexicon.tactics.iter_mut() {
            tactic.patterns = regexes.next().flatten();
            tactic.scan_patterns = regexes.next().flatten();
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
        roles: RoleMap,
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
                roles,
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
    roles: RoleMap,
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
    /// The longest window from a reference price to an offer said after it: a claim paired
    /// with an offer said before its reference stands only once this much text follows the
    /// reference (an offer after it would take precedence).
    pub price_window: usize,
    pub after: usize,
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

    /// The loaded lexicons (for live sessions' frame).
    pub(crate) fn lexicon(&self) -> &LexiconSet {
        &self.inner.lexicon
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
        // Within the limit: the analyzer was built from these lexicons.
        PatternSet::from_lexicon(&self.inner.lexicon, usize::MAX)
            .unwrap_or_default()
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
            self.findings(piece, Rules::All, 0, &mut findings, None);
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
        let (mut longest, mut price, mut price_window) = (64, 0, 0); // 64: a pattern match or a long term
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
                LexRule::Price(d) => {
                    // The window, the reference's cue and number, and an offer said before it.
                    price = price.max(d.window + 2 * CUE_REACH + BACKWARD_REACH + 32);
                    price_window = price_window.max(d.window);
                }
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
            price_window,
            after,
        }
    }

    /// The tactics with price rules (for live sessions: a price claim absorbs the terms of its
    /// tactic inside its parts).
    pub(crate) fn price_tactics(&self) -> Vec<String> {
        self.inner
            .lexicon
            .tactics
            .iter()
            .filter(|t| t.rules.iter().any(|r| matches!(r.kind, LexRule::Price(_))))
            .map(|t| t.info.id.clone())
            .collect()
    }

    /// The findings of `rules` in `text` that end after character `min_end`, sorted by
    /// position, unscored and without the document frame (for live sessions, which decide the
    /// frame over the whole stream from what `frame` collects).
    pub(crate) fn findings_of(
        &self,
        text: &str,
        rules: Rules,
        min_end: usize,
        frame: &mut FrameEvidence,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for (offset, piece) in pieces(text) {
            let before = out.len();
            let marks = frame.marks();
            let skip = text[..offset].chars().count();
            self.findings(
                piece,
                rules,
                min_end.saturating_sub(skip),
                &mut out,
                Some(&mut *frame),
            );
            if offset > 0 {
                let chars = text[..offset].chars().count();
                for f in &mut out[before..] {
                    shift(f, offset, chars);
                }
                frame.shift_from(marks, offset, chars);
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
    ///     ..Transcript::default()
    /// };
    /// let report = huashu::Analyzer::default_ref().analyze_transcript(&t);
    /// let f = report.findings.iter().find(|f| f.tactic == "off_platform").unwrap();
    /// assert_eq!((f.segment, f.start_ms, f.end_ms), (Some(0), Some(61_000), Some(64_500)));
    /// ```
    pub fn analyze_transcript(&self, transcript: &Transcript) -> Report {
        let mut report = self.analyze(&transcript.joined());
        transcript.locate(&mut report);
        if transcript.assign_roles(&mut report.findings, &self.inner.roles) {
            report = self.score_findings(report.findings);
        }
        report
    }

    /// How speaker labels map to roles (see [`AnalyzerBuilder::speaker_roles`]).
    pub fn speaker_roles(&self) -> &RoleMap {
        &self.inner.roles
    }

    /// Appends the findings in `text` (a piece short enough for u32 offsets).
    /// Only evidence ending after character `min_end` of `text` is turned into findings.
    /// Without `frame`, the document frame is applied; with it, its evidence is collected
    /// there instead (for live sessions).
    fn findings(
        &self,
        text: &str,
        rules: Rules,
        min_end: usize,
        out: &mut Vec<Finding>,
        frame: Option<&mut FrameEvidence>,
    ) {
        let inner = &*self.inner;
        let lex = &inner.lexicon;
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
                    match &lex.tactics[tactic as usize].rules[rule as usize].kind {
                        LexRule::Terms(terms) => terms.boundary,
                        _ => continue,
                    }
                }
                // Co-occurrence members are checked only where a rule completes (see
                // `rules::cooccur`): most of them never do.
                Target::Group { .. } => continue,
                Target::Price { .. } if number_follows(hit.end) => Boundary::Auto,
                _ => continue,
            };
            if term::needs_segmentation(lex, &chars, hit, boundary) {
                checks.push((hit.start, hit.end));
            }
        }
        checks.sort_unstable();
        checks.dedup();
        let scan = Scan {
            norm: &norm,
            bounds: inner.segmenter.boundaries(&norm, &checks),
            breaks: crate::normalize::Breaks::of(&chars),
            chars,
            hits,
            numbers,
        };

        // One pass over the hits: terms become candidates, the rest go to their rule's bucket.
        let mut cands = Vec::new();
        let mut b = Buckets::default();
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
                        b.slots.push(SlotHit {
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
                    let at = (tactic as usize, rule as usize, term as usize);
                    cands.extend(term::candidate(lex, &scan, hit, at, form));
                }
                Target::Group {
                    tactic,
                    rule,
                    group,
                } => {
                    if latin_ok(&scan, hit.start, hit.end) {
                        b.groups
                            .push((tactic as usize, rule as usize, group as usize, *hit));
                    }
                }
                // "我们不是骗子" is no warning.
                Target::Warning => {
                    if inner
                        .context
                        .negation(&scan.chars, &norm, hit.start)
                        .is_none()
                    {
                        b.cues.push(cue(NeutralReason::Warning));
                    }
                }
                Target::Reported => b.cues.push(cue(NeutralReason::ReportedSpeech)),
                Target::Question => b.questions.push(cue(NeutralReason::Viewer)),
                Target::Comment => b.cues.push(cue(NeutralReason::Viewer)),
                Target::Price { tactic, rule, role } => {
                    if number_follows(hit.end)
                        && term::on_boundaries(lex, &scan, hit, Boundary::Auto)
                    {
                        let (start, end) = (hit.start, hit.end);
                        let key = (tactic as usize, rule as usize);
                        b.price_cues.push((key, PriceCue { start, end, role }));
                    }
                }
                // `今天(就|只)…` can only match where 就 or 只 follows, `这{num}…` where a
                // number does.
                Target::PatternAnchor { tactic, anchor } => {
                    let (_, next) = &lex.tactics[tactic as usize].anchors.literals[anchor as usize];
                    if crate::lexicon::next_allows(next, scan.chars.get(hit.end).copied()) {
                        b.anchors.push((tactic as usize, hit.start))
                    }
                }
                Target::Frame(i) => b.frame.push((i, *hit)),
                Target::Selling => b.selling = true,
                Target::Turn => b.turns.push(hit.start),
                Target::Allow { .. } => {}
            }
        }
        if others {
            cooccur::find(lex, &inner.segmenter, &scan, &mut b.groups, &mut cands);
            pattern::find(lex, &scan, &mut b.anchors, &mut cands);
            frame::find_checked(lex, &inner.segmenter, &scan, &mut b.slots, &mut cands);
        }
        number::find(lex, &scan, &b.price_cues, rules, &mut cands);
        b.cues.sort_by_key(|c| (c.start, c.end));
        neutralize::apply(
            lex,
            &inner.context,
            &scan,
            &b.cues,
            &b.questions,
            &b.turns,
            &mut cands,
        );
        // Quotes that say they are somebody else's words are context like the rest; the
        // document frame and the quotes it explains apply to the evidence left after
        // deduplication (a live session applies them to what it has reported).
        neutralize::quoted(&scan, text, false, &mut cands);
        dedupe(&mut cands);
        let mut lines = LineSpeakers::new(&inner.roles, text);
        let Some(frame) = frame else {
            if rules == Rules::All {
                neutralize::document_frame(lex, &b.frame, b.selling, &mut cands);
                neutralize::quoted(&scan, text, !b.frame.is_empty(), &mut cands);
            }
            for c in cands {
                if min_end == 0 || scan.norm.original_range(c.start, c.end).char_end > min_end {
                    out.push(self.finding(&scan, text, &mut lines, c));
                }
            }
            return;
        };
        frame.selling |= b.selling;
        for (group, hit, counts) in neutralize::counted_cues(lex, &b.frame) {
            let o = scan.norm.original_range(hit.start, hit.end);
            frame.cues.push(FrameCue {
                group,
                counts,
                char_start: o.char_start,
                char_end: o.char_end,
                cue: self.neutralization(
                    &scan,
                    text,
                    Cue {
                        reason: NeutralReason::ReportedSpeech,
                        start: hit.start,
                        end: hit.end,
                    },
                ),
            });
        }
        for c in cands {
            if min_end == 0 || scan.norm.original_range(c.start, c.end).char_end > min_end {
                let quote = c
                    .neutral
                    .is_none()
                    .then(|| neutralize::quote_cue(&scan, text, &c))
                    .flatten()
                    .map(|(cue, _)| self.neutralization(&scan, text, cue));
                let f = self.finding(&scan, text, &mut lines, c);
                if let Some(quote) = quote {
                    frame.quoted.push((f.key(), quote));
                }
                out.push(f);
            }
        }
    }

    /// A context cue with original offsets.
    fn neutralization(&self, scan: &Scan<'_>, text: &str, cue: Cue) -> Neutralization {
        let o = scan.norm.original_range(cue.start, cue.end);
        Neutralization {
            reason: cue.reason,
            cue: text[o.start..o.end].to_string(),
            start: o.start,
            end: o.end,
        }
    }

    /// Turns a candidate into a finding with original offsets.
    fn finding(
        &self,
        scan: &Scan<'_>,
        text: &str,
        lines: &mut LineSpeakers<'_>,
        c: Candidate,
    ) -> Finding {
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
        let mut neutralized = c.neutral.map(|cue| self.neutralization(scan, text, cue));
        let mut role = match &neutralized {
            Some(n) if n.reason == NeutralReason::Viewer => Role::Viewer,
            _ => Role::Unknown,
        };
        // A chat or comment log names who speaks at the start of each line (`买家：…`,
        // `「小陈」：…`): evidence wholly in a viewer's line is the viewer's.
        if let Some((speaker, label)) = lines.speaker(r.start, r.end) {
            if role != Role::Viewer {
                role = speaker;
            }
            if speaker == Role::Viewer && neutralized.is_none() {
                neutralized = Some(Neutralization {
                    reason: NeutralReason::Viewer,
                    cue: text[label.clone()].to_string(),
                    start: label.start,
                    end: label.end,
                });
            }
        }
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
            segment_start: None,
            segment_end: None,
            file_start: None,
            file_end: None,
            start_ms: None,
            end_ms: None,
            role,
        }
    }
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
