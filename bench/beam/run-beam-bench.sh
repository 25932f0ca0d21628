#!/usr/bin/env bash
# The BEAM bridge's costs (issue 12): bench/beam/run-beam-bench.sh [BUILD_DIR] [SECONDS]
#   churn_*      the observed node's supervised workload (children started and exited per second, and
#                ping-pong round trips per second) alone, with canopy-beam attached and a viewer
#                recording, and with :observer-style polling of every process once a second
#   quiet_restarts  the delay from an exit/restart on a quiet node to the bridge
#   walk_100k    attaching to a node with a 100k-child supervisor: the walk, the keyframe, the bridge's RSS
#   idle_100k    that node at rest: its CPU alone, with the bridge sampling for a viewer, with polling
# Prints `RESULT <test> <metric> <value> <unit>`. The machine is shared: take the figures as indicative.
set -u
build=$(cd "${1:-build}" && pwd)
secs=${2:-5}
src=$(cd "$(dirname "$0")/../.." && pwd)
canopyctl=$build/app/canopyctl/canopyctl
bridge=$build/app/canopy-beam/canopy-beam
[ -x "$bridge" ] || { echo "canopy-beam not built in $build"; exit 1; }
work=$(mktemp -d /tmp/canopy-beam-bench.XXXXXX)
export HOME=$work
cookie=b$RANDOM$RANDOM
host=localhost
node=beambench_$$
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; rm -rf "$work"' EXIT
epmd -daemon
erlc -o "$work" "$src/bench/beam/beam_load.erl" || exit 1
erl -noshell -sname "$node@$host" -setcookie "$cookie" -pa "$work" -eval 'io:format("ready~n").' >"$work/node.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do grep -q ready "$work/node.log" && break; sleep 0.1; done
call() { echo "$1" | erl_call -c "$cookie" -sname "$node@$host" -e | sed -e 's/^{ok, //' -e 's/}$//'; }
ms=$((secs * 1000))
nodepid=$(call "os:getpid()." | tr -d '"')
ticks() { awk '{print $14 + $15}' /proc/$1/stat; } # user + system clock ticks
churn() { # churn TEST: runs the workload, prints its rates and the node's CPU per child started
    local r started pings t0 t1
    t0=$(ticks $nodepid)
    r=$(call "beam_load:churn($ms).")
    t1=$(ticks $nodepid)
    started=$(echo "$r" | sed -E 's/\{([0-9]+), *([0-9]+)\}?/\1/')
    pings=$(echo "$r" | sed -E 's/\{([0-9]+), *([0-9]+)\}?/\2/')
    echo "RESULT $1 children_per_s $((started / secs)) 1/s"
    echo "RESULT $1 pingpongs_per_s $((pings / secs)) 1/s"
    # CPU the node spent (all its schedulers) per child started: less sensitive to a loaded machine.
    echo "RESULT $1 node_cpu_per_child $(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / (started > 0 ? started : 1) )) us"
}
call "beam_load:churn(500)." >/dev/null # warm-up (and the supervisor exists for the bridge to trace)
churn churn_alone
"$bridge" "$node@$host" --cookie "$cookie" --port-file "$work/port" --token-file "$work/token" 2>"$work/bridge.log" &
b=$!
pids+=($b)
for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.05; done
"$canopyctl" record "127.0.0.1:$(cat "$work/port")" --token-file "$work/token" -o "$work/rec.canopy" --sample-hz 2 \
    >/dev/null 2>&1 &
rec=$!
for _ in $(seq 600); do [ -s "$work/rec.canopy" ] && break; sleep 0.05; done
cpu() { ticks "$1"; }
hz=$(getconf CLK_TCK)
b0=$(cpu $b); r0=$(cpu $rec)
churn churn_bridge_attached
echo "RESULT churn_bridge_attached bridge_cpu $(( ($(cpu $b) - b0) * 100 / hz / secs )) %core"
echo "RESULT churn_bridge_attached recorder_cpu $(( ($(cpu $rec) - r0) * 100 / hz / secs )) %core"
kill -INT $rec; wait $rec
"$canopyctl" info "$work/rec.canopy" | sed -n 's/^frames: */# recording frames: /p'
grep -v "listening\|attached" "$work/bridge.log" | sed 's/^/# bridge: /' | head -5
events=$("$canopyctl" info "$work/rec.canopy" | sed -n 's/^events: *//p')
echo "# recorded while attached: $events"
echo "# agent mailbox at the end of the churn: $(call "case whereis(canopy_beam_agent) of undefined -> none; A -> element(2, process_info(A, message_queue_len)) end.")"
kill -TERM $b; wait $b
lat=$(sed -n 's/.*node to bridge p50 < \([0-9]*\) ms, p99 < \([0-9]*\) ms, max \([0-9]*\) ms.*/\1 \2 \3/p' "$work/bridge.log")
set -- $lat
echo "RESULT churn_bridge_attached event_latency_p50 ${1:-?} ms"
echo "RESULT churn_bridge_attached event_latency_p99 ${2:-?} ms"
echo "RESULT churn_bridge_attached event_latency_max ${3:-?} ms"
# A quiet node: 50 kills of a permanent worker, 50 ms apart; the delay of each exit and restart.
call "beam_load:quiet()." >/dev/null
rm -f "$work/port"
"$bridge" "$node@$host" --cookie "$cookie" --port-file "$work/port" --token-file "$work/token" 2>"$work/bridge3.log" &
b=$!
for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.05; done
call "[begin exit(whereis(beam_load_quiet), kill), timer:sleep(50) end || _ <- lists:seq(1, 50)], ok." >/dev/null
kill -TERM $b; wait $b
lat=$(sed -n 's/.*(\([0-9]*\) events, node to bridge p50 < \([0-9]*\) ms, p99 < \([0-9]*\) ms, max \([0-9]*\) ms.*/\1 \2 \3 \4/p' "$work/bridge3.log")
set -- $lat
echo "RESULT quiet_restarts events ${1:-?} count"
echo "RESULT quiet_restarts event_latency_p50 ${2:-?} ms"
echo "RESULT quiet_restarts event_latency_p99 ${3:-?} ms"
echo "RESULT quiet_restarts event_latency_max ${4:-?} ms"
call "beam_load:poll(1000)." >/dev/null
churn churn_observer_polling_1s
call "beam_load:stop_poll()." >/dev/null

# The walk of a huge tree.
n=$(call "beam_load:huge(100000).")
echo "# huge supervisor children: $n"
rm -f "$work/port"
"$bridge" "$node@$host" --cookie "$cookie" --port-file "$work/port" \
    --token-file "$work/token" 2>"$work/bridge2.log" &
b=$!
for _ in $(seq 1200); do [ -s "$work/port" ] && break; sleep 0.05; done
walk=$(sed -n 's/.*walked in \([0-9]*\) ms.*/\1/p' "$work/bridge2.log")
procs=$(sed -n 's/.*attached to [^:]*: \([0-9]*\) processes.*/\1/p' "$work/bridge2.log")
echo "RESULT walk_100k processes $procs count"
echo "RESULT walk_100k agent_walk_ms $walk ms"
t0=$(date +%s%N)
"$canopyctl" tree "127.0.0.1:$(cat "$work/port")" --token-file "$work/token" >"$work/tree.txt" || echo "# tree failed"
t1=$(date +%s%N)
echo "RESULT walk_100k keyframe_to_tree_ms $(((t1 - t0) / 1000000)) ms"
hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$b/status)
# The 100k node at rest: its CPU with nobody watching, with the bridge attached and a viewer taking
# 2 samples/s (mailbox lengths), and with observer-style polling of every process once a second.
idle_cpu() { local t0 t1; t0=$(ticks $nodepid); sleep "$secs"; t1=$(ticks $nodepid); echo $(( (t1 - t0) * 100 / $(getconf CLK_TCK) / secs )); }
"$canopyctl" record "127.0.0.1:$(cat "$work/port")" --token-file "$work/token" -o "$work/rec2.canopy" --sample-hz 2 \
    >/dev/null 2>&1 &
rec=$!
for _ in $(seq 1200); do [ -s "$work/rec2.canopy" ] && break; sleep 0.05; done
echo "RESULT idle_100k node_cpu_bridge_sampling_2hz $(idle_cpu) %core"
kill -INT $rec; wait $rec
kill -TERM $b; wait $b 2>/dev/null
echo "RESULT walk_100k bridge_max_rss $((hwm / 1024)) MiB"
echo "RESULT idle_100k node_cpu_alone $(idle_cpu) %core"
call "beam_load:poll(1000)." >/dev/null
echo "RESULT idle_100k node_cpu_observer_polling_1s $(idle_cpu) %core"
call "beam_load:stop_poll()." >/dev/null
