//! Context over candidates: allow-listed phrases, negation, warnings, reported speech and
//! viewer questions (per candidate, over each of its parts), the document frame (a transcript
//! that reports or debunks scripts rather than using them), and quotations.

use crate::context::{ContextRules, Cue};
use crate::lexicon::{AllowScope, LexiconSet};
use crate::matcher::{Hit, Target};
use crate::report::{FindingKey, NeutralReason, Neutralization, RuleKind};

use super::{Candidate, SENTENCE_REACH, Scan, same_sentence};

/// How far (in characters) a sentence-scoped allow-listed phrase reaches from the evidence it
/// clears. A sentence of unpunctuated speech can run for a whole pitch: `删掉` at the far end of
/// it is not the warning "delete that message" next to the code it concerns.
const ALLOW_REACH: usize = 30;

/// Characters between two spans (0 when they touch or overlap).
fn gap(a0: usize, a1: usize, b0: usize, b1: usize) -> usize {
    b0.saturating_sub(a1).max(a0.saturating_sub(b1))
}

/// Applies allow-lists, negation, warnings and reported speech.
pub(crate) fn apply(
    lex: &LexiconSet,
    ctx: &ContextRules,
    scan: &Scan<'_>,
    cues: &[Cue],
    questions: &[Cue],
    turns: &[usize],
    cands: &mut [Candidate],
) {
    // Allow-listed hits by (tactic, start): each candidate looks only near itself.
    let mut allows: Vec<(usize, usize, usize, AllowScope)> = scan
        .hits
        .iter()
        .filter_map(|h| match h.target {
            Target::Allow { tactic, allow } => {
                let scope = lex.tactics[tactic as usize].allow[allow as usize].scope;
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
                AllowScope::Sentence => {
                    same_sentence(&scan.breaks, s, e, c.start, c.end)
                        && spans
                            .iter()
                            .any(|&(cs, ce)| gap(s, e, cs, ce) <= ALLOW_REACH)
                }
            });
        if let Some(&(_, start, end, _)) = allowed {
            c.neutral = Some(Cue {
                reason: NeutralReason::AllowListed,
                start,
                end,
            });
            continue;
        }
        // A negation inside another part of the same co-occurrence or frame is part of what
        // was said (`老板不知道` + `这个价`), not a negation of the next part; so is a
        // dismissive quote anywhere after the first part (`年龄、吃什么药和手机号私信发我`). (A
        // price claim's cue part keeps negating: `不说三千` names a price it does not ask.)
        let composite = matches!(c.kind, RuleKind::Cooccurrence | RuleKind::Frame);
        if c.negatable {
            let own =
                |cue: &Cue| composite && spans.iter().any(|&(s, e)| s <= cue.start && cue.end <= e);
            if let Some(cue) = spans.iter().find_map(|&(s, _)| {
                ctx.negation(&scan.chars, scan.norm, s)
                    .filter(|cue| !own(cue))
            }) {
                c.neutral = Some(cue);
                continue;
            }
        }
        if let Some(cue) = spans.iter().find_map(|&(s, _)| {
            ctx.quote(&scan.chars, scan.norm, s)
                .filter(|cue| !(composite && c.start <= cue.start && cue.end <= c.end))
        }) {
            c.neutral = Some(cue);
            continue;
        }
        c.neutral = spans.iter().find_map(|&(s, e)| {
            ctx.question(&scan.chars, scan.norm, questions, s)
                .or_else(|| ctx.in_scope(&scan.chars, cues, turns, s, e))
        });
    }
}

/// What a live session needs to decide the document frame over the whole stream itself: the
/// frame and selling cues of the text analysed, and the findings that quotation marks make
/// somebody else's words once the stream has a frame cue (offsets in the analysed text).
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameEvidence {
    /// Frame cue hits, in order.
    pub cues: Vec<FrameCue>,
    /// Whether a selling cue was said.
    pub selling: bool,
    /// Findings inside quotation marks that only a frame cue makes reported speech, with the
    /// quotation as their cue.
    pub quoted: Vec<(FindingKey, Neutralization)>,
}

/// One frame cue hit.
#[derive(Debug, Clone)]
pub(crate) struct FrameCue {
    /// Its group: the distinct cues are counted by group.
    pub group: u16,
    /// Whether it counts (it does not overlap an earlier, longer cue).
    pub counts: bool,
    /// Its character span in the analysed text.
    pub char_start: usize,
    pub char_end: usize,
    /// The cue as the neutralization of the evidence it frames.
    pub cue: Neutralization,
}

impl FrameEvidence {
    /// How many cues and quotes it holds (for [`shift_from`](Self::shift_from)).
    pub fn marks(&self) -> (usize, usize) {
        (self.cues.len(), self.quoted.len())
    }

    /// Moves the offsets of the cues and quotes collected after `marks` by `bytes` and `chars`.
    pub fn shift_from(&mut self, marks: (usize, usize), bytes: usize, chars: usize) {
        for c in &mut self.cues[marks.0..] {
            c.char_start += chars;
            c.char_end += chars;
            c.cue.start += bytes;
            c.cue.end += bytes;
        }
        for (key, q) in &mut self.quoted[marks.1..] {
            key.2 += chars;
            key.3 += chars;
            q.start += bytes;
            q.end += bytes;
        }
    }
}

/// The frame cues of a text that count, in order: one phrase is one cue (`今天不卖` and `不卖货`
/// inside `今天不卖货` count once), and so are the members of one class entry
/// (`{victim_outcome}`: 卷款 and 跑路). Each hit comes with its group and whether it counts.
pub(crate) fn counted_cues<'h>(
    lex: &LexiconSet,
    frame: &'h [(u16, Hit)],
) -> Vec<(u16, &'h Hit, bool)> {
    let def = &lex.context.frame;
    let mut hits: Vec<&(u16, Hit)> = frame.iter().collect();
    hits.sort_by_key(|(_, h)| (h.start, std::cmp::Reverse(h.end)));
    let mut last_end = 0;
    hits.into_iter()
        .map(|(i, h)| {
            let counts = h.start >= last_end;
            last_end = last_end.max(h.end);
            (
                def.groups.get(*i as usize).copied().unwrap_or(*i),
                h,
                counts,
            )
        })
        .collect()
}

/// Whether distinct frame cue groups `groups` (deduplicated) frame a transcript as news,
/// consumer education or a scam warning: enough of them, more when selling is going on.
pub(crate) fn is_framed(lex: &LexiconSet, groups: usize, selling: bool) -> bool {
    let def = &lex.context.frame;
    let needed = if selling { def.strong } else { def.min };
    needed > 0 && groups >= needed
}

/// A transcript framed as news, consumer education or a scam warning (enough distinct frame
/// cues, more when selling is going on) quotes scam phrases rather than using them: what
/// evidence is left scoring is neutralized as reported speech, with the first frame cue.
/// It runs after overlapping evidence is deduplicated, as a live session applies it to the
/// findings it has reported.
pub(crate) fn document_frame(
    lex: &LexiconSet,
    frame: &[(u16, Hit)],
    selling: bool,
    cands: &mut [Candidate],
) {
    let mut distinct: Vec<u16> = counted_cues(lex, frame)
        .into_iter()
        .filter(|(_, _, counts)| *counts)
        .map(|(group, _, _)| group)
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    let Some((_, first)) = frame.iter().min_by_key(|(_, h)| h.start) else {
        return;
    };
    if !is_framed(lex, distinct.len(), selling) {
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
/// (`很多直播间说‘按原价回购’`), or when the quote is a viewer's handle that asks, sends a
/// gift or arrives (`‘包治百病’问能不能便宜`): it is neutralized as reported speech, with the
/// quotation as its cue. Recognized speech has no quotation marks, so this never touches it.
///
/// `framed` says whether the transcript has a frame cue; without one only the quotes that
/// say so themselves (a verb of saying, a handle) apply. The analyzer applies those with the
/// other context rules and the rest after deduplication, with the document frame.
pub(crate) fn quoted(scan: &Scan<'_>, text: &str, framed: bool, cands: &mut [Candidate]) {
    for c in cands.iter_mut().filter(|c| c.neutral.is_none()) {
        match quote_cue(scan, text, c) {
            Some((cue, local)) if local || framed => c.neutral = Some(cue),
            _ => {}
        }
    }
}

/// The quotation around candidate `c`, if any, and whether it is somebody else's words by
/// itself (a verb of saying before it, a viewer's handle after it) rather than only when the
/// transcript has a frame cue.
pub(crate) fn quote_cue(scan: &Scan<'_>, text: &str, c: &Candidate) -> Option<(Cue, bool)> {
    const OPEN: [char; 6] = ['‘', '“', '「', '『', '\'', '"'];
    const CLOSE: [char; 6] = ['’', '”', '」', '』', '\'', '"'];
    const REACH: usize = 60;
    // A quotation may hold questions and exclamations (`“能治咳嗽吗？能降血糖吗？”`): only a
    // full stop or a line ends the search for its marks, and the curly closing marks going back.
    let ends = |c: char| matches!(c, '。' | '\n');
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
    let (at, mark) = open?;
    let want = CLOSE[OPEN.iter().position(|&o| o == mark).unwrap_or(0)];
    let close = text[r.end..]
        .char_indices()
        .take(REACH)
        .take_while(|&(_, ch)| !ends(ch))
        .find(|&(_, ch)| ch == want)
        .map(|(i, _)| r.end + i)?;
    // A verb of saying, or of having seen or heard it somewhere (`网上看到“吃了不用吃药”`).
    let lead_start = text[..at]
        .char_indices()
        .rev()
        .take(3)
        .last()
        .map_or(at, |(i, _)| i);
    let lead = &text[lead_start..at];
    let said = lead
        .chars()
        .any(|ch| matches!(ch, '说' | '讲' | '称' | '叫' | '问' | '喊' | '念' | '写'))
        || ["看到", "听到", "见到", "看见", "听见", "刷到"]
            .iter()
            .any(|w| lead.contains(w));
    // `‘包治百病’问能不能便宜`: a viewer's handle, quoted and then asking, sending a gift or
    // arriving (not 说: `“原价回收”说到做到` is the host's own promise).
    let handle = text[close + want.len_utf8()..]
        .chars()
        .next()
        .is_some_and(|ch| matches!(ch, '问' | '送' | '来'));
    // The cue is the quotation itself.
    let cue = Cue {
        reason: NeutralReason::ReportedSpeech,
        start: scan.norm.unit_at_original(at + mark.len_utf8()),
        end: scan.norm.unit_at_original(close),
    };
    Some((cue, said || handle))
}
