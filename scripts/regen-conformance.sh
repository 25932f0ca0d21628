#!/usr/bin/env bash
# Regenerates tests/conformance/scenarios/*.expected.jsonl by running each scenario on real
# Erlang/OTP + Elixir through the reference oracle (../shared/conformance/oracle/oracle.py).
# Expected traces are never written by hand.
#
# The oracle runs in real time (it waits 60 ms after each step), so on a heavily loaded machine a
# step can spill into the next one. Each scenario is therefore run until two consecutive runs agree
# (at most CANOPY_ORACLE_TRIES attempts, default 5); if they never do, the scenario is reported and
# its expected trace is left untouched. Prefer an idle machine.
#
# Usage: scripts/regen-conformance.sh [SCENARIO.json ...]   (default: every scenario)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
oracle="${CANOPY_ORACLE:-$root/../shared/conformance/oracle/oracle.py}"
tries="${CANOPY_ORACLE_TRIES:-5}"
if [ ! -f "$oracle" ]; then
    echo "oracle not found: $oracle (set CANOPY_ORACLE)" >&2
    exit 2
fi
if [ "$#" -eq 0 ]; then
    set -- "$root"/tests/conformance/scenarios/*.json
fi
unstable=0
for scenario in "$@"; do
    expected="${scenario%.json}.expected.jsonl"
    prev="$(mktemp)"
    cur="$(mktemp)"
    python3 "$oracle" "$scenario" > "$prev"
    ok=0
    for ((i = 1; i < tries; i++)); do
        python3 "$oracle" "$scenario" > "$cur"
        if cmp -s "$prev" "$cur"; then
            ok=1
            break
        fi
        mv "$cur" "$prev"
        cur="$(mktemp)"
    done
    if [ "$ok" = 1 ]; then
        mv "$cur" "$expected"
        echo "wrote $expected ($(wc -l < "$expected") events)"
    else
        echo "UNSTABLE $scenario: the oracle gave different traces; $expected left as it was" >&2
        unstable=1
        rm -f "$cur"
    fi
    rm -f "$prev"
done
exit "$unstable"
