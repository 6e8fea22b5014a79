//! `huashu._core`: the extension module behind the `huashu` Python package.
//!
//! A thin layer over the huashu crate. Every result crosses into Python as JSON text made by
//! the library's own serializers (`huashu::record::Record::to_json_line`, the lines the scan
//! example prints, and the `Report`/`Finding` serde derives), and the Python layer parses it:
//! so a dict in Python and a line of `scan --format jsonl` share one schema by construction.
//!
//! Analysis runs with the GIL released; a panic is caught at this boundary and becomes
//! `huashu.InternalError`, never an abort of the interpreter.

use std::any::Any;
use std::fs::File;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use huashu::record::{Provenance, Record, hex, sha256_hex};
use huashu::transcript::{Format, Records, Segment, Transcript, read_bytes, read_path};
use huashu::{Analyzer, Level, LiveSession, SessionConfig, Update};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

/// How many transcripts of one file are analysed at a time (parallel inside a batch), as in
/// the scan example.
const BATCH: usize = 256;

/// What a library error was raised by: building an analyzer or reading a transcript.
#[derive(Clone, Copy)]
enum Stage {
    Build,
    Input,
}

/// An instance of one of `huashu._errors`' exception classes, with its file, line and reason.
fn raise(
    py: Python<'_>,
    class: &str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    reason: String,
) -> PyErr {
    let made = py
        .import("huashu._errors")
        .and_then(|m| m.getattr(class))
        .and_then(|cls| cls.call1((message, file, line, reason)));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

fn library_error(py: Python<'_>, e: huashu::Error, stage: Stage) -> PyErr {
    let message = e.to_string();
    let class = match (&e, stage) {
        (huashu::Error::Input { .. }, _) | (_, Stage::Input) => "InputError",
        (_, Stage::Build) => "LexiconError",
    };
    let (file, line, reason) = match &e {
        huashu::Error::Lexicon { location, reason } | huashu::Error::Input { location, reason } => {
            (Some(location.file.clone()), location.line, reason.clone())
        }
        huashu::Error::Io { path, source } => {
            (Some(path.display().to_string()), None, source.to_string())
        }
        huashu::Error::Build(reason) => (None, None, reason.clone()),
        _ => (None, None, message.clone()),
    };
    raise(py, class, message, file, line, reason)
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(payload.as_ref()))
}

fn internal(py: Python<'_>, reason: String) -> PyErr {
    raise(
        py,
        "InternalError",
        format!("huashu panicked (a bug: please report it with its input): {reason}"),
        None,
        None,
        reason,
    )
}

fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

fn thread_count(threads: Option<usize>) -> PyResult<usize> {
    match threads {
        Some(0) => Err(value_error(
            "threads must be at least 1 (or None for every core)",
        )),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// `f(0..n)` on up to `threads` threads (the calling one included), in order. A slot is `None`
/// only if its worker died, which `f` being panic-guarded rules out.
fn parallel_map<T: Send>(
    n: usize,
    threads: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<Option<T>> {
    if threads <= 1 || n <= 1 {
        return (0..n).map(|i| Some(f(i))).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut slots: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        // A thread that cannot be spawned is no error: the others, and this one, do its share.
        let helpers: Vec<_> = (1..threads.min(n))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        for (i, t) in work() {
            slots[i] = Some(t);
        }
        for h in helpers {
            for (i, t) in h.join().unwrap_or_default() {
                slots[i] = Some(t);
            }
        }
    });
    slots
}

/// Results of guarded work, or the first panic as `InternalError`.
fn collect<T>(py: Python<'_>, slots: Vec<Option<Result<T, String>>>) -> PyResult<Vec<T>> {
    slots
        .into_iter()
        .map(|s| match s {
            Some(Ok(t)) => Ok(t),
            Some(Err(reason)) => Err(internal(py, reason)),
            None => Err(internal(py, "a worker thread died".into())),
        })
        .collect()
}

fn record_line(analyzer: &Analyzer, transcript: &Transcript, provenance: Provenance) -> String {
    Record::analyze(analyzer, transcript, provenance).to_json_line()
}

fn parse_format(format: Option<&str>) -> PyResult<Option<Format>> {
    match format {
        None | Some("auto") => Ok(None),
        Some(f) => f.parse().map(Some).map_err(value_error),
    }
}

/// An analyzer: the compiled lexicons, shared by every thread. See `huashu.Analyzer`.
#[pyclass(name = "Analyzer", module = "huashu._core", frozen)]
struct PyAnalyzer {
    inner: Analyzer,
}

#[pymethods]
impl PyAnalyzer {
    #[new]
    #[pyo3(signature = (lexicons = None, only = None, defaults = true))]
    fn new(
        py: Python<'_>,
        lexicons: Option<Vec<PathBuf>>,
        only: Option<Vec<String>>,
        defaults: bool,
    ) -> PyResult<Self> {
        let lexicons = lexicons.unwrap_or_default();
        let built = py.detach(|| {
            guarded(|| {
                if defaults && lexicons.is_empty() && only.is_none() {
                    return Ok(Analyzer::default_ref().clone());
                }
                let mut builder = Analyzer::builder();
                builder.defaults(defaults);
                for path in &lexicons {
                    builder.lexicon_path(path);
                }
                if let Some(only) = &only {
                    builder.only_tactics(only);
                }
                builder.build()
            })
        });
        match built {
            Ok(Ok(inner)) => Ok(PyAnalyzer { inner }),
            Ok(Err(e)) => Err(library_error(py, e, Stage::Build)),
            Err(reason) => Err(internal(py, reason)),
        }
    }

    /// The record of one text as a JSON line.
    #[pyo3(signature = (text, id, source))]
    fn analyze_json(
        &self,
        py: Python<'_>,
        text: String,
        id: String,
        source: String,
    ) -> PyResult<String> {
        let analyzer = &self.inner;
        py.detach(|| {
            guarded(|| {
                let t = Transcript::from_text(id, text);
                record_line(analyzer, &t, Provenance::new(analyzer, &source, None))
            })
        })
        .map_err(|reason| internal(py, reason))
    }

    /// The records of many texts as JSON lines, analysed on `threads` threads.
    #[pyo3(signature = (texts, ids, source, threads = None))]
    fn analyze_many_json(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        ids: Option<Vec<String>>,
        source: String,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let threads = thread_count(threads)?;
        if let Some(ids) = &ids
            && ids.len() != texts.len()
        {
            return Err(value_error(format!(
                "{} ids for {} texts: give one id a text",
                ids.len(),
                texts.len()
            )));
        }
        let analyzer = &self.inner;
        let slots = py.detach(|| {
            let provenance = Provenance::new(analyzer, &source, None);
            parallel_map(texts.len(), threads, |i| {
                guarded(|| {
                    let id = ids
                        .as_ref()
                        .map_or_else(|| i.to_string(), |ids| ids[i].clone());
                    let t = Transcript::from_text(id, texts[i].as_str());
                    record_line(analyzer, &t, provenance.clone())
                })
            })
        });
        collect(py, slots)
    }

    /// The records of every transcript in a file, as JSON lines (provenance as the scan
    /// example's: the path as given and the file's SHA-256).
    #[pyo3(signature = (path, format = None, threads = None))]
    fn analyze_path_json(
        &self,
        py: Python<'_>,
        path: PathBuf,
        format: Option<&str>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let format = parse_format(format)?;
        let threads = thread_count(threads)?;
        let name = path.display().to_string();
        let analyzer = &self.inner;
        let opened = py.detach(|| -> huashu::Result<(Records, String)> {
            let io = |source| huashu::Error::Io {
                path: path.clone(),
                source,
            };
            let mut file = File::open(&path).map_err(io)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = file.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            Ok((read_path(&path, format)?, hex(&hasher.finalize())))
        });
        let (records, sha256) = opened.map_err(|e| library_error(py, e, Stage::Input))?;
        analyze_records(py, analyzer, records, &name, sha256, threads)
    }

    /// As `analyze_path_json`, for a file's bytes; `name` stands for the path (in messages, the
    /// provenance's `source` and format detection by extension).
    #[pyo3(signature = (data, name, format = None, threads = None))]
    fn analyze_bytes_json(
        &self,
        py: Python<'_>,
        data: &[u8],
        name: String,
        format: Option<&str>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let format = parse_format(format)?;
        let threads = thread_count(threads)?;
        let analyzer = &self.inner;
        let (records, sha256) = py
            .detach(|| Ok((read_bytes(&name, data, format)?, sha256_hex(data))))
            .map_err(|e| library_error(py, e, Stage::Input))?;
        analyze_records(py, analyzer, records, &name, sha256, threads)
    }

    /// A live session (the configuration in full: the Python layer supplies the defaults).
    #[pyo3(signature = (alert_level, lookahead_chars, horizon_chars, horizon_ms, keep_findings))]
    fn session(
        &self,
        alert_level: &str,
        lookahead_chars: Option<usize>,
        horizon_chars: usize,
        horizon_ms: Option<u64>,
        keep_findings: usize,
    ) -> PyResult<PySession> {
        let level: Level = alert_level.parse().map_err(value_error)?;
        let mut config = SessionConfig::default()
            .with_alert_level(level)
            .with_horizon_chars(horizon_chars)
            .with_horizon_ms(horizon_ms)
            .with_keep_findings(keep_findings);
        if let Some(chars) = lookahead_chars {
            config = config.with_lookahead_chars(chars);
        }
        Ok(PySession {
            inner: self.inner.session(config),
            broken: None,
        })
    }

    /// The lexicon fingerprint (the records' `lexicons`).
    #[getter]
    fn lexicon_fingerprint(&self) -> &str {
        self.inner.lexicon_fingerprint()
    }

    /// The tactics this analyzer matches, as JSON (id, names, description, legal basis, …).
    fn tactics_json(&self) -> String {
        serde_json::to_string(self.inner.tactics()).unwrap_or_else(|_| "[]".into())
    }
}

/// Analyses a file's records in batches (parallel inside a batch), in input order; the first
/// unreadable record raises `InputError` with its file and line.
fn analyze_records(
    py: Python<'_>,
    analyzer: &Analyzer,
    records: Records,
    name: &str,
    sha256: String,
    threads: usize,
) -> PyResult<Vec<String>> {
    let done = py.detach(
        || -> Result<Vec<Option<Result<String, String>>>, huashu::Error> {
            let provenance = Provenance::new(analyzer, name, Some(sha256));
            let mut out = Vec::new();
            let mut records = records.peekable();
            while records.peek().is_some() {
                let batch = records
                    .by_ref()
                    .take(BATCH)
                    .collect::<huashu::Result<Vec<Transcript>>>()?;
                out.extend(parallel_map(batch.len(), threads, |i| {
                    guarded(|| record_line(analyzer, &batch[i], provenance.clone()))
                }));
            }
            Ok(out)
        },
    );
    let slots = done.map_err(|e| library_error(py, e, Stage::Input))?;
    collect(py, slots)
}

/// A live session over one room's speech. See `huashu.Session`.
#[pyclass(name = "Session", module = "huashu._core")]
struct PySession {
    inner: LiveSession,
    /// Set when a push panicked: the session's state can no longer be trusted.
    broken: Option<String>,
}

impl PySession {
    fn run(
        &mut self,
        py: Python<'_>,
        f: impl FnOnce(&mut LiveSession) -> String + Send,
    ) -> PyResult<String> {
        if let Some(reason) = &self.broken {
            return Err(internal(
                py,
                format!("the session is unusable after an earlier panic: {reason}"),
            ));
        }
        let inner = &mut self.inner;
        let result = py.detach(|| guarded(|| f(inner)));
        result.map_err(|reason| {
            self.broken = Some(reason.clone());
            internal(py, reason)
        })
    }
}

fn segment(
    text: String,
    start_ms: Option<u64>,
    end_ms: Option<u64>,
    speaker: Option<String>,
) -> Segment {
    let mut s = Segment::new(text);
    s.start_ms = start_ms;
    s.end_ms = end_ms;
    s.speaker = speaker;
    s
}

fn update_json(u: &Update) -> String {
    json!({
        "findings": u.findings,
        "provisional": u.provisional,
        "retracted": u.retracted,
        "confirmed": u.confirmed,
        "alert": u.alert.as_ref().map(|a| json!({
            "level": a.level,
            "previous": a.previous,
            "score": a.score,
            "at_ms": a.at_ms,
        })),
        "risk": risk_value(&u.risk),
    })
    .to_string()
}

fn risk_value(r: &huashu::Risk) -> serde_json::Value {
    json!({ "score": r.score, "level": r.level, "tactics": r.tactics })
}

#[pymethods]
impl PySession {
    #[pyo3(signature = (text, start_ms = None, end_ms = None, speaker = None))]
    fn push(
        &mut self,
        py: Python<'_>,
        text: String,
        start_ms: Option<u64>,
        end_ms: Option<u64>,
        speaker: Option<String>,
    ) -> PyResult<String> {
        let s = segment(text, start_ms, end_ms, speaker);
        self.run(py, move |session| update_json(&session.push(s)))
    }

    #[pyo3(signature = (text, start_ms = None, end_ms = None, speaker = None))]
    fn push_partial(
        &mut self,
        py: Python<'_>,
        text: String,
        start_ms: Option<u64>,
        end_ms: Option<u64>,
        speaker: Option<String>,
    ) -> PyResult<String> {
        let s = segment(text, start_ms, end_ms, speaker);
        self.run(py, move |session| update_json(&session.push_partial(s)))
    }

    fn finish(&mut self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |session| update_json(&session.finish()))
    }

    fn risk_json(&mut self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |session| risk_value(&session.risk()).to_string())
    }

    fn cumulative_json(&mut self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |session| {
            serde_json::to_string(&session.cumulative()).unwrap_or_else(|_| "{}".into())
        })
    }

    #[getter]
    fn len_chars(&self) -> usize {
        self.inner.len_chars()
    }
}

/// The record of one text with the process-wide default analyzer, as a JSON line.
#[pyfunction]
#[pyo3(signature = (text, id, source))]
fn analyze_json(py: Python<'_>, text: String, id: String, source: String) -> PyResult<String> {
    py.detach(|| {
        guarded(|| {
            let analyzer = Analyzer::default_ref();
            let t = Transcript::from_text(id, text);
            record_line(analyzer, &t, Provenance::new(analyzer, &source, None))
        })
    })
    .map_err(|reason| internal(py, reason))
}

/// `SessionConfig::default()` as the Python layer's keyword defaults (tested against them).
#[pyfunction]
fn _session_defaults() -> (String, Option<usize>, usize, Option<u64>, usize) {
    let c = SessionConfig::default();
    (
        c.alert_level.as_str().to_string(),
        c.lookahead_chars,
        c.horizon_chars,
        c.horizon_ms,
        c.keep_findings,
    )
}

/// Panics inside the same guard as analysis, so the tests can check that a panic surfaces as
/// `huashu.InternalError` (analysis itself has no input known to panic).
#[pyfunction]
fn _panic_for_test(py: Python<'_>, message: String, threads: usize) -> PyResult<Vec<String>> {
    let slots = py.detach(|| {
        parallel_map(4, threads, |i| {
            guarded(|| {
                if i == 2 {
                    panic!("{message}");
                }
                i.to_string()
            })
        })
    });
    collect(py, slots)
}

#[pymodule]
#[pyo3(name = "_core")]
fn core_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAnalyzer>()?;
    m.add_class::<PySession>()?;
    m.add_function(wrap_pyfunction!(analyze_json, m)?)?;
    m.add_function(wrap_pyfunction!(_session_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    // The wheel's version; a test checks it is the library's (the records' `huashu_version`).
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("TACTIC_IDS", huashu::TACTIC_IDS.to_vec())?;
    let formats: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    m.add("FORMATS", formats)?;
    Ok(())
}
