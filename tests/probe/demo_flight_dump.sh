#!/usr/bin/env bash
# CTest: the issue's reproduction. `canopy-demo streams --chaos 20 --flight-dir D`: the root
# supervisor gives up within a second and the program exits at once; the flight recorder's dump of
# that crash must be in D (it used to be cancelled with the probe), say why it was written, and read
# back with canopyctl. Three more runs with --flight-max-dumps 2 leave 2 dumps.
set -euo pipefail
demo=${1:?usage: demo_flight_dump.sh <canopy-demo> <canopyctl>}
ctl=${2:?usage: demo_flight_dump.sh <canopy-demo> <canopyctl>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work"   # the probe's generated token goes here, not into the tester's home
status=0
"$demo" streams --chaos 20 --duration 60 --flight-dir "$work" >"$work/out" 2>"$work/err" || status=$?
if [ "$status" -ne 3 ]; then
  echo "FAIL: expected exit 3 (root supervisor gave up), got $status"; cat "$work/err"; exit 1
fi
dumps=("$work"/canopy-flight-*.canopy)
if [ ! -f "${dumps[0]}" ]; then
  echo "FAIL: no flight-recorder dump in --flight-dir after the root supervisor gave up"; cat "$work/err"; exit 1
fi
info=$("$ctl" info "${dumps[0]}" 2>&1) || { echo "FAIL: canopyctl info: $info"; exit 1; }
if ! grep -q "source: .*flight recorder of .*gave up\|source: .*flight recorder of .*root supervisor" <<<"$info"; then
  echo "FAIL: the dump does not say why it was written:"; echo "$info"; exit 1
fi
grep -q "supervisors gave up: [1-9]" <<<"$info" || { echo "FAIL: the dump lacks the crash:"; echo "$info"; exit 1; }
for i in 1 2 3; do
  "$demo" streams --chaos 20 --duration 60 --flight-dir "$work" --flight-max-dumps 2 >/dev/null 2>&1 || true
done
count=$(ls "$work"/canopy-flight-*.canopy | wc -l)
if [ "$count" -ne 2 ]; then echo "FAIL: --flight-max-dumps 2 left $count dumps"; ls -l "$work"; exit 1; fi
echo "flight recorder: the dump of the crash that ended the program was written and capped ($count kept)"
