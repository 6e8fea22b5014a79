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
    let mut number_runs: Option<Vec<(usize, usize)>> = None;
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
            let runs = number_runs.get_or_insert_with(|| crate::numeral::runs(&scan.chars));
            let next = tactic.anchors.number_next.as_deref();
            starts.extend(
                runs.iter()
                    .filter(|&&run| next.is_none_or(|next| continues(&scan.chars, run, next)))
                    .map(|&(s, _)| s),
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

/// Whether a `{num}` at the start of the numeral run `run` can be followed by one of `next`
/// (sorted): some character after the run's first, up to where the number can reach and the one
/// after, is in `next`. (A number may end inside its run: `三千` matches `{num}千`.)
fn continues(chars: &[char], run: (usize, usize), next: &[char]) -> bool {
    let last = crate::numeral::reach(chars, run).min(chars.len() - 1);
    chars[run.0 + 1..=last]
        .iter()
        .any(|c| next.binary_search(c).is_ok())
}

#[cfg(test)]
mod tests {
    use super::continues;

    fn check(text: &str, next: &[char]) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let run = crate::numeral::runs(&chars)[0];
        continues(&chars, run, next)
    }

    #[test]
    fn a_number_continues_only_into_what_can_follow_it() {
        assert!(check("三倍回收", &['倍']));
        assert!(!check("一下子", &['倍']));
        assert!(!check("十分好", &['倍', '单']));
        // Inside its run: `三千` is `{num}千` with `三` as the number.
        assert!(check("三千块", &['千']));
        // Arabic digits reach over a decimal part and a multiplier letter.
        assert!(check("1.5w倍", &['倍']));
        assert!(check("3k单", &['单']));
        assert!(!check("3.x倍", &['倍']));
        // At the end of the text nothing follows.
        assert!(!check("八", &['倍']));
    }
}
