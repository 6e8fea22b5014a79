//! Rule evaluation over one scan's hits. Each rule kind that has moved out of the analyzer's
//! orchestration lives in a file of its own and produces [`Candidate`]s, which the analyzer
//! neutralizes, dedupes and turns into findings.

pub(crate) mod frame;

use crate::context::Cue;
use crate::lexicon::FormKind;
use crate::report::{RuleKind, Severity};

/// A candidate finding, by normalized unit indices.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub tactic: usize,
    pub rule: usize,
    pub kind: RuleKind,
    pub term: Option<String>,
    pub form: FormKind,
    pub weight: f64,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    /// Multi-part evidence: (role, start, end).
    pub parts: Vec<(String, usize, usize)>,
    pub negatable: bool,
    pub neutral: Option<Cue>,
}
