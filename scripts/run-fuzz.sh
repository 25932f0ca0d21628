#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (observer-only configuration, build dir build-fuzz) and runs
# each for a bounded time. Usage: scripts/run-fuzz.sh [SECONDS_PER_TARGET=60] [BUILD_DIR=build-fuzz]
# Exit status is non-zero if any target crashed; crash inputs are left in BUILD_DIR/fuzz-artifacts/.
set -euo pipefail
SECONDS_PER_TARGET="${1:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${2:-$ROOT/build-fuzz}"
JOBS="${JOBS:-2}"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCANOPY_BUILD_FUZZ=ON -DCANOPY_OBSERVER_ONLY=ON -DCANOPY_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" -j"$JOBS" fuzz_frame_decoder fuzz_session_reader
mkdir -p "$BUILD/fuzz-artifacts"
status=0
for t in fuzz_frame_decoder fuzz_session_reader; do
    corpus="$BUILD/fuzz-corpus/$t"
    mkdir -p "$corpus"
    cp -n "$ROOT"/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
    echo "== $t for ${SECONDS_PER_TARGET}s"
    if ! "$BUILD/fuzz/$t" "$corpus" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 \
            -timeout=10 -artifact_prefix="$BUILD/fuzz-artifacts/$t-" -print_final_stats=1 2>"$BUILD/$t.log"; then
        echo "!! $t found a problem; see $BUILD/$t.log and $BUILD/fuzz-artifacts/"
        tail -30 "$BUILD/$t.log"
        status=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$BUILD/$t.log" | tail -2
    fi
done
exit $status
