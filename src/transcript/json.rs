//! JSON transcripts: JSON Lines (streamed), Whisper output and FunASR/Paraformer output.

use std::io::BufRead;

use serde_json::Value;

use super::decode::decode_line;
use super::{Segment, Transcript};
use crate::error::{Error, Result};

/// Streams a JSON Lines file record by record. Each line is `{"id", "text"}` or `{"id",
/// "segments": [{"start_ms", "end_ms", "text", "speaker"}]}`; a bad line is an error item
/// naming its line, and reading goes on with the next.
pub(crate) struct JsonlRecords<R> {
    name: String,
    reader: R,
    line_no: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlRecords<R> {
    pub(crate) fn new(name: String, reader: R) -> JsonlRecords<R> {
        JsonlRecords {
            name,
            reader,
            line_no: 0,
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
            let line = match decode_line(&self.name, self.line_no, &self.buf) {
                Ok(l) => l,
                Err(e) => return Some(Err(e)),
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some(record(&self.name, self.line_no, &line));
        }
    }
}

fn record(name: &str, line_no: usize, line: &str) -> Result<Transcript> {
    let err = |reason: String| Error::input(name, Some(line_no), reason);
    let value: Value =
        serde_json::from_str(line.trim()).map_err(|e| err(format!("not JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(err("a record must be a JSON object".into()));
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => format!("{}#{line_no}", super::file_id(name)),
        Some(other) => return Err(err(format!("`id` must be a string or number, not {other}"))),
    };
    let segments = match (obj.get("segments"), obj.get("text")) {
        (Some(Value::Array(segs)), _) if !segs.is_empty() => segs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                segment(s, "start_ms", "end_ms", 1.0).map_err(|e| err(format!("segment {i}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?,
        (_, Some(Value::String(text))) => vec![Segment::new(text.clone())],
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
    Ok(Transcript { id, segments })
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
    })
}

fn parse_value(name: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| Error::input(name, Some(e.line()), format!("not valid JSON: {e}")))
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
                    Some(Value::String(t)) if !t.trim().is_empty() => vec![Segment::new(t.clone())],
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
            })
        })
        .collect()
}
