#!/usr/bin/env bash
# The desktop app's command line as scripts use it (offscreen): a screenshot of a session file is a
# real PNG and exit 0; bad input is one `canopy: error:` line and exit 1 (bad input) or 2 (usage),
# never a window pictured with nothing in it.
# Usage: canopy_cli.sh CANOPY SOURCE_DIR
set -uo pipefail
CANOPY="$1"
SRC="$2"
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$(mktemp -d)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP" "$XDG_CONFIG_HOME"' EXIT
failures=0

# expect CODE MENTION ARGS...: runs canopy, checks the exit code and that stderr has one error line naming MENTION.
expect() {
    local code="$1" mention="$2"
    shift 2
    local err rc
    err="$(timeout 120 "$CANOPY" "$@" 2>&1 >/dev/null)"
    rc=$?
    err="$(grep -v -e propagateSizeHints -e XDG_RUNTIME_DIR <<<"$err")"
    if [ "$rc" != "$code" ]; then
        echo "FAIL: canopy $* exited $rc, expected $code (stderr: $err)"
        failures=$((failures + 1))
    elif [ -n "$mention" ] && ! grep -q -- "canopy: error: .*$mention" <<<"$err"; then
        echo "FAIL: canopy $*: stderr does not say '$mention': $err"
        failures=$((failures + 1))
    else
        echo "ok: canopy $* -> $rc"
    fi
}

# A screenshot of a recorded session: a PNG of the requested size.
expect 0 "" --screenshot "$TMP/todo.png" --size 1200x800 "$SRC/resources/sessions/todo.canopy" --at 5
size="$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8] == b"\x89PNG\r\n\x1a\n" else "not a PNG")' "$TMP/todo.png" 2>&1)"
if [ "$size" != "1200x800" ]; then
    echo "FAIL: $TMP/todo.png is not a 1200x800 PNG: $size"
    failures=$((failures + 1))
fi
expect 1 "no such file" --screenshot "$TMP/x.png" "$TMP/missing.canopy"
expect 1 "not a Canopy session file" --screenshot "$TMP/x.png" /etc/hostname
# Nothing listens on port 1: an error, not a picture of an empty window.
expect 1 "cannot connect" --screenshot "$TMP/refused.png" 127.0.0.1:1 --token t
[ -e "$TMP/refused.png" ] && { echo "FAIL: a screenshot was written for a probe that cannot be reached"; failures=$((failures + 1)); }
expect 2 "--demo" --demo nosuchsystem
expect 2 "--size" --screenshot "$TMP/x.png" --size huge "$SRC/resources/sessions/todo.canopy"
expect 2 "--at goes with a session file" --screenshot "$TMP/x.png" --at 3 127.0.0.1:1
expect 2 "--screenshot needs a SOURCE" --screenshot "$TMP/x.png"
expect 2 "not expected" --bogus

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all canopy command-line checks passed"
