#!/usr/bin/env python3
"""Writes small seed inputs for the fuzz targets into fuzz/corpus/ (JSON-encoded frames)."""
import json, os, struct

HERE = os.path.dirname(os.path.abspath(__file__))

def frame(msg):
    p = json.dumps(msg, separators=(",", ":")).encode()
    return struct.pack(">IB", len(p), 0) + p

rec = lambda pid, parent, cid, kind="worker": {"pid": pid, "parent": parent, "child_id": cid, "kind": kind, "start_order": pid}
keyframe = {"type": "keyframe", "seq": 0, "time_ns": 100, "processes": [
    rec(1, 0, "app_sup", "supervisor"), rec(2, 1, "registry"), rec(3, 1, "workers", "dynamic_supervisor")],
    "slots": [[1, "registry", 1, "boom"]]}
deltas = [
    {"type": "delta", "seq": 1, "time_ns": 200, "kind": "exit", "pid": 2, "reason": "boom"},
    {"type": "delta", "seq": 2, "time_ns": 210, "kind": "spawn", "pid": 4, "peer": 1, "text": "Registry"},
    {"type": "delta", "seq": 3, "time_ns": 220, "kind": "child_restarted", "pid": 4, "peer": 1, "text": "registry",
     "strategy": "one_for_one", "restarts_in_window": 1, "max_restarts": 3, "max_seconds": 5},
    {"type": "delta", "seq": 4, "time_ns": 230, "kind": "link", "pid": 4, "peer": 3},
    {"type": "delta", "seq": 5, "time_ns": 240, "kind": "name_registered", "pid": 4, "text": "registry"},
]
sample = {"type": "sample", "time_ns": 250, "process_count": 3, "total_mailbox": 2, "message_rate": 1.5,
          "mailboxes": [[4, 2]], "handled": [[4, 10]]}
hello = {"type": "hello", "magic": "CANOPY", "version": [1, 0], "capabilities": ["samples"], "encoding": "json", "token": "t"}

stream = frame(hello) + frame(keyframe) + b"".join(frame(d) for d in deltas) + frame(sample)
with open(os.path.join(HERE, "corpus/fuzz_frame_decoder/stream"), "wb") as f:
    f.write(b"\x00" + stream)
with open(os.path.join(HERE, "corpus/fuzz_frame_decoder/stream-chunked"), "wb") as f:
    f.write(b"\x06" + stream)

body = b"CANOPYSF"
body += frame({"type": "session_header", "format_version": 1, "protocol_version": [1, 0], "start_ns": 100,
               "created": "2026-11-21T00:00:00Z", "source": "seed"})
k_off = len(body)
body += frame(keyframe)
for d in deltas:
    body += frame(d)
body += frame(sample)
idx_off = len(body)
body += frame({"type": "session_index", "entries": [[100, k_off, 0]], "end_ns": 250, "frames": 7, "deltas": 5, "samples": 1})
body += struct.pack(">Q", idx_off) + b"CANOPYIX"
# The session-reader target drops its first byte and re-adds the magic when that byte is odd.
with open(os.path.join(HERE, "corpus/fuzz_session_reader/session"), "wb") as f:
    f.write(b"\x00" + body)
with open(os.path.join(HERE, "corpus/fuzz_session_reader/session-noindex"), "wb") as f:
    f.write(b"\x01" + body[8:idx_off])

# ---- every message with every field, large and odd values, in JSON and in CBOR frames ----
# (values past one byte, negative numbers, floats, long and non-ASCII strings), so the corpus replay
# (CTest: fuzz_*_corpus) drives the round-trip checks through every field and both encodings.
import re, zlib

def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < (1 << (8 * struct.calcsize(fmt))):
            return bytes([major << 5 | ai]) + struct.pack(fmt, n)
    raise ValueError(n)

def cbor(v):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, list):
        return cbor_head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(type(v))

def frame_cbor(msg):
    p = cbor(msg)
    return struct.pack(">IB", len(p), 1) + p

with open(os.path.join(HERE, "../introspection/payload_compression.cpp")) as f:
    DICTIONARY = "".join(re.findall(r'"([^"]*)"', f.read().split("kDictionary =", 1)[1].split(";", 1)[0])).encode()

def frame_packed(msg, encoding=1):
    # Format 2: flag 0x10, payload = 4-byte raw length + zlib stream with the preset dictionary.
    raw = cbor(msg) if encoding == 1 else json.dumps(msg, separators=(",", ":")).encode()
    z = zlib.compressobj(zdict=DICTIONARY)
    p = struct.pack(">I", len(raw)) + z.compress(raw) + z.flush()
    return struct.pack(">IB", len(p), encoding | 0x10) + p

T0 = 1_700_000_000_123_456_789
LONG = "{badarg,[{worker,handle_call,3,[{file,\"worker.erl\"},{line,42}]}]} ünïcode ✓ " * 4
full = {"pid": 70000, "pid_text": "<0.99.70000>", "parent": 1, "name": "Registry", "child_id": "registry",
        "kind": "supervisor", "strategy": "rest_for_one", "restart": "transient", "shutdown": "brutal_kill",
        "significant": True, "status": "running", "initial_call": "Registry:init/1", "mailbox": 300,
        "handled": 5_000_000_000, "memory": 70000, "restarts_in_window": 2, "max_restarts": 7, "max_seconds": 11,
        "restart_stamps": [1_700_000_000, 1_700_000_001], "restart_count": 9, "last_exit": LONG,
        "links": [1, 70001, 4_294_967_296], "monitors": [5], "start_order": 300}
ghost = {"pid": 0, "parent": 1, "child_id": "cache", "kind": "worker", "restart": "transient", "status": "undefined",
         "last_exit": "normal", "start_order": 2}
every = [
    {"type": "hello", "magic": "CANOPY", "version": [1, 9], "capabilities": ["samples", "commands"], "token": "t0ken",
     "encoding": "cbor", "client": "seed"},
    {"type": "welcome", "version": [1, 1], "encoding": "cbor", "capabilities": ["samples"], "start_ns": T0,
     "now_ns": T0 + 5, "server": "demo ✓", "commands_enabled": True},
    {"type": "refusal", "code": "version_mismatch", "message": "probe speaks 1.1", "server_version": [1, 1],
     "client_version": [2, 3]},
    {"type": "keyframe", "seq": 70000, "time_ns": T0, "processes": [rec(1, 0, "app_sup", "supervisor"), full],
     "slots": [[1, "registry", 300, LONG]], "ghosts": [ghost]},
]
kinds = ["spawn", "exit", "link", "unlink", "monitor", "demonitor", "name_registered", "name_unregistered",
         "child_started", "child_terminated", "child_restarted", "start_error", "supervisor_gave_up", "shutdown_error"]
for i, kind in enumerate(kinds):
    d = {"type": "delta", "seq": 70001 + i, "time_ns": T0 + 1000 * i, "kind": kind, "pid": 70000 + i, "peer": 1,
         "text": "registry", "reason": LONG if i % 2 else "normal"}
    if kind == "child_restarted":
        d.update({"strategy": "one_for_all", "restarts_in_window": 2, "max_restarts": 7, "max_seconds": 11,
                  "process": dict(full, pid=70000 + i)})
    every.append(d)
every += [
    {"type": "sample", "time_ns": T0 + 99, "process_count": 70000, "total_mailbox": -9, "message_rate": 1234.5,
     "mailboxes": [[70000, 300], [1, 4]], "handled": [[70000, 5_000_000_000]]},
    {"type": "resync", "dropped": 70000, "reason": "queue_overflow"},
    {"type": "subscribe", "root": 70000, "sample_hz": 2.5},
    {"type": "keyframe_request"},
    {"type": "command", "id": 70000, "action": "restart_child", "pid": 70000, "supervisor": 1, "child_id": "registry",
     "reason": "shutdown"},
    {"type": "command_result", "id": 70000, "ok": True, "message": "restarted ✓"},
]
file_only = [
    {"type": "session_header", "format_version": 2, "protocol_version": [1, 1], "start_ns": T0, "created": "2026-11-21T00:00:00Z",
     "source": "seed ✓"},
    {"type": "session_index", "entries": [[T0, 70000, 70000]], "end_ns": T0 + 99, "frames": 300, "deltas": 70000,
     "samples": 1, "timeline": [[T0, T0 + 99, 1, 70000, 300, 14, 1, 1, 1, 1, 1, T0 + 1000, T0 + 2000]],
     "give_ups": [[T0 + 12000, 1, "registry", LONG]]},
]
for name, make in (("every-message-json", frame), ("every-message-cbor", frame_cbor)):
    with open(os.path.join(HERE, "corpus/fuzz_frame_decoder", name), "wb") as f:
        f.write(b"\x3f" + b"".join(make(m) for m in every + file_only))

# Session files: format 2 (compressed CBOR frames) with an index, and format 1 CBOR without one.
def session(make_frame, fmt):
    header = dict(file_only[0], format_version=fmt, start_ns=T0)
    body = b"CANOPYSF" + frame_cbor(header)  # the header frame stays plain
    k_off = len(body)
    body += make_frame(every[3])
    for m in every[4:]:
        if m["type"] in ("delta", "sample", "resync"):
            body += make_frame(m)
    idx_off = len(body)
    index = dict(file_only[1], entries=[[T0, k_off, 70000]])
    body += make_frame(index)
    return body + struct.pack(">Q", idx_off) + b"CANOPYIX"

with open(os.path.join(HERE, "corpus/fuzz_session_reader/session-compressed"), "wb") as f:
    f.write(b"\x00" + session(frame_packed, 2))
with open(os.path.join(HERE, "corpus/fuzz_session_reader/session-cbor"), "wb") as f:
    f.write(b"\x00" + session(frame_cbor, 1))
