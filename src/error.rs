//! The crate's error type: everything that can go wrong happens while an [`Analyzer`] is built.
//!
//! [`Analyzer`]: crate::Analyzer

use std::fmt;
use std::path::PathBuf;

/// A `Result` whose error is huashu's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a lexicon source a problem was found: the file (or the name given to an in-memory
/// source) and, when known, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file's path, or `embedded:<name>` for the lexicons compiled into the crate.
    pub file: String,
    /// The 1-based line, when the problem is tied to one.
    pub line: Option<usize>,
    /// The 1-based column (in characters) of that line, when known.
    pub column: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{}:{}", self.file, line, column),
            (Some(line), None) => write!(f, "{}:{}", self.file, line),
            _ => write!(f, "{}", self.file),
        }
    }
}

/// Everything that can fail in huashu.
///
/// Building an [`Analyzer`](crate::Analyzer) is the only fallible step of analysis: a bad
/// lexicon is reported here, with its file, line and reason, and analysis itself never fails.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A lexicon file breaks a rule (unknown tactic, empty term, weight out of range, duplicate
    /// id, a window of 0, an invalid pattern, a TOML syntax error, …).
    #[error("{location}: {reason}")]
    Lexicon {
        /// Where the problem is.
        location: Location,
        /// What is wrong, in a sentence.
        reason: String,
    },
    /// A lexicon file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A transcript could not be read: an empty or binary file, an encoding that is neither
    /// UTF-8 nor GB18030, a malformed subtitle timestamp, a JSON Lines record that is not JSON
    /// or has no text. The location names the file and line (or JSON Lines record).
    #[error("{location}: {reason}")]
    Input {
        /// Where the problem is.
        location: Location,
        /// What is wrong, in a sentence.
        reason: String,
    },
    /// A transcript archive could not be created, opened, read or written: a missing or
    /// corrupt directory, an index from another huashu version, a storage error.
    #[error("archive {path}: {reason}")]
    Index {
        /// The archive's directory (`in memory` for an in-memory archive).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A search query could not be parsed (an unbalanced quote, no searchable word).
    #[error("query `{query}`: {reason}")]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The lexicons are individually valid but cannot be compiled together (for example a
    /// matcher limit was exceeded).
    #[error("cannot compile the lexicons: {0}")]
    Build(String),
}

impl Error {
    pub(crate) fn lexicon(file: &str, line: Option<usize>, reason: impl Into<String>) -> Error {
        Error::Lexicon {
            location: Location {
                file: file.to_string(),
                line,
                column: None,
            },
            reason: reason.into(),
        }
    }

    pub(crate) fn input(file: &str, line: Option<usize>, reason: impl Into<String>) -> Error {
        Error::Input {
            location: Location {
                file: file.to_string(),
                line,
                column: None,
            },
            reason: reason.into(),
        }
    }

    pub(crate) fn input_at(
        file: &str,
        line: usize,
        column: usize,
        reason: impl Into<String>,
    ) -> Error {
        Error::Input {
            location: Location {
                file: file.to_string(),
                line: Some(line),
                column: Some(column),
            },
            reason: reason.into(),
        }
    }

    /// The location this error points at, for lexicon and input errors.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Lexicon { location, .. } | Error::Input { location, .. } => Some(location),
            _ => None,
        }
    }
}
