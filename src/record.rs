//! The record contract: one analysed transcript as the JSON object that the scan example prints
//! (one a line in JSON Lines), with the provenance a case file needs — where the text came from,
//! its hashes, the huashu version and the lexicon fingerprint. A service embedding the library
//! emits the same records as the command line.
//!
//! ```
//! use huashu::record::{Provenance, Record};
//! use huashu::transcript::Transcript;
//! let analyzer = huashu::Analyzer::default_ref();
//! let t = Transcript::from_text("room-7", "以后不想要了拿回来，我们原价回收。");
//! let provenance = Provenance::new(analyzer, "room-7.txt", None);
//! let record = Record::analyze(analyzer, &t, provenance);
//! let line = record.to_json_line();
//! let back: Record = serde_json::from_str(&line).unwrap();
//! assert_eq!(back, record);
//! assert_eq!(back.id, "room-7");
//! assert_eq!(back.provenance.record_sha256.as_deref().map(str::len), Some(64));
//! assert!(back.report.tactic("buyback_promise").is_some());
//! ```
//!
//! A record's keys are, in order: `id`; the provenance (`source`, `sha256` when the input's
//! hash is known, `record_sha256`, `huashu_version`, `lexicons`); then the [`Report`]'s own
//! (`score`, `level`, `tactics`, `findings`, and `combos` / `capped` when set); then the case
//! summary (`summary_zh`, `summary_en`); what the reader skipped or replaced (`skipped`,
//! `skipped_parts`, `replaced`, when any); and, when asked for, the analysed `text` and its
//! `segments`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analyzer::Analyzer;
use crate::report::Report;
use crate::transcript::{Skipped, Transcript};

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Where a report came from, so that anyone can check it matches its transcript and reproduce
/// it: the huashu version, the lexicon fingerprint and the input's hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The file (or `-`) the transcript was read from.
    pub source: String,
    /// SHA-256 of the whole input file, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// SHA-256 of the record's text (the transcript's joined text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_sha256: Option<String>,
    /// The huashu version.
    pub huashu_version: String,
    /// The lexicon fingerprint ([`Analyzer::lexicon_fingerprint`]).
    pub lexicons: String,
}

impl Provenance {
    /// The provenance of input read from `source` (a path, `-`, a stream name) with this
    /// analyzer: this huashu's version and the analyzer's lexicon fingerprint, and the input's
    /// SHA-256 (lower-case hex) when the caller knows it ([`sha256_hex`]).
    ///
    /// ```
    /// let a = huashu::Analyzer::default_ref();
    /// let p = huashu::record::Provenance::new(a, "-", Some(huashu::record::sha256_hex(b"abc")));
    /// assert_eq!(p.huashu_version, env!("CARGO_PKG_VERSION"));
    /// assert_eq!(p.lexicons, a.lexicon_fingerprint());
    /// assert!(p.sha256.unwrap().starts_with("ba7816bf"));
    /// ```
    pub fn new(analyzer: &Analyzer, source: &str, sha256: Option<String>) -> Provenance {
        Provenance {
            source: source.to_string(),
            sha256,
            record_sha256: None,
            huashu_version: env!("CARGO_PKG_VERSION").to_string(),
            lexicons: analyzer.lexicon_fingerprint().to_string(),
        }
    }
}

/// One analysed transcript with its provenance: the JSON record of the scan example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The transcript's id.
    pub id: String,
    /// Where it came from.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// What was found.
    #[serde(flatten)]
    pub report: Report,
    /// The case summary in Chinese ([`case_summary`](crate::render::case_summary)).
    #[serde(default)]
    pub summary_zh: String,
    /// The case summary in English.
    #[serde(default)]
    pub summary_en: String,
    /// How many malformed parts of the source (subtitle cues) were skipped while reading this
    /// transcript; the rest was analysed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: usize,
    /// The skipped parts, each with its line in the source and what was wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_parts: Vec<Skipped>,
    /// How many invalid byte sequences were decoded as U+FFFD (lossy reading).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replaced: usize,
    /// The analysed text ([`Transcript::joined`]), which the findings' `start..end` slice,
    /// when asked for ([`Record::with_text`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where each segment lies in `text` and when it was said, with the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<SegmentSpan>>,
}

/// A segment of a record's `text`: `text[start..end]` is the segment, and a finding's
/// `segment_start..segment_end` are offsets from its `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentSpan {
    /// Byte offset of the segment in the record's `text`.
    pub start: usize,
    /// Byte offset one past it.
    pub end: usize,
    /// When it starts, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
    /// When it ends, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<u64>,
    /// Who said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

impl Record {
    /// Analyses `transcript` and records it, setting the provenance's `record_sha256` to the
    /// hash of the transcript's joined text (the text the offsets point into).
    ///
    /// ```
    /// use huashu::record::{Provenance, Record, sha256_hex};
    /// use huashu::transcript::Transcript;
    /// let a = huashu::Analyzer::default_ref();
    /// let t = Transcript::from_text("x", "加我微信私聊");
    /// let r = Record::analyze(a, &t, Provenance::new(a, "x.txt", None));
    /// assert_eq!(r.provenance.record_sha256, Some(sha256_hex(t.joined().as_bytes())));
    /// ```
    pub fn analyze(analyzer: &Analyzer, transcript: &Transcript, provenance: Provenance) -> Record {
        let report = analyzer.analyze_transcript(transcript);
        Record::new(analyzer, transcript, report, provenance)
    }

    /// Records a report already made from `transcript` by `analyzer` (sets `record_sha256`
    /// as [`Record::analyze`] does, and the case summary).
    pub fn new(
        analyzer: &Analyzer,
        transcript: &Transcript,
        report: Report,
        mut provenance: Provenance,
    ) -> Record {
        provenance.record_sha256 = Some(sha256_hex(transcript.joined().as_bytes()));
        let summary = crate::render::case_summary(analyzer, &report);
        Record {
            summary_zh: summary.zh,
            summary_en: summary.en,
            id: transcript.id.clone(),
            provenance,
            report,
            skipped: transcript.skipped.len(),
            skipped_parts: transcript.skipped.clone(),
            replaced: transcript.replaced,
            text: None,
            segments: None,
        }
    }

    /// Adds the analysed text and its segments, so that a finding's `start..end` slices the
    /// record's own `text` (the scan example's `--include-text`).
    ///
    /// ```
    /// use huashu::record::{Provenance, Record};
    /// use huashu::transcript::{Segment, Transcript};
    /// let a = huashu::Analyzer::default_ref();
    /// let t = Transcript {
    ///     id: "r".into(),
    ///     segments: vec![Segment::timed("开场", 0, 900), Segment::timed("我们原价回收", 900, 3000)],
    ///     ..Transcript::default()
    /// };
    /// let r = Record::analyze(a, &t, Provenance::new(a, "-", None)).with_text(&t);
    /// let back: Record = serde_json::from_str(&r.to_json_line()).unwrap();
    /// let text = back.text.as_deref().unwrap();
    /// let f = back.report.findings.iter().find(|f| f.tactic == "buyback_promise").unwrap();
    /// assert_eq!(&text[f.start..f.end], f.matched);
    /// let seg = &back.segments.as_ref().unwrap()[f.segment.unwrap()];
    /// assert_eq!(&text[seg.start + f.segment_start.unwrap()..seg.start + f.segment_end.unwrap()], f.matched);
    /// ```
    pub fn with_text(mut self, transcript: &Transcript) -> Record {
        self.text = Some(transcript.joined());
        self.segments = Some(
            transcript
                .segments
                .iter()
                .zip(transcript.segment_starts())
                .map(|(s, start)| SegmentSpan {
                    start,
                    end: start + s.text.len(),
                    start_ms: s.start_ms,
                    end_ms: s.end_ms,
                    speaker: s.speaker.clone(),
                })
                .collect(),
        );
        self
    }

    /// The record as one line of JSON (no trailing newline), as in the scan example's JSON
    /// Lines output.
    pub fn to_json_line(&self) -> String {
        // A record is strings, numbers and enums: serialization cannot fail (a non-finite
        // number would be written as null); were it to, the line still parses.
        serde_json::to_string(self).unwrap_or_else(|e| {
            serde_json::json!({ "id": self.id, "error": e.to_string() }).to_string()
        })
    }
}

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
///
/// ```
/// assert_eq!(
///     huashu::record::sha256_hex(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes` (for hashes computed incrementally, see [`sha256_hex`]).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_contract_order() {
        let a = Analyzer::default_ref();
        let t = Transcript::from_text("k", "原价回收");
        let r = Record::analyze(a, &t, Provenance::new(a, "-", None));
        let line = r.to_json_line();
        let at = |k: &str| line.find(&format!("\"{k}\"")).unwrap();
        let order = [
            "id",
            "source",
            "record_sha256",
            "huashu_version",
            "lexicons",
            "score",
            "level",
        ];
        assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{line}");
        assert!(!line.contains("\"sha256\""), "no file hash given: {line}");
    }
}
