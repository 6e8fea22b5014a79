"""huashu (话术): find fraud scripts in Chinese livestream e-commerce transcripts.

For every text it returns a risk score, a level and every piece of evidence, each with its
span in your text and the law it breaks::

    >>> import huashu
    >>> r = huashu.analyze("以后不想要了拿回来，我们原价回收，只高不低！想要的加我薇信私聊。")
    >>> r["level"]
    'critical'
    >>> sorted({f["tactic"] for f in r["findings"]})
    ['buyback_promise', 'off_platform']

Results are plain dicts in the JSON record schema of the scan example (``cargo run --example
scan -- --format jsonl``): ``id``, ``source``, ``record_sha256``, ``huashu_version``,
``lexicons``, ``score``, ``level``, ``tactics`` and ``findings`` (and ``sha256``, ``combos``,
``capped`` when set). A finding's ``char_start``/``char_end`` index the Python string:
``text[f["char_start"]:f["char_end"]] == f["matched"]``; ``start``/``end`` are the same span in
UTF-8 bytes.

- :func:`analyze` uses a process-wide default analyzer (built on first use, ~0.2 s).
- :class:`Analyzer` takes your own lexicons or a subset of tactics, analyses many texts in
  parallel with the GIL released (:meth:`Analyzer.analyze_many`), reads transcript files
  (:meth:`Analyzer.analyze_transcript`) and opens live sessions (:meth:`Analyzer.session`).
- :func:`analyze_arrow` scores a pyarrow string array into a typed ``pyarrow.RecordBatch``
  (``huashu.arrow``), for pandas, Polars and Spark.

Errors are exceptions carrying ``file``, ``line`` and ``reason``: :class:`LexiconError` for a
bad lexicon, :class:`InputError` for an unreadable transcript, :class:`InternalError` if the Rust
code ever panics (a bug, caught at the boundary).
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _core
from ._errors import HuashuError, InputError, InternalError, LexiconError

__all__ = [
    "analyze",
    "analyze_arrow",
    "Analyzer",
    "Session",
    "HuashuError",
    "LexiconError",
    "InputError",
    "InternalError",
    "TACTIC_IDS",
    "FORMATS",
    "Record",
]

__version__: str = _core.__version__

#: The tactic ids, a contract: reports, indexes and other tools read them.
TACTIC_IDS: Tuple[str, ...] = tuple(_core.TACTIC_IDS)

#: The transcript formats :meth:`Analyzer.analyze_transcript` reads (``format=``).
FORMATS: Tuple[str, ...] = tuple(_core.FORMATS)

#: A record: one analysed text as the scan example's JSON object (see the module docs).
Record = Dict[str, Any]

PathLike = Union[str, "os.PathLike[str]"]

_loads = json.loads

#: The ``source`` of records made from Python strings (the scan example puts the file there).
DEFAULT_SOURCE = "<python>"

_DEFAULTS = _core._session_defaults()


def analyze(text: str, *, id: str = "", source: str = DEFAULT_SOURCE) -> Record:
    """Analyse one text with the default lexicons and return its record.

    Args:
        text: the transcript's text (any length; a ``str``, indexed by code point).
        id: the record's ``id``.
        source: the record's ``source`` (where the text came from).

    Returns:
        The record as a dict: ``score`` in [0, 1], ``level`` (``"none"``, ``"low"``,
        ``"medium"``, ``"high"``, ``"critical"``), ``tactics`` (the tactics that add to the score,
        highest first) and ``findings`` (every piece of evidence, neutralized ones included,
        with its span, rule, weight, contribution and legal basis).

    Analysis never fails on any string; the GIL is released while it runs.

    >>> text = "宝子们这串是缅甸老坑的，我们原价回收！"
    >>> r = huashu.analyze(text)
    >>> f = next(f for f in r["findings"] if f["tactic"] == "buyback_promise")
    >>> text[f["char_start"]:f["char_end"]] == f["matched"]
    True
    """
    return _loads(_core.analyze_json(text, id, source))


def _paths(lexicons: Union[None, PathLike, Iterable[PathLike]]) -> List[str]:
    if lexicons is None:
        return []
    if isinstance(lexicons, (str, os.PathLike)):
        return [os.fspath(lexicons)]
    return [os.fspath(p) for p in lexicons]


def _ids(only: Union[None, str, Iterable[str]]) -> Optional[List[str]]:
    if only is None:
        return None
    if isinstance(only, str):
        return [only]
    return [str(t) for t in only]


def _texts(texts: Iterable[str]) -> List[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a sequence of str, not one str (use analyze for one text)")
    return texts if isinstance(texts, list) else list(texts)


class Analyzer:
    """Compiled lexicons: build once (this is where a bad lexicon fails), use everywhere.

    One analyzer is safe to share between threads, and its methods release the GIL.

    Args:
        lexicons: lexicon files or directories to add to (or, with ``defaults=False``, use
            instead of) the embedded lexicons. A tactic file replaces the embedded tactic with
            the same id; ``context.toml`` and ``variants.toml`` add cues and variants;
            ``scoring.toml`` replaces the score model.
        only: keep only these tactic ids (see :data:`TACTIC_IDS`).
        defaults: start from the embedded lexicons (default ``True``).

    Raises:
        LexiconError: a lexicon is invalid or cannot be read; ``file``, ``line`` and
            ``reason`` say where and why.

    >>> a = huashu.Analyzer(only=["off_platform"])
    >>> [t["tactic"] for t in a.analyze("加我薇信，私下转账便宜两百")["tactics"]]
    ['off_platform']
    """

    __slots__ = ("_inner", "_config")

    def __init__(
        self,
        lexicons: Union[None, PathLike, Iterable[PathLike]] = None,
        only: Union[None, str, Iterable[str]] = None,
        *,
        defaults: bool = True,
    ) -> None:
        paths = _paths(lexicons)
        ids = _ids(only)
        self._config = (tuple(paths), None if ids is None else tuple(ids), bool(defaults))
        self._inner = _core.Analyzer(paths, ids, bool(defaults))

    _shared: Dict[Tuple[Any, ...], "Analyzer"] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def shared(
        cls,
        lexicons: Union[None, PathLike, Iterable[PathLike]] = None,
        only: Union[None, str, Iterable[str]] = None,
        *,
        defaults: bool = True,
    ) -> "Analyzer":
        """The process-wide analyzer for this configuration, built on first use.

        Use it where code runs many times in one process, as a Spark task does on an
        executor: the lexicons are compiled once per process, not once per call. Unpickling an
        :class:`Analyzer` also returns the shared one.
        """
        paths = _paths(lexicons)
        ids = _ids(only)
        key = (tuple(paths), None if ids is None else tuple(ids), bool(defaults))
        with cls._shared_lock:
            analyzer = cls._shared.get(key)
            if analyzer is None:
                analyzer = cls(paths, ids, defaults=defaults)
                cls._shared[key] = analyzer
            return analyzer

    def __reduce__(self) -> Tuple[Any, ...]:
        paths, ids, defaults = self._config
        return (_shared_analyzer, (paths, ids, defaults))

    def __repr__(self) -> str:
        paths, ids, defaults = self._config
        return (
            f"huashu.Analyzer(lexicons={list(paths)!r}, only={None if ids is None else list(ids)!r}, "
            f"defaults={defaults!r})"
        )

    @property
    def lexicon_fingerprint(self) -> str:
        """A SHA-256 over the lexicons in use (the records' ``lexicons``)."""
        return self._inner.lexicon_fingerprint

    @property
    def tactics(self) -> List[Dict[str, Any]]:
        """The tactics this analyzer matches: ``id``, ``name_zh``, ``name_en``,
        ``description``, ``legal_basis``, ``weight``, ``alone_max_level``, ``color``."""
        return _loads(self._inner.tactics_json())

    def analyze(self, text: str, *, id: str = "", source: str = DEFAULT_SOURCE) -> Record:
        """Analyse one text and return its record (as :func:`huashu.analyze`, with these
        lexicons). Never fails on any string; releases the GIL."""
        return _loads(self._inner.analyze_json(text, id, source))

    def analyze_many(
        self,
        texts: Iterable[str],
        threads: Optional[int] = None,
        *,
        ids: Optional[Sequence[str]] = None,
        source: str = DEFAULT_SOURCE,
    ) -> List[Record]:
        """Analyse many texts in parallel with the GIL released; records in input order.

        Args:
            texts: the texts (a list, tuple or any iterable of ``str``).
            threads: how many threads (the calling one included); ``None``: one per core.
                Use 1 inside a process pool or a Spark task that already fills the cores.
            ids: the records' ids, one a text (default: each text's position, ``"0"``, ``"1"``…).
            source: the records' ``source``.

        >>> a = huashu.Analyzer.shared()
        >>> [r["level"] for r in a.analyze_many(["今天天气不错", "加我薇信私聊，原价回收"], threads=2)]
        ['none', 'critical']
        """
        texts = _texts(texts)
        ids_list = None if ids is None else [str(i) for i in ids]
        return [_loads(line) for line in self._inner.analyze_many_json(texts, ids_list, source, threads)]

    def analyze_transcript(
        self,
        path_or_bytes: Union[PathLike, bytes, bytearray, memoryview],
        format: Optional[str] = None,
        *,
        name: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> List[Record]:
        """Read a transcript file (or its bytes) and return one record per transcript in it.

        Reads plain text, SRT, WebVTT, JSON Lines, Whisper JSON and FunASR/Paraformer JSON in
        UTF-8 or GB18030/GBK. Timed formats give each finding its ``segment``, ``start_ms`` and
        ``end_ms``; spans index the segments joined with ``"\\n"``. The records are those
        ``scan --format jsonl PATH`` prints for the same path (``source`` is the path as given,
        ``sha256`` the file's hash).

        Args:
            path_or_bytes: a path, or the file's content as bytes.
            format: one of :data:`FORMATS` (``"txt"``, ``"srt"``, ``"vtt"``, ``"jsonl"``,
                ``"whisper"``, ``"funasr"``); ``None`` or ``"auto"`` detects it from the name
                and content.
            name: for bytes, the name standing for the path (messages, ``source``, detection by
                extension; default ``"<bytes>"``).
            threads: as in :meth:`analyze_many`.

        Raises:
            InputError: the file cannot be read or a record is malformed (``file`` and
                ``line`` say which); the first bad record stops the call.
            ValueError: an unknown ``format``.
        """
        if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
            lines = self._inner.analyze_bytes_json(
                bytes(path_or_bytes), name if name is not None else "<bytes>", format, threads
            )
        else:
            lines = self._inner.analyze_path_json(os.fspath(path_or_bytes), format, threads)
        return [_loads(line) for line in lines]

    def analyze_arrow(self, array: Any, *, threads: Optional[int] = None) -> Any:
        """Score a pyarrow string array; see :func:`huashu.arrow.analyze_arrow`."""
        from .arrow import analyze_arrow

        return analyze_arrow(array, analyzer=self, threads=threads)

    def session(
        self,
        *,
        alert_level: str = _DEFAULTS[0],
        lookahead_chars: Optional[int] = _DEFAULTS[1],
        horizon_chars: int = _DEFAULTS[2],
        horizon_ms: Optional[int] = _DEFAULTS[3],
        keep_findings: int = _DEFAULTS[4],
    ) -> "Session":
        """Start a live session for one room: push speech-recognition segments as they come.

        Args:
            alert_level: the level whose crossing raises an alert (once per rise).
            lookahead_chars: how much speech must follow evidence before it is reported, in
                normalized characters (default: the analyzer's lookahead, ~90, enough that a
                later warning or a longer term cannot change it). Smaller alerts sooner.
            horizon_chars: the window the current risk is computed over, in characters.
            horizon_ms: the window in time, when segments carry times (``None``: no limit).
            keep_findings: how many recent findings :meth:`Session.cumulative` lists.

        >>> room = huashu.Analyzer.shared().session()
        >>> alerts = 0
        >>> for i, s in enumerate(["宝子们这串翡翠 以后不想要了拿回", "来我们原价回收 只高不低",
        ...                        "想要的加我薇", "信 私下转账便宜两百"]):
        ...     alerts += room.push(s, start_ms=i * 4000, end_ms=i * 4000 + 4000)["alert"] is not None
        >>> alerts += room.finish()["alert"] is not None
        >>> alerts
        1
        """
        return Session(
            self._inner.session(alert_level, lookahead_chars, horizon_chars, horizon_ms, keep_findings)
        )


def _shared_analyzer(paths: Tuple[str, ...], ids: Optional[Tuple[str, ...]], defaults: bool) -> Analyzer:
    return Analyzer.shared(list(paths), None if ids is None else list(ids), defaults=defaults)


class Session:
    """A live session over one room's speech (from :meth:`Analyzer.session`).

    Each push returns an update dict:

    - ``findings``: evidence that settled with this push, each reported once over the
      session (findings in the record schema; offsets count from the session's start, the
      segments joined with ``"\\n"``);
    - ``provisional``: evidence settled on top of a partial result (it may be retracted);
    - ``retracted``: provisional evidence a later result no longer holds;
    - ``confirmed``: provisional evidence a final result committed (not repeated in
      ``findings``);
    - ``alert``: ``None``, or ``{"level", "previous", "score", "at_ms"}`` when the window's
      level rose past the alert level with this push;
    - ``risk``: the window's ``{"score", "level", "tactics"}`` after the push.
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: "_core.Session") -> None:
        self._inner = inner

    def push(
        self,
        text: str,
        start_ms: Optional[int] = None,
        end_ms: Optional[int] = None,
        speaker: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Push a finalized segment (it replaces any pending partial result)."""
        return _loads(self._inner.push(text, start_ms, end_ms, speaker))

    def push_partial(
        self,
        text: str,
        start_ms: Optional[int] = None,
        end_ms: Optional[int] = None,
        speaker: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Push a partial (not yet final) recognizer result for the current utterance; the
        next partial or final result replaces it."""
        return _loads(self._inner.push_partial(text, start_ms, end_ms, speaker))

    def finish(self) -> Dict[str, Any]:
        """End the stream: report what was still waiting for lookahead."""
        return _loads(self._inner.finish())

    @property
    def risk(self) -> Dict[str, Any]:
        """The current window's ``{"score", "level", "tactics"}``."""
        return _loads(self._inner.risk_json())

    def cumulative(self) -> Dict[str, Any]:
        """The whole session so far as a report (``score``, ``level``, ``tactics``,
        ``findings`` — the most recent ``keep_findings`` of them — and ``combos``)."""
        return _loads(self._inner.cumulative_json())

    @property
    def len_chars(self) -> int:
        """How many characters have been pushed (finalized segments and their line breaks)."""
        return self._inner.len_chars


def analyze_arrow(array: Any, *, analyzer: Optional[Analyzer] = None, threads: Optional[int] = None) -> Any:
    """Score a pyarrow string array into a ``pyarrow.RecordBatch``; see
    :func:`huashu.arrow.analyze_arrow` (needs pyarrow)."""
    from .arrow import analyze_arrow as _analyze_arrow

    return _analyze_arrow(array, analyzer=analyzer, threads=threads)
