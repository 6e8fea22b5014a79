//! The HTML rendering: one self-contained page (no network assets) a case officer can read,
//! hand on or print.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Provenance, clock, marks};
use crate::Analyzer;
use crate::report::{Finding, Level, Report};
use crate::transcript::Transcript;

/// One transcript on the page.
#[derive(Debug, Clone, Copy)]
pub struct HtmlItem<'a> {
    /// The transcript.
    pub transcript: &'a Transcript,
    /// Its report (from [`Analyzer::analyze_transcript`]).
    pub report: &'a Report,
    /// Where it came from.
    pub provenance: &'a Provenance,
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn level_color(level: Level) -> &'static str {
    match level {
        Level::Critical => "#7b1010",
        Level::High => "#c0392b",
        Level::Medium => "#d68910",
        Level::Low => "#2874a6",
        Level::None => "#1e8449",
    }
}

const STYLE: &str = r#"
:root { --ink:#1d2330; --muted:#5f6b7a; --line:#d9dee5; --paper:#fff; }
* { box-sizing: border-box; }
body { font: 15px/1.65 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif; color: var(--ink); background: #f3f5f8; margin: 0; }
header.page { background: #1d2330; color: #fff; padding: 18px 32px; }
header.page h1 { margin: 0; font-size: 20px; letter-spacing: .04em; }
header.page p { margin: 4px 0 0; color: #b8c2cf; font-size: 12px; }
main { max-width: 1080px; margin: 0 auto; padding: 20px 24px 48px; }
section.t { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; margin: 0 0 28px; padding: 20px 24px; page-break-inside: avoid; }
.head { display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
.head h2 { margin: 0; font-size: 18px; }
.badge { color: #fff; border-radius: 4px; padding: 1px 10px; font-weight: 700; font-size: 13px; letter-spacing: .06em; }
.score { font-variant-numeric: tabular-nums; color: var(--muted); }
.prov { font: 11px/1.5 ui-monospace,Menlo,Consolas,monospace; color: var(--muted); margin: 6px 0 12px; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.law { color: var(--muted); font-size: 12px; }
.timeline { display: flex; height: 18px; border: 1px solid var(--line); border-radius: 3px; overflow: hidden; margin: 4px 0 2px; }
.timeline div { flex: 1; border-right: 1px solid rgba(255,255,255,.6); }
.ticks { display: flex; justify-content: space-between; font-size: 11px; color: var(--muted); margin-bottom: 14px; }
.seg { display: grid; grid-template-columns: 76px 1fr; gap: 10px; padding: 3px 0; border-bottom: 1px dotted #eef0f3; }
.seg .ts { font: 12px/1.9 ui-monospace,Menlo,Consolas,monospace; color: var(--muted); }
mark { background: none; border-bottom: 3px solid; padding: 0 1px; border-radius: 2px; }
mark.n { border-bottom-style: dotted; opacity: .7; }
.legend { font-size: 12px; color: var(--muted); margin: 10px 0 0; }
.legend span { margin-right: 14px; white-space: nowrap; }
.combo { font-size: 13px; margin: 0 0 8px; }
.summary { background: #f7f8fa; border-left: 3px solid #5f6b7a; padding: 6px 12px; margin: 0 0 12px; font-size: 14px; }
.summary p { margin: 4px 0; }
details summary { cursor: pointer; color: #2874a6; font-size: 11px; }
@media print { body { background: #fff; } header.page { background: #fff; color: #000; border-bottom: 2px solid #000; } header.page p { color: #333; } section.t { border: none; border-top: 1px solid #999; border-radius: 0; } mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// A `#rrggbb` colour at the given opacity.
fn tint(color: &str, alpha: f64) -> String {
    let hex = |i: usize| u8::from_str_radix(color.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128);
    format!("rgba({},{},{},{:.2})", hex(1), hex(3), hex(5), alpha)
}

/// Renders a self-contained HTML page for `items`. `generated` (a date, say) is printed in the
/// header when given; leave it out for reproducible output.
pub fn html_page(
    analyzer: &Analyzer,
    items: &[HtmlItem<'_>],
    title: &str,
    generated: Option<&str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>",
        esc(title)
    );
    let flagged = items
        .iter()
        .filter(|i| i.report.level >= Level::High)
        .count();
    let _ = writeln!(
        out,
        "<header class=\"page\"><h1>{}</h1><p>{} transcript(s), {} at high or critical risk · huashu {} · lexicons {}{}</p></header>\n<main>",
        esc(title),
        items.len(),
        flagged,
        esc(env!("CARGO_PKG_VERSION")),
        esc(analyzer.lexicon_fingerprint()),
        generated
            .map(|g| format!(" · generated {}", esc(g)))
            .unwrap_or_default()
    );
    for item in items {
        section(&mut out, analyzer, item);
    }
    let legend: Vec<String> = analyzer
        .tactics()
        .iter()
        .map(|t| {
            format!(
                "<span><i class=\"sw\" style=\"background:{}\"></i>{} {}</span>",
                t.color,
                esc(&t.name_zh),
                esc(&t.name_en)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"legend\">{}<br>Solid underline: scoring evidence. Dotted: neutralized (negation, warning, reported speech or allow-listed). Hover a mark for its rule and legal basis.</p>\n</main></body></html>",
        legend.join("")
    );
    out
}

/// The first citation, with the others folded under it.
fn legal_cell(laws: &[String]) -> String {
    match laws {
        [] => String::new(),
        [one] => esc(one),
        [first, rest @ ..] => format!(
            "{}<details><summary>{} more</summary>{}</details>",
            esc(first),
            rest.len(),
            rest.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br>")
        ),
    }
}

fn section(out: &mut String, analyzer: &Analyzer, item: &HtmlItem<'_>) {
    let (t, r, p) = (item.transcript, item.report, item.provenance);
    let color_of = |id: &str| {
        analyzer
            .tactic(id)
            .map_or("#7f8c8d", |t| t.color.as_str())
            .to_string()
    };
    let _ = writeln!(
        out,
        "<section class=\"t\"><div class=\"head\"><h2>{}</h2><span class=\"badge\" style=\"background:{}\">{}</span><span class=\"score\">score {:.2}</span></div>",
        esc(&t.id),
        level_color(r.level),
        r.level.as_str().to_uppercase(),
        r.score
    );
    let _ = writeln!(
        out,
        "<div class=\"prov\">source {} · input sha256 {} {}· huashu {} · lexicons {}</div>",
        esc(&p.source),
        esc(p.sha256.as_deref().unwrap_or("(not known)")),
        p.record_sha256
            .as_deref()
            .map(|h| format!("· text sha256 {} ", esc(h)))
            .unwrap_or_default(),
        esc(&p.huashu_version),
        esc(&p.lexicons)
    );
    let summary = super::case_summary(analyzer, r);
    let _ = writeln!(
        out,
        "<div class=\"summary\"><p lang=\"zh-CN\">{}</p><p lang=\"en\">{}</p></div>",
        esc(&summary.zh),
        esc(&summary.en)
    );
    if !r.tactics.is_empty() {
        out.push_str(
            "<table><tr><th>tactic</th><th>evidence</th><th>score</th><th>legal basis</th></tr>\n",
        );
        for ts in &r.tactics {
            let tactic = analyzer.tactic(&ts.tactic);
            let _ = writeln!(
                out,
                "<tr><td><i class=\"sw\" style=\"background:{}\"></i>{} <span class=\"law\">{}</span></td><td>{}</td><td>{:.2}</td><td class=\"law\">{}</td></tr>",
                color_of(&ts.tactic),
                esc(tactic.map_or(&ts.tactic, |x| &x.name_zh)),
                esc(&ts.tactic),
                ts.findings,
                ts.score,
                tactic
                    .map(|x| legal_cell(&x.legal_basis))
                    .unwrap_or_default()
            );
        }
        out.push_str("</table>\n");
    }
    for combo in &r.combos {
        let _ = writeln!(
            out,
            "<p class=\"combo\">Combination <b>{}</b> (+{:.2}): {}</p>",
            esc(&combo.id),
            combo.bonus,
            esc(&combo.description)
        );
    }
    timeline(out, t, r);
    body(out, analyzer, t, r);
    out.push_str("</section>\n");
}

/// A strip along the stream's timeline (or text, when there are no timestamps) showing where
/// the scoring evidence concentrates.
fn timeline(out: &mut String, t: &Transcript, r: &Report) {
    const BINS: usize = 60;
    let timed = t.segments.iter().all(|s| s.start_ms.is_some());
    let joined_len = t.joined().chars().count().max(1) as f64;
    let span = if timed {
        t.segments
            .iter()
            .filter_map(|s| s.end_ms.or(s.start_ms))
            .max()
            .unwrap_or(0)
            .max(1) as f64
    } else {
        joined_len
    };
    let mut bins = [0.0f64; BINS];
    let mut tags: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); BINS];
    for f in r.findings.iter().filter(|f| f.is_scoring()) {
        let at = if timed {
            f.start_ms.unwrap_or(0) as f64
        } else {
            f.char_start as f64
        };
        let b = ((at / span) * BINS as f64)
            .floor()
            .clamp(0.0, (BINS - 1) as f64) as usize;
        bins[b] += f.contribution.max(f.weight * 0.25);
        tags[b].insert(f.tactic.as_str());
    }
    out.push_str("<div class=\"timeline\" title=\"where risk concentrates\">");
    for (i, v) in bins.iter().enumerate() {
        let from = span * i as f64 / BINS as f64;
        let label = if timed {
            clock(from as u64)
        } else {
            format!("char {}", from as u64)
        };
        let what: Vec<&str> = tags[i].iter().copied().collect();
        let _ = write!(
            out,
            "<div style=\"background:{}\" title=\"{} {}\"></div>",
            tint(
                "#c0392b",
                (v.min(1.0) * 0.95).max(if *v > 0.0 { 0.15 } else { 0.0 })
            ),
            esc(&label),
            esc(&what.join(", "))
        );
    }
    out.push_str("</div>");
    let end_label = if timed {
        clock(span as u64)
    } else {
        format!("{} chars", joined_len as u64)
    };
    let start_label = if timed { clock(0) } else { "0".to_string() };
    let _ = writeln!(
        out,
        "<div class=\"ticks\"><span>{start_label}</span><span>{}</span></div>",
        esc(&end_label)
    );
}

/// The transcript, segment by segment, with every finding marked.
fn body(out: &mut String, analyzer: &Analyzer, t: &Transcript, r: &Report) {
    let joined = t.joined();
    // Every (start, end, finding) mark; boundaries split the text into pieces that are each
    // covered by a fixed set of marks.
    // (A report that does not belong to this transcript may hold spans outside it or inside a
    // character: those are not marked.)
    let mut spans: Vec<(usize, usize, &Finding)> = Vec::new();
    for f in &r.findings {
        for (s, e) in marks(f) {
            if s < e && joined.get(s..e).is_some() {
                spans.push((s, e, f));
            }
        }
    }
    spans.sort_by_key(|&(s, e, _)| (s, e));
    // A sweep over the pieces in order: `active` holds the marks that started at or before the
    // current piece and have not ended.
    let mut next = 0;
    let mut active: Vec<(usize, usize, &Finding)> = Vec::new();
    let mut cuts: BTreeSet<usize> = spans.iter().flat_map(|(s, e, _)| [*s, *e]).collect();
    for (i, s) in t.segment_starts().into_iter().enumerate() {
        cuts.insert(s);
        cuts.insert(s + t.segments[i].text.len());
    }
    for (i, (seg, start)) in t.segments.iter().zip(t.segment_starts()).enumerate() {
        let end = start + seg.text.len();
        let ts = seg
            .start_ms
            .map(clock)
            .unwrap_or_else(|| format!("#{}", i + 1));
        let _ = write!(
            out,
            "<div class=\"seg\"><span class=\"ts\">{}</span><span>",
            esc(&ts)
        );
        let points: Vec<usize> = cuts.range(start..=end).copied().collect();
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a >= b {
                continue;
            }
            let piece = esc(&joined[a..b]);
            while next < spans.len() && spans[next].0 <= a {
                active.push(spans[next]);
                next += 1;
            }
            active.retain(|&(_, e, _)| e > a);
            // Every mark boundary is a cut, so a mark that covers `a` covers the whole piece.
            let mut covering: Vec<&Finding> = active.iter().map(|x| x.2).collect();
            if covering.is_empty() {
                out.push_str(&piece);
                continue;
            }
            covering.sort_by(|x, y| {
                x.neutralized
                    .is_some()
                    .cmp(&y.neutralized.is_some())
                    .then(y.weight.total_cmp(&x.weight))
            });
            let top = covering[0];
            let color = analyzer
                .tactic(&top.tactic)
                .map_or("#7f8c8d", |x| x.color.as_str());
            let title: Vec<String> = covering
                .iter()
                .map(|f| {
                    let name = analyzer
                        .tactic(&f.tactic)
                        .map_or(f.tactic.as_str(), |x| x.name_zh.as_str());
                    let state = match &f.neutralized {
                        Some(n) => format!(" — neutralized ({}: {})", n.reason, n.cue),
                        None => format!(" — weight {:.2}", f.weight),
                    };
                    format!("{name} · {}{state}\n{}", f.rule, f.legal_basis.join("\n"))
                })
                .collect();
            let _ = write!(
                out,
                "<mark class=\"{}\" style=\"border-color:{color};background:{}\" title=\"{}\">{piece}</mark>",
                if top.neutralized.is_some() { "n" } else { "s" },
                tint(
                    color,
                    if top.neutralized.is_some() {
                        0.06
                    } else {
                        0.16
                    }
                ),
                esc(&title.join("\n\n"))
            );
        }
        out.push_str("</span></div>\n");
    }
}
