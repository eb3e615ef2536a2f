#!/usr/bin/env bash
# Installs the benchmark's ONNX Runtime (onnxruntime-node from the npm registry) into .deps/npm.
# The npm package ships the Linux x64 native library; ONNXRUNTIME_NODE_INSTALL=skip stops its
# install script from fetching optional GPU/extra binaries.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.deps/npm"
if [ -f "$DEST/node_modules/onnxruntime-node/package.json" ]; then
  echo "[setup_bench] onnxruntime-node present: $(node -p "require('$DEST/node_modules/onnxruntime-node/package.json').version")"
  exit 0
fi
command -v npm >/dev/null || { echo "[setup_bench] npm not found (apt-get install nodejs npm)"; exit 1; }
mkdir -p "$DEST"
cp "$ROOT/bench/package.json" "$DEST/package.json"
ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$DEST" --no-audit --no-fund --loglevel=error
echo "[setup_bench] installed onnxruntime-node $(node -p "require('$DEST/node_modules/onnxruntime-node/package.json').version")"
