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
