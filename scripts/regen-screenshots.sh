#!/usr/bin/env bash
# Regenerates screenshots/: the desktop app rendered by `canopy --screenshot` (offscreen, 1600x1000),
# and the diagram exports of the checked-in Todo session as the exporters draw them.
#   canopy-todo-live.png       `canopy --demo todo --chaos 2`: the live tree, servers drawn one by one
#   canopy-streams-giveup.png  the recorded Streams crash at the moment its supervisors gave up
#   canopy-herd-10k.png        a 10,001-process Hangman session: two herds of ~5,000
#   canopy-diff.png            the Todo session: what changed between 00:02 and 00:10
#   todo-export.png, todo-export-pdf-1.png, todo-export.txt   canopyctl export of a Todo session
# Usage: scripts/regen-screenshots.sh [BUILD_DIR=build]
# Needs: ninja -C BUILD_DIR canopy canopyctl (and pdftoppm from poppler-utils). Look at every PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
APP="$BUILD/app/canopy/canopy"
CTL="$BUILD/app/canopyctl/canopyctl"
SESSIONS=resources/sessions
for tool in "$APP" "$CTL"; do
    [ -x "$tool" ] || { echo "regen-screenshots: $tool not built (ninja -C $BUILD canopy canopyctl)" >&2; exit 1; }
done
mkdir -p screenshots
# A settings file of its own, so the window has its default layout (not the one someone left).
export XDG_CONFIG_HOME="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
export QT_QPA_PLATFORM=offscreen

shot() { # OUT ARGS...: one screenshot of the app
    local out="$1"
    shift
    "$APP" --screenshot "screenshots/$out" --size 1600x1000 "$@"
}
# Live: the Todo demo in-process; a few seconds in, so servers have come and gone.
shot canopy-todo-live.png --demo todo --chaos 2 --seed 7 --delay 6 --select Todo.ServerSupervisor
# The Streams crash: the moment the stream supervisors have given up and Streams.Supervisor is at
# 10 of 10 restarts (3.506 s into the recording; one more and it gives up), give-ups on the timeline.
shot canopy-streams-giveup.png "$SESSIONS/streams-giveup.canopy" --at 3.50598 --select Streams.Supervisor
# 10k processes in two herds.
shot canopy-herd-10k.png "$SESSIONS/hangman-10k.canopy" --at 60 --select Hangman.GameSupervisor
# A diff of two moments of the Todo session.
shot canopy-diff.png "$SESSIONS/todo.canopy" --diff 2:10 --select Todo.Cache

# The exporters (canopyctl) on the Todo session the exporter tests use.
FIXTURE=tests/views/fixtures/todo-session.canopy
"$CTL" export --format png --annotate "$FIXTURE" -o screenshots/todo-export.png
"$CTL" export --format pdf "$FIXTURE" -o /tmp/canopy-todo-export.pdf
pdftoppm -png -r 60 -f 1 -l 1 /tmp/canopy-todo-export.pdf screenshots/todo-export-pdf
"$CTL" export --format ascii "$FIXTURE" -o screenshots/todo-export.txt
echo "regen-screenshots: wrote $(ls screenshots | tr '\n' ' ')"
