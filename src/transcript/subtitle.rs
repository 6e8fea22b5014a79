//! SubRip (SRT) and WebVTT subtitles.

use super::origin::{Builder, MappedChar, Origin};
use super::{Segment, Skipped};
use crate::error::{Error, Result};

/// Whether text starts like an SRT file: a cue number, then a timing line.
pub(crate) fn looks_like_srt(head: &str) -> bool {
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    matches!((lines.next(), lines.next()), (Some(a), Some(b)) if a.bytes().all(|c| c.is_ascii_digit()) && b.contains("-->"))
}

/// Parses `HH:MM:SS,mmm`, `HH:MM:SS.mmm` or `MM:SS.mmm` into milliseconds.
fn timestamp(s: &str) -> Option<u64> {
    let s = s.trim();
    let (clock, frac) = match s.rfind([',', '.']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, "0"),
    };
    if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ms: u64 = frac.parse::<u64>().ok()? * 10u64.pow(3 - frac.len() as u32);
    let parts: Vec<&str> = clock.split(':').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, sec) = match nums.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return None,
    };
    if m >= 60 || sec >= 60 {
        return None;
    }
    h.checked_mul(60)?
        .checked_add(m)?
        .checked_mul(60)?
        .checked_add(sec)?
        .checked_mul(1000)?
        .checked_add(ms)
}

/// Parses a timing line `start --> end [settings]`.
fn timing(name: &str, line_no: usize, line: &str) -> Result<(u64, u64)> {
    let bad = |why: &str| {
        Error::input(
            name,
            Some(line_no),
            format!("malformed timestamp in `{}`: {why}", line.trim()),
        )
    };
    let (a, b) = line
        .split_once("-->")
        .ok_or_else(|| bad("expected `start --> end`"))?;
    let b = b.split_whitespace().next().unwrap_or("");
    let start = timestamp(a).ok_or_else(|| bad("bad start time"))?;
    let end = timestamp(b).ok_or_else(|| bad("bad end time"))?;
    if end < start {
        return Err(bad("the cue ends before it starts"));
    }
    Ok((start, end))
}

/// Removes markup tags (`<i>`, `<font …>`, `<00:01.000>`), decodes the entities `&amp;`,
/// `&lt;`, `&gt;` and `&nbsp;`, and returns the voice (`<v Name>`).
fn strip_tags(text: &[MappedChar]) -> (Vec<MappedChar>, Option<String>) {
    let mut out = Vec::with_capacity(text.len());
    let mut speaker = None;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c.c == '<' {
            if let Some(close) = text[i..].iter().position(|m| m.c == '>') {
                let tag: String = text[i + 1..i + close].iter().map(|m| m.c).collect();
                // <v Name> and <v.class Name> carry the speaker.
                if let Some(voice) = tag.strip_prefix('v').filter(|v| v.starts_with([' ', '.'])) {
                    let who = voice.split_once(' ').map_or("", |(_, n)| n.trim());
                    if !who.is_empty() {
                        speaker = Some(who.to_string());
                    }
                }
                i += close + 1;
                continue;
            }
        }
        if c.c == '&' {
            let entity = ["&amp;", "&lt;", "&gt;", "&nbsp;"]
                .into_iter()
                .zip(['&', '<', '>', ' '])
                .find(|(e, _)| {
                    e.chars().count() <= text.len() - i
                        && e.chars().zip(&text[i..]).all(|(a, m)| a == m.c)
                });
            if let Some((e, decoded)) = entity {
                let n = e.chars().count();
                out.push(MappedChar {
                    c: decoded,
                    from: c.from,
                    to: text[i + n - 1].to,
                    verbatim: false,
                });
                i += n;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, speaker)
}

/// A line of a file: its 1-based number, the byte offset where it starts and its text (without
/// the line break).
type Line<'a> = (usize, usize, &'a str);

/// Splits text into blank-line separated blocks of lines.
fn blocks(text: &str) -> Vec<Vec<Line<'_>>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, (at, line)) in super::lines_at(text).enumerate() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push((i + 1, at, line.trim_end_matches('\r')));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A cue's text: its lines trimmed and joined with a space (standing for the line break and
/// the spaces around it), markup removed; with its file map.
fn cue_text(lines: &[Line<'_>]) -> (String, Origin, Option<String>) {
    let mut chars: Vec<MappedChar> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for &(_, at, line) in lines {
        let body = line.trim();
        let start = at + (line.len() - line.trim_start().len());
        if let Some(end) = prev_end {
            chars.push(MappedChar {
                c: ' ',
                from: end,
                to: start,
                verbatim: false,
            });
        }
        chars.extend(MappedChar::verbatim(body, start));
        prev_end = Some(start + body.len());
    }
    let (chars, speaker) = strip_tags(&chars);
    let (a, b) = (
        chars.iter().position(|m| !m.c.is_whitespace()),
        chars.iter().rposition(|m| !m.c.is_whitespace()),
    );
    let mut builder = Builder::default();
    if let (Some(a), Some(b)) = (a, b) {
        for &m in &chars[a..=b] {
            builder.push(m);
        }
    }
    let (text, origin) = builder.finish();
    (text, origin, speaker)
}

/// One cue: `lines` starts at its timing line (`block_line` is where the block starts, for a
/// block that has no timing line at all). `None` for a cue without text.
fn cue(
    name: &str,
    block_line: usize,
    lines: &[Line<'_>],
    example: &str,
) -> Result<Option<Segment>> {
    let Some(&(line_no, _, first)) = lines.first() else {
        return Err(Error::input(
            name,
            Some(block_line),
            "cue without a timing line",
        ));
    };
    if !first.contains("-->") {
        return Err(Error::input(
            name,
            Some(line_no),
            format!(
                "expected a timing line `{example}`, found `{}`",
                first.trim()
            ),
        ));
    }
    let (start, end) = timing(name, line_no, first)?;
    let (text, origin, speaker) = cue_text(&lines[1..]);
    Ok((!text.is_empty()).then_some(Segment {
        text,
        start_ms: Some(start),
        end_ms: Some(end),
        speaker,
        origin,
    }))
}

/// Keeps a cue, or skips a malformed one (strict: fails).
fn keep(
    cue: Result<Option<Segment>>,
    strict: bool,
    segments: &mut Vec<Segment>,
    skipped: &mut Vec<Skipped>,
) -> Result<()> {
    match cue {
        Ok(seg) => segments.extend(seg),
        Err(e) if strict => return Err(e),
        Err(e) => skipped.extend(Skipped::from_error(&e)),
    }
    Ok(())
}

type Cues = (Vec<Segment>, Vec<Skipped>);

fn non_empty(name: &str, segments: Vec<Segment>, skipped: Vec<Skipped>) -> Result<Cues> {
    if segments.is_empty() {
        return Err(match skipped.first() {
            Some(s) => Error::input(
                name,
                Some(s.line),
                format!(
                    "no readable cue ({} skipped; the first: {})",
                    skipped.len(),
                    s.reason
                ),
            ),
            None => Error::input(name, None, "no subtitle cues with text"),
        });
    }
    Ok((segments, skipped))
}

/// Parses SubRip subtitles: the cues, and the malformed cues skipped (strict: the first
/// malformed cue is the error).
pub(crate) fn parse_srt(name: &str, text: &str, strict: bool) -> Result<Cues> {
    let (mut segments, mut skipped) = (Vec::new(), Vec::new());
    for block in blocks(text) {
        let numbered = block[0].2.trim().bytes().all(|b| b.is_ascii_digit());
        let lines = if numbered { &block[1..] } else { &block[..] };
        let c = cue(name, block[0].0, lines, "00:00:01,000 --> 00:00:02,000");
        keep(c, strict, &mut segments, &mut skipped)?;
    }
    non_empty(name, segments, skipped)
}

/// Parses WebVTT subtitles (as [`parse_srt`]).
pub(crate) fn parse_vtt(name: &str, text: &str, strict: bool) -> Result<Cues> {
    let blocks = blocks(text);
    let Some(header) = blocks.first() else {
        return Err(Error::input(name, None, "empty file"));
    };
    if !header[0]
        .2
        .trim_start_matches('\u{feff}')
        .starts_with("WEBVTT")
    {
        return Err(Error::input(
            name,
            Some(header[0].0),
            "a WebVTT file starts with `WEBVTT`",
        ));
    }
    let (mut segments, mut skipped) = (Vec::new(), Vec::new());
    for block in &blocks[1..] {
        let first = block[0].2.trim();
        if first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION") {
            continue;
        }
        // An optional cue identifier precedes the timing line.
        let lines = if first.contains("-->") {
            &block[..]
        } else {
            &block[1..]
        };
        let c = cue(name, block[0].0, lines, "00:01.000 --> 00:02.000");
        keep(c, strict, &mut segments, &mut skipped)?;
    }
    non_empty(name, segments, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp("00:00:01,500"), Some(1500));
        assert_eq!(timestamp("01:02:03.004"), Some(3_723_004));
        assert_eq!(timestamp("02:03.4"), Some(123_400));
        assert_eq!(timestamp("00:61:00,000"), None);
        assert_eq!(timestamp("aa:00:00,000"), None);
    }

    #[test]
    fn voice_tags() {
        let line = "<v 主播>加我<i>薇信</i></v> &amp;";
        let (t, o, s) = cue_text(&[(1, 0, line)]);
        assert_eq!(t, "加我薇信 &");
        assert_eq!(s.as_deref(), Some("主播"));
        // 加我 is verbatim; 加我薇信 spans a tag, so its range holds the tag too.
        let (a, b) = o.file_span(0, 6).unwrap();
        assert_eq!(&line[a..b], "加我");
        let (a, b) = o.file_span(0, 12).unwrap();
        assert_eq!(&line[a..b], "加我<i>薇信");
        let (a, b) = o.file_span(13, 14).unwrap();
        assert_eq!(&line[a..b], "&amp;");
    }

    #[test]
    fn cue_lines_join_with_a_space_that_maps_to_the_line_break() {
        let file = "1\n00:00:01,000 --> 00:00:02,000\n  以后拿回来 \n  原价回收\n";
        let block = &blocks(file)[0];
        let (t, o, _) = cue_text(&block[2..]);
        assert_eq!(t, "以后拿回来 原价回收");
        let (a, b) = o.file_span(16, 28).unwrap();
        assert_eq!(&file[a..b], "原价回收");
        let (a, b) = o.file_span(6, 19).unwrap();
        assert_eq!(&file[a..b], "拿回来 \n  原");
    }
}
