//! Transcripts: the segments a speech recognizer or subtitle file holds, with their times, and
//! readers for the formats people keep them in (plain text, SRT, WebVTT, JSON Lines, Whisper
//! JSON, FunASR/Paraformer JSON) in UTF-8 or GB18030/GBK.
//!
//! ```
//! use huashu::transcript::{Format, read_bytes};
//! let srt = "1\n00:00:01,000 --> 00:00:03,500\n以后不想要了拿回来\n\n2\n00:00:03,500 --> 00:00:06,000\n我们原价回收\n";
//! let transcripts: Vec<_> = read_bytes("demo.srt", srt.as_bytes(), None)?.collect::<Result<_, _>>()?;
//! let report = huashu::Analyzer::default_ref().analyze_transcript(&transcripts[0]);
//! let f = report.findings.iter().find(|f| f.tactic == "buyback_promise").unwrap();
//! assert_eq!(f.start_ms, Some(1000));
//! # Ok::<(), huashu::Error>(())
//! ```

mod decode;
mod json;
mod origin;
pub(crate) mod role;
mod subtitle;
mod time;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use decode::{decode, decode_lossy};
pub use origin::Origin;
pub use role::RoleMap;
pub use time::rfc3339_ms;

use crate::report::Report;

/// One stretch of speech: its text and, where known, when it was said and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Segment {
    /// What was said.
    pub text: String,
    /// When it starts, in milliseconds from the start of the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
    /// When it ends, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<u64>,
    /// Who said it, when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Where the text lies in the file it was read from (and when its tokens were said), when
    /// the reader knows: see [`Origin`]. Not serialized.
    #[serde(skip)]
    pub origin: Origin,
}

impl Segment {
    /// A segment with text only.
    pub fn new(text: impl Into<String>) -> Segment {
        Segment {
            text: text.into(),
            ..Segment::default()
        }
    }

    /// A segment with its start and end times in milliseconds.
    pub fn timed(text: impl Into<String>, start_ms: u64, end_ms: u64) -> Segment {
        Segment {
            text: text.into(),
            start_ms: Some(start_ms),
            end_ms: Some(end_ms),
            ..Segment::default()
        }
    }
}

/// A transcript: an id and its segments in order.
///
/// Analysis runs over the segments joined with `\n` (see [`Transcript::joined`]); the
/// normalizer treats the line break as a pause, so a script that runs across a subtitle boundary
/// is still found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Transcript {
    /// The transcript's id (the record's `id`, or the file name).
    pub id: String,
    /// Its segments, in order.
    pub segments: Vec<Segment>,
    /// What the source says about the stream (JSON Lines `room`, `streamer`, `start_time`).
    #[serde(default, skip_serializing_if = "StreamMeta::is_empty")]
    pub meta: StreamMeta,
    /// Malformed parts of the source that the reader skipped (a cue with a bad timestamp),
    /// each with its line; the rest was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// How many invalid byte sequences were decoded as U+FFFD ([`ReadOptions::lossy`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replaced: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A malformed part of a source that a reader skipped, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The 1-based line in the file.
    pub line: usize,
    /// The 1-based column (in characters), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// What was wrong with it.
    pub reason: String,
}

impl Skipped {
    fn from_error(e: &Error) -> Option<Skipped> {
        match e {
            Error::Input { location, reason } => Some(Skipped {
                line: location.line?,
                column: location.column,
                reason: reason.clone(),
            }),
            _ => None,
        }
    }
}

/// What a source says about the live stream a transcript comes from.
///
/// JSON Lines records set it from `room` (or `room_id`), `streamer` (or `anchor`, `host`) and
/// `start_time` (or `start_ms`: milliseconds since the Unix epoch, or an RFC 3339 time such as
/// `2026-12-02T20:00:00+08:00`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StreamMeta {
    /// The live room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// The streamer (host account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streamer: Option<String>,
    /// When the stream started, in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
}

impl StreamMeta {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.room.is_none() && self.streamer.is_none() && self.start_ms.is_none()
    }
}

/// How to read transcripts.
///
/// ```
/// use huashu::transcript::{ReadOptions, read_bytes_with};
/// let srt = "1\n00:00:01,000 --> 00:00:0x,000\n你好\n\n2\n00:00:02,000 --> 00:00:03,000\n原价回收\n";
/// // By default a malformed cue is skipped, with its line; the rest is read.
/// let t = read_bytes_with("a.srt", srt.as_bytes(), &ReadOptions::new())?.next().unwrap()?;
/// assert_eq!(t.segments.len(), 1);
/// assert_eq!(t.skipped[0].line, 2);
/// // Strict: the file fails.
/// assert!(read_bytes_with("a.srt", srt.as_bytes(), &ReadOptions::new().strict(true)).is_err());
/// # Ok::<(), huashu::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    format: Option<Format>,
    strict: bool,
    lossy: bool,
}

impl ReadOptions {
    /// Detect the format, skip malformed parts, refuse undecodable bytes.
    pub fn new() -> ReadOptions {
        ReadOptions::default()
    }

    /// The format (`None`: detect it from the name and content).
    pub fn format(mut self, format: Option<Format>) -> ReadOptions {
        self.format = format;
        self
    }

    /// Fail the whole file on its first malformed cue (subtitles) and stop a JSON Lines file at
    /// its first malformed record, instead of skipping them.
    pub fn strict(mut self, yes: bool) -> ReadOptions {
        self.strict = yes;
        self
    }

    /// Decode bytes that are neither UTF-8 nor GB18030 as U+FFFD (counted in
    /// [`Transcript::replaced`]) instead of refusing the file.
    pub fn lossy(mut self, yes: bool) -> ReadOptions {
        self.lossy = yes;
        self
    }
}

impl Transcript {
    /// A transcript of one untimed segment.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Transcript {
        Transcript {
            id: id.into(),
            segments: vec![Segment::new(text)],
            ..Transcript::default()
        }
    }

    /// The segments' text joined with `\n`: the text the report's offsets point into.
    pub fn joined(&self) -> String {
        let mut out = String::with_capacity(self.segments.iter().map(|s| s.text.len() + 1).sum());
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&s.text);
        }
        out
    }

    /// The byte offset in [`Transcript::joined`] where each segment starts.
    pub fn segment_starts(&self) -> Vec<usize> {
        let mut at = 0;
        self.segments
            .iter()
            .map(|s| {
                let start = at;
                at += s.text.len() + 1;
                start
            })
            .collect()
    }
}

impl Transcript {
    /// Sets each finding's role from the speaker labels of the segments it spans (see
    /// [`RoleMap`]; a role the text itself gave, a viewer's question, is kept), and neutralizes
    /// the scoring findings that lie wholly in viewers' segments ([`NeutralReason::Viewer`](crate::NeutralReason::Viewer),
    /// with an empty cue at the segment's start). Returns whether any finding was neutralized
    /// (the report must then be scored again).
    pub(crate) fn assign_roles(&self, findings: &mut [crate::Finding], roles: &RoleMap) -> bool {
        if self.segments.iter().all(|s| s.speaker.is_none()) {
            return false;
        }
        let starts = self.segment_starts();
        let labels: Vec<crate::Role> = self
            .segments
            .iter()
            .map(|s| roles.role(s.speaker.as_deref()))
            .collect();
        let segment_of = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
        let mut changed = false;
        for f in findings {
            let (first, last) = (
                segment_of(f.start),
                segment_of(f.end.saturating_sub(1).max(f.start)),
            );
            let spanned = role::combined(labels.get(first..=last).into_iter().flatten().copied());
            if f.role != crate::Role::Viewer && spanned != crate::Role::Unknown {
                f.role = spanned;
            }
            if spanned == crate::Role::Viewer && f.is_scoring() {
                let at = starts.get(first).copied().unwrap_or(0);
                f.neutralized = Some(crate::Neutralization {
                    reason: crate::NeutralReason::Viewer,
                    cue: String::new(),
                    start: at,
                    end: at,
                });
                changed = true;
            }
        }
        changed
    }
}

impl Transcript {
    /// Places a report of this transcript's joined text in the transcript: sets each
    /// finding's `segment` (where it starts), `segment_start`/`segment_end` (byte offsets in
    /// that segment's text; `segment_end` is clipped to the segment's end when the evidence
    /// runs on into the next), `file_start`/`file_end` (byte offsets in the decoded file,
    /// where the reader knows them: see [`Origin::file_span`]) and `start_ms`/`end_ms` (from
    /// token times where the reader has them, else from the segments' times).
    ///
    /// [`Analyzer::analyze_transcript`](crate::Analyzer::analyze_transcript) calls this.
    ///
    /// ```
    /// use huashu::transcript::read_bytes;
    /// let file = "1\n00:00:01,000 --> 00:00:04,000\n以后不想要了拿回来\n\n2\n00:00:04,000 --> 00:00:06,000\n  我们原价回收\n";
    /// let t = read_bytes("a.srt", file.as_bytes(), None)?.next().unwrap()?;
    /// let report = huashu::Analyzer::default_ref().analyze_transcript(&t);
    /// let f = report.findings.iter().find(|f| f.matched == "原价回收").unwrap();
    /// assert_eq!(f.segment, Some(1));
    /// assert_eq!(&t.segments[1].text[f.segment_start.unwrap()..f.segment_end.unwrap()], "原价回收");
    /// assert_eq!(&file[f.file_start.unwrap()..f.file_end.unwrap()], "原价回收");
    /// # Ok::<(), huashu::Error>(())
    /// ```
    pub fn locate(&self, report: &mut Report) {
        let starts = self.segment_starts();
        let segment_of = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
        for f in &mut report.findings {
            let (first, last) = (
                segment_of(f.start),
                segment_of(f.end.saturating_sub(1).max(f.start)),
            );
            let (Some(seg), Some(last_seg)) = (self.segments.get(first), self.segments.get(last))
            else {
                continue;
            };
            let (seg_start, last_start) = (starts[first], starts[last]);
            let in_seg = f.start.saturating_sub(seg_start).min(seg.text.len());
            let in_last = f.end.saturating_sub(last_start).min(last_seg.text.len());
            f.segment = Some(first);
            f.segment_start = Some(in_seg);
            f.segment_end = Some(if first == last {
                in_last.max(in_seg)
            } else {
                seg.text.len()
            });
            let (file_start, file_end) = if first == last {
                let span = seg.origin.file_span(in_seg, in_last);
                (span.map(|s| s.0), span.map(|s| s.1))
            } else {
                (
                    seg.origin.file_span(in_seg, in_seg).map(|s| s.0),
                    last_seg.origin.file_span(0, in_last).map(|s| s.1),
                )
            };
            (f.file_start, f.file_end) = match (file_start, file_end) {
                (Some(s), Some(e)) if s <= e => (Some(s), Some(e)),
                _ => (None, None),
            };
            let token_start = seg.origin.time_span(in_seg, seg.text.len()).map(|t| t.0);
            let token_end = last_seg
                .origin
                .time_span(if first == last { in_seg } else { 0 }, in_last)
                .map(|t| t.1);
            f.start_ms = token_start.or(seg.start_ms);
            f.end_ms = token_end.or(last_seg.end_ms);
        }
    }
}

/// The lines of `text` with the byte offset where each starts, without their line breaks
/// (`\n`, and a `\r` before it).
pub(crate) fn lines_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        let l = l.strip_suffix('\n').unwrap_or(l);
        (start, l.strip_suffix('\r').unwrap_or(l))
    })
}

/// A transcript file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: each non-empty line a segment.
    Txt,
    /// SubRip subtitles.
    Srt,
    /// WebVTT subtitles.
    Vtt,
    /// JSON Lines: `{"id", "text"}` or `{"id", "segments": [{"start_ms", "end_ms", "text",
    /// "speaker"}]}` per line.
    Jsonl,
    /// Whisper's JSON output: `segments` with `start`/`end` in seconds.
    Whisper,
    /// FunASR/Paraformer JSON: sentences with millisecond timestamps.
    Funasr,
}

impl Format {
    /// Every format, for help texts.
    pub const ALL: [Format; 6] = [
        Format::Txt,
        Format::Srt,
        Format::Vtt,
        Format::Jsonl,
        Format::Whisper,
        Format::Funasr,
    ];

    /// The format's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Srt => "srt",
            Format::Vtt => "vtt",
            Format::Jsonl => "jsonl",
            Format::Whisper => "whisper",
            Format::Funasr => "funasr",
        }
    }

    /// Detects the format from a file name and the start of its (decoded) content. The
    /// content wins where it is unambiguous (a `WEBVTT` header, an SRT timing line, JSON).
    ///
    /// ```
    /// use huashu::transcript::Format;
    /// assert_eq!(Format::detect("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\n你好"), Format::Vtt);
    /// assert_eq!(Format::detect("live.srt", "1\n00:00:01,000 --> 00:00:02,000\n你好"), Format::Srt);
    /// assert_eq!(Format::detect("rooms.jsonl", "{\"id\":\"a\",\"text\":\"你好\"}\n"), Format::Jsonl);
    /// assert_eq!(Format::detect("notes", "家人们好"), Format::Txt);
    /// ```
    pub fn detect(name: &str, head: &str) -> Format {
        let head = head.trim_start_matches('\u{feff}').trim_start();
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if head.starts_with("WEBVTT") {
            return Format::Vtt;
        }
        if head.starts_with('{') || head.starts_with('[') {
            let first_line = head.lines().next().unwrap_or("");
            let one_object_per_line = first_line.trim_end().ends_with('}')
                && serde_json::from_str::<serde_json::Value>(first_line).is_ok();
            if ext == "jsonl"
                || ext == "ndjson"
                || (one_object_per_line && head.lines().nth(1).is_some())
            {
                return Format::Jsonl;
            }
            if head.contains("sentence_info")
                || head.contains("\"sentences\"")
                || head.contains("\"key\"")
            {
                return Format::Funasr;
            }
            if head.contains("\"segments\"") && head.contains("\"start\"") {
                return Format::Whisper;
            }
            if one_object_per_line {
                return Format::Jsonl;
            }
            return match ext.as_str() {
                "json" if head.starts_with('[') => Format::Funasr,
                _ => Format::Whisper,
            };
        }
        match ext.as_str() {
            "srt" => Format::Srt,
            "vtt" => Format::Vtt,
            "jsonl" | "ndjson" => Format::Jsonl,
            _ if subtitle::looks_like_srt(head) => Format::Srt,
            _ => Format::Txt,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown input format `{s}` (expected auto, {})",
                    Format::ALL.map(Format::as_str).join(", ")
                )
            })
    }
}

/// The transcripts of one source, read lazily: JSON Lines are streamed record by record, so a
/// multi-gigabyte file never sits in memory; other formats are parsed whole (they are small).
///
/// Each item is a transcript or the error of one record; an error does not end the iteration.
pub type Records = Box<dyn Iterator<Item = Result<Transcript>> + Send>;

/// Reads the transcripts in a file. `format: None` detects it from the name and content.
/// Malformed cues and records are skipped ([`ReadOptions::new`]).
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read; [`Error::Input`] when it is empty, binary, not
/// decodable or (for whole-file formats) has nothing readable. Errors of single JSON Lines
/// records come from the iterator instead.
pub fn read_path(path: &Path, format: Option<Format>) -> Result<Records> {
    read_path_with(path, &ReadOptions::new().format(format))
}

/// Reads the transcripts in a file with `options`.
///
/// # Errors
///
/// As [`read_path`]; with [`ReadOptions::strict`], also for a malformed cue.
pub fn read_path_with(path: &Path, options: &ReadOptions) -> Result<Records> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_reader_with(&path.display().to_string(), file, options)
}

/// Reads the transcripts in a byte buffer named `name` (for messages and format detection).
///
/// # Errors
///
/// As [`read_path`].
pub fn read_bytes(name: &str, bytes: &[u8], format: Option<Format>) -> Result<Records> {
    read_bytes_with(name, bytes, &ReadOptions::new().format(format))
}

/// Reads the transcripts in a byte buffer with `options`.
///
/// # Errors
///
/// As [`read_path_with`].
pub fn read_bytes_with(name: &str, bytes: &[u8], options: &ReadOptions) -> Result<Records> {
    read_reader_with(name, std::io::Cursor::new(bytes.to_vec()), options)
}

/// Reads the transcripts from any reader (standard input, a socket), named `name`.
///
/// # Errors
///
/// As [`read_path`].
pub fn read_reader<R: Read + Send + 'static>(
    name: &str,
    reader: R,
    format: Option<Format>,
) -> Result<Records> {
    read_reader_with(name, reader, &ReadOptions::new().format(format))
}

/// Reads the transcripts from any reader with `options`.
///
/// # Errors
///
/// As [`read_path_with`].
pub fn read_reader_with<R: Read + Send + 'static>(
    name: &str,
    reader: R,
    options: &ReadOptions,
) -> Result<Records> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let io = |source| Error::Io {
        path: name.into(),
        source,
    };
    let head = reader.fill_buf().map_err(io)?.to_vec();
    if head.is_empty() {
        return Err(Error::input(name, None, "empty file"));
    }
    let head_text = decode::sniff(name, &head)?;
    let format = options
        .format
        .unwrap_or_else(|| Format::detect(name, &head_text));
    if format == Format::Jsonl && decode::is_utf16(&head).is_none() {
        return Ok(Box::new(json::JsonlRecords::new(
            name.to_string(),
            reader,
            *options,
        )));
    }
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(io)?;
    let (text, replaced) = if options.lossy {
        decode::decode_lossy(name, &bytes)?
    } else {
        (decode(name, &bytes)?, 0)
    };
    if text.trim().is_empty() {
        return Err(Error::input(name, None, "empty file (only whitespace)"));
    }
    let mut transcripts = parse_with(name, &text, format, options)?;
    if let Some(first) = transcripts.first_mut() {
        first.replaced = replaced;
    }
    Ok(Box::new(transcripts.into_iter().map(Ok)))
}

/// The id a file's transcript gets: its file name without directories.
fn file_id(name: &str) -> String {
    Path::new(name)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| name.to_string())
}

/// Parses a whole decoded document, skipping malformed cues and records (each listed in its
/// transcript's [`Transcript::skipped`]).
///
/// # Errors
///
/// [`Error::Input`] naming the file and line of what makes the document unreadable.
pub fn parse(name: &str, text: &str, format: Format) -> Result<Vec<Transcript>> {
    parse_with(name, text, format, &ReadOptions::new())
}

/// Parses a whole decoded document with `options` (the format given here wins over theirs).
///
/// # Errors
///
/// As [`parse`]; with [`ReadOptions::strict`], the first malformed part.
pub fn parse_with(
    name: &str,
    text: &str,
    format: Format,
    options: &ReadOptions,
) -> Result<Vec<Transcript>> {
    let full = text;
    let text = text.trim_start_matches('\u{feff}');
    let base = full.len() - text.len();
    let id = file_id(name);
    let mut transcripts = match format {
        Format::Txt => {
            let segments: Vec<Segment> = lines_at(text)
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(at, l)| {
                    let body = l.trim();
                    let at = at + (l.len() - l.trim_start().len());
                    let mut b = origin::Builder::default();
                    b.verbatim(body, at);
                    let (text, origin) = b.finish();
                    Segment {
                        text,
                        origin,
                        ..Segment::default()
                    }
                })
                .collect();
            if segments.is_empty() {
                return Err(Error::input(name, None, "no text"));
            }
            vec![Transcript {
                id,
                segments,
                ..Transcript::default()
            }]
        }
        Format::Srt | Format::Vtt => {
            let (segments, skipped) = if format == Format::Srt {
                subtitle::parse_srt(name, text, options.strict)?
            } else {
                subtitle::parse_vtt(name, text, options.strict)?
            };
            vec![Transcript {
                id,
                segments,
                skipped,
                ..Transcript::default()
            }]
        }
        Format::Whisper => vec![json::parse_whisper(name, &id, text)?],
        Format::Funasr => json::parse_funasr(name, &id, text)?,
        Format::Jsonl => {
            let records = json::JsonlRecords::new(
                name.to_string(),
                std::io::Cursor::new(text.as_bytes().to_vec()),
                *options,
            );
            let mut out = Vec::new();
            let mut skipped = Vec::new();
            for r in records {
                match r {
                    Ok(t) => out.push(t),
                    Err(e) if options.strict => return Err(e),
                    Err(e) => skipped.extend(Skipped::from_error(&e)),
                }
            }
            match out.first_mut() {
                Some(first) => first.skipped = skipped,
                None => {
                    return Err(Error::input(
                        name,
                        skipped.first().map(|s| s.line),
                        match skipped.first() {
                            Some(s) => format!("no readable record: {}", s.reason),
                            None => "no records".to_string(),
                        },
                    ));
                }
            }
            out
        }
    };
    if base > 0 {
        for seg in transcripts.iter_mut().flat_map(|t| &mut t.segments) {
            seg.origin.shift(base);
        }
    }
    Ok(transcripts)
}
