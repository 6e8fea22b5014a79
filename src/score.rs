//! The score model (see `DESIGN.md`): findings add up within a tactic with diminishing returns,
//! tactics combine as independent evidence, classic combinations raise the score further, and a
//! tactic that is only a regulatory flag cannot alone lift a report above its cap.

use crate::lexicon::{ScoringDef, Tactic};
use crate::report::{ComboHit, Finding, Level, Report, RuleKind, Severity, TacticScore};

/// The level a score falls in.
pub(crate) fn level_of(score: f64, thresholds: &[f64; 4]) -> Level {
    let above = thresholds.iter().filter(|&&t| score >= t).count();
    Level::ALL[above]
}

/// What scoring needs to know of a finding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evidence<'a> {
    pub tactic: &'a str,
    pub weight: f64,
    pub scoring: bool,
    /// An unambiguous grave violation: may reach `serious_max_level` alone.
    pub serious: bool,
    /// Two or more parts in one clause (a frame or a co-occurrence), not one phrase.
    pub composite: bool,
}

impl<'a> From<&'a Finding> for Evidence<'a> {
    fn from(f: &'a Finding) -> Self {
        Evidence {
            tactic: &f.tactic,
            weight: f.weight,
            scoring: f.is_scoring(),
            serious: f.severity == Severity::Serious,
            composite: matches!(f.kind, RuleKind::Frame | RuleKind::Cooccurrence),
        }
    }
}

/// The outcome of scoring a list of evidence.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub score: f64,
    pub level: Level,
    pub tactics: Vec<TacticScore>,
    pub combos: Vec<ComboHit>,
    pub capped: Option<Level>,
    /// What each piece of evidence adds, in input order (0 when neutralized).
    pub contributions: Vec<f64>,
}

/// Scores evidence: within a tactic, heaviest first, the i-th counting `weight × decay^i`;
/// tactics combine as `1 − Π(1 − s)`; combinations add their bonus; caps hold the level down.
pub(crate) fn score_evidence(
    evidence: &[Evidence<'_>],
    tactics: &[Tactic],
    model: &ScoringDef,
) -> Scored {
    let mut contributions = vec![0.0; evidence.len()];
    let mut summaries: Vec<TacticScore> = Vec::new();
    let mut total_keep = 1.0f64;
    for tactic in tactics {
        let mut idx: Vec<usize> = (0..evidence.len())
            .filter(|&i| evidence[i].tactic == tactic.id)
            .collect();
        if idx.is_empty() {
            continue;
        }
        let neutralized = idx.iter().filter(|&&i| !evidence[i].scoring).count();
        idx.retain(|&i| evidence[i].scoring);
        idx.sort_by(|&a, &b| {
            evidence[b]
                .weight
                .total_cmp(&evidence[a].weight)
                .then(a.cmp(&b))
        });
        let mut keep = 1.0f64;
        let mut factor = 1.0f64;
        for &i in &idx {
            let c = (evidence[i].weight * factor).clamp(0.0, 1.0);
            contributions[i] = c;
            keep *= 1.0 - c;
            factor *= model.repeat_decay;
        }
        if !idx.is_empty() {
            total_keep *= keep;
        }
        summaries.push(TacticScore {
            tactic: tactic.id.clone(),
            score: 1.0 - keep,
            findings: idx.len(),
            neutralized,
        });
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
    let mut cap_at = |cap: Level, level: &mut Level, score: &mut f64| {
        *level = cap;
        let next = Level::ALL.iter().position(|&l| l == cap).unwrap_or(0);
        if let Some(&ceiling) = model.levels.get(next) {
            *score = score.min(ceiling - 1e-6);
        }
        capped = Some(cap);
    };
    // One phrase is not a case: a report resting on a single finding stays at the cap, unless
    // that finding is a serious violation on its own, or a strong composite one (two signals in
    // one clause, not one phrase): then the higher of their own caps applies.
    let mut scoring = evidence.iter().filter(|e| e.scoring);
    let only = match (scoring.next(), scoring.next()) {
        (Some(e), None) => Some(e),
        _ => None,
    };
    let single_cap = only.and_then(|e| {
        let mut cap = model.single_finding_max_level?;
        if e.serious {
            cap = cap.max(model.serious_max_level.unwrap_or(cap));
        }
        if e.composite && e.weight >= model.composite_min_weight {
            cap = cap.max(model.composite_max_level.unwrap_or(cap));
        }
        Some(cap)
    });
    if let Some(cap) = single_cap.filter(|&cap| level > cap) {
        cap_at(cap, &mut level, &mut score);
    }
    if let [only] = summaries.as_slice() {
        let cap = tactics
            .iter()
            .find(|t| t.id == only.tactic)
            .and_then(|t| t.alone_max_level);
        if let Some(cap) = cap.filter(|&cap| level > cap) {
            cap_at(cap, &mut level, &mut score);
        }
    }
    Scored {
        score: score.clamp(0.0, 1.0),
        level,
        tactics: summaries,
        combos,
        capped,
        contributions,
    }
}

/// Scores `findings` (setting each one's contribution) and builds the report around them.
pub(crate) fn score(mut findings: Vec<Finding>, tactics: &[Tactic], model: &ScoringDef) -> Report {
    findings.sort_by(|a, b| {
        (a.start, a.end, &a.tactic, &a.rule).cmp(&(b.start, b.end, &b.tactic, &b.rule))
    });
    let evidence: Vec<Evidence<'_>> = findings.iter().map(Evidence::from).collect();
    let scored = score_evidence(&evidence, tactics, model);
    for (f, c) in findings.iter_mut().zip(scored.contributions) {
        f.contribution = c;
    }
    Report {
        score: scored.score,
        level: scored.level,
        tactics: scored.tactics,
        findings,
        combos: scored.combos,
        capped: scored.capped,
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

    fn model() -> ScoringDef {
        ScoringDef {
            single_finding_max_level: Some(Level::Medium),
            serious_max_level: Some(Level::High),
            composite_max_level: Some(Level::High),
            composite_min_weight: 0.7,
            ..ScoringDef::default()
        }
    }

    fn tactic() -> Tactic {
        Tactic {
            id: "health_claim".into(),
            name_zh: String::new(),
            name_en: String::new(),
            description: String::new(),
            legal_basis: Vec::new(),
            weight: 1.0,
            alone_max_level: None,
            color: String::new(),
        }
    }

    fn alone(weight: f64, serious: bool, composite: bool) -> Level {
        let e = Evidence {
            tactic: "health_claim",
            weight,
            scoring: true,
            serious,
            composite,
        };
        score_evidence(&[e], &[tactic()], &model()).level
    }

    #[test]
    fn one_finding_reaches_high_only_when_serious_or_strong_and_composite() {
        assert_eq!(
            alone(0.95, false, false),
            Level::Medium,
            "one phrase is not a case"
        );
        assert_eq!(alone(0.95, true, false), Level::High, "serious");
        assert_eq!(alone(0.8, false, true), Level::High, "strong composite");
        assert_eq!(alone(0.65, false, true), Level::Medium, "weak composite");
        assert_eq!(alone(0.99, true, true), Level::High, "never critical alone");
    }
}
