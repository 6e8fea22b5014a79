//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK (common in
//! Chinese tooling). Anything else is an error that says where the undecodable bytes are.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::error::{Error, Result};

/// The UTF-16 encoding a BOM announces, if any.
pub(crate) fn is_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => None,
    }
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// UTF-8 with each invalid sequence as U+FFFD, and how many there were.
fn utf8_lossy(bytes: &[u8]) -> (String, usize) {
    let mut out = String::with_capacity(bytes.len());
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push('\u{fffd}');
            replaced += 1;
        }
    }
    (out, replaced)
}

/// Decodes a whole file as [`decode`] does, except that bytes that are neither UTF-8 nor
/// GB18030 are decoded as U+FFFD (in UTF-8) and counted.
///
/// # Errors
///
/// [`Error::Input`] for a binary file (NUL bytes outside UTF-16).
///
/// ```
/// let (text, replaced) = huashu::transcript::decode_lossy("a.txt", b"ok \xff\xff\xfe\xff ok").unwrap();
/// assert_eq!((text.as_str(), replaced), ("ok \u{fffd}\u{fffd}\u{fffd}\u{fffd} ok", 4));
/// ```
pub fn decode_lossy(name: &str, bytes: &[u8]) -> Result<(String, usize)> {
    if let Some(enc) = is_utf16(bytes) {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        let replaced = if had_errors {
            text.matches('\u{fffd}').count()
        } else {
            0
        };
        return Ok((text.into_owned(), replaced));
    }
    match decode(name, bytes) {
        Ok(text) => Ok((text, 0)),
        Err(e) => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            if body.contains(&0) {
                return Err(e);
            }
            Ok(utf8_lossy(body))
        }
    }
}

/// The 1-based column (in characters) of byte `offset` in its line of `bytes`, counting the
/// valid UTF-8 before it.
fn column_of(bytes: &[u8], offset: usize) -> usize {
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    String::from_utf8_lossy(&bytes[start..offset])
        .chars()
        .count()
        + 1
}

/// Decodes a whole file.
///
/// # Errors
///
/// [`Error::Input`] for a binary file (NUL bytes outside UTF-16) and for bytes that are
/// neither UTF-8 nor GB18030, naming the line of the first bad byte.
///
/// ```
/// let gbk = [0xBC, 0xD3, 0xCE, 0xA2, 0xD0, 0xC5]; // 加微信 in GBK
/// assert_eq!(huashu::transcript::decode("a.txt", &gbk).unwrap(), "加微信");
/// assert!(huashu::transcript::decode("a.bin", &[0x00, 0x01, 0x02]).is_err());
/// ```
pub fn decode(name: &str, bytes: &[u8]) -> Result<String> {
    if let Some(enc) = is_utf16(bytes) {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(Error::input(
                name,
                None,
                format!("invalid {} text", enc.name()),
            ));
        }
        return Ok(text.into_owned());
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(nul) = body.iter().position(|&b| b == 0) {
        return Err(Error::input(
            name,
            Some(line_of(body, nul)),
            "binary file (NUL byte), not a transcript",
        ));
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_string()),
        Err(utf8) => match GB18030.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok(text.into_owned()),
            None => Err(Error::input_at(
                name,
                line_of(body, utf8.valid_up_to()),
                column_of(body, utf8.valid_up_to()),
                format!(
                    "invalid UTF-8 at byte {} and not GB18030/GBK either; convert the file to UTF-8 or read it lossily (U+FFFD for each bad sequence)",
                    utf8.valid_up_to()
                ),
            )),
        },
    }
}

/// Decodes the start of a file for format detection, rejecting binary content early. Bytes
/// cut off mid-character at the end are ignored.
pub(crate) fn sniff(name: &str, head: &[u8]) -> Result<String> {
    if let Some(enc) = is_utf16(head) {
        return Ok(enc.decode_with_bom_removal(head).0.into_owned());
    }
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    if let Some(nul) = head.iter().position(|&b| b == 0) {
        return Err(Error::input(
            name,
            Some(line_of(head, nul)),
            "binary file (NUL byte), not a transcript",
        ));
    }
    Ok(match std::str::from_utf8(head) {
        Ok(t) => t.to_string(),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned()
        }
        Err(_) => GB18030.decode(head).0.into_owned(),
    })
}

/// Decodes one line of a streamed file (JSON Lines): UTF-8, else GB18030, else (when
/// `lossy`) UTF-8 with U+FFFD for each invalid sequence; with how many were replaced.
pub(crate) fn decode_line(
    name: &str,
    line_no: usize,
    bytes: &[u8],
    lossy: bool,
) -> Result<(String, usize)> {
    // (a BOM starts the file only; decode drops it there too)
    let bytes = match line_no {
        1 => bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes),
        _ => bytes,
    };
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input_at(
            name,
            line_no,
            column_of(bytes, nul),
            "binary data (NUL byte), not a transcript",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok((t.to_string(), 0)),
        Err(utf8) => match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(t) => Ok((t.into_owned(), 0)),
            None if lossy => Ok(utf8_lossy(bytes)),
            None => Err(Error::input_at(
                name,
                line_no,
                column_of(bytes, utf8.valid_up_to()),
                "line is neither UTF-8 nor GB18030/GBK (read it lossily to go on)",
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode("a", "\u{feff}你好".as_bytes()).unwrap(), "你好");
        let (gbk, _, _) = GB18030.encode("原价回收");
        assert_eq!(decode("a", &gbk).unwrap(), "原价回收");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "回收".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode("a", &utf16).unwrap(), "回收");
        let e = decode("x.txt", b"ok\nstill ok\n\x00\x01")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("x.txt:3: binary"), "{e}");
        let e = decode("y.txt", b"line\n\xff\xff\xff\xff")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("y.txt:2:1: invalid UTF-8"), "{e}");
    }
}
