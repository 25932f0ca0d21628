#!/usr/bin/env bash
# Regenerates screenshots/ from the checked-in recorded session of the Todo demo
# (tests/views/fixtures/todo-session.canopy): the diagram exports as PNG (and the PDF's first page
# rendered with pdftoppm), so what the exporters draw can be looked at. Usage:
#   scripts/regen-screenshots.sh [BUILD_DIR=build]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
CTL="$BUILD/app/canopyctl/canopyctl"
SESSION=tests/views/fixtures/todo-session.canopy
[ -x "$CTL" ] || { echo "regen-screenshots: $CTL not built (ninja -C $BUILD canopyctl)" >&2; exit 1; }
mkdir -p screenshots
"$CTL" export --format png --annotate "$SESSION" -o screenshots/todo-export.png
"$CTL" export --format pdf "$SESSION" -o /tmp/canopy-todo-export.pdf
pdftoppm -png -r 60 -f 1 -l 1 /tmp/canopy-todo-export.pdf screenshots/todo-export-pdf
"$CTL" export --format ascii "$SESSION" -o screenshots/todo-export.txt
echo "regen-screenshots: wrote $(ls screenshots | tr '\n' ' ')"
