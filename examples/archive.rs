//! Keep analysed transcripts in a searchable archive and query it.
//!
//! ```text
//! cargo run --release --example archive -- add DIR [--room R] [--streamer S] [--start TIME] FILE...
//! cargo run --release --example archive -- search DIR "高价回收" --tactic buyback_promise --min-score 0.7 --limit 20
//! cargo run --release --example archive -- stats DIR [QUERY]
//! ```
//!
//! `add` reads every transcript format the scan example reads, analyses them in parallel and
//! commits them (re-adding an id replaces it). `search` prints ranked hits with highlighted
//! snippets and their evidence; `stats` counts transcripts by tactic and level.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use huashu::index::{Meta, SearchQuery, SortBy, TranscriptIndex};
use huashu::render::clock;
use huashu::transcript::{Transcript, read_path, rfc3339_ms};
use huashu::{Analyzer, Level};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

const USAGE: &str = "\
usage:
  archive add DIR [--room R] [--streamer S] [--start TIME] FILE...
  archive search DIR [QUERY] [--tactic T]... [--all-tactics T]... [--min-score X] [--max-score X]
                     [--min-level L] [--room R] [--from TIME] [--to TIME]
                     [--sort relevance|score|time] [--limit N] [--offset N] [--json]
  archive stats DIR [QUERY]

add: --room, --streamer and --start (the stream's start) apply to every transcript added;
     a JSON Lines record's own `room`, `streamer` and `start_time` win over them.
TIME: milliseconds since the Unix epoch, or an RFC 3339 time (2026-08-15T20:00:00+08:00).
--from/--to select transcripts whose stream started in [from, to).";

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("archive: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let analyzer = Analyzer::default_ref();
    match args.first().map(String::as_str) {
        Some("add") if args.len() >= 3 => add(analyzer, &args[1], &args[2..]),
        Some("add") => fail(format!("add needs DIR and FILE...\n{USAGE}")),
        Some("search") if args.len() >= 2 => search(analyzer, &args[1], &args[2..]),
        Some("stats") if args.len() >= 2 => stats(
            analyzer,
            &args[1],
            args.get(2).map(String::as_str).unwrap_or(""),
        ),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => fail(format!("bad arguments\n{USAGE}")),
    }
}

fn open_or_create(dir: &str, analyzer: &Analyzer) -> huashu::Result<TranscriptIndex> {
    let path = Path::new(dir);
    if path.join("huashu-index.json").exists() {
        TranscriptIndex::open(path, analyzer)
    } else {
        TranscriptIndex::create(path, analyzer)
    }
}

/// A time given on the command line: epoch milliseconds or RFC 3339.
fn parse_time(flag: &str, v: &str) -> Result<i64, String> {
    v.trim()
        .parse::<i64>()
        .ok()
        .or_else(|| rfc3339_ms(v))
        .ok_or_else(|| {
            format!("{flag} `{v}`: expected milliseconds since the Unix epoch or an RFC 3339 time (2026-08-15T20:00:00+08:00)")
        })
}

/// The archive metadata of one transcript: its own (JSON Lines fields) over the flags'.
fn meta_of(t: &Transcript, file: &str, flags: &Meta) -> Meta {
    let mut meta = Meta::default().source(file);
    if let Some(room) = t.meta.room.clone().or_else(|| flags.room.clone()) {
        meta = meta.room(room);
    }
    if let Some(s) = t.meta.streamer.clone().or_else(|| flags.streamer.clone()) {
        meta = meta.streamer(s);
    }
    if let Some(ms) = t.meta.start_ms.or(flags.start_ms) {
        meta = meta.start_ms(ms);
    }
    meta
}

/// Checks tactic ids against the analyzer's: an unknown id is an error listing the valid ones.
fn check_tactics(analyzer: &Analyzer, ids: &[String]) -> Result<(), String> {
    for id in ids {
        if analyzer.tactic(id).is_none() {
            let valid: Vec<&str> = analyzer.tactics().iter().map(|t| t.id.as_str()).collect();
            return Err(format!(
                "unknown tactic `{id}`; valid tactics: {}",
                valid.join(", ")
            ));
        }
    }
    Ok(())
}

fn add(analyzer: &Analyzer, dir: &str, args: &[String]) -> ExitCode {
    let mut flags = Meta::default();
    let mut files: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let parsed: Result<(), String> = (|| {
            match a.as_str() {
                "--room" => flags = flags.clone().room(value("--room")?),
                "--streamer" => flags = flags.clone().streamer(value("--streamer")?),
                "--start" => {
                    flags = flags
                        .clone()
                        .start_ms(parse_time("--start", &value("--start")?)?)
                }
                s if s.starts_with("--") => return Err(format!("unknown option `{s}`\n{USAGE}")),
                f => files.push(f.to_string()),
            }
            Ok(())
        })();
        if let Err(e) = parsed {
            return fail(e);
        }
    }
    if files.is_empty() {
        return fail(format!("add needs FILE...\n{USAGE}"));
    }
    let files = &files;
    let archive = match open_or_create(dir, analyzer) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let mut writer = match archive.writer() {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let pb = ProgressBar::new(files.len() as u64);
        pb.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    });
    let (mut added, mut errors) = (0usize, 0usize);
    for file in files {
        let records = match read_path(Path::new(file), None) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("archive: {e}");
                errors += 1;
                continue;
            }
        };
        let mut records = records.peekable();
        while records.peek().is_some() {
            let batch: Vec<_> = records.by_ref().take(256).collect();
            let analysed: Vec<_> = batch
                .into_par_iter()
                .map(|r| {
                    r.map(|t| {
                        let report = analyzer.analyze_transcript(&t);
                        (t, report)
                    })
                })
                .collect();
            for item in analysed {
                match item {
                    Ok((t, report)) => {
                        for sk in &t.skipped {
                            eprintln!("archive: {file}:{}: {} (skipped)", sk.line, sk.reason);
                            errors += 1;
                        }
                        match writer.add(&t, &report, &meta_of(&t, file, &flags)) {
                            Ok(()) => added += 1,
                            Err(e) => return fail(e),
                        }
                    }
                    Err(e) => {
                        eprintln!("archive: {e}");
                        errors += 1;
                    }
                }
            }
            if let Some(pb) = &progress {
                pb.set_message(format!("{added} transcripts"));
            }
        }
        if let Some(pb) = &progress {
            pb.inc(1);
        }
    }
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    if let Err(e) = writer.commit() {
        return fail(e);
    }
    eprintln!(
        "archive: added {added} transcript(s) to {dir} ({} in all); {errors} error(s)",
        archive.len()
    );
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn search(analyzer: &Analyzer, dir: &str, args: &[String]) -> ExitCode {
    let mut q = SearchQuery::default().limit(20);
    let mut json = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let parsed: Result<(), String> = (|| {
            match a.as_str() {
                "--tactic" => q.tactics_any.push(value("--tactic")?),
                "--all-tactics" => q.tactics_all.push(value("--all-tactics")?),
                "--min-score" => {
                    q.min_score = Some(
                        value("--min-score")?
                            .parse()
                            .map_err(|e| format!("--min-score: {e}"))?,
                    )
                }
                "--max-score" => {
                    q.max_score = Some(
                        value("--max-score")?
                            .parse()
                            .map_err(|e| format!("--max-score: {e}"))?,
                    )
                }
                "--min-level" => q.min_level = Some(value("--min-level")?.parse::<Level>()?),
                "--room" => q.room = Some(value("--room")?),
                "--from" => q.from_ms = Some(parse_time("--from", &value("--from")?)?),
                "--to" => q.to_ms = Some(parse_time("--to", &value("--to")?)?),
                "--limit" => {
                    q.limit = value("--limit")?
                        .parse()
                        .map_err(|e| format!("--limit: {e}"))?
                }
                "--offset" => {
                    q.offset = value("--offset")?
                        .parse()
                        .map_err(|e| format!("--offset: {e}"))?
                }
                "--sort" => {
                    q.sort = match value("--sort")?.as_str() {
                        "relevance" => SortBy::Relevance,
                        "score" => SortBy::Score,
                        "time" => SortBy::Time,
                        other => {
                            return Err(format!("unknown sort `{other}` (relevance, score, time)"));
                        }
                    }
                }
                "--json" => json = true,
                s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
                text => {
                    if !q.text.is_empty() {
                        q.text.push(' ');
                    }
                    q.text.push_str(text);
                }
            }
            Ok(())
        })();
        if let Err(e) = parsed {
            return fail(e);
        }
    }
    if let Err(e) = check_tactics(analyzer, &q.tactics_any)
        .and_then(|_| check_tactics(analyzer, &q.tactics_all))
    {
        return fail(e);
    }
    let archive = match TranscriptIndex::open(dir, analyzer) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let started = std::time::Instant::now();
    let results = match archive.search(&q) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let took = started.elapsed();
    if json {
        println!("{}", serde_json::to_string(&results).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    println!(
        "{} matching transcript(s), showing {} ({:?})",
        results.total,
        results.hits.len(),
        took
    );
    for (n, h) in results.hits.iter().enumerate() {
        println!(
            "\n{:>3}. {}  score {:.2}  {}  {}{}",
            q.offset + n + 1,
            h.id,
            h.score,
            h.level.as_str().to_uppercase(),
            h.tactics.join(", "),
            [
                h.meta.source.as_ref().map(|s| format!("  [{s}]")),
                h.meta.room.as_ref().map(|r| format!("  room {r}")),
                h.meta.streamer.as_ref().map(|s| format!("  streamer {s}")),
                h.meta.start_ms.map(|ms| format!("  started {ms} ms")),
            ]
            .into_iter()
            .flatten()
            .collect::<String>()
        );
        if !h.snippet.fragment.is_empty() {
            let mut line = String::new();
            let mut at = 0;
            for r in &h.snippet.highlights {
                line.push_str(&h.snippet.fragment[at..r.start]);
                let word = &h.snippet.fragment[r.clone()];
                line.push_str(&if color {
                    format!("\x1b[1;31m{word}\x1b[0m")
                } else {
                    format!("«{word}»")
                });
                at = r.end;
            }
            line.push_str(&h.snippet.fragment[at..]);
            println!("     …{}…", line.replace('\n', " "));
        }
        for f in h.findings.iter().filter(|f| f.is_scoring()).take(5) {
            let when = f
                .start_ms
                .map(clock)
                .unwrap_or_else(|| format!("@{}", f.char_start));
            println!(
                "     [{when}] {} · {} «{}»",
                f.tactic,
                f.rule,
                f.matched.replace('\n', " ")
            );
        }
    }
    ExitCode::SUCCESS
}

fn stats(analyzer: &Analyzer, dir: &str, query: &str) -> ExitCode {
    let archive = match TranscriptIndex::open(dir, analyzer) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    match archive.counts(&SearchQuery::text(query)) {
        Ok(c) => {
            println!(
                "{} transcript(s){}",
                c.total,
                if query.is_empty() {
                    String::new()
                } else {
                    format!(" matching `{query}`")
                }
            );
            println!("by level:");
            for (l, n) in &c.by_level {
                println!("  {:<9} {n}", l.as_str());
            }
            println!("by tactic:");
            for (t, n) in &c.by_tactic {
                let name = analyzer
                    .tactic(t)
                    .map_or(t.as_str(), |x| x.name_zh.as_str());
                println!("  {t:<20} {name:<14} {n}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
