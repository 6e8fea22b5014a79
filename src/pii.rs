//! Personal numbers read aloud or posted: mainland mobile numbers, 18-digit resident ID numbers
//! with a valid check digit and a real birth date, and bank card numbers with a valid Luhn
//! digit, in Arabic digits or read digit by digit in Chinese numerals.

use crate::lexicon::PiiKind;
use crate::numeral::Number;

/// A personal number, by unit indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PersonalNumber {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number.
fn id_check_char(first17: &[u8]) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'x', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// Whether `id` (18 characters, lower-case x) is a plausible resident ID number.
pub(crate) fn is_id_number(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b[0] >= b'1' && b[0] <= b'8') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| id[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&year)
        && (1..=days).contains(&day)
        && id_check_char(&b[..17]) == b[17] as char
}

/// Whether `digits` passes the Luhn check.
pub(crate) fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, d) in digits.bytes().rev().enumerate() {
        let mut v = (d - b'0') as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

fn is_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

fn is_bank_card(d: &str) -> bool {
    let b = d.as_bytes();
    let prefix_ok = match b.len() {
        16..=19 if b.starts_with(b"62") => true,
        16 => b[0] == b'4' || b[0] == b'5',
        _ => false,
    };
    prefix_ok && luhn(d)
}

/// The personal numbers among `numbers`; `chars` are the normalized characters (an ID number
/// may end with `x`).
pub(crate) fn find_personal_numbers(chars: &[char], numbers: &[Number]) -> Vec<PersonalNumber> {
    let mut out = Vec::new();
    for n in numbers {
        let Some(digits) = &n.digits else { continue };
        if digits.len() == 17 && chars.get(n.end) == Some(&'x') {
            let id = format!("{digits}x");
            if is_id_number(&id) {
                out.push(PersonalNumber {
                    kind: PiiKind::IdCard,
                    start: n.start,
                    end: n.end + 1,
                });
            }
            continue;
        }
        let kind = if digits.len() == 18 && is_id_number(digits) {
            PiiKind::IdCard
        } else if is_mobile(digits) {
            PiiKind::Mobile
        } else if is_bank_card(digits) {
            PiiKind::BankCard
        } else {
            continue;
        };
        out.push(PersonalNumber {
            kind,
            start: n.start,
            end: n.end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers() {
        // 11010519491231002X is the standard's worked example.
        assert!(is_id_number("11010519491231002x"));
        assert!(!is_id_number("110105194912310021"));
        assert!(!is_id_number("11010519491331002x"));
    }

    #[test]
    fn luhn_numbers() {
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
        assert!(is_bank_card("4111111111111111"));
        assert!(!is_bank_card("1234567812345678"));
    }

    #[test]
    fn mobiles() {
        assert!(is_mobile("13812345678"));
        assert!(!is_mobile("12812345678"));
        assert!(!is_mobile("1381234567"));
    }
}
