//! JSON transcripts: JSON Lines (streamed), Whisper output and FunASR/Paraformer output.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::Value;
use serde_json::value::RawValue;

use super::decode::decode_line;
use super::origin::json_string;
use super::{ReadOptions, Segment, StreamMeta, Transcript};
use crate::error::{Error, Result};

/// Streams a JSON Lines file record by record. Each line is `{"id", "text"}` or `{"id",
/// "segments": [{"start_ms", "end_ms", "text", "speaker"}]}`; a bad line is an error item
/// naming its line, and reading goes on with the next.
pub(crate) struct JsonlRecords<R> {
    name: String,
    reader: R,
    line_no: usize,
    /// Bytes of decoded text before the current line.
    offset: usize,
    buf: Vec<u8>,
    done: bool,
    options: ReadOptions,
}

impl<R: BufRead> JsonlRecords<R> {
    pub(crate) fn new(name: String, reader: R, options: ReadOptions) -> JsonlRecords<R> {
        JsonlRecords {
            options,
            name,
            reader,
            line_no: 0,
            offset: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonlRecords<R> {
    type Item = Result<Transcript>;

    fn next(&mut self) -> Option<Result<Transcript>> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::input(
                        &self.name,
                        Some(self.line_no + 1),
                        format!("read error: {e}"),
                    )));
                }
            }
            self.line_no += 1;
            let (line, replaced) =
                match decode_line(&self.name, self.line_no, &self.buf, self.options.lossy) {
                    Ok(l) => l,
                    Err(e) => {
                        // (what the line decodes to is unknown: count its bytes)
                        self.offset += self.buf.len();
                        self.done = self.options.strict;
                        return Some(Err(e));
                    }
                };
            let at = self.offset;
            self.offset += line.len();
            if line.trim().is_empty() {
                continue;
            }
            let item = record(&self.name, self.line_no, &line, at).map(|mut t| {
                t.replaced = replaced;
                t
            });
            self.done = self.options.strict && item.is_err();
            return Some(item);
        }
    }
}

/// The text of a serde_json error without its `at line L column C` (the caller names the
/// file's own line and column).
fn without_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// Where `inner` (a slice of `outer`) starts in `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

/// The file map of the JSON string `raw` (a slice of `line`, which starts at byte `at` of the
/// decoded file), when it decodes to `text`.
fn locate(line: &str, at: usize, raw: Option<&RawValue>, seg: &mut Segment) {
    let Some(raw) = raw else { return };
    let raw = raw.get();
    if let Some((text, origin)) = json_string(raw, at + offset_in(line, raw)) {
        if text == seg.text {
            seg.origin = origin;
        }
    }
}

fn record(name: &str, line_no: usize, line: &str, at: usize) -> Result<Transcript> {
    let err = |reason: String| Error::input(name, Some(line_no), reason);
    let body = line.trim();
    let value: Value = serde_json::from_str(body).map_err(|e| {
        // serde_json counts the bytes of this one line; the file's column counts characters.
        let lead = line.len() - line.trim_start().len();
        let byte = (lead + e.column()).min(line.len());
        Error::input_at(
            name,
            line_no,
            char_column(line, byte),
            format!("not JSON: {}", without_position(&e)),
        )
    })?;
    let Value::Object(obj) = value else {
        return Err(err("a record must be a JSON object".into()));
    };
    let raw: BTreeMap<String, &RawValue> = serde_json::from_str(body).unwrap_or_default();
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => format!("{}#{line_no}", super::file_id(name)),
        Some(other) => return Err(err(format!("`id` must be a string or number, not {other}"))),
    };
    let segments = match (obj.get("segments"), obj.get("text")) {
        (Some(Value::Array(segs)), _) if !segs.is_empty() => {
            let raws: Vec<&RawValue> = raw
                .get("segments")
                .and_then(|r| serde_json::from_str(r.get()).ok())
                .unwrap_or_default();
            segs.iter()
                .enumerate()
                .map(|(i, s)| {
                    let mut seg = segment(s, "start_ms", "end_ms", 1.0)
                        .map_err(|e| err(format!("segment {i}: {e}")))?;
                    let fields: Option<BTreeMap<String, &RawValue>> =
                        raws.get(i).and_then(|r| serde_json::from_str(r.get()).ok());
                    locate(
                        line,
                        at,
                        fields.as_ref().and_then(|f| f.get("text").copied()),
                        &mut seg,
                    );
                    Ok(seg)
                })
                .collect::<Result<Vec<_>>>()?
        }
        (_, Some(Value::String(text))) => {
            let mut seg = Segment::new(text.clone());
            locate(line, at, raw.get("text").copied(), &mut seg);
            vec![seg]
        }
        (Some(_), _) => {
            return Err(err(format!(
                "record `{id}`: `segments` must be a non-empty array"
            )));
        }
        (None, Some(_)) => return Err(err(format!("record `{id}`: `text` must be a string"))),
        (None, None) => return Err(err(format!("record `{id}` has no `text` or `segments`"))),
    };
    if segments.iter().all(|s| s.text.trim().is_empty()) {
        return Err(err(format!("record `{id}` has empty text")));
    }
    let meta = stream_meta(&obj).map_err(|e| err(format!("record `{id}`: {e}")))?;
    Ok(Transcript {
        id,
        segments,
        meta,
        ..Transcript::default()
    })
}

/// A record's `room`, `streamer` and `start_time` (see [`StreamMeta`]).
fn stream_meta(obj: &serde_json::Map<String, Value>) -> std::result::Result<StreamMeta, String> {
    let text = |keys: &[&str]| -> std::result::Result<Option<String>, String> {
        match keys.iter().find_map(|k| obj.get(*k).map(|v| (k, v))) {
            None | Some((_, Value::Null)) => Ok(None),
            Some((_, Value::String(s))) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            Some((_, Value::Number(n))) => Ok(Some(n.to_string())),
            Some((k, other)) => Err(format!("`{k}` must be a string, not {other}")),
        }
    };
    let start_ms = match ["start_time", "start_ms", "started_at"]
        .iter()
        .find_map(|k| obj.get(*k).map(|v| (k, v)))
    {
        None | Some((_, Value::Null)) => None,
        Some((_, Value::Number(n))) if n.as_i64().is_some() => n.as_i64(),
        Some((_, Value::String(s))) => Some(match s.trim().parse::<i64>() {
            Ok(ms) => ms,
            Err(_) => super::time::rfc3339_ms(s.trim()).ok_or_else(|| {
                format!("`start_time` `{s}` is neither epoch milliseconds nor an RFC 3339 time (2026-12-02T20:00:00+08:00)")
            })?,
        }),
        Some((k, other)) => return Err(format!("`{k}` must be epoch milliseconds or an RFC 3339 time, not {other}")),
    };
    Ok(StreamMeta {
        room: text(&["room", "room_id"])?,
        streamer: text(&["streamer", "anchor", "host"])?,
        start_ms,
    })
}

/// Reads a segment object with text, times under `start`/`end` keys (scaled to ms by `scale`)
/// and an optional speaker.
fn segment(v: &Value, start: &str, end: &str, scale: f64) -> std::result::Result<Segment, String> {
    let Value::Object(o) = v else {
        return Err("a segment must be an object".into());
    };
    let text = match o.get("text") {
        Some(Value::String(t)) => t.clone(),
        _ => return Err("a segment needs a `text` string".into()),
    };
    let time = |key: &str| -> std::result::Result<Option<u64>, String> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x >= 0.0 && x.is_finite() => Ok(Some((x * scale).round() as u64)),
                _ => Err(format!("`{key}` must be a non-negative number")),
            },
            Some(other) => Err(format!("`{key}` must be a number, not {other}")),
        }
    };
    let (start_ms, end_ms) = (time(start)?, time(end)?);
    if let (Some(s), Some(e)) = (start_ms, end_ms) {
        if e < s {
            return Err(format!("ends ({e} ms) before it starts ({s} ms)"));
        }
    }
    let speaker = match o.get("speaker").or_else(|| o.get("spk")) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Ok(Segment {
        text,
        start_ms,
        end_ms,
        speaker,
        ..Segment::default()
    })
}

/// The 1-based column, in characters, of byte offset `byte` of `line` (serde_json counts bytes;
/// a file's columns count characters).
fn char_column(line: &str, byte: usize) -> usize {
    line.char_indices()
        .take_while(|(i, _)| *i < byte)
        .count()
        .max(1)
}

fn parse_value(name: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        let byte = e.column().min(line.len());
        Error::input_at(
            name,
            e.line().max(1),
            char_column(line, byte),
            format!("not valid JSON: {}", without_position(&e)),
        )
    })
}

/// Whisper's output: `{"text", "segments": [{"start", "end", "text"}]}` with seconds.
pub(crate) fn parse_whisper(name: &str, id: &str, text: &str) -> Result<Transcript> {
    let v = parse_value(name, text)?;
    let segments = match v.get("segments") {
        Some(Value::Array(segs)) if !segs.is_empty() => segs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                segment(s, "start", "end", 1000.0)
                    .map_err(|e| Error::input(name, None, format!("segment {i}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?,
        _ => match v.get("text") {
            Some(Value::String(t)) if !t.trim().is_empty() => vec![Segment::new(t.clone())],
            _ => {
                return Err(Error::input(
                    name,
                    None,
                    "Whisper JSON needs `segments` or `text`",
                ));
            }
        },
    };
    Ok(Transcript {
        id: id.to_string(),
        segments,
        ..Transcript::default()
    })
}

/// FunASR/Paraformer output: an object or an array of objects, each with `sentence_info` (or
/// `sentences`) holding `{"text", "start", "end", "spk"}` in milliseconds, or only `text`.
pub(crate) fn parse_funasr(name: &str, id: &str, text: &str) -> Result<Vec<Transcript>> {
    let v = parse_value(name, text)?;
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![&v],
        _ => {
            return Err(Error::input(
                name,
                None,
                "FunASR JSON must be an object or an array of objects",
            ));
        }
    };
    if items.is_empty() {
        return Err(Error::input(name, None, "empty FunASR result array"));
    }
    let many = items.len() > 1;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let item_id = match item.get("key") {
                Some(Value::String(k)) => k.clone(),
                _ if many => format!("{id}#{i}"),
                _ => id.to_string(),
            };
            let sentences = item.get("sentence_info").or_else(|| item.get("sentences"));
            let segments = match sentences {
                Some(Value::Array(s)) if !s.is_empty() => s
                    .iter()
                    .enumerate()
                    .map(|(j, s)| {
                        segment(s, "start", "end", 1.0).map_err(|e| {
                            Error::input(name, None, format!("result {i}, sentence {j}: {e}"))
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                _ => match item.get("text") {
                    Some(Value::String(t)) if !t.trim().is_empty() => match item.get("timestamp") {
                        Some(ts) => funasr_timed(t, ts).map_err(|e| {
                            Error::input(name, None, format!("result {i}: `timestamp`: {e}"))
                        })?,
                        None => vec![Segment::new(t.clone())],
                    },
                    _ => {
                        return Err(Error::input(
                            name,
                            None,
                            format!("result {i} has no `sentence_info`, `sentences` or `text`"),
                        ));
                    }
                },
            };
            Ok(Transcript {
                id: item_id,
                segments,
                ..Transcript::default()
            })
        })
        .collect()
}

/// Where each token of FunASR text is: a CJK character, or a run of ASCII letters and digits
/// (a word); punctuation and spaces carry no timestamp.
fn funasr_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphanumeric() || c == '\'' {
            word.get_or_insert(i);
            continue;
        }
        if let Some(w) = word.take() {
            out.push((w, i - w));
        }
        if c.is_alphanumeric() {
            out.push((i, c.len_utf8()));
        }
    }
    if let Some(w) = word {
        out.push((w, text.len() - w));
    }
    out
}

/// A FunASR result with only `text` and a per-token `timestamp` array (`[[start_ms, end_ms],
/// …]`): sentences (split after 。！？；!?;) timed from their tokens, each token's time kept
/// so that findings get the times of their own characters. When the tokens and timestamps do
/// not pair up one to one, one segment spanning the first to the last timestamp.
fn funasr_timed(text: &str, ts: &Value) -> std::result::Result<Vec<Segment>, String> {
    let Value::Array(pairs) = ts else {
        return Err("must be an array of [start_ms, end_ms] pairs".into());
    };
    let times: Vec<(u64, u64)> = pairs
        .iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([a, b]) => match (a.as_f64(), b.as_f64()) {
                (Some(a), Some(b)) if a >= 0.0 && b >= a && b.is_finite() => {
                    Ok((a.round() as u64, b.round() as u64))
                }
                _ => Err(format!("bad pair {p}")),
            },
            _ => Err(format!("expected [start_ms, end_ms], found {p}")),
        })
        .collect::<std::result::Result<_, _>>()?;
    let (Some(first), Some(last)) = (times.first(), times.last()) else {
        return Ok(vec![Segment::new(text.to_string())]);
    };
    let tokens = funasr_tokens(text);
    if tokens.len() != times.len() {
        return Ok(vec![Segment::timed(
            text.trim(),
            first.0,
            last.1.max(first.0),
        )]);
    }
    let mut segments = Vec::new();
    let mut sentence_start = 0;
    let mut ends: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    ends.push(text.len());
    let mut k = 0; // the next token
    for end in ends {
        if end <= sentence_start {
            continue;
        }
        let raw = &text[sentence_start..end];
        let lead = raw.len() - raw.trim_start().len();
        let body = raw.trim();
        let body_start = sentence_start + lead;
        sentence_start = end;
        if body.is_empty() {
            continue;
        }
        let mut own = Vec::new();
        while k < tokens.len() && tokens[k].0 < end {
            let (at, len) = tokens[k];
            own.push((at - body_start, len, times[k].0, times[k].1));
            k += 1;
        }
        let mut seg = Segment::new(body.to_string());
        if let (Some(a), Some(b)) = (own.first(), own.last()) {
            seg.start_ms = Some(a.2);
            seg.end_ms = Some(b.3.max(a.2));
        }
        seg.origin.set_tokens(own);
        segments.push(seg);
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funasr_character_timestamps() {
        let text = "宝子们 OK。我们原价回收！";
        let ts: Value = serde_json::from_str(
            "[[0,100],[100,200],[200,300],[300,500],[900,1000],[1000,1100],[1100,1200],[1200,1300],[1300,1400],[1400,1500]]",
        )
        .unwrap();
        let segs = funasr_timed(text, &ts).unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].text, "宝子们 OK。");
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (Some(0), Some(500)));
        assert_eq!((segs[1].start_ms, segs[1].end_ms), (Some(900), Some(1500)));
        // 原价回收 is bytes 6..18 of the second sentence: tokens 3..6.
        assert_eq!(segs[1].origin.time_span(6, 18), Some((1100, 1500)));
        // Mismatched counts: one segment from the first to the last time.
        let short: Value = serde_json::from_str("[[10,20],[30,40]]").unwrap();
        let segs = funasr_timed(text, &short).unwrap();
        assert_eq!(
            (segs.len(), segs[0].start_ms, segs[0].end_ms),
            (1, Some(10), Some(40))
        );
        assert!(funasr_timed(text, &serde_json::json!([[5, 1]])).is_err());
    }
}
