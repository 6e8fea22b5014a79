#!/usr/bin/env bash
# CI for the Python package: from a clean clone, a fresh virtual environment, the pinned tools,
# the wheel built and installed, and pytest (the Spark test included, on the machine's Java 17).
#
#   bash bindings/python/ci.sh
#
# The Spark test compares against the Rust scan example, built with `cargo build --release
# --example scan` at the root if .ci/run has not built it already.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
started=$SECONDS

venv="${HUASHU_VENV:-$here/.venv}"
rm -rf "$venv" dist
python3 -m venv "$venv"
# shellcheck disable=SC1091
source "$venv/bin/activate"
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Spark 4 runs on Java 17 (or 21); use the machine's 17 when there is one.
for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
    if [[ -x "$jdk/bin/java" ]]; then export JAVA_HOME="$jdk"; break; fi
done
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -version 2>&1 | head -1

echo "== wheel"
maturin build --release --quiet --out dist
python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/huashu-*.whl

echo "== pytest"
# Run from the tests' own directory so `import huashu` is the installed wheel, not the source.
python -m pytest -q tests
echo "python bindings: done in $((SECONDS - started)) s"
