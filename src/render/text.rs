//! The terminal rendering.

use std::fmt::Write as _;

use super::{Provenance, clock, marks, sentence_around};
use crate::Analyzer;
use crate::report::{Level, Report};
use crate::transcript::Transcript;

/// Options of the terminal rendering.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// ANSI colours (off when piped or when `NO_COLOR` is set).
    pub color: bool,
    /// Also list neutralized findings.
    pub show_neutralized: bool,
}

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn level_code(level: Level) -> &'static str {
    match level {
        Level::Critical => "1;97;41",
        Level::High => "1;31",
        Level::Medium => "1;33",
        Level::Low => "36",
        Level::None => "32",
    }
}

/// Renders one transcript's report for a terminal: a header (id, score, level; the
/// provenance: source, the full SHA-256 of the input, the huashu version, the lexicon
/// fingerprint and the SHA-256 of the analysed text; tactics with counts), then each finding with its time, tactic, rule, legal basis and sentence, the
/// evidence marked `«…»` (and coloured when `color` is on).
pub fn text(
    analyzer: &Analyzer,
    transcript: &Transcript,
    report: &Report,
    prov: &Provenance,
    opts: &TextOptions,
) -> String {
    let c = opts.color;
    let joined = transcript.joined();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  score {:.2}  {}",
        paint(c, "1", "▌"),
        paint(c, "1", &transcript.id),
        report.score,
        paint(
            c,
            level_code(report.level),
            &report.level.as_str().to_uppercase()
        ),
    );
    if !prov.source.is_empty() {
        let _ = writeln!(
            out,
            "  source {}  input sha256 {}",
            prov.source,
            prov.sha256.as_deref().unwrap_or("(not known)")
        );
    }
    if !prov.huashu_version.is_empty() {
        let _ = writeln!(
            out,
            "  huashu {}  lexicons {}",
            prov.huashu_version, prov.lexicons
        );
    }
    if let Some(h) = &prov.record_sha256 {
        let _ = writeln!(out, "  text sha256 {h}");
    }
    if !report.tactics.is_empty() {
        let list: Vec<String> = report
            .tactics
            .iter()
            .map(|t| {
                let name = analyzer
                    .tactic(&t.tactic)
                    .map_or(t.tactic.as_str(), |x| x.name_zh.as_str());
                format!("{name} ×{} ({:.2})", t.findings, t.score)
            })
            .collect();
        let _ = writeln!(out, "  tactics: {}", list.join(", "));
    }
    let summary = super::case_summary(analyzer, report);
    let _ = writeln!(out, "  summary: {}", summary.zh);
    let _ = writeln!(out, "  summary (en): {}", summary.en);
    for combo in &report.combos {
        let _ = writeln!(out, "  combination: {} (+{:.2})", combo.id, combo.bonus);
    }
    if let Some(cap) = report.capped {
        let why = match cap {
            Level::Low => "the only tactic present is a regulatory flag",
            _ => "the report rests on a single finding",
        };
        let _ = writeln!(out, "  capped at {cap}: {why}");
    }
    for f in &report.findings {
        if f.neutralized.is_some() && !opts.show_neutralized {
            continue;
        }
        let when = match f.start_ms {
            Some(ms) => clock(ms),
            None => format!("@{}", f.char_start),
        };
        let tactic = analyzer.tactic(&f.tactic);
        let name = tactic.map_or(f.tactic.as_str(), |t| t.name_zh.as_str());
        let status = match &f.neutralized {
            Some(n) => format!("  (neutralized: {} «{}»)", n.reason, n.cue),
            None => format!("  w {:.2}", f.weight),
        };
        let _ = writeln!(
            out,
            "  [{when}] {} · {}{}",
            paint(c && f.neutralized.is_none(), "1;35", name),
            f.rule,
            status
        );
        if let Some(law) = f.legal_basis.first() {
            let _ = writeln!(out, "      {}", paint(c, "2", law));
        }
        if f.start > f.end || joined.get(f.start..f.end).is_none() {
            // A report that does not belong to this transcript.
            let _ = writeln!(
                out,
                "      (bytes {}..{} are not a span of this transcript)",
                f.start, f.end
            );
            continue;
        }
        let spans = marks(f);
        let (s, e) = sentence_around(&joined, f.start, f.end, 40);
        let mut line = String::new();
        let mut at = s;
        for (ms, me) in spans
            .iter()
            .copied()
            .filter(|&(ms, me)| ms >= s && me <= e && joined.get(ms..me).is_some())
        {
            if ms < at {
                continue;
            }
            line.push_str(&joined[at..ms]);
            line.push_str(&paint(c, "1;31", &format!("«{}»", &joined[ms..me])));
            at = me;
        }
        line.push_str(&joined[at..e]);
        let line = line.replace('\n', " ⏎ ");
        let _ = writeln!(out, "      {}", line.trim());
    }
    out
}
