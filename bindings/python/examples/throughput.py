"""Measure throughput on one synthetic dataset: analyze_many, the Spark job and the Rust scan
example, side by side (the README's "At scale: Spark" figures).

    python bindings/python/examples/throughput.py [COUNT]     # default 3000 transcripts

Run it from the repository root with the wheel installed, PySpark and Java 17 present, and the
scan example built (`cargo build --release --example scan`). Each figure is the best of a few
runs; per-core figures divide by the cores used. On a shared machine they are noisy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import huashu

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))
import make_dataset  # noqa: E402


def best(f, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        f()
        times.append(time.perf_counter() - started)
    return min(times)


def line(what: str, n: int, size: int, seconds: float, cores: int) -> None:
    print(
        f"| {what} | {cores} | {n / seconds:,.0f} | {size / 1e6 / seconds:.2f} | "
        f"{n / seconds / cores:,.0f} | {size / 1e6 / seconds / cores:.2f} |"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rows = list(make_dataset.transcripts(count))
    texts = [r["text"] for r in rows]
    size = sum(len(t.encode()) for t in texts)
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="huashu-throughput-"))
    data = tmp / "rooms.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{count} transcripts, {size / 1e6:.1f} MB of text, {cores} cores\n")
    print("| what | cores | texts/s | MB/s | texts/s per core | MB/s per core |")
    print("|---|---|---|---|---|---|")

    a = huashu.Analyzer.shared()
    a.analyze_many(texts[:50])  # warm up
    line("`analyze_many(texts, threads=1)`", count, size, best(lambda: a.analyze_many(texts, threads=1)), 1)
    line(f"`analyze_many(texts)` ({cores} threads)", count, size, best(lambda: a.analyze_many(texts)), cores)
    import pyarrow as pa

    array = pa.array(texts)
    line("`analyze_arrow(array, threads=1)`", count, size, best(lambda: a.analyze_arrow(array, threads=1)), 1)

    scan = ROOT / "target" / "release" / "examples" / "scan"
    command = [str(scan), "--format", "jsonl", str(data), "-o", os.devnull]
    analysis = []

    def run_scan() -> None:
        err = subprocess.run(command, check=True, capture_output=True, text=True).stderr
        # The scan's own summary: "... 4.5 MB in 0.28 s (15.9 MB/s)", analysis without start-up.
        analysis.append(float(err.rsplit(" in ", 1)[1].split(" s")[0]))

    line(f"Rust `scan --format jsonl` ({cores} threads), whole command", count, size, best(run_scan), cores)
    line(f"Rust `scan --format jsonl` ({cores} threads), analysis only", count, size, min(analysis), cores)

    spark = [sys.executable, str(HERE / "spark_scan.py"), str(data), str(tmp / "out.parquet"), "--master", f"local[{cores}]"]
    job = []
    for _ in range(2):
        out = subprocess.run(spark, check=True, capture_output=True, text=True).stdout
        # The job's own time (read, score, write), as spark_scan prints it; not the JVM's start.
        job.append(float(out.split(" in ")[1].split(" s ")[0]))
    line(f"Spark `local[{cores}]` job (read JSONL, score, write Parquet)", count, size, min(job), cores)


if __name__ == "__main__":
    main()
