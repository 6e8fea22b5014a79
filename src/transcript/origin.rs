//! Where a segment's text came from: for each stretch of the segment's text, the byte range of
//! the decoded file it was read from, and (for speech-recognition output with per-character
//! timestamps) when each token was said.

/// One stretch of a segment's text and its source in the decoded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Byte offset in the segment's text.
    seg: usize,
    /// Its length in the segment's text.
    seg_len: usize,
    /// Byte offset in the decoded file.
    file: usize,
    /// Its length in the file.
    file_len: usize,
    /// Whether the file holds exactly this text (not an escape, an entity or a line break
    /// read as a space).
    verbatim: bool,
}

/// A token's time (a character or word of speech-recognition output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    seg: usize,
    seg_len: usize,
    start_ms: u64,
    end_ms: u64,
}

/// Where a [`Segment`](super::Segment)'s text lies in the decoded file it was read from, and
/// when its tokens were said, when the reader knows.
///
/// Readers of text, SRT, WebVTT and JSON Lines set the file map; FunASR results with
/// per-character `timestamp` arrays set the token times. A segment made in code has neither.
/// It is not serialized, and it takes no part in equality: two segments are equal when they
/// say the same thing at the same time.
///
/// ```
/// use huashu::transcript::read_bytes;
/// let file = "  开场白\n\n  我们原价回收  \n";
/// let t = read_bytes("a.txt", file.as_bytes(), None)?.next().unwrap()?;
/// let seg = &t.segments[1];
/// assert_eq!(seg.text, "我们原价回收");
/// let (s, e) = seg.origin.file_span(6, 18).unwrap(); // 原价回收 in the segment
/// assert_eq!(&file[s..e], "原价回收");
/// # Ok::<(), huashu::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pieces: Vec<Piece>,
    tokens: Vec<Token>,
}

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
    }
}

impl Eq for Origin {}

impl Origin {
    /// Whether the file map is known.
    pub fn has_file_map(&self) -> bool {
        !self.pieces.is_empty()
    }

    /// Whether token times are known.
    pub fn has_token_times(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// The byte range of the decoded file that holds the segment text `start..end` (byte
    /// offsets in the segment's text), or `None` when the file map is not known.
    ///
    /// Where the segment's text is the file's text (a plain-text line, a subtitle line, an
    /// unescaped JSON string) the range slices the file to exactly that text. Where the reader
    /// changed it — a JSON escape (`\n`, `\u539f`), an HTML entity or a markup tag in a
    /// subtitle, the line break between two lines of one cue (read as a space) — the range
    /// covers what the file has in its place: the escape, entity or line break whole.
    pub fn file_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let last = self.pieces.last()?;
        let text_len = last.seg + last.seg_len;
        let (start, end) = (
            start.min(text_len),
            end.min(text_len).max(start.min(text_len)),
        );
        let at = |byte: usize| {
            let i = self
                .pieces
                .partition_point(|p| p.seg + p.seg_len <= byte)
                .min(self.pieces.len() - 1);
            self.pieces[i]
        };
        let file_start = if start >= text_len {
            last.file + last.file_len
        } else {
            let p = at(start);
            if p.verbatim {
                p.file + (start - p.seg)
            } else {
                p.file
            }
        };
        let file_end = if end == start {
            file_start
        } else {
            let p = at(end - 1);
            if p.verbatim {
                p.file + (end - p.seg)
            } else {
                p.file + p.file_len
            }
        };
        Some((file_start, file_end.max(file_start)))
    }

    /// When the segment text `start..end` was said, from the token times: from the start of
    /// the first token that ends after `start` to the end of the last token that starts before
    /// `end`. `None` without token times or when no token lies in the range.
    pub fn time_span(&self, start: usize, end: usize) -> Option<(u64, u64)> {
        let i = self.tokens.partition_point(|t| t.seg + t.seg_len <= start);
        let j = self.tokens.partition_point(|t| t.seg < end.max(start + 1));
        if i >= j {
            return None;
        }
        Some((
            self.tokens[i].start_ms,
            self.tokens[j - 1].end_ms.max(self.tokens[i].start_ms),
        ))
    }

    /// Shifts the file offsets by `by` bytes (a document parsed after a prefix was removed).
    pub(crate) fn shift(&mut self, by: usize) {
        for p in &mut self.pieces {
            p.file += by;
        }
    }

    pub(crate) fn set_tokens(
        &mut self,
        tokens: impl IntoIterator<Item = (usize, usize, u64, u64)>,
    ) {
        self.tokens = tokens
            .into_iter()
            .map(|(seg, seg_len, start_ms, end_ms)| Token {
                seg,
                seg_len,
                start_ms,
                end_ms,
            })
            .collect();
    }
}

/// A character of a segment's text and the file bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MappedChar {
    pub(crate) c: char,
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) verbatim: bool,
}

impl MappedChar {
    /// The characters of `s`, found at byte `at` of the file.
    pub(crate) fn verbatim(s: &str, at: usize) -> impl Iterator<Item = MappedChar> + '_ {
        s.char_indices().map(move |(i, c)| MappedChar {
            c,
            from: at + i,
            to: at + i + c.len_utf8(),
            verbatim: true,
        })
    }
}

/// Builds a segment's text and its file map.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    text: String,
    pieces: Vec<Piece>,
}

impl Builder {
    /// Appends `s`, which the file holds verbatim at byte `file`.
    pub(crate) fn verbatim(&mut self, s: &str, file: usize) {
        if s.is_empty() {
            return;
        }
        let seg = self.text.len();
        self.text.push_str(s);
        if let Some(p) = self.pieces.last_mut() {
            if p.verbatim && p.file + p.file_len == file && p.seg + p.seg_len == seg {
                p.seg_len += s.len();
                p.file_len += s.len();
                return;
            }
        }
        self.pieces.push(Piece {
            seg,
            seg_len: s.len(),
            file,
            file_len: s.len(),
            verbatim: true,
        });
    }

    /// Appends `s`, which the file has as `file..file + file_len` in another form.
    pub(crate) fn changed(&mut self, s: &str, file: usize, file_len: usize) {
        if s.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            seg: self.text.len(),
            seg_len: s.len(),
            file,
            file_len,
            verbatim: false,
        });
        self.text.push_str(s);
    }

    pub(crate) fn push(&mut self, c: MappedChar) {
        let mut buf = [0u8; 4];
        let s = c.c.encode_utf8(&mut buf);
        if c.verbatim {
            self.verbatim(s, c.from);
        } else {
            self.changed(s, c.from, c.to - c.from);
        }
    }

    pub(crate) fn finish(self) -> (String, Origin) {
        (
            self.text,
            Origin {
                pieces: self.pieces,
                tokens: Vec::new(),
            },
        )
    }
}

/// Decodes a JSON string literal (`"…"` with its quotes) found at byte `at` of the file.
/// `None` when it is not a valid string literal.
pub(crate) fn json_string(raw: &str, at: usize) -> Option<(String, Origin)> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let base = at + 1;
    let bytes = inner.as_bytes();
    let mut b = Builder::default();
    let mut i = 0;
    let mut run = 0;
    let hex4 = |i: usize| -> Option<u32> {
        let h = inner.get(i..i + 4)?;
        u32::from_str_radix(h, 16).ok()
    };
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        b.verbatim(&inner[run..i], base + run);
        let (c, len) = match *bytes.get(i + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = hex4(i + 2)?;
                if (0xD800..0xDC00).contains(&hi) && inner.get(i + 6..i + 8) == Some("\\u") {
                    let lo = hex4(i + 8)?;
                    if (0xDC00..0xE000).contains(&lo) {
                        let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?;
                        (c, 12)
                    } else {
                        ('\u{fffd}', 6)
                    }
                } else {
                    (char::from_u32(hi).unwrap_or('\u{fffd}'), 6)
                }
            }
            _ => return None,
        };
        let mut buf = [0u8; 4];
        b.changed(c.encode_utf8(&mut buf), base + i, len);
        i += len;
        run = i;
    }
    b.verbatim(&inner[run..], base + run);
    Some(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_map_escapes_whole() {
        let raw = r#""原价\n回收\u539f价""#;
        let (text, o) = json_string(raw, 10).unwrap();
        assert_eq!(text, "原价\n回收原价");
        assert_eq!(serde_json::from_str::<String>(raw).unwrap(), text);
        // 原价 is verbatim: the file at 10 + 1.
        let (s, e) = o.file_span(0, 6).unwrap();
        assert_eq!((s - 10, e - 10), (1, 7));
        assert_eq!(&raw[s - 10..e - 10], "原价");
        // 原 from \u539f: the escape whole.
        let at = "原价\n回收".len();
        let (s, e) = o.file_span(at, at + 3).unwrap();
        assert_eq!(&raw[s - 10..e - 10], "\\u539f");
        // A range across escapes decodes (as a JSON string) to the text.
        let (s, e) = o.file_span(3, at + 6).unwrap();
        let slice = &raw[s - 10..e - 10];
        assert_eq!(
            serde_json::from_str::<String>(&format!("\"{slice}\"")).unwrap(),
            &text[3..at + 6]
        );
    }

    #[test]
    fn surrogate_pairs_and_bad_escapes() {
        let (text, o) = json_string(r#""a\ud83d\ude00b""#, 0).unwrap();
        assert_eq!(text, "a😀b");
        assert_eq!(o.file_span(1, 5), Some((2, 14)));
        assert!(json_string(r#""a\qb""#, 0).is_none());
        assert!(json_string("no quotes", 0).is_none());
    }

    #[test]
    fn token_times() {
        let mut o = Origin::default();
        // 你(0..3) 好(3..6) ，(no token) 吗(9..12)
        o.set_tokens([(0, 3, 100, 200), (3, 3, 200, 300), (9, 3, 500, 600)]);
        assert_eq!(o.time_span(0, 6), Some((100, 300)));
        assert_eq!(o.time_span(3, 12), Some((200, 600)));
        assert_eq!(o.time_span(6, 9), None);
        assert_eq!(o.time_span(6, 12), Some((500, 600)));
    }
}
