//! Word segmentation (jieba) used where it decides something: whether a short match cuts
//! through a word (`治` inside `法治`, `史上` inside `历史上`, `最` inside `最近`).
//!
//! Segmenting a whole transcript costs several times more than matching it, so only a small
//! window around each candidate match is segmented.

use jieba_rs::Jieba;

use crate::normalize::{Normalized, is_clause_break};

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
    /// `jieba` (with its default dictionary) plus `words`, each with the frequency jieba suggests for
    /// keeping it whole (so a term is never split, without beating real words around it).
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
