"""Properties over generated text: spans index the Python string, analysis never fails, and
the parallel and one-by-one paths agree."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import huashu

# Pieces of pitches, their evasion forms and what surrounds them in real speech: emoji (outside
# the BMP, so UTF-16 and code-point indices differ), decoration, full-width forms, traditional
# script, numbers, line breaks.
FRAGMENTS = [
    "原价回收", "只高不低", "以后不想要了拿回来", "加我薇信", "加V", "vx", "私下转账", "不走平台",
    "最后三单", "手慢无", "专柜价3999", "今天只要99", "原价", "高仿", "1:1复刻", "老坑", "祖传",
    "根治", "降三高", "无副作用", "央视推荐", "稳赚不赔", "把身份证号发我", "千万别信", "骗局",
    "不是", "没有", "高價回收", "薇❤信", "yuan价回收", "😀", "🔥🔥", "𠀀", "  ", "\n", "，", "。",
    "！", "～", "宝子们", "家人们", "翡翠", "手镯", "今天天气不错", "１２３", "ＡＢＣ", "👨‍👩‍👧",
]

texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map("".join),
    st.text(max_size=200),
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_spans(text: str, record: dict) -> None:
    raw = text.encode("utf-8")
    for f in record["findings"]:
        assert text[f["char_start"]:f["char_end"]] == f["matched"], f
        assert raw[f["start"]:f["end"]].decode("utf-8") == f["matched"], f
        for p in f.get("parts", []):
            assert text[p["char_start"]:p["char_end"]] == p["matched"], p
        n = f.get("neutralized")
        if n:
            assert raw[n["start"]:n["end"]].decode("utf-8") == n["cue"], n


@SETTINGS
@given(texts)
def test_spans_are_python_indices(text):
    record = huashu.analyze(text)
    assert 0.0 <= record["score"] <= 1.0
    assert record["level"] in {"none", "low", "medium", "high", "critical"}
    check_spans(text, record)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, max_size=12), st.integers(min_value=1, max_value=4))
def test_many_equals_one_by_one(batch, threads):
    a = huashu.Analyzer.shared()
    many = a.analyze_many(batch, threads)
    assert many == [a.analyze(t, id=str(i)) for i, t in enumerate(batch)]
    for t, r in zip(batch, many):
        check_spans(t, r)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join), min_size=1, max_size=8))
def test_session_spans_index_the_joined_segments(segments):
    room = huashu.Analyzer.shared().session()
    found = []
    for s in segments:
        found += room.push(s)["findings"]
    found += room.finish()["findings"]
    joined = "\n".join(segments)
    for f in found:
        assert joined[f["char_start"]:f["char_end"]] == f["matched"], f
