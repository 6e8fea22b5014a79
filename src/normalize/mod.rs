//! Normalization with an offset map back to the original text.
//!
//! The matcher never sees the caller's text: it sees a normalized copy in which full-width
//! forms are half-width, letters are lower case, traditional characters are simplified,
//! look-alike characters are replaced, and the decoration scammers put between characters to
//! dodge filters (spaces, zero-width characters, emoji, `❤`, `-`) is gone. Clause punctuation
//! stays, so no term matches across a comma.
//!
//! Every normalized character comes from exactly one original character (a [`Unit`]), so any
//! normalized range maps back to an original byte and character range whose ends are character
//! boundaries of the original, whatever was removed or changed in between.

mod chars;
mod table;

pub(crate) use chars::{Breaks, is_cjk, is_clause_break, is_sentence_break};
pub(crate) use table::CharTable;

use chars::Fate;

/// Set on a unit when decoration or a separator was removed right before it.
pub(crate) const GAP: u8 = 1;
/// Set on a unit when a separator (whitespace, `…`, a stray `.`) was removed right before it.
pub(crate) const SOFT: u8 = 2;

/// One normalized character and the original character it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Byte offset of this character in the normalized text.
    pub byte: u32,
    /// Byte offset of the original character.
    pub orig: u32,
    /// Character offset of the original character.
    pub orig_char: u32,
    /// Byte length of the original character.
    pub orig_len: u8,
    /// [`GAP`] and [`SOFT`] bits.
    pub flags: u8,
}

/// The largest text normalized in one piece: offsets are kept as `u32`.
pub(crate) const MAX_PIECE: usize = u32::MAX as usize / 2;

/// Normalizes text; holds the character table.
#[derive(Debug, Clone)]
pub(crate) struct Normalizer {
    table: CharTable,
}

/// A normalized text and its map back to the original.
#[derive(Debug, Clone, Default)]
pub(crate) struct Normalized {
    text: String,
    units: Vec<Unit>,
    orig_len: usize,
    orig_chars: usize,
}

impl Normalizer {
    /// A normalizer that applies traditional → simplified conversion and then `look_alikes`.
    pub(crate) fn new(look_alikes: &[(char, char)]) -> Normalizer {
        let mut table = CharTable::traditional_to_simplified().clone();
        for &(from, to) in look_alikes {
            let to = CharTable::traditional_to_simplified().get(to);
            table.set(from, to);
        }
        Normalizer { table }
    }

    /// Normalizes `text`.
    ///
    /// # Panics
    ///
    /// When `text` is longer than [`MAX_PIECE`] bytes; callers split longer input.
    pub(crate) fn normalize(&self, text: &str) -> Normalized {
        assert!(
            text.len() <= MAX_PIECE,
            "text too long to normalize in one piece"
        );
        let mut out = Normalized {
            text: String::with_capacity(text.len()),
            units: Vec::with_capacity(text.len() / 2 + 1),
            orig_len: text.len(),
            orig_chars: 0,
        };
        let mut flags = 0u8;
        let mut chars = text.char_indices().peekable();
        let mut char_index = 0u32;
        while let Some((offset, c)) = chars.next() {
            let (orig, orig_char, orig_len) = (offset as u32, char_index, c.len_utf8() as u8);
            char_index += 1;
            let push = |out: &mut Normalized, ch: char, flags: &mut u8| {
                out.units.push(Unit {
                    byte: out.text.len() as u32,
                    orig,
                    orig_char,
                    orig_len,
                    flags: *flags,
                });
                out.text.push(ch);
                *flags = 0;
            };
            match chars::fate(c) {
                Fate::Keep(k) => {
                    let k = if k.is_ascii() { k } else { self.table.get(k) };
                    push(&mut out, k, &mut flags);
                }
                Fate::Expand => {
                    let mut pieces = Vec::new();
                    chars::expand(c, &mut |d| pieces.push(d));
                    for d in pieces {
                        let d = if is_cjk(d) { self.table.get(d) } else { d };
                        push(&mut out, d, &mut flags);
                    }
                }
                Fate::Drop { soft } => {
                    flags |= GAP;
                    if soft {
                        flags |= SOFT;
                    }
                }
                Fate::DigitPunct(p) => {
                    let after_digit =
                        flags == 0 && out.text.ends_with(|d: char| d.is_ascii_digit());
                    let before_digit = chars.peek().is_some_and(
                        |&(_, n)| matches!(chars::fate(n), Fate::Keep(d) if d.is_ascii_digit()),
                    );
                    if after_digit && before_digit {
                        push(&mut out, p, &mut flags);
                    } else {
                        flags |= GAP | SOFT;
                    }
                }
            }
        }
        out.orig_chars = char_index as usize;
        out
    }
}

impl Normalized {
    /// The normalized text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The normalized characters with their origins.
    pub(crate) fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Number of normalized characters.
    pub(crate) fn len_chars(&self) -> usize {
        self.units.len()
    }

    /// The index of the unit that starts at normalized byte `byte` (or the first unit after it;
    /// the number of units for the end of the text).
    pub(crate) fn unit_at(&self, byte: usize) -> usize {
        self.units.partition_point(|u| (u.byte as usize) < byte)
    }

    /// The first unit whose original character starts at or after original byte `byte`.
    pub(crate) fn unit_at_original(&self, byte: usize) -> usize {
        self.units.partition_point(|u| (u.orig as usize) < byte)
    }

    /// The normalized byte offset where unit `i` starts (the text length for `i == len`).
    pub(crate) fn byte_of(&self, i: usize) -> usize {
        self.units
            .get(i)
            .map_or(self.text.len(), |u| u.byte as usize)
    }

    /// The normalized character at unit `i`.
    pub(crate) fn char_at(&self, i: usize) -> Option<char> {
        let start = self.byte_of(i);
        self.text[start..].chars().next()
    }

    /// Flags of unit `i` (0 past the end).
    pub(crate) fn flags(&self, i: usize) -> u8 {
        self.units.get(i).map_or(0, |u| u.flags)
    }

    /// The original byte and character range of the normalized units `start..end`.
    ///
    /// An empty range maps to an empty range at the original position of unit `start`.
    pub(crate) fn original_range(&self, start: usize, end: usize) -> OriginalRange {
        if start >= end || start >= self.units.len() {
            let (byte, ch) = match self.units.get(start) {
                Some(u) => (u.orig as usize, u.orig_char as usize),
                None => (self.orig_len, self.orig_chars),
            };
            return OriginalRange {
                start: byte,
                end: byte,
                char_start: ch,
                char_end: ch,
            };
        }
        let first = &self.units[start];
        let last = &self.units[end.min(self.units.len()) - 1];
        OriginalRange {
            start: first.orig as usize,
            end: last.orig as usize + last.orig_len as usize,
            char_start: first.orig_char as usize,
            char_end: last.orig_char as usize + 1,
        }
    }

    /// The normalized text of units `start..end`.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.byte_of(start)..self.byte_of(end.max(start))]
    }
}

/// A range of the original text, in bytes and in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OriginalRange {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalizer::new(&[('収', '收')])
            .normalize(s)
            .text()
            .to_string()
    }

    #[test]
    fn evasions_fold() {
        assert_eq!(norm("加 微 信"), "加微信");
        assert_eq!(norm("加-V"), "加v");
        assert_eq!(norm("高❤价"), "高价");
        assert_eq!(norm("加我ＶＸ"), "加我vx");
        assert_eq!(norm("高價収購"), "高价收购");
        assert_eq!(norm("排🚽毒"), "排毒");
        assert_eq!(norm("回\u{200B}购"), "回购");
        assert_eq!(norm("１：１"), "1:1");
        assert_eq!(norm("1.2万"), "1.2万");
        assert_eq!(norm("好. 我们"), "好我们");
        assert_eq!(norm("你好，我们"), "你好,我们");
        assert_eq!(norm("薇❤"), "薇");
        assert_eq!(norm("jiā wēi xìn"), "jiaweixin");
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "加 薇❤信，ＯＫ";
        let n = Normalizer::new(&[]).normalize(text);
        assert_eq!(n.text(), "加薇信,ok");
        let r = n.original_range(0, 3);
        assert_eq!(&text[r.start..r.end], "加 薇❤信");
        assert_eq!((r.char_start, r.char_end), (0, 5));
        let r = n.original_range(4, 6);
        assert_eq!(&text[r.start..r.end], "ＯＫ");
        assert_eq!(n.flags(1) & SOFT, SOFT);
        assert_eq!(n.flags(2) & (GAP | SOFT), GAP);
    }
}
