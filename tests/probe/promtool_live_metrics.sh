#!/usr/bin/env bash
# CTest: start canopy-demo with /metrics under chaos, fetch /metrics twice and run
# `promtool check metrics` (names, types and lint) on the live text; also check that no counter went
# down between the two scrapes. Exit 77 (CTest SKIP) only when promtool is not installed.
set -euo pipefail
demo=${1:?usage: promtool_live_metrics.sh <canopy-demo>}
if ! command -v promtool >/dev/null; then
  echo "SKIP: promtool not installed (scripts/install-deps.sh installs Debian's prometheus package)"
  exit 77
fi
work=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
"$demo" streams --port 0 --token promtool --metrics-port 0 --chaos 10 --duration 60 \
  --flight-dir "$work" >"$work/out" 2>"$work/err" &
pid=$!
port=""
for _ in $(seq 1 200); do   # a deadline of 20 s for the probe to say where /metrics is
  port=$(grep -o 'metrics on http://[0-9.]*:[0-9]*' "$work/err" 2>/dev/null | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: canopy-demo exited early"; cat "$work/err"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: canopy-demo never announced its /metrics port"; cat "$work/err"; exit 1; }
fetch() {
  python3 - "$port" "$1" <<'PY'
import sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10) as r:
    open(sys.argv[2], "wb").write(r.read())
PY
}
fetch "$work/first.txt"
# Let chaos restart a few workers (the counters must have moved), then scrape again.
for _ in $(seq 1 100); do
  fetch "$work/second.txt"
  restarts=$(awk '$1=="canopy_child_restarts_total"{print $2}' "$work/second.txt")
  [ "${restarts:-0}" -ge 3 ] && break
  sleep 0.1
done
status=0
for f in first second; do
  if ! promtool check metrics <"$work/$f.txt"; then
    echo "FAIL: promtool rejects /metrics ($f scrape):"; cat "$work/$f.txt"; status=1
  fi
done
python3 - "$work/first.txt" "$work/second.txt" <<'PY' || status=1
import sys
def parse(path):
    types, samples = {}, {}
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3); types[name] = kind
        elif line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1); samples[series] = float(value)
    return types, samples
t1, s1 = parse(sys.argv[1]); _, s2 = parse(sys.argv[2])
bad = [(k, v, s2.get(k)) for k, v in s1.items() if t1.get(k.split("{")[0]) == "counter" and (s2.get(k) is None or s2[k] < v)]
for k, a, b in bad: print("FAIL: counter %s went from %s to %s" % (k, a, b))
sys.exit(1 if bad else 0)
PY
[ $status -eq 0 ] && echo "promtool: /metrics of a live canopy-demo is clean (2 scrapes, counters monotonic)"
exit $status
