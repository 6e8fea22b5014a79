"""The docstrings' examples run, against the installed package."""

import doctest

import pytest

import huashu
import huashu._errors
import huashu.arrow


@pytest.mark.parametrize("module", [huashu, huashu._errors, huashu.arrow], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, extraglobs={"huashu": huashu}, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_help_reads_well():
    doc = huashu.analyze.__doc__
    assert "Returns:" in doc and "char_start" in doc
    for name in ["analyze", "analyze_many", "analyze_transcript", "analyze_arrow", "session", "shared"]:
        assert getattr(huashu.Analyzer, name).__doc__, name
    for name in ["push", "push_partial", "finish", "cumulative"]:
        assert getattr(huashu.Session, name).__doc__, name


def test_stubs_match_the_extension():
    """`_core.pyi` agrees with the compiled module (names, signatures)."""
    pytest.importorskip("mypy")
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "huashu._core"], capture_output=True, text=True, cwd="/"
    )
    assert out.returncode == 0, out.stdout + out.stderr
