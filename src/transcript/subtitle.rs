//! SubRip (SRT) and WebVTT subtitles.

use super::Segment;
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

/// Removes markup tags (`<i>`, `<font …>`, `<00:01.000>`) and returns the voice (`<v Name>`).
fn strip_tags(text: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(text.len());
    let mut speaker = None;
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => {
                let tag = &rest[open + 1..open + close];
                // <v Name> and <v.class Name> carry the speaker.
                if let Some(voice) = tag.strip_prefix('v').filter(|v| v.starts_with([' ', '.'])) {
                    let who = voice.split_once(' ').map_or("", |(_, n)| n.trim());
                    if !who.is_empty() {
                        speaker = Some(who.to_string());
                    }
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ");
    (out, speaker)
}

/// Splits text into blank-line separated blocks of (1-based line number, line).
fn blocks(text: &str) -> Vec<Vec<(usize, &str)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push((i + 1, line.trim_end_matches('\r')));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn cue_text(lines: &[(usize, &str)]) -> (String, Option<String>) {
    let joined = lines
        .iter()
        .map(|(_, l)| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    strip_tags(&joined)
}

/// One cue: `lines` starts at its timing line (`block_line` is where the block starts, for a
/// block that has no timing line at all). `None` for a cue without text.
fn cue(
    name: &str,
    block_line: usize,
    lines: &[(usize, &str)],
    example: &str,
) -> Result<Option<Segment>> {
    let Some(&(line_no, first)) = lines.first() else {
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
    let (text, speaker) = cue_text(&lines[1..]);
    Ok((!text.trim().is_empty()).then(|| Segment {
        text: text.trim().to_string(),
        start_ms: Some(start),
        end_ms: Some(end),
        speaker,
    }))
}

fn non_empty(name: &str, segments: Vec<Segment>) -> Result<Vec<Segment>> {
    if segments.is_empty() {
        return Err(Error::input(name, None, "no subtitle cues with text"));
    }
    Ok(segments)
}

/// Parses SubRip subtitles.
pub(crate) fn parse_srt(name: &str, text: &str) -> Result<Vec<Segment>> {
    let mut segments = Vec::new();
    for block in blocks(text) {
        let numbered = block[0].1.trim().bytes().all(|b| b.is_ascii_digit());
        let lines = if numbered { &block[1..] } else { &block[..] };
        segments.extend(cue(
            name,
            block[0].0,
            lines,
            "00:00:01,000 --> 00:00:02,000",
        )?);
    }
    non_empty(name, segments)
}

/// Parses WebVTT subtitles.
pub(crate) fn parse_vtt(name: &str, text: &str) -> Result<Vec<Segment>> {
    let blocks = blocks(text);
    let Some(header) = blocks.first() else {
        return Err(Error::input(name, None, "empty file"));
    };
    if !header[0]
        .1
        .trim_start_matches('\u{feff}')
        .starts_with("WEBVTT")
    {
        return Err(Error::input(
            name,
            Some(header[0].0),
            "a WebVTT file starts with `WEBVTT`",
        ));
    }
    let mut segments = Vec::new();
    for block in &blocks[1..] {
        let first = block[0].1.trim();
        if first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION") {
            continue;
        }
        // An optional cue identifier precedes the timing line.
        let lines = if first.contains("-->") {
            &block[..]
        } else {
            &block[1..]
        };
        segments.extend(cue(name, block[0].0, lines, "00:01.000 --> 00:02.000")?);
    }
    non_empty(name, segments)
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
        let (t, s) = strip_tags("<v 主播>加我<i>薇信</i></v>");
        assert_eq!(t, "加我薇信");
        assert_eq!(s.as_deref(), Some("主播"));
    }
}
