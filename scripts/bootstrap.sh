#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/bootstrap.sh run   - install dependencies, build, start the main job: the desktop app on the
#                                live Todo demo system (`canopy --demo todo`; extra arguments go to canopy)
#   scripts/bootstrap.sh test  - install dependencies, build, run every test:
#                                all tests under ASan+UBSan, the runtime under TSan, bounded fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
shift || true
JOBS="${JOBS:-$(nproc)}"

scripts/install-deps.sh

configure_build() { # dir, cmake args..., -- ninja targets...
  local dir="$1"; shift
  local args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  targets=("$@")
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja "${args[@]}" > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
  ninja -C "$dir" -j "$JOBS" "${targets[@]}"
}

case "$mode" in
  run)
    configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANOPY_BUILD_BENCH=OFF -- canopy canopy-demo canopyctl
    exec ./build/app/canopy/canopy --demo todo "$@"
    ;;
  test)
    exec scripts/run-tests.sh "$@"
    ;;
  *)
    echo "usage: scripts/bootstrap.sh run|test" >&2
    exit 2
    ;;
esac
