#!/usr/bin/env python3
"""Writes data/jieba_dict.zlib: jieba's default dictionary as huashu embeds it.

The dictionary is the one jieba-rs 0.11 ships (src/data/dict.txt, MIT licence, from the
jieba project), one `word frequency tag` line per word. huashu only segments (it never asks
for part-of-speech tags), so the tags are dropped and `word frequency` lines are
zlib-compressed. Segmentation depends on the words and frequencies alone, so the result
segments exactly as `Jieba::new()` does (tests/segmenter_dictionary.rs checks it).

Usage: python3 data/make_jieba_dict.py PATH/TO/jieba-rs-0.11.0/src/data/dict.txt
(the crate's source is under ~/.cargo/registry/src/*/ once cargo has fetched it).
"""
import sys
import zlib
from pathlib import Path

src = Path(sys.argv[1])
out = Path(__file__).with_name("jieba_dict.zlib")
lines = []
for number, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
    fields = line.split()
    if len(fields) not in (2, 3) or not fields[1].isdigit():
        sys.exit(f"{src}:{number}: not a `word frequency [tag]` line: {line!r}")
    lines.append(f"{fields[0]} {fields[1]}\n")
out.write_bytes(zlib.compress("".join(lines).encode("utf-8"), 9))
print(f"{out}: {len(lines)} words, {out.stat().st_size} bytes")
