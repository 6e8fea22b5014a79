"""Score a day of livestream transcripts with huashu on Spark, and write the results as Parquet.

    python bindings/python/examples/spark_scan.py INPUT OUTPUT [--master local[2]]

INPUT is a Parquet dataset or a JSON Lines file (or a directory of them) with the columns
``id`` and ``text``, and optionally ``room`` and ``start_time``, which are carried through.
OUTPUT is a Parquet directory with ``id`` (``room``, ``start_time``), ``score``, ``level``,
``tactics`` (list of tactic ids) and ``findings`` (list of structs: ``huashu.arrow.FINDING``),
the values of the scan example's records for the same texts.

How it runs: ``mapInArrow`` hands each task its partition as Arrow record batches; the task
takes the executor process's one shared analyzer (``huashu.Analyzer.shared()``, built on the
first batch the process sees, reused by every later task while Spark reuses the Python worker)
and scores each batch with ``analyze_arrow``, one thread per task (Spark already runs one task
per core). The same script runs unchanged on a cluster (``spark-submit`` it, with the huashu
wheel installed on the executors); ``--master`` is for local runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Iterator, List, Optional, Sequence

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.types import StructType

import huashu
import huashu.arrow

PASSTHROUGH = ("room", "start_time")


def read(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    """The input as a DataFrame of ``id`` (as a string), ``text`` and the optional columns."""
    if fmt == "auto":
        fmt = "jsonl" if path.rstrip("/").endswith((".jsonl", ".ndjson", ".json")) else "parquet"
    df = spark.read.json(path) if fmt == "jsonl" else spark.read.parquet(path)
    missing = [c for c in ("id", "text") if c not in df.columns]
    if missing:
        raise SystemExit(f"spark_scan: {path} has no {', '.join(missing)} column (columns: {df.columns})")
    keep = [c for c in PASSTHROUGH if c in df.columns]
    return df.select(F.col("id").cast("string").alias("id"), F.col("text").cast("string"), *keep)


def scorer(lexicons: Sequence[str], only: Optional[Sequence[str]], threads: int):
    """The function ``mapInArrow`` runs on each partition's batches."""

    def score(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        analyzer = huashu.Analyzer.shared(list(lexicons), only)
        for batch in batches:
            result = analyzer.analyze_arrow(batch.column("text"), threads=threads)
            keep = [n for n in batch.schema.names if n != "text"]
            yield pa.RecordBatch.from_arrays(
                [batch.column(n) for n in keep] + result.columns,
                names=keep + result.schema.names,
            )

    return score


def scan(
    df: DataFrame,
    lexicons: Sequence[str] = (),
    only: Optional[Sequence[str]] = None,
    threads: int = 1,
) -> DataFrame:
    """``df`` (``id``, ``text``, optional pass-through columns) scored: the output columns."""
    keep = [f for f in df.schema.fields if f.name != "text"]
    schema = StructType(keep + from_arrow_schema(huashu.arrow.SCHEMA).fields)
    return df.mapInArrow(scorer(lexicons, only, threads), schema)


def main(argv: Optional[List[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="a Parquet dataset or a JSON Lines file (or a directory of them)")
    p.add_argument("output", help="the Parquet directory to write (replaced if it exists)")
    p.add_argument("--format", choices=["auto", "parquet", "jsonl"], default="auto", help="input format (default: from the name)")
    p.add_argument("--master", default=None, help="Spark master for a local run, e.g. local[2] (default: spark-submit's)")
    p.add_argument("--lexicons", action="append", default=[], help="add or override lexicons (a .toml file or a directory); may be repeated")
    p.add_argument("--only", default=None, help="only these tactics, comma-separated")
    p.add_argument("--partitions", type=int, default=None, help="repartition the input into N partitions first")
    p.add_argument("--threads", type=int, default=1, help="analysis threads per task (default 1: Spark runs a task per core)")
    args = p.parse_args(argv)

    only = [t.strip() for t in args.only.split(",") if t.strip()] if args.only else None
    lexicons = [os.path.abspath(p) for p in args.lexicons]
    # The lexicons are checked here, on the driver, so a bad one fails before Spark starts.
    try:
        huashu.Analyzer.shared(lexicons, only)
    except huashu.HuashuError as e:
        raise SystemExit(f"spark_scan: {type(e).__name__}: {e}") from None

    # Timestamps (a pass-through start_time) as standard Parquet microseconds, not legacy INT96.
    builder = SparkSession.builder.appName("huashu-scan").config(
        "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"
    )
    if args.master:
        builder = builder.master(args.master)
        if args.master.startswith("local"):
            # Local workers are this interpreter, which has huashu installed.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    try:
        started = time.perf_counter()
        df = read(spark, args.input, args.format)
        if args.partitions:
            df = df.repartition(args.partitions)
        scan(df, lexicons, only, args.threads).write.mode("overwrite").parquet(args.output)
        seconds = time.perf_counter() - started
        stats = df.agg(F.count("*").alias("n"), F.sum(F.octet_length("text")).alias("bytes")).collect()[0]
        n, size = stats["n"], stats["bytes"] or 0
        print(
            f"spark_scan: scored {n} transcripts ({size / 1e6:.1f} MB) in {seconds:.1f} s "
            f"({n / seconds:.0f} texts/s, {size / 1e6 / seconds:.2f} MB/s) into {args.output}"
        )
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
