//! Frames: ordered slots within one clause, each slot a list of terms or word classes
//! (`{cure_verb}` then `{disease}`; a request verb, a personal-data field and a place). A frame
//! generalizes where a term list cannot: every verb of a class with every condition of another,
//! with a few characters of filler allowed between them (`能 那个 治好糖尿病`).
//!
//! A frame's slots are matched in order; consecutive slots may be at most `max_gap` characters
//! apart and never across clause punctuation. A frame whose first slot comes right after one of
//! its `unless_before` phrases (`有助于` before an approved health function) is not evidence.
//! Context rules (negation, warnings, reported speech) then apply to every slot, as to the
//! parts of a co-occurrence.

use crate::lexicon::{FormKind, LexiconSet, RuleKind as LexRule};
use crate::normalize::is_clause_break;
use crate::report::RuleKind;

use crate::segment::Segmenter;

use super::{Candidate, Scan, cjk_edge};

/// A hit of a slot term set (shared by every frame whose slot has these terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlotHit {
    pub set: u32,
    pub form: FormKind,
    pub start: usize,
    pub end: usize,
}

/// Whether `chars[from..to]` (a gap between slots) crosses clause punctuation.
fn crosses_clause(chars: &[char], from: usize, to: usize) -> bool {
    chars[from.min(chars.len())..to.min(chars.len())]
        .iter()
        .any(|&c| is_clause_break(c))
}

/// Characters that join the items of an enumeration (`高血压、糖尿病和痛风`).
fn joins_items(c: char) -> bool {
    matches!(c, '、' | '和' | '及' | '与' | '或' | '跟' | ',')
}

/// `hit` extended over an enumeration of further hits of the same slot right after it: one
/// slot may name several conditions or fields (`对高血压、糖尿病都有奇效`).
fn enumeration(hits: &[SlotHit], hit: SlotHit, chars: &[char]) -> SlotHit {
    let mut out = hit;
    loop {
        let from = hits.partition_point(|h| h.start <= out.end);
        let next = hits[from..]
            .iter()
            .take_while(|h| h.start <= out.end + 1)
            .find(|h| h.start == out.end + 1 && joins_items(chars[out.end]));
        match next {
            Some(h) if h.end > out.end => out.end = h.end,
            _ => return out,
        }
    }
}

/// Completes a frame from slot `i` on, the previous slot ending at `prev_end`: the earliest
/// (then longest) hit of each slot that keeps the gap small and within the clause.
fn complete(
    slots: &[&[SlotHit]],
    i: usize,
    prev_end: usize,
    max_gap: usize,
    chars: &[char],
    out: &mut Vec<SlotHit>,
) -> bool {
    if i == slots.len() {
        return true;
    }
    let hits = slots[i];
    let from = hits.partition_point(|h| h.start < prev_end);
    for h in &hits[from..] {
        if h.start > prev_end + max_gap {
            break;
        }
        if crosses_clause(chars, prev_end, h.start) {
            break;
        }
        let h = enumeration(hits, *h, chars);
        out.push(h);
        if complete(slots, i + 1, h.end, max_gap, chars, out) {
            return true;
        }
        out.pop();
    }
    false
}

/// Every frame match in `hits` (hits of any slot set, in any order).
pub(crate) fn find(lexicon: &LexiconSet, chars: &[char], hits: &mut [SlotHit]) -> Vec<Candidate> {
    let mut out = Vec::new();
    hits.sort_unstable_by_key(|h| (h.set, h.start, std::cmp::Reverse(h.end)));
    let of_set = |set: u32| -> &[SlotHit] {
        let lo = hits.partition_point(|h| h.set < set);
        let hi = hits.partition_point(|h| h.set <= set);
        &hits[lo..hi]
    };
    // Which slot sets have hits at all: most frames lack one, and are skipped without a search.
    let mut present = vec![0u64; hits.last().map_or(0, |h| h.set as usize / 64 + 1)];
    for h in hits.iter() {
        present[h.set as usize / 64] |= 1 << (h.set % 64);
    }
    let has = |set: u32| {
        present
            .get(set as usize / 64)
            .is_some_and(|w| w & (1 << (set % 64)) != 0)
    };
    let mut slots: Vec<&[SlotHit]> = Vec::new();
    let mut parts = Vec::new();
    for (t, tactic) in lexicon.tactics.iter().enumerate() {
        for (r, rule) in tactic.rules.iter().enumerate() {
            let LexRule::Frame(def) = &rule.kind else {
                continue;
            };
            let n = def.slots.len();
            if !def.sets[..n].iter().all(|&set| has(set)) {
                continue;
            }
            slots.clear();
            slots.extend(def.sets[..n].iter().map(|&set| of_set(set)));
            let guards = of_set(def.sets[n]);
            let mut next_free = 0;
            for first in slots[0] {
                if first.start < next_free {
                    continue;
                }
                let guarded = guards.iter().any(|g| {
                    g.end <= first.start
                        && first.start - g.end <= def.max_gap
                        && !crosses_clause(chars, g.end, first.start)
                });
                if guarded {
                    continue;
                }
                parts.clear();
                let first = &enumeration(slots[0], *first, chars);
                parts.push(*first);
                if !complete(&slots, 1, first.end, def.max_gap, chars, &mut parts) {
                    continue;
                }
                let (start, end) = (first.start, parts.last().map_or(first.end, |p| p.end));
                let term: String = parts
                    .iter()
                    .map(|p| chars[p.start..p.end].iter().collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" + ");
                let mut c = Candidate::new((t, r), rule, RuleKind::Frame, start, end)
                    .with_term(Some(term))
                    .with_parts(
                        parts
                            .iter()
                            .enumerate()
                            .map(|(k, p)| (format!("slot {}", k + 1), p.start, p.end))
                            .collect(),
                    );
                c.form = parts
                    .iter()
                    .map(|p| p.form)
                    .max()
                    .unwrap_or(FormKind::Literal);
                out.push(c);
                next_free = end;
            }
        }
    }
    out
}

/// Frame rules: slot matches whose outer edges fall on word boundaries (the slots inside
/// may join into one word: `抗` + `癌`). Only the frames found are segmented.
pub(crate) fn find_checked(
    lex: &LexiconSet,
    segmenter: &Segmenter,
    scan: &Scan<'_>,
    slots: &mut [SlotHit],
    out: &mut Vec<Candidate>,
) {
    if slots.is_empty() {
        return;
    }
    let found = find(lex, &scan.chars, slots);
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
    let bounds = segmenter.boundaries(scan.norm, &spans);
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

/// How far a frame of `def` can reach, in characters.
pub(crate) fn reach(def: &crate::lexicon::FrameRuleDef) -> usize {
    let longest = |slot: &Vec<String>| {
        slot.iter()
            .map(|t| t.chars().count() * 3)
            .max()
            .unwrap_or(0)
    };
    def.slots.iter().map(longest).sum::<usize>() + def.max_gap * def.slots.len()
}
