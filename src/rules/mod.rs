//! Rule evaluation over one scan's hits: one file a rule kind, each producing [`Candidate`]s
//! through [`Candidate::new`]; then context ([`neutralize`]) and overlap ([`dedupe`]).
//!
//! The analyzer normalizes the text, runs the one automaton scan, segments the short hits that
//! need word boundaries and sorts the hits into [`Buckets`] once; each rule kind then works on
//! its bucket only, so a rule kind costs time in proportion to its hits, not to the text:
//!
//! | file | rule kind | input |
//! |---|---|---|
//! | [`term`] | `[[terms]]` | term hits |
//! | [`cooccur`] | `[[cooccur]]` | group member hits |
//! | [`pattern`] | `[[pattern]]` | literal anchors and numbers |
//! | [`frame`] | `[[frame]]` | slot hits |
//! | [`number`] | `[price]`, `[[pii]]` | numbers and price cues |
//! | [`neutralize`] | allow lists, negation, warnings, reported speech, the document frame | every candidate |
//! | [`dedupe`] | overlap within a tactic | every candidate |
//!
//! Adding a rule kind means adding a file here, a `RuleKind` variant in the lexicon and a
//! bucket if it has hits of its own.

pub(crate) mod cooccur;
pub(crate) mod dedupe;
pub(crate) mod frame;
pub(crate) mod neutralize;
pub(crate) mod number;
pub(crate) mod pattern;
pub(crate) mod term;

use crate::context::Cue;
use crate::lexicon::{FormKind, RuleDef};
use crate::matcher::Hit;
use crate::normalize::{Breaks, GAP, Normalized};
use crate::price::PriceCue;
use crate::report::{RuleKind, Severity};
use crate::segment::Boundaries;

/// A candidate finding, by normalized unit indices.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub tactic: usize,
    pub rule: usize,
    pub kind: RuleKind,
    pub term: Option<String>,
    pub form: FormKind,
    pub weight: f64,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    /// Multi-part evidence: (role, start, end).
    pub parts: Vec<(String, usize, usize)>,
    pub negatable: bool,
    pub neutral: Option<Cue>,
}

impl Candidate {
    /// A candidate of rule `rule` of tactic `tactic`, spanning `start..end`, with the rule's
    /// weight, severity and negatability; a literal form, no term and no parts until set.
    pub fn new(
        (tactic, rule): (usize, usize),
        def: &RuleDef,
        kind: RuleKind,
        start: usize,
        end: usize,
    ) -> Candidate {
        Candidate {
            tactic,
            rule,
            kind,
            term: None,
            form: FormKind::Literal,
            weight: def.weight,
            severity: def.severity,
            start,
            end,
            parts: Vec::new(),
            negatable: def.negatable,
            neutral: None,
        }
    }

    /// Sets the term (or description) the candidate matched.
    pub fn with_term(mut self, term: Option<String>) -> Candidate {
        self.term = term;
        self
    }

    /// Sets the evidence parts.
    pub fn with_parts(mut self, parts: Vec<(String, usize, usize)>) -> Candidate {
        self.parts = parts;
        self
    }
}

/// What one analysis works on: the normalized text and what the scan found in it.
pub(crate) struct Scan<'a> {
    pub norm: &'a Normalized,
    pub chars: Vec<char>,
    pub hits: Vec<Hit>,
    pub numbers: Vec<crate::numeral::Number>,
    pub bounds: Boundaries,
    /// Where the sentences end.
    pub breaks: Breaks,
}

/// The scan's hits sorted by what reads them (filled once, in one pass over the hits).
#[derive(Default)]
pub(crate) struct Buckets {
    /// Co-occurrence members: (tactic, rule, group, hit).
    pub groups: Vec<(usize, usize, usize, Hit)>,
    /// Frame slot hits.
    pub slots: Vec<frame::SlotHit>,
    /// Where a tactic's patterns may start: (tactic, unit).
    pub anchors: Vec<(usize, usize)>,
    /// Price cues by (tactic, rule).
    pub price_cues: Vec<((usize, usize), PriceCue)>,
    /// Warning and reported-speech cues.
    pub cues: Vec<Cue>,
    /// Viewer-question cues.
    pub questions: Vec<Cue>,
    /// Where the speaker turns to their own offer (units, in order).
    pub turns: Vec<usize>,
    /// Document-frame cues: (cue id, hit).
    pub frame: Vec<(u16, Hit)>,
    /// Whether anything is being sold.
    pub selling: bool,
}

/// Whether `chars[start..end]` has a Chinese character at an edge (where a match can cut a
/// word).
pub(crate) fn cjk_edge(chars: &[char], start: usize, end: usize) -> bool {
    let cjk = crate::normalize::is_cjk;
    cjk(chars[start]) || cjk(chars[end - 1])
}

/// A short match (at most three characters) with a Chinese edge: what jieba is asked about.
pub(crate) fn short_cjk_edge(chars: &[char], start: usize, end: usize) -> bool {
    end - start <= 3 && cjk_edge(chars, start, end)
}

/// A Latin edge of a match may not run into other Latin letters (`vx` in `vxabc`, `加v` in
/// `加vip`), unless decoration or a space separates them.
pub(crate) fn latin_ok(scan: &Scan<'_>, start: usize, end: usize) -> bool {
    let chars = &scan.chars;
    let latin = |c: char| c.is_ascii_alphanumeric();
    let runs_in =
        |a: usize, b: usize| latin(chars[a]) && latin(chars[b]) && scan.norm.flags(b) & GAP == 0;
    let before = start > 0 && runs_in(start - 1, start);
    let after = end < chars.len() && runs_in(end - 1, end);
    !(before || after)
}

/// How far apart (in characters) a sentence-scope allowed phrase and its evidence may be.
pub(crate) const SENTENCE_REACH: usize = 80;

/// Whether two spans are in one sentence and at most [`SENTENCE_REACH`] apart.
pub(crate) fn same_sentence(breaks: &Breaks, a0: usize, a1: usize, b0: usize, b1: usize) -> bool {
    let (lo, hi) = (a0.min(b0), a1.max(b1));
    hi - lo <= SENTENCE_REACH
        && !breaks
            .within(lo, hi)
            .iter()
            .any(|i| !(a0..a1).contains(i) && !(b0..b1).contains(i))
}
