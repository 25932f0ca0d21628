#!/usr/bin/env python3
"""Run Canopy's runtime benchmarks beside BEAM and CAF, in the same run, and print the table.

Usage: scripts/run-benchmarks.py [reps]        (default 3; a 1-rep run takes roughly 5-10 minutes)

Environment:
  ONLY=substr     run only the runs whose label contains substr (e.g. ONLY=ring)
  B19=1           also run B19 once at the end: spawn until 10M processes (stops early when the
                  machine's MemAvailable falls below 4 GiB; needs ~10 GiB free to reach 10M)
  SKIP_BUILD=1    reuse the last build (build-bench/, build-bench/peers/, build-bench-layers/)
  RENDER=file     only re-render bench/results/latest.md from a saved latest.json
  BUILD_DIR=path  Canopy's benchmark build directory (default <repo>/build-bench; the other
                  layers' benchmarks build in <BUILD_DIR>-layers)

What it does:
  1. builds canopy-bench (Release, bench/standalone: runtime + bench only) and canopy-bench-nc (the same against a runtime compiled with
     -DCANOPY_NO_COUNTERS, for B17), plus any benchmark in bench/supervision, bench/introspection,
     bench/export;
  2. builds the peers exactly as ../shared/peers/run_all.py does (erlc, g++ -O2 cafbench/rawbench);
  3. every repetition runs every test once, Canopy / BEAM / CAF of one shape back to back, so the
     slow drift of a shared machine hits all three alike;
  4. prints a markdown table of medians and ratios against performance.md's goals and writes it to
     bench/results/latest.md (all values in bench/results/latest.json).
"""
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.normpath(os.path.join(ROOT, "..", "shared", "peers"))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build-bench"))
PEER_BUILD = os.path.join(BUILD, "peers")
LAYER_BUILD = BUILD + "-layers"
# The other layers' benchmark folders run beside ours (bench/export is the observer's G4: not here).
LAYER_SUBS = ("supervision", "introspection")
RESULTS = os.path.join(ROOT, "bench", "results")
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
TIMEOUT = 300


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build():
    os.makedirs(PEER_BUILD, exist_ok=True)
    # canopy-bench and canopy-bench-nc: the standalone build (runtime + bench only), so a half-written
    # neighbour layer cannot stop a benchmark run.
    subprocess.run(["cmake", "-S", os.path.join(ROOT, "bench", "standalone"), "-B", BUILD, "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=Release", "-DCANOPY_BENCH_NO_COUNTERS=ON"], check=True,
                   capture_output=True)
    subprocess.run(["ninja", "-C", BUILD, "canopy-bench", "canopy-bench-nc"], check=True, stdout=sys.stderr)
    # Other layers' benchmarks need the whole project (best effort: a broken neighbour only loses
    # its own rows).
    subs = [s for s in LAYER_SUBS
            if os.path.exists(os.path.join(ROOT, "bench", s, "CMakeLists.txt"))]
    if subs:
        cfg = subprocess.run(["cmake", "-S", ROOT, "-B", LAYER_BUILD, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                              "-DCANOPY_BUILD_BENCH=ON"], capture_output=True, text=True)
        if cfg.returncode != 0:
            log(f"configuring the project for bench/{{{','.join(subs)}}} failed; their rows are skipped\n"
                f"{cfg.stderr[-1500:]}")
        else:
            for sub in subs:
                r = subprocess.run(["ninja", "-C", LAYER_BUILD, f"bench/{sub}/all"], capture_output=True, text=True)
                if r.returncode != 0:
                    log(f"building bench/{sub} failed; its rows are skipped\n{r.stdout[-1500:]}")
    # Peers: exactly as peers/run_all.py builds them.
    subprocess.run(["erlc", "-o", PEER_BUILD, os.path.join(PEERS, "erlang", "actorbench.erl")], check=True)
    subprocess.run(["g++", "-O2", "-std=c++17", os.path.join(PEERS, "caf", "cafbench.cpp"),
                    "-lcaf_core", "-pthread", "-o", os.path.join(PEER_BUILD, "cafbench")], check=True)
    subprocess.run(["g++", "-O2", "-std=c++17", os.path.join(PEERS, "baseline", "rawbench.cpp"),
                    "-pthread", "-o", os.path.join(PEER_BUILD, "rawbench")], check=True)


CB = [os.path.join(BUILD, "bench", "canopy-bench")]
NC = [os.path.join(BUILD, "bench", "canopy-bench-nc")]
ERL = ["erl", "-noshell", "+P", "2000000", "-pa", PEER_BUILD, "-run", "actorbench", "main"]
ERL1 = ["erl", "-noshell", "+S", "1", "+P", "2000000", "-pa", PEER_BUILD, "-run", "actorbench", "main"]
CAF = [os.path.join(PEER_BUILD, "cafbench")]
RAW = [os.path.join(PEER_BUILD, "rawbench")]
W1 = {"CANOPY_WORKERS": "1"}

# (label, argv, extra env), grouped by shape; each group runs back to back.
RUNS = [
    ("canopy spawn_idle 100k", CB + ["spawn_idle", "100000"], {}),
    ("beam spawn_idle 100k", ERL + ["spawn_idle", "100000"], {}),
    ("caf spawn_idle 100k", CAF + ["spawn_idle", "100000"], {}),
    ("canopy spawn_idle 1M", CB + ["spawn_idle", "1000000"], {}),
    ("beam spawn_idle 1M", ERL + ["spawn_idle", "1000000"], {}),
    ("caf spawn_idle 1M", CAF + ["spawn_idle", "1000000", "0"], {}),
    ("canopy spawn_exit 1M", CB + ["spawn_exit", "1000000"], {}),
    ("beam spawn_exit 1M", ERL + ["spawn_exit", "1000000"], {}),
    ("caf spawn_exit 1M", CAF + ["spawn_exit", "1000000"], {}),
    ("canopy skynet 1M", CB + ["skynet", "1000000"], {}),
    ("beam skynet 1M", ERL + ["skynet", "1000000"], {}),
    ("caf skynet 1M", CAF + ["skynet", "1000000"], {}),
    ("canopy pingpong 1M", CB + ["pingpong", "1000000"], {}),
    ("beam pingpong 1M", ERL + ["pingpong", "1000000"], {}),
    ("caf pingpong 1M", CAF + ["pingpong", "1000000"], {}),
    ("canopy-W1 pingpong 1M", CB + ["pingpong", "1000000"], W1),
    ("beam+S1 pingpong 1M", ERL1 + ["pingpong", "1000000"], {}),
    ("caf-T1 pingpong 1M", CAF + ["pingpong", "1000000"], {"CAF_THREADS": "1"}),
    ("canopy gs_call 1M", CB + ["gs_call", "1000000"], {}),
    ("beam gs_call 1M", ERL + ["gs_call", "1000000"], {}),
    ("caf request 1M", CAF + ["request", "1000000"], {}),
    ("canopy ring 1k 2M", CB + ["ring", "1000", "2000000"], {}),
    ("beam ring 1k 2M", ERL + ["ring", "1000", "2000000"], {}),
    ("caf ring 1k 2M", CAF + ["ring", "1000", "2000000"], {}),
    ("canopy-W1 ring 1k 2M", CB + ["ring", "1000", "2000000"], W1),
    ("beam+S1 ring 1k 2M", ERL1 + ["ring", "1000", "2000000"], {}),
    ("caf-T1 ring 1k 2M", CAF + ["ring", "1000", "2000000"], {"CAF_THREADS": "1"}),
    ("canopy ring 100k 2M", CB + ["ring", "100000", "2000000"], {}),
    ("beam ring 100k 2M", ERL + ["ring", "100000", "2000000"], {}),
    ("caf ring 100k 2M", CAF + ["ring", "100000", "2000000"], {}),
    ("canopy pairs 100x20k", CB + ["pingpong_pairs", "100", "20000"], {}),
    ("beam pairs 100x20k", ERL + ["pingpong_pairs", "100", "20000"], {}),
    ("caf pairs 100x20k", CAF + ["pingpong_pairs", "100", "20000"], {}),
    ("canopy fanin 4x500k", CB + ["fanin", "4", "500000"], {}),
    ("beam fanin 4x500k", ERL + ["fanin", "4", "500000"], {}),
    ("caf fanin 4x500k", CAF + ["fanin", "4", "500000"], {}),
    ("canopy bigmailbox 1M", CB + ["bigmailbox", "1000000"], {}),
    ("beam bigmailbox 1M", ERL + ["bigmailbox", "1000000"], {}),
    ("caf bigmailbox 1M", CAF + ["bigmailbox", "1000000"], {}),
    ("canopy restart 2000", CB + ["restart", "2000", "500"], {}),
    ("canopy trace ring 1k", CB + ["trace", "1000", "1000000"], {}),
    ("beam restart 2000", ERL + ["restart", "2000"], {}),
    ("caf restart 2000", CAF + ["restart", "2000"], {}),
]

# Peers of the other layers' benchmarks, run only when that layer's benchmarks exist.
LAYER_PEERS = {
    "supervision": [
        ("beam storm 10k", ERL + ["storm", "10000"], {}),
        ("beam dynsup 10k", ERL + ["dynsup", "10000"], {}),
    ],
    "introspection": [
        ("beam snapshot 100x1000", ERL + ["snapshot", "100", "1000"], {}),
        ("beam observer 100k 10Hz", ERL + ["observer", "100000", "1000", "2000000", "100"], {}),
        ("beam observer 100k 1Hz", ERL + ["observer", "100000", "1000", "2000000", "1000"], {}),
        ("beam trace ring 1k", ERL + ["trace", "1000", "1000000"], {}),
    ],
}

# The hardware floor: once per run (it does not change between repetitions).
RAW_RUN = ("raw", RAW + ["all", "10000000"], {})

# B17: the same benchmark with and without the always-on counters, alternated B17_ALTERNATIONS
# times per repetition and compared pairwise (on_i - off_i), so drift cancels.
B17_ALTERNATIONS = 3
B17_CONFIGS = [
    ("mailbox push+pop alone, a worker's slot", ["mailbox_ops", "20000000"], {}, "mailbox_ops.ns_per_push_pop", 1.0, "per message"),
    ("mailbox push+pop alone, from outside the runtime", ["mailbox_ops", "20000000"], {}, "mailbox_ops.ns_per_push_pop_outside", 1.0, "per message"),
    ("pingpong, 1 worker", ["pingpong", "1000000"], W1, "pingpong.ns_per_roundtrip", 0.5, "per message"),
    ("ring 1k, 1 worker", ["ring", "1000", "2000000"], W1, "ring.ns_per_hop", 1.0, "per hop"),
    ("pingpong, 2 workers", ["pingpong", "1000000"], {}, "pingpong.ns_per_roundtrip", 0.5, "per message"),
    ("ring 1k, 2 workers", ["ring", "1000", "2000000"], {}, "ring.ns_per_hop", 1.0, "per hop"),
]


def b17_runs():
    out = []
    for name, args, env, _, _, _ in B17_CONFIGS:
        for _ in range(B17_ALTERNATIONS):
            out.append((f"b17-on {name}", CB + args, env))
            out.append((f"b17-off {name}", NC + args, env))
    return out


def layer_benchmarks():
    """Executables the other layers put in bench/<sub>/ (run without arguments)."""
    found = []
    for sub in LAYER_SUBS:
        d = os.path.join(LAYER_BUILD, "bench", sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            if os.path.isfile(p) and os.access(p, os.X_OK) and not name.endswith((".so", ".a")):
                found.append((f"canopy {sub}/{name}", [p], {}))
    peers = [r for sub in LAYER_SUBS if any(f[0].startswith(f"canopy {sub}/") for f in found)
             for r in LAYER_PEERS[sub]]
    return found + peers


def run_one(label, argv, env, results, units, timeout=TIMEOUT):
    e = dict(os.environ)
    e.update(env)
    t0 = time.time()
    if not os.path.exists(argv[0]) and shutil.which(argv[0]) is None:
        log(f"  {label}: {argv[0]} missing, skipped")
        return 0.0
    try:
        proc = subprocess.run(argv, env=e, capture_output=True, text=True, timeout=timeout)
        out = proc.stdout
        if proc.returncode != 0:
            log(f"  {label}: exit code {proc.returncode} {proc.stderr[-300:]}")
    except subprocess.TimeoutExpired as ex:
        out = ex.stdout.decode() if isinstance(ex.stdout, bytes) else (ex.stdout or "")
        log(f"  TIMEOUT {label}")
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "RESULT":
            try:
                v = float(parts[3])
            except ValueError:
                continue
            key = (label, parts[1] + "." + parts[2])
            results.setdefault(key, []).append(v)
            units[key] = parts[4]
        elif line.startswith(("ERROR", "NOTE")):
            log(f"  {label}: {line}")
    return time.time() - t0


def med(results, label, metric):
    vals = results.get((label, metric))
    return statistics.median(vals) if vals else None


# One row per goal of performance.md: (id, shape, canopy (run, metric), beam, caf, op, goal, unit).
# For a time metric lower is better (op "<="), for a rate higher is better (op ">=").
ROWS = [
    ("B1", "spawn 100k idle, ns/spawn (until ready)", ("canopy spawn_idle 100k", "spawn_idle.ns_per_spawn_ready"),
     ("beam spawn_idle 100k", "spawn_idle.ns_per_spawn"), ("caf spawn_idle 100k", "spawn_idle.ns_per_spawn_ready"), "<=", 800, "ns"),
    ("B1", "spawn 1M idle, ns/spawn (until ready)", ("canopy spawn_idle 1M", "spawn_idle.ns_per_spawn_ready"),
     ("beam spawn_idle 1M", "spawn_idle.ns_per_spawn"), ("caf spawn_idle 1M", "spawn_idle.ns_per_spawn_ready"), "<=", 800, "ns"),
    ("B1", "bytes/process (1M idle; RSS delta / N)", ("canopy spawn_idle 1M", "spawn_idle.bytes_per_proc"),
     ("beam spawn_idle 1M", "spawn_idle.bytes_per_proc_memory_processes"), ("caf spawn_idle 1M", "spawn_idle.rss_bytes_per_actor"), "<=", 512, "B"),
    ("B2", "tear down 100k idle, ns/process", ("canopy spawn_idle 100k", "spawn_idle.ns_per_kill"),
     ("beam spawn_idle 100k", "spawn_idle.ns_per_kill"), ("caf spawn_idle 100k", "spawn_idle.ns_per_kill"), "<=", 1000, "ns"),
    ("B2", "tear down 1M idle, ns/process", ("canopy spawn_idle 1M", "spawn_idle.ns_per_kill"),
     ("beam spawn_idle 1M", "spawn_idle.ns_per_kill"), None, "<=", 1000, "ns"),
    ("B3", "spawn + immediate exit 1M (spawn_monitor, 1000 outstanding), ns each", ("canopy spawn_exit 1M", "spawn_exit.ns_per_spawn_exit"),
     ("beam spawn_exit 1M", "spawn_exit.ns_per_spawn_exit"), ("caf spawn_exit 1M", "spawn_exit.ns_per_spawn_exit"), "<=", 1000, "ns"),
    ("B3", "spawn + immediate exit 1M from a plain thread (CAF's shape), ns each", ("canopy spawn_exit 1M", "spawn_exit.ns_per_spawn_exit_external"),
     None, ("caf spawn_exit 1M", "spawn_exit.ns_per_spawn_exit"), "<=", 1000, "ns"),
    ("B4", "skynet 1M leaves, total", ("canopy skynet 1M", "skynet.total_ms"),
     ("beam skynet 1M", "skynet.total_ms"), ("caf skynet 1M", "skynet.total_ms"), "<=", 1000, "ms"),
    ("B5", "ping-pong 1M, ns/round trip", ("canopy pingpong 1M", "pingpong.ns_per_roundtrip"),
     ("beam pingpong 1M", "pingpong.ns_per_roundtrip"), ("caf pingpong 1M", "pingpong.ns_per_roundtrip"), "<=", 300, "ns"),
    ("B5", "ping-pong 1M, 1 worker / +S 1 / 1 thread", ("canopy-W1 pingpong 1M", "pingpong.ns_per_roundtrip"),
     ("beam+S1 pingpong 1M", "pingpong.ns_per_roundtrip"), ("caf-T1 pingpong 1M", "pingpong.ns_per_roundtrip"), "<=", 300, "ns"),
    ("B6", "server call/reply from a process, ns/call", ("canopy gs_call 1M", "gs_call.ns_per_call"),
     ("beam gs_call 1M", "gs_call.ns_per_call"), ("caf request 1M", "request.ns_per_request_then"), "<=", 600, "ns"),
    ("B6", "call from a non-process thread, ns/call", ("canopy gs_call 1M", "gs_call.ns_per_external_call"),
     None, ("caf request 1M", "request.ns_per_blocking_request"), "<=", 20000, "ns"),
    ("B7", "ring 1k, 2M hops, ns/hop", ("canopy ring 1k 2M", "ring.ns_per_hop"),
     ("beam ring 1k 2M", "ring.ns_per_hop"), ("caf ring 1k 2M", "ring.ns_per_hop"), "<=", 200, "ns"),
    ("B7", "ring 1k, 1 worker / +S 1 / 1 thread", ("canopy-W1 ring 1k 2M", "ring.ns_per_hop"),
     ("beam+S1 ring 1k 2M", "ring.ns_per_hop"), ("caf-T1 ring 1k 2M", "ring.ns_per_hop"), "<=", 200, "ns"),
    ("B7", "ring 100k, 2M hops, ns/hop", ("canopy ring 100k 2M", "ring.ns_per_hop"),
     ("beam ring 100k 2M", "ring.ns_per_hop"), ("caf ring 100k 2M", "ring.ns_per_hop"), "<=", 350, "ns"),
    ("B7", "ring 100k, spawn + link up", ("canopy ring 100k 2M", "ring.spawn_ms"),
     ("beam ring 100k 2M", "ring.spawn_ms"), ("caf ring 100k 2M", "ring.spawn_ms"), "<=", None, "ms"),
    ("B8", "100 pairs x 20k, msg/s", ("canopy pairs 100x20k", "pingpong_pairs.msgs_per_s"),
     ("beam pairs 100x20k", "pingpong_pairs.msgs_per_s"), ("caf pairs 100x20k", "pingpong_pairs.msgs_per_s"), ">=", 4e6, "msg/s"),
    ("B9", "fan-in 4 x 500k, msg/s", ("canopy fanin 4x500k", "fanin.msgs_per_s"),
     ("beam fanin 4x500k", "fanin.msgs_per_s"), ("caf fanin 4x500k", "fanin.msgs_per_s"), ">=", 8e6, "msg/s"),
    ("B10", "1M into a busy mailbox, ns/msg enqueue", ("canopy bigmailbox 1M", "bigmailbox.enqueue_ns_per_msg"),
     ("beam bigmailbox 1M", "bigmailbox.enqueue_ns_per_msg"), ("caf bigmailbox 1M", "bigmailbox.enqueue_ns_per_msg"), "<=", 100, "ns"),
    ("B10", "drain it, ns/msg", ("canopy bigmailbox 1M", "bigmailbox.drain_ns_per_msg"),
     ("beam bigmailbox 1M", "bigmailbox.drain_ns_per_msg"), ("caf bigmailbox 1M", "bigmailbox.drain_ns_per_msg"), "<=", 100, "ns"),
    ("B10", "read its length while full (1M queued), first read", ("canopy bigmailbox 1M", "bigmailbox.queue_len_query_us"),
     ("beam bigmailbox 1M", "bigmailbox.queue_len_query_us"), None, "<=", None, "us"),
    ("B10", "length read, average of 1000 (Runtime::info; O(1), no lock on the mailbox)", ("canopy bigmailbox 1M", "bigmailbox.queue_len_query_ns_avg"),
     None, None, "<=", 1000, "ns"),
    ("B10", "length seen", ("canopy bigmailbox 1M", "bigmailbox.queue_len"),
     ("beam bigmailbox 1M", "bigmailbox.queue_len"), None, ">=", 1e6, "msgs"),
    ("B11", "restart (hand-made one_for_one, links+trap_exit), median", ("canopy restart 2000", "restart.median_us"),
     ("beam restart 2000", "restart.median_us"), ("caf restart 2000", "restart.median_us"), "<=", 10, "us"),
    ("B11", "restart (hand-made), p99", ("canopy restart 2000", "restart.p99_us"),
     ("beam restart 2000", "restart.p99_us"), ("caf restart 2000", "restart.p99_us"), "<=", 50, "us"),
    ("B11", "restart woken from idle (2 ms sleep, killed from a plain thread), median", ("canopy restart 2000", "restart.idle_median_us"),
     None, None, None, None, "us"),
    ("B11", "restart woken from idle, p99", ("canopy restart 2000", "restart.idle_p99_us"),
     None, None, None, None, "us"),
    ("B16", "ring 1k, every send traced to a discarding tracer: slowdown", ("canopy trace ring 1k", "trace.slowdown_pct"),
     ("beam trace ring 1k", "trace.slowdown_pct"), None, "<=", 100, "%"),
    ("B16", "ring 1k, tracing turned off again: change vs never traced (noise ± a few %)", ("canopy trace ring 1k", "trace.off_again_pct"),
     None, None, None, None, "%"),
]

# The other layers' metrics (as their executables print them): the BEAM run and metric they compare
# with (BEAM value × scale = the same unit), and performance.md's goal.
#   metric: (bid, beam run, beam metric, scale, op, goal)
LAYER_MAP = {
    "B11.hot_median": ("B11", "beam restart 2000", "restart.median_us", 1, "<=", 10),
    "B11.hot_p99": ("B11", "beam restart 2000", "restart.p99_us", 1, "<=", 50),
    "B11.idle_median": ("B11", None, None, 1, None, None),
    "B11.idle_p99": ("B11", None, None, 1, None, None),
    "B12.one_for_one_kill_all_10000": ("B12", "beam storm 10k", "storm.one_for_one_kill_all_ms", 1, "<=", 50),
    "B12.one_for_all_kill_one_10000": ("B12", "beam storm 10k", "storm.one_for_all_kill_one_ms", 1, "<=", 40),
    "B13.start_child": ("B13", "beam dynsup 10k", "dynsup.ns_per_start_child", 1e-3, "<=", 2),
    "B14_snapshot.live_walk_encode_cbor_cpu_ms": ("B14", "beam snapshot 100x1000", "snapshot.median_total_ms", 1, "<=", 50),
    "B14_snapshot.live_walk_encode_json_cpu_ms": ("B14", "beam snapshot 100x1000", "snapshot.median_total_ms", 1, "<=", 50),
    "B14_snapshot.runtime_view_walk_cpu_ms": ("B14", None, None, 1, None, None),
    "B14_snapshot.runtime_counters_walk_cpu_ms": ("B14", None, None, 1, None, None),
    "B14_snapshot.max_process_gap_ms": ("B14", None, None, 1, "<=", 1),
    "B14_snapshot.max_process_gap_during_snapshots_ms": ("B14", None, None, 1, "<=", 1),
    "B14_snapshot.max_process_gap_main_spinning_ms": ("B14", None, None, 1, None, None),
    "B14_snapshot.max_process_gap_nothing_running_ms": ("B14", None, None, 1, None, None),
    "B15_ring.loss_viewer_10hz": ("B15", "beam observer 100k 10Hz", "observer.slowdown_pct", 1, "<=", 3),
    "B15_pairs.loss_viewer_10hz": ("B15", "beam observer 100k 10Hz", "observer.slowdown_pct", 1, "<=", 3),
    # The probe's exact CPU share of the machine while the measured runs ran (immune to load; the
    # in-process viewer thread is the benchmark's stand-in for a remote app and reported apart).
    "B15_cpu.probe_share_viewer_10hz": ("B15", None, None, 1, "<=", 3),
    "B15_cpu.probe_share_no_viewer": ("B15", None, None, 1, None, None),
    "B15_cpu.in_process_viewer_share": ("B15", None, None, 1, None, None),
    "B18_restart_visible.p99": ("B18", None, None, 1, "<=", 50000),
}


def reference_medians():
    """Medians of the peers' reference run (peers/results-2026-11-21.md), keyed (label, metric)."""
    ref = {}
    path = os.path.join(PEERS, "results-2026-11-21.md")
    if not os.path.exists(path):
        return ref
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and cells[0].split(" ")[0].split("+")[0].split("-")[0] in ("beam", "caf", "raw"):
                try:
                    ref[(" ".join(cells[0].split()), cells[1])] = float(cells[2])
                except ValueError:
                    pass
    return ref


def scaled(cv, bv, fv, b, f, ref):
    """Canopy's value projected onto the reference run's machine speed: Canopy/peer in this run
    times the peer's reference median (BEAM when it ran this shape, else CAF)."""
    if cv is None:
        return None
    for v, key in ((bv, b), (fv, f)):
        if v and key and key in ref:
            return cv / v * ref[key]
    return None


def fmt(v):
    if v is None:
        return "—"
    if abs(v) >= 1e6:
        return f"{v / 1e6:.2f} M"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b not in (None, 0) else "—"


def met(v, op, goal):
    if goal is None and op is not None:
        return "(no goal)"
    if v is None or op is None:
        return "—" if op is not None else "(reported)"
    ok = v <= goal if op == "<=" else v >= goal
    return "yes" if ok else "**no**"


# Issue 11's bar beside the peers: at most half the faster peer's time (rates: at least twice its rate).
PEER_FACTOR = 0.5


def vs_faster_peer(cv, bv, fv, op):
    """Canopy / the faster peer in this run (time: the smaller peer value; rate: the larger), and
    whether it meets PEER_FACTOR. (None, None) without a peer value or for reported-only rows."""
    peers = [v for v in (bv, fv) if v]
    if cv is None or not peers or op is None:
        return None, None
    if op == "<=":
        r = cv / min(peers)
        return r, r <= PEER_FACTOR
    r = cv / max(peers)
    return r, r >= 1 / PEER_FACTOR


def peer_cells(r, ok, op):
    if r is None:
        return "—", "—"
    return f"{r:.2f}×", ("yes" if ok else "**no**")


def goal_text(op, goal, unit):
    if op is None:
        return "report"
    g = fmt(goal) if goal < 1e6 else f"{goal / 1e6:g} M"
    return f"{'≤' if op == '<=' else '≥'} {g} {unit}"


def paired_delta(results, a, b, metric, scale=1.0):
    va, vb = results.get((a, metric)), results.get((b, metric))
    if not va or not vb:
        return None
    n = min(len(va), len(vb))
    return statistics.median([(x - y) * scale for x, y in zip(va[:n], vb[:n])])


def table(results, units, reps, elapsed, layer_runs, b19):
    out = []
    head = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True, text=True).stdout.strip()
    out.append(f"# Canopy runtime benchmarks beside BEAM and CAF\n")
    out.append(f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {reps} interleaved repetition(s), "
               f"{os.cpu_count()} cores, commit `{head}`, {elapsed / 60:.1f} min. "
               f"Medians; ratios are Canopy / peer (time: < 1 is faster; rates: > 1 is faster). "
               f"Produced by `scripts/run-benchmarks.py {reps}`.\n")
    ref = reference_medians()
    out.append("Absolute goals were set on the quiet machine of the peers' reference run "
               "(`../shared/peers/results-2026-11-21.md`); this machine is shared and its speed drifts. "
               "The *scaled* column projects Canopy onto the reference run's speed: "
               "Canopy/peer in this run × the peer's reference median (BEAM where it ran the shape, else CAF). "
               "`met?` judges the measured value, `met scaled?` the projection. B17's deltas are scaled by rawbench's "
               "MPSC push+pop now vs then.\n")
    out.append("`vs faster peer` is Canopy over the faster of BEAM and CAF in this run (time: lower is better; "
               "rates and sizes: see the goal's direction); `≤ 0.5×?` is issue 11's bar: at most half the faster "
               "peer's time, at least twice its rate.\n")
    out.append("| # | test | Canopy | BEAM | CAF | Canopy/BEAM | Canopy/CAF | vs faster peer | ≤ 0.5×? | goal | met? | Canopy scaled | met scaled? |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    peer_tally = [0, 0]
    goal_tally = [0, 0]
    for bid, shape, c, b, f, op, goal, unit in ROWS:
        cv = med(results, *c)
        bv = med(results, *b) if b else None
        fv = med(results, *f) if f else None
        if cv is None and bv is None and fv is None:
            continue
        sv = scaled(cv, bv, fv, b, f, ref) if unit not in ("B", "msgs") else None  # sizes do not scale
        pr, pok = vs_faster_peer(cv, bv, fv, op) if unit != "msgs" else (None, None)
        if pok is not None:
            peer_tally[0 if pok else 1] += 1
        if cv is not None and op is not None and goal is not None:
            goal_tally[0 if met(cv, op, goal) == "yes" else 1] += 1
        sv = sv if goal is not None else None
        pc, pm = peer_cells(pr, pok, op)
        out.append(f"| {bid} | {shape} | {fmt(cv)}{' ' + unit if cv is not None else ''} | {fmt(bv)} | {fmt(fv)} | {ratio(cv, bv)} | "
                   f"{ratio(cv, fv)} | {pc} | {pm} | {goal_text(op, goal, unit) if goal is not None else 'report'} | "
                   f"{met(cv, op, goal)} | {fmt(sv)} | {met(sv, op, goal) if sv is not None else '—'} |")
    # B2 linearity: ns/process at 1M over ns/process at 100k.
    k1 = med(results, "canopy spawn_idle 100k", "spawn_idle.ns_per_kill")
    k2 = med(results, "canopy spawn_idle 1M", "spawn_idle.ns_per_kill")
    b1 = med(results, "beam spawn_idle 100k", "spawn_idle.ns_per_kill")
    b2 = med(results, "beam spawn_idle 1M", "spawn_idle.ns_per_kill")
    if k1 and k2:
        lin = k2 / k1
        out.append(f"| B2 | teardown linearity: ns/process at 1M ÷ at 100k | {lin:.2f} | "
                   f"{(b2 / b1) if b1 and b2 else 0:.2f} | superlinear | — | — | — | — | ≤ 1.5 (linear) | "
                   f"{'yes' if lin <= 1.5 else '**no**'} | — | — |")
        goal_tally[0 if lin <= 1.5 else 1] += 1
    # B17: counters on vs off (paired alternations).
    for name, _, _, metric, scale, what in B17_CONFIGS:
        on, off = f"b17-on {name}", f"b17-off {name}"
        d = paired_delta(results, on, off, metric, scale)
        if d is None:
            continue
        von, voff = med(results, on, metric), med(results, off, metric)
        n = len(results.get((on, metric), []))
        # Scaled by the raw MPSC push+pop cost now vs in the reference run (the same instructions).
        raw_now = med(results, "raw", "mpsc_1thread.ns_per_push_pop")
        raw_ref = ref.get(("raw", "mpsc_1thread.ns_per_push_pop"))
        ds = d * raw_ref / raw_now if raw_now and raw_ref else None
        out.append(f"| B17 | counters on − off, {name} ({fmt(von * scale)} vs {fmt(voff * scale)} ns {what}; "
                   f"median of {n} paired runs) | {d:+.1f} ns | — | — | — | — | — | — | ≤ 3 ns | {'yes' if d <= 3 else '**no**'} | "
                   f"{f'{ds:+.1f}' if ds is not None else '—'} | "
                   f"{('yes' if ds <= 3 else '**no**') if ds is not None else '—'} |")
        goal_tally[0 if d <= 3 else 1] += 1
    if b19:
        procs = med(results, "canopy spawn_max 10M", "spawn_max.procs")
        bpp = med(results, "canopy spawn_max 10M", "spawn_max.bytes_per_proc")
        gib = med(results, "canopy spawn_max 10M", "spawn_max.rss_gib")
        if procs is not None:
            out.append(f"| B19 | spawn until 10M processes: reached, bytes/process, RSS | {procs:,.0f} procs; "
                       f"{fmt(bpp)} B; {gib:.2f} GiB | limit 1,048,576 | — | — | — | — | — | 10M in 24 GiB | "
                       f"{'yes' if procs >= 1e7 else '**no**'} | — | — |")
    # Other layers' benchmarks (bench/supervision, bench/introspection, bench/export).
    if layer_runs:
        out.append("\n## Other layers' benchmarks (bench/supervision, bench/introspection), beside BEAM\n")
        out.append("| # | executable | metric | Canopy | BEAM | Canopy/BEAM | ≤ 0.5×? | goal | met? |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for label, _, _ in layer_runs:
            for (l2, metric), vals in sorted(results.items()):
                if l2 != label:
                    continue
                cv = statistics.median(vals)
                unit = units[(l2, metric)]
                bid, brun, bmetric, scale, op, goal = LAYER_MAP.get(metric, ("", None, None, 1, None, None))
                bv = med(results, brun, bmetric) if brun else None
                bv = bv * scale if bv is not None else None
                pr, pok = vs_faster_peer(cv, bv, None, op) if unit != "%" else (None, None)
                if pok is not None:
                    peer_tally[0 if pok else 1] += 1
                if goal is not None and op is not None:
                    goal_tally[0 if met(cv, op, goal) == "yes" else 1] += 1
                out.append(f"| {bid} | {label.split(' ', 1)[1]} | {metric} | {fmt(cv)} {unit} | {fmt(bv)} | "
                           f"{ratio(cv, bv)} | {peer_cells(pr, pok, op)[1]} | {goal_text(op, goal, unit) if goal is not None else '—'} | "
                           f"{met(cv, op, goal) if goal is not None else '—'} |")
    out.append(f"\n**Summary:** {peer_tally[0]} of {peer_tally[0] + peer_tally[1]} rows with a peer value meet "
               f"≤ 0.5× the faster peer (rates ≥ 2×); {goal_tally[0]} of {goal_tally[0] + goal_tally[1]} absolute goals "
               f"are met as measured on this machine.\n")
    # The hardware floor.
    raw = sorted((m, statistics.median(v)) for (l, m), v in results.items() if l == "raw")
    if raw:
        out.append("\n## Hardware floor on this machine (peers/baseline/rawbench)\n")
        out.append("| metric | median |")
        out.append("|---|---|")
        for m, v in raw:
            out.append(f"| {m} | {fmt(v)} {units[('raw', m)]} |")
    return "\n".join(out) + "\n"


def render(path):
    """RENDER=latest.json: rebuild the table from a saved run without running anything."""
    with open(path) as f:
        data = json.load(f)
    results, units = {}, {}
    for row in data["rows"]:
        results[(row["run"], row["metric"])] = row["values"]
        units[(row["run"], row["metric"])] = row["unit"]
    layer_runs = [(name, [], {}) for name in sorted({r["run"] for r in data["rows"]
                                                     if r["run"].startswith("canopy ") and "/" in r["run"]})]
    b19 = any(r["run"] == "canopy spawn_max 10M" for r in data["rows"])
    return table(results, units, data["reps"], data.get("elapsed_s", 0), layer_runs, b19)


def main():
    if os.environ.get("RENDER"):
        text = render(os.environ["RENDER"])
        print(text)
        with open(os.path.join(RESULTS, "latest.md"), "w") as f:
            f.write(text)
        return
    t_start = time.time()
    if not os.environ.get("SKIP_BUILD"):
        build()
    runs = RUNS + b17_runs() + layer_benchmarks()
    only = os.environ.get("ONLY")
    if only:
        runs = [r for r in runs if only in r[0]]
    layer_runs = [r for r in runs if r[0].startswith("canopy ") and "/" in r[0]]
    results, units = {}, {}
    for rep in range(REPS):
        for label, argv, env in runs + ([RAW_RUN] if rep == 0 and (not only or only in "raw") else []):
            dt = run_one(label, argv, env, results, units)
            log(f"  rep {rep + 1} {label}: {dt:.1f}s")
        log(f"rep {rep + 1}/{REPS} done at {time.time() - t_start:.0f}s")
    b19 = bool(os.environ.get("B19"))
    if b19:
        avail = 0
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
        log(f"B19: MemAvailable {avail / 2**30:.1f} GiB; spawning up to 10M (floor 4 GiB)")
        run_one("canopy spawn_max 10M", CB + ["spawn_max", "10000000", "4096"], {}, results, units, timeout=900)
    elapsed = time.time() - t_start
    text = table(results, units, REPS, elapsed, layer_runs, b19)
    print(text)
    os.makedirs(RESULTS, exist_ok=True)
    name = "latest" if not only else "latest-partial"
    with open(os.path.join(RESULTS, name + ".md"), "w") as f:
        f.write(text)
    with open(os.path.join(RESULTS, name + ".json"), "w") as f:
        json.dump({"reps": REPS, "elapsed_s": elapsed,
                   "rows": [{"run": l, "metric": m, "unit": units[(l, m)], "values": v,
                             "median": statistics.median(v)} for (l, m), v in results.items()]}, f, indent=1)


if __name__ == "__main__":
    main()
