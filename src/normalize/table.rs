//! The character table: traditional → simplified (OpenCC's tables as shipped by `zhconv`) plus
//! the look-alike characters of the variants lexicon (`収` → `收`).
//!
//! Only one-to-one character conversions are used, so every normalized character still comes
//! from exactly one original character. OpenCC's phrase-level rules (which pick 乾 or 干 by
//! context) are not applied: for matching fraud scripts the character mapping is what matters.

use std::collections::HashMap;

use once_cell::sync::Lazy;

const DENSE_START: u32 = 0x3400;
const DENSE_END: u32 = 0xA000;

/// A character → character map, dense over the CJK blocks where lookups happen.
#[derive(Clone)]
pub(crate) struct CharTable {
    dense: Box<[char]>,
    sparse: HashMap<char, char>,
}

impl std::fmt::Debug for CharTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CharTable")
            .field("sparse", &self.sparse.len())
            .finish_non_exhaustive()
    }
}

static TRADITIONAL_TO_SIMPLIFIED: Lazy<CharTable> = Lazy::new(|| {
    let mut table = CharTable::identity();
    for (from, to) in zhconv::tables::expand_table(zhconv::tables::ZH_HANS_TABLE) {
        let (mut f, mut t) = (from.chars(), to.chars());
        if let (Some(a), None, Some(b), None) = (f.next(), f.next(), t.next(), t.next()) {
            if a != b {
                table.set(a, b);
            }
        }
    }
    table
});

impl CharTable {
    fn identity() -> CharTable {
        let dense = (DENSE_START..DENSE_END)
            .map(|cp| char::from_u32(cp).unwrap_or('\u{FFFD}'))
            .collect();
        CharTable {
            dense,
            sparse: HashMap::new(),
        }
    }

    /// The traditional → simplified table, built once per process.
    pub(crate) fn traditional_to_simplified() -> &'static CharTable {
        &TRADITIONAL_TO_SIMPLIFIED
    }

    /// Maps `from` to `to`.
    pub(crate) fn set(&mut self, from: char, to: char) {
        let cp = from as u32;
        if (DENSE_START..DENSE_END).contains(&cp) {
            self.dense[(cp - DENSE_START) as usize] = to;
        } else {
            self.sparse.insert(from, to);
        }
    }

    /// The character `c` maps to (itself when the table has no entry).
    #[inline]
    pub(crate) fn get(&self, c: char) -> char {
        let cp = c as u32;
        if (DENSE_START..DENSE_END).contains(&cp) {
            self.dense[(cp - DENSE_START) as usize]
        } else if self.sparse.is_empty() {
            c
        } else {
            self.sparse.get(&c).copied().unwrap_or(c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_fold() {
        let t = CharTable::traditional_to_simplified();
        for (a, b) in [
            ('價', '价'),
            ('購', '购'),
            ('參', '参'),
            ('專', '专'),
            ('鐵', '铁'),
        ] {
            assert_eq!(t.get(a), b, "{a}");
        }
        assert_eq!(t.get('价'), '价');
        assert_eq!(t.get('a'), 'a');
    }
}
