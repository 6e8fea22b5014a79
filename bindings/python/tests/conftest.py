"""Shared fixtures: the repository root and the Rust scan example, which the tests compare
the bindings against."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Callable, List

import pytest

import huashu

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["huashu"] = huashu


def scan_binary() -> Path:
    """The scan example's binary: $HUASHU_SCAN, or the root crate's release build (built here
    if it is missing; CI has built it in an earlier step)."""
    if os.environ.get("HUASHU_SCAN"):
        return Path(os.environ["HUASHU_SCAN"])
    exe = ROOT / "target" / "release" / "examples" / "scan"
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "scan"], cwd=ROOT, check=True
    )
    return exe


@pytest.fixture(scope="session")
def scan() -> Callable[..., List[dict]]:
    """Runs `scan --format jsonl ARGS...` and returns its records."""
    exe = scan_binary()

    def run(*args: str, cwd: Path = ROOT) -> List[dict]:
        out = subprocess.run(
            [str(exe), "--format", "jsonl", *map(str, args)],
            cwd=cwd,
            check=True,
            capture_output=True,
        )
        return [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]

    return run
