//! # huashu (话术)
//!
//! huashu reads Chinese livestream e-commerce transcripts and finds the scripts fraudsters use
//! on camera: high-priced buyback promises (高价回收), fabricated original prices, fake
//! scarcity, counterfeit slang, staged sob stories, moving buyers off the platform, harvesting
//! personal information. It returns a risk score, a [`Level`], and every piece of evidence as a
//! [`Finding`] pointing into the caller's original text, with the law it breaks.
//!
//! ```
//! use huashu::{Analyzer, Level};
//!
//! let analyzer = Analyzer::builder().build()?;
//! let text = "宝子们这串是缅甸老坑的，以后不想要了拿回来，我们原价回收，只高不低！想要的加我薇❤信。";
//! let report = analyzer.analyze(text);
//! assert!(report.level >= Level::High);
//! for f in report.scoring_findings() {
//!     // Every span points into the original text, whatever normalization ran.
//!     assert_eq!(&text[f.start..f.end], f.matched);
//!     println!("{} {} «{}» {}", f.tactic, f.rule, f.matched, f.legal_basis[0]);
//! }
//! # Ok::<(), huashu::Error>(())
//! ```
//!
//! ## The pipeline
//!
//! normalize → match → segment where it decides → context → score → report.
//!
//! * **Normalize**: full-width → half-width, case folding, traditional → simplified,
//!   look-alike characters (`収` → `收`), and removal of the decoration scammers put between
//!   characters (`加 微 信`, `加-V`, `高❤价`, zero-width characters, emoji), keeping a map from
//!   every normalized character back to the original.
//! * **Match**: one character-wise Aho–Corasick automaton holds every lexicon term in every
//!   evasion form (homophones such as `薇信`, abbreviations such as `vx`/`sfz`, pinyin such as
//!   `kang癌`), the context cues and the price cues. Co-occurrence rules, regular-expression
//!   patterns, price claims (a reference price at least three times the offer) and personal
//!   numbers (mobile, ID card with a valid check digit, bank card with a valid Luhn digit, in
//!   digits or Chinese numerals) run on top.
//! * **Segment**: short matches are checked against jieba's segmentation of their clause, so
//!   `治` in `法治` or `史上` in `历史上` is not evidence.
//! * **Context**: negated (`我们不回收`), warning (`千万别信`), reported (`据警方通报`) and
//!   allow-listed (`垃圾回收`) evidence is reported but neutralized.
//! * **Score**: see `DESIGN.md`.
//!
//! ## Main types
//!
//! * [`Analyzer`] and [`AnalyzerBuilder`]: build once (all failure happens there), share
//!   everywhere (`Clone + Send + Sync`); [`analyze`] uses a process-wide default.
//! * [`Report`], [`Finding`], [`TacticScore`], [`Level`]: the result, serde-serializable.
//! * [`Tactic`] and [`TACTIC_IDS`]: the taxonomy, with legal bases.
//! * [`Error`]: lexicon errors name the file, line and reason.
//!
//! ## Lexicons
//!
//! The lexicons are TOML files embedded in the crate (`lexicons/` in the repository, format in
//! `lexicons/README.md`); [`AnalyzerBuilder::lexicon_path`] adds or overrides them at run time.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod analyzer;
mod context;
mod error;
#[cfg(feature = "index")]
pub mod index;
mod lexicon;
mod matcher;
mod normalize;
mod numeral;
mod pii;
mod price;
pub mod record;
pub mod render;
mod report;
mod rules;
mod score;
mod segment;
pub mod session;
mod span;
pub mod transcript;

pub use analyzer::{Analyzer, AnalyzerBuilder, analyze};
pub use error::{Error, Location, Result};
pub use lexicon::{FormKind, TACTIC_IDS, Tactic};
pub use report::{
    ComboHit, Finding, Level, NeutralReason, Neutralization, Part, Report, Role, RuleKind,
    Severity, TacticScore,
};
pub use session::{Alert, LiveSession, Provisional, Risk, SessionConfig, Update};
pub use span::Span;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
