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
use crate::report::{Finding, FindingKey, Level, Neutralization, Report};
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
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            horizon_chars: 3000,
            horizon_ms: Some(10 * 60 * 1000),
            lookahead_chars: None,
            alert_level: Level::High,
            keep_findings: 200,
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
        self.settle(frontier, frontier_norm, previous, segment.end_ms)
    }

    /// Pushes a partial (not yet final) result for the current utterance. The next partial or
    /// final result replaces it: findings it settled are reported as provisional once, and
    /// retracted if a later result no longer holds them.
    pub fn push_partial(&mut self, segment: Segment) -> Update {
        let previous = self.unsettled();
        let sep = usize::from(!self.segs.is_empty());
        let seg = Seg {
            byte: self.total_bytes + sep,
            char: self.total_chars + sep,
            norm: self.total_norm,
            start_ms: segment.start_ms,
            end_ms: segment.end_ms,
        };
        let end_norm = self.total_norm + self.norm_len(&segment.text);
        let frontier_norm = end_norm.saturating_sub(self.lookahead);
        let frontier = self.char_of_unit(frontier_norm, Some((&seg, &segment.text)));
        let pass = self.analyze_until(frontier, frontier_norm, Some((&seg, &segment.text)));
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
        let (decided, undecided): (Vec<Finding>, Vec<Finding>) = previous
            .into_iter()
            .partition(|f| f.char_end <= frontier || f.char_end > end_char);
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
        self.partial = Some((segment, held));
        update
    }

    /// Ends the session's speech: reports every finding still waiting for lookahead (and
    /// retracts the findings of a partial result that was never finalized).
    pub fn finish(&mut self) -> Update {
        let previous = self.unsettled();
        let end_ms = self.segs.back().and_then(|s| s.end_ms);
        self.settle(self.total_chars, self.total_norm, previous, end_ms)
    }

    /// The risk over the current window (the last `horizon_chars` / `horizon_ms`).
    pub fn risk(&self) -> Risk {
        let evidence: Vec<Evidence<'_>> = self.window.iter().map(Evidence::from).collect();
        let scored = self.analyzer.score_evidence(&evidence);
        Risk {
            score: scored.score,
            level: scored.level,
            tactics: scored.tactics.into_iter().map(|t| t.tactic).collect(),
        }
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
        self.segs.push_back(Seg {
            byte: self.total_bytes + sep,
            char: self.total_chars + sep,
            norm: self.total_norm,
            start_ms: segment.start_ms,
            end_ms: segment.end_ms,
        });
        self.buffer.push_str(&segment.text);
        self.total_bytes += sep + segment.text.len();
        self.total_chars += sep + segment.text.chars().count();
        // The `\n` joining segments is dropped by normalization: segments' normalized
        // characters are contiguous.
        self.total_norm += self.norm_len(&segment.text);
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

    /// The findings that end after the current frontier and at or before `frontier`, in the
    /// committed text followed (when given) by a partial result.
    ///
    /// Two regions are analysed: the tail that can hold any evidence ending after the old
    /// frontier (with its context) for every rule but price claims, and a longer tail for price
    /// claims alone, whose reference and offer may be hundreds of characters apart. Both start
    /// at segment boundaries.
    fn analyze_until(
        &self,
        frontier: usize,
        frontier_norm: usize,
        partial: Option<(&Seg, &str)>,
    ) -> Pass {
        if frontier <= self.frontier || self.segs.is_empty() && partial.is_none() {
            return Pass::default();
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
        // A price claim ends with a price (the offer's or the reference's number): no numeral in
        // the newly settled stretch (as normalized: `３９９` is `399`), no new claim — skip the
        // long pass.
        let settling: String = tail
            .chars()
            .skip(self.frontier.saturating_sub(long_char))
            .take(frontier - self.frontier)
            .collect();
        let settling = self.analyzer.normalizer().normalize(&settling);
        // The frame cues are the first pass's (this one sees the same, and more before).
        let mut price_frame = FrameEvidence::default();
        let mut claims =
            if self.reach.price > 0 && settling.text().chars().any(crate::numeral::is_numeral) {
                self.analyzer.findings_of(
                    &tail,
                    Rules::PriceOnly,
                    self.frontier.saturating_sub(long_char),
                    &mut price_frame,
                )
            } else {
                Vec::new()
            };
        claims
            .iter_mut()
            .for_each(|f| shift(f, long_byte, long_char));
        price_frame.shift_from((0, 0), long_byte, long_char);
        // As in a whole-text analysis, a price claim's parts absorb the terms of its tactic
        // inside them (专柜价 inside the reference part).
        found.retain(|f| {
            !claims.iter().any(|c| {
                c.tactic == f.tactic
                    && (c.is_scoring() || !f.is_scoring())
                    && c.parts
                        .iter()
                        .any(|p| p.char_start <= f.char_start && f.char_end <= p.char_end)
            })
        });
        found.extend(claims);
        found.retain(|f| f.char_end > self.frontier && f.char_end <= frontier);
        debug_assert!(frontier_norm >= self.frontier_norm);
        for f in &mut found {
            self.stamp(f, partial.map(|(seg, _)| seg));
            f.contribution = 0.0;
        }
        found.sort_by_key(|f| (f.start, f.end));
        let quotes = std::mem::take(&mut frame.quoted)
            .into_iter()
            .chain(price_frame.quoted)
            .collect();
        Pass {
            found,
            frame,
            quotes,
        }
    }

    /// Commits the findings that settle up to `frontier`; reconciles a replaced partial.
    fn settle(
        &mut self,
        frontier: usize,
        frontier_norm: usize,
        previous: Vec<Finding>,
        at_ms: Option<u64>,
    ) -> Update {
        let pass = self.analyze_until(frontier, frontier_norm, None);
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
        let (decided, undecided): (Vec<Finding>, Vec<Finding>) = previous
            .into_iter()
            .partition(|f| f.char_end <= self.frontier || f.char_end > self.total_chars);
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
        let risk = self.risk();
        if risk.level >= self.config.alert_level {
            if !self.alerted {
                update.alert = Some(Alert {
                    level: risk.level,
                    previous: self.level,
                    score: risk.score,
                    at_ms,
                });
                self.alerted = true;
            }
        } else {
            self.alerted = false;
        }
        self.level = risk.level;
        update.risk = risk;
        update
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
        let (_, last_seg) = at(f.end.saturating_sub(1).max(f.start));
        f.segment = Some(self.first_seg + first);
        f.start_ms = first_seg.and_then(|s| s.start_ms);
        f.end_ms = last_seg.and_then(|s| s.end_ms);
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
