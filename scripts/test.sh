#!/usr/bin/env bash
# Runs the whole test suite: setup, build, C++ unit tests (ctest), Python tests (pytest),
# and the sanitizer + fuzz build. EMBER_SLOW=1 (or --slow) adds the slow model tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
for a in "$@"; do [ "$a" = "--slow" ] && export EMBER_SLOW=1; done
bash scripts/setup.sh
[ -f scripts/setup_tokenizers.sh ] && bash scripts/setup_tokenizers.sh
bash scripts/build.sh
# Sanitizer build (ASan+UBSan) with the libFuzzer targets, used by the robustness tests.
export EMBER_SAN_BUILD_DIR="$ROOT/build-san"
export EMBER_FUZZ_BUILD_DIR="$EMBER_SAN_BUILD_DIR"
CC=clang CXX=clang++ EMBER_BUILD_DIR="$EMBER_SAN_BUILD_DIR" bash scripts/build.sh \
  -DEMBER_SANITIZE=ON -DEMBER_BUILD_FUZZERS=ON -DEMBER_BUILD_PYTHON=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== C++ tests (ctest) =="
ctest --test-dir build --output-on-failure -j "$(nproc)"
echo "== C++ tests under ASan/UBSan (ctest) =="
ctest --test-dir build-san --output-on-failure -j "$(nproc)"
echo "== Python tests (pytest) =="
args=(); for a in "$@"; do [ "$a" != "--slow" ] && args+=("$a"); done
PYTHONPATH="$ROOT/python" /usr/bin/python3 -m pytest -q tests "${args[@]}"
