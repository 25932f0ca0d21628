#!/usr/bin/env bash
# Regenerates the sample sessions in resources/sessions/ (used by the app's tests, its screenshots and
# people trying the app without a running system). Each is a short compressed recording of a demo
# system made with canopy-demo + canopyctl record:
#   todo.canopy             the Todo system under chaos (2 kills/s), ~12 s: children come and go, restarts
#   streams-giveup.canopy   the Streams system under heavy chaos (20 kills/s) until its root supervisor
#                           reaches its restart intensity and gives up (the recording ends with the probe)
#   hangman-10k.canopy      the Hangman system with 5,000 tables: >10k processes in two herds, ~2 s
#   todo-truncated.canopy   todo.canopy cut at two thirds (a writer that crashed mid-frame)
#   todo-corrupt.canopy     todo.canopy with one byte flipped inside its second keyframe (the largest later frame)
# Usage: scripts/make-sample-sessions.sh [BUILD_DIR=build]
# Needs: ninja -C BUILD_DIR canopy-demo canopyctl
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
DEMO="$BUILD/app/canopy-demo/canopy-demo"
CTL="$BUILD/app/canopyctl/canopyctl"
OUT=resources/sessions
for tool in "$DEMO" "$CTL"; do
    [ -x "$tool" ] || { echo "make-sample-sessions: $tool not built (ninja -C $BUILD canopy-demo canopyctl)" >&2; exit 1; }
done
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# record NAME SECONDS -- DEMO ARGS...: runs the demo with a probe and records it for SECONDS (or until
# the demo ends, whichever comes first).
record() {
    local name="$1" seconds="$2"
    shift 3
    rm -f "$TMP/port"
    "$DEMO" "$@" --port 0 --port-file "$TMP/port" --token-file "$TMP/token" --flight-dir "$TMP" >"$TMP/$name.log" 2>&1 &
    local demo=$!
    for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
    [ -s "$TMP/port" ] || { echo "make-sample-sessions: the $name demo did not start" >&2; cat "$TMP/$name.log" >&2; exit 1; }
    "$CTL" --token-file "$TMP/token" record "127.0.0.1:$(cat "$TMP/port")" -o "$OUT/$name.canopy" --duration "$seconds"
    kill -INT "$demo" 2>/dev/null || true
    wait "$demo" || true
    echo "make-sample-sessions: $OUT/$name.canopy ($(stat -c %s "$OUT/$name.canopy") bytes)"
}

record todo 12 -- todo --chaos 2 --seed 7
record streams-giveup 30 -- streams --chaos 20 --seed 7
grep -q "maximum restart intensity" "$TMP/streams-giveup.log" ||
    echo "make-sample-sessions: warning: the streams demo did not give up within 30 s" >&2
record hangman-10k 2 -- hangman --size 5000 --seed 7

# Damaged copies of the Todo session.
size=$(stat -c %s "$OUT/todo.canopy")
head -c $((size * 2 / 3)) "$OUT/todo.canopy" >"$OUT/todo-truncated.canopy"
python3 - "$OUT/todo.canopy" "$OUT/todo-corrupt.canopy" <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
# Frames: "CANOPYSF", then [u32 BE length][u8 flags][payload]...; the last 16 bytes are the trailer.
pos, frames = 8, []
while pos + 5 <= len(data) - 16:
    (length,) = struct.unpack(">I", data[pos:pos + 4])
    if pos + 5 + length > len(data) - 16:
        break
    frames.append((pos, length))
    pos += 5 + length
# The largest frame after the header and the first keyframe is a later keyframe; without one, the first keyframe.
candidates = frames[2:-1] or frames[1:2]
offset, length = max(candidates, key=lambda f: f[1])
data[offset + 5 + length // 2] ^= 0x5A
open(sys.argv[2], "wb").write(bytes(data))
print("make-sample-sessions: flipped a byte of the %d-byte frame at offset %d" % (length, offset))
EOF
for f in todo-truncated todo-corrupt; do
    echo "make-sample-sessions: $OUT/$f.canopy: $({ "$CTL" info "$OUT/$f.canopy" 2>&1 || true; } | grep -i -m1 -E 'warning|corrupt|truncated' || echo 'no warning?')"
done
