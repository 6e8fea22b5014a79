//! Scan transcript files for fraud scripts and print the evidence.
//!
//! ```text
//! cargo run --release --example scan -- [OPTIONS] FILE...
//! ```
//!
//! Reads plain text, SRT, WebVTT, JSON Lines, Whisper JSON and FunASR JSON (UTF-8 or GBK),
//! analyses every transcript in parallel and prints, in input order, each transcript's risk and
//! evidence as text, JSON, JSON Lines or one HTML page. Run with `--help` for the options.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use huashu::record::{Provenance, Record, hex};
use huashu::render::{HtmlItem, TextOptions, html_page, text};
use huashu::transcript::{
    Format, ReadOptions, Records, Transcript, read_path_with, read_reader_with,
};
use huashu::{Analyzer, Level};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

const HELP: &str = "\
scan: find fraud scripts in Chinese livestream transcripts

USAGE:
    cargo run --release --example scan -- [OPTIONS] FILE...      (- reads standard input)

OPTIONS:
    --format text|json|jsonl|html   output format (default: text)
    --input auto|txt|srt|vtt|jsonl|whisper|funasr
                                    input format (default: auto, from extension and content)
    --min-level LEVEL               only report transcripts at or above LEVEL
                                    (none, low, medium, high, critical)
    --fail-level LEVEL              exit 1 when any transcript reaches LEVEL
    --lexicons PATH                 add or override lexicons (a .toml file or a directory);
                                    may be repeated
    --only TACTIC,...               only these tactics
    --show-neutralized              also list neutralized findings (text format)
    --include-text                  put the analysed text and its segments in each JSON/JSONL
                                    record (`text`, `segments`), so that text[start..end] is
                                    each finding's evidence
    --color auto|always|never       colour in text output (default: auto; NO_COLOR disables)
    --strict                        a malformed cue or record fails its file (by default it is
                                    reported with its line and skipped, and the rest is read)
    --lossy                         decode bytes that are neither UTF-8 nor GB18030 as U+FFFD
                                    (counted) instead of refusing the file
    --summary FILE                  write a JSON summary of the run to FILE (- : standard error,
                                    after the usual summary line): counts per level, errors,
                                    skipped, replaced, whether --fail-level was reached, the exit
                                    status
    -o, --output FILE               write the report to FILE instead of standard output
    -h, --help                      this help
    -V, --version                   the huashu version

EXIT STATUS (bits, so a pipeline can test each):
    0  every input read in full, no transcript at or above --fail-level
    1  a transcript reached --fail-level (risk found)
    2  errors: an argument, lexicon or output could not be used, or some input was not read in
       full (a file refused, a cue or record skipped); each is printed with its file and line
    3  both 1 and 2: risk found, and some input was bad
";

#[derive(Clone, Copy, PartialEq)]
enum Out {
    Text,
    Json,
    Jsonl,
    Html,
}

struct Options {
    out: Out,
    input: Option<Format>,
    min_level: Level,
    fail_level: Option<Level>,
    lexicons: Vec<String>,
    only: Option<Vec<String>>,
    show_neutralized: bool,
    include_text: bool,
    strict: bool,
    lossy: bool,
    summary: Option<String>,
    color: Option<bool>,
    output: Option<String>,
    files: Vec<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        out: Out::Text,
        input: None,
        min_level: Level::None,
        fail_level: None,
        lexicons: Vec::new(),
        only: None,
        show_neutralized: false,
        include_text: false,
        strict: false,
        lossy: false,
        summary: None,
        color: None,
        output: None,
        files: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            "-V" | "--version" => {
                println!("huashu {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            "--format" => {
                o.out = match value("--format")?.as_str() {
                    "text" => Out::Text,
                    "json" => Out::Json,
                    "jsonl" => Out::Jsonl,
                    "html" => Out::Html,
                    other => {
                        return Err(format!(
                            "unknown output format `{other}` (text, json, jsonl, html)"
                        ));
                    }
                }
            }
            "--input" => {
                let v = value("--input")?;
                o.input = if v == "auto" { None } else { Some(v.parse()?) };
            }
            "--min-level" => o.min_level = value("--min-level")?.parse()?,
            "--fail-level" => o.fail_level = Some(value("--fail-level")?.parse()?),
            "--lexicons" => o.lexicons.push(value("--lexicons")?),
            "--only" => {
                o.only = Some(
                    value("--only")?
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            "--show-neutralized" => o.show_neutralized = true,
            "--include-text" => o.include_text = true,
            "--strict" => o.strict = true,
            "--lossy" => o.lossy = true,
            "--summary" => o.summary = Some(value("--summary")?),
            "--color" => {
                o.color = match value("--color")?.as_str() {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    other => {
                        return Err(format!(
                            "unknown colour mode `{other}` (auto, always, never)"
                        ));
                    }
                }
            }
            "-o" | "--output" => o.output = Some(value("--output")?),
            "-" => o.files.push(arg),
            f if f.starts_with('-') => return Err(format!("unknown option `{f}` (see --help)")),
            _ => o.files.push(arg),
        }
    }
    if o.files.is_empty() {
        return Err("no input files (give FILE... or - for standard input; see --help)".into());
    }
    Ok(o)
}

fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Standard input copied to a temporary file while it is hashed, so that every record of it
/// carries the full SHA-256 of the input (the hash is known only at its end) and memory stays
/// bounded however large it is. The file is removed when this is dropped.
struct Spooled {
    path: std::path::PathBuf,
    sha256: String,
}

impl Spooled {
    fn stdin() -> io::Result<Spooled> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path =
            std::env::temp_dir().join(format!("huashu-scan-stdin-{}-{nanos}", std::process::id()));
        let mut spooled = Spooled {
            path,
            sha256: String::new(),
        };
        let mut file = File::create(&spooled.path)?;
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut stdin = io::stdin().lock();
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            h.update(&buf[..n]);
            file.write_all(&buf[..n])?;
        }
        file.flush()?;
        spooled.sha256 = hex(&h.finalize());
        Ok(spooled)
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// One analysed transcript, ready to print.
struct Done {
    transcript: Transcript,
    record: Record,
}

struct Stats {
    files: usize,
    transcripts: usize,
    by_level: [usize; 5],
    errors: usize,
    skipped: usize,
    replaced: usize,
    bytes: usize,
}

/// The exit status: bit 1 when a transcript reached `--fail-level`, bit 2 when any input was
/// not read in full (an error, or a skipped cue or record), so 3 is both.
const EXIT_RISK: u8 = 1;
const EXIT_ERRORS: u8 = 2;

/// The machine-readable summary of a run (`--summary`).
fn summary_json(stats: &Stats, opts: &Options, failed: bool, exit: u8, secs: f64) -> String {
    let levels: serde_json::Map<String, serde_json::Value> = Level::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), stats.by_level[*l as usize].into()))
        .collect();
    serde_json::json!({
        "huashu_version": env!("CARGO_PKG_VERSION"),
        "files": stats.files,
        "transcripts": stats.transcripts,
        "levels": levels,
        "errors": stats.errors,
        "skipped": stats.skipped,
        "replaced": stats.replaced,
        "fail_level": opts.fail_level.map(|l| l.as_str()),
        "fail_level_reached": failed,
        "exit": exit,
        "bytes": stats.bytes,
        "seconds": (secs * 1000.0).round() / 1000.0,
    })
    .to_string()
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("scan: {e}");
            return ExitCode::from(2);
        }
    };
    let mut builder = Analyzer::builder();
    for l in &opts.lexicons {
        builder.lexicon_path(l);
    }
    if let Some(only) = &opts.only {
        builder.only_tactics(only);
    }
    let analyzer = match builder.build() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("scan: {e}");
            return ExitCode::from(2);
        }
    };
    let sink: Box<dyn Write> = match &opts.output {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("scan: cannot write {path}: {e}");
                return ExitCode::from(2);
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let color = opts.color.unwrap_or_else(|| {
        opts.output.is_none()
            && io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none()
    });
    let text_opts = TextOptions {
        color,
        show_neutralized: opts.show_neutralized,
    };
    let started = Instant::now();
    let mut stats = Stats {
        files: 0,
        transcripts: 0,
        by_level: [0; 5],
        errors: 0,
        skipped: 0,
        replaced: 0,
        bytes: 0,
    };
    let mut failed = false;
    let mut html_items: Vec<Done> = Vec::new();
    let mut json_first = true;
    if opts.out == Out::Json {
        let _ = writeln!(out, "[");
    }
    let progress = if io::stderr().is_terminal() && opts.files.len() > 3 {
        let pb = ProgressBar::new(opts.files.len() as u64);
        pb.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let mut stdin_hash = None;
    let read_opts = ReadOptions::new()
        .format(opts.input)
        .strict(opts.strict)
        .lossy(opts.lossy);

    for name in &opts.files {
        stats.files += 1;
        let mut spooled = None;
        let (records, file_hash): (Records, Option<String>) = if name == "-" {
            let spool = match Spooled::stdin() {
                Ok(s) => spooled.insert(s),
                Err(e) => {
                    eprintln!("scan: cannot read standard input: {e}");
                    stats.errors += 1;
                    continue;
                }
            };
            stdin_hash = Some(spool.sha256.clone());
            let opened = File::open(&spool.path).map_err(|source| huashu::Error::Io {
                path: "-".into(),
                source,
            });
            match opened.and_then(|f| read_reader_with("-", f, &read_opts)) {
                Ok(r) => (r, Some(spool.sha256.clone())),
                Err(e) => {
                    eprintln!("scan: {e}");
                    stats.errors += 1;
                    continue;
                }
            }
        } else {
            let path = Path::new(name);
            let hash = match sha256_file(path) {
                Ok(h) => Some(h),
                Err(e) => {
                    eprintln!("scan: cannot read {name}: {e}");
                    stats.errors += 1;
                    continue;
                }
            };
            match read_path_with(path, &read_opts) {
                Ok(r) => (r, hash),
                Err(e) => {
                    eprintln!("scan: {e}");
                    stats.errors += 1;
                    continue;
                }
            }
        };
        // Analyse in batches: parallel inside a batch, output in input order, memory bounded.
        let mut records = records.peekable();
        while records.peek().is_some() {
            let batch: Vec<_> = records.by_ref().take(256).collect();
            let done: Vec<huashu::Result<Done>> = batch
                .into_par_iter()
                .map(|r| match r {
                    Ok(transcript) => {
                        let provenance = Provenance::new(&analyzer, name, file_hash.clone());
                        let mut record = Record::analyze(&analyzer, &transcript, provenance);
                        if opts.include_text {
                            record = record.with_text(&transcript);
                        }
                        Ok(Done { transcript, record })
                    }
                    Err(e) => Err(e),
                })
                .collect();
            for d in done {
                let d = match d {
                    Ok(d) => d,
                    Err(e) if opts.strict => {
                        eprintln!("scan: {e} (--strict: the rest of the file is not read)");
                        stats.errors += 1;
                        continue;
                    }
                    Err(e) => {
                        eprintln!("scan: {e} (record skipped)");
                        stats.skipped += 1;
                        continue;
                    }
                };
                for sk in &d.transcript.skipped {
                    let col = sk.column.map(|c| format!(":{c}")).unwrap_or_default();
                    eprintln!("scan: {name}:{}{col}: {} (skipped)", sk.line, sk.reason);
                    stats.skipped += 1;
                }
                if d.transcript.replaced > 0 {
                    eprintln!(
                        "scan: {name}: {}: {} invalid byte sequence(s) decoded as U+FFFD",
                        d.transcript.id, d.transcript.replaced
                    );
                    stats.replaced += d.transcript.replaced;
                }
                stats.transcripts += 1;
                stats.bytes += d
                    .transcript
                    .segments
                    .iter()
                    .map(|s| s.text.len())
                    .sum::<usize>();
                stats.by_level[d.record.report.level as usize] += 1;
                if opts.fail_level.is_some_and(|l| d.record.report.level >= l) {
                    failed = true;
                }
                if d.record.report.level < opts.min_level {
                    continue;
                }
                let written = match opts.out {
                    Out::Jsonl => writeln!(out, "{}", d.record.to_json_line()),
                    Out::Json => {
                        let sep = if json_first { "" } else { "," };
                        json_first = false;
                        writeln!(out, "{sep}{}", d.record.to_json_line())
                    }
                    Out::Text => writeln!(
                        out,
                        "{}",
                        text(
                            &analyzer,
                            &d.transcript,
                            &d.record.report,
                            &d.record.provenance,
                            &text_opts
                        )
                    ),
                    Out::Html => {
                        html_items.push(d);
                        Ok(())
                    }
                };
                if let Err(e) = written {
                    if e.kind() == io::ErrorKind::BrokenPipe {
                        return ExitCode::SUCCESS;
                    }
                    eprintln!("scan: cannot write the report: {e}");
                    return ExitCode::from(2);
                }
            }
            if let Some(pb) = &progress {
                pb.set_message(format!("{} transcripts", stats.transcripts));
            }
        }
        if let Some(pb) = &progress {
            pb.inc(1);
        }
    }
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    let finished = match opts.out {
        Out::Json => writeln!(out, "]"),
        Out::Html => {
            let items: Vec<HtmlItem<'_>> = html_items
                .iter()
                .map(|d| HtmlItem {
                    transcript: &d.transcript,
                    report: &d.record.report,
                    provenance: &d.record.provenance,
                })
                .collect();
            write!(
                out,
                "{}",
                html_page(&analyzer, &items, "huashu · 直播话术风险报告", None)
            )
        }
        _ => Ok(()),
    };
    if let Err(e) = finished.and_then(|_| out.flush()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("scan: cannot write the report: {e}");
            return ExitCode::from(2);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let exit = if failed { EXIT_RISK } else { 0 }
        | if stats.errors + stats.skipped > 0 {
            EXIT_ERRORS
        } else {
            0
        };
    let mut summary = format!(
        "scan: {} file(s), {} transcript(s): critical {}, high {}, medium {}, low {}, none {}; {} error(s), {} skipped; {:.1} MB in {:.2} s ({:.1} MB/s)",
        stats.files,
        stats.transcripts,
        stats.by_level[4],
        stats.by_level[3],
        stats.by_level[2],
        stats.by_level[1],
        stats.by_level[0],
        stats.errors,
        stats.skipped,
        stats.bytes as f64 / 1e6,
        secs,
        stats.bytes as f64 / 1e6 / secs.max(1e-9)
    );
    if stats.replaced > 0 {
        summary.push_str(&format!("; {} byte sequence(s) replaced", stats.replaced));
    }
    if let Some(h) = stdin_hash {
        summary.push_str(&format!("; stdin sha256 {h}"));
    }
    eprintln!("{summary}");
    if let Some(path) = &opts.summary {
        let json = summary_json(&stats, &opts, failed, exit, secs);
        if path == "-" {
            eprintln!("{json}");
        } else if let Err(e) = std::fs::write(path, format!("{json}\n")) {
            eprintln!("scan: cannot write the summary to {path}: {e}");
            return ExitCode::from(EXIT_ERRORS | exit);
        }
    }
    ExitCode::from(exit)
}
