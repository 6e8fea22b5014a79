"""The Python API: records equal to the scan example's, parallel analysis, transcripts, live
sessions, errors."""

from __future__ import annotations

import json
import pickle
import threading
import time

import pytest

import huashu
from conftest import ROOT

PITCH = "宝子们这串是缅甸老坑的，以后不想要了拿回来，我们原价回收，只高不低！想要的加我薇❤信。"
CALM = "今天天气不错，我们聊聊做饭的事情。"
TRANSCRIPTS = ROOT / "examples" / "transcripts"


def report_part(record: dict) -> dict:
    """A record without its provenance (source, hashes, offsets into the file), which depends on
    where it came from."""
    out = {k: v for k, v in record.items() if k not in {"source", "sha256", "record_sha256"}}
    out["findings"] = [{k: v for k, v in f.items() if k not in {"file_start", "file_end"}} for f in record["findings"]]
    return out


def test_analyze_returns_the_record_schema():
    r = huashu.analyze(PITCH)
    assert list(r)[:7] == ["id", "source", "record_sha256", "huashu_version", "lexicons", "score", "level"]
    assert r["level"] in {"high", "critical"}
    assert {t["tactic"] for t in r["tactics"]} >= {"buyback_promise", "off_platform"}
    assert r["huashu_version"] == huashu.__version__
    assert r["lexicons"] == huashu.Analyzer().lexicon_fingerprint
    assert huashu.analyze(CALM)["level"] == "none"
    assert huashu.analyze("")["score"] == 0.0


def test_records_equal_the_scan_examples(tmp_path, scan):
    texts = [PITCH, CALM, "千万别信什么高价回收，那都是骗局。", "原价3999今天只要99，最后三单！\n加V私聊"]
    path = tmp_path / "texts.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)))
    expected = scan(path)
    a = huashu.Analyzer()
    got = a.analyze_many(texts, ids=[f"r{i}" for i in range(len(texts))])
    assert [report_part(r) for r in got] == [report_part(r) for r in expected]
    # The same text hashes the same, whichever way it was read.
    assert [r["record_sha256"] for r in got] == [r["record_sha256"] for r in expected]
    # And a file read by the binding is the scan example's, provenance and all.
    assert a.analyze_transcript(str(path)) == expected


@pytest.mark.parametrize("name", ["jade_buyback.srt", "evasion.srt", "cooking_honest.srt", "demo.jsonl"])
def test_transcript_files_equal_the_scan_examples(scan, name, monkeypatch):
    path = f"examples/transcripts/{name}"
    expected = scan(path)
    a = huashu.Analyzer.shared()
    monkeypatch.chdir(ROOT)  # the records' `source` is the path as given, as on the command line
    assert a.analyze_transcript(path) == expected
    data = (ROOT / path).read_bytes()
    from_bytes = a.analyze_transcript(data, name=path)
    assert from_bytes == expected
    assert a.analyze_transcript(bytearray(data), name=path, threads=1) == expected


def test_transcript_times_and_formats():
    a = huashu.Analyzer.shared()
    srt = "1\n00:00:01,000 --> 00:00:03,500\n以后不想要了拿回来\n\n2\n00:00:03,500 --> 00:00:06,000\n我们原价回收\n"
    [r] = a.analyze_transcript(srt.encode(), format="srt")
    f = next(f for f in r["findings"] if f["tactic"] == "buyback_promise")
    assert f["start_ms"] is not None and f["segment"] in (0, 1)
    joined = "以后不想要了拿回来\n我们原价回收"
    assert joined[f["char_start"]:f["char_end"]] == f["matched"]
    # Read as plain text, the same bytes are one transcript with no times.
    [plain] = a.analyze_transcript(srt.encode(), format="txt")
    assert all(f["start_ms"] is None for f in plain["findings"])
    with pytest.raises(ValueError, match="unknown input format"):
        a.analyze_transcript(b"x", format="docx")
    assert set(huashu.FORMATS) == {"txt", "srt", "vtt", "jsonl", "whisper", "funasr"}


def test_analyze_many_is_ordered_and_equals_analyze():
    a = huashu.Analyzer.shared()
    texts = [PITCH, CALM] * 20 + ["加我薇信私聊", ""]
    one_by_one = [a.analyze(t, id=str(i)) for i, t in enumerate(texts)]
    for threads in (None, 1, 2, 7):
        assert a.analyze_many(texts, threads) == one_by_one
    assert a.analyze_many(iter(texts[:3]), ids=["a", "b", "c"])[2]["id"] == "c"
    assert a.analyze_many([]) == []
    with pytest.raises(TypeError, match="not one str"):
        a.analyze_many(PITCH)
    with pytest.raises(ValueError, match="2 ids for 3 texts"):
        a.analyze_many(texts[:3], ids=["a", "b"])
    with pytest.raises(ValueError, match="threads"):
        a.analyze_many(texts, threads=0)
    with pytest.raises(TypeError):
        a.analyze_many(["ok", 3])


def test_analyze_many_releases_the_gil():
    a = huashu.Analyzer.shared()
    texts = [PITCH * 40] * 64
    ticks = 0
    running = True

    def tick():
        nonlocal ticks
        while running:
            ticks += 1
            time.sleep(0)

    t = threading.Thread(target=tick)
    t.start()
    try:
        before = ticks
        started = time.perf_counter()
        a.analyze_many(texts, threads=1)
        elapsed = time.perf_counter() - started
        during = ticks - before
    finally:
        running = False
        t.join()
    # With the GIL held through the call the other thread could not run at all.
    assert elapsed > 0.05, "the batch was too small to tell"
    assert during > 100, f"only {during} ticks in {elapsed:.2f}s: the GIL was held"


def test_lexicons_and_only(tmp_path):
    lex = tmp_path / "lex"
    (lex / "tactics").mkdir(parents=True)
    (lex / "tactics" / "counterfeit.toml").write_text(
        '[tactic]\nid = "counterfeit"\nname_zh = "假冒伪劣暗语"\nname_en = "Counterfeit slang"\n'
        'description = "Slang that signals counterfeit goods."\nweight = 0.9\nlegal_basis = ["《中华人民共和国商标法》第五十七条"]\n\n'
        '[[terms]]\nrule = "local_slang"\nweight = 1.0\nterms = ["莆田货"]\n'
    )
    a = huashu.Analyzer(lexicons=[lex])
    assert [f["rule"] for f in a.analyze("这双是莆田货")["findings"]] == ["local_slang"]
    assert a.lexicon_fingerprint != huashu.Analyzer().lexicon_fingerprint
    assert huashu.Analyzer(lexicons=str(lex)).lexicon_fingerprint == a.lexicon_fingerprint
    only = huashu.Analyzer(only="off_platform")
    assert {f["tactic"] for f in only.analyze(PITCH)["findings"]} == {"off_platform"}
    assert [t["id"] for t in only.tactics] == ["off_platform"]
    assert [t["id"] for t in huashu.Analyzer().tactics] == list(huashu.TACTIC_IDS)


def test_a_bad_lexicon_raises_lexicon_error_with_file_and_line(tmp_path):
    bad = tmp_path / "counterfeit.toml"
    bad.write_text(
        '[tactic]\nid = "counterfeit"\nname_zh = "x"\nname_en = "x"\ndescription = "x"\n'
        'weight = 1.4\nlegal_basis = ["x"]\n'
    )
    with pytest.raises(huashu.LexiconError) as e:
        huashu.Analyzer(lexicons=[bad])
    assert e.value.file == str(bad)
    assert e.value.line == 6
    assert "out of range" in e.value.reason
    assert str(e.value) == f"{bad}:6: {e.value.reason}"
    assert isinstance(e.value, ValueError) and isinstance(e.value, huashu.HuashuError)

    with pytest.raises(huashu.LexiconError) as e:
        huashu.Analyzer(lexicons=[tmp_path / "missing"])
    assert e.value.file == str(tmp_path / "missing") and e.value.line is None

    with pytest.raises(huashu.LexiconError, match="unknown tactic `nosuch`"):
        huashu.Analyzer(only=["nosuch"])


def test_a_bad_transcript_raises_input_error_with_file_and_line(tmp_path):
    a = huashu.Analyzer.shared()
    with pytest.raises(huashu.InputError) as e:
        a.analyze_transcript(b'{"id": "a", "text": "ok"}\nnot json\n', name="rooms.jsonl")
    assert (e.value.file, e.value.line) == ("rooms.jsonl", 2)
    assert e.value.reason.startswith("not JSON")
    with pytest.raises(huashu.InputError) as e:
        a.analyze_transcript(tmp_path / "none.srt")
    assert e.value.file == str(tmp_path / "none.srt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(huashu.InputError, match="empty file"):
        a.analyze_transcript(empty)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_panic_becomes_internal_error(threads):
    with pytest.raises(huashu.InternalError, match="boom") as e:
        huashu._core._panic_for_test("boom", threads)
    assert isinstance(e.value, RuntimeError)
    # The interpreter and the library go on.
    assert huashu.analyze(PITCH)["score"] > 0


def test_session_pushes_and_alerts_once():
    room = huashu.Analyzer.shared().session()
    segments = ["宝子们这串翡翠 以后不想要了拿回", "来我们原价回收 只高不低", "想要的加我薇", "信 私下转账便宜两百"]
    alerts, found = [], []
    for i, s in enumerate(segments):
        u = room.push(s, start_ms=i * 4000, end_ms=i * 4000 + 4000)
        assert set(u) == {"findings", "provisional", "retracted", "confirmed", "alert", "risk"}
        found += u["findings"]
        if u["alert"]:
            alerts.append(u["alert"])
    last = room.finish()
    found += last["findings"]
    if last["alert"]:
        alerts.append(last["alert"])
    assert len(alerts) == 1 and alerts[0]["level"] in {"high", "critical"}
    assert set(alerts[0]) == {"level", "previous", "score", "at_ms"}
    joined = "\n".join(segments)
    for f in found:
        assert joined[f["char_start"]:f["char_end"]] == f["matched"]
    assert {f["tactic"] for f in found} >= {"buyback_promise", "off_platform"}
    cumulative = room.cumulative()
    assert cumulative["level"] == room.risk["level"] or cumulative["score"] >= room.risk["score"]
    assert any(t["tactic"] == "off_platform" for t in cumulative["tactics"])
    assert room.len_chars == len(joined)


def test_session_partials_are_provisional_then_confirmed_or_retracted():
    room = huashu.Analyzer.shared().session(lookahead_chars=0)
    u = room.push_partial("加我薇信私聊")
    assert u["provisional"] and not u["findings"]
    u = room.push("今天天气不错")
    assert u["retracted"] and not u["confirmed"]
    u = room.push_partial("我们原价回收")
    assert u["provisional"]
    u = room.push("我们原价回收")
    assert u["confirmed"] and not u["retracted"]


def test_session_defaults_are_the_librarys():
    import inspect

    params = inspect.signature(huashu.Analyzer.session).parameters
    defaults = tuple(params[n].default for n in ["alert_level", "lookahead_chars", "horizon_chars", "horizon_ms", "keep_findings"])
    assert defaults == huashu._core._session_defaults()
    with pytest.raises(ValueError):
        huashu.Analyzer.shared().session(alert_level="urgent")


def test_shared_and_pickled_analyzers():
    a = huashu.Analyzer.shared(only=["off_platform"])
    assert huashu.Analyzer.shared(only="off_platform") is a
    assert huashu.Analyzer.shared() is not a
    back = pickle.loads(pickle.dumps(a))
    assert back is a  # unpickling in a process gives that process's shared analyzer
    assert "only=['off_platform']" in repr(a)


def test_python_strings_that_rust_cannot_hold_raise():
    with pytest.raises(UnicodeEncodeError):
        huashu.analyze("原价回收\ud800")
