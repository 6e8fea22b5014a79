//! The stream's frame, live.
//!
//! A whole-text analysis decides once whether a transcript is news, consumer education or a
//! scam warning (enough distinct frame cues, more when something is being sold) and then
//! neutralizes its evidence as reported speech; with a frame cue anywhere, evidence inside
//! quotation marks is somebody else's words too. A live session cannot wait for the end of
//! the stream, so [`StreamFrame`] keeps a running estimate from the cues settled so far, applies
//! it to each finding as it is committed, and says when the estimate changes so that the
//! session can re-frame what it has already reported.

use std::collections::{HashMap, HashSet};

use crate::lexicon::LexiconSet;
use crate::report::{Finding, FindingKey, Neutralization};
use crate::rules::neutralize::{FrameEvidence, is_framed};

/// What the frame does to evidence that no local context neutralized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Status {
    /// Enough distinct cues: every finding is reported speech.
    pub framed: bool,
    /// Some frame cue was said: quoted findings are reported speech.
    pub any: bool,
}

/// The running frame estimate of one stream.
#[derive(Debug, Clone, Default)]
pub(crate) struct StreamFrame {
    /// Distinct groups of the frame cues that count.
    groups: HashSet<u16>,
    /// Whether a selling cue was said.
    selling: bool,
    /// The earliest cue (its character offset and the neutralization it gives).
    first: Option<(usize, Neutralization)>,
    /// Committed findings that only the frame can neutralize, with their quotation, if any:
    /// the ones a change of frame re-frames.
    open: HashMap<FindingKey, Option<Neutralization>>,
}

impl StreamFrame {
    /// Takes in the cues of one pass that settled in `(from, to]` (character offsets of the
    /// session), and whether the pass heard a selling cue.
    pub fn absorb(&mut self, evidence: &FrameEvidence, from: usize, to: usize) {
        self.selling |= evidence.selling;
        for cue in &evidence.cues {
            if cue.char_end <= from || cue.char_end > to {
                continue;
            }
            if cue.counts {
                self.groups.insert(cue.group);
            }
            if self
                .first
                .as_ref()
                .is_none_or(|(at, _)| cue.char_start < *at)
            {
                self.first = Some((cue.char_start, cue.cue.clone()));
            }
        }
    }

    /// The frame as it stands.
    pub fn status(&self, lex: &LexiconSet) -> Status {
        Status {
            framed: is_framed(lex, self.groups.len(), self.selling),
            any: self.first.is_some(),
        }
    }

    /// The frame as it would stand with a partial result's evidence on top (not kept).
    pub fn status_with(&self, lex: &LexiconSet, evidence: &FrameEvidence, from: usize) -> Status {
        let mut groups = self.groups.clone();
        let mut any = self.first.is_some();
        for cue in evidence.cues.iter().filter(|c| c.char_end > from) {
            any = true;
            if cue.counts {
                groups.insert(cue.group);
            }
        }
        Status {
            framed: is_framed(lex, groups.len(), self.selling || evidence.selling),
            any,
        }
    }

    /// The neutralization `status` gives a finding that has none of its own, with `quote` the
    /// quotation around it.
    fn cue(&self, status: Status, quote: Option<&Neutralization>) -> Option<Neutralization> {
        if status.framed {
            self.first.as_ref().map(|(_, n)| n.clone())
        } else if status.any {
            quote.cloned()
        } else {
            None
        }
    }

    /// Frames a finding about to be reported (with `quote` its quotation), and remembers it
    /// for later changes of frame when it has no neutralization of its own.
    pub fn apply(&mut self, f: &mut Finding, status: Status, quote: Option<Neutralization>) {
        if f.neutralized.is_some() {
            return;
        }
        f.neutralized = self.cue(status, quote.as_ref());
        self.open.insert(f.key(), quote);
    }

    /// Frames a provisional finding (not remembered: a final result decides it).
    pub fn apply_provisional(
        &self,
        f: &mut Finding,
        status: Status,
        quote: Option<&Neutralization>,
    ) {
        if f.neutralized.is_none() {
            f.neutralized = self.cue(status, quote);
        }
    }

    /// The neutralization that `status` gives a committed finding, if the frame decides it
    /// (`None` when local context does).
    pub fn reframe(&self, key: &FindingKey, status: Status) -> Option<Option<Neutralization>> {
        self.open
            .get(key)
            .map(|quote| self.cue(status, quote.as_ref()))
    }

    /// Forgets the findings `keep` says the session no longer holds.
    pub fn retain(&mut self, keep: impl Fn(&FindingKey) -> bool) {
        self.open.retain(|k, _| keep(k));
    }

    /// How many committed findings it remembers.
    pub fn open_len(&self) -> usize {
        self.open.len()
    }

    /// Heap bytes it owns (approximate, for [`LiveSession::heap_bytes`](super::LiveSession::heap_bytes)).
    pub fn heap_bytes(&self) -> usize {
        let neutral = |n: &Neutralization| std::mem::size_of::<Neutralization>() + n.cue.capacity();
        self.groups.capacity() * 4
            + self.first.as_ref().map_or(0, |(_, n)| neutral(n))
            + self
                .open
                .iter()
                .map(|(k, q)| {
                    std::mem::size_of::<(FindingKey, Option<Neutralization>)>()
                        + k.0.capacity()
                        + k.1.capacity()
                        + k.4.capacity()
                        + q.as_ref().map_or(0, neutral)
                })
                .sum::<usize>()
    }
}
