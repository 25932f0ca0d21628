#!/usr/bin/env bash
# Regenerates the exporters' golden files (tests/views/golden/) from the fixtures in
# tests/views/fixtures/, by running the exporter tests with CANOPY_REGEN_GOLDEN=1.
# Usage: scripts/regen-golden.sh [BUILD_DIR]   (default: build). Review the diff before committing:
#   git diff --stat tests/views/golden/
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
tests=(test_ascii_exporter test_dot_exporter test_mermaid_exporter)
if [[ ! -f "$build/build.ninja" && ! -f "$build/Makefile" ]]; then
    echo "regen-golden: '$build' is not a configured build directory (cmake -S . -B $build -G Ninja)" >&2
    exit 2
fi
build="$(cd "$build" && pwd)"
cmake --build "$build" --target "${tests[@]}" -j2
mkdir -p "$root/tests/views/golden"
for t in "${tests[@]}"; do
    exe="$(find "$build" -type f -name "$t" -perm -u+x | head -n1)"
    if [[ -z "$exe" ]]; then
        echo "regen-golden: test executable $t not found under $build" >&2
        exit 1
    fi
    (cd "$(dirname "$exe")" && CANOPY_REGEN_GOLDEN=1 CANOPY_SOURCE_DIR="$root" QT_QPA_PLATFORM=offscreen "$exe" golden >/dev/null)
done
# Check: the same tests must now pass against what was written.
for t in "${tests[@]}"; do
    exe="$(find "$build" -type f -name "$t" -perm -u+x | head -n1)"
    (cd "$(dirname "$exe")" && CANOPY_SOURCE_DIR="$root" QT_QPA_PLATFORM=offscreen "$exe" golden >/dev/null)
done
echo "regen-golden: wrote $(ls "$root/tests/views/golden" | wc -l) files in tests/views/golden/"
