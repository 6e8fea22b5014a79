"""The exceptions huashu raises. Each carries where the problem is and what it is."""

from __future__ import annotations

from typing import Optional

__all__ = ["HuashuError", "LexiconError", "InputError", "InternalError"]


class HuashuError(Exception):
    """Base class of huashu's errors.

    Attributes:
        file: the file the problem is in (a lexicon, a transcript), when there is one.
        line: its 1-based line (for JSON Lines, the record's line), when known.
        reason: what is wrong, in a sentence, without the location.

    ``str(error)`` is ``"file:line: reason"``, as the library and the scan example print it.
    """

    def __init__(
        self,
        message: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        reason: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.reason = reason if reason is not None else message


class LexiconError(HuashuError, ValueError):
    """A lexicon is invalid or unreadable: raised when an :class:`huashu.Analyzer` is built.

    >>> import huashu
    >>> try:
    ...     huashu.Analyzer(lexicons=["no/such/dir"])
    ... except huashu.LexiconError as e:
    ...     print(e.file)
    no/such/dir
    """


class InputError(HuashuError, ValueError):
    """A transcript cannot be read: an empty or binary file, an undecodable encoding, a
    malformed subtitle timestamp, a JSON Lines record that is not JSON or has no text."""


class InternalError(HuashuError, RuntimeError):
    """huashu panicked. This is a bug: the panic was caught at the boundary (the interpreter
    goes on), and the message says what the Rust code reported."""
