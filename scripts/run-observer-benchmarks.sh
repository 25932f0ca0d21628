#!/usr/bin/env bash
# Observer-side benchmarks (issue 9): every bench prints `RESULT <test> <metric> <value> <unit>` lines.
# Builds what it needs in BUILD_DIR (configures it if missing), caches the generated one-hour sessions
# in $CANOPY_BENCH_CACHE (default BUILD_DIR/bench-cache; the 100k-process hour takes a few minutes to
# write the first time), and runs each bench under a time limit. About 10 minutes on 2 cores from
# scratch, 3-4 with a warm build and cache.
#
# Usage: scripts/run-observer-benchmarks.sh [BUILD_DIR=build]
#   ONLY="g3_seek_2k viewer_keyframe"   run only these benches (names from BENCHES below)
#   JOBS=2                              ninja parallelism
#
# Always printed (the names issue 9 asks for):
#   RESULT viewer_keyframe_100k decode_ms <ms>   connect -> 100k-process keyframe in a live Session's model
#   RESULT G3_seek_100k p99_ms <ms>              seek into a 1 h session of a 100k-process system (1k events/s)
#   RESULT G3_seek_2k p99_ms <ms>                the same for the 2k-process session
#   RESULT timeline_1h summary_ms <ms>           open that 1 h file and read its whole timeline
#   RESULT model_apply_keyframe_100k ms <ms>     the model's share (bench_model_apply), when built
# and the desktop app's (issue 10), driving the real widgets offscreen:
#   RESULT G1_open_10k first_paint_ms <ms>        10k drawn nodes, herds off: layout + first paint
#   RESULT layout_{dot,tidy}_{1k,3k,10k} ms <ms>  the two layout engines (tidy also at 100k)
#   RESULT G2_stream_100k frame_p99_ms <ms>       synthetic probe: 100k processes, 1k events/s, 60 s, one resync
#   RESULT G2_stream_100k peak_rss_mb <MB>        the app's peak resident memory in that run
#   RESULT G3_replay_seek p99_ms <ms>             seek in the 2k-process hour until the tree is repainted
# Timing figures on a machine shared with compilers are noisy: the load average is printed first;
# the benches also print CPU-time figures, and callgrind counts are steadier for before/after.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
CACHE="${CANOPY_BENCH_CACHE:-$BUILD/bench-cache}"
JOBS="${JOBS:-2}"
BIN="$BUILD/bench/introspection"

# ---------------------------------------------------------------- the benches
# One shell function per bench, named bench_<name>, printing RESULT lines; then one line in BENCHES:
# "<name> <ninja targets it needs...>". App benchmarks (G1/G2, driving the real window) go in the
# marked section at the end of the list, in the same form.

bench_viewer_keyframe() { # a scripted fake probe sends a real 100k-process keyframe over loopback
    "$BIN/bench_viewer_keyframe" --runs 15
}
bench_model_apply() { # the model's share of the above (observer core)
    "$BIN/bench_model_apply"
}
bench_g3_seek_2k() { # today's G3 session: 1 h, 1k deltas/s, ~2k processes
    "$BIN/bench_session_seek" --processes 2000 --seeks 200 --file "$CACHE/g3-2k.canopy" --reuse --name G3_seek_2k
}
bench_g3_seek_100k() { # 1 h, 1k deltas/s, ~100k processes; also the whole-timeline read of that file
    "$BIN/bench_session_seek" --processes 100000 --seeks 100 --file "$CACHE/g3-100k.canopy" --reuse \
        --name G3_seek_100k --timeline
}

bench_g1_tree_view() { # the real TreeView offscreen: G1, batches at 100k, dot vs tidy layout times
    "$BUILD/bench/gui/bench_tree_view" --reps 3 --dot-10k-reps 1
}
bench_g2_stream_100k() { # the real main window offscreen against a synthetic probe in a child process
    "$BUILD/bench/gui/bench_main_window" g2 --seconds 60 --processes 100000 --rate 1000
}
bench_g3_replay_seek() { # the real main window offscreen: seeks in the 2k-process hour (written first if missing)
    [ -s "$CACHE/g3-2k.canopy" ] ||
        "$BIN/bench_session_seek" --processes 2000 --seeks 1 --file "$CACHE/g3-2k.canopy" --reuse --name G3_seek_2k >/dev/null
    "$BUILD/bench/gui/bench_main_window" g3 --file "$CACHE/g3-2k.canopy" --seeks 100
}

BENCHES=(
    "viewer_keyframe bench_viewer_keyframe"
    "model_apply bench_model_apply"
    "g3_seek_2k bench_session_seek"
    "g3_seek_100k bench_session_seek"
    # ---- app benchmarks (issue 10), driving the real widgets offscreen ----
    "g1_tree_view bench_tree_view"
    "g2_stream_100k bench_main_window"
    "g3_replay_seek bench_main_window bench_session_seek"
)

# ---------------------------------------------------------------- driver
limit_for() { # seconds each bench may take (the first g3_seek_100k run writes the session)
    case "$1" in
    g3_seek_100k) echo 600 ;;
    g3_seek_2k) echo 240 ;;
    g1_tree_view) echo 300 ;;
    g2_stream_100k | g3_replay_seek) echo 240 ;;
    *) echo 180 ;;
    esac
}

selected=()
for entry in "${BENCHES[@]}"; do
    name="${entry%% *}"
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
    selected+=("$entry")
done
if [ ${#selected[@]} -eq 0 ]; then
    echo "run-observer-benchmarks: nothing selected (ONLY='${ONLY:-}'; names: $(for e in "${BENCHES[@]}"; do printf '%s ' "${e%% *}"; done))" >&2
    exit 2
fi

if [ ! -f "$BUILD/build.ninja" ]; then
    echo "== configuring $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
fi
known="$(ninja -C "$BUILD" -t targets all 2>/dev/null | cut -d: -f1)"
targets=()
for entry in "${selected[@]}"; do
    read -r -a words <<<"$entry"
    for t in "${words[@]:1}"; do
        if grep -qx "$t" <<<"$known" && [[ " ${targets[*]} " != *" $t "* ]]; then targets+=("$t"); fi
    done
done
if [ ${#targets[@]} -gt 0 ]; then
    echo "== building ${targets[*]}"
    ninja -C "$BUILD" -j"$JOBS" "${targets[@]}" >/dev/null || { echo "run-observer-benchmarks: build failed" >&2; exit 1; }
fi
mkdir -p "$CACHE"

echo "# observer benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
status=0
for entry in "${selected[@]}"; do
    read -r -a words <<<"$entry"
    name="${words[0]}"
    missing=""
    for t in "${words[@]:1}"; do
        [ -x "$BIN/$t" ] || [ -n "$(find "$BUILD" -name "$t" -type f -perm -u+x 2>/dev/null | head -1)" ] || missing="$t"
    done
    if [ -n "$missing" ]; then
        echo "# $name: skipped ($missing is not built in this configuration)"
        continue
    fi
    echo "== $name"
    start=$(date +%s)
    # Line-buffered, so what a bench printed before a time limit is still seen.
    timeout "$(limit_for "$name")" stdbuf -oL bash -c "$(declare -f "bench_$name"); BUILD='$BUILD' BIN='$BIN' CACHE='$CACHE' bench_$name"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "!! $name failed (exit $rc$([ $rc -eq 124 ] && echo ', time limit'))"
        status=1
    fi
    echo "# $name took $(($(date +%s) - start)) s"
done
exit $status
