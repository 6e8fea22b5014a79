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
mod subtitle;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use decode::decode;

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
            speaker: None,
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
}

impl Transcript {
    /// A transcript of one untimed segment.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Transcript {
        Transcript {
            id: id.into(),
            segments: vec![Segment::new(text)],
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
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read; [`Error::Input`] when it is empty, binary, not
/// decodable or (for whole-file formats) malformed. Errors of single JSON Lines records come
/// from the iterator instead.
pub fn read_path(path: &Path, format: Option<Format>) -> Result<Records> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_reader(&path.display().to_string(), file, format)
}

/// Reads the transcripts in a byte buffer named `name` (for messages and format detection).
///
/// # Errors
///
/// As [`read_path`].
pub fn read_bytes(name: &str, bytes: &[u8], format: Option<Format>) -> Result<Records> {
    read_reader(name, std::io::Cursor::new(bytes.to_vec()), format)
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
    let format = format.unwrap_or_else(|| Format::detect(name, &head_text));
    if format == Format::Jsonl && decode::is_utf16(&head).is_none() {
        return Ok(Box::new(json::JsonlRecords::new(name.to_string(), reader)));
    }
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(io)?;
    let text = decode(name, &bytes)?;
    if text.trim().is_empty() {
        return Err(Error::input(name, None, "empty file (only whitespace)"));
    }
    let transcripts = parse(name, &text, format)?;
    Ok(Box::new(transcripts.into_iter().map(Ok)))
}

/// The id a file's transcript gets: its file name without directories.
fn file_id(name: &str) -> String {
    Path::new(name)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| name.to_string())
}

/// Parses a whole decoded document.
///
/// # Errors
///
/// [`Error::Input`] naming the file and line of the first malformed part.
pub fn parse(name: &str, text: &str, format: Format) -> Result<Vec<Transcript>> {
    let text = text.trim_start_matches('\u{feff}');
    let id = file_id(name);
    Ok(match format {
        Format::Txt => {
            let segments: Vec<Segment> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(Segment::new)
                .collect();
            if segments.is_empty() {
                return Err(Error::input(name, None, "no text"));
            }
            vec![Transcript { id, segments }]
        }
        Format::Srt => vec![Transcript {
            id,
            segments: subtitle::parse_srt(name, text)?,
        }],
        Format::Vtt => vec![Transcript {
            id,
            segments: subtitle::parse_vtt(name, text)?,
        }],
        Format::Whisper => vec![json::parse_whisper(name, &id, text)?],
        Format::Funasr => json::parse_funasr(name, &id, text)?,
        Format::Jsonl => {
            let records = json::JsonlRecords::new(
                name.to_string(),
                std::io::Cursor::new(text.as_bytes().to_vec()),
            );
            let mut out = Vec::new();
            for r in records {
                out.push(r?);
            }
            out
        }
    })
}
