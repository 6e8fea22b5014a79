//! Term rules (`[[terms]]`): a lexicon term, in any of its evasion forms, standing on word
//! boundaries (a short Chinese term must not cut a word: `治` in `法治`; a Latin edge must not
//! run into other letters: `vx` in `vxabc`).

use crate::lexicon::{Boundary, FormKind, LexiconSet, RuleKind as LexRule};
use crate::matcher::{Hit, Target};
use crate::report::RuleKind;

use super::{Candidate, Scan, cjk_edge, latin_ok, short_cjk_edge};

/// Whether a hit must be checked against jieba's word boundaries: short terms (or every term,
/// for `boundary = "always"`) with a Chinese character at an edge.
pub(crate) fn needs_segmentation(
    lex: &LexiconSet,
    chars: &[char],
    hit: &Hit,
    boundary: Boundary,
) -> bool {
    let check = match boundary {
        Boundary::Never => false,
        Boundary::Always => true,
        // A pinyin or variant form is checked like its term: by the term's length.
        Boundary::Auto => match hit.target {
            Target::Term {
                tactic, rule, term, ..
            } => match &lex.tactics[tactic as usize].rules[rule as usize].kind {
                LexRule::Terms(t) => t.terms[term as usize].chars().count() <= 3,
                _ => false,
            },
            _ => return short_cjk_edge(chars, hit.start, hit.end),
        },
    };
    check && cjk_edge(chars, hit.start, hit.end)
}

/// Whether `hit` stands on word boundaries (Latin edges and, where needed, jieba's words).
pub(crate) fn on_boundaries(
    lex: &LexiconSet,
    scan: &Scan<'_>,
    hit: &Hit,
    boundary: Boundary,
) -> bool {
    latin_ok(scan, hit.start, hit.end)
        && !(needs_segmentation(lex, &scan.chars, hit, boundary)
            && scan.bounds.cuts_word(hit.start, hit.end))
}

/// The candidate of a term hit, if the term stands on word boundaries.
pub(crate) fn candidate(
    lex: &LexiconSet,
    scan: &Scan<'_>,
    hit: &Hit,
    (tactic, rule, term): (usize, usize, usize),
    form: FormKind,
) -> Option<Candidate> {
    let def = &lex.tactics[tactic].rules[rule];
    let LexRule::Terms(terms) = &def.kind else {
        return None;
    };
    if !on_boundaries(lex, scan, hit, terms.boundary) {
        return None;
    }
    let mut c = Candidate::new((tactic, rule), def, RuleKind::Term, hit.start, hit.end)
        .with_term(Some(terms.terms[term].clone()));
    c.form = form;
    Some(c)
}
