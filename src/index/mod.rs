//! A searchable archive of analysed transcripts (tantivy), behind the `index` feature.
//!
//! An analyst does not look at one stream: she looks for every room that promised 翻倍回收
//! last month, the riskiest jade streams, every transcript where diversion met a buyback
//! promise — and opens each at its evidence.
//!
//! ```
//! use huashu::index::{SearchQuery, TranscriptIndex, Meta};
//! use huashu::transcript::Transcript;
//! let analyzer = huashu::Analyzer::default_ref();
//! let archive = TranscriptIndex::in_memory(analyzer)?;
//! let mut writer = archive.writer()?;
//! for (id, text) in [("room-1", "以后不想要了拿回来，我们高價回収，只高不低，加我薇信"), ("room-2", "今天教大家做红烧肉")] {
//!     let t = Transcript::from_text(id, text);
//!     writer.add(&t, &analyzer.analyze_transcript(&t), &Meta::default())?;
//! }
//! writer.commit()?;
//! let results = archive.search(&SearchQuery::text("高价回收").tactic_any("buyback_promise").min_score(0.5))?;
//! assert_eq!(results.hits[0].id, "room-1");
//! assert!(results.hits[0].snippet.html.contains("<b>"));
//! # Ok::<(), huashu::Error>(())
//! ```
//!
//! Writes are batched and committed explicitly: a dropped writer or a crash before
//! [`ArchiveWriter::commit`] leaves the archive at its last commit, readable, with nothing
//! half-written. Re-adding an id replaces the transcript.

mod tokenizer;

pub use tokenizer::{ChineseTokenStream, ChineseTokenizer};

use std::ops::{Bound, Range};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

use crate::Analyzer;
use crate::error::{Error, Result};
use crate::report::{Finding, Level, Report};
use crate::transcript::Transcript;

fn floor_boundary(s: &str, max: usize) -> usize {
    let mut cut = s.len().min(max);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// The archive format; an archive written by another format is refused with a clear error.
const FORMAT: u32 = 1;
const MARKER: &str = "huashu-index.json";
const INDEX_TOKENIZER: &str = "huashu_zh";
const QUERY_TOKENIZER: &str = "huashu_zh_query";

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    format: u32,
    huashu: String,
    /// The lexicon fingerprint of the analyzer that tokenized the archive (empty in archives
    /// written before it was recorded).
    #[serde(default)]
    lexicons: String,
}

/// Where a transcript came from, stored beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Meta {
    /// The file or export it was read from.
    pub source: Option<String>,
    /// The live room.
    pub room: Option<String>,
    /// The streamer (host account).
    pub streamer: Option<String>,
    /// When the stream started, in milliseconds since the Unix epoch.
    pub start_ms: Option<i64>,
}

impl Meta {
    /// Sets the source.
    pub fn source(mut self, s: impl Into<String>) -> Meta {
        self.source = Some(s.into());
        self
    }
    /// Sets the room.
    pub fn room(mut self, s: impl Into<String>) -> Meta {
        self.room = Some(s.into());
        self
    }
    /// Sets the streamer.
    pub fn streamer(mut self, s: impl Into<String>) -> Meta {
        self.streamer = Some(s.into());
        self
    }
    /// Sets the stream's start time (ms since the Unix epoch).
    pub fn start_ms(mut self, ms: i64) -> Meta {
        self.start_ms = Some(ms);
        self
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    source: Field,
    room: Field,
    streamer: Field,
    start_ms: Field,
    text: Field,
    score: Field,
    level: Field,
    level_rank: Field,
    tactic: Field,
    facet: Field,
    report: Field,
    segments: Field,
    lexicons: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(INDEX_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        source: b.add_text_field("source", STRING | STORED),
        room: b.add_text_field("room", STRING | STORED),
        streamer: b.add_text_field("streamer", STRING | STORED),
        start_ms: b.add_i64_field("start_ms", INDEXED | STORED | FAST),
        text: b.add_text_field("text", text),
        score: b.add_f64_field("score", INDEXED | STORED | FAST),
        level: b.add_text_field("level", STRING | STORED),
        level_rank: b.add_u64_field("level_rank", INDEXED | STORED | FAST),
        tactic: b.add_text_field("tactic", STRING | STORED),
        facet: b.add_facet_field("facet", FacetOptions::default()),
        report: b.add_text_field("report", STORED),
        segments: b.add_text_field("segments", STORED),
        lexicons: b.add_text_field("lexicons", STRING | STORED),
    };
    (b.build(), fields)
}

/// How search results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By text relevance (BM25), the default when the query has text.
    #[default]
    Relevance,
    /// By risk score, highest first.
    Score,
    /// By stream start time, newest first.
    Time,
}

/// A search: text (Chinese full text; `"…"` for an exact phrase; several parts must all
/// match), filters, order and page.
///
/// ```
/// use huashu::index::{SearchQuery, SortBy};
/// use huashu::Level;
/// let q = SearchQuery::text("翻倍回收")
///     .tactic_all("buyback_promise")
///     .tactic_all("off_platform")
///     .min_level(Level::High)
///     .sort(SortBy::Score)
///     .limit(50);
/// assert_eq!(q.limit, 50);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SearchQuery {
    /// The text to find; empty matches every transcript.
    pub text: String,
    /// At least one of these tactics must be present.
    pub tactics_any: Vec<String>,
    /// All of these tactics must be present.
    pub tactics_all: Vec<String>,
    /// Lowest risk score.
    pub min_score: Option<f64>,
    /// Highest risk score.
    pub max_score: Option<f64>,
    /// Lowest level.
    pub min_level: Option<Level>,
    /// Streams that started at or after this time (ms since the Unix epoch).
    pub from_ms: Option<i64>,
    /// Streams that started before this time.
    pub to_ms: Option<i64>,
    /// Only this room.
    pub room: Option<String>,
    /// Order.
    pub sort: SortBy,
    /// Results to skip (pagination).
    pub offset: usize,
    /// Results to return.
    pub limit: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            tactics_any: Vec::new(),
            tactics_all: Vec::new(),
            min_score: None,
            max_score: None,
            min_level: None,
            from_ms: None,
            to_ms: None,
            room: None,
            sort: SortBy::Relevance,
            offset: 0,
            limit: 10,
        }
    }
}

impl SearchQuery {
    /// A query for `text` (empty: every transcript).
    pub fn text(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
    }
    /// Adds a tactic of which at least one must be present.
    pub fn tactic_any(mut self, id: impl Into<String>) -> Self {
        self.tactics_any.push(id.into());
        self
    }
    /// Adds a tactic that must be present.
    pub fn tactic_all(mut self, id: impl Into<String>) -> Self {
        self.tactics_all.push(id.into());
        self
    }
    /// Sets the lowest risk score.
    pub fn min_score(mut self, s: f64) -> Self {
        self.min_score = Some(s);
        self
    }
    /// Sets the highest risk score.
    pub fn max_score(mut self, s: f64) -> Self {
        self.max_score = Some(s);
        self
    }
    /// Sets the lowest level.
    pub fn min_level(mut self, l: Level) -> Self {
        self.min_level = Some(l);
        self
    }
    /// Sets the time range `[from_ms, to_ms)` of the stream start (`None` leaves that end
    /// open). Transcripts without a known start time never match a time range.
    pub fn between(mut self, from_ms: Option<i64>, to_ms: Option<i64>) -> Self {
        self.from_ms = from_ms;
        self.to_ms = to_ms;
        self
    }
    /// Only this room.
    pub fn room(mut self, room: impl Into<String>) -> Self {
        self.room = Some(room.into());
        self
    }
    /// Sets the order.
    pub fn sort(mut self, sort: SortBy) -> Self {
        self.sort = sort;
        self
    }
    /// Skips the first `n` results.
    pub fn offset(mut self, n: usize) -> Self {
        self.offset = n;
        self
    }
    /// Returns at most `n` results.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = n;
        self
    }
}

/// A highlighted excerpt of a transcript around the query's words.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Snippet {
    /// The excerpt.
    pub fragment: String,
    /// Byte ranges of the query's words in `fragment`.
    pub highlights: Vec<Range<usize>>,
    /// The excerpt as HTML with the words in `<b>`.
    pub html: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchHit {
    /// The transcript id.
    pub id: String,
    /// Source, room, streamer and start time.
    pub meta: Meta,
    /// The risk score.
    pub score: f64,
    /// The level.
    pub level: Level,
    /// Text relevance (BM25), when sorted by relevance.
    pub relevance: Option<f32>,
    /// The tactics that add to the score.
    pub tactics: Vec<String>,
    /// An excerpt around the query's words (empty for a query without text).
    pub snippet: Snippet,
    /// The stored findings, with their spans in the transcript's joined text.
    pub findings: Vec<Finding>,
    /// `[start_ms, end_ms]` of each segment, when known.
    pub segments: Vec<(Option<u64>, Option<u64>)>,
    /// The fingerprint of the lexicons that produced the report.
    pub lexicons: String,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// How many transcripts match in all.
    pub total: usize,
    /// This page.
    pub hits: Vec<SearchHit>,
}

/// How many matching transcripts have each tactic and each level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// Matching transcripts.
    pub total: usize,
    /// By tactic id, most frequent first.
    pub by_tactic: Vec<(String, u64)>,
    /// By level, highest first.
    pub by_level: Vec<(Level, u64)>,
}

/// An archive of analysed transcripts.
pub struct TranscriptIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analyzer: Analyzer,
    path: String,
}

impl std::fmt::Debug for TranscriptIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TranscriptIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Adds transcripts to an archive; nothing is visible (or durable) until [`commit`].
///
/// [`commit`]: ArchiveWriter::commit
pub struct ArchiveWriter<'a> {
    writer: IndexWriter<TantivyDocument>,
    archive: &'a TranscriptIndex,
}

impl std::fmt::Debug for ArchiveWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveWriter")
            .field("archive", &self.archive.path)
            .finish_non_exhaustive()
    }
}

impl TranscriptIndex {
    fn err(path: &str, e: impl std::fmt::Display) -> Error {
        Error::Index {
            path: path.to_string(),
            reason: e.to_string(),
        }
    }

    fn setup(index: Index, analyzer: &Analyzer, path: String) -> Result<TranscriptIndex> {
        let (expected, fields) = schema();
        let actual = index.schema();
        for (field, entry) in expected.fields() {
            let found = actual
                .get_field(entry.name())
                .ok()
                .map(|f| actual.get_field_entry(f));
            if found.map(|e| e.field_type().value_type()) != Some(entry.field_type().value_type())
                || actual.get_field(entry.name()).ok() != Some(field)
            {
                return Err(Self::err(
                    &path,
                    format!(
                        "the schema lacks or changed field `{}`: the archive is from another version",
                        entry.name()
                    ),
                ));
            }
        }
        index.tokenizers().register(
            INDEX_TOKENIZER,
            ChineseTokenizer::for_indexing(analyzer.clone()),
        );
        index.tokenizers().register(
            QUERY_TOKENIZER,
            ChineseTokenizer::for_queries(analyzer.clone()),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Self::err(&path, e))?;
        Ok(TranscriptIndex {
            index,
            reader,
            fields,
            analyzer: analyzer.clone(),
            path,
        })
    }

    /// Creates an archive in `dir` (created if missing; it must not already hold one).
    ///
    /// The archive records the analyzer's [lexicon
    /// fingerprint](crate::Analyzer::lexicon_fingerprint): its words are segmented with those
    /// lexicons, so it can only be opened with an analyzer built from the same ones.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] when the directory cannot be created or already holds an archive.
    pub fn create(dir: impl AsRef<Path>, analyzer: &Analyzer) -> Result<TranscriptIndex> {
        let dir = dir.as_ref();
        let path = dir.display().to_string();
        std::fs::create_dir_all(dir).map_err(|e| Self::err(&path, e))?;
        if dir.join("meta.json").exists() {
            return Err(Self::err(
                &path,
                "already holds an archive (open it instead)",
            ));
        }
        // The marker goes first (written whole, then renamed into place), so that a directory
        // holding index files always says whose they are; a marker without `meta.json` is an
        // interrupted creation, which `open` reports and `create` may redo.
        let marker = Marker {
            format: FORMAT,
            huashu: env!("CARGO_PKG_VERSION").to_string(),
            lexicons: analyzer.lexicon_fingerprint().to_string(),
        };
        let json = serde_json::to_string_pretty(&marker).map_err(|e| Self::err(&path, e))?;
        let tmp = dir.join(format!("{MARKER}.tmp"));
        std::fs::write(&tmp, json).map_err(|e| Self::err(&path, e))?;
        std::fs::rename(&tmp, dir.join(MARKER)).map_err(|e| Self::err(&path, e))?;
        let index = Index::create_in_dir(dir, schema().0).map_err(|e| Self::err(&path, e))?;
        Self::setup(index, analyzer, path)
    }

    /// Opens the archive in `dir`.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] when the directory is missing, is not an archive, holds an archive of
    /// another format or one tokenized with other lexicons, was left incomplete by an
    /// interrupted [`create`](Self::create), or is corrupt.
    pub fn open(dir: impl AsRef<Path>, analyzer: &Analyzer) -> Result<TranscriptIndex> {
        let dir = dir.as_ref();
        let path = dir.display().to_string();
        if !dir.is_dir() {
            return Err(Self::err(&path, "no such directory"));
        }
        let marker = std::fs::read_to_string(dir.join(MARKER))
            .map_err(|_| Self::err(&path, format!("not a huashu archive (no {MARKER})")))?;
        let marker: Marker = serde_json::from_str(&marker)
            .map_err(|e| Self::err(&path, format!("corrupt {MARKER}: {e}")))?;
        if marker.format != FORMAT {
            return Err(Self::err(
                &path,
                format!(
                    "archive format {} (written by huashu {}) is not format {FORMAT} of this huashu {}",
                    marker.format,
                    marker.huashu,
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        if !marker.lexicons.is_empty() && marker.lexicons != analyzer.lexicon_fingerprint() {
            return Err(Self::err(
                &path,
                format!(
                    "the archive was tokenized with lexicons {} but this analyzer has {}: open it \
                     with the same lexicons, or index the transcripts again into a new archive",
                    marker.lexicons,
                    analyzer.lexicon_fingerprint()
                ),
            ));
        }
        if !dir.join("meta.json").exists() {
            return Err(Self::err(
                &path,
                "incomplete archive: its creation was interrupted (create it again)",
            ));
        }
        let index =
            Index::open_in_dir(dir).map_err(|e| Self::err(&path, format!("corrupt index: {e}")))?;
        Self::setup(index, analyzer, path)
    }

    /// An archive in memory (for tests and one-off analyses).
    ///
    /// # Errors
    ///
    /// Only if tantivy cannot set up its reader.
    pub fn in_memory(analyzer: &Analyzer) -> Result<TranscriptIndex> {
        Self::setup(
            Index::create_in_ram(schema().0),
            analyzer,
            "in memory".to_string(),
        )
    }

    /// Where the archive lives (`in memory` for an in-memory one).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The number of transcripts in the last commit.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the last commit holds no transcript.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A writer (one at a time per archive).
    ///
    /// # Errors
    ///
    /// [`Error::Index`] when another writer holds the archive's lock.
    pub fn writer(&self) -> Result<ArchiveWriter<'_>> {
        let writer = self
            .index
            .writer_with_num_threads(1, 64 << 20)
            .map_err(|e| Self::err(&self.path, e))?;
        Ok(ArchiveWriter {
            writer,
            archive: self,
        })
    }

    fn text_query(&self, query: &str) -> Result<Option<Box<dyn Query>>> {
        let bad = |reason: &str| Error::Query {
            query: query.to_string(),
            reason: reason.to_string(),
        };
        if query.matches('"').count() % 2 == 1 {
            return Err(bad("unbalanced quote"));
        }
        let tokenizer = ChineseTokenizer::for_queries(self.analyzer.clone());
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut any_text = false;
        for (i, chunk) in query.split('"').enumerate() {
            // Outside quotes, whitespace separates parts; inside, the chunk is one phrase.
            let pieces: Vec<&str> = if i % 2 == 1 {
                vec![chunk]
            } else {
                chunk.split_whitespace().collect()
            };
            for piece in pieces.into_iter().filter(|p| !p.trim().is_empty()) {
                any_text = true;
                let terms: Vec<Term> = tokenizer
                    .tokens(piece)
                    .into_iter()
                    .map(|t| Term::from_field_text(self.fields.text, &t.text))
                    .collect();
                match terms.len() {
                    0 => {}
                    1 => parts.push((
                        Occur::Must,
                        Box::new(TermQuery::new(
                            terms[0].clone(),
                            IndexRecordOption::WithFreqsAndPositions,
                        )),
                    )),
                    _ => parts.push((Occur::Must, Box::new(PhraseQuery::new(terms)))),
                }
            }
        }
        if any_text && parts.is_empty() {
            return Err(bad("no searchable word in the query"));
        }
        Ok((!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>))
    }

    fn query(&self, q: &SearchQuery) -> Result<(Box<dyn Query>, bool)> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text = self.text_query(&q.text)?;
        let has_text = text.is_some();
        if let Some(t) = text {
            clauses.push((Occur::Must, t));
        }
        let term = |field: Field, s: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, s),
                IndexRecordOption::Basic,
            ))
        };
        for t in &q.tactics_all {
            clauses.push((Occur::Must, term(f.tactic, t)));
        }
        if !q.tactics_any.is_empty() {
            let any = q
                .tactics_any
                .iter()
                .map(|t| (Occur::Should, term(f.tactic, t)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(room) = &q.room {
            clauses.push((Occur::Must, term(f.room, room)));
        }
        if q.min_score.is_some() || q.max_score.is_some() {
            let lo = q.min_score.map_or(Bound::Unbounded, |s| {
                Bound::Included(Term::from_field_f64(f.score, s))
            });
            let hi = q.max_score.map_or(Bound::Unbounded, |s| {
                Bound::Included(Term::from_field_f64(f.score, s))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        if let Some(l) = q.min_level {
            let rank = Level::ALL.iter().position(|&x| x == l).unwrap_or(0) as u64;
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.level_rank, rank)),
                    Bound::Unbounded,
                )),
            ));
        }
        if q.from_ms.is_some() || q.to_ms.is_some() {
            // Transcripts without a start time are stored as `i64::MIN`: a time range never
            // matches them.
            let lo = Bound::Included(Term::from_field_i64(
                f.start_ms,
                q.from_ms.unwrap_or(i64::MIN + 1).max(i64::MIN + 1),
            ));
            let hi = q.to_ms.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_i64(f.start_ms, t))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Ok((query, has_text))
    }

    /// Runs a search.
    ///
    /// # Errors
    ///
    /// [`Error::Query`] for an unparseable query; [`Error::Index`] for a storage error.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let (query, has_text) = self.query(q)?;
        let searcher = self.reader.searcher();
        let ioerr = |e: tantivy::TantivyError| Self::err(&self.path, e);
        let top = TopDocs::with_limit(q.limit.max(1)).and_offset(q.offset);
        let sort = if !has_text && q.sort == SortBy::Relevance {
            SortBy::Score
        } else {
            q.sort
        };
        let (total, docs): (usize, Vec<(Option<f32>, DocAddress)>) = match sort {
            SortBy::Relevance => {
                let (n, d) = searcher.search(&query, &(Count, top)).map_err(ioerr)?;
                (n, d.into_iter().map(|(s, a)| (Some(s), a)).collect())
            }
            SortBy::Score => {
                let (n, d) = searcher
                    .search(
                        &query,
                        &(Count, top.order_by_fast_field::<f64>("score", Order::Desc)),
                    )
                    .map_err(ioerr)?;
                (n, d.into_iter().map(|(_, a)| (None, a)).collect())
            }
            SortBy::Time => {
                let (n, d) = searcher
                    .search(
                        &query,
                        &(
                            Count,
                            top.order_by_fast_field::<i64>("start_ms", Order::Desc),
                        ),
                    )
                    .map_err(ioerr)?;
                (n, d.into_iter().map(|(_, a)| (None, a)).collect())
            }
        };
        let docs = if q.limit == 0 { Vec::new() } else { docs };
        let snippets = if has_text {
            let mut g =
                SnippetGenerator::create(&searcher, &*query, self.fields.text).map_err(ioerr)?;
            g.set_max_num_chars(160);
            let words = ChineseTokenizer::for_queries(self.analyzer.clone())
                .tokens(&q.text.replace('"', " "))
                .into_iter()
                .map(|t| t.text)
                .collect();
            Some((g, words))
        } else {
            None
        };
        let mut hits = Vec::with_capacity(docs.len());
        for (relevance, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(ioerr)?;
            hits.push(self.hit(&doc, relevance, snippets.as_ref())?);
        }
        Ok(SearchResults { total, hits })
    }

    /// The part of `body` around the first query word, so that the snippet generator (which
    /// tokenizes what it is given) reads a few hundred characters instead of the whole
    /// transcript.
    fn snippet_window(&self, body: &str, words: &[String]) -> Range<usize> {
        const AROUND: usize = 240;
        let head = &body[..floor_boundary(body, crate::normalize::MAX_PIECE)];
        let norm = self.analyzer.normalizer().normalize(head);
        let first = words
            .iter()
            .filter_map(|w| norm.text().find(w.as_str()))
            .min();
        let Some(at) = first else {
            return 0..floor_boundary(body, 2 * AROUND);
        };
        let unit = norm.unit_at(at);
        let from = norm
            .original_range(unit.saturating_sub(AROUND / 3), unit)
            .start;
        let to = norm
            .original_range(unit, (unit + AROUND).min(norm.len_chars()))
            .end;
        from..to.max(from)
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        relevance: Option<f32>,
        snippets: Option<&(SnippetGenerator, Vec<String>)>,
    ) -> Result<SearchHit> {
        let f = &self.fields;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let mut report: Report = serde_json::from_str(&text(f.report).unwrap_or_default())
            .map_err(|e| Self::err(&self.path, format!("corrupt stored report: {e}")))?;
        for finding in &mut report.findings {
            if let Some(t) = self.analyzer.tactic(&finding.tactic) {
                finding.legal_basis = t.legal_basis.clone();
            }
        }
        let segments = serde_json::from_str(&text(f.segments).unwrap_or_else(|| "[]".into()))
            .map_err(|e| Self::err(&self.path, format!("corrupt stored segments: {e}")))?;
        let snippet = match (snippets, text(f.text)) {
            (Some((g, words)), Some(body)) => {
                let window = self.snippet_window(&body, words);
                let s = g.snippet(&body[window]);
                Snippet {
                    fragment: s.fragment().to_string(),
                    highlights: s.highlighted().to_vec(),
                    html: s.to_html(),
                }
            }
            _ => Snippet::default(),
        };
        Ok(SearchHit {
            id: text(f.id).unwrap_or_default(),
            meta: Meta {
                source: text(f.source).filter(|s| !s.is_empty()),
                room: text(f.room).filter(|s| !s.is_empty()),
                streamer: text(f.streamer).filter(|s| !s.is_empty()),
                start_ms: doc
                    .get_first(f.start_ms)
                    .and_then(|v| v.as_i64())
                    .filter(|&t| t != i64::MIN),
            },
            score: report.score,
            level: report.level,
            relevance,
            tactics: report.tactics.iter().map(|t| t.tactic.clone()).collect(),
            snippet,
            findings: report.findings,
            segments,
            lexicons: text(f.lexicons).unwrap_or_default(),
        })
    }

    /// Counts the transcripts matching `q` by tactic and by level (its page settings are
    /// ignored).
    ///
    /// # Errors
    ///
    /// As [`TranscriptIndex::search`].
    pub fn counts(&self, q: &SearchQuery) -> Result<Counts> {
        let (query, _) = self.query(q)?;
        let searcher = self.reader.searcher();
        let mut facets = FacetCollector::for_field("facet");
        facets.add_facet("/tactic");
        facets.add_facet("/level");
        let (total, counts) = searcher
            .search(&query, &(Count, facets))
            .map_err(|e| Self::err(&self.path, e))?;
        let mut by_tactic: Vec<(String, u64)> = counts
            .get("/tactic")
            .map(|(facet, n)| {
                (
                    facet
                        .to_path()
                        .last()
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    n,
                )
            })
            .collect();
        by_tactic.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut by_level: Vec<(Level, u64)> = counts
            .get("/level")
            .filter_map(|(facet, n)| {
                facet
                    .to_path()
                    .last()
                    .and_then(|s| s.parse::<Level>().ok())
                    .map(|l| (l, n))
            })
            .collect();
        by_level.sort_by_key(|l| std::cmp::Reverse(l.0));
        Ok(Counts {
            total,
            by_tactic,
            by_level,
        })
    }
}

impl ArchiveWriter<'_> {
    /// Adds (or replaces, by id) a transcript with its report.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] for a storage error.
    pub fn add(&mut self, transcript: &Transcript, report: &Report, meta: &Meta) -> Result<()> {
        let a = self.archive;
        let f = &a.fields;
        self.writer
            .delete_term(Term::from_field_text(f.id, &transcript.id));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &transcript.id);
        doc.add_text(f.source, meta.source.as_deref().unwrap_or(""));
        doc.add_text(f.room, meta.room.as_deref().unwrap_or(""));
        doc.add_text(f.streamer, meta.streamer.as_deref().unwrap_or(""));
        doc.add_i64(f.start_ms, meta.start_ms.unwrap_or(i64::MIN));
        doc.add_text(f.text, transcript.joined());
        doc.add_f64(f.score, report.score);
        doc.add_text(f.level, report.level.as_str());
        doc.add_u64(
            f.level_rank,
            Level::ALL
                .iter()
                .position(|&l| l == report.level)
                .unwrap_or(0) as u64,
        );
        doc.add_facet(f.facet, Facet::from_path(["level", report.level.as_str()]));
        for t in &report.tactics {
            doc.add_text(f.tactic, &t.tactic);
            doc.add_facet(f.facet, Facet::from_path(["tactic", t.tactic.as_str()]));
        }
        let err = |e: serde_json::Error| TranscriptIndex::err(&a.path, e);
        // Stored compactly: the legal basis is the tactic's, filled back in on read.
        let mut compact = report.clone();
        for finding in &mut compact.findings {
            finding.legal_basis = Vec::new();
        }
        doc.add_text(f.report, serde_json::to_string(&compact).map_err(err)?);
        doc.add_text(f.lexicons, a.analyzer.lexicon_fingerprint());
        let segments: Vec<(Option<u64>, Option<u64>)> = transcript
            .segments
            .iter()
            .map(|s| (s.start_ms, s.end_ms))
            .collect();
        doc.add_text(f.segments, serde_json::to_string(&segments).map_err(err)?);
        self.writer
            .add_document(doc)
            .map_err(|e| TranscriptIndex::err(&a.path, e))?;
        Ok(())
    }

    /// Makes everything added so far durable and visible to searches, atomically.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] for a storage error (the archive stays at its previous commit).
    pub fn commit(&mut self) -> Result<()> {
        let a = self.archive;
        self.writer
            .commit()
            .map_err(|e| TranscriptIndex::err(&a.path, e))?;
        a.reader
            .reload()
            .map_err(|e| TranscriptIndex::err(&a.path, e))?;
        Ok(())
    }

    /// Drops everything added since the last commit.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] for a storage error.
    pub fn rollback(&mut self) -> Result<()> {
        let a = self.archive;
        self.writer
            .rollback()
            .map_err(|e| TranscriptIndex::err(&a.path, e))?;
        Ok(())
    }
}
