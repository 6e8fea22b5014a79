//! Evasion forms of a lexicon term: the spellings scammers use so that filters miss the word.
//!
//! Every term also matches with any variant from `variants.toml` substituted in (`加微信` →
//! `加薇信`, `加vx`) and with pinyin written for some or all of its characters (`kang癌`,
//! `hui购`, `私xia转zhang`, `baoben`). The forms are compiled into the same automaton as the
//! terms, so they cost nothing at analysis time.

use pinyin::{ToPinyin, ToPinyinMulti};
use serde::{Deserialize, Serialize};

use super::VariantsDef;
use crate::normalize::is_cjk;

/// How a finding's text relates to the lexicon entry it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// The entry as written (after normalization: width, case, traditional characters and
    /// removed decoration are already folded).
    Literal,
    /// A homophone, look-alike or abbreviation from the variants lexicon (`薇信`, `vx`, `sfz`).
    Variant,
    /// Pinyin for some or all characters (`kang癌`, `baoben`).
    Pinyin,
}

/// One spelling of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Form {
    pub text: String,
    pub kind: FormKind,
}

/// Terms up to this long get forms with one character in pinyin (`以后zhi会更贵`).
const MAX_PINYIN_CHARS: usize = 8;
/// Terms up to this long also get forms with two characters in pinyin (`私xia转zhang`).
const MAX_PAIR_CHARS: usize = 4;
/// Terms up to this long also get an all-pinyin form (`baoben`): pinyin evasion targets key
/// words, not long phrases.
const MAX_FULL_CHARS: usize = 5;
const MIN_LATIN_ONLY: usize = 5;

fn readings(c: char) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if let Some(p) = c.to_pinyin() {
        out.push(p.plain());
    }
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let s = p.plain();
            if !out.contains(&s) && out.len() < 2 {
                out.push(s);
            }
        }
    }
    // Readings with ü are written with u by people typing pinyin; the normalizer does the same.
    out.retain(|s| s.is_ascii());
    out
}

/// How much pinyin a term's forms get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pinyin {
    /// None.
    Off,
    /// One character at a time, with its main reading (`hui收`): for co-occurrence members,
    /// which are many and short.
    Single,
    /// Single characters with up to two readings, pairs and the whole term.
    Full,
}

/// Every spelling of `term` (already normalized), the term itself first.
pub(crate) fn expand_forms(term: &str, variants: &VariantsDef, pinyin: Pinyin) -> Vec<Form> {
    let mut out = vec![Form {
        text: term.to_string(),
        kind: FormKind::Literal,
    }];
    let push = |out: &mut Vec<Form>, text: String, kind: FormKind| {
        if !text.is_empty() && !out.iter().any(|f| f.text == text) {
            out.push(Form { text, kind });
        }
    };
    for (canonical, vs) in &variants.words {
        if term.contains(canonical.as_str()) {
            for v in vs {
                push(
                    &mut out,
                    term.replace(canonical.as_str(), v),
                    FormKind::Variant,
                );
            }
        }
    }
    if pinyin == Pinyin::Off {
        return out;
    }
    let chars: Vec<char> = term.chars().collect();
    let positions: Vec<usize> = (0..chars.len()).filter(|&i| is_cjk(chars[i])).collect();
    if positions.is_empty() || positions.len() > MAX_PINYIN_CHARS {
        return out;
    }
    let reads: Vec<Vec<&'static str>> = positions.iter().map(|&i| readings(chars[i])).collect();
    if reads.iter().any(|r| r.is_empty()) {
        return out;
    }
    let render = |subst: &[(usize, &str)]| -> String {
        let mut s = String::new();
        for (i, c) in chars.iter().enumerate() {
            match subst.iter().find(|(p, _)| *p == i) {
                Some((_, r)) => s.push_str(r),
                None => s.push(*c),
            }
        }
        s
    };
    let k = positions.len();
    // Single substitutions with every reading.
    for (slot, &pos) in positions.iter().enumerate() {
        let readings = if pinyin == Pinyin::Single {
            &reads[slot][..1]
        } else {
            &reads[slot][..]
        };
        for r in readings {
            push(&mut out, render(&[(pos, r)]), FormKind::Pinyin);
        }
    }
    if pinyin == Pinyin::Single {
        return out;
    }
    // Several substitutions with the first reading: every pair (私xia转zhang) and the whole
    // term (baoben). Triples and other mixes are rare enough not to spend automaton states on.
    let mut subsets: Vec<Vec<usize>> = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            if k <= MAX_PAIR_CHARS {
                subsets.push(vec![a, b]);
            }
        }
    }
    if k > 2 && k <= MAX_FULL_CHARS {
        subsets.push((0..k).collect());
        // Pinyin initials of the whole term (`gjhs` for 高价回收, `jwx` for 加微信): the
        // shorthand of comment sections, for terms written entirely in Chinese.
        if k == chars.len() {
            let initials: String = reads.iter().filter_map(|r| r[0].chars().next()).collect();
            push(&mut out, initials, FormKind::Pinyin);
        }
    }
    for subset in subsets {
        let subst: Vec<(usize, &str)> = subset
            .iter()
            .map(|&s| (positions[s], reads[s][0]))
            .collect();
        let text = render(&subst);
        let latin_only = text.chars().all(|c| c.is_ascii_alphanumeric());
        if latin_only && text.len() < MIN_LATIN_ONLY {
            continue;
        }
        push(&mut out, text, FormKind::Pinyin);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(term: &str, variants: &VariantsDef) -> Vec<String> {
        expand_forms(term, variants, Pinyin::Full)
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn pinyin_forms() {
        let forms = texts("抗癌", &VariantsDef::default());
        assert_eq!(forms[0], "抗癌");
        assert!(forms.contains(&"kang癌".to_string()), "{forms:?}");
        assert!(forms.contains(&"抗ai".to_string()), "{forms:?}");
        assert!(forms.contains(&"kangai".to_string()), "{forms:?}");
        let forms = texts("私下转账", &VariantsDef::default());
        assert!(forms.contains(&"私xia转zhang".to_string()), "{forms:?}");
        assert!(forms.contains(&"sxzz".to_string()), "{forms:?}");
        let forms = texts("高价回收", &VariantsDef::default());
        assert!(forms.contains(&"gjhs".to_string()), "{forms:?}");
        // Two characters are too short for initials; mixed terms get none.
        assert!(!texts("抗癌", &VariantsDef::default()).contains(&"ka".to_string()));
        assert!(!texts("加v信", &VariantsDef::default()).contains(&"jvx".to_string()));
    }

    #[test]
    fn variant_forms() {
        let v = VariantsDef {
            chars: vec![],
            words: vec![("微信".into(), vec!["薇信".into(), "vx".into()])],
        };
        let forms = expand_forms("加微信", &v, Pinyin::Off);
        let kinds: Vec<(&str, FormKind)> =
            forms.iter().map(|f| (f.text.as_str(), f.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("加微信", FormKind::Literal),
                ("加薇信", FormKind::Variant),
                ("加vx", FormKind::Variant)
            ]
        );
    }
}
