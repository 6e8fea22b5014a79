//! Overlap within a tactic: the same evidence found by several rules, or inside longer
//! evidence, counts once.

use std::collections::BTreeMap;

use super::Candidate;

/// Within one tactic, evidence inside other evidence is the same evidence: a candidate whose
/// every evidence span (its parts, or its whole span) lies inside one evidence span of another
/// is dropped, and of two overlapping matches of the same rule the longer stays. A scoring
/// candidate is never dropped for a neutralized one. A co-occurrence's hull is not evidence:
/// terms between its parts stay.
pub(crate) fn dedupe(cands: &mut Vec<Candidate>) {
    fn inside(c: &Candidate, k: &Candidate) -> bool {
        let within = |s: usize, e: usize| {
            if k.parts.is_empty() {
                k.start <= s && e <= k.end
            } else {
                k.parts.iter().any(|p| p.1 <= s && e <= p.2)
            }
        };
        if c.parts.is_empty() {
            within(c.start, c.end)
        } else {
            c.parts.iter().all(|p| within(p.1, p.2))
        }
    }
    // Strongest first: scoring, then serious, then heavier, then longer evidence.
    cands.sort_by(|a, b| {
        a.tactic
            .cmp(&b.tactic)
            .then(a.neutral.is_some().cmp(&b.neutral.is_some()))
            .then(b.severity.cmp(&a.severity))
            .then(b.weight.total_cmp(&a.weight))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            // Ties go by rule, never by the order the rule kinds ran in: a live session's
            // window and the whole text must keep the same one.
            .then(a.rule.cmp(&b.rule))
    });
    let mut keep = vec![false; cands.len()];
    let mut i = 0;
    while i < cands.len() {
        let tactic = cands[i].tactic;
        let j = i + cands[i..].partition_point(|c| c.tactic == tactic);
        let longest = cands[i..j]
            .iter()
            .map(|c| c.end - c.start)
            .max()
            .unwrap_or(0);
        // Kept candidates of this tactic by start: only those starting within `longest` before
        // a candidate can contain or overlap it.
        let mut kept: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for x in i..j {
            let c = &cands[x];
            let redundant = kept
                .range(c.start.saturating_sub(longest)..c.end)
                .flat_map(|(_, v)| v.iter())
                .any(|&y| {
                    let k = &cands[y];
                    if k.neutral.is_some() && c.neutral.is_none() {
                        return false;
                    }
                    if k.severity < c.severity {
                        return false;
                    }
                    let same_rule_overlap = k.rule == c.rule
                        && c.parts.is_empty()
                        && k.parts.is_empty()
                        && k.start < c.end
                        && c.start < k.end;
                    // Either way round: a heavier phrase kept first is not double-counted by a
                    // lighter, longer rule around it.
                    same_rule_overlap || inside(c, k) || (k.weight > c.weight && inside(k, c))
                });
            if !redundant {
                keep[x] = true;
                kept.entry(c.start).or_default().push(x);
            }
        }
        i = j;
    }
    let mut flags = keep.into_iter();
    cands.retain(|_| flags.next().unwrap_or(false));
}
