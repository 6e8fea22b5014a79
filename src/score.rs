//! The score model (see `DESIGN.md`): findings add up within a tactic with diminishing returns,
//! tactics combine as independent evidence, classic combinations raise the score further, and a
//! tactic that is only a regulatory flag cannot alone lift a report above its cap.

use crate::lexicon::{ScoringDef, Tactic};
use crate::report::{ComboHit, Finding, Level, Report, TacticScore};

/// The level a score falls in.
pub(crate) fn level_of(score: f64, thresholds: &[f64; 4]) -> Level {
    let above = thresholds.iter().filter(|&&t| score >= t).count();
    Level::ALL[above]
}

/// Scores `findings` (setting each one's contribution) and builds the report around them.
pub(crate) fn score(mut findings: Vec<Finding>, tactics: &[Tactic], model: &ScoringDef) -> Report {
    findings.sort_by(|a, b| {
        (a.start, a.end, &a.tactic, &a.rule).cmp(&(b.start, b.end, &b.tactic, &b.rule))
    });
    let mut summaries: Vec<TacticScore> = Vec::new();
    let mut total_keep = 1.0f64;
    for tactic in tactics {
        let mut idx: Vec<usize> = (0..findings.len())
            .filter(|&i| findings[i].tactic == tactic.id)
            .collect();
        if idx.is_empty() {
            continue;
        }
        let neutralized = idx.iter().filter(|&&i| !findings[i].is_scoring()).count();
        idx.retain(|&i| findings[i].is_scoring());
        idx.sort_by(|&a, &b| {
            findings[b]
                .weight
                .total_cmp(&findings[a].weight)
                .then(a.cmp(&b))
        });
        let mut keep = 1.0f64;
        let mut factor = 1.0f64;
        for &i in &idx {
            let c = (findings[i].weight * factor).clamp(0.0, 1.0);
            findings[i].contribution = c;
            keep *= 1.0 - c;
            factor *= model.repeat_decay;
        }
        let s = 1.0 - keep;
        if !idx.is_empty() {
            total_keep *= keep;
        }
        summaries.push(TacticScore {
            tactic: tactic.id.clone(),
            score: s,
            findings: idx.len(),
            neutralized,
        });
    }
    for f in findings.iter_mut().filter(|f| !f.is_scoring()) {
        f.contribution = 0.0;
    }
    let mut score = 1.0 - total_keep;
    summaries.retain(|t| t.findings > 0);
    summaries.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.tactic.cmp(&b.tactic))
    });

    let mut combos = Vec::new();
    for combo in &model.combos {
        if combo
            .tactics
            .iter()
            .all(|t| summaries.iter().any(|s| &s.tactic == t))
        {
            score = 1.0 - (1.0 - score) * (1.0 - combo.bonus);
            combos.push(ComboHit {
                id: combo.id.clone(),
                description: combo.description.clone(),
                tactics: combo.tactics.clone(),
                bonus: combo.bonus,
            });
        }
    }
    let mut level = level_of(score, &model.levels);
    let mut capped = None;
    // One phrase is not a case: a report resting on a single finding stays at the cap.
    let scoring = findings.iter().filter(|f| f.is_scoring()).count();
    if let Some(cap) = model
        .single_finding_max_level
        .filter(|&cap| scoring == 1 && level > cap)
    {
        level = cap;
        let next = Level::ALL.iter().position(|&l| l == cap).unwrap_or(0);
        if let Some(&ceiling) = model.levels.get(next) {
            score = score.min(ceiling - 1e-6);
        }
        capped = Some(cap);
    }
    if let [only] = summaries.as_slice() {
        let cap = tactics
            .iter()
            .find(|t| t.id == only.tactic)
            .and_then(|t| t.alone_max_level);
        if let Some(cap) = cap.filter(|&cap| level > cap) {
            level = cap;
            // Keep the score inside the capped level's band.
            let next = Level::ALL.iter().position(|&l| l == cap).unwrap_or(0);
            if let Some(&ceiling) = model.levels.get(next) {
                score = score.min(ceiling - 1e-6);
            }
            capped = Some(cap);
        }
    }
    Report {
        score: score.clamp(0.0, 1.0),
        level,
        tactics: summaries,
        findings,
        combos,
        capped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        let t = [0.15, 0.35, 0.6, 0.85];
        assert_eq!(level_of(0.0, &t), Level::None);
        assert_eq!(level_of(0.15, &t), Level::Low);
        assert_eq!(level_of(0.5, &t), Level::Medium);
        assert_eq!(level_of(0.6, &t), Level::High);
        assert_eq!(level_of(0.99, &t), Level::Critical);
    }
}
