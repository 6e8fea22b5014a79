//! Price claims: a claimed reference price (`原价3999`, `专柜卖两千八`, `外面卖上千`) paired with
//! the price asked now (`今天只要99`), even sentences apart. A reference at least `min_ratio`
//! times the offer is evidence of a fabricated reference price, heavier as the ratio grows. A
//! verifiable baseline (`日常价`, `前七天最低价`) is never a reference.

use crate::lexicon::PriceDef;
use crate::matcher::PriceRole;
use crate::normalize::{Breaks, is_sentence_break};
use crate::numeral::Number;

/// A price cue found by the matcher, by unit indices.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PriceCue {
    pub start: usize,
    pub end: usize,
    pub role: PriceRole,
}

/// A number read as an amount of money, with the cue that introduced it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Price {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub cue: Option<PriceCue>,
}

impl Price {
    fn role(&self) -> Option<PriceRole> {
        self.cue.map(|c| c.role)
    }
}

/// A reference price and the offer it is compared with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Claim {
    pub reference: Price,
    pub offer: Price,
    pub ratio: f64,
    /// In (0, 1]: 0.6 at the minimum ratio, rising to 1 at ten-fold and above.
    pub strength: f64,
}

const CURRENCY_AFTER: &[&str] = &["块钱", "元", "块", "米", "圆", "rmb", "刀"];
const NOT_MONEY_AFTER: &[char] = &[
    '克', '斤', '两', 'g', '年', '月', '天', '日', '号', '点', '岁', '个', '颗', '粒', '条', '串',
    '只', '支', '瓶', '盒', '罐', '袋', '包', '箱', '套', '份', '对', '双', '位', '人', '次', '遍',
    '分', '秒', '倍', '折', '%', '成', '厘', '公', '毫', '层', '度', '代', '手', '万', '期', '单',
    '件', '张', '台', '部', '幅', '根', '本', '把', '枚', '副', '辆', '间', '座', '棵', '朵', '片',
    '头', '尾', '匹', '口', '排', '桶', '碗', '杯', '束', '卷', '批', '款', '种', '样', '色', '号',
    '寸', '尺', '米', '克', '周', '声',
];
/// Units of weight, length, area, age and degree: a number before one measures something.
const MEASUREMENT_UNITS: &[char] = &[
    '克', '斤', '两', 'g', '公', '毫', '厘', '米', '寸', '尺', '亩', '平', '度', '岁', '层',
];
const PRICE_VERBS: &[&str] = &[
    "卖", "要", "只要", "才", "价", "售", "到手", "拍", "标", "值", "花了", "花", "买",
];
const MEASURE_WORDS: &[char] = &[
    '件', '个', '条', '瓶', '盒', '只', '套', '支', '串', '双', '对', '份', '斤', '块',
];
/// How far (in characters) a cue reaches to the price it introduces.
pub(crate) const CUE_REACH: usize = 14;
/// How far before its reference an offer may be said.
pub(crate) const BACKWARD_REACH: usize = 30;

fn starts_with_at(chars: &[char], at: usize, s: &str) -> bool {
    (at..).zip(s.chars()).all(|(i, c)| chars.get(i) == Some(&c))
}

fn ends_with_at(chars: &[char], at: usize, s: &str) -> bool {
    let n = s.chars().count();
    n <= at && starts_with_at(chars, at - n, s)
}

/// Reads the amounts of money among `numbers`. `cues` is sorted by end; `paused(i)` says
/// whether a pause (space, line break) was removed right before unit `i`.
pub(crate) fn find_prices(
    chars: &[char],
    numbers: &[Number],
    cues: &[PriceCue],
    paused: impl Fn(usize) -> bool,
) -> Vec<Price> {
    // First the numbers that can be amounts of money at all.
    struct Candidate {
        start: usize,
        end: usize,
        value: f64,
        explicit: bool,
        per_piece: bool,
    }
    let mut candidates = Vec::new();
    // Measurements (`五千斤`, `八十平`): a cue whose first number is one of them introduces no
    // price (`去年一亩出五千斤，今年…四千` is a harvest, not a reference price of 4,000).
    let mut measured: Vec<usize> = Vec::new();
    for n in numbers {
        let mut end = n.end;
        let mut value = n.value;
        // "三百八十一件" in speech is 380 a piece: a trailing 一 before a measure word.
        let per_piece = n.digits.is_none()
            && n.end - n.start >= 3
            && chars[n.end - 1] == '一'
            && chars.get(n.end).is_some_and(|c| MEASURE_WORDS.contains(c))
            && !(1..=2)
                .any(|k| n.start >= k && matches!(chars[n.start - k], '共' | '有' | '剩' | '第'));
        if per_piece {
            end -= 1;
            value = crate::numeral::value_of(&chars[n.start..end]).unwrap_or(value);
        }
        // "六百多块", "两千来块": an approximate amount, its unit after the 多.
        let approx = end < chars.len() && matches!(chars[end], '多' | '来') && !paused(end);
        let unit_at = if approx { end + 1 } else { end };
        // What follows a pause belongs to the next phrase, not to the number.
        let attached = unit_at < chars.len() && !paused(unit_at);
        let currency_after = attached
            && CURRENCY_AFTER
                .iter()
                .any(|u| starts_with_at(chars, unit_at, u));
        let currency_before = n.start > 0 && matches!(chars[n.start - 1], '¥' | '$');
        // `四十九两支` is 49 for two, not 49 taels; `九十九包邮` is 99 with free shipping.
        let next = chars.get(unit_at + 1).copied();
        let count_or_shipping = match chars.get(unit_at) {
            // `两万八两万八`: a number said twice, not 28,000 taels.
            Some('两') => next.is_some_and(|c| {
                (MEASURE_WORDS.contains(&c) && c != '块') || crate::numeral::is_numeral(c)
            }),
            Some('包') => next == Some('邮'),
            // `一千五对吧`: the speaker's tag question, not 1,500 pairs.
            Some('对') => {
                next.is_some_and(|c| matches!(c, '吧' | '不' | '啊' | '呀' | '吗' | '嘛'))
            }
            _ => false,
        };
        let not_money = !currency_after
            && attached
            && !per_piece
            && !count_or_shipping
            && NOT_MONEY_AFTER.contains(&chars[unit_at]);
        let explicit = currency_after || currency_before || per_piece;
        // Without a currency word, a small number is a count, not a price (今天请的是一幅).
        if not_money && value >= 10.0 && MEASUREMENT_UNITS.contains(&chars[unit_at]) {
            measured.push(n.start);
        }
        if not_money || !value.is_finite() || value < 1.0 || (!explicit && value < 10.0) {
            continue;
        }
        let verb_before = PRICE_VERBS
            .iter()
            .any(|v| (0..=2).any(|gap| n.start >= gap && ends_with_at(chars, n.start - gap, v)));
        candidates.push((
            Candidate {
                start: n.start,
                end,
                value,
                explicit,
                per_piece,
            },
            verb_before,
        ));
    }
    // Each cue introduces the first candidate after it, shortly after and in the same
    // sentence. A reference cue wins over an offer cue for the same number ("外面烟酒店…现在一瓶
    // 要两千九": 现在 is not the offer), a baseline over both.
    let rank = |r: PriceRole| match r {
        PriceRole::Offer => 0,
        PriceRole::Reference => 1,
        PriceRole::Baseline => 2,
    };
    let mut assigned: Vec<Option<PriceCue>> = vec![None; candidates.len()];
    for c in cues {
        let i = candidates.partition_point(|(n, _)| n.start < c.end);
        let Some((n, _)) = candidates.get(i) else {
            continue;
        };
        let m = measured.partition_point(|&s| s < c.end);
        if measured.get(m).is_some_and(|&s| s < n.start) {
            continue;
        }
        if n.start - c.end > CUE_REACH || (c.end..n.start).any(|k| is_sentence_break(chars[k])) {
            continue;
        }
        let better = match assigned[i] {
            None => true,
            Some(old) => rank(c.role) > rank(old.role) || (c.role == old.role && c.end > old.end),
        };
        if better {
            assigned[i] = Some(*c);
        }
    }
    let mut out = Vec::new();
    for ((n, verb_before), mut cue) in candidates.into_iter().zip(assigned) {
        if !(n.explicit || cue.is_some() || verb_before) {
            continue;
        }
        // "三百八十一件" states the price asked now.
        if n.per_piece && cue.is_none() {
            cue = Some(PriceCue {
                start: n.start,
                end: n.start,
                role: PriceRole::Offer,
            });
        }
        out.push(Price {
            start: n.start,
            end: n.end,
            value: n.value,
            cue,
        });
    }
    out
}

/// How many sentences apart a reference and its offer may be: the pair is one piece of
/// discourse (`原价九百九。今天只要九十九。`), not a price said in passing and an offer made
/// minutes later in other talk.
const MAX_SENTENCE_BREAKS: usize = 2;

/// Pairs reference prices with offers, within `def.window` characters and
/// [`MAX_SENTENCE_BREAKS`] sentence breaks of each other.
pub(crate) fn find_claims(prices: &[Price], def: &PriceDef, breaks: &Breaks) -> Vec<Claim> {
    let mut out = Vec::new();
    if !prices
        .iter()
        .any(|p| p.role() == Some(PriceRole::Reference))
    {
        return out;
    }
    let breaks = |from: usize, to: usize| breaks.count(from, to);
    for (i, r) in prices.iter().enumerate() {
        if r.role() != Some(PriceRole::Reference) {
            continue;
        }
        let within = |p: &Price| {
            p.start >= r.end
                && p.start - r.end <= def.window
                && breaks(r.end, p.start) <= MAX_SENTENCE_BREAKS
        };
        // The first offer after the reference, else the nearest one before it. (A plain price
        // after a reference is no offer: 原价九百九，满两百减二十.)
        let after = prices[i + 1..]
            .iter()
            .take_while(|p| within(p))
            .find(|p| p.role() == Some(PriceRole::Offer));
        // An offer said before its reference is said right before it (今天九十九，原价九百九).
        let before = prices[..i]
            .iter()
            .rev()
            .take_while(|p| {
                r.start.saturating_sub(p.end) <= BACKWARD_REACH
                    && breaks(p.end, r.start) <= MAX_SENTENCE_BREAKS
            })
            .find(|p| p.role() == Some(PriceRole::Offer));
        let offer = match (after, before) {
            (Some(o), _) | (None, Some(o)) => *o,
            _ => continue,
        };
        let ratio = r.value / offer.value;
        if ratio < def.min_ratio {
            continue;
        }
        let strength =
            (0.6 + 0.4 * (ratio / def.min_ratio).log10() / (10.0f64 / 3.0).log10()).min(1.0);
        out.push(Claim {
            reference: *r,
            offer,
            ratio,
            strength,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeral::find_numbers;

    fn cue(chars: &[char], s: &str, role: PriceRole) -> PriceCue {
        let needle: Vec<char> = s.chars().collect();
        let start = chars
            .windows(needle.len())
            .position(|w| w == needle.as_slice())
            .unwrap();
        PriceCue {
            start,
            end: start + needle.len(),
            role,
        }
    }

    fn def() -> PriceDef {
        PriceDef {
            min_ratio: 3.0,
            window: 400,
            reference: vec![],
            offer: vec![],
            baseline: vec![],
        }
    }

    #[test]
    fn reference_and_offer_pair() {
        let chars: Vec<char> = "专柜卖两千八,我们直播间三百二十八".chars().collect();
        let cues = vec![
            cue(&chars, "专柜卖", PriceRole::Reference),
            cue(&chars, "直播间", PriceRole::Offer),
        ];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert_eq!(prices.len(), 2);
        let claims = find_claims(&prices, &def(), &Breaks::of(&chars));
        assert_eq!(claims.len(), 1);
        assert!((claims[0].ratio - 2800.0 / 328.0).abs() < 1e-9);
        assert!(claims[0].strength > 0.9);
    }

    #[test]
    fn a_measurement_after_the_cue_introduces_no_price() {
        // 去年 introduces the harvest (五千斤), not the 四千 of the next clause.
        let chars: Vec<char> = "去年一亩出五千斤，今年估计四千多，秒杀价十九"
            .chars()
            .collect();
        let cues = [
            cue(&chars, "去年", PriceRole::Reference),
            cue(&chars, "秒杀价", PriceRole::Offer),
        ];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert!(find_claims(&prices, &def(), &Breaks::of(&chars)).is_empty());
    }

    #[test]
    fn reference_and_offer_in_one_stretch_of_discourse() {
        let near: Vec<char> = "原价九百九。今天只要九十九。".chars().collect();
        let far: Vec<char> = "原价九百九。说点别的。天气不错。大家吃了吗。今天只要九十九。"
            .chars()
            .collect();
        for (chars, pairs) in [(&near, 1), (&far, 0)] {
            let cues = [
                cue(chars, "原价", PriceRole::Reference),
                cue(chars, "今天只要", PriceRole::Offer),
            ];
            let prices = find_prices(chars, &find_numbers(chars), &cues, |_| false);
            assert_eq!(
                find_claims(&prices, &def(), &Breaks::of(chars)).len(),
                pairs
            );
        }
    }

    #[test]
    fn weights_and_counts_are_not_prices() {
        let chars: Vec<char> = "原价一百克,两千八百年".chars().collect();
        let cues = vec![cue(&chars, "原价", PriceRole::Reference)];
        assert!(find_prices(&chars, &find_numbers(&chars), &cues, |_| false).is_empty());
    }

    #[test]
    fn a_count_or_free_shipping_after_the_number_keeps_it_a_price() {
        let chars: Vec<char> = "专柜三百二,我们这里四十九两支".chars().collect();
        let cues = vec![
            cue(&chars, "专柜", PriceRole::Reference),
            cue(&chars, "我们这里", PriceRole::Offer),
        ];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert_eq!(
            prices.iter().map(|p| p.value).collect::<Vec<_>>(),
            vec![320.0, 49.0]
        );
        let chars: Vec<char> = "官网九千九,这里九十九包邮".chars().collect();
        let cues = vec![
            cue(&chars, "官网", PriceRole::Reference),
            cue(&chars, "这里", PriceRole::Offer),
        ];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert_eq!(
            prices.iter().map(|p| p.value).collect::<Vec<_>>(),
            vec![9900.0, 99.0]
        );
        // Still a weight when no count follows.
        let chars: Vec<char> = "原价四十九两".chars().collect();
        let cues = vec![cue(&chars, "原价", PriceRole::Reference)];
        assert!(find_prices(&chars, &find_numbers(&chars), &cues, |_| false).is_empty());
    }

    #[test]
    fn a_tag_question_after_the_number_is_no_unit() {
        let chars: Vec<char> = "原价一千五对吧".chars().collect();
        let cues = vec![cue(&chars, "原价", PriceRole::Reference)];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert_eq!(
            prices.iter().map(|p| p.value).collect::<Vec<_>>(),
            vec![1500.0]
        );
        // Still pairs when none follows.
        let chars: Vec<char> = "原价一千五对".chars().collect();
        let cues = vec![cue(&chars, "原价", PriceRole::Reference)];
        assert!(find_prices(&chars, &find_numbers(&chars), &cues, |_| false).is_empty());
    }

    #[test]
    fn small_ratio_is_no_claim() {
        let chars: Vec<char> = "原价九十九,今天只要六十九".chars().collect();
        let cues = vec![
            cue(&chars, "原价", PriceRole::Reference),
            cue(&chars, "今天只要", PriceRole::Offer),
        ];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert!(find_claims(&prices, &def(), &Breaks::of(&chars)).is_empty());
    }

    #[test]
    fn price_per_piece_in_speech() {
        let chars: Vec<char> = "标价六千六,现在三百八十一件".chars().collect();
        let cues = vec![cue(&chars, "标价", PriceRole::Reference)];
        let prices = find_prices(&chars, &find_numbers(&chars), &cues, |_| false);
        assert_eq!(
            prices.iter().map(|p| p.value).collect::<Vec<_>>(),
            vec![6600.0, 380.0]
        );
    }
}
