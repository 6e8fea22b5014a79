//! Context rules: evidence that is negated (`我们不回收`), said as a warning (`千万别信什么高价
//! 回收`), reported (`据警方通报…`, `有人问…`) or inside an allow-listed phrase (`垃圾回收`) is
//! still reported, but neutralized: it adds nothing to the score.

use crate::lexicon::{ContextDef, CueDef};
use crate::normalize::{Normalized, SOFT, is_clause_break, is_sentence_break};
use crate::report::NeutralReason;

/// A neutralizing cue, by normalized unit indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cue {
    pub reason: NeutralReason,
    pub start: usize,
    pub end: usize,
}

/// Negation cues as character vectors, and the scopes of warning and reported speech.
#[derive(Debug, Clone)]
pub(crate) struct ContextRules {
    negation: Vec<Vec<char>>,
    /// Indices into `negation` by the cue's last character: most positions end no cue.
    negation_by_last: std::collections::HashMap<char, Vec<usize>>,
    exceptions: Vec<Vec<char>>,
    negation_window: usize,
    warning: (usize, usize),
    reported: (usize, usize),
    question: usize,
}

impl ContextRules {
    pub(crate) fn new(def: &ContextDef) -> ContextRules {
        let chars = |v: &[String]| -> Vec<Vec<char>> {
            let mut out: Vec<Vec<char>> = v.iter().map(|s| s.chars().collect()).collect();
            // Longest first, so 不要相信 wins over 不.
            out.sort_by_key(|c| std::cmp::Reverse(c.len()));
            out
        };
        let CueDef { window, .. } = def.negation;
        let negation = chars(&def.negation.cues);
        let mut negation_by_last: std::collections::HashMap<char, Vec<usize>> = Default::default();
        for (i, cue) in negation.iter().enumerate() {
            if let Some(&last) = cue.last() {
                negation_by_last.entry(last).or_default().push(i);
            }
        }
        ContextRules {
            negation,
            negation_by_last,
            exceptions: chars(&def.negation.exceptions),
            negation_window: window,
            warning: (def.warning.window, def.warning.after),
            reported: (def.reported.window, def.reported.after),
            question: def.question.window,
        }
    }

    /// A negation cue governing the evidence that starts at unit `start`: it ends at most
    /// `window` characters before, in the same clause, with no pause between them unless the
    /// cue comes right before (`不 回收`), and it is not part of an exception (`不管`, `不仅`).
    pub(crate) fn negation(&self, chars: &[char], text: &Normalized, start: usize) -> Option<Cue> {
        for k in 0..=self.negation_window.min(start) {
            let p = start - k; // the cue would end at unit p; units p..start lie between
            if k > 0 && (is_clause_break(chars[p]) || text.flags(p + 1) & SOFT != 0) {
                break;
            }
            if k > 0 && text.flags(p) & SOFT != 0 {
                continue;
            }
            let Some(candidates) = p
                .checked_sub(1)
                .and_then(|i| self.negation_by_last.get(&chars[i]))
            else {
                continue;
            };
            for cue in candidates.iter().map(|&i| &self.negation[i]) {
                let l = cue.len();
                if l > p || chars[p - l..p] != cue[..] {
                    continue;
                }
                let cue_start = p - l;
                if self.is_exception(chars, cue_start, l) {
                    continue;
                }
                return Some(Cue {
                    reason: NeutralReason::Negation,
                    start: cue_start,
                    end: p,
                });
            }
        }
        None
    }

    /// A viewer's question whose clause holds the evidence starting at unit `start`: the cue
    /// ends at most `question` characters before it, with no clause break and no pause between
    /// them (a pause right after the cue is allowed: `有人问 能不能回收`). `cues` is sorted.
    pub(crate) fn question(
        &self,
        chars: &[char],
        text: &Normalized,
        cues: &[Cue],
        start: usize,
    ) -> Option<Cue> {
        let first = cues.partition_point(|c| c.end + self.question < start);
        cues[first..]
            .iter()
            .take_while(|c| c.end <= start)
            .filter(|c| {
                (c.end..start).all(|i| !is_clause_break(chars[i]))
                    && (c.end + 1..=start).all(|i| text.flags(i) & SOFT == 0)
            })
            .last()
            .copied()
    }

    fn is_exception(&self, chars: &[char], cue_start: usize, cue_len: usize) -> bool {
        self.exceptions.iter().any(|e| {
            // Every placement of the exception that covers the cue.
            (0..e.len()).any(|j| {
                j <= cue_start
                    && cue_start - j + e.len() <= chars.len()
                    && j + cue_len <= e.len()
                    && chars[cue_start - j..cue_start - j + e.len()] == e[..]
                    && e[j..j + cue_len] == chars[cue_start..cue_start + cue_len]
            })
        })
    }

    /// The nearest warning or reported-speech cue in scope of units `start..end`: in the same
    /// sentence, ending at most `before` characters before it or starting at most `after`
    /// characters after it. `cues` is sorted by start.
    pub(crate) fn in_scope(
        &self,
        chars: &[char],
        cues: &[Cue],
        start: usize,
        end: usize,
    ) -> Option<Cue> {
        let sentence_start = {
            let limit = start.saturating_sub(self.warning.0.max(self.reported.0));
            let mut s = start;
            while s > limit && !is_sentence_break(chars[s - 1]) {
                s -= 1;
            }
            s
        };
        let sentence_end = {
            let limit = (end + self.warning.1.max(self.reported.1)).min(chars.len());
            let mut e = end;
            while e < limit && !is_sentence_break(chars[e]) {
                e += 1;
            }
            e
        };
        let first = cues.partition_point(|c| c.end < sentence_start);
        let mut best: Option<(usize, Cue)> = None;
        for c in &cues[first..] {
            if c.start >= sentence_end {
                break;
            }
            let (before, after) = match c.reason {
                NeutralReason::Warning => self.warning,
                _ => self.reported,
            };
            let distance = if c.end <= start {
                let d = start - c.end;
                if d > before || c.start < sentence_start {
                    continue;
                }
                d
            } else if c.start >= end {
                let d = c.start - end;
                if d > after || c.end > sentence_end {
                    continue;
                }
                d
            } else {
                // Overlapping the evidence: the cue is part of what was said.
                continue;
            };
            if best.is_none_or(|(bd, _)| distance < bd) {
                best = Some((distance, *c));
            }
        }
        best.map(|(_, c)| c)
    }
}
