"""analyze_arrow: typed columns holding the records' values."""

from __future__ import annotations

import pyarrow as pa
import pytest

import huashu
import huashu.arrow

TEXTS = [
    "宝子们这串是缅甸老坑的，以后不想要了拿回来，我们原价回收，只高不低！想要的加我薇❤信。",
    None,
    "千万别信什么高价回收，那都是骗局。",
    "",
    "原价3999今天只要99，最后三单！😀加V私聊",
]


def test_columns_are_typed_and_hold_the_records_values():
    batch = huashu.analyze_arrow(pa.array(TEXTS))
    assert batch.schema == huashu.arrow.SCHEMA
    assert batch.num_rows == len(TEXTS)
    rows = batch.to_pylist()
    assert rows[1] == dict.fromkeys(huashu.arrow.SCHEMA.names)
    for text, row in zip(TEXTS, rows):
        if text is None:
            continue
        record = huashu.analyze(text)
        assert row["score"] == record["score"]
        assert row["level"] == record["level"]
        assert row["tactics"] == [t["tactic"] for t in record["tactics"]]
        assert (row["summary_zh"], row["summary_en"]) == (record["summary_zh"], record["summary_en"])
        assert len(row["findings"]) == len(record["findings"])
        for got, want in zip(row["findings"], record["findings"]):
            assert text[got["char_start"]:got["char_end"]] == got["matched"]
            for key, value in want.items():
                assert got[key] == value, key
            assert got["severity"] == want.get("severity", "normal")
            assert got["parts"] == want.get("parts", [])
    neutralized = [f for f in rows[2]["findings"] if f["neutralized"]]
    assert neutralized and rows[2]["level"] == "none"


def test_the_finding_struct_covers_every_record_key():
    """A key the library adds to findings must be added to huashu.arrow.FINDING."""
    keys, part_keys, neutral_keys = set(), set(), set()
    for text in TEXTS + ["原价3999今天只要99", "这双是高仿的，和大牌同一个代工厂"]:
        for f in huashu.analyze(text or "")["findings"]:
            keys |= set(f)
            for p in f.get("parts", []):
                part_keys |= set(p)
            if f.get("neutralized"):
                neutral_keys |= set(f["neutralized"])
    assert keys <= set(huashu.arrow.FINDING.names)
    assert part_keys and part_keys <= set(huashu.arrow.PART.names)
    assert neutral_keys and neutral_keys <= set(huashu.arrow.NEUTRALIZATION.names)


@pytest.mark.parametrize(
    "array",
    [
        pa.array(TEXTS, type=pa.large_string()),
        pa.chunked_array([TEXTS[:2], TEXTS[2:]]),
        TEXTS,
    ],
    ids=["large_string", "chunked", "list"],
)
def test_other_string_inputs(array):
    expected = huashu.analyze_arrow(pa.array(TEXTS))
    got = huashu.Analyzer.shared().analyze_arrow(array, threads=2)
    assert got.equals(expected)


def test_a_non_string_array_is_refused():
    with pytest.raises(TypeError, match="string array"):
        huashu.analyze_arrow(pa.array([1, 2]))


def test_pandas_roundtrip():
    pd = pytest.importorskip("pandas")
    df = huashu.analyze_arrow(pa.array(TEXTS)).to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == huashu.arrow.SCHEMA.names
