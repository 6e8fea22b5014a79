//! Snapshot tests of the text and HTML renderings (colour off). The huashu version and the
//! lexicon fingerprint are masked so that the snapshots change only when the rendering (or
//! what is found) does. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test render` and
//! review the diff.

use std::path::PathBuf;

use huashu::Analyzer;
use huashu::render::{HtmlItem, Provenance, TextOptions, html_page, text};
use huashu::transcript::{Segment, Transcript};

fn transcript() -> Transcript {
    Transcript {
        id: "room-demo".into(),
        segments: vec![
            Segment::timed("家人们，这串南红是保山老矿的料子。", 1_000, 4_000),
            Segment::timed("专柜卖两万八，今天直播间只要一千九百八！", 4_000, 8_000),
            Segment::timed(
                "以后不想要了拿回来，我们原价回收，只高不低。",
                8_000,
                12_500,
            ),
            Segment::timed("我们不是高仿，想要细节的加我薇❤信。", 12_500, 16_000),
        ],
        ..Transcript::default()
    }
}

fn mask(s: &str, a: &Analyzer) -> String {
    s.replace(a.lexicon_fingerprint(), "sha256:<lexicons>")
        .replace(env!("CARGO_PKG_VERSION"), "<version>")
}

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(0);
        panic!(
            "{name} differs from its snapshot at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_SNAPSHOTS=1 regenerates)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

fn provenance(a: &Analyzer) -> Provenance {
    Provenance {
        source: "room-demo.srt".into(),
        sha256: Some("0".repeat(64)),
        record_sha256: Some("1".repeat(64)),
        huashu_version: env!("CARGO_PKG_VERSION").into(),
        lexicons: a.lexicon_fingerprint().into(),
    }
}

#[test]
fn text_rendering() {
    let a = Analyzer::default_ref();
    let t = transcript();
    let r = a.analyze_transcript(&t);
    let opts = TextOptions {
        color: false,
        show_neutralized: true,
    };
    check(
        "room-demo.txt",
        &mask(&text(a, &t, &r, &provenance(a), &opts), a),
    );
}

#[test]
fn html_rendering() {
    let a = Analyzer::default_ref();
    let t = transcript();
    let r = a.analyze_transcript(&t);
    let p = provenance(a);
    let page = html_page(
        a,
        &[HtmlItem {
            transcript: &t,
            report: &r,
            provenance: &p,
        }],
        "huashu report",
        None,
    );
    check("room-demo.html", &mask(&page, a));
}

#[test]
fn a_report_of_another_text_renders_without_panicking() {
    // A report read back from an archive and shown beside the wrong (shorter) transcript: its
    // spans lie past the end or inside a character. Nothing is marked there; nothing panics.
    let a = Analyzer::default_ref();
    let long = transcript();
    let r = a.analyze_transcript(&long);
    let short = Transcript {
        id: "other".into(),
        segments: vec![Segment::new("你好，世界")],
        ..Transcript::default()
    };
    let opts = TextOptions {
        color: false,
        show_neutralized: true,
    };
    let out = text(a, &short, &r, &provenance(a), &opts);
    assert!(out.contains("not a span of this transcript"), "{out}");
    let p = provenance(a);
    let page = html_page(
        a,
        &[HtmlItem {
            transcript: &short,
            report: &r,
            provenance: &p,
        }],
        "mismatch",
        None,
    );
    assert!(page.contains("你好，世界"));
    // A span that starts inside `你` (byte 1) is skipped, not sliced.
    let mut odd = r.clone();
    for f in &mut odd.findings {
        f.start = 1;
        f.end = 4;
        f.parts.clear();
    }
    text(a, &short, &odd, &p, &opts);
    html_page(
        a,
        &[HtmlItem {
            transcript: &short,
            report: &odd,
            provenance: &p,
        }],
        "mismatch",
        None,
    );
}
