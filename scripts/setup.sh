#!/usr/bin/env bash
# Installs Ember's build and test dependencies from Debian (idempotent; quick when done).
set -euo pipefail
PKGS=(build-essential cmake ninja-build clang libclang-rt-14-dev
      python3-torch python3-torchvision python3-numpy python3-pybind11 pybind11-dev python3-dev
      flatbuffers-compiler libflatbuffers-dev python3-flatbuffers python3-pytest libgtest-dev
      libxnnpack-dev libpthreadpool-dev libcpuinfo-dev python3-matplotlib)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
else
  echo "[setup] Debian packages present"
fi
