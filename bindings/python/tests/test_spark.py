"""The Spark example, run as a user runs it (local[2]), against the Rust scan example."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402

from conftest import EXAMPLES  # noqa: E402

sys.path.insert(0, str(EXAMPLES))
import make_dataset  # noqa: E402

COUNT = 3000


def spark_scan(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "spark_scan.py"), *args, "--master", "local[2]"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    assert "spark_scan: scored" in out.stdout, out.stdout
    return out.stdout


def read_rows(path: Path) -> dict:
    return {r["id"]: r for r in pq.read_table(path).to_pylist()}


@pytest.fixture(scope="module")
def jsonl_dataset(tmp_path_factory):
    d = tmp_path_factory.mktemp("spark")
    rows = list(make_dataset.transcripts(COUNT))
    path = d / "rooms.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return d, path, rows


def test_spark_output_equals_the_scan_examples_records(jsonl_dataset, scan):
    d, path, rows = jsonl_dataset
    expected = {r["id"]: r for r in scan(path)}
    assert len(expected) == COUNT
    levels = {r["level"] for r in expected.values()}
    assert {"none", "high"} <= levels or {"none", "critical"} <= levels, levels

    out = d / "scored.parquet"
    print(spark_scan(str(path), str(out), "--partitions", "4"))
    got = read_rows(out)
    assert set(got) == set(expected)
    table = pq.read_table(out)
    assert table.schema.field("tactics").type == pa.list_(pa.string())
    assert pa.types.is_struct(table.schema.field("findings").type.value_type)
    assert {"id", "room", "start_time", "score", "level", "tactics", "findings"} <= set(table.schema.names)

    text = {r["id"]: r["text"] for r in rows}
    for id_, want in expected.items():
        row = got[id_]
        assert row["score"] == want["score"], id_
        assert row["level"] == want["level"], id_
        assert row["tactics"] == [t["tactic"] for t in want["tactics"]], id_
        assert [(f["tactic"], f["rule"], f["char_start"], f["char_end"], f["matched"], f["contribution"]) for f in row["findings"]] == [
            (f["tactic"], f["rule"], f["char_start"], f["char_end"], f["matched"], f["contribution"]) for f in want["findings"]
        ], id_
        for f in row["findings"]:
            assert text[id_][f["char_start"]:f["char_end"]] == f["matched"]


def test_spark_reads_parquet_and_carries_room_and_time(tmp_path):
    import datetime as dt

    import huashu

    rows = list(make_dataset.transcripts(400, seed=7))
    table = pa.Table.from_pylist(rows)
    times = pa.array([dt.datetime.fromisoformat(r["start_time"]) for r in rows], pa.timestamp("us", tz="UTC"))
    table = table.set_column(table.schema.get_field_index("start_time"), "start_time", times)
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    out = tmp_path / "out.parquet"
    spark_scan(str(src), str(out), "--only", "buyback_promise,off_platform")
    got = read_rows(out)
    records = huashu.Analyzer(only=["buyback_promise", "off_platform"]).analyze_many(
        [r["text"] for r in rows], ids=[r["id"] for r in rows]
    )
    for r, rec in zip(rows, records):
        row = got[r["id"]]
        assert row["room"] == r["room"]
        assert row["start_time"] == dt.datetime.fromisoformat(r["start_time"])
        assert (row["score"], row["level"]) == (rec["score"], rec["level"])
        assert {f["tactic"] for f in row["findings"]} <= {"buyback_promise", "off_platform"}


def test_a_bad_lexicon_fails_before_the_job(tmp_path):
    bad = tmp_path / "counterfeit.toml"
    bad.write_text('[tactic]\nid = "counterfeit"\nweight = 1.4\n')
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "原价回收"}\n')
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "spark_scan.py"), str(src), str(tmp_path / "o"), "--lexicons", str(bad), "--master", "local[1]"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 1
    assert out.stderr.startswith(f"spark_scan: LexiconError: {bad}:"), out.stderr
    assert not (tmp_path / "o").exists()
