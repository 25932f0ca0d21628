#!/usr/bin/env bash
# The observer side never includes the runtime (docs: ../shared/design/architecture.md): it learns
# everything from the wire. Fails (exit 1) listing every file of introspection/, views/,
# app/canopyctl and app/canopy — except the in-process probe (introspection/probe/) and the desktop
# app's --demo glue (app/canopy/demo_host.cpp, built only when the runtime is) — that includes a
# runtime/ header. Run by CTest (observer_includes); usage: check-observer-includes.sh [SOURCE_DIR].
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
dirs=()
for d in introspection views app/canopyctl app/canopy; do
    [[ -d "$d" ]] && dirs+=("$d")
done
if [[ ${#dirs[@]} -eq 0 ]]; then
    echo "check-observer-includes: no observer sources under $root" >&2
    exit 1
fi
# #include "runtime/..." or <runtime/...>, whatever the spacing.
bad=$(grep -rnE --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cc' \
          '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]runtime/' "${dirs[@]}" |
      grep -v -e '^introspection/probe/' -e '^app/canopy/demo_host\.cpp:' || true)
if [[ -n "$bad" ]]; then
    echo "The observer side includes runtime headers (only introspection/probe/ and the demo may):" >&2
    echo "$bad" >&2
    exit 1
fi
echo "observer side: no runtime/ includes in ${dirs[*]} (introspection/probe/ and app/canopy/demo_host.cpp excepted)"
