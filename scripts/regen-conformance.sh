#!/usr/bin/env bash
# Regenerates tests/conformance/scenarios/*.expected.jsonl by running each scenario on real
# Erlang/OTP + Elixir through the reference oracle (../shared/conformance/oracle/oracle.py).
# Expected traces are never written by hand.
# Usage: scripts/regen-conformance.sh [SCENARIO.json ...]   (default: every scenario)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
oracle="${CANOPY_ORACLE:-$root/../shared/conformance/oracle/oracle.py}"
if [ ! -f "$oracle" ]; then
    echo "oracle not found: $oracle (set CANOPY_ORACLE)" >&2
    exit 2
fi
if [ "$#" -eq 0 ]; then
    set -- "$root"/tests/conformance/scenarios/*.json
fi
for scenario in "$@"; do
    expected="${scenario%.json}.expected.jsonl"
    tmp="$(mktemp)"
    python3 "$oracle" "$scenario" > "$tmp"
    mv "$tmp" "$expected"
    echo "wrote $expected ($(wc -l < "$expected") events)"
done
