//! Evidence you can find again: for random transcripts written in every format that places
//! segment text in the file (plain text, SRT, WebVTT, JSON Lines), each finding's
//! `file_start..file_end` slices the decoded file to its `matched` text — exactly where the file
//! holds the text verbatim, and otherwise to what the file has in its place (a JSON escape, a
//! subtitle tag or entity, the line break between two lines of a cue), which reads back to
//! `matched`. `segment_start..segment_end` slices the segment's text.

use huashu::Analyzer;
use huashu::Finding;
use huashu::transcript::{Format, Transcript, decode, read_bytes};
use proptest::prelude::*;

const EVIDENCE: &[&str] = &[
    "原价回收",
    "只高不低",
    "以后不想要了拿回来",
    "加我薇信",
    "私下转账",
    "最后三单",
    "稳赚不赔",
    "高仿",
    "根治糖尿病",
];
const FILLER: &[&str] = &[
    "家人们晚上好",
    "看一下这个颜色",
    "今天天气不错",
    "我们",
    "，",
    "。",
    "宝子们",
    "A&B",
    "\"引号\"",
    "a\\b",
    "😀",
];

/// One generated file: its bytes and how it was written.
#[derive(Debug, Clone)]
struct Case {
    format: Format,
    /// Segments as (text lines; a cue may have several lines).
    segments: Vec<Vec<String>>,
    crlf: bool,
    bom: bool,
    pad: Vec<usize>,
    /// JSON: escape every non-ASCII character (`ensure_ascii`).
    ascii: bool,
    /// JSON: records with `segments` rather than `text`.
    segmented: bool,
    /// Subtitles: wrap some lines in `<i>…</i>`.
    tags: bool,
}

fn line_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(EVIDENCE).prop_map(str::to_string),
            prop::sample::select(FILLER).prop_map(str::to_string),
        ],
        1..5,
    )
    .prop_map(|p| p.concat())
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec![Format::Txt, Format::Srt, Format::Vtt, Format::Jsonl]),
        prop::collection::vec(prop::collection::vec(line_strategy(), 1..3), 1..6),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(0usize..3, 12),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(format, segments, crlf, bom, pad, ascii, segmented, tags)| Case {
                format,
                segments,
                crlf,
                bom,
                pad,
                ascii,
                segmented,
                tags,
            },
        )
}

fn json_str(s: &str, ascii: bool) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if ascii && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn clock(ms: u64, comma: bool) -> String {
    let s = ms / 1000;
    format!(
        "{:02}:{:02}:{:02}{}{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        if comma { ',' } else { '.' },
        ms % 1000
    )
}

impl Case {
    fn pad(&self, i: usize) -> String {
        " ".repeat(self.pad[i % self.pad.len()])
    }

    fn render(&self) -> Vec<u8> {
        let mut out = String::new();
        match self.format {
            Format::Txt => {
                for (i, seg) in self.segments.iter().enumerate() {
                    // (a plain-text segment is one line)
                    out.push_str(&format!(
                        "{}{}{}\n",
                        self.pad(i),
                        seg.concat(),
                        self.pad(i + 1)
                    ));
                    if self.pad(i + 2).len() == 2 {
                        out.push('\n');
                    }
                }
            }
            Format::Srt | Format::Vtt => {
                let srt = self.format == Format::Srt;
                if !srt {
                    out.push_str("WEBVTT\n\n");
                }
                for (i, seg) in self.segments.iter().enumerate() {
                    if srt || i % 2 == 0 {
                        out.push_str(&format!("{}\n", i + 1));
                    }
                    let t = i as u64 * 3000;
                    out.push_str(&format!("{} --> {}\n", clock(t, srt), clock(t + 3000, srt)));
                    for (j, line) in seg.iter().enumerate() {
                        let line = line.replace('&', "&amp;");
                        let line = if self.tags && j % 2 == 1 {
                            format!("<i>{line}</i>")
                        } else {
                            line
                        };
                        out.push_str(&format!("{}{line}{}\n", self.pad(i + j), self.pad(j)));
                    }
                    out.push('\n');
                }
            }
            Format::Jsonl => {
                let text = |seg: &Vec<String>| seg.join("\n");
                if self.segmented {
                    let segs: Vec<String> = self
                        .segments
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            format!(
                                "{{\"start_ms\": {}, \"text\":{}{}}}",
                                i * 1000,
                                self.pad(i),
                                json_str(&text(s), self.ascii)
                            )
                        })
                        .collect();
                    out.push_str(&format!(
                        "{}{{\"id\":\"r1\",\"segments\":[{}]}}\n",
                        self.pad(0),
                        segs.join(", ")
                    ));
                } else {
                    for (i, s) in self.segments.iter().enumerate() {
                        out.push_str(&format!(
                            "{}{{\"id\":\"r{i}\", \"text\": {}}}\n",
                            self.pad(i),
                            json_str(&text(s), self.ascii)
                        ));
                        if self.pad(i + 1).len() == 2 {
                            out.push('\n');
                        }
                    }
                }
            }
            _ => unreachable!(),
        }
        if self.crlf {
            out = out.replace('\n', "\r\n");
        }
        let mut bytes = Vec::new();
        if self.bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(out.as_bytes());
        bytes
    }
}

/// What a file's slice reads as, in the format's own terms: a JSON string's escapes decoded,
/// a subtitle's tags removed, entities decoded and line breaks (with the spaces around them)
/// read as one space.
fn read_back(format: Format, slice: &str) -> String {
    match format {
        Format::Jsonl => serde_json::from_str::<String>(&format!("\"{slice}\""))
            .unwrap_or_else(|e| panic!("not a JSON string body ({e}): {slice:?}")),
        Format::Srt | Format::Vtt => {
            let lines: Vec<&str> = slice.split('\n').map(str::trim).collect();
            let mut joined = lines.join(" ");
            while let (Some(a), Some(b)) = (joined.find('<'), joined.find('>')) {
                if a >= b {
                    break;
                }
                joined.replace_range(a..=b, "");
            }
            joined.replace("&amp;", "&")
        }
        _ => slice.to_string(),
    }
}

fn in_one_segment(f: &Finding, t: &Transcript) -> bool {
    let seg = &t.segments[f.segment.unwrap()];
    f.segment_end.unwrap() - f.segment_start.unwrap() == f.end - f.start
        && f.segment_end.unwrap() <= seg.text.len()
}

fn check(case: &Case) -> Result<(usize, usize), TestCaseError> {
    let bytes = case.render();
    let name = format!("case.{}", case.format.as_str());
    let decoded = decode(&name, &bytes).expect("decodes");
    let a = Analyzer::default_ref();
    let (mut checked, mut read_back_checked) = (0, 0);
    for t in read_bytes(&name, &bytes, Some(case.format)).expect("reads") {
        let t = t.expect("a good record");
        let joined = t.joined();
        let report = a.analyze_transcript(&t);
        for f in &report.findings {
            prop_assert_eq!(&joined[f.start..f.end], f.matched.as_str());
            let seg = &t.segments[f.segment.expect("segment")];
            let (ss, se) = (f.segment_start.unwrap(), f.segment_end.unwrap());
            prop_assert!(ss <= se && se <= seg.text.len());
            let (fs, fe) = (
                f.file_start.expect("file_start"),
                f.file_end.expect("file_end"),
            );
            prop_assert!(
                fs <= fe && fe <= decoded.len(),
                "{} {} {}",
                fs,
                fe,
                decoded.len()
            );
            let slice = decoded.get(fs..fe).expect("char boundaries");
            if !in_one_segment(f, &t) {
                continue;
            }
            prop_assert_eq!(&seg.text[ss..se], f.matched.as_str());
            let changed = match case.format {
                Format::Jsonl => slice.contains('\\'),
                Format::Srt | Format::Vtt => {
                    slice.contains('\n') || slice.contains('<') || slice.contains('&')
                }
                _ => false,
            };
            if changed {
                prop_assert_eq!(read_back(case.format, slice), f.matched.clone());
                read_back_checked += 1;
            } else {
                prop_assert_eq!(slice, f.matched.as_str(), "{:?}", case);
            }
            checked += 1;
        }
    }
    Ok((checked, read_back_checked))
}

/// The property checks something: in every format, fixed cases with and without escapes,
/// tags and multi-line cues have findings whose offsets are checked both ways.
#[test]
fn the_property_checks_findings_in_every_format() {
    for format in [Format::Txt, Format::Srt, Format::Vtt, Format::Jsonl] {
        let fancy = format != Format::Txt;
        let case = Case {
            format,
            segments: vec![
                vec!["以后不想要了拿回来".into(), "我们原价回收".into()],
                vec!["宝子们加我薇信".into(), "A&B最后三单".into()],
                vec!["只高不低".into()],
            ],
            crlf: true,
            bom: true,
            pad: vec![1, 2, 0],
            ascii: true,
            segmented: false,
            tags: true,
        };
        let (exact, read_back) = check(&case).unwrap();
        assert!(exact > 0, "{format}: no finding checked");
        assert_eq!(read_back > 0, fancy, "{format}: read-back path");
        let plain = Case {
            ascii: false,
            tags: false,
            segments: vec![vec!["我们原价回收".into()], vec!["宝子们加我薇信".into()]],
            ..case
        };
        let (exact, read_back) = check(&plain).unwrap();
        assert!(
            exact >= 2 && read_back == 0,
            "{format}: {exact} {read_back}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn file_offsets_slice_the_decoded_file_to_matched(case in case_strategy()) {
        check(&case)?;
    }
}

/// The issue's own example: a `.txt` with leading spaces and a blank line, and an SRT.
#[test]
fn the_issue_examples() {
    let a = Analyzer::default_ref();
    let txt = "   宝子们看过来\n\n   以后不想要了拿回来，我们原价回收\n";
    let srt = "1\n00:00:01,000 --> 00:00:04,000\n以后不想要了拿回来\n\n2\n00:00:04,000 --> 00:00:06,000\n我们原价回收\n";
    for (name, file) in [("a.txt", txt), ("a.srt", srt)] {
        let t = read_bytes(name, file.as_bytes(), None)
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let report = a.analyze_transcript(&t);
        let f = report
            .findings
            .iter()
            .find(|f| f.matched == "原价回收")
            .unwrap_or_else(|| panic!("{name}: {:?}", report.findings));
        assert_eq!(
            &file[f.file_start.unwrap()..f.file_end.unwrap()],
            "原价回收"
        );
    }
}

/// JSON Lines with escapes: the slice is the escaped form, which decodes to `matched`; a BOM
/// and a GBK file count offsets in the decoded text.
#[test]
fn escaped_json_and_decoded_offsets() {
    let a = Analyzer::default_ref();
    let line = "{\"id\":\"e\",\"text\":\"\\u4ee5\\u540e\\u4e0d\\u60f3\\u8981\\u4e86\\u62ff\\u56de\\u6765\\uff0c\\u6211\\u4eec\\u539f\\u4ef7\\u56de\\u6536\"}\n";
    let t = read_bytes("e.jsonl", line.as_bytes(), None)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let report = a.analyze_transcript(&t);
    let f = report
        .findings
        .iter()
        .find(|f| f.matched == "原价回收")
        .unwrap();
    let slice = &line[f.file_start.unwrap()..f.file_end.unwrap()];
    assert_eq!(slice, "\\u539f\\u4ef7\\u56de\\u6536");
    assert_eq!(read_back(Format::Jsonl, slice), "原价回收");

    let text = "开场\n我们原价回收\n";
    let gbk = encoding_rs::GB18030.encode(text).0.into_owned();
    let t = read_bytes("g.txt", &gbk, None)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let report = a.analyze_transcript(&t);
    let f = report
        .findings
        .iter()
        .find(|f| f.matched == "原价回收")
        .unwrap();
    let decoded = decode("g.txt", &gbk).unwrap();
    assert_eq!(
        &decoded[f.file_start.unwrap()..f.file_end.unwrap()],
        "原价回收"
    );
}

/// Findings of text analysed without a transcript reader carry no file offsets.
#[test]
fn no_file_offsets_without_a_file() {
    let t = Transcript::from_text("x", "我们原价回收");
    let report = Analyzer::default_ref().analyze_transcript(&t);
    let f = &report.findings[0];
    assert_eq!((f.segment_start, f.segment_end), (Some(6), Some(18)));
    assert_eq!(f.file_start, None);
}
