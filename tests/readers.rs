//! Transcript readers: every format with timestamps, BOM, GBK and CRLF, and every malformed
//! input with the file and line it names.

use huashu::Analyzer;
use huashu::transcript::{Format, ReadOptions, Segment, Transcript, read_bytes, read_bytes_with};

fn read(name: &str, bytes: &[u8]) -> Vec<Transcript> {
    read_bytes(name, bytes, None)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn error(name: &str, bytes: &[u8]) -> String {
    match read_bytes(name, bytes, None) {
        Err(e) => e.to_string(),
        Ok(mut records) => match records.find_map(Result::err) {
            Some(e) => e.to_string(),
            None => panic!("{name}: expected an error"),
        },
    }
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

const SRT: &str = "1\n00:00:01,000 --> 00:00:03,500\n家人们晚上好\n\n2\n00:00:03,500 --> 00:00:07,250\n<i>不想要了拿回来</i>\n我们原价回收\n\n";

#[test]
fn plain_text_lines_are_segments() {
    let t = read("notes.txt", "\u{feff}第一句\r\n\r\n第二句\r\n".as_bytes());
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].id, "notes.txt");
    assert_eq!(
        t[0].segments,
        vec![Segment::new("第一句"), Segment::new("第二句")]
    );
}

#[test]
fn srt_with_timestamps_tags_and_crlf() {
    for bytes in [
        SRT.as_bytes().to_vec(),
        SRT.replace('\n', "\r\n").into_bytes(),
        gbk(SRT),
    ] {
        let t = read("live.srt", &bytes);
        let segs = &t[0].segments;
        assert_eq!(segs.len(), 2);
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (Some(1000), Some(3500)));
        assert_eq!((segs[1].start_ms, segs[1].end_ms), (Some(3500), Some(7250)));
        assert_eq!(segs[1].text, "不想要了拿回来 我们原价回收");
    }
}

#[test]
fn srt_malformed_timestamp_names_the_line() {
    let bad = "1\n00:00:01,000 --> 00:00:03,500\n你好\n\n2\n00:00:0x,500 --> 00:00:07,250\n回收\n";
    // By default the cue is skipped, with its line, and the rest is read.
    let t = read("bad.srt", bad.as_bytes());
    assert_eq!(t[0].segments.len(), 1);
    assert_eq!(t[0].skipped.len(), 1);
    assert_eq!(t[0].skipped[0].line, 6);
    assert!(t[0].skipped[0].reason.starts_with("malformed timestamp"));
    // Strict: the first malformed cue fails the file.
    let strict = |name: &str, bytes: &[u8]| {
        read_bytes_with(name, bytes, &ReadOptions::new().strict(true))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| panic!("{name}: expected an error"))
    };
    let e = strict("bad.srt", bad.as_bytes());
    assert!(e.starts_with("bad.srt:6: malformed timestamp"), "{e}");
    let e = strict("bad2.srt", b"1\nhello there\n\n");
    assert!(e.starts_with("bad2.srt:2: expected a timing line"), "{e}");
    let e = strict(
        "bad3.srt",
        "1\n00:00:05,000 --> 00:00:01,000\n你好\n".as_bytes(),
    );
    assert!(e.contains("ends before it starts"), "{e}");
    // A file with no good cue at all fails, naming the first bad one.
    let e = error("bad2.srt", b"1\nhello there\n\n");
    assert!(e.starts_with("bad2.srt:2: no readable cue"), "{e}");
}

#[test]
fn webvtt_with_ids_notes_and_voices() {
    let vtt = "WEBVTT - live room\n\nNOTE exported by the recorder\n\ncue-1\n00:01.000 --> 00:02.500 align:start\n<v 主播>加我薇信</v>\n\n01:00:00.000 --> 01:00:01.000\n私聊\n";
    let t = read("room.vtt", vtt.as_bytes());
    let segs = &t[0].segments;
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[0].text, "加我薇信");
    assert_eq!(segs[0].speaker.as_deref(), Some("主播"));
    assert_eq!((segs[0].start_ms, segs[0].end_ms), (Some(1000), Some(2500)));
    assert_eq!(segs[1].start_ms, Some(3_600_000));
    let e = error("x.vtt", b"WEBVTT\n\n00:01.000 --> 00:0z.000\nhi\n");
    assert!(
        e.starts_with("x.vtt:3: no readable cue") && e.contains("malformed timestamp"),
        "{e}"
    );
}

#[test]
fn jsonl_records_text_and_segments_and_bad_lines() {
    let jsonl = concat!(
        "{\"id\":\"a\",\"text\":\"以后拿回来原价回收\"}\n",
        "not json\n",
        "\n",
        "{\"id\":\"b\",\"segments\":[{\"start_ms\":0,\"end_ms\":1500,\"text\":\"加我\",\"speaker\":\"host\"},{\"start_ms\":1500,\"end_ms\":3000,\"text\":\"薇信\"}]}\n",
        "{\"id\":\"c\"}\n",
        "{\"id\":\"d\",\"text\":\"   \"}\n",
        "{\"text\":\"没有id\"}\n",
    );
    let items: Vec<_> = read_bytes("rooms.jsonl", jsonl.as_bytes(), None)
        .unwrap()
        .collect();
    assert_eq!(items.len(), 6, "one item per non-empty line");
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    let e = items[1].as_ref().unwrap_err().to_string();
    assert!(e.starts_with("rooms.jsonl:2:2: not JSON"), "{e}");
    let b = items[2].as_ref().unwrap();
    assert_eq!(b.segments[0].speaker.as_deref(), Some("host"));
    assert_eq!(b.segments[1].start_ms, Some(1500));
    let e = items[3].as_ref().unwrap_err().to_string();
    assert!(
        e.starts_with("rooms.jsonl:5:") && e.contains("no `text`"),
        "{e}"
    );
    let e = items[4].as_ref().unwrap_err().to_string();
    assert!(
        e.starts_with("rooms.jsonl:6:") && e.contains("empty text"),
        "{e}"
    );
    assert_eq!(items[5].as_ref().unwrap().id, "rooms.jsonl#7");
}

#[test]
fn jsonl_in_gbk_and_with_bom() {
    let text = "{\"id\":\"g\",\"text\":\"高价回收\"}\n";
    let t = read("gbk.jsonl", &gbk(text));
    assert_eq!(t[0].segments[0].text, "高价回收");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(read("bom.jsonl", &bom)[0].id, "g");
}

#[test]
fn whisper_seconds_become_milliseconds() {
    let json = r#"{"text":"全文","segments":[{"id":0,"start":0.0,"end":2.48,"text":"宝子们"},{"id":1,"start":2.48,"end":5.0,"text":"只高不低"}],"language":"zh"}"#;
    let t = read("whisper.json", json.as_bytes());
    assert_eq!(t[0].segments[0].end_ms, Some(2480));
    assert_eq!(t[0].segments[1].text, "只高不低");
}

#[test]
fn funasr_sentences_with_milliseconds() {
    let json = r#"[{"key":"room7","text":"全文","sentence_info":[{"text":"原价三千九","start":120,"end":1880,"spk":0},{"text":"今天只要九十九","start":1880,"end":3900,"spk":0}]}]"#;
    let t = read("asr.json", json.as_bytes());
    assert_eq!(t[0].id, "room7");
    assert_eq!(t[0].segments[1].start_ms, Some(1880));
    assert_eq!(t[0].segments[0].speaker.as_deref(), Some("0"));
    let e = error(
        "asr2.json",
        br#"[{"key":"x","sentence_info":[{"start":1,"end":2}]}]"#,
    );
    assert!(e.contains("needs a `text`"), "{e}");
}

#[test]
fn empty_binary_and_undecodable_files() {
    assert_eq!(error("e.txt", b""), "e.txt: empty file");
    assert!(error("w.txt", b"  \n \n").contains("empty file"));
    let e = error("b.srt", b"1\n\x00\x01\x02binary");
    assert!(e.starts_with("b.srt:2: binary file"), "{e}");
    let e = error("x.txt", b"ok line\n\xff\xfe\xfd\xff\xff");
    assert!(e.contains("x.txt:") && e.contains("not GB18030"), "{e}");
    let e = error("j.jsonl", b"{\"id\":\"a\",\"text\":\"\xff\xff\xff\"}\n");
    assert!(e.starts_with("j.jsonl:1:"), "{e}");
}

#[test]
fn format_detection_and_override() {
    assert_eq!(Format::detect("x.srt", SRT), Format::Srt);
    assert_eq!(Format::detect("x.txt", SRT), Format::Srt);
    assert_eq!(Format::detect("x", "WEBVTT\n"), Format::Vtt);
    assert_eq!(
        Format::detect("x.json", r#"{"segments":[{"start":0,"end":1,"text":"a"}]}"#),
        Format::Whisper
    );
    assert_eq!(
        Format::detect("x.json", r#"[{"key":"a","sentence_info":[]}]"#),
        Format::Funasr
    );
    assert_eq!(
        Format::detect(
            "x.log",
            "{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n"
        ),
        Format::Jsonl
    );
    assert_eq!("vtt".parse::<Format>(), Ok(Format::Vtt));
    assert!("docx".parse::<Format>().is_err());
    // --input txt reads an SRT file as plain lines.
    let t: Vec<_> = read_bytes("x.srt", SRT.as_bytes(), Some(Format::Txt))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(t[0].segments[0].text, "1");
}

#[test]
fn evidence_spanning_two_segments_is_found_with_times() {
    let t = Transcript {
        id: "room".into(),
        segments: vec![
            Segment::timed("以后不想要了我们高价", 10_000, 12_000),
            Segment::timed("回收 加我薇", 12_000, 14_000),
            Segment::timed("信私聊", 14_000, 15_000),
        ],
        ..Transcript::default()
    };
    let a = Analyzer::default_ref();
    let report = a.analyze_transcript(&t);
    let joined = t.joined();
    let same = a.analyze(&joined);
    assert_eq!(
        report.score, same.score,
        "the same findings as over the joined text"
    );
    assert_eq!(report.findings.len(), same.findings.len());
    let buyback = report
        .findings
        .iter()
        .find(|f| f.tactic == "buyback_promise" && f.is_scoring())
        .expect("buyback across segments");
    assert_eq!(buyback.segment, Some(0));
    assert_eq!(
        (buyback.start_ms, buyback.end_ms),
        (Some(10_000), Some(14_000))
    );
    let wechat = report
        .findings
        .iter()
        .find(|f| f.tactic == "off_platform")
        .expect("加我薇 | 信");
    assert_eq!(&joined[wechat.start..wechat.end], wechat.matched);
    assert_eq!((wechat.segment, wechat.end_ms), (Some(1), Some(15_000)));
}

#[test]
fn absurd_timestamps_are_errors_not_panics() {
    let srt = "1\n99999999999999999:00:00,000 --> 99999999999999999:00:01,000\n你好\n";
    let e = error("huge.srt", srt.as_bytes());
    assert!(e.contains("malformed timestamp"), "{e}");
}

#[test]
fn jsonl_stream_metadata() {
    let jsonl = concat!(
        "{\"id\":\"a\",\"room\":\"room-88\",\"streamer\":\"玉姐\",\"start_time\":\"2026-12-02T20:00:00+08:00\",\"text\":\"你好\"}\n",
        "{\"id\":\"b\",\"room_id\":88,\"start_ms\":1796212800000,\"text\":\"你好\"}\n",
        "{\"id\":\"c\",\"start_time\":\"昨天\",\"text\":\"你好\"}\n",
    );
    let items: Vec<_> = read_bytes("m.jsonl", jsonl.as_bytes(), None)
        .unwrap()
        .collect();
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.meta.room.as_deref(), Some("room-88"));
    assert_eq!(a.meta.streamer.as_deref(), Some("玉姐"));
    assert_eq!(a.meta.start_ms, Some(1_796_212_800_000));
    let b = items[1].as_ref().unwrap();
    assert_eq!(
        (b.meta.room.as_deref(), b.meta.start_ms),
        (Some("88"), Some(1_796_212_800_000))
    );
    let e = items[2].as_ref().unwrap_err().to_string();
    assert!(e.starts_with("m.jsonl:3:") && e.contains("RFC 3339"), "{e}");
}
