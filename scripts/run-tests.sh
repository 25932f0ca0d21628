#!/usr/bin/env bash
# Every test Canopy has: all tests in a release build and in an ASan+UBSan build, the runtime under
# TSan, bounded fuzzing. About 20 minutes on 2 idle cores (each full build ~7 min).
# Called by scripts/bootstrap.sh test (after dependencies are installed) and so by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
status=0

build() { # dir, extra cmake args...
  local dir="$1"; shift
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja "$@" > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; return 1; }
  ninja -C "$dir" -j "$JOBS"
}

run_ctest() { # dir, label
  local dir="$1" label="$2"
  echo "=== ctest: $label"
  if ! (cd "$dir" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$JOBS" --timeout 600); then
    echo "=== FAILED: $label"
    status=1
  fi
}

echo "=== build: release (every test, benchmarks compiled)"
build build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1" -DCANOPY_BUILD_BENCH=ON
run_ctest build-test "release"

echo "=== build: ASan+UBSan (every test)"
build build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" -DCANOPY_SANITIZE=address -DCANOPY_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" run_ctest build-asan "asan+ubsan"

echo "=== build: TSan (runtime)"
build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANOPY_SANITIZE=thread -DCANOPY_RUNTIME_ONLY=ON \
  -DCANOPY_TEST_SUBDIRS="runtime;supervision" -DCANOPY_BUILD_BENCH=OFF
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" run_ctest build-tsan "tsan (runtime)"

if [ -x scripts/run-fuzz.sh ]; then
  echo "=== fuzz: ${FUZZ_SECONDS}s per target"
  scripts/run-fuzz.sh "$FUZZ_SECONDS" || { echo "=== FAILED: fuzz"; status=1; }
fi

if [ "$status" -ne 0 ]; then
  echo "some test suites failed (see above)"
  exit 1
fi
echo "all test suites passed"
