//! One automaton over the normalized text finds every lexicon term (in all its evasion forms),
//! every co-occurrence group member, allow-listed phrase, context cue and price cue in a single
//! pass.
//!
//! It is a character-wise double-array Aho–Corasick automaton (daachorse): on Chinese patterns
//! it runs several times faster than a byte-wise automaton because it steps one character, not
//! one byte, at a time (`cargo bench --bench matcher` compares it with aho-corasick).

use std::collections::HashMap;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use crate::error::{Error, Result};
use crate::lexicon::{FormKind, LexiconSet, Pinyin, RuleKind, expand_forms};
use crate::normalize::Normalized;

/// What a pattern in the automaton stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A term of a terms rule.
    Term {
        tactic: u16,
        rule: u16,
        term: u32,
        form: FormKind,
    },
    /// A member of a co-occurrence group.
    Group { tactic: u16, rule: u16, group: u16 },
    /// A term of a frame slot's term set (shared by every frame with the same slot terms;
    /// `unless_before` phrases are sets too).
    Slot { set: u32, form: FormKind },
    /// An allow-listed phrase of a tactic.
    Allow { tactic: u16, allow: u16 },
    /// A warning cue.
    Warning,
    /// A reported-speech cue.
    Reported,
    /// A viewer's question: its own clause is a viewer's words.
    Question,
    /// A viewer's comment read out: the rest of its sentence is the viewer's words.
    Comment,
    /// A price cue of a price rule.
    Price {
        tactic: u16,
        rule: u16,
        role: PriceRole,
    },
    /// A literal prefix of one of a tactic's patterns (the index in its anchors' literals): a
    /// place to run its regex.
    PatternAnchor { tactic: u16, anchor: u32 },
    /// A cue of a news, education or warning frame (`警方`, `维权`, `不卖货`); the value
    /// numbers distinct cues.
    Frame(u16),
    /// A cue of selling (`下单`, `小黄车`): a frame needs more cues when selling is going on.
    Selling,
    /// The speaker turning to their own offer (`我们这款`): warnings before it stop there.
    Turn,
}

/// The spellings of a co-occurrence member or frame slot term: its variants, and pinyin for one
/// character at a time (`kang癌`) when it has two characters or more.
fn member_forms(term: &str, lexicon: &LexiconSet) -> Vec<crate::lexicon::Form> {
    let pinyin = if term.chars().count() >= 2 {
        Pinyin::Single
    } else {
        Pinyin::Off
    };
    expand_forms(term, &lexicon.variants, pinyin)
}

/// What a price cue says about the price after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PriceRole {
    /// A claimed "real" price: 原价, 专柜价.
    Reference,
    /// The price asked now: 今天只要, 到手价.
    Offer,
    /// A verifiable baseline: 日常价, 前七天最低价.
    Baseline,
}

/// A match, by normalized unit indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

/// The compiled automaton and what each of its patterns stands for.
#[derive(Clone)]
pub(crate) struct Matcher {
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// Targets of pattern `p`: `targets[offsets[p]..offsets[p + 1]]`.
    offsets: Vec<u32>,
    targets: Vec<Target>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("patterns", &(self.offsets.len().saturating_sub(1)))
            .field("targets", &self.targets.len())
            .finish()
    }
}

/// The default of [`AnalyzerBuilder::max_patterns`](crate::AnalyzerBuilder::max_patterns).
pub(crate) const MAX_PATTERNS: usize = 3_000_000;

/// Collects patterns and their targets before compilation.
#[derive(Default)]
pub(crate) struct PatternSet {
    index: HashMap<String, usize>,
    patterns: Vec<(String, Vec<Target>)>,
}

impl PatternSet {
    pub(crate) fn add(&mut self, pattern: &str, target: Target) {
        let i = *self.index.entry(pattern.to_string()).or_insert_with(|| {
            self.patterns.push((pattern.to_string(), Vec::new()));
            self.patterns.len() - 1
        });
        let targets = &mut self.patterns[i].1;
        if !targets.contains(&target) {
            targets.push(target);
        }
    }

    /// Every pattern of every lexicon in `lexicon`; an error when they are more than
    /// `max` ([`MAX_PATTERNS`] by default), naming the rule that crossed the limit (checked as the patterns are
    /// expanded, so an oversized lexicon fails in time and memory bounded by the limit).
    pub(crate) fn from_lexicon(lexicon: &LexiconSet, max: usize) -> Result<PatternSet> {
        let mut set = PatternSet::default();
        let too_many = |biggest: &(usize, String)| {
            Error::Build(format!(
                "the lexicons expand to more than {max} match patterns (every term in \
                 its evasion forms: about 14 for a four-character term); the largest rule is {} \
                 with {} patterns: split or trim it",
                biggest.1, biggest.0
            ))
        };
        // The rule that added the most patterns, and how many.
        let mut biggest = (0, String::new());
        for (t, tactic) in lexicon.tactics.iter().enumerate() {
            let tactic_ix = t as u16;
            for (r, rule) in tactic.rules.iter().enumerate() {
                if set.patterns.len() > max {
                    return Err(too_many(&biggest));
                }
                let before = set.patterns.len();
                let rule_ix = r as u16;
                match &rule.kind {
                    RuleKind::Terms(def) => {
                        for (i, term) in def.terms.iter().enumerate() {
                            let pinyin = if def.pinyin {
                                Pinyin::Full
                            } else {
                                Pinyin::Off
                            };
                            for form in expand_forms(term, &lexicon.variants, pinyin) {
                                set.add(
                                    &form.text,
                                    Target::Term {
                                        tactic: tactic_ix,
                                        rule: rule_ix,
                                        term: i as u32,
                                        form: form.kind,
                                    },
                                );
                            }
                        }
                    }
                    RuleKind::Cooccur(def) => {
                        for (g, group) in def.groups.iter().enumerate() {
                            for term in group {
                                for form in member_forms(term, lexicon) {
                                    set.add(
                                        &form.text,
                                        Target::Group {
                                            tactic: tactic_ix,
                                            rule: rule_ix,
                                            group: g as u16,
                                        },
                                    );
                                }
                            }
                        }
                    }
                    RuleKind::Price(def) => {
                        let roles = [
                            (&def.reference, PriceRole::Reference),
                            (&def.offer, PriceRole::Offer),
                            (&def.baseline, PriceRole::Baseline),
                        ];
                        for (cues, role) in roles {
                            for cue in cues {
                                set.add(
                                    cue,
                                    Target::Price {
                                        tactic: tactic_ix,
                                        rule: rule_ix,
                                        role,
                                    },
                                );
                            }
                        }
                    }
                    RuleKind::Frame(_) => {}
                    RuleKind::Pattern(_) | RuleKind::Pii(_) => {}
                }
                let added = set.patterns.len() - before;
                if added > biggest.0 {
                    biggest = (
                        added,
                        format!("`{}` of tactic `{}`", rule.id, tactic.info.id),
                    );
                }
            }
            for (anchor, (literal, _)) in tactic.anchors.literals.iter().enumerate() {
                set.add(
                    literal,
                    Target::PatternAnchor {
                        tactic: tactic_ix,
                        anchor: anchor as u32,
                    },
                );
            }
            for (a, allow) in tactic.allow.iter().enumerate() {
                for phrase in &allow.phrases {
                    set.add(
                        phrase,
                        Target::Allow {
                            tactic: tactic_ix,
                            allow: a as u16,
                        },
                    );
                }
            }
        }
        if set.patterns.len() > max {
            return Err(too_many(&biggest));
        }
        // Frame slots, once per distinct term set. Slot terms take variants, and pinyin for one
        // character at a time (`kang癌`), like co-occurrence members.
        for (id, terms) in lexicon.slot_sets.sets.iter().enumerate() {
            for term in terms {
                for form in member_forms(term, lexicon) {
                    set.add(
                        &form.text,
                        Target::Slot {
                            set: id as u32,
                            form: form.kind,
                        },
                    );
                }
            }
        }
        for cue in &lexicon.context.warning.cues {
            set.add(cue, Target::Warning);
        }
        for cue in &lexicon.context.reported.cues {
            set.add(cue, Target::Reported);
        }
        for cue in &lexicon.context.question.cues {
            set.add(cue, Target::Question);
        }
        for cue in &lexicon.context.comment.cues {
            set.add(cue, Target::Comment);
        }
        for (i, cue) in lexicon.context.frame.cues.iter().enumerate() {
            set.add(cue, Target::Frame(i as u16));
        }
        for cue in &lexicon.context.frame.selling {
            set.add(cue, Target::Selling);
        }
        for cue in &lexicon.context.turn.cues {
            set.add(cue, Target::Turn);
        }
        if set.patterns.len() > max {
            return Err(too_many(&biggest));
        }
        Ok(set)
    }

    /// The distinct patterns, in insertion order.
    pub(crate) fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|(p, _)| p.as_str())
    }

    /// The patterns that matter without terms, co-occurrences and regex patterns: price cues
    /// and context cues (for live sessions' price-only pass over a long region).
    pub(crate) fn without_terms(&self) -> PatternSet {
        let mut set = PatternSet::default();
        for (pattern, targets) in &self.patterns {
            for t in targets {
                if !matches!(
                    t,
                    Target::Term { .. }
                        | Target::Group { .. }
                        | Target::Slot { .. }
                        | Target::PatternAnchor { .. }
                ) {
                    set.add(pattern, *t);
                }
            }
        }
        set
    }

    /// Compiles the automaton.
    pub(crate) fn build(self) -> Result<Matcher> {
        let mut offsets = Vec::with_capacity(self.patterns.len() + 1);
        let mut targets = Vec::new();
        offsets.push(0);
        for (_, ts) in &self.patterns {
            targets.extend_from_slice(ts);
            offsets.push(targets.len() as u32);
        }
        let automaton = if self.patterns.is_empty() {
            None
        } else {
            let patvals = self
                .patterns
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.as_str(), i as u32));
            Some(
                CharwiseDoubleArrayAhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build_with_values(patvals)
                    .map_err(|e| Error::Build(e.to_string()))?,
            )
        };
        Ok(Matcher {
            automaton,
            offsets,
            targets,
        })
    }
}

impl Matcher {
    /// Every match in `text`, overlapping ones included, in order of their end.
    pub(crate) fn scan(&self, text: &Normalized, out: &mut Vec<Hit>) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let units = text.units();
        // Matches arrive in order of their end, so a cursor finds each end's unit; starts are
        // found by a short backward search from there.
        let mut cursor = 0usize;
        for m in automaton.find_overlapping_iter(text.text()) {
            let (start_b, end_b) = (m.start() as u32, m.end() as u32);
            while cursor < units.len() && units[cursor].byte < end_b {
                cursor += 1;
            }
            let end = cursor;
            let mut start = end;
            while start > 0 && units[start - 1].byte >= start_b {
                start -= 1;
            }
            let p = m.value() as usize;
            for &target in &self.targets[self.offsets[p] as usize..self.offsets[p + 1] as usize] {
                out.push(Hit { start, end, target });
            }
        }
    }
}
