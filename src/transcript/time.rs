//! RFC 3339 times (`2026-12-02T20:00:00+08:00`, `2026-12-02 12:00:00Z`, `2026-12-02`) to
//! milliseconds since the Unix epoch, without a date library.

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Parses an RFC 3339 date-time (or a bare date, taken as midnight UTC) into milliseconds
/// since the Unix epoch. A time without an offset is taken as UTC.
///
/// ```
/// use huashu::transcript::rfc3339_ms;
/// assert_eq!(rfc3339_ms("1970-01-01T00:00:01Z"), Some(1000));
/// assert_eq!(rfc3339_ms("2026-12-02T20:00:00+08:00"), Some(1_796_212_800_000));
/// assert_eq!(rfc3339_ms("2026-12-02 12:00:00.250Z"), Some(1_796_212_800_250));
/// assert_eq!(rfc3339_ms("2026-02-30T00:00:00Z"), None);
/// assert_eq!(rfc3339_ms("yesterday"), None);
/// ```
pub fn rfc3339_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let mut d = date.split('-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    if d.next().is_some() || !(1..=12).contains(&m) || day < 1 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if day > month_days[(m - 1) as usize] {
        return None;
    }
    let mut ms = days_from_civil(y, m, day) * 86_400_000;
    if rest.is_empty() {
        return Some(ms);
    }
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((a, b)) => (a, b),
        None => (clock, ""),
    };
    let mut t = hms.split(':');
    let (h, mi) = (num(t.next()?)?, num(t.next()?)?);
    let sec = t.next().map_or(Some(0), num)?;
    if t.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let frac_ms = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain("000".chars()).take(3).collect();
        num(&digits)?
    };
    ms += ((h * 60 + mi) * 60 + sec) * 1000 + frac_ms;
    let off = match offset {
        "" | "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
            let (oh, om) = (num(oh)?, num(om)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 60 + om) * 60_000
        }
    };
    Some(ms - off)
}
