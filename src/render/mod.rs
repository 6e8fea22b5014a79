//! Reports people can read: a terminal rendering and a self-contained HTML page, both showing
//! each piece of evidence highlighted in its sentence with its time, rule and legal basis.
//!
//! ```
//! use huashu::render::{Provenance, TextOptions, text};
//! use huashu::transcript::Transcript;
//! let t = Transcript::from_text("demo", "以后不想要了拿回来，我们原价回收。");
//! let analyzer = huashu::Analyzer::default_ref();
//! let report = analyzer.analyze_transcript(&t);
//! let out = text(analyzer, &t, &report, &Provenance::default(), &TextOptions::default());
//! assert!(out.contains("«原价回收»"));
//! ```

mod html;
mod summary;
mod text;

pub use html::{HtmlItem, html_page};
pub use summary::{CaseSummary, case_summary};
pub use text::{TextOptions, text};

/// Provenance lives with the record contract; re-exported here for renderers.
pub use crate::record::Provenance;

use crate::report::Finding;

/// Formats milliseconds as `HH:MM:SS`.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The byte range of the sentence around `start..end` in `text`: back to the previous sentence
/// punctuation or line break (at most `reach` characters), forward likewise.
pub(crate) fn sentence_around(
    text: &str,
    start: usize,
    end: usize,
    reach: usize,
) -> (usize, usize) {
    let stops = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n' | ';' | '；');
    let mut s = start;
    for (n, (i, c)) in text[..start].char_indices().rev().enumerate() {
        // (a line break or sentence end before the evidence starts the sentence)
        if stops(c) || n >= reach {
            break;
        }
        s = i;
    }
    let mut e = end;
    for (n, (i, c)) in text[end..].char_indices().enumerate() {
        if n >= reach {
            break;
        }
        if c == '\n' {
            break;
        }
        e = end + i + c.len_utf8();
        if stops(c) {
            break;
        }
    }
    (s, e)
}

/// The spans to highlight for a finding: its parts, or the whole evidence.
pub(crate) fn marks(f: &Finding) -> Vec<(usize, usize)> {
    if f.parts.is_empty() {
        vec![(f.start, f.end)]
    } else {
        f.parts.iter().map(|p| (p.start, p.end)).collect()
    }
}
