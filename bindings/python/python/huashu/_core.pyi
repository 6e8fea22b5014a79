"""Type stubs of the extension module ``huashu._core`` (use the ``huashu`` package instead).

Every result is JSON text made by the Rust library's serializers (a record is exactly a line
of ``scan --format jsonl``); the ``huashu`` package parses it.
"""

from os import PathLike
from typing import List, Optional, Sequence, Tuple, Union, final

__all__ = ["Analyzer", "Session", "analyze_json", "_session_defaults", "_panic_for_test", "__version__", "TACTIC_IDS", "FORMATS"]
__version__: str
TACTIC_IDS: List[str]
FORMATS: List[str]

def analyze_json(text: str, id: str, source: str) -> str:
    """The record of ``text`` with the default analyzer, as one JSON line."""

def _session_defaults() -> Tuple[str, Optional[int], int, Optional[int], int]:
    """``SessionConfig::default()``: alert level, lookahead, horizon chars, horizon ms, kept findings."""

def _panic_for_test(message: str, threads: int) -> List[str]:
    """Panics inside the analysis guard (raises ``huashu.InternalError``); for the tests."""

@final
class Analyzer:
    def __new__(
        cls,
        lexicons: Optional[Sequence[Union[str, PathLike[str]]]] = None,
        only: Optional[Sequence[str]] = None,
        defaults: bool = True,
    ) -> Analyzer: ...
    @property
    def lexicon_fingerprint(self) -> str: ...
    def tactics_json(self) -> str: ...
    def analyze_json(self, text: str, id: str, source: str) -> str: ...
    def analyze_many_json(
        self, texts: List[str], ids: Optional[List[str]], source: str, threads: Optional[int] = None
    ) -> List[str]: ...
    def analyze_path_json(
        self, path: Union[str, PathLike[str]], format: Optional[str] = None, threads: Optional[int] = None
    ) -> List[str]: ...
    def analyze_bytes_json(
        self, data: bytes, name: str, format: Optional[str] = None, threads: Optional[int] = None
    ) -> List[str]: ...
    def session(
        self,
        alert_level: str,
        lookahead_chars: Optional[int],
        horizon_chars: int,
        horizon_ms: Optional[int],
        keep_findings: int,
    ) -> Session: ...

@final
class Session:
    def push(
        self, text: str, start_ms: Optional[int] = None, end_ms: Optional[int] = None, speaker: Optional[str] = None
    ) -> str: ...
    def push_partial(
        self, text: str, start_ms: Optional[int] = None, end_ms: Optional[int] = None, speaker: Optional[str] = None
    ) -> str: ...
    def finish(self) -> str: ...
    def risk_json(self) -> str: ...
    def cumulative_json(self) -> str: ...
    @property
    def len_chars(self) -> int: ...
