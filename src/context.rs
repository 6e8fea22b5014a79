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

/// Cues that govern the evidence right after them (negation, dismissive quoting), indexed by
/// their last character: most positions end no cue.
#[derive(Debug, Clone, Default)]
struct Lookback {
    cues: Vec<Vec<char>>,
    by_last: std::collections::HashMap<char, Vec<usize>>,
    exceptions: Vec<Vec<char>>,
    /// Reach of one-character cues (`不`, `没`, `别`).
    window: usize,
    /// Reach of longer cues (`不要`, `不承诺`, `不是`): `不要把金饰当成稳赚的投资`.
    long_window: usize,
    reason: Option<NeutralReason>,
}

fn char_lists(v: &[String]) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = v.iter().map(|s| s.chars().collect()).collect();
    // Longest first, so 不要相信 wins over 不.
    out.sort_by_key(|c| std::cmp::Reverse(c.len()));
    out
}

impl Lookback {
    fn new(def: &CueDef, reason: NeutralReason) -> Lookback {
        let cues = char_lists(&def.cues);
        let mut by_last: std::collections::HashMap<char, Vec<usize>> = Default::default();
        for (i, cue) in cues.iter().enumerate() {
            if let Some(&last) = cue.last() {
                by_last.entry(last).or_default().push(i);
            }
        }
        Lookback {
            cues,
            by_last,
            exceptions: char_lists(&def.exceptions),
            window: def.window,
            long_window: def.long_window.max(def.window),
            reason: Some(reason),
        }
    }

    /// A cue governing the evidence that starts at unit `start`: it ends at most its window
    /// before, in the same clause (an enumeration comma `、` does not end it), with no pause
    /// between them unless the cue comes right before (`不 回收`), and it is not part of an
    /// exception (`不管`, `不仅`).
    fn find(&self, chars: &[char], text: &Normalized, start: usize) -> Option<Cue> {
        let reason = self.reason?;
        for k in 0..=self.long_window.min(start) {
            let p = start - k; // the cue would end at unit p; units p..start lie between
            if k > 0 {
                let ends_clause = is_clause_break(chars[p]) && chars[p] != '、';
                if ends_clause || text.flags(p + 1) & SOFT != 0 {
                    break;
                }
                if text.flags(p) & SOFT != 0 {
                    continue;
                }
            }
            let Some(candidates) = p.checked_sub(1).and_then(|i| self.by_last.get(&chars[i]))
            else {
                continue;
            };
            for cue in candidates.iter().map(|&i| &self.cues[i]) {
                let l = cue.len();
                let reach = if l == 1 {
                    self.window
                } else {
                    self.long_window
                };
                if k > reach || l > p || chars[p - l..p] != cue[..] {
                    continue;
                }
                let cue_start = p - l;
                if self.is_exception(chars, cue_start, l) {
                    continue;
                }
                return Some(Cue {
                    reason,
                    start: cue_start,
                    end: p,
                });
            }
        }
        None
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
}

/// The context rules of an analyzer.
#[derive(Debug, Clone)]
pub(crate) struct ContextRules {
    negation: Lookback,
    quote: Lookback,
    warning: (usize, usize),
    reported: (usize, usize),
    question: usize,
}

impl ContextRules {
    pub(crate) fn new(def: &ContextDef) -> ContextRules {
        ContextRules {
            negation: Lookback::new(&def.negation, NeutralReason::Negation),
            quote: Lookback::new(&def.quote, NeutralReason::ReportedSpeech),
            warning: (def.warning.window, def.warning.after),
            reported: (def.reported.window, def.reported.after),
            question: def.question.window,
        }
    }

    /// A negation cue governing the evidence that starts at unit `start` (`我们不回收`).
    pub(crate) fn negation(&self, chars: &[char], text: &Normalized, start: usize) -> Option<Cue> {
        self.negation.find(chars, text, start)
    }

    /// A dismissive quote right before the evidence (`什么保本高收益`, `那些说越盘越值钱`).
    pub(crate) fn quote(&self, chars: &[char], text: &Normalized, start: usize) -> Option<Cue> {
        self.quote.find(chars, text, start)
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
                // A pause ends the question, unless only a word or two of filler stands
                // between the cue and the evidence (`有人问 说 …`, as recognizers space it).
                (c.end..start).all(|i| !is_clause_break(chars[i]))
                    && (start - c.end <= 2
                        || (c.end + 1..=start).all(|i| text.flags(i) & SOFT == 0))
            })
            .last()
            .copied()
    }

    /// The nearest warning or reported-speech cue in scope of units `start..end`: in the same
    /// sentence, ending at most `before` characters before it or starting at most `after`
    /// characters after it. `cues` is sorted by start. A cue before the evidence does not reach
    /// past a turn to the speaker's own offer (`turns`, sorted: `别家都是假的，我们这款…`).
    pub(crate) fn in_scope(
        &self,
        chars: &[char],
        cues: &[Cue],
        turns: &[usize],
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
                // `别家都是假的，我们这款…`: the speaker turned to their own offer in between.
                let turned =
                    turns.partition_point(|&t| t < c.end) < turns.partition_point(|&t| t < start);
                if d > before || c.start < sentence_start || turned {
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
