//! Pattern rules (`[[pattern]]`): regular expressions over the normalized text, one
//! multi-pattern automaton a tactic, searched anchored where a match can start (the literal
//! prefixes the scan found, or numbers for patterns that start with one).

use crate::lexicon::{LexiconSet, RuleKind as LexRule};
use crate::report::RuleKind;

use super::{Candidate, Scan};

/// Regular-expression pattern rules: one multi-pattern search per tactic.
pub(crate) fn find(
    lex: &LexiconSet,
    scan: &Scan<'_>,
    anchors: &mut [(usize, usize)],
    out: &mut Vec<Candidate>,
) {
    use regex_automata::{Anchored, Input};
    anchors.sort_unstable();
    let text = scan.norm.text();
    let mut number_runs: Option<Vec<usize>> = None;
    for (t, tactic) in lex.tactics.iter().enumerate() {
        let mut push = |m: regex_automata::Match, ids: &[usize]| -> usize {
            let (start, end) = (scan.norm.unit_at(m.start()), scan.norm.unit_at(m.end()));
            let id = ids[m.pattern().as_usize()];
            let r = tactic.pattern_rules[id];
            let rule = &tactic.rules[r];
            if let (LexRule::Pattern(sources), true) = (&rule.kind, start < end) {
                let first = tactic
                    .pattern_rules
                    .iter()
                    .position(|&x| x == r)
                    .unwrap_or(id);
                out.push(
                    Candidate::new((t, r), rule, RuleKind::Pattern, start, end)
                        .with_term(sources.get(id - first).cloned()),
                );
            }
            end
        };
        if let Some(regex) = &tactic.scan_patterns {
            for m in regex.find_iter(text) {
                push(m, &tactic.anchors.scan_only);
            }
        }
        let Some(regex) = &tactic.patterns else {
            continue;
        };
        // Anchored searches where a match can start: the literal prefixes the automaton
        // found, and numbers for patterns that start with one.
        let lo = anchors.partition_point(|&(at, _)| at < t);
        let hi = anchors.partition_point(|&(at, _)| at <= t);
        let mut starts: Vec<usize> = anchors[lo..hi].iter().map(|&(_, s)| s).collect();
        if tactic.anchors.numbers {
            starts.extend(
                number_runs
                    .get_or_insert_with(|| crate::numeral::run_starts(&scan.chars))
                    .iter(),
            );
            starts.sort_unstable();
            starts.dedup();
        }
        let mut next_free = 0;
        for s in starts {
            if s < next_free {
                continue;
            }
            let input = Input::new(text)
                .range(scan.norm.byte_of(s)..)
                .anchored(Anchored::Yes);
            if let Some(m) = regex.search(&input) {
                next_free = push(m, &tactic.anchored_ids);
            }
        }
    }
}
