#!/usr/bin/env bash
# Soak test of the probe: each demo (todo, streams, hangman) runs under chaos for MINUTES with
#   - an active viewer (JSON over the wire: counts restarts, sequence gaps, resyncs),
#   - a stalled viewer (a raw connection that sends its hello and never reads again),
#   - a recorder (`canopyctl record`),
#   - /metrics scraped every SAMPLE seconds,
# all against an ASan+UBSan build, and reports RSS over time, the restarts each observer saw,
# sequence gaps, flight-recorder dumps written and kept, and any sanitizer report.
#
#   scripts/soak.sh [MINUTES=10] [BUILD_DIR=build-asan]
#
# The build dir needs canopy-demo and canopyctl; made if missing with
#   cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANOPY_SANITIZE=address \
#         -DCANOPY_BUILD_BENCH=OFF && ninja -C build-asan canopy-demo canopyctl
# Environment: SOAK_SYSTEMS ("todo streams hangman"), SOAK_CHAOS (exits per second, 2; per system
# SOAK_CHAOS_<system>, todo 1 by default: at 2/s its root gives up within minutes and the demo ends),
# SOAK_SAMPLE (seconds between RSS/metrics samples, 15), SOAK_OUT (results dir, BUILD_DIR/soak-results),
# SOAK_SEQUENTIAL=1 (one demo after the other instead of all at once).
# Exit status: 0 when every demo ran its time and shut down cleanly with no sanitizer report, no
# sequence gap seen by the active viewer or in the recording, and the dump directory within its cap.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
build=${2:-build-asan}
systems=${SOAK_SYSTEMS:-todo streams hangman}
chaos=${SOAK_CHAOS:-2}
sample=${SOAK_SAMPLE:-15}
out=${SOAK_OUT:-$build/soak-results}
max_dumps=20
demo=$build/app/canopy-demo/canopy-demo
ctl=$build/app/canopyctl/canopyctl
for exe in "$demo" "$ctl"; do
  [ -x "$exe" ] || { echo "soak: $exe not built (see the header of $0)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "soak: python3 is needed" >&2; exit 2; }
seconds=$((minutes * 60))
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# The active viewer: hello (JSON), then reads frames until the probe closes; writes a JSON summary.
viewer_py='
import json, socket, struct, sys, time
port, token, summary = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", port), timeout=30)
def send(msg):
    b = json.dumps(msg).encode(); s.sendall(struct.pack(">IB", len(b), 0) + b)
send({"type": "hello", "magic": "CANOPY", "version": [1, 0], "capabilities": ["samples"],
      "token": token, "encoding": "json", "client": "soak viewer"})
s.settimeout(None)
buf = bytearray(); stats = {"frames": 0, "bytes": 0, "keyframes": 0, "deltas": 0, "restarts": 0,
    "gave_up": 0, "gaps": 0, "resyncs": 0, "samples": 0, "refused": ""}
last = None
def save():
    with open(summary, "w") as f: json.dump(stats, f)
next_save = time.time() + 5
while True:
    chunk = s.recv(1 << 16)
    if not chunk: break
    stats["bytes"] += len(chunk); buf += chunk
    while len(buf) >= 5:
        n = struct.unpack(">I", buf[:4])[0]
        if len(buf) < 5 + n: break
        m = json.loads(bytes(buf[5:5 + n])); del buf[:5 + n]
        stats["frames"] += 1; t = m.get("type")
        if t == "refusal": stats["refused"] = m.get("message", "")
        elif t == "keyframe": stats["keyframes"] += 1; last = m.get("seq", 0)
        elif t == "resync": stats["resyncs"] += 1; last = None
        elif t == "sample": stats["samples"] += 1
        elif t == "delta":
            stats["deltas"] += 1
            if last is not None and m["seq"] != last + 1: stats["gaps"] += 1
            last = m["seq"]
            if m.get("kind") == "child_restarted": stats["restarts"] += 1
            if m.get("kind") == "supervisor_gave_up": stats["gave_up"] += 1
    if time.time() > next_save: save(); next_save = time.time() + 5
save()
'
# The stalled viewer: a tiny receive buffer, a hello, then never a read.
stalled_py='
import json, socket, struct, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", int(sys.argv[1])))
b = json.dumps({"type": "hello", "magic": "CANOPY", "version": [1, 0], "token": sys.argv[2],
                "encoding": "json", "client": "soak stalled viewer"}).encode()
s.sendall(struct.pack(">IB", len(b), 0) + b)
time.sleep(1e9)
'
scrape_py='
import sys, urllib.request
try:
    with urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10) as r:
        open(sys.argv[2], "wb").write(r.read())
except Exception as e:
    sys.exit(1)
'

run_one() {
  local sys=$1 dir=$out/$1
  mkdir -p "$dir/dumps"
  local token
  token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (umask 077; echo "$token" >"$dir/token")
  local rate_var="SOAK_CHAOS_$sys" rate
  rate=${!rate_var:-$chaos}
  [ "$sys" = todo ] && [ -z "${!rate_var:-}" ] && [ -z "${SOAK_CHAOS:-}" ] && rate=1
  echo "$rate" >"$dir/chaos"
  "$demo" "$sys" --port 0 --port-file "$dir/port" --token-file "$dir/token" --chaos "$rate" \
    --duration "$seconds" --seed 7 --stats 60 --flight-dir "$dir/dumps" --flight-max-dumps "$max_dumps" \
    --metrics-port 0 >"$dir/demo.out" 2>"$dir/demo.err" &
  local pid=$! port="" mport=""
  for _ in $(seq 1 600); do
    [ -s "$dir/port" ] && port=$(cat "$dir/port")
    mport=$(grep -o 'metrics on http://[0-9.]*:[0-9]*' "$dir/demo.err" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && [ -n "$mport" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ] || [ -z "$mport" ]; then echo "soak: $sys: the probe never listened" >&2; cat "$dir/demo.err" >&2; return 1; fi
  CANOPY_TOKEN=$token "$ctl" record "127.0.0.1:$port" -o "$dir/session.canopy" --sample-hz 1 \
    >"$dir/record.out" 2>"$dir/record.err" &
  local rec=$!
  python3 -c "$viewer_py" "$port" "$token" "$dir/viewer.json" 2>"$dir/viewer.err" &
  local viewer=$!
  python3 -c "$stalled_py" "$port" "$token" 2>"$dir/stalled.err" &
  local stalled=$!
  local t0=$SECONDS
  : >"$dir/rss.tsv"
  while kill -0 "$pid" 2>/dev/null; do
    local rss
    rss=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$rss" ] && printf '%s\t%s\n' $((SECONDS - t0)) "$rss" >>"$dir/rss.tsv"
    python3 -c "$scrape_py" "$mport" "$dir/metrics.tmp" && mv "$dir/metrics.tmp" "$dir/metrics.txt" &&
      echo $((SECONDS - t0)) >"$dir/metrics.time"
    for _ in $(seq 1 "$sample"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  done
  local status=0
  wait "$pid" || status=$?
  echo "$status" >"$dir/demo.status"
  kill "$stalled" 2>/dev/null || true
  wait "$rec" 2>/dev/null || true
  wait "$viewer" 2>/dev/null || true
  wait "$stalled" 2>/dev/null || true
  "$ctl" --json info "$dir/session.canopy" >"$dir/session.json" 2>"$dir/info.err" || true
}

echo "soak: $minutes min per demo, chaos ${SOAK_CHAOS:-2}/s (todo ${SOAK_CHAOS_todo:-${SOAK_CHAOS:-1}}/s), build $build, results in $out"
if [ "${SOAK_SEQUENTIAL:-0}" = 1 ]; then
  for sys in $systems; do run_one "$sys"; done
else
  pids=()
  for sys in $systems; do run_one "$sys" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || true; done
fi

python3 - "$out" "$max_dumps" $systems <<'PY'
import json, os, re, sys
out, max_dumps, systems = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def load(path, default):
    try:
        with open(path) as f: return json.load(f)
    except Exception: return default
def metric(text, name):
    m = re.search(r"^%s (\S+)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else float("nan")
ok = True
rows = []
print("\n## Soak results\n")
for s in systems:
    d = os.path.join(out, s)
    rss = [tuple(map(int, l.split())) for l in open(os.path.join(d, "rss.tsv")) if l.strip()] if os.path.exists(os.path.join(d, "rss.tsv")) else []
    metrics = open(os.path.join(d, "metrics.txt")).read() if os.path.exists(os.path.join(d, "metrics.txt")) else ""
    viewer = load(os.path.join(d, "viewer.json"), {})
    session = load(os.path.join(d, "session.json"), {})
    err = open(os.path.join(d, "demo.err"), errors="replace").read()
    status = open(os.path.join(d, "demo.status")).read().strip() if os.path.exists(os.path.join(d, "demo.status")) else "?"
    sanitizer = sum(err.count(k) for k in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"))
    for f in ("record.err", "viewer.err"):
        p = os.path.join(d, f)
        if os.path.exists(p):
            e = open(p, errors="replace").read()
            sanitizer += sum(e.count(k) for k in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"))
    written = err.count("flight recorder wrote")
    kept = [f for f in os.listdir(os.path.join(d, "dumps")) if f.endswith(".canopy")]
    kept_bytes = sum(os.path.getsize(os.path.join(d, "dumps", f)) for f in kept)
    mib = lambda k: k / 1024.0
    print("### %s\n" % s)
    rate = open(os.path.join(d, "chaos")).read().strip() if os.path.exists(os.path.join(d, "chaos")) else "?"
    print("- chaos %s exits/s; exit status %s%s; sanitizer reports: %d" % (rate, status,
          " (its root supervisor gave up)" if status == "3" else "", sanitizer))
    if rss:
        first = next((k for t, k in rss if t >= 60), rss[0][1])
        print("- RSS (MiB): start %.1f, after 1 min %.1f, max %.1f, end %.1f" % (mib(rss[0][1]), mib(first), mib(max(k for _, k in rss)), mib(rss[-1][1])))
        per_min = {}
        for t, k in rss: per_min.setdefault(t // 60, k)
        print("- RSS each minute (MiB): " + " ".join("%.0f" % mib(per_min[m]) for m in sorted(per_min)))
    scraped = open(os.path.join(d, "metrics.time")).read().strip() if os.path.exists(os.path.join(d, "metrics.time")) else "?"
    print("- restarts seen: recorder %s (connected first); active viewer %d (connected second); probe /metrics %d at its last scrape (%s s); supervisors that gave up: %d" % (
        session.get("restarts", "?"), viewer.get("restarts", -1), metric(metrics, "canopy_child_restarts_total"), scraped, viewer.get("gave_up", -1)))
    print("- sequence gaps: active viewer %d (keyframes %d, resyncs %d); recording %s (resyncs %s)" % (
        viewer.get("gaps", -1), viewer.get("keyframes", -1), viewer.get("resyncs", -1), session.get("sequence_gaps", "?"), session.get("resyncs", "?")))
    print("- stalled viewer (and others): probe dropped %d frames for slow viewers, %d resyncs sent; runtime events dropped %d" % (
        metric(metrics, "canopy_probe_viewer_dropped_total"), metric(metrics, "canopy_probe_viewer_resyncs_total"), metric(metrics, "canopy_probe_events_dropped_total")))
    print("- flight recorder: %d dumps written, %d kept (%.1f MiB; cap %d)" % (written, len(kept), kept_bytes / 1048576.0, max_dumps))
    print("- recording: %.1f MiB, %s deltas, %s s\n" % (os.path.getsize(os.path.join(d, "session.canopy")) / 1048576.0 if os.path.exists(os.path.join(d, "session.canopy")) else 0,
        session.get("deltas", "?"), ("%.0f" % session["duration_s"]) if "duration_s" in session else "?"))
    if status != "0" or sanitizer or viewer.get("gaps", 1) != 0 or session.get("sequence_gaps", 1) != 0 or len(kept) > max_dumps:
        ok = False
print("soak: %s" % ("PASS" if ok else "FAIL (see above and the logs in %s)" % out))
sys.exit(0 if ok else 1)
PY
