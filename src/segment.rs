//! Word segmentation (jieba) used where it decides something: whether a short match cuts
//! through a word (`治` inside `法治`, `史上` inside `历史上`, `最` inside `最近`).
//!
//! Segmenting a whole transcript costs several times more than matching it, so only a small
//! window around each candidate match is segmented.

use jieba_rs::Jieba;

use crate::normalize::{Normalized, is_clause_break};

/// jieba's default dictionary without its part-of-speech tags, zlib-compressed
/// (`data/make_jieba_dict.py` writes it from the dictionary jieba-rs ships). Embedded and
/// inflated here, in Rust, because jieba-rs's own embedded dictionary needs zstd, a C library:
/// huashu builds with no C code when default features are off (`.ci/run` checks it).
static DICTIONARY: &[u8] = include_bytes!("../data/jieba_dict.zlib");

/// The inflated dictionary's size is about 4.2 MB; more than this means a damaged file.
const DICTIONARY_LIMIT: usize = 16 << 20;

/// A jieba with its default dictionary, segmenting as `Jieba::new()` of jieba-rs does.
///
/// # Errors
///
/// [`Error::Build`](crate::Error::Build) when the embedded dictionary does not inflate or
/// parse (a damaged build; the tests load it).
pub(crate) fn default_jieba() -> crate::Result<Jieba> {
    jieba_from(DICTIONARY)
}

/// A jieba with the zlib-compressed dictionary `compressed`.
fn jieba_from(compressed: &[u8]) -> crate::Result<Jieba> {
    let damaged = |what: String| crate::Error::Build(format!("the segmenter's dictionary {what}"));
    let text =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, DICTIONARY_LIMIT)
            .map_err(|e| damaged(format!("does not inflate: {e}")))?;
    Jieba::with_dict(&mut text.as_slice()).map_err(|e| damaged(format!("does not parse: {e}")))
}

/// Characters of context segmented on each side of a candidate.
const CONTEXT: usize = 6;

const BOUNDARY: u8 = 1;
const INSIDE: u8 = 2;
/// Inside a word that is there only because a lexicon added it (`我们回收`): a shorter term
/// inside it (`回收`) does not cut a word of the language.
const INSIDE_ADDED: u8 = 3;

/// Word boundaries of the segmented windows of a text: only the windows are stored, so the
/// cost follows the number of candidates, not the length of the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Boundaries {
    /// Disjoint windows by start: `(first unit, state of units first..=last)`.
    windows: Vec<(usize, Vec<u8>)>,
}

impl Boundaries {
    /// Whether units `start..end` cut through a word: one of their ends falls inside a word of
    /// the segmentation. Positions outside every segmented window never cut.
    pub(crate) fn cuts_word(&self, start: usize, end: usize) -> bool {
        self.cuts_at(start) || self.cuts_at(end)
    }

    /// Whether unit position `at` falls inside a word of the segmentation.
    pub(crate) fn cuts_at(&self, at: usize) -> bool {
        let i = self.windows.partition_point(|(start, _)| *start <= at);
        i > 0 && {
            let (start, state) = &self.windows[i - 1];
            state.get(at - start) == Some(&INSIDE)
        }
    }
}

/// A Chinese word segmenter with every lexicon term in its dictionary.
///
/// The archive's tokenizer shares it through the analyzer (one jieba per analyzer).
#[derive(Debug, Clone)]
pub(crate) struct Segmenter {
    jieba: Jieba,
    /// The words added from the lexicons (not in jieba's own dictionary).
    added: rustc_hash::FxHashSet<String>,
}

impl Segmenter {
    /// `jieba` (with its default dictionary, [`default_jieba`]) plus `words`, each with the
    /// frequency jieba suggests for keeping it whole (so a term is never split, without beating
    /// real words around it).
    pub(crate) fn new<'a>(mut jieba: Jieba, words: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let mut added = rustc_hash::FxHashSet::default();
        for w in words {
            if w.chars().count() >= 2 && !jieba.has_word(w) {
                jieba.add_word(w, None, None);
                added.insert(w.to_string());
            }
        }
        Segmenter { jieba, added }
    }

    /// The underlying jieba (for the archive's tokenizer).
    #[cfg(feature = "index")]
    pub(crate) fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// The word boundaries around `spans` (unit ranges of `text`): each span's window (±6
    /// characters, not across clause punctuation) is segmented, overlapping windows once.
    pub(crate) fn boundaries(&self, text: &Normalized, spans: &[(usize, usize)]) -> Boundaries {
        let n = text.len_chars();
        let mut windows: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(start, end)| {
                let mut ws = start;
                while ws > 0
                    && start - ws < CONTEXT
                    && !text.char_at(ws - 1).is_some_and(is_clause_break)
                {
                    ws -= 1;
                }
                let mut we = end;
                while we < n && we - end < CONTEXT && !text.char_at(we).is_some_and(is_clause_break)
                {
                    we += 1;
                }
                (ws, we)
            })
            .collect();
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.0 <= last.1 => last.1 = last.1.max(w.1),
                _ => merged.push(w),
            }
        }
        let mut out = Vec::with_capacity(merged.len());
        for (ws, we) in merged {
            let base = text.byte_of(ws);
            let window = &text.text()[base..text.byte_of(we)];
            let mut state = vec![INSIDE; we - ws + 1];
            state[0] = BOUNDARY;
            state[we - ws] = BOUNDARY;
            for token in self.jieba.cut(window, false) {
                let (start, end) = (
                    text.unit_at(base + token.byte_start) - ws,
                    text.unit_at(base + token.byte_end) - ws,
                );
                state[start] = BOUNDARY;
                if self.added.contains(token.word) {
                    state[start + 1..end].fill(INSIDE_ADDED);
                }
            }
            out.push((ws, state));
        }
        Boundaries { windows: out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded dictionary segments as jieba-rs's own: every line of every shipped lexicon
    /// (terms, cues, comments with example sentences; ~30,000 lines) is cut alike, with and
    /// without the HMM, and for search.
    #[test]
    fn embedded_dictionary_segments_as_jieba_rs_own() {
        let ours = default_jieba().expect("the embedded dictionary loads");
        let theirs = Jieba::new();
        let mut lines = 0;
        for source in crate::lexicon::Source::embedded() {
            for line in source.text.lines().filter(|l| !l.trim().is_empty()) {
                lines += 1;
                assert_eq!(ours.cut(line, false), theirs.cut(line, false), "{line}");
                assert_eq!(ours.cut(line, true), theirs.cut(line, true), "{line}");
                assert_eq!(
                    ours.cut_for_search(line, true),
                    theirs.cut_for_search(line, true)
                );
            }
        }
        assert!(lines > 10_000, "only {lines} lines compared");
        for word in ["我们", "回收", "直播间", "翡翠", "身份证"] {
            assert_eq!(ours.has_word(word), theirs.has_word(word), "{word}");
        }
    }

    /// A damaged dictionary is an error that says so, not a panic.
    #[test]
    fn damaged_dictionary_is_an_error() {
        let truncated = jieba_from(&DICTIONARY[..1000]).unwrap_err().to_string();
        assert!(
            truncated.contains("dictionary does not inflate"),
            "{truncated}"
        );
        let bad = miniz_oxide::deflate::compress_to_vec_zlib("我们 十\n".as_bytes(), 6);
        let unparsed = jieba_from(&bad).unwrap_err().to_string();
        assert!(unparsed.contains("dictionary does not parse"), "{unparsed}");
    }
}
