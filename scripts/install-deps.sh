#!/usr/bin/env bash
# Installs every Debian package Canopy needs to build, test, benchmark and regenerate its
# conformance traces. Idempotent; uses sudo when not root.
set -euo pipefail
PACKAGES=(
  g++ cmake ninja-build pkg-config git python3 ccache
  qt6-base-dev qt6-svg-dev libgl-dev
  libgraphviz-dev graphviz
  libasio-dev nlohmann-json3-dev libcli11-dev zlib1g-dev libdeflate-dev
  xvfb xauth poppler-utils
  clang libclang-rt-14-dev
  erlang-base erlang-dev elixir libcaf-dev
)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
