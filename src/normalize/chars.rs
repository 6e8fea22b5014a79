//! What one original character becomes in the normalized text.
//!
//! Normalization is character-local: each original character turns into zero, one or a few
//! normalized characters, which is what lets every normalized character point back at exactly
//! one original character (see [`super::Normalized`]).

use unicode_normalization::UnicodeNormalization;

/// The fate of one original character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Becomes this character (possibly itself).
    Keep(char),
    /// Becomes several characters (compatibility decompositions such as `㎏` → `kg`).
    Expand,
    /// Dropped. `soft` marks a removed separator (whitespace, `…`, `—`) that may have ended a
    /// phrase, as opposed to decoration (emoji, `❤`, `-`, zero-width characters).
    Drop { soft: bool },
    /// `.` or `:`: kept only between two digits (`1.2万`, `1:1`), otherwise dropped as a
    /// separator.
    DigitPunct(char),
}

/// Clause punctuation that is kept in the normalized text: no term matches across it.
pub(crate) fn is_clause_break(c: char) -> bool {
    matches!(c, ',' | '!' | '?' | ';' | '。' | '、')
}

/// Punctuation that ends a sentence: the scope of warning and reported-speech cues.
pub(crate) fn is_sentence_break(c: char) -> bool {
    matches!(c, '!' | '?' | ';' | '。')
}

/// Where the sentences of a normalized text end ([`is_sentence_break`]), found once per
/// analysis and shared by every rule that keeps its evidence within a sentence or a few.
#[derive(Debug, Clone, Default)]
pub(crate) struct Breaks(Vec<usize>);

impl Breaks {
    /// The sentence breaks of `chars`.
    pub(crate) fn of(chars: &[char]) -> Breaks {
        Breaks(
            chars
                .iter()
                .enumerate()
                .filter(|&(_, &c)| is_sentence_break(c))
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The first break at or after unit `from`.
    pub(crate) fn next(&self, from: usize) -> Option<usize> {
        self.0.get(self.0.partition_point(|&b| b < from)).copied()
    }

    /// How many breaks lie in `from..to`.
    pub(crate) fn count(&self, from: usize, to: usize) -> usize {
        if to <= from {
            return 0;
        }
        self.0.partition_point(|&b| b < to) - self.0.partition_point(|&b| b < from)
    }

    /// The breaks in `from..to`.
    pub(crate) fn within(&self, from: usize, to: usize) -> &[usize] {
        let lo = self.0.partition_point(|&b| b < from);
        let hi = self.0.partition_point(|&b| b < to).max(lo);
        &self.0[lo..hi]
    }
}

/// CJK ideographs of the basic and extension-A blocks: kept, mapped through the character table.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn ascii_fate(c: char) -> Fate {
    match c {
        'a'..='z' | '0'..='9' => Fate::Keep(c),
        'A'..='Z' => Fate::Keep(c.to_ascii_lowercase()),
        ',' | '!' | '?' | ';' | '$' | '%' => Fate::Keep(c),
        '.' | ':' => Fate::DigitPunct(c),
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' => Fate::Drop { soft: true },
        _ => Fate::Drop { soft: false },
    }
}

/// Whether a character is decoration to drop: emoji, pictographs, dingbats, arrows, shapes,
/// box drawing, variation selectors, joiners, format characters and private use.
fn is_decoration(cp: u32) -> bool {
    matches!(cp,
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0x00AD
        | 0xFE00..=0xFE0F | 0xE0000..=0xE007F | 0xE0100..=0xE01EF
        | 0x2190..=0x21FF | 0x2300..=0x23FF
        | 0x2500..=0x27BF | 0x2900..=0x297F | 0x2B00..=0x2BFF
        | 0x1F000..=0x1FAFF | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// The fate of `c`, before the character table (traditional → simplified, look-alikes) runs.
pub(crate) fn fate(c: char) -> Fate {
    let cp = c as u32;
    if cp < 0x80 {
        return ascii_fate(c);
    }
    if is_cjk(c) && !(0xF900..=0xFAFF).contains(&cp) {
        return Fate::Keep(c);
    }
    match cp {
        // Full-width ASCII folds to ASCII.
        0xFF01..=0xFF5E => ascii_fate(char::from_u32(cp - 0xFEE0).unwrap_or(' ')),
        0x3000 => Fate::Drop { soft: true },
        0x3002 => Fate::Keep('。'),
        0x3001 => Fate::Keep('、'),
        0xFF61 => Fate::Keep('。'),
        0xFF64 => Fate::Keep('、'),
        0x3007 => Fate::Keep('〇'),
        0x00A5 | 0xFFE5 => Fate::Keep('¥'),
        // … ‥ — – and friends separate phrases; quotes and brackets are decoration.
        0x2026 | 0x2025 | 0x2014 | 0x2015 | 0x2013 | 0x2E3A | 0x2E3B => Fate::Drop { soft: true },
        0x3003..=0x3006 | 0x3008..=0x303F => Fate::Drop { soft: false },
        _ if is_decoration(cp) => Fate::Drop { soft: false },
        _ if c.is_whitespace() => Fate::Drop { soft: true },
        _ => {
            // Compatibility forms (circled digits, ligatures, compatibility ideographs) and
            // letters with diacritics: decompose, keep what is alphanumeric.
            let mut out = c
                .nfkc()
                .flat_map(|d| d.nfd())
                .filter(|d| is_kept_letter(*d));
            match (out.next(), out.next()) {
                (None, _) => Fate::Drop {
                    soft: c.is_whitespace(),
                },
                (Some(first), None) => Fate::Keep(lower(first)),
                (Some(_), Some(_)) => Fate::Expand,
            }
        }
    }
}

fn is_kept_letter(c: char) -> bool {
    c.is_alphanumeric() && !matches!(c as u32, 0x0300..=0x036F)
}

fn lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// The characters an [`Fate::Expand`] character becomes.
pub(crate) fn expand(c: char, out: &mut impl FnMut(char)) {
    for d in c.nfkc().flat_map(|d| d.nfd()) {
        if is_cjk(d) || is_kept_letter(d) {
            out(lower(d));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_found_once_and_counted_by_range() {
        let chars: Vec<char> = "原价九百九。今天九十九!好不好?".chars().collect();
        let b = Breaks::of(&chars);
        assert_eq!(b.within(0, chars.len()), &[5, 11, 15]);
        assert_eq!(b.next(0), Some(5));
        assert_eq!(b.next(6), Some(11));
        assert_eq!(b.next(16), None);
        assert_eq!(b.count(0, 5), 0);
        assert_eq!(b.count(0, 6), 1);
        assert_eq!(b.count(5, 16), 3);
        assert_eq!(b.count(9, 3), 0);
        assert!(b.within(12, 14).is_empty());
    }

    #[test]
    fn fates() {
        assert_eq!(fate('Ｖ'), Fate::Keep('v'));
        assert_eq!(fate('１'), Fate::Keep('1'));
        assert_eq!(fate('：'), Fate::DigitPunct(':'));
        assert_eq!(fate('，'), Fate::Keep(','));
        assert_eq!(fate('❤'), Fate::Drop { soft: false });
        assert_eq!(fate('\u{200B}'), Fate::Drop { soft: false });
        assert_eq!(fate('🚽'), Fate::Drop { soft: false });
        assert_eq!(fate('　'), Fate::Drop { soft: true });
        assert_eq!(fate('-'), Fate::Drop { soft: false });
        assert_eq!(fate('ā'), Fate::Keep('a'));
        assert_eq!(fate('①'), Fate::Keep('1'));
        assert_eq!(fate('￥'), Fate::Keep('¥'));
        assert_eq!(fate('價'), Fate::Keep('價'));
        assert_eq!(fate('ア'), Fate::Keep('ア'));
        assert_eq!(fate('㎏'), Fate::Expand);
        let mut v = String::new();
        expand('㎏', &mut |c| v.push(c));
        assert_eq!(v, "kg");
    }
}
