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
//! (`score`, `level`, `tactics`, `findings`, and `combos` / `capped` when set).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analyzer::Analyzer;
use crate::report::Report;
use crate::transcript::Transcript;

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
        Record::new(transcript, report, provenance)
    }

    /// Records a report already made from `transcript` (sets `record_sha256` as
    /// [`Record::analyze`] does).
    pub fn new(transcript: &Transcript, report: Report, mut provenance: Provenance) -> Record {
        provenance.record_sha256 = Some(sha256_hex(transcript.joined().as_bytes()));
        Record {
            id: transcript.id.clone(),
            provenance,
            report,
        }
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
