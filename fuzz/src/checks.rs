//! The invariants the fuzz targets assert, one entry point a target, each taking the raw fuzz
//! input. Shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, through the
//! `huashu_fuzz` library) and by the main crate's `tests/fuzz_replay.rs` (through `#[path]`),
//! so the same check code runs on stable under `cargo test`.
//!
//! Every check panics (with what broke and the input) when an invariant fails. The input
//! decoding below is deliberately simple and written by hand (no `arbitrary`), because the
//! main crate's tests cannot depend on the fuzz crate's dependencies.
//!
//! What each target asserts is what huashu documents, with the doc it comes from:
//!
//! * spans: `Span`, `Finding`, `Part`, `Neutralization` (src/span.rs, src/report.rs);
//! * report: `Report::findings` "sorted by position", `Report::tactics` "highest score first",
//!   `TacticScore` counts, `Report::capped`, the JSON round trip of the `Report` example;
//! * readers: `transcript::decode`, `read_bytes` (errors are `Error::Input` naming the file
//!   and a 1-based line), `Analyzer::analyze_transcript` ("the same findings as over its joined
//!   text", with the segment where each starts);
//! * lexicon: `AnalyzerBuilder::build` (`Error::Lexicon` with the file, line and reason);
//! * session: the module docs of `huashu::session` (each finding reported once; provisional
//!   findings confirmed or retracted; the session's findings are those of the whole text);
//! * tokenizer: `ChineseTokenizer` (offsets into the original text);
//! * normalize: `Analyzer::normalize` and the normalization rules in lexicons/README.md.

use std::collections::HashMap;

use huashu::session::Update;
use huashu::transcript::{self, Format, Segment, Transcript};
use huashu::{Analyzer, Error, Finding, Provisional, Report, Role, SessionConfig, TACTIC_IDS};

/// A cursor over the fuzz input: bytes run out into zeros.
struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Characters before byte `byte` of `text`.
fn char_of(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// A byte range of `text` with, when given, its character range: in bounds, on character
/// boundaries, and with character offsets that count the characters before each end.
fn check_range(text: &str, what: &str, start: usize, end: usize, chars: Option<(usize, usize)>) {
    assert!(
        start <= end && end <= text.len(),
        "{what}: {start}..{end} out of 0..{} in {text:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {start}..{end} not on character boundaries of {text:?}"
    );
    if let Some((cs, ce)) = chars {
        assert_eq!(char_of(text, start), cs, "{what}: char_start in {text:?}");
        assert_eq!(char_of(text, end), ce, "{what}: char_end in {text:?}");
    }
}

/// Every invariant of a report of `analyzer` over `text`. `default_model`: the analyzer uses
/// the embedded lexicons, whose weights make every scoring finding lift the level above
/// `none` (the property tests assert the same); custom lexicons need not.
pub fn check_report(text: &str, report: &Report, analyzer: &Analyzer, default_model: bool) {
    let normalized = analyzer.normalize(text);
    let mut last = (0, 0);
    for f in &report.findings {
        let what = format!("finding {}/{} «{}»", f.tactic, f.rule, f.matched);
        check_range(
            text,
            &what,
            f.start,
            f.end,
            Some((f.char_start, f.char_end)),
        );
        assert!(f.start < f.end, "{what}: empty evidence in {text:?}");
        assert_eq!(&text[f.start..f.end], f.matched, "{what}: matched");
        assert!(
            (f.start, f.end) >= last,
            "{what}: findings not sorted by position in {text:?}"
        );
        last = (f.start, f.end);
        assert!(
            TACTIC_IDS.contains(&f.tactic.as_str()),
            "{what}: unknown tactic"
        );
        assert!(
            analyzer.tactic(&f.tactic).is_some(),
            "{what}: a tactic the analyzer does not have"
        );
        assert!(
            f.weight > 0.0 && f.weight <= 1.0,
            "{what}: weight {}",
            f.weight
        );
        assert!(
            f.contribution >= 0.0 && f.contribution <= f.weight + 1e-12,
            "{what}: contribution {} of weight {}",
            f.contribution,
            f.weight
        );
        assert!(
            normalized.contains(f.normalized.as_str()),
            "{what}: normalized evidence {:?} is not in the normalized text {normalized:?}",
            f.normalized
        );
        for p in &f.parts {
            let what = format!("{what}, part {} «{}»", p.role, p.matched);
            check_range(
                text,
                &what,
                p.start,
                p.end,
                Some((p.char_start, p.char_end)),
            );
            assert_eq!(&text[p.start..p.end], p.matched, "{what}: matched");
            assert!(
                f.start <= p.start && p.end <= f.end,
                "{what}: outside its finding {}..{} in {text:?}",
                f.start,
                f.end
            );
        }
        if let Some(n) = &f.neutralized {
            let what = format!("{what}, cue «{}»", n.cue);
            check_range(text, &what, n.start, n.end, None);
            assert_eq!(&text[n.start..n.end], n.cue, "{what}: cue");
            assert_eq!(f.contribution, 0.0, "{what}: a neutralized finding scores");
        }
    }
    assert!(
        (0.0..=1.0).contains(&report.score),
        "score {} in {text:?}",
        report.score
    );
    // Tactics: highest score first, each counting its own scoring and neutralized findings,
    // and listed exactly when it has scoring findings.
    for w in report.tactics.windows(2) {
        assert!(
            w[0].score >= w[1].score,
            "tactics not sorted by score: {} {} before {} {}",
            w[0].tactic,
            w[0].score,
            w[1].tactic,
            w[1].score
        );
    }
    for t in &report.tactics {
        let of = |scoring: bool| {
            report
                .findings
                .iter()
                .filter(|f| f.tactic == t.tactic && f.is_scoring() == scoring)
                .count()
        };
        assert!(
            (0.0..=1.0).contains(&t.score),
            "{}: score {}",
            t.tactic,
            t.score
        );
        assert_eq!(t.findings, of(true), "{}: scoring findings", t.tactic);
        assert_eq!(
            t.neutralized,
            of(false),
            "{}: neutralized findings",
            t.tactic
        );
    }
    for f in report.scoring_findings() {
        assert!(
            report.tactic(&f.tactic).is_some(),
            "scoring finding of {} whose tactic is not in the summary",
            f.tactic
        );
    }
    for c in &report.combos {
        assert!(
            c.tactics.iter().all(|t| report.tactic(t).is_some()),
            "combo {} without all its tactics",
            c.id
        );
    }
    if let Some(cap) = report.capped {
        assert!(
            report.level <= cap,
            "level {} above its cap {cap}",
            report.level
        );
    }
    if default_model {
        assert_eq!(
            report.level == huashu::Level::None,
            report.tactics.is_empty(),
            "level {} with tactics {:?} in {text:?}",
            report.level,
            report.tactics
        );
    }
    // The `Report` example: serialized and read back, a report is the same.
    let json = serde_json::to_string(report).expect("a report serializes");
    let back: Report = serde_json::from_str(&json).expect("a report reads back");
    assert_eq!(&back, report, "JSON round trip");
}

/// `analyze`: any text, the default analyzer.
pub fn analyze(data: &[u8]) {
    let text = lossy(data);
    let a = Analyzer::default_ref();
    let report = a.analyze(&text);
    check_report(&text, &report, a, true);
    for f in &report.findings {
        assert_eq!(
            (f.segment, f.start_ms, f.end_ms),
            (None, None, None),
            "plain text has no segments"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// readers

/// File names the readers see: the extension steers format detection.
const NAMES: &[&str] = &[
    "room.txt",
    "room.srt",
    "room.vtt",
    "rooms.jsonl",
    "whisper.json",
    "funasr.json",
    "room",
    "dir/live.SRT",
    "rooms.ndjson",
    "a/b/c.VTT",
];

/// An error from a reader: an `Error::Input` naming the file, with a reason and, when it has
/// one, a 1-based line within the input.
fn check_input_error(name: &str, data: &[u8], e: &Error) {
    let msg = e.to_string();
    assert!(!msg.is_empty(), "an error without a message");
    match e {
        Error::Input { location, reason } => {
            assert_eq!(location.file, name, "the error names another file: {msg}");
            assert!(!reason.is_empty(), "an error without a reason: {msg}");
            assert!(
                msg.starts_with(name),
                "the message does not start with the file: {msg}"
            );
            if let Some(line) = location.line {
                let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
                assert!(
                    (1..=lines).contains(&line),
                    "line {line} of an input of {lines} lines: {msg}"
                );
            }
        }
        other => panic!("a reader of bytes in memory failed with {other:?}: {msg}"),
    }
}

/// What every reader guarantees of a transcript: segments, and times in order.
fn check_transcript(t: &Transcript, format: Option<Format>) {
    assert!(
        !t.segments.is_empty(),
        "transcript {:?} without segments",
        t.id
    );
    for s in &t.segments {
        if let (Some(a), Some(b)) = (s.start_ms, s.end_ms) {
            assert!(
                a <= b,
                "segment {:?} ends ({b}) before it starts ({a})",
                s.text
            );
        }
        match format {
            Some(Format::Txt) => {
                assert!(
                    !s.text.is_empty() && s.text.trim() == s.text && !s.text.contains('\n'),
                    "plain text segment {:?}: each non-empty line is a segment",
                    s.text
                );
            }
            Some(Format::Srt | Format::Vtt) => {
                assert!(
                    !s.text.is_empty() && s.text.trim() == s.text,
                    "subtitle cue {:?} without text",
                    s.text
                );
                assert!(
                    s.start_ms.is_some() && s.end_ms.is_some(),
                    "subtitle cue {:?} without times",
                    s.text
                );
            }
            _ => {}
        }
    }
}

/// `analyze_transcript`: the findings of the joined text, each with the segment it starts in
/// and the times of the segments it spans.
fn check_transcript_report(t: &Transcript) {
    let a = Analyzer::default_ref();
    let text = t.joined();
    let report = a.analyze_transcript(t);
    check_report(&text, &report, a, true);
    let starts = t.segment_starts();
    assert_eq!(starts.len(), t.segments.len());
    let segment_of = |byte: usize| starts.iter().rposition(|&s| s <= byte).unwrap_or(0);
    for f in &report.findings {
        let first = segment_of(f.start);
        let last = segment_of(f.end - 1);
        assert_eq!(f.segment, Some(first), "segment of «{}»", f.matched);
        let (ss, se) = (f.segment_start.unwrap(), f.segment_end.unwrap());
        assert!(
            ss <= se && se <= t.segments[first].text.len(),
            "segment offsets of «{}»",
            f.matched
        );
        if let (Some(fs), Some(fe)) = (f.file_start, f.file_end) {
            assert!(fs <= fe, "file offsets of «{}»", f.matched);
        }
        // (token times, where a reader has them, refine the segments' times)
        if !t.segments[first].origin.has_token_times() {
            assert_eq!(
                f.start_ms, t.segments[first].start_ms,
                "start of «{}»",
                f.matched
            );
        }
        if !t.segments[last].origin.has_token_times() {
            assert_eq!(f.end_ms, t.segments[last].end_ms, "end of «{}»", f.matched);
        }
    }
    // Roles: evidence wholly in viewers' segments (by the analyzer's role map) is a viewer's
    // and does not score; the rest is neutralized as in the joined text, with the role of its
    // segments (or a viewer's, where the text itself framed it so).
    let whole = a.analyze(&text);
    let roles = a.speaker_roles();
    let labels: Vec<Role> = t
        .segments
        .iter()
        .map(|s| roles.role(s.speaker.as_deref()))
        .collect();
    assert_eq!(report.findings.len(), whole.findings.len(), "same findings");
    let mut silenced = false;
    for (f, w) in report.findings.iter().zip(&whole.findings) {
        assert_eq!(key(f), key(w), "same findings, in order");
        let (first, last) = (segment_of(f.start), segment_of(f.end - 1));
        if labels[first..=last].iter().all(|r| *r == Role::Viewer) {
            assert_eq!(f.role, Role::Viewer, "a viewer's «{}»", f.matched);
            assert!(!f.is_scoring(), "a viewer's «{}» scores", f.matched);
            silenced |= w.is_scoring();
        } else {
            assert_eq!(
                f.neutralized, w.neutralized,
                "neutralization of «{}»",
                f.matched
            );
            if w.role == Role::Viewer {
                assert_eq!(f.role, Role::Viewer, "role of «{}»", f.matched);
            }
        }
    }
    if !silenced {
        let mut plain = report.clone();
        for (f, w) in plain.findings.iter_mut().zip(&whole.findings) {
            (f.segment, f.start_ms, f.end_ms) = (None, None, None);
            (f.segment_start, f.segment_end, f.file_start, f.file_end) = (None, None, None, None);
            f.role = w.role;
        }
        assert_eq!(plain, whole, "a transcript's report is its joined text's");
    }
}

/// `readers`: the first byte picks a file name, the rest is the file. Every reader, with the
/// format detected and forced to each format, and the format detection itself.
pub fn readers(data: &[u8]) {
    let mut input = Input { data };
    let name = NAMES[input.byte() as usize % NAMES.len()];
    let bytes = input.take(usize::MAX);
    let text = lossy(bytes);
    let detected = Format::detect(name, &text);
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("WEBVTT")
    {
        assert_eq!(detected, Format::Vtt, "a WEBVTT header is unambiguous");
    }

    // decode: UTF-8 comes back as it is (less a BOM); anything it refuses is an input error.
    match transcript::decode(name, bytes) {
        Ok(decoded) => {
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            if let (false, Ok(utf8)) = (utf16, std::str::from_utf8(bytes)) {
                let body = utf8.strip_prefix('\u{feff}').unwrap_or(utf8);
                assert_eq!(decoded, body, "UTF-8 decodes to itself, less its BOM");
            }
        }
        Err(e) => check_input_error(name, bytes, &e),
    }

    let mut analysed = 0;
    let formats = std::iter::once(None).chain(Format::ALL.into_iter().map(Some));
    for format in formats {
        match transcript::read_bytes(name, bytes, format) {
            Err(e) => check_input_error(name, bytes, &e),
            Ok(records) => {
                for item in records.take(64) {
                    match item {
                        Ok(t) => {
                            check_transcript(&t, format);
                            if analysed < 12 {
                                analysed += 1;
                                check_transcript_report(&t);
                            }
                        }
                        Err(e) => check_input_error(name, bytes, &e),
                    }
                }
            }
        }
    }
    // parse: a decoded document in each format.
    for format in Format::ALL {
        match transcript::parse(name, &text, format) {
            Ok(ts) => {
                for t in ts.iter().take(64) {
                    check_transcript(t, Some(format));
                }
            }
            Err(e) => check_input_error(name, text.as_bytes(), &e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// lexicon

/// A word class the fuzzed tactic files may use (`{fuzz_a}`); the fixed tactic uses it too.
pub const FUZZ_CLASSES: &str = r#"[[class]]
id = "fuzz_a"
description = "a class for the fuzzed lexicons"
members = ["回收", "回购", "收回来"]

[[class]]
id = "fuzz_b"
description = "another"
members = ["高价", "原价", "翻倍"]
"#;

/// The `[tactic]` table of the fixed tactics below.
macro_rules! fixed_header {
    () => {
        r#"[tactic]
id = "buyback_promise"
name_zh = "高价回收"
name_en = "Buyback promise"
description = "d"
weight = 0.8
legal_basis = ["《中华人民共和国广告法》第二十八条"]
"#
    };
}

/// The tactic built beside a fuzzed context, variants or scoring file (no word classes).
pub const FIXED_TACTIC: &str = concat!(
    fixed_header!(),
    r#"
[[terms]]
rule = "explicit_buyback"
weight = 1.0
terms = ["原价回收", "高价回收", "只高不低"]

[[cooccur]]
rule = "buyback_at_high_price"
weight = 0.9
window = 30
groups = [["回收", "回购"], ["高价", "原价"]]

[[pattern]]
rule = "n_times"
weight = 0.7
patterns = ["翻{num}倍回收"]
"#
);

/// The tactic built beside a fuzzed classes file: it uses `{fuzz_a}` and `{fuzz_b}`.
pub const FIXED_CLASS_TACTIC: &str = concat!(
    fixed_header!(),
    r#"
[[terms]]
rule = "class_terms"
weight = 1.0
terms = ["{fuzz_b}{fuzz_a}"]
"#
);

/// What a built analyzer analyses (besides the fuzzed file's own text).
pub const FIXED_TEXT: &str = "宝子们这串是缅甸老坑的，以后不想要了拿回来，我们原价回收，只高不低！\
想要的加我薇❤信。原价三千九百九十九，今天只要九十九，最后三单。千万别信什么高价回收。";

/// `lexicon`: the first byte picks the kind of file (a tactic, word classes, context, variants
/// or scoring) and whether a tactic filter applies; the rest is the file. Built without the
/// embedded lexicons (the fuzzed file and at most one small fixed file), so a build costs
/// jieba's dictionary and little else.
pub fn lexicon(data: &[u8]) {
    let mut input = Input { data };
    let kind = input.byte();
    let toml = lossy(input.take(usize::MAX));
    let (fuzzed, fixed): (&str, (&str, &str)) = match kind % 5 {
        0 => ("fuzz/tactic.toml", ("classes/fuzz_min.toml", FUZZ_CLASSES)),
        1 => (
            "classes/fuzz.toml",
            ("tactics/fixed.toml", FIXED_CLASS_TACTIC),
        ),
        2 => ("context.toml", ("tactics/fixed.toml", FIXED_TACTIC)),
        3 => ("variants.toml", ("tactics/fixed.toml", FIXED_TACTIC)),
        _ => ("scoring.toml", ("tactics/fixed.toml", FIXED_TACTIC)),
    };
    let mut builder = Analyzer::builder();
    builder.defaults(false);
    // Classes load before everything else whatever the order; the fixed file goes first so
    // that a duplicate is blamed on the fuzzed one.
    builder.lexicon_str(fixed.0, fixed.1);
    builder.lexicon_str(fuzzed, &toml);
    if kind & 0x80 != 0 {
        let id = TACTIC_IDS[(usize::from(kind) >> 3) % TACTIC_IDS.len()];
        builder.only_tactics(&[id]);
    }
    let sources = [(fuzzed, toml.as_str()), fixed];
    match builder.build() {
        Ok(a) => {
            assert!(a.lexicon_fingerprint().starts_with("sha256:"));
            for t in a.tactics() {
                assert!(TACTIC_IDS.contains(&t.id.as_str()), "tactic {}", t.id);
            }
            for text in [FIXED_TEXT, toml.as_str()] {
                let report = a.analyze(text);
                check_report(text, &report, &a, false);
            }
        }
        Err(e) => check_lexicon_error(&sources, &e),
    }
}

/// A build error: a lexicon error naming one of the files given and a line within it, or a
/// compile error with a message.
fn check_lexicon_error(sources: &[(&str, &str)], e: &Error) {
    let msg = e.to_string();
    match e {
        Error::Lexicon { location, reason } => {
            assert!(
                !reason.is_empty(),
                "a lexicon error without a reason: {msg}"
            );
            let Some((_, text)) = sources.iter().find(|(name, _)| *name == location.file) else {
                panic!("the error names a file that was not given: {msg}");
            };
            assert!(msg.starts_with(&location.file), "{msg}");
            if let Some(line) = location.line {
                let lines = text.matches('\n').count() + 1;
                assert!(
                    (1..=lines).contains(&line),
                    "line {line} of a file of {lines} lines: {msg}"
                );
            }
        }
        Error::Build(reason) => assert!(!reason.is_empty(), "a build error without a reason"),
        other => panic!("building from strings failed with {other:?}: {msg}"),
    }
}

// ---------------------------------------------------------------------------------------------
// session

/// Speech the session target strings together (whole sentences and pieces cut mid-word and
/// mid-number, so evidence runs across segments).
const PIECES: &[&str] = &[
    "家人们晚上好",
    "这串翡翠以后不想要了拿回来我们原价回收",
    "只高不低",
    "加我薇信私聊",
    "这种话千万别信都是骗局",
    "专柜卖三万八今天只要一千九",
    "这个能kang癌降血压",
    "今天给大家做红烧排骨",
    "最后三单手慢无",
    "好",
    "我们用的是独家秘方",
    "全网独家",
    "喜欢的加我薇",
    "信 私聊",
    "原价三千九",
    "百九十九 今天直播间只要九十",
    "九 最后三单",
    "✨ ✨ ✨ ",
    "有人问能不能加微信 不能 有问题找平台客服",
    "把你的身份证号发在评论区",
    "我们不是高仿 专柜正品",
    "１９８元",
    "\n",
    "",
];

/// A finding's identity in a session: tactic, rule, character span and what it matched.
pub type Key = (String, String, usize, usize, String);

/// The identity of `f` in a session.
pub fn key(f: &Finding) -> Key {
    (
        f.tactic.clone(),
        f.rule.clone(),
        f.char_start,
        f.char_end,
        f.matched.clone(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Reported,
    Provisional,
    Confirmed,
    Retracted,
}

/// Every state each finding went through, in order, and whether it is neutralized: as
/// committed, or as the stream's frame last re-framed it. tests/regressions.rs keeps its
/// session ledgers with this one.
#[derive(Default)]
pub struct Ledger {
    states: HashMap<Key, Vec<State>>,
    neutralized: HashMap<Key, bool>,
}

impl Ledger {
    /// Notes what an update reported, confirmed, retracted and re-framed.
    pub fn record(&mut self, u: &Update) {
        let mut note = |fs: &[Finding], state: State| {
            for f in fs {
                self.states.entry(key(f)).or_default().push(state);
                if matches!(state, State::Reported | State::Confirmed) {
                    self.neutralized.insert(key(f), f.neutralized.is_some());
                }
            }
        };
        note(&u.findings, State::Reported);
        note(&u.provisional, State::Provisional);
        note(&u.confirmed, State::Confirmed);
        note(&u.retracted, State::Retracted);
        for f in &u.reframed {
            let k = key(f);
            assert!(
                self.neutralized.contains_key(&k),
                "re-framed a finding never committed: {k:?}"
            );
            self.neutralized.insert(k, f.neutralized.is_some());
        }
    }

    /// Each finding's history is `(provisional retracted)*` followed by `reported` or by
    /// `provisional confirmed`, or ends retracted: a finding is reported once, each provisional
    /// report is decided once, and nothing is left provisional (after `finish`). Retracted
    /// evidence may be said, and found, again (a partial result revised twice may hold what the
    /// revision before dropped). The first finding whose history breaks this, if any.
    pub fn illegal_history(&self) -> Option<String> {
        self.states.iter().find_map(|(k, states)| {
            let mut rest = states.as_slice();
            while let [State::Provisional, State::Retracted, tail @ ..] = rest {
                rest = tail;
            }
            let legal = matches!(
                rest,
                [] | [State::Reported] | [State::Provisional, State::Confirmed]
            );
            (!legal).then(|| format!("{k:?} went through {states:?}"))
        })
    }

    /// Panics, naming the finding and `ops`, when a history is illegal ([`Self::illegal_history`]).
    pub fn check_finished(&self, ops: &str) {
        if let Some(e) = self.illegal_history() {
            panic!("{e}\nops: {ops}");
        }
    }

    /// An alert names evidence the session has reported and not retracted: committed, or
    /// (with [`Provisional::Alert`]) provisional; strongest first, one a tactic; above the
    /// level it rose from.
    fn check_alert(&self, u: &Update, provisional: Provisional, ops: &str) {
        let Some(alert) = &u.alert else { return };
        assert!(alert.level > alert.previous, "{alert:?}\nops: {ops}");
        assert!(
            !alert.findings.is_empty(),
            "an alert names no evidence\nops: {ops}"
        );
        let mut tactics = Vec::new();
        for f in &alert.findings {
            let last = self.states.get(&key(f)).and_then(|s| s.last().copied());
            let standing = match last {
                Some(State::Reported | State::Confirmed) => true,
                Some(State::Provisional) => provisional == Provisional::Alert,
                _ => false,
            };
            assert!(standing, "alert names {:?} ({last:?})\nops: {ops}", key(f));
            assert!(
                !tactics.contains(&&f.tactic),
                "two of {}\nops: {ops}",
                f.tactic
            );
            tactics.push(&f.tactic);
        }
        assert!(
            alert
                .findings
                .windows(2)
                .all(|w| w[0].weight >= w[1].weight),
            "alert findings not strongest first\nops: {ops}"
        );
    }

    /// What the session committed, sorted (reported or confirmed, and not retracted after).
    pub fn committed_keys(&self) -> Vec<Key> {
        self.committed().into_iter().map(|(k, _)| k).collect()
    }

    /// What the session committed: reported or confirmed, and not retracted after; with
    /// whether it was neutralized.
    fn committed(&self) -> Vec<(Key, bool)> {
        let mut out: Vec<(Key, bool)> = self
            .states
            .iter()
            .filter(|(_, s)| matches!(s.last(), Some(State::Reported | State::Confirmed)))
            .map(|(k, _)| (k.clone(), self.neutralized[k]))
            .collect();
        out.sort();
        out
    }
}

/// The spans of findings a session reports point into the text it was given: the final
/// segments joined with `\n`, followed (for provisional findings) by the partial result.
fn check_session_spans(text: &str, findings: &[Finding], ops: &str) {
    for f in findings {
        let what = format!(
            "session finding {}/{} «{}» (ops: {ops})",
            f.tactic, f.rule, f.matched
        );
        check_range(
            text,
            &what,
            f.start,
            f.end,
            Some((f.char_start, f.char_end)),
        );
        assert_eq!(&text[f.start..f.end], f.matched, "{what}");
        for p in &f.parts {
            check_range(
                text,
                &what,
                p.start,
                p.end,
                Some((p.char_start, p.char_end)),
            );
            assert_eq!(&text[p.start..p.end], p.matched, "{what}: part");
        }
        if let Some(n) = &f.neutralized {
            check_range(text, &what, n.start, n.end, None);
            assert_eq!(&text[n.start..n.end], n.cue, "{what}: cue");
        }
    }
}

/// `session`: the first byte picks the lookahead and the provisional mode (even: the
/// analyzer's lookahead, and `(b >> 1) % 3` picks off, report or alert; odd: `(b >> 1) % 48`
/// characters, and bit 7 reports at once); then each operation is a byte (push, push_partial,
/// now and then finish; timed or not) and a text: a byte below 0x80 for one to four of
/// [`PIECES`], or 0x80 + n for the next n bytes as they are. `finish` ends the session in any
/// case.
pub fn session(data: &[u8]) {
    let mut input = Input { data };
    let first = input.byte();
    let lookahead = (first & 1 == 1).then_some((first >> 1) as usize % 48);
    let provisional = match (lookahead, (first >> 1) % 3) {
        (None, 1) => Provisional::Report,
        (None, 2) => Provisional::Alert,
        (None, _) => Provisional::Off,
        (Some(_), _) if first & 0x80 != 0 => Provisional::Report,
        (Some(_), _) => Provisional::Off,
    };
    let mut config = SessionConfig::default().with_provisional(provisional);
    if let Some(l) = lookahead {
        config = config.with_lookahead_chars(l);
    }
    let a = Analyzer::default_ref();
    let mut s = a.session(config);
    let mut ledger = Ledger::default();
    let mut finals: Vec<String> = Vec::new();
    let mut ops = String::new();
    let mut finished_early = false;
    let mut clock = 0u64;
    let joined = |finals: &[String]| finals.join("\n");
    for _ in 0..32 {
        if input.is_empty() {
            break;
        }
        let op = input.byte();
        let m = input.byte();
        let text = if m < 0x80 {
            (0..=(m & 3))
                .map(|_| PIECES[input.byte() as usize % PIECES.len()])
                .collect::<String>()
        } else {
            lossy(input.take((m & 0x7f) as usize))
        };
        let segment = if op & 0x40 != 0 {
            clock = clock.saturating_add(u64::from(m) * 250);
            Segment::timed(text.clone(), clock, clock.saturating_add(1500))
        } else {
            Segment::new(text.clone())
        };
        let update = match op & 3 {
            2 | 3 if op & 0x1c == 0x1c => {
                ops.push_str("finish; ");
                finished_early = true;
                s.finish()
            }
            2 | 3 => {
                ops.push_str(&format!("partial {text:?}; "));
                let u = s.push_partial(segment);
                let mut with = joined(&finals);
                if !finals.is_empty() {
                    with.push('\n');
                }
                with.push_str(&text);
                check_session_spans(&with, &u.provisional, &ops);
                u
            }
            _ => {
                ops.push_str(&format!("push {text:?}; "));
                finals.push(text);
                let u = s.push(segment);
                // Reporting at once, a push reports what the committed text holds ahead.
                if provisional == Provisional::Off {
                    assert!(u.provisional.is_empty(), "provisional when off\nops: {ops}");
                }
                check_session_spans(&joined(&finals), &u.provisional, &ops);
                u
            }
        };
        let committed = joined(&finals);
        check_session_spans(&committed, &update.findings, &ops);
        check_session_spans(&committed, &update.confirmed, &ops);
        assert!(
            (0.0..=1.0).contains(&update.risk.score),
            "risk {:?}",
            update.risk
        );
        ledger.record(&update);
        ledger.check_alert(&update, provisional, &ops);
    }
    let update = s.finish();
    ops.push_str("finish");
    let text = joined(&finals);
    check_session_spans(&text, &update.findings, &ops);
    check_session_spans(&text, &update.confirmed, &ops);
    ledger.record(&update);
    ledger.check_alert(&update, provisional, &ops);
    ledger.check_finished(&ops);
    assert_eq!(s.len_chars(), text.chars().count(), "committed characters");
    let cumulative = s.cumulative();
    assert!((0.0..=1.0).contains(&cumulative.score));
    assert!(cumulative.findings.len() <= SessionConfig::default().keep_findings);
    // With the analyzer's own lookahead and one finish at the end, the session commits exactly
    // the findings of the whole text, neutralized where the whole text's are (with a shorter
    // lookahead it may commit evidence that a later warning neutralizes: documented). The
    // stream's frame re-frames committed findings as it changes (`Update::reframed`).
    let whole = a.analyze(&text);
    if lookahead.is_none() && !finished_early {
        let mut want: Vec<(Key, bool)> = whole
            .findings
            .iter()
            .map(|f| (key(f), f.neutralized.is_some()))
            .collect();
        want.sort();
        let got = ledger.committed();
        assert_eq!(
            got, want,
            "what the session committed is not what the whole text holds\nops: {ops}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// tokenizer

/// The byte offset where the last character of `text[..end]` starts.
#[cfg(feature = "index")]
fn last_char_start(text: &str, end: usize) -> usize {
    text[..end].char_indices().next_back().map_or(0, |(i, _)| i)
}

/// The tokens of both archive tokenizers over `text`: offsets in the text, on character
/// boundaries; words in order (a word may share only its last original character with the
/// next: one character can normalize to several); positions counting words; the dictionary
/// words of the indexing tokenizer inside their word; and every query token among the
/// indexing tokens.
#[cfg(feature = "index")]
pub fn check_tokens(text: &str) -> Vec<tantivy::tokenizer::Token> {
    use huashu::index::ChineseTokenizer;
    use tantivy::tokenizer::{TokenStream, Tokenizer};

    let a = Analyzer::default_ref();
    let mut index = ChineseTokenizer::for_indexing(a.clone());
    let query = ChineseTokenizer::for_queries(a.clone());
    let mut tokens = Vec::new();
    let mut stream = index.token_stream(text);
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    assert_eq!(
        tokens.len(),
        index.tokens(text).len(),
        "the stream is the tokens"
    );
    let mut word: Option<&tantivy::tokenizer::Token> = None;
    let mut words = Vec::new();
    for t in &tokens {
        let what = format!("token {:?} at {}..{}", t.text, t.offset_from, t.offset_to);
        check_range(text, &what, t.offset_from, t.offset_to, None);
        assert!(t.offset_from < t.offset_to, "{what}: empty in {text:?}");
        assert!(!t.text.is_empty(), "{what}: no text");
        assert_eq!(t.position_length, 1, "{what}");
        match word {
            Some(w) if w.position == t.position => {
                assert!(
                    w.offset_from <= t.offset_from && t.offset_to <= w.offset_to,
                    "{what}: a sub-word outside its word {:?} at {}..{} in {text:?}",
                    w.text,
                    w.offset_from,
                    w.offset_to
                );
                assert!(
                    t.text.len() < w.text.len(),
                    "{what}: a sub-word as long as its word"
                );
            }
            prev => {
                let expected = prev.map_or(0, |w| w.position + 1);
                assert_eq!(
                    t.position, expected,
                    "{what}: positions count words in {text:?}"
                );
                if let Some(w) = prev {
                    assert!(
                        t.offset_from >= last_char_start(text, w.offset_to)
                            && t.offset_to >= w.offset_to,
                        "{what}: not after the word {:?} at {}..{} in {text:?}",
                        w.text,
                        w.offset_from,
                        w.offset_to
                    );
                }
                word = Some(t);
                words.push(t);
            }
        }
    }
    let queried = query.tokens(text);
    assert_eq!(
        queried.len(),
        words.len(),
        "query words are the indexed words in {text:?}"
    );
    for (q, w) in queried.iter().zip(&words) {
        assert_eq!(
            (&q.text, q.offset_from, q.offset_to, q.position),
            (&w.text, w.offset_from, w.offset_to, w.position),
            "query token vs index word in {text:?}"
        );
    }
    tokens
}

/// `tokenizer`: any text through both archive tokenizers.
#[cfg(feature = "index")]
pub fn tokenizer(data: &[u8]) {
    check_tokens(&lossy(data));
}

/// Without the archive there is no tokenizer to check.
#[cfg(not(feature = "index"))]
pub fn tokenizer(_data: &[u8]) {}

// ---------------------------------------------------------------------------------------------
// normalize

/// Characters that are clause punctuation, kept by normalization (folded to half-width):
/// `，。！？；、` and their half-width forms. (lexicons/README.md lists `：` too, but a colon
/// is kept only between digits, as `1:1`.)
fn is_clause_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '!' | '?' | ';' | '。' | '、' | '，' | '！' | '？' | '；' | '｡' | '､'
    )
}

/// `.` and `:` stay only between digits; nothing else is touched here.
fn without_digit_punct(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '.' | ':')).collect()
}

/// `normalize`: what lexicons/README.md and the crate docs say of normalized text, and (with
/// the archive's tokenizer, which maps normalized words back) that the map lands on the
/// original characters the normalized text came from.
///
/// Idempotence is not asserted: nothing documents it (and a character table that maps `a → b`
/// and `b → c` would break it without breaking anything documented).
pub fn normalize(data: &[u8]) {
    let text = lossy(data);
    let a = Analyzer::default_ref();
    let n = a.normalize(&text);
    let chars: Vec<char> = n.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        assert!(
            !c.is_whitespace(),
            "whitespace {c:?} kept in {n:?} from {text:?}"
        );
        assert!(
            !c.is_ascii_uppercase(),
            "upper case {c:?} kept in {n:?} from {text:?}"
        );
        assert!(
            !('\u{FF01}'..='\u{FF5E}').contains(&c),
            "full-width {c:?} kept in {n:?} from {text:?}"
        );
        assert!(
            !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{00AD}'),
            "zero-width {c:?} kept in {n:?} from {text:?}"
        );
        assert!(
            !('\u{1F000}'..='\u{1FAFF}').contains(&c)
                && !matches!(c, '❤' | '\u{FE00}'..='\u{FE0F}'),
            "emoji {c:?} kept in {n:?} from {text:?}"
        );
        if matches!(c, '.' | ':') {
            let digit = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(char::is_ascii_digit)
            };
            assert!(
                digit(i.checked_sub(1)) && digit(Some(i + 1)),
                "{c:?} kept outside a number in {n:?} from {text:?}"
            );
        }
    }
    let kept = chars.iter().filter(|&&c| is_clause_punct(c)).count();
    let given = text.chars().filter(|&c| is_clause_punct(c)).count();
    assert_eq!(
        kept, given,
        "clause punctuation of {text:?} not kept in {n:?}"
    );
    // The map back: each token's original text normalizes to (at least) the token's word.
    #[cfg(feature = "index")]
    for t in check_tokens(&text) {
        let back = a.normalize(&text[t.offset_from..t.offset_to]);
        assert!(
            without_digit_punct(&back).contains(&without_digit_punct(&t.text)),
            "token {:?} maps back to {:?}, which normalizes to {back:?}",
            t.text,
            &text[t.offset_from..t.offset_to]
        );
    }
    #[cfg(not(feature = "index"))]
    let _ = without_digit_punct;
}
