//! Live sessions: score a livestream while it is still talking.
//!
//! A [`LiveSession`] takes a room's speech-recognition output segment by segment and says, at
//! once and only once, what new evidence each segment completes, and how the room's risk stands.
//!
//! ```
//! use huashu::{Level, transcript::Segment};
//! let analyzer = huashu::Analyzer::default_ref();
//! let mut room = analyzer.session(Default::default());
//! let mut found = Vec::new();
//! for (i, text) in ["宝子们这串翡翠 以后不想要了", "拿回来我们原价回", "收 只高不低", "喜欢的加我薇信 私聊"].iter().enumerate() {
//!     let update = room.push(Segment::timed(*text, i as u64 * 3000, i as u64 * 3000 + 3000));
//!     found.extend(update.findings);
//! }
//! found.extend(room.finish().findings);
//! assert!(found.iter().any(|f| f.tactic == "buyback_promise" && f.matched.contains("原价回")));
//! assert!(room.cumulative().level >= Level::High);
//! ```
//!
//! ## How it works
//!
//! The session keeps the text of its recent segments (joined with `\n`, as
//! [`Transcript::joined`](crate::transcript::Transcript::joined) joins them). A finding is
//! *settled* once enough text follows it that nothing later can change it: no longer term can
//! extend it and no warning said after it can neutralize it (the analyzer's lookahead, about 90
//! characters with the embedded lexicons; a few seconds of speech). Each push analyses only the
//! region that can hold newly settled evidence — the tail of the text back as far as the
//! longest evidence (a price claim's reference and offer, up to ~450 characters) plus its
//! context — and reports the findings that settled with it. So each finding is reported
//! exactly once, with offsets from the session's start, and a push costs the same at hour ten
//! as at minute one. [`LiveSession::finish`] reports what is still waiting for lookahead.
//! A price claim whose offer was said before its reference (今天九十九，原价九百九) waits
//! longer: an offer said after the reference, within the claim window, would pair with it
//! instead, so the claim settles once that window has passed (and what it would absorb, a term
//! of its tactic inside one of its parts, waits with it).
//! Lookahead and reach count normalized characters, as the rules' windows do: decoration
//! padded between a promise and a later warning does not make it settle early.
//!
//! Partial results ([`LiveSession::push_partial`]) are analysed the same way on top of the
//! committed text: what settles with them is reported as *provisional*; the next partial or
//! final result for the utterance replaces the partial, retracting provisional findings that
//! no longer hold and confirming (committing without reporting again) those that do.
//!
//! ## The stream's frame
//!
//! A whole-text analysis neutralizes a transcript's evidence as reported speech when the
//! transcript is news, consumer education or a scam warning (enough distinct frame cues, more
//! when something is sold), and evidence in quotation marks when it has any frame cue. A
//! session keeps the same estimate over the cues settled so far, applies it to each finding as
//! it is reported, and when the estimate changes re-frames the findings it already reported:
//! they come back, as they now stand, in [`Update::reframed`], and the window's risk and the
//! cumulative report count the change. A stream that quotes a script and explains it two
//! minutes later is scored as selling for those two minutes, then neutralized.
//!
//! Where live and whole-text results may still differ:
//! - findings that left the session's memory (out of the risk window, the last
//!   `keep_findings` and the strongest of each tactic) are not re-framed: an hour-long stream
//!   that turns into a warning at its end re-frames only its recent evidence, and the
//!   cumulative counts keep the older findings as they were reported;
//! - a re-framed finding carries the earliest frame cue the session has settled, which is the
//!   whole text's earliest cue except when an earlier cue settles later (a longer cue that
//!   ends after a shorter one it starts before);
//! - provisional findings are framed with the partial result's cues, which the final result
//!   may not repeat: they are confirmed with the frame of the final result.

mod frame;

use std::collections::{HashMap, HashSet, VecDeque};

use crate::analyzer::{Analyzer, Reach, Rules, shift};
use crate::report::{Finding, FindingKey, Level, NeutralReason, Neutralization, Report, Role};
use crate::rules::neutralize::FrameEvidence;
use crate::score::Evidence;
use crate::transcript::Segment;

/// How a live session behaves.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionConfig {
    /// The window the current risk is computed over, in characters of speech (default 3000,
    /// about ten minutes).
    pub horizon_chars: usize,
    /// The window in time, when segments carry timestamps (default ten minutes).
    pub horizon_ms: Option<u64>,
    /// How much text must follow evidence before it is reported, in normalized characters
    /// (decoration such as emoji and spaces does not count), as the analyzer's rules measure
    /// their windows (default: the analyzer's lookahead, enough that a later warning or a
    /// longer term cannot change it). Smaller values alert sooner but may report evidence that
    /// the whole-text analysis would have neutralized.
    pub lookahead_chars: Option<usize>,
    /// The level whose crossing raises an [`Alert`] (default [`Level::High`]).
    pub alert_level: Level,
    /// How many of the most recent findings the cumulative report lists (default 200; its
    /// score counts every finding).
    pub keep_findings: usize,
    /// Whether evidence is reported the moment a push completes it, before it settles
    /// (default [`Provisional::Off`]).
    pub provisional: Provisional,
}

/// When a live session reports evidence that has not settled yet.
///
/// Evidence settles once the lookahead has passed after it (about 90 characters, 25–30 seconds
/// of speech), since a warning or negation said after it may still neutralize it. Reporting it
/// at once, as *provisional*, lets an alert fire while the host is still selling; the session
/// then confirms it ([`Update::confirmed`]) or retracts it ([`Update::retracted`]) when it
/// settles, and the confirmed evidence is exactly what the settled-only session reports.
///
/// ```
/// use huashu::{Provisional, SessionConfig, transcript::Segment};
/// let analyzer = huashu::Analyzer::default_ref();
/// let config = SessionConfig::default().with_provisional(Provisional::Alert);
/// let mut room = analyzer.session(config);
/// let u = room.push(Segment::timed("这串翡翠以后不想要了拿回来我们原价回收", 0, 4000));
/// // Reported by the push that said it, not half a minute later.
/// assert!(u.provisional.iter().any(|f| f.tactic == "buyback_promise"));
/// assert!(u.findings.is_empty());
/// let done = room.finish();
/// assert!(done.confirmed.iter().any(|f| f.tactic == "buyback_promise"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Provisional {
    /// Report evidence only once it settles, in [`Update::findings`] (partial recognizer
    /// results still report theirs as provisional).
    #[default]
    Off,
    /// Report evidence in the push that completes it, in [`Update::provisional`]; it is
    /// confirmed or retracted when it settles. The window's risk and alerts count settled
    /// evidence only.
    Report,
    /// As [`Report`](Self::Report), and the window's risk and alerts count provisional
    /// evidence too: an alert may fire on evidence that is later retracted.
    Alert,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            horizon_chars: 3000,
            horizon_ms: Some(10 * 60 * 1000),
            lookahead_chars: None,
            alert_level: Level::High,
            keep_findings: 200,
            provisional: Provisional::Off,
        }
    }
}

impl SessionConfig {
    /// Sets [`SessionConfig::horizon_chars`].
    pub fn with_horizon_chars(mut self, chars: usize) -> Self {
        self.horizon_chars = chars;
        self
    }

    /// Sets [`SessionConfig::horizon_ms`] (`None`: no time limit).
    pub fn with_horizon_ms(mut self, ms: Option<u64>) -> Self {
        self.horizon_ms = ms;
        self
    }

    /// Sets [`SessionConfig::lookahead_chars`].
    pub fn with_lookahead_chars(mut self, chars: usize) -> Self {
        self.lookahead_chars = Some(chars);
        self
    }

    /// Sets [`SessionConfig::alert_level`].
    pub fn with_alert_level(mut self, level: Level) -> Self {
        self.alert_level = level;
        self
    }

    /// Sets [`SessionConfig::keep_findings`].
    pub fn with_keep_findings(mut self, n: usize) -> Self {
        self.keep_findings = n;
        self
    }

    /// Sets [`SessionConfig::provisional`].
    pub fn with_provisional(mut self, provisional: Provisional) -> Self {
        self.provisional = provisional;
        self
    }
}

/// The risk of the session's current window.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Risk {
    /// Score in [0, 1] over the findings in the window.
    pub score: f64,
    /// Its level.
    pub level: Level,
    /// Tactics present in the window, highest score first.
    pub tactics: Vec<String>,
}

/// Raised when the window's level rises to or past the configured level: once per rise.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Alert {
    /// The level reached.
    pub level: Level,
    /// The level before the segment that raised it.
    pub previous: Level,
    /// The window's score.
    pub score: f64,
    /// When (the end of the segment that raised it), if known.
    pub at_ms: Option<u64>,
    /// The evidence that raised it: the strongest scoring finding of each tactic the window's
    /// risk counted, strongest first (provisional ones too, with [`Provisional::Alert`]).
    pub findings: Vec<Finding>,
}

/// What a push changed.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Update {
    /// Evidence that settled with this push, each reported once over the session.
    pub findings: Vec<Finding>,
    /// Evidence that settled on top of a partial result: it may still be retracted.
    pub provisional: Vec<Finding>,
    /// Provisional evidence that a revised or final result no longer holds.
    pub retracted: Vec<Finding>,
    /// Provisional evidence that a final result committed: it is now as good as a finding
    /// (and is not reported in [`findings`](Self::findings) again).
    pub confirmed: Vec<Finding>,
    /// Findings reported earlier whose neutralization changed with the stream's frame, as they
    /// now stand: a stream that turns out to explain or warn about scam scripts neutralizes
    /// what it said before (reported speech), and a stream that turns to selling may make
    /// such evidence score again. The window's risk already counts the change.
    pub reframed: Vec<Finding>,
    /// Set when the window's level rose past the alert level with this push.
    pub alert: Option<Alert>,
    /// The window's risk after this push.
    pub risk: Risk,
}

/// What one analysis of the session's tail found: the findings that settled, the frame cues
/// of the text analysed, and the quotation around each finding that a frame cue makes
/// somebody else's words (session offsets).
#[derive(Debug, Default)]
struct Pass {
    found: Vec<Finding>,
    frame: FrameEvidence,
    quotes: HashMap<FindingKey, Neutralization>,
    /// When the price claims were analysed: the characters where the claims that do not
    /// stand yet settle. A claim paired with an offer said before its reference
    /// (今天九十九，原价九百九) stands only once the window after the reference has passed: an
    /// offer said there would take precedence, or, too close to the reference, leave no
    /// claim at all.
    holds: Option<Vec<usize>>,
    /// The session's deferred findings after this pass.
    deferred: Vec<Deferred>,
}

/// What the rules found in the session's tail before the session decided anything (session
/// offsets), kept from a push's settling pass for the pass that reports ahead: both analyse the
/// same committed text, the settling one from further back, so the second reuses it instead of
/// analysing the tail again.
#[derive(Debug, Clone)]
struct Raw {
    /// The committed characters when it was found (it holds for that text only).
    end: usize,
    /// Findings ending at or before this character were left out.
    min_end: usize,
    /// Where the analysed tail starts (the rules but price claims; price claims).
    short_char: usize,
    long_char: usize,
    found: Vec<Finding>,
    frame: FrameEvidence,
    /// The price claims of the tail and their frame evidence, when they were analysed.
    claims: Option<(Vec<Finding>, FrameEvidence)>,
}

/// A finding waiting for the price claim it lies in: reported when that claim turns out not to
/// stand, dropped when it stands (as a whole-text analysis lets a claim absorb the terms of its
/// tactic inside its parts).
#[derive(Debug, Clone)]
struct Deferred {
    /// The character where the claim settles.
    until: usize,
    finding: Finding,
    quote: Option<Neutralization>,
}

/// What becomes of a finding that may lie inside a price claim's part.
enum Absorbed {
    /// No claim absorbs it.
    No,
    /// A claim that stands absorbs it.
    Yes,
    /// Only claims that do not stand yet absorb it; the first of them settles here.
    Until(usize),
}

/// A committed segment, by absolute offsets: bytes and characters of the caller's text, and
/// normalized characters (the unit rule windows, and so lookahead and reach, are measured in).
#[derive(Debug, Clone)]
struct Seg {
    byte: usize,
    char: usize,
    norm: usize,
    start_ms: Option<u64>,
    end_ms: Option<u64>,
    /// Its speaker's role (the analyzer's [`RoleMap`](crate::transcript::RoleMap)).
    role: Role,
}

/// How many findings of each tactic the cumulative score keeps: later repeats weigh
/// `0.5^16` and less.
const TOP_PER_TACTIC: usize = 16;

/// A live session over one room's speech. Cheap to create, `Send`; see the module docs.
#[derive(Debug, Clone)]
pub struct LiveSession {
    analyzer: Analyzer,
    config: SessionConfig,
    reach: Reach,
    lookahead: usize,
    /// The recent committed text, joined with `\n`; starts at `segs.front()`.
    buffer: String,
    segs: VecDeque<Seg>,
    /// Absolute number of the first segment in `segs`.
    first_seg: usize,
    total_bytes: usize,
    total_chars: usize,
    total_norm: usize,
    /// Findings ending at or before this character are reported.
    frontier: usize,
    /// The frontier in normalized characters.
    frontier_norm: usize,
    partial: Option<(Segment, Vec<Finding>)>,
    /// Provisional findings that a final result has not yet settled either way (they end past
    /// its frontier).
    pending: Vec<Finding>,
    /// Price claims that do not stand yet, by the character where they settle (see
    /// [`Pass::holds`]): the price pass runs again when one is due.
    holds: Vec<usize>,
    /// Findings that settled inside a part of a price claim that does not stand yet (the claim
    /// would absorb them): decided when that claim settles, by the character where it does.
    deferred: Vec<Deferred>,
    /// The tactics with price rules (whose findings a price claim may absorb).
    price_tactics: Vec<String>,
    /// The committed characters when `finish` was last called: price claims ending there
    /// were decided (0: never).
    finished: usize,
    /// The last settling pass's raw findings, when reporting at once (taken by the pass that
    /// reports ahead in the same push).
    raw: Option<Raw>,
    window: VecDeque<Finding>,
    recent: VecDeque<Finding>,
    top: HashMap<String, Vec<Finding>>,
    counts: HashMap<String, usize>,
    alerted: bool,
    level: Level,
    frame: frame::StreamFrame,
}

impl Analyzer {
    /// Starts a live session for one room (cheap: the analyzer is shared).
    pub fn session(&self, config: SessionConfig) -> LiveSession {
        let reach = self.reach();
        LiveSession {
            analyzer: self.clone(),
            lookahead: config.lookahead_chars.unwrap_or(reach.after),
            reach,
            config,
            buffer: String::new(),
            segs: VecDeque::new(),
            first_seg: 0,
            total_bytes: 0,
            total_chars: 0,
            total_norm: 0,
            frontier: 0,
            frontier_norm: 0,
            partial: None,
            pending: Vec::new(),
            holds: Vec::new(),
            deferred: Vec::new(),
            price_tactics: self.price_tactics(),
            finished: 0,
            raw: None,
            window: VecDeque::new(),
            recent: VecDeque::new(),
            top: HashMap::new(),
            counts: HashMap::new(),
            alerted: false,
            level: Level::None,
            frame: frame::StreamFrame::default(),
        }
    }
}

impl LiveSession {
    /// Pushes a finalized segment. It replaces any pending partial result.
    pub fn push(&mut self, segment: Segment) -> Update {
        let previous = self.unsettled();
        self.append(&segment);
        let frontier_norm = self.total_norm.saturating_sub(self.lookahead);
        let frontier = self.char_of_unit(frontier_norm, None);
        let mut update = self.settle(frontier, frontier_norm, previous, false);
        if self.config.provisional != Provisional::Off {
            self.report_ahead(&mut update);
        }
        self.raise(&mut update, segment.end_ms);
        update
    }

    /// Pushes a partial (not yet final) result for the current utterance. The next partial or
    /// final result replaces it: findings it settled are reported as provisional once, and
    /// retracted if a later result no longer holds them. A recognizer that revises back and
    /// forth may make the same evidence come and go: each time it comes back it is reported
    /// again as provisional, and each report is confirmed or retracted once.
    pub fn push_partial(&mut self, segment: Segment) -> Update {
        let previous = self.unsettled();
        let sep = usize::from(!self.segs.is_empty());
        let seg = Seg {
            byte: self.total_bytes + sep,
            char: self.total_chars + sep,
            norm: self.total_norm,
            start_ms: segment.start_ms,
            end_ms: segment.end_ms,
            role: self.role_of(&segment),
        };
        let end_norm = self.total_norm + self.norm_len(&segment.text);
        // Reporting at once, a partial result reports all it holds.
        let lookahead = match self.config.provisional {
            Provisional::Off => self.lookahead,
            _ => 0,
        };
        let frontier_norm = end_norm.saturating_sub(lookahead);
        let frontier = self.char_of_unit(frontier_norm, Some((&seg, &segment.text)));
        let partial_seg = Some((&seg, segment.text.as_str()));
        // Reporting at once, it reports all it holds as if speech ended with it.
        let ended = self.config.provisional != Provisional::Off;
        let (pass, _) =
            self.analyze_until(frontier, frontier_norm, partial_seg, ended, None, false);
        let status = self
            .frame
            .status_with(self.analyzer.lexicon(), &pass.frame, self.frontier);
        let mut found = pass.found;
        for f in &mut found {
            let quote = pass.quotes.get(&f.key());
            self.frame.apply_provisional(f, status, quote);
        }
        // What ends past this result's frontier is not decided by it: it stays pending, unless
        // it ends past this result's text (that text was replaced: it is retracted now).
        let end_char = seg.char + segment.text.chars().count();
        let (decided, undecided): (Vec<Finding>, Vec<Finding>) =
            previous.into_iter().partition(|f| {
                ended || self.settles_at(f, partial_seg) <= frontier || f.char_end > end_char
            });
        let before: HashSet<FindingKey> =
            decided.iter().chain(&undecided).map(Finding::key).collect();
        let now: HashSet<FindingKey> = found.iter().map(Finding::key).collect();
        let mut update = Update {
            provisional: found
                .iter()
                .filter(|f| !before.contains(&f.key()))
                .cloned()
                .collect(),
            retracted: decided
                .into_iter()
                .filter(|f| !now.contains(&f.key()))
                .collect(),
            risk: self.risk(),
            ..Update::default()
        };
        update.provisional.sort_by_key(|f| (f.start, f.end));
        let mut held = found;
        held.extend(undecided.into_iter().filter(|f| !now.contains(&f.key())));
        let at_ms = segment.end_ms;
        self.partial = Some((segment, held));
        if self.config.provisional == Provisional::Alert {
            self.raise(&mut update, at_ms);
        }
        update
    }

    /// Ends the session's speech: reports every finding still waiting for lookahead (and
    /// retracts the findings of a partial result that was never finalized).
    pub fn finish(&mut self) -> Update {
        let previous = self.unsettled();
        let end_ms = self.segs.back().and_then(|s| s.end_ms);
        let mut update = self.settle(self.total_chars, self.total_norm, previous, true);
        self.raw = None;
        self.finished = self.total_chars;
        self.raise(&mut update, end_ms);
        update
    }

    /// The risk over the current window (the last `horizon_chars` / `horizon_ms`).
    ///
    /// With [`Provisional::Alert`] it counts the provisional evidence still pending too.
    pub fn risk(&self) -> Risk {
        self.risk_and_evidence().0
    }

    /// The window's risk and the findings it counts.
    fn risk_and_evidence(&self) -> (Risk, Vec<&Finding>) {
        let mut counted: Vec<&Finding> = self.window.iter().collect();
        if self.config.provisional == Provisional::Alert {
            counted.extend(self.pending.iter().filter(|f| f.is_scoring()));
            if let Some((_, held)) = &self.partial {
                counted.extend(held.iter().filter(|f| f.is_scoring()));
            }
        }
        let evidence: Vec<Evidence<'_>> = counted.iter().map(|f| Evidence::from(*f)).collect();
        let scored = self.analyzer.score_evidence(&evidence);
        let risk = Risk {
            score: scored.score,
            level: scored.level,
            tactics: scored.tactics.into_iter().map(|t| t.tactic).collect(),
        };
        (risk, counted)
    }

    /// The report of the whole session so far: its score counts every committed finding (the
    /// strongest of each tactic), its findings list the most recent `keep_findings`.
    pub fn cumulative(&self) -> Report {
        let top: Vec<Finding> = self.top.values().flatten().cloned().collect();
        let mut report = self.analyzer.score_findings(top);
        for t in &mut report.tactics {
            t.findings = self.counts.get(&t.tactic).copied().unwrap_or(t.findings);
        }
        report.findings = self.recent.iter().cloned().collect();
        report
    }

    /// How many characters of speech the session has committed.
    pub fn len_chars(&self) -> usize {
        self.total_chars
    }

    /// The bytes of text the session holds now (its working buffer).
    pub fn buffered_bytes(&self) -> usize {
        self.buffer.capacity()
    }

    /// The heap memory the session owns (its text, segments and findings; the shared
    /// analyzer is not counted), for capacity planning: tens of thousands of rooms are
    /// `rooms × heap_bytes()`.
    pub fn heap_bytes(&self) -> usize {
        let finding = |f: &Finding| {
            std::mem::size_of::<Finding>()
                + f.tactic.capacity()
                + f.rule.capacity()
                + f.term.as_ref().map_or(0, String::capacity)
                + f.matched.capacity()
                + f.normalized.capacity()
                + f.context.capacity()
                + f.legal_basis.capacity() * std::mem::size_of::<String>()
                + f.legal_basis.iter().map(String::capacity).sum::<usize>()
                + f.parts.capacity() * std::mem::size_of::<crate::report::Part>()
                + f.parts
                    .iter()
                    .map(|p| p.role.capacity() + p.matched.capacity())
                    .sum::<usize>()
                + f.neutralized.as_ref().map_or(0, |n| n.cue.capacity())
        };
        let findings = self
            .window
            .iter()
            .chain(&self.recent)
            .chain(self.top.values().flatten());
        let partial = self.partial.as_ref().map_or(0, |(s, p)| {
            s.text.capacity() + p.iter().map(finding).sum::<usize>()
        });
        self.buffer.capacity()
            + self.segs.capacity() * std::mem::size_of::<Seg>()
            + findings.map(finding).sum::<usize>()
            + self.top.len() * 64
            + self.counts.len() * 48
            + partial
            + self.frame.heap_bytes()
    }

    fn append(&mut self, segment: &Segment) {
        let sep = usize::from(!self.segs.is_empty());
        if sep == 1 {
            self.buffer.push('\n');
        }
        let role = self.role_of(segment);
        self.segs.push_back(Seg {
            byte: self.total_bytes + sep,
            char: self.total_chars + sep,
            norm: self.total_norm,
            start_ms: segment.start_ms,
            end_ms: segment.end_ms,
            role,
        });
        self.buffer.push_str(&segment.text);
        self.total_bytes += sep + segment.text.len();
        self.total_chars += sep + segment.text.chars().count();
        // The `\n` joining segments is dropped by normalization: segments' normalized
        // characters are contiguous.
        self.total_norm += self.norm_len(&segment.text);
    }

    /// The role of a segment's speaker.
    fn role_of(&self, segment: &Segment) -> Role {
        self.analyzer
            .speaker_roles()
            .role(segment.speaker.as_deref())
    }

    /// The pending partial's findings and those a final result left undecided.
    fn unsettled(&mut self) -> Vec<Finding> {
        let mut previous = std::mem::take(&mut self.pending);
        if let Some((_, p)) = self.partial.take() {
            previous.extend(p);
        }
        previous
    }

    /// How many normalized characters `text` has.
    fn norm_len(&self, text: &str) -> usize {
        self.analyzer.normalizer().normalize(text).len_chars()
    }

    /// The text of committed segment `i` of `segs`.
    fn seg_text(&self, i: usize) -> &str {
        let base = self.segs[0].byte;
        let start = self.segs[i].byte - base;
        let end = self
            .segs
            .get(i + 1)
            .map_or(self.buffer.len(), |s| s.byte - 1 - base);
        &self.buffer[start..end]
    }

    /// The character offset where the original character of normalized character `n` (counted
    /// from the session's start) begins, or the end of the text when `n` is past it: evidence
    /// ending at or before that offset ends at or before normalized character `n`.
    fn char_of_unit(&self, n: usize, partial: Option<(&Seg, &str)>) -> usize {
        let within = |seg: &Seg, text: &str| {
            let units = self.analyzer.normalizer().normalize(text);
            seg.char
                + units
                    .units()
                    .get(n - seg.norm)
                    .map_or(text.chars().count(), |u| u.orig_char as usize)
        };
        if let Some((seg, text)) = partial {
            if n >= seg.norm {
                return within(seg, text);
            }
        }
        match self.segs.partition_point(|s| s.norm <= n) {
            // Before the buffered text (never asked for: the frontier only advances).
            0 => self.segs.front().map_or(self.total_chars, |s| s.char),
            i => within(&self.segs[i - 1], self.seg_text(i - 1)),
        }
    }

    /// How many normalized characters come before character `c` (counted from the session's
    /// start) of the committed text followed (when given) by a partial result: the inverse of
    /// [`char_of_unit`](Self::char_of_unit).
    fn unit_of_char(&self, c: usize, partial: Option<(&Seg, &str)>) -> usize {
        let within = |seg: &Seg, text: &str| {
            let units = self.analyzer.normalizer().normalize(text);
            let rel = c.saturating_sub(seg.char);
            seg.norm
                + units
                    .units()
                    .partition_point(|u| (u.orig_char as usize) < rel)
        };
        if let Some((seg, text)) = partial {
            if c >= seg.char {
                return within(seg, text);
            }
        }
        match self.segs.partition_point(|s| s.char <= c) {
            0 => self.segs.front().map_or(self.total_norm, |s| s.norm),
            i => within(&self.segs[i - 1], self.seg_text(i - 1)),
        }
    }

    /// The findings that end after the current frontier and at or before `frontier`, in the
    /// committed text followed (when given) by a partial result.
    ///
    /// Two regions are analysed: the tail that can hold any evidence ending after the old
    /// frontier (with its context) for every rule but price claims, and a longer tail for price
    /// claims alone, whose reference and offer may be hundreds of characters apart. Both start
    /// at segment boundaries. With `ended`, speech ends with the text analysed: what would
    /// settle after it (a price claim whose window reaches past it, see
    /// [`claim_settles_at`](Self::claim_settles_at)) settles now.
    ///
    /// With `reuse`, the raw findings of an earlier pass over the same committed text that
    /// analysed from at least as far back are used instead of analysing again; with `keep`, this
    /// pass's raw findings are returned for such reuse.
    fn analyze_until(
        &self,
        frontier: usize,
        frontier_norm: usize,
        partial: Option<(&Seg, &str)>,
        ended: bool,
        reuse: Option<Raw>,
        keep: bool,
    ) -> (Pass, Option<Raw>) {
        // Where speech ends, what waits for text after it (held claims, what they would
        // absorb) is decided even when no text settles.
        let waiting =
            ended && (self.holds.iter().any(|&at| at > self.frontier) || !self.deferred.is_empty());
        if frontier <= self.frontier && !waiting || self.segs.is_empty() && partial.is_none() {
            let pass = Pass {
                deferred: self.deferred.clone(),
                ..Pass::default()
            };
            return (pass, None);
        }
        let buffer_start = self.segs.front().map_or(self.total_bytes, |s| s.byte);
        let region = |reach: usize| -> (usize, usize) {
            let want = self.frontier_norm.saturating_sub(reach + self.reach.before);
            let i = self
                .segs
                .partition_point(|s| s.norm <= want)
                .saturating_sub(1);
            self.segs
                .get(i)
                .map_or((self.total_bytes, self.total_chars), |s| (s.byte, s.char))
        };
        // The price region is the longer one (without price rules its reach is 0, and a
        // co-occurrence window may reach further than any price claim).
        let (short_byte, short_char) = region(self.reach.longest);
        let (long_byte, long_char) = region(self.reach.price.max(self.reach.longest));
        let mut tail = self.buffer[long_byte - buffer_start..].to_string();
        if let Some((_, p)) = partial {
            if !self.segs.is_empty() {
                tail.push('\n');
            }
            tail.push_str(p);
        }
        // A pass over the same text from further back found all this one would (the reach
        // bounds what the text before a finding can change), and more before.
        let reuse = reuse.filter(|r| {
            partial.is_none()
                && r.end == self.total_chars
                && r.min_end <= self.frontier
                && r.short_char <= short_char
                && r.long_char <= long_char
        });
        let (found, mut frame, reused_claims) = match reuse {
            Some(r) => (r.found, r.frame, r.claims),
            None => {
                let mut frame = FrameEvidence::default();
                let mut found = self.analyzer.findings_of(
                    &tail[short_byte - long_byte..],
                    Rules::WithoutPrice,
                    self.frontier.saturating_sub(short_char),
                    &mut frame,
                );
                found
                    .iter_mut()
                    .for_each(|f| shift(f, short_byte, short_char));
                frame.shift_from((0, 0), short_byte, short_char);
                (found, frame, None)
            }
        };
        // A price claim ends with a price (the offer's or the reference's number): no numeral in
        // the newly settled stretch (as normalized: `３９９` is `399`), no new claim — skip the
        // long pass, unless a claim or a finding waiting for one is due, or a finding of a
        // tactic with price rules settles (a claim may absorb it).
        let settling: String = tail
            .chars()
            .skip(self.frontier.saturating_sub(long_char))
            .take(frontier.saturating_sub(self.frontier))
            .collect();
        let settling = self.analyzer.normalizer().normalize(&settling);
        let due = |at: usize| at > self.frontier && (at <= frontier || ended);
        let price_pass = self.reach.price > 0
            && (settling.text().chars().any(crate::numeral::is_numeral)
                || self.holds.iter().any(|&at| due(at))
                || self.deferred.iter().any(|d| due(d.until))
                || found.iter().any(|f| {
                    f.char_end > self.frontier
                        && f.char_end <= frontier
                        && self.price_tactics.contains(&f.tactic)
                }));
        // The frame cues are the first pass's (this one sees the same, and more before).
        let (claims, price_frame) = match reused_claims {
            Some(c) if price_pass => c,
            _ if price_pass => {
                // Every claim in the tail: one settled before may absorb what settles now.
                let mut price_frame = FrameEvidence::default();
                let mut claims =
                    self.analyzer
                        .findings_of(&tail, Rules::PriceOnly, 0, &mut price_frame);
                claims
                    .iter_mut()
                    .for_each(|f| shift(f, long_byte, long_char));
                price_frame.shift_from((0, 0), long_byte, long_char);
                (claims, price_frame)
            }
            _ => (Vec::new(), FrameEvidence::default()),
        };
        let raw = (keep && partial.is_none()).then(|| Raw {
            end: self.total_chars,
            min_end: self.frontier,
            short_char,
            long_char,
            found: found.clone(),
            frame: frame.clone(),
            claims: price_pass.then(|| (claims.clone(), price_frame.clone())),
        });
        let settles: Vec<usize> = claims
            .iter()
            .map(|c| self.claim_settles_at(c, partial))
            .collect();
        // As in a whole-text analysis, a price claim's parts absorb the terms of its tactic
        // inside them (专柜价 inside the reference part); while the claim does not stand, what
        // it would absorb waits for it.
        let absorbed = |f: &Finding| -> Absorbed {
            let mut until = None;
            for (c, &at) in claims.iter().zip(&settles) {
                let inside = c.tactic == f.tactic
                    && (c.is_scoring() || !f.is_scoring())
                    && c.parts
                        .iter()
                        .any(|p| p.char_start <= f.char_start && f.char_end <= p.char_end);
                if inside {
                    if at <= frontier || ended {
                        return Absorbed::Yes;
                    }
                    until = Some(until.map_or(at, |u: usize| u.min(at)));
                }
            }
            until.map_or(Absorbed::No, Absorbed::Until)
        };
        let mut quotes: HashMap<FindingKey, Neutralization> = std::mem::take(&mut frame.quoted)
            .into_iter()
            .chain(price_frame.quoted)
            .collect();
        let mut deferred = Vec::new();
        let mut keep = |f: Finding,
                        quote: Option<Neutralization>,
                        out: &mut Vec<Finding>,
                        quotes: &mut HashMap<FindingKey, Neutralization>| {
            match absorbed(&f) {
                Absorbed::No => {
                    if let Some(q) = quote {
                        quotes.insert(f.key(), q);
                    }
                    out.push(f);
                }
                Absorbed::Yes => {}
                Absorbed::Until(until) => deferred.push(Deferred {
                    until,
                    finding: f,
                    quote,
                }),
            }
        };
        let mut settled = Vec::new();
        for f in found {
            if f.char_end > self.frontier && f.char_end <= frontier {
                let quote = quotes.remove(&f.key());
                keep(f, quote, &mut settled, &mut quotes);
            }
        }
        let mut waiting = Vec::new();
        for d in &self.deferred {
            if due(d.until) && price_pass {
                keep(
                    d.finding.clone(),
                    d.quote.clone(),
                    &mut settled,
                    &mut quotes,
                );
            } else {
                waiting.push(d.clone());
            }
        }
        deferred.extend(waiting);
        for f in &mut settled {
            self.stamp(f, partial.map(|(seg, _)| seg));
            f.contribution = 0.0;
        }
        let holds = price_pass.then(|| {
            settles
                .iter()
                .zip(&claims)
                .filter(|&(&at, c)| {
                    !ended && at > frontier && at > c.char_end && c.char_end > self.finished
                })
                .map(|(&at, _)| at)
                .collect()
        });
        for (c, at) in claims.into_iter().zip(settles) {
            // A claim ending before an earlier `finish` was decided there (its window was cut
            // short by the end of speech); speech pushed after it does not reopen it.
            if due(at) && c.char_end > self.finished {
                let mut c = c;
                self.stamp(&mut c, partial.map(|(seg, _)| seg));
                c.contribution = 0.0;
                settled.push(c);
            }
        }
        debug_assert!(frontier_norm >= self.frontier_norm);
        settled.sort_by_key(|f| (f.start, f.end));
        let pass = Pass {
            found: settled,
            frame,
            quotes,
            holds,
            deferred,
        };
        (pass, raw)
    }

    /// Where finding `f` settles: at its end, or for a price claim where
    /// [`claim_settles_at`](Self::claim_settles_at) says.
    fn settles_at(&self, f: &Finding, partial: Option<(&Seg, &str)>) -> usize {
        if f.kind == crate::report::RuleKind::Price {
            self.claim_settles_at(f, partial)
        } else {
            f.char_end
        }
    }

    /// Where price claim `c` settles: at its end, or, when its offer was said before its
    /// reference, once the claim window after the reference has passed (an offer said there
    /// would pair with the reference instead).
    ///
    /// When that window reaches past the text analysed, the claim does not settle on this text:
    /// the character after its end, a lower bound of where it will settle once more speech
    /// comes (the claim is held and decided on the text that completes its window, or where
    /// speech ends).
    fn claim_settles_at(&self, c: &Finding, partial: Option<(&Seg, &str)>) -> usize {
        let part = |role: &str| c.parts.iter().find(|p| p.role == role);
        match (part("reference price"), part("offer price")) {
            (Some(r), Some(o)) if o.char_start < r.char_start => {
                let after = self.unit_of_char(r.char_end, partial) + self.reach.price_window + 1;
                let (end_norm, end_char) = match partial {
                    Some((seg, text)) => (
                        seg.norm + self.norm_len(text),
                        seg.char + text.chars().count(),
                    ),
                    None => (self.total_norm, self.total_chars),
                };
                if after > end_norm {
                    return (end_char + 1).max(c.char_end);
                }
                self.char_of_unit(after, partial).max(c.char_end)
            }
            _ => c.char_end,
        }
    }

    /// Commits the findings that settle up to `frontier`; reconciles a replaced partial.
    /// `ended`: speech ends with the committed text (at `finish`).
    fn settle(
        &mut self,
        frontier: usize,
        frontier_norm: usize,
        previous: Vec<Finding>,
        ended: bool,
    ) -> Update {
        let ahead = self.config.provisional != Provisional::Off;
        let (mut pass, raw) = self.analyze_until(frontier, frontier_norm, None, ended, None, ahead);
        self.raw = raw;
        if let Some(holds) = pass.holds.take() {
            self.holds = holds;
        }
        self.deferred = std::mem::take(&mut pass.deferred);
        let lex = self.analyzer.lexicon();
        let before = self.frame.status(lex);
        self.frame.absorb(&pass.frame, self.frontier, frontier);
        let status = self.frame.status(lex);
        let reframed = if status == before {
            Vec::new()
        } else {
            self.reframe(status)
        };
        let mut found = pass.found;
        for f in &mut found {
            let quote = pass.quotes.get(&f.key()).cloned();
            self.frame.apply(f, status, quote);
        }
        self.frontier = self.frontier.max(frontier);
        self.frontier_norm = self.frontier_norm.max(frontier_norm);
        // Provisional findings ending past the frontier are decided by a later push, unless
        // they end past the committed text: the words they came from were replaced, so they
        // are retracted now (at `finish` every one is decided).
        let (decided, undecided): (Vec<Finding>, Vec<Finding>) =
            previous.into_iter().partition(|f| {
                ended || self.settles_at(f, None) <= self.frontier || f.char_end > self.total_chars
            });
        let provisional: HashSet<FindingKey> = decided.iter().map(Finding::key).collect();
        let committed: HashSet<FindingKey> = found.iter().map(Finding::key).collect();
        let mut update = Update {
            retracted: decided
                .into_iter()
                .filter(|f| !committed.contains(&f.key()))
                .collect(),
            reframed,
            ..Update::default()
        };
        self.pending = undecided;
        for f in found {
            self.commit(&f);
            // Reported once: a finding already reported as provisional is confirmed.
            if provisional.contains(&f.key()) {
                update.confirmed.push(f);
            } else {
                update.findings.push(f);
            }
        }
        self.trim();
        update
    }

    /// Reports as provisional what the committed text holds past the frontier, as if the
    /// stream ended now: each finding once, until it settles (confirmed) or not (retracted).
    fn report_ahead(&mut self, update: &mut Update) {
        let raw = self.raw.take();
        let (pass, _) =
            self.analyze_until(self.total_chars, self.total_norm, None, true, raw, false);
        let status = self
            .frame
            .status_with(self.analyzer.lexicon(), &pass.frame, self.frontier);
        let reported: HashSet<FindingKey> = self.pending.iter().map(Finding::key).collect();
        for mut f in pass.found {
            if reported.contains(&f.key()) {
                continue;
            }
            let quote = pass.quotes.get(&f.key());
            self.frame.apply_provisional(&mut f, status, quote);
            update.provisional.push(f.clone());
            self.pending.push(f);
        }
    }

    /// Sets the update's risk, and its alert when the window's level rose to the alert level.
    fn raise(&mut self, update: &mut Update, at_ms: Option<u64>) {
        let (risk, counted) = self.risk_and_evidence();
        let mut alert = None;
        if risk.level >= self.config.alert_level {
            if !self.alerted {
                // The strongest scoring finding of each tactic the risk counted.
                let mut strongest: HashMap<&str, &Finding> = HashMap::new();
                for f in counted.iter().filter(|f| f.is_scoring()) {
                    let best = strongest.entry(f.tactic.as_str()).or_insert(f);
                    if f.weight > best.weight {
                        *best = f;
                    }
                }
                let mut findings: Vec<Finding> = strongest.into_values().cloned().collect();
                findings.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
                alert = Some(Alert {
                    level: risk.level,
                    previous: self.level,
                    score: risk.score,
                    at_ms,
                    findings,
                });
                self.alerted = true;
            }
        } else {
            self.alerted = false;
        }
        update.alert = alert;
        self.level = risk.level;
        update.risk = risk;
    }

    /// Applies a changed frame to the committed findings the session still holds, adjusting
    /// the counts and the strongest findings, and returns each changed finding once.
    fn reframe(&mut self, status: frame::Status) -> Vec<Finding> {
        let frame = &self.frame;
        let mut changed: HashMap<FindingKey, Finding> = HashMap::new();
        for f in self.window.iter_mut().chain(self.recent.iter_mut()) {
            let k = f.key();
            if let Some(n) = frame.reframe(&k, status) {
                if n != f.neutralized {
                    f.neutralized = n;
                    changed.entry(k).or_insert_with(|| f.clone());
                }
            }
        }
        for top in self.top.values_mut() {
            for f in top.iter_mut() {
                let k = f.key();
                if let Some(n) = frame.reframe(&k, status) {
                    if n != f.neutralized {
                        f.neutralized = n;
                        changed.entry(k).or_insert_with(|| f.clone());
                    }
                }
            }
            top.retain(Finding::is_scoring);
        }
        let mut out: Vec<Finding> = changed.into_values().collect();
        out.sort_by_key(|f| (f.start, f.end, f.rule.clone()));
        for f in &out {
            let count = self.counts.entry(f.tactic.clone()).or_default();
            if f.is_scoring() {
                *count += 1;
                let top = self.top.entry(f.tactic.clone()).or_default();
                top.push(f.clone());
                top.sort_by(|a, b| b.weight.total_cmp(&a.weight));
                top.truncate(TOP_PER_TACTIC);
            } else {
                *count = count.saturating_sub(1);
            }
        }
        out
    }

    fn commit(&mut self, f: &Finding) {
        self.window.push_back(f.clone());
        self.recent.push_back(f.clone());
        while self.recent.len() > self.config.keep_findings {
            self.recent.pop_front();
        }
        if f.is_scoring() {
            *self.counts.entry(f.tactic.clone()).or_default() += 1;
            let top = self.top.entry(f.tactic.clone()).or_default();
            top.push(f.clone());
            top.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            top.truncate(TOP_PER_TACTIC);
        }
    }

    /// Sets a finding's segment and stream times from the committed segments and the partial
    /// result after them, if any.
    fn stamp(&self, f: &mut Finding, partial: Option<&Seg>) {
        let at = |byte: usize| -> (usize, Option<&Seg>) {
            match partial {
                Some(p) if byte >= p.byte => (self.segs.len(), Some(p)),
                _ => {
                    let i = self
                        .segs
                        .partition_point(|s| s.byte <= byte)
                        .saturating_sub(1);
                    (i, self.segs.get(i))
                }
            }
        };
        let (first, first_seg) = at(f.start);
        let (last, last_seg) = at(f.end.saturating_sub(1).max(f.start));
        f.segment = Some(self.first_seg + first);
        f.start_ms = first_seg.and_then(|s| s.start_ms);
        f.end_ms = last_seg.and_then(|s| s.end_ms);
        // Its role, as a whole transcript's (`Transcript::assign_roles`): a viewer's evidence
        // never scores as the seller's pitch.
        let roles = (first..=last).map(|i| {
            self.segs
                .get(i)
                .or(partial.filter(|_| i >= self.segs.len()))
                .map_or(Role::Unknown, |s| s.role)
        });
        let spanned = crate::transcript::role::combined(roles);
        if f.role != Role::Viewer && spanned != Role::Unknown {
            f.role = spanned;
        }
        if spanned == Role::Viewer && f.is_scoring() {
            let at = first_seg.map_or(f.start, |s| s.byte);
            f.neutralized = Some(Neutralization {
                reason: NeutralReason::Viewer,
                cue: String::new(),
                start: at,
                end: at,
            });
        }
    }

    /// Drops text no future region needs and findings that left the window.
    fn trim(&mut self) {
        let keep_from = self
            .frontier_norm
            .saturating_sub(self.reach.longest.max(self.reach.price) + self.reach.before);
        let mut drop = 0;
        while drop + 1 < self.segs.len() && self.segs[drop + 1].norm <= keep_from {
            drop += 1;
        }
        if drop > 0 {
            let cut = self.segs[drop].byte - self.segs[0].byte;
            self.buffer.drain(..cut);
            self.segs.drain(..drop);
            self.first_seg += drop;
            if self.buffer.capacity() > 4 * self.buffer.len().max(4096) {
                self.buffer.shrink_to_fit();
            }
        }
        let horizon_char = self.total_chars.saturating_sub(self.config.horizon_chars);
        let now_ms = self.segs.back().and_then(|s| s.end_ms);
        while let Some(f) = self.window.front() {
            let old_text = f.char_end <= horizon_char;
            let old_time = match (self.config.horizon_ms, now_ms, f.end_ms) {
                (Some(h), Some(now), Some(end)) => end.saturating_add(h) < now,
                _ => false,
            };
            if old_text || old_time {
                self.window.pop_front();
            } else {
                break;
            }
        }
        // The frame remembers committed findings it may re-frame; forget those the session
        // no longer holds, now and then (amortized over the pushes that committed them).
        let top: usize = self.top.values().map(Vec::len).sum();
        let held = self.window.len() + self.recent.len() + top;
        if self.frame.open_len() > 2 * held + 64 {
            let keys: HashSet<FindingKey> = self
                .window
                .iter()
                .chain(&self.recent)
                .chain(self.top.values().flatten())
                .map(Finding::key)
                .collect();
            self.frame.retain(|k| keys.contains(k));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_is_send() {
        fn is_send<T: Send>() {}
        is_send::<LiveSession>();
    }
}
