//! Spans: half-open ranges into the caller's original text.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the ORIGINAL text given to
/// [`Analyzer::analyze`](crate::Analyzer::analyze), with the same range counted in characters.
///
/// Both ends always fall on character boundaries of the original text, whatever
/// normalization ran, so `&text[span.start..span.end]` never panics.
///
/// ```
/// let text = "加 薇❤信 聊";
/// let report = huashu::analyze(text);
/// let f = &report.findings[0];
/// assert_eq!(&text[f.start..f.end], "加 薇❤信");
/// assert_eq!(f.char_end - f.char_start, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Character offset of the first character.
    pub char_start: usize,
    /// Character offset one past the last character.
    pub char_end: usize,
}

impl Span {
    /// The byte range, for slicing the original text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Whether the span covers no text.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}
