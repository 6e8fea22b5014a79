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
use huashu::transcript::{Format, Records, Transcript, read_path, read_reader};
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
    --color auto|always|never       colour in text output (default: auto; NO_COLOR disables)
    -o, --output FILE               write the report to FILE instead of standard output
    -h, --help                      this help
    -V, --version                   the huashu version

EXIT STATUS: 0 done, 1 a transcript reached --fail-level, 2 errors (bad arguments, unreadable
files or records; every error is printed with its file and line).
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

/// Standard input, hashed as it is read.
struct HashingStdin {
    inner: io::Stdin,
    hasher: std::sync::Arc<std::sync::Mutex<Sha256>>,
}

impl Read for HashingStdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut h) = self.hasher.lock() {
            h.update(&buf[..n]);
        }
        Ok(n)
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
    bytes: usize,
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

    for name in &opts.files {
        stats.files += 1;
        let (records, file_hash): (Records, Option<String>) = if name == "-" {
            let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
            stdin_hash = Some(hasher.clone());
            let stdin = HashingStdin {
                inner: io::stdin(),
                hasher,
            };
            match read_reader("-", stdin, opts.input) {
                Ok(r) => (r, None),
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
            match read_path(path, opts.input) {
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
            let done: Vec<Option<Done>> = batch
                .into_par_iter()
                .map(|r| match r {
                    Ok(transcript) => {
                        let provenance = Provenance::new(&analyzer, name, file_hash.clone());
                        let record = Record::analyze(&analyzer, &transcript, provenance);
                        Some(Done { transcript, record })
                    }
                    Err(e) => {
                        eprintln!("scan: {e}");
                        None
                    }
                })
                .collect();
            for d in done {
                let Some(d) = d else {
                    stats.errors += 1;
                    continue;
                };
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
    let mut summary = format!(
        "scan: {} file(s), {} transcript(s): critical {}, high {}, medium {}, low {}, none {}; {} error(s); {:.1} MB in {:.2} s ({:.1} MB/s)",
        stats.files,
        stats.transcripts,
        stats.by_level[4],
        stats.by_level[3],
        stats.by_level[2],
        stats.by_level[1],
        stats.by_level[0],
        stats.errors,
        stats.bytes as f64 / 1e6,
        secs,
        stats.bytes as f64 / 1e6 / secs.max(1e-9)
    );
    if let Some(h) = stdin_hash.and_then(|h| h.lock().ok().map(|h| hex(&h.clone().finalize()))) {
        summary.push_str(&format!("; stdin sha256 {h}"));
    }
    eprintln!("{summary}");
    if stats.errors > 0 {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
