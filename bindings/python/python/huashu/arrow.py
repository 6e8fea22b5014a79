"""Score Arrow string arrays into typed ``pyarrow.RecordBatch`` es (needs pyarrow).

The batch has one row per input string, in order, with the columns of :data:`SCHEMA`:

========== ===================== =====================================================
column     type                  what
========== ===================== =====================================================
score      float64               the record's ``score``, in [0, 1]
level      string                ``none``, ``low``, ``medium``, ``high`` or ``critical``
tactics    list<string>          the tactics that add to the score, highest first
findings   list<struct>          every finding (:data:`FINDING`), as in the record
summary_zh string                the record's case summary in Chinese
summary_en string                the same summary in English
========== ===================== =====================================================

A null input string gives a null row. The values are the record's (one schema: the scan
example's), typed; in a finding, an absent ``severity`` is ``"normal"`` and absent ``parts``
an empty list, as the record's defaults say.

How it is built: the strings are read from the array, analysed in Rust in parallel with the
GIL released, and the batch is assembled from the resulting records by pyarrow in this thin
Python layer (``pyarrow.array`` over Python lists). That is far simpler than exporting Arrow
buffers from Rust through the C data interface, and costs little beside the analysis itself
(see the README's throughput figures); it is not zero-copy.
"""

from __future__ import annotations

from typing import Any, List, Optional

import pyarrow as pa

__all__ = ["analyze_arrow", "SCHEMA", "FINDING", "PART", "NEUTRALIZATION"]

#: One piece of a multi-part finding (a co-occurrence group's match, a price and its cue).
PART = pa.struct(
    [
        ("role", pa.string()),
        ("matched", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)

#: The cue that neutralized a finding (a negation, a warning, a report, an allow-list entry).
NEUTRALIZATION = pa.struct(
    [
        ("reason", pa.string()),
        ("cue", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
    ]
)

#: A finding, field for field as in the record (``start``/``end`` are UTF-8 byte offsets,
#: ``char_start``/``char_end`` code-point offsets, i.e. Python string indices;
#: ``segment_start``/``segment_end`` byte offsets within the finding's segment; ``file_start``/
#: ``file_end`` byte offsets into a file's decoded text, null for strings, which have no file).
FINDING = pa.struct(
    [
        ("tactic", pa.string()),
        ("rule", pa.string()),
        ("kind", pa.string()),
        ("term", pa.string()),
        ("form", pa.string()),
        ("weight", pa.float64()),
        ("severity", pa.string()),
        ("contribution", pa.float64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("matched", pa.string()),
        ("normalized", pa.string()),
        ("context", pa.string()),
        ("legal_basis", pa.list_(pa.string())),
        ("parts", pa.list_(PART)),
        ("neutralized", NEUTRALIZATION),
        ("segment", pa.int64()),
        ("segment_start", pa.int64()),
        ("segment_end", pa.int64()),
        ("file_start", pa.int64()),
        ("file_end", pa.int64()),
        ("start_ms", pa.int64()),
        ("end_ms", pa.int64()),
    ]
)

#: The columns :func:`analyze_arrow` returns.
SCHEMA = pa.schema(
    [
        ("score", pa.float64()),
        ("level", pa.string()),
        ("tactics", pa.list_(pa.string())),
        ("findings", pa.list_(FINDING)),
        ("summary_zh", pa.string()),
        ("summary_en", pa.string()),
    ]
)


def _strings(array: Any) -> List[Optional[str]]:
    if isinstance(array, pa.ChunkedArray):
        out: List[Optional[str]] = []
        for chunk in array.chunks:
            out.extend(_strings(chunk))
        return out
    if not isinstance(array, pa.Array):
        array = pa.array(array, type=pa.string())
    t = array.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or _is_string_view(t)):
        raise TypeError(f"analyze_arrow needs a string array, not {t}")
    return array.to_pylist()


def _is_string_view(t: pa.DataType) -> bool:
    check = getattr(pa.types, "is_string_view", None)
    return bool(check and check(t))


def analyze_arrow(array: Any, *, analyzer: Any = None, threads: Optional[int] = None) -> pa.RecordBatch:
    """Score every string of ``array`` and return a ``pyarrow.RecordBatch`` (:data:`SCHEMA`).

    Args:
        array: a ``pyarrow`` string, large_string or string_view array, a chunked array of
            them, or a list of ``str``/``None``.
        analyzer: the :class:`huashu.Analyzer` to use (default: the shared default one).
        threads: as in :meth:`huashu.Analyzer.analyze_many`.

    >>> import pyarrow as pa, huashu
    >>> batch = huashu.analyze_arrow(pa.array(["今天天气不错", None, "加我薇信私聊，原价回收"]))
    >>> batch.column("level").to_pylist()
    ['none', None, 'critical']
    >>> batch.schema.field("findings").type.value_type.field("char_start").type
    DataType(int64)
    """
    if analyzer is None:
        from . import Analyzer

        analyzer = Analyzer.shared()
    texts = _strings(array)
    present = [i for i, t in enumerate(texts) if t is not None]
    records = analyzer.analyze_many([texts[i] for i in present], threads)
    n = len(texts)
    scores: List[Optional[float]] = [None] * n
    levels: List[Optional[str]] = [None] * n
    tactics: List[Optional[List[str]]] = [None] * n
    findings: List[Optional[List[dict]]] = [None] * n
    summaries_zh: List[Optional[str]] = [None] * n
    summaries_en: List[Optional[str]] = [None] * n
    for i, r in zip(present, records):
        scores[i] = r["score"]
        levels[i] = r["level"]
        tactics[i] = [t["tactic"] for t in r["tactics"]]
        fs = r["findings"]
        for f in fs:
            if "severity" not in f:
                f["severity"] = "normal"
            if "parts" not in f:
                f["parts"] = []
        findings[i] = fs
        summaries_zh[i] = r["summary_zh"]
        summaries_en[i] = r["summary_en"]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(scores, type=pa.float64()),
            pa.array(levels, type=pa.string()),
            pa.array(tactics, type=pa.list_(pa.string())),
            pa.array(findings, type=pa.list_(FINDING)),
            pa.array(summaries_zh, type=pa.string()),
            pa.array(summaries_en, type=pa.string()),
        ],
        schema=SCHEMA,
    )
