//! The rules that read numbers: price claims (`[price]`: a reference price against the offer,
//! read by `crate::price`) and personal numbers (`[[pii]]`: mobile, ID and bank card numbers,
//! read by `crate::pii`).

use crate::analyzer::Rules;
use crate::lexicon::{LexiconSet, PiiKind, RuleKind as LexRule};
use crate::normalize::SOFT;
use crate::pii;
use crate::price::{PriceCue, find_claims, find_prices};
use crate::report::{RuleKind, Severity};

use super::{Candidate, Scan};

/// Price claims and personal numbers: the rules that read numbers.
pub(crate) fn find(
    lex: &LexiconSet,
    scan: &Scan<'_>,
    price_cues: &[((usize, usize), PriceCue)],
    rules: Rules,
    out: &mut Vec<Candidate>,
) {
    let numbers = &scan.numbers;
    // Personal numbers are read once, whatever the number of personal-number rules.
    let mut personal: Option<Vec<pii::PersonalNumber>> = None;
    for (t, tactic) in lex.tactics.iter().enumerate() {
        for (r, rule) in tactic.rules.iter().enumerate() {
            match &rule.kind {
                LexRule::Price(def) if rules != Rules::WithoutPrice => {
                    let mut cues: Vec<PriceCue> = price_cues
                        .iter()
                        .filter(|(key, _)| *key == (t, r))
                        .map(|(_, c)| *c)
                        .collect();
                    cues.sort_by_key(|c| (c.end, c.start));
                    let prices = find_prices(&scan.chars, numbers, &cues, |i| {
                        scan.norm.flags(i) & SOFT != 0
                    });
                    for claim in find_claims(&prices, def, &scan.breaks) {
                        let (rf, of) = (claim.reference, claim.offer);
                        let mut parts = Vec::new();
                        for (role, p) in [("reference", rf), ("offer", of)] {
                            if let Some(c) = p.cue.filter(|c| c.end > c.start) {
                                parts.push((format!("{role} cue"), c.start, c.end));
                            }
                            parts.push((format!("{role} price"), p.start, p.end));
                        }
                        parts.sort_by_key(|p| p.1);
                        let start = parts.iter().map(|p| p.1).min().unwrap_or(rf.start);
                        let end = parts.iter().map(|p| p.2).max().unwrap_or(rf.end);
                        let mut c = Candidate::new((t, r), rule, RuleKind::Price, start, end)
                            .with_term(Some(format!(
                                "{} ÷ {} = {:.1}",
                                fmt_amount(rf.value),
                                fmt_amount(of.value),
                                claim.ratio
                            )))
                            .with_parts(parts);
                        // A price claim's strength scales its weight; it is always negatable
                        // and never serious on its own.
                        c.weight = rule.weight * claim.strength;
                        c.negatable = true;
                        c.severity = Severity::Normal;
                        out.push(c);
                    }
                }
                LexRule::Pii(kind) if rules != Rules::PriceOnly => {
                    let found = personal
                        .get_or_insert_with(|| pii::find_personal_numbers(&scan.chars, numbers));
                    for n in found.iter().filter(|n| n.kind == *kind) {
                        let mut c =
                            Candidate::new((t, r), rule, RuleKind::PersonalData, n.start, n.end)
                                .with_term(Some(
                                    match kind {
                                        PiiKind::Mobile => "mobile number",
                                        PiiKind::IdCard => "resident ID number",
                                        PiiKind::BankCard => "bank card number",
                                    }
                                    .to_string(),
                                ));
                        c.negatable = true;
                        c.severity = Severity::Normal;
                        out.push(c);
                    }
                }
                _ => {}
            }
        }
    }
}

fn fmt_amount(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}
