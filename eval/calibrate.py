#!/usr/bin/env python3
"""Reliability of huashu's score on labelled sets: how often a transcript in each score band
is really fraud, and the same per level. Fits the map from score to probability by isotonic
regression (pool-adjacent-violators) over the bands, so it can be read as "a report at this
score is fraud with probability p".

Usage (from the project's root, after `cargo build --release --example scan`):
    python3 eval/calibrate.py LABELS.jsonl [LABELS.jsonl ...]
"""
import json
import subprocess
import sys

CMD = ["target/release/examples/scan", "--input", "jsonl", "--format", "jsonl", "-"]
BANDS = [0.0, 0.15, 0.35, 0.5, 0.6, 0.75, 0.85, 0.95, 1.0001]
LEVELS = ["none", "low", "medium", "high", "critical"]


def main():
    rows = []
    for path in sys.argv[1:]:
        gold = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
        feed = "".join(json.dumps({"id": g["id"], "text": g["text"]}, ensure_ascii=False) + "\n" for g in gold)
        out = subprocess.run(CMD, input=feed.encode(), capture_output=True, check=True).stdout.decode()
        recs = {}
        for line in out.splitlines():
            r = json.loads(line)
            recs[str(r["id"])] = r
        for g in gold:
            r = recs[g["id"]]
            rows.append((r["score"], r["level"], g["label"] == "fraud"))
    print(f"{len(rows)} labelled transcripts from {len(sys.argv) - 1} set(s)\n")
    bands = []
    for lo, hi in zip(BANDS, BANDS[1:]):
        inb = [f for s, _, f in rows if lo <= s < hi]
        bands.append([lo, min(hi, 1.0), len(inb), sum(inb)])
    # Pool adjacent violators: fraud rate non-decreasing in score.
    blocks = [[b[2], b[3], [i]] for i, b in enumerate(bands) if b[2]]
    i = 0
    while i < len(blocks) - 1:
        a, b = blocks[i], blocks[i + 1]
        if a[1] / a[0] > b[1] / b[0]:
            blocks[i] = [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
            del blocks[i + 1]
            i = max(i - 1, 0)
        else:
            i += 1
    fitted = {}
    for n, k, members in blocks:
        for m in members:
            fitted[m] = k / n
    print("| score band | transcripts | fraud | observed P(fraud) | fitted P(fraud) |")
    print("|---|---|---|---|---|")
    for i, (lo, hi, n, k) in enumerate(bands):
        obs = f"{k / n:.2f}" if n else "–"
        fit = f"{fitted[i]:.2f}" if i in fitted else "–"
        print(f"| [{lo:.2f}, {hi:.2f}) | {n} | {k} | {obs} | {fit} |")
    print("\n| level | transcripts | fraud | P(fraud) |")
    print("|---|---|---|---|")
    for lv in LEVELS:
        inl = [f for _, l, f in rows if l == lv]
        p = f"{sum(inl) / len(inl):.2f}" if inl else "–"
        print(f"| {lv} | {len(inl)} | {sum(inl)} | {p} |")


if __name__ == "__main__":
    main()
