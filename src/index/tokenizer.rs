//! The archive's tokenizer: the analyzer's own normalization and segmentation, so that search
//! sees text the way detection does (`高價回収` finds `高价回收`), with byte offsets into the
//! ORIGINAL text for highlighting.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::Analyzer;
use crate::normalize::is_clause_break;

/// A tantivy tokenizer for Chinese transcripts, built on an [`Analyzer`]'s normalizer and
/// jieba segmenter (shared, not cloned: creating a token stream costs nothing up front).
///
/// Each word of jieba's segmentation is a token — lexicon terms stay whole — and, for
/// indexing, the shorter dictionary words inside a long word are tokens at the same position,
/// so `回收` finds `高价回收`. Token offsets point into the original text.
///
/// ```
/// use huashu::index::ChineseTokenizer;
/// use tantivy::tokenizer::{TokenStream, Tokenizer};
/// let mut tok = ChineseTokenizer::for_indexing(huashu::Analyzer::default_ref().clone());
/// let text = "高價 回収，加 薇❤信";
/// let mut stream = tok.token_stream(text);
/// let mut words = Vec::new();
/// while stream.advance() {
///     let t = stream.token();
///     words.push((t.text.clone(), &text[t.offset_from..t.offset_to]));
/// }
/// assert!(words.contains(&("高价回收".to_string(), "高價 回収")));
/// assert!(words.contains(&("回收".to_string(), "回収")));
/// ```
#[derive(Clone)]
pub struct ChineseTokenizer {
    analyzer: Analyzer,
    sub_words: bool,
}

impl std::fmt::Debug for ChineseTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChineseTokenizer")
            .field("sub_words", &self.sub_words)
            .finish()
    }
}

impl ChineseTokenizer {
    /// The indexing tokenizer: words and the dictionary words inside long words.
    pub fn for_indexing(analyzer: Analyzer) -> ChineseTokenizer {
        ChineseTokenizer {
            analyzer,
            sub_words: true,
        }
    }

    /// The query tokenizer: words only, so a query word matches the same word (or the same
    /// sub-word) in the index.
    pub fn for_queries(analyzer: Analyzer) -> ChineseTokenizer {
        ChineseTokenizer {
            analyzer,
            sub_words: false,
        }
    }

    /// Tokenizes `text` into tokens with offsets into `text`.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut cut = text.len().min(crate::normalize::MAX_PIECE);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let norm = self.analyzer.normalizer().normalize(&text[..cut]);
        let jieba = self.analyzer.segmenter().jieba();
        let normalized = norm.text();
        let words = jieba.cut(normalized, true);
        let keep =
            |w: &str| w.chars().any(|c| c.is_alphanumeric()) && !w.chars().all(is_clause_break);
        let mut out = Vec::with_capacity(words.len() * 2);
        let mut position = 0;
        let push = |out: &mut Vec<Token>, start: usize, end: usize, word: &str, position: usize| {
            let r = norm.original_range(norm.unit_at(start), norm.unit_at(end));
            out.push(Token {
                offset_from: r.start,
                offset_to: r.end,
                position,
                text: word.to_string(),
                position_length: 1,
            });
        };
        for w in &words {
            if !keep(w.word) {
                continue;
            }
            push(&mut out, w.byte_start, w.byte_end, w.word, position);
            if self.sub_words && w.word.chars().count() > 2 {
                for sub in jieba.cut_for_search(w.word, false) {
                    if sub.word.len() < w.word.len() && keep(sub.word) {
                        push(
                            &mut out,
                            w.byte_start + sub.byte_start,
                            w.byte_start + sub.byte_end,
                            sub.word,
                            position,
                        );
                    }
                }
            }
            position += 1;
        }
        out
    }
}

/// The tokens of one text.
pub struct ChineseTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = ChineseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChineseTokenStream {
        ChineseTokenStream {
            tokens: self.tokens(text),
            next: 0,
        }
    }
}

impl TokenStream for ChineseTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
