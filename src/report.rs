//! What an analysis returns: a [`Report`] with a score, a [`Level`], a per-tactic summary and
//! every [`Finding`] with its evidence in the original text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lexicon::FormKind;

/// How urgently a transcript needs a reviewer.
///
/// `high` and `critical` mean "a reviewer should look at this stream now".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No scoring evidence.
    #[default]
    None,
    /// Weak or purely regulatory evidence (an absolute term, one soft phrase).
    Low,
    /// Evidence of one tactic, or weak evidence of several.
    Medium,
    /// Several tactics, or one unmistakable script.
    High,
    /// A classic fraud script: several strong tactics together.
    Critical,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 5] = [
        Level::None,
        Level::Low,
        Level::Medium,
        Level::High,
        Level::Critical,
    ];

    /// The lower-case name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    /// Parses `none`, `low`, `medium`, `high` or `critical` (any case).
    ///
    /// ```
    /// use huashu::Level;
    /// assert_eq!("High".parse::<Level>(), Ok(Level::High));
    /// assert!("urgent".parse::<Level>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Level, String> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown level `{s}` (expected none, low, medium, high or critical)")
            })
    }
}

/// The kind of rule that produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A lexicon term or phrase.
    Term,
    /// Every group of a co-occurrence rule within its window; each part is in `parts`.
    Cooccurrence,
    /// A regular-expression pattern.
    Pattern,
    /// A reference price paired with a much lower offer; both are in `parts`.
    Price,
    /// A personal number (mobile, ID card, bank card) recognised by structure and check digit.
    PersonalData,
    /// Ordered slots within one clause (claim verb × condition); each slot is in `parts`.
    Frame,
}

/// How grave one finding is on its own.
///
/// Most evidence needs corroboration: a report resting on a single finding stays at medium.
/// A *serious* finding is an unambiguous grave violation (a cancer-cure claim, selling buyer
/// data, guaranteed principal with a fixed return) that may make a report high on its own.
///
/// ```
/// let text = "本品可以治疗糖尿病。";
/// let report = huashu::analyze(text);
/// assert!(report.findings.iter().any(|f| f.severity == huashu::Severity::Serious));
/// assert!(report.level >= huashu::Level::High);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Needs corroboration.
    #[default]
    Normal,
    /// May reach high alone.
    Serious,
}

impl Severity {
    fn is_normal(&self) -> bool {
        *self == Severity::Normal
    }
}

/// Why a context rule neutralized a finding: it is reported, but adds nothing to the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeutralReason {
    /// Negated: `我们不回收`, `不是高仿`.
    Negation,
    /// Said as a warning: `千万别信什么高价回收`, `谨防…`.
    Warning,
    /// Reported speech or news: `据警方通报…`, `法院审结…`, `有人问…`.
    ReportedSpeech,
    /// Inside an allow-listed phrase that wins over the term (`垃圾回收`, `翡翠A货`).
    AllowListed,
    /// A viewer's words, not the seller's pitch: a viewer's question the host repeats
    /// (`有人问能不能回收`, `弹幕问…`), or a segment whose speaker is a viewer (a comment). For a
    /// viewer's segment the cue is empty, at the segment's start: the label is the segment's
    /// speaker.
    Viewer,
}

impl NeutralReason {
    /// The reason's name in reports (`negation`, `warning`, `reported_speech`, `allow_listed`,
    /// `viewer`).
    pub fn as_str(self) -> &'static str {
        match self {
            NeutralReason::Negation => "negation",
            NeutralReason::Warning => "warning",
            NeutralReason::ReportedSpeech => "reported_speech",
            NeutralReason::AllowListed => "allow_listed",
            NeutralReason::Viewer => "viewer",
        }
    }
}

impl fmt::Display for NeutralReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who said a piece of evidence: set from the transcript's speaker labels (through the
/// analyzer's [`RoleMap`](crate::transcript::RoleMap)), or guessed where the text itself frames
/// a viewer's words (`有人问…`, `弹幕问…`, `我来念一下弹幕`). Only the seller's side scores: a
/// viewer's evidence is neutralized ([`NeutralReason::Viewer`]).
///
/// ```
/// use huashu::Role;
/// assert_eq!("viewer".parse::<Role>(), Ok(Role::Viewer));
/// assert_eq!(Role::CoHost.to_string(), "co_host");
/// assert!(Role::Host.is_seller() && !Role::Viewer.is_seller());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// The host selling in the room (主播, 卖家).
    Host,
    /// The host's assistant or the seller's staff (助播, 副播, 场控, 客服).
    CoHost,
    /// A guest on the seller's side (嘉宾, a visiting "expert").
    Guest,
    /// A viewer: a comment, a caller, a buyer in a chat.
    Viewer,
    /// Not known (no label, or one the role map does not know).
    #[default]
    Unknown,
}

impl Role {
    /// The role's name in reports (`host`, `co_host`, `guest`, `viewer`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::CoHost => "co_host",
            Role::Guest => "guest",
            Role::Viewer => "viewer",
            Role::Unknown => "unknown",
        }
    }

    /// Whether the role speaks for the seller (host, co-host, guest).
    pub fn is_seller(self) -> bool {
        matches!(self, Role::Host | Role::CoHost | Role::Guest)
    }

    /// Whether the role is [`Role::Unknown`] (not serialized then).
    pub fn is_unknown(&self) -> bool {
        *self == Role::Unknown
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        [
            Role::Host,
            Role::CoHost,
            Role::Guest,
            Role::Viewer,
            Role::Unknown,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| format!("unknown role {s:?} (host, co_host, guest, viewer or unknown)"))
    }
}

/// The cue that neutralized a finding, and where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Neutralization {
    /// Which context rule applied.
    pub reason: NeutralReason,
    /// The cue as it appears in the original text.
    pub cue: String,
    /// Byte offset of the cue in the original text.
    pub start: usize,
    /// Byte offset one past the cue.
    pub end: usize,
}

/// One piece of a finding's evidence (a co-occurrence group's match, a price and its cue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Part {
    /// What this part is (`group 1`, `reference price`, `offer price`, …).
    pub role: String,
    /// The original text of the part.
    pub matched: String,
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset one past the part.
    pub end: usize,
    /// Character offset in the original text.
    pub char_start: usize,
    /// Character offset one past the part.
    pub char_end: usize,
}

/// One piece of evidence: which tactic and rule, how much it weighs, and exactly where it is.
///
/// `start..end` (bytes) and `char_start..char_end` (characters) always point into the
/// ORIGINAL text passed to [`Analyzer::analyze`](crate::Analyzer::analyze), so
/// `&text[f.start..f.end] == f.matched`.
///
/// ```
/// let text = "宝子们，以后不想要了拿回来，我们原价回收！";
/// let report = huashu::analyze(text);
/// let f = report.findings.iter().find(|f| f.tactic == "buyback_promise").unwrap();
/// assert_eq!(&text[f.start..f.end], f.matched);
/// assert!(f.legal_basis.iter().any(|l| l.contains("广告法")));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// The tactic id (one of [`TACTIC_IDS`](crate::TACTIC_IDS)).
    pub tactic: String,
    /// The rule id within the tactic's lexicon.
    pub rule: String,
    /// The kind of rule.
    pub kind: RuleKind,
    /// The lexicon entry matched, as written in the lexicon (normalized), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// Whether the text matched the entry literally or through an evasion form.
    pub form: FormKind,
    /// The finding's weight: tactic weight × entry weight (× strength, for price claims).
    pub weight: f64,
    /// How grave the finding is on its own (serious evidence may make a report high alone).
    #[serde(default, skip_serializing_if = "Severity::is_normal")]
    pub severity: Severity,
    /// What it adds to its tactic after repeats are discounted; 0 when neutralized.
    pub contribution: f64,
    /// Byte offset of the evidence in the original text.
    pub start: usize,
    /// Byte offset one past the evidence.
    pub end: usize,
    /// Character offset of the evidence.
    pub char_start: usize,
    /// Character offset one past the evidence.
    pub char_end: usize,
    /// The original text of the evidence.
    pub matched: String,
    /// The evidence after normalization.
    pub normalized: String,
    /// A short snippet of the original text around the evidence.
    pub context: String,
    /// The laws and rules the tactic breaks.
    pub legal_basis: Vec<String>,
    /// The pieces of multi-part evidence (co-occurrence, price claims); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Set when a context rule neutralized the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neutralized: Option<Neutralization>,
    /// The transcript segment where the evidence starts (transcript analysis only).
    #[serde(default)]
    pub segment: Option<usize>,
    /// Byte offset of the evidence in its segment's text (transcript analysis only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_start: Option<usize>,
    /// Byte offset one past the evidence in its segment's text, clipped to the segment's end
    /// when the evidence runs on into the next segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_end: Option<usize>,
    /// Byte offset of the evidence in the decoded file it was read from, where the format
    /// places segment text in the file (text, SRT, WebVTT, JSON Lines); see
    /// [`Origin::file_span`](crate::transcript::Origin::file_span).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_start: Option<usize>,
    /// Byte offset one past the evidence in the decoded file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_end: Option<usize>,
    /// When the evidence starts in the stream, in milliseconds (when timestamps are known).
    #[serde(default)]
    pub start_ms: Option<u64>,
    /// When the evidence ends in the stream, in milliseconds (when timestamps are known).
    #[serde(default)]
    pub end_ms: Option<u64>,
    /// Who said it (see [`Role`]): from the speaker labels of the segments it spans (the
    /// seller's side when they differ), or the label heading its line in a chat log (`买家：`,
    /// `卖家：`); [`Role::Viewer`] when the text frames it as a viewer's words;
    /// [`Role::Unknown`] otherwise (and then not serialized).
    #[serde(default, skip_serializing_if = "Role::is_unknown")]
    pub role: Role,
}

impl Finding {
    /// Whether the finding adds to the score (it was not neutralized).
    pub fn is_scoring(&self) -> bool {
        self.neutralized.is_none()
    }

    /// The finding's identity: tactic, rule, character span and what it matched (a revised
    /// partial result may hold different evidence at the same characters).
    pub(crate) fn key(&self) -> FindingKey {
        (
            self.tactic.clone(),
            self.rule.clone(),
            self.char_start,
            self.char_end,
            self.matched.clone(),
        )
    }
}

/// See [`Finding::key`].
pub(crate) type FindingKey = (String, String, usize, usize, String);

/// A tactic's share of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TacticScore {
    /// The tactic id.
    pub tactic: String,
    /// Its score in [0, 1], from its scoring findings.
    pub score: f64,
    /// How many scoring findings it has.
    pub findings: usize,
    /// How many of its findings were neutralized.
    #[serde(default)]
    pub neutralized: usize,
}

/// A combination of tactics that raised the score (see `DESIGN.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComboHit {
    /// The combination's id from `scoring.toml`.
    pub id: String,
    /// What the combination is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Its tactics.
    pub tactics: Vec<String>,
    /// The bonus it added: the score became `1 − (1 − score)(1 − bonus)`.
    pub bonus: f64,
}

/// The result of analysing a text or transcript.
///
/// ```
/// use huashu::Level;
/// let report = huashu::analyze("老铁们，这串翡翠保真，以后不想要了拿回来我们高价回收，加我薇信私聊。");
/// assert!(report.level >= Level::High);
/// assert!(report.tactic("buyback_promise").is_some());
/// let json = serde_json::to_string(&report).unwrap();
/// let back: huashu::Report = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, report);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Risk in [0, 1].
    pub score: f64,
    /// The level the score falls in (after any cap, see [`Report::capped`]).
    pub level: Level,
    /// Tactics that add to the score, highest score first.
    pub tactics: Vec<TacticScore>,
    /// Every finding, scoring or neutralized, sorted by position: by start, then end, tactic
    /// and rule.
    pub findings: Vec<Finding>,
    /// Combinations of tactics that raised the score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub combos: Vec<ComboHit>,
    /// Set when the level was held down to this cap: the only tactic present is one that alone
    /// never makes a transcript more than low (absolute terms), or the report rests on a single
    /// finding (at most medium).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped: Option<Level>,
}

impl Report {
    /// The summary of one tactic, if it adds to the score.
    pub fn tactic(&self, id: &str) -> Option<&TacticScore> {
        self.tactics.iter().find(|t| t.tactic == id)
    }

    /// The findings that add to the score.
    pub fn scoring_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_scoring())
    }
}
