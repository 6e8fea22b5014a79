//! Word segmentation (jieba) used where it decides something: whether a short match cuts
//! through a word (`治` inside `法治`, `史上` inside `历史上`, `最` inside `最近`).
//!
//! Segmenting a whole transcript costs several times more than matching it, so only a small
//! window around each candidate match is segmented.

use jieba_rs::Jieba;

use crate::normalize::{Normalized, is_clause_break};

/// Characters of context segmented on each side of a candidate.
const CONTEXT: usize = 6;

/// A Chinese word segmenter with every lexicon term in its dictionary.
#[derive(Debug, Clone)]
pub(crate) struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// jieba's default dictionary plus `words`, each with the frequency jieba suggests for
    /// keeping it whole (so a term is never split, without beating real words around it).
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let mut jieba = Jieba::new();
        for w in words {
            if w.chars().count() >= 2 && !jieba.has_word(w) {
                jieba.add_word(w, None, None);
            }
        }
        Segmenter { jieba }
    }

    /// Whether units `start..end` of `text` cut through a word: one of their ends falls inside
    /// a word of the segmentation of the surrounding clause.
    pub(crate) fn cuts_word(&self, text: &Normalized, start: usize, end: usize) -> bool {
        let n = text.len_chars();
        let mut ws = start;
        while ws > 0 && start - ws < CONTEXT && !text.char_at(ws - 1).is_some_and(is_clause_break) {
            ws -= 1;
        }
        let mut we = end;
        while we < n && we - end < CONTEXT && !text.char_at(we).is_some_and(is_clause_break) {
            we += 1;
        }
        let base = text.byte_of(ws);
        let window = &text.text()[base..text.byte_of(we)];
        let (s, e) = (text.byte_of(start) - base, text.byte_of(end) - base);
        let mut start_ok = s == 0;
        let mut end_ok = e == window.len();
        for token in self.jieba.cut(window, false) {
            start_ok |= token.byte_start == s;
            end_ok |= token.byte_end == e;
        }
        !(start_ok && end_ok)
    }
}
