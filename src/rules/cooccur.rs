//! Co-occurrence rules (`[[cooccur]]`): a member of every group within the rule's window and
//! the anchor's sentence (`私聊` … `价格`). Members are checked against word boundaries lazily:
//! only the members of windows that complete are segmented.

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use crate::lexicon::{LexiconSet, RuleKind as LexRule};
use crate::matcher::Hit;
use crate::normalize::Breaks;
use crate::report::RuleKind;
use crate::segment::Segmenter;

use super::{Candidate, Scan, short_cjk_edge};

/// Co-occurrence rules with word-boundary checks done lazily: the members of the rules
/// that complete are segmented, and the rules re-run without the members that cut a word
/// (`治` in `法治`), until every part stands on word boundaries. The same result as checking
/// every member first, at the cost of the candidates only.
pub(crate) fn find(
    lex: &LexiconSet,
    segmenter: &Segmenter,
    scan: &Scan<'_>,
    groups: &mut Vec<(usize, usize, usize, Hit)>,
    out: &mut Vec<Candidate>,
) {
    if groups.is_empty() {
        return;
    }
    // Only a rule with a member of every group somewhere in the text can complete. Broad
    // members (今天, 直播间) belong to many rules, most of which lack some group: drop their
    // hits before sorting and windowing.
    let mut seen: FxHashMap<(usize, usize), u64> = FxHashMap::default();
    for &(t, r, g, _) in groups.iter() {
        *seen.entry((t, r)).or_default() |= 1u64 << g.min(63);
    }
    groups.retain(|&(t, r, _, _)| {
        let LexRule::Cooccur(def) = &lex.tactics[t].rules[r].kind else {
            return true;
        };
        let n = def.groups.len();
        n > 63 || seen.get(&(t, r)).copied() == Some((1u64 << n) - 1)
    });
    if groups.is_empty() {
        return;
    }
    let mut checked: HashSet<(usize, usize)> = Default::default();
    loop {
        let mut found = Vec::new();
        windows(lex, &scan.chars, &scan.breaks, groups, &mut found);
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
        let bounds = segmenter.boundaries(scan.norm, &spans);
        let bad: HashSet<(usize, usize)> = spans
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

/// Co-occurrence rules: for each rule, windows holding a member of every group.
fn windows(
    lex: &LexiconSet,
    chars: &[char],
    breaks: &Breaks,
    groups: &mut [(usize, usize, usize, Hit)],
    out: &mut Vec<Candidate>,
) {
    groups.sort_unstable_by_key(|&(t, r, g, h)| (t, r, h.start, h.end, g));
    let mut i = 0;
    while i < groups.len() {
        let (t, r) = (groups[i].0, groups[i].1);
        let mut j = i;
        while j < groups.len() && (groups[j].0, groups[j].1) == (t, r) {
            j += 1;
        }
        let rule = &lex.tactics[t].rules[r];
        if let LexRule::Cooccur(def) = &rule.kind {
            let hits = &groups[i..j];
            let mut next_free = 0usize;
            let mut parts: Vec<Option<Hit>> = Vec::with_capacity(def.groups.len());
            for (a, anchor) in hits.iter().enumerate() {
                let anchor_hit = anchor.3;
                if anchor_hit.start < next_free {
                    continue;
                }
                // Parts stay within the anchor's sentence and the window.
                let reach = (anchor_hit.start + def.window).min(chars.len());
                let from = anchor_hit.end.min(reach);
                // Each anchor's limit is a binary search in the breaks, not a walk.
                let limit = breaks.next(from).map_or(reach, |b| b.min(reach));
                parts.clear();
                parts.resize(def.groups.len(), None);
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
                    let parts: Vec<Hit> = parts.iter().flatten().copied().collect();
                    let start = parts
                        .iter()
                        .map(|p| p.start)
                        .min()
                        .unwrap_or(anchor_hit.start);
                    let end = parts.iter().map(|p| p.end).max().unwrap_or(anchor_hit.end);
                    let mut ordered: Vec<(usize, Hit)> = parts.into_iter().enumerate().collect();
                    ordered.sort_by_key(|(_, h)| h.start);
                    let parts = ordered
                        .into_iter()
                        .map(|(g, h)| (format!("group {}", g + 1), h.start, h.end))
                        .collect();
                    out.push(
                        Candidate::new((t, r), rule, RuleKind::Cooccurrence, start, end)
                            .with_parts(parts),
                    );
                    next_free = end;
                }
            }
        }
        i = j;
    }
}
