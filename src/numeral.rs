//! Numbers in normalized text: Arabic digits, Chinese numerals (`三千九百九十九`, `两万八`,
//! `一千五六`), mixed forms (`1.2万`, `3w`) and numbers read digit by digit (`一三八…`, and
//! speech-recognition output split into single digits, `三 九 九` → `三九九` → 399).
//!
//! Numbers are found, not rewritten: the normalized text keeps its numerals (so `千万别` stays a
//! warning), and rules that need amounts ask this module.

/// A number found in normalized text, by unit indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Number {
    /// First unit of the number.
    pub start: usize,
    /// One past its last unit.
    pub end: usize,
    /// Its value (for a digit-by-digit reading, the digits read as one integer).
    pub value: f64,
    /// The digits when the number is a plain digit sequence (`13812345678`, `一三八…`), for
    /// phone, ID and card numbers.
    pub digits: Option<String>,
}

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '0' | '零' | '〇' => 0,
        '1' | '一' | '壹' | '幺' => 1,
        '2' | '二' | '贰' | '两' => 2,
        '3' | '三' | '叁' => 3,
        '4' | '四' | '肆' => 4,
        '5' | '五' | '伍' => 5,
        '6' | '六' | '陆' => 6,
        '7' | '七' | '柒' => 7,
        '8' | '八' | '捌' => 8,
        '9' | '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit_value(c: char) -> Option<f64> {
    Some(match c {
        '十' | '拾' => 10.0,
        '百' | '佰' => 100.0,
        '千' | '仟' => 1000.0,
        _ => return None,
    })
}

fn big_unit_value(c: char) -> Option<f64> {
    Some(match c {
        '万' => 1e4,
        '亿' => 1e8,
        _ => return None,
    })
}

/// Whether `c` can be part of a number (digits, Chinese numerals, 几).
pub(crate) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || digit_value(c).is_some()
        || unit_value(c).is_some()
        || big_unit_value(c).is_some()
        || c == '几'
}

/// Whether `c` belongs to a run of numeral characters ([`is_numeral`], and `幺` as spoken in
/// digit strings): what `{num}` in a pattern can start with.
pub(crate) fn in_run(c: char) -> bool {
    is_numeral(c) || c == '幺'
}

/// Each run of numeral characters, as `start..end`: the places a pattern beginning with
/// `{num}` can match (a superset of the numbers [`find_numbers`] reads: `几` alone is a run too).
pub(crate) fn runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &c) in chars.iter().enumerate() {
        match (in_run(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// The last unit that a `{num}` starting at the run `start..end` can reach, plus one: the run,
/// then for Arabic digits a decimal part and one multiplier letter (`1.5w`), as `{num}` reads.
pub(crate) fn reach(chars: &[char], (start, end): (usize, usize)) -> usize {
    let mut i = end;
    if chars[start].is_ascii_digit() {
        if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            i += 1;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
        }
        if chars
            .get(i)
            .is_some_and(|c| matches!(c, '万' | '千' | '百' | 'w' | 'k'))
        {
            i += 1;
        }
    }
    i
}

/// Finds every number in `chars` (the normalized characters, one per unit).
pub(crate) fn find_numbers(chars: &[char]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // 两 as a weight unit after a numeral (四两五) does not start a number.
        let starts = is_numeral(c) && !(c == '两' && i > 0 && is_digitish(chars[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let d = chars[j];
            let ok = if d == '两' {
                // 两 continues a number only right after a unit: 一万两千.
                unit_value(chars[j - 1]).is_some() || big_unit_value(chars[j - 1]).is_some()
            } else if d == '.' || d == '点' {
                j + 1 < chars.len()
                    && digit_value(chars[j + 1]).is_some()
                    && digit_value(chars[j - 1]).is_some()
                    && (d == '.') == chars[j - 1].is_ascii_digit()
            } else if matches!(d, 'w' | 'k') {
                // 1.2w, 3k: only right after Arabic digits, and not inside a word.
                chars[j - 1].is_ascii_digit()
                    && !chars.get(j + 1).is_some_and(|n| n.is_ascii_alphabetic())
            } else {
                is_numeral(d)
            };
            if !ok {
                break;
            }
            j += 1;
        }
        if let Some(number) = parse(&chars[i..j], i) {
            out.push(number);
        }
        i = j;
    }
    out
}

/// The value of a whole run of numeral characters (`三百八十`), if it reads as a number.
pub(crate) fn value_of(run: &[char]) -> Option<f64> {
    parse(run, 0).map(|n| n.value)
}

fn is_digitish(c: char) -> bool {
    c.is_ascii_digit() || digit_value(c).is_some()
}

/// Parses one run of numeral characters.
fn parse(run: &[char], start: usize) -> Option<Number> {
    let end = start + run.len();
    let has_unit = run
        .iter()
        .any(|&c| unit_value(c).is_some() || big_unit_value(c).is_some() || matches!(c, 'w' | 'k'));
    let has_point = run.iter().any(|&c| c == '.' || c == '点');
    if !has_unit && !has_point {
        // A digit sequence: 3999, 一三八一二三四五六七八, 三九九.
        if run.contains(&'几') {
            return None;
        }
        let digits: String = run
            .iter()
            .map(|&c| char::from_digit(digit_value(c).unwrap_or(0), 10).unwrap_or('0'))
            .collect();
        let value = digits.parse::<f64>().ok()?;
        return Some(Number {
            start,
            end,
            value,
            digits: Some(digits),
        });
    }
    let value = parse_with_units(run)?;
    Some(Number {
        start,
        end,
        value,
        digits: None,
    })
}

/// Reads numerals with units, including the spoken abbreviations: `三千八` = 3800, `两万八` =
/// 28000, `一千五六` ≈ 1500, `五六千` ≈ 5000, `几十万` ≈ 200000 (几 read as 2: a lower bound).
fn parse_with_units(run: &[char]) -> Option<f64> {
    let mut total = 0.0f64; // completed 万/亿 groups
    let mut section = 0.0f64; // below 万
    let mut pending: Option<f64> = None; // a digit (or decimal) waiting for its unit
    let mut last_unit: Option<f64> = None; // the unit just applied, for abbreviations
    let mut after_zero = false;
    let mut i = 0;
    while i < run.len() {
        let c = run[i];
        if c.is_ascii_digit() {
            // An Arabic number, possibly with a decimal point.
            let mut j = i;
            while j < run.len() && (run[j].is_ascii_digit() || run[j] == '.') {
                j += 1;
            }
            let s: String = run[i..j].iter().collect();
            let v = s.parse::<f64>().ok()?;
            if pending.is_none() {
                pending = Some(v);
            }
            i = j;
            continue;
        }
        if let Some(d) = digit_value(c).or(if c == '几' { Some(2) } else { None }) {
            if d == 0 && c != '几' {
                after_zero = true;
                last_unit = None;
            } else if pending.is_none() {
                // 一点二 (decimal)
                if run.get(i + 1) == Some(&'点') {
                    let mut frac = String::from("0.");
                    let mut j = i + 2;
                    while j < run.len() {
                        match digit_value(run[j]) {
                            Some(f) => frac.push(char::from_digit(f, 10).unwrap_or('0')),
                            None => break,
                        }
                        j += 1;
                    }
                    let f: f64 = frac.parse().unwrap_or(0.0);
                    pending = Some(d as f64 + f);
                    i = j;
                    continue;
                }
                pending = Some(d as f64);
            }
            // A second digit in a row (一千五六, 五六千) is a range: keep the first.
            i += 1;
            continue;
        }
        if let Some(u) = unit_value(c) {
            let d = pending.take().unwrap_or(1.0);
            section += d * u;
            last_unit = Some(u);
            after_zero = false;
            i += 1;
            continue;
        }
        let big = big_unit_value(c).or(match c {
            'w' => Some(1e4),
            'k' => Some(1e3),
            _ => None,
        });
        if let Some(b) = big {
            section += pending.take().unwrap_or(0.0);
            if section == 0.0 && total == 0.0 {
                section = 1.0;
            }
            if b > 1e4 {
                total = (total + section) * b;
            } else {
                total += section * b;
            }
            section = 0.0;
            last_unit = Some(b);
            after_zero = false;
            i += 1;
            continue;
        }
        i += 1;
    }
    if let Some(d) = pending {
        match last_unit {
            Some(u) if !after_zero && u >= 10.0 && d < 10.0 => section += d * u / 10.0,
            _ => section += d,
        }
    }
    let v = total + section;
    (v.is_finite()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<f64> {
        let chars: Vec<char> = s.chars().collect();
        find_numbers(&chars).into_iter().map(|n| n.value).collect()
    }

    fn one(s: &str) -> f64 {
        let v = values(s);
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        v[0]
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(one("三千九百九十九"), 3999.0);
        assert_eq!(one("两万八"), 28000.0);
        assert_eq!(one("三千八"), 3800.0);
        assert_eq!(one("二百九十八"), 298.0);
        assert_eq!(one("一千零五"), 1005.0);
        assert_eq!(one("十五"), 15.0);
        assert_eq!(one("一万二千"), 12000.0);
        assert_eq!(one("一亿两千万"), 120_000_000.0);
        assert_eq!(one("一千五六"), 1500.0);
        assert_eq!(one("五六千"), 5000.0);
        assert_eq!(one("几十万"), 200_000.0);
        assert_eq!(one("一点二万"), 12000.0);
        assert_eq!(one("两千"), 2000.0);
    }

    #[test]
    fn digits_and_mixed() {
        assert_eq!(one("3999"), 3999.0);
        assert_eq!(one("1.2万"), 12000.0);
        assert_eq!(one("1.2w"), 12000.0);
        assert_eq!(one("3k"), 3000.0);
        assert_eq!(one("三九九"), 399.0);
        assert_eq!(values("原价3999今天99"), vec![3999.0, 99.0]);
    }

    #[test]
    fn digit_sequences_keep_their_digits() {
        let chars: Vec<char> = "电话一三八一二三四五六七八".chars().collect();
        let n = find_numbers(&chars);
        assert_eq!(n[0].digits.as_deref(), Some("13812345678"));
        let chars: Vec<char> = "幺三九".chars().collect();
        assert_eq!(find_numbers(&chars)[0].digits.as_deref(), Some("139"));
    }

    #[test]
    fn liang_as_weight_unit() {
        assert_eq!(values("四两五"), vec![4.0, 5.0]);
    }
}
