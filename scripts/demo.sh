#!/usr/bin/env bash
# The main job on a fresh machine: install, build, export torchvision mobilenet_v2, run it with
# the C++ runtime, and report latency, planned memory and the difference from eager PyTorch.
# Pass --weights FILE (a mobilenet_v2 state_dict) for trained weights; random ones otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
./ember demo "$@"
