#pragma once
// The tests of canopy-bench, one function per shape of performance.md. Each builds its own Runtime
// (workers from CANOPY_WORKERS) and prints RESULT lines with the peers' test and metric names.
#include <cstdint>
#include <vector>

namespace canopy::bench {

/// Arguments after the test name, as integers.
using Args = std::vector<std::int64_t>;

/// B1/B2: spawn N idle processes, wait until all ran onStart; RSS per process; kill all.
void spawnIdle(const Args& a);
/// B3: spawn + immediate exit, N times (a driver process spawn_monitors with 1000 outstanding).
void spawnExit(const Args& a);
/// B4: skynet, a 10-ary spawn tree with N leaves summing back.
void skynet(const Args& a);
/// B19: spawn idle processes until N (or until MemAvailable falls below a floor); bytes/process.
void spawnMax(const Args& a);
/// B5: one ping-pong pair, M round trips.
void pingpong(const Args& a);
/// B8: P ping-pong pairs × M round trips at once.
void pingpongPairs(const Args& a);
/// B7: ring of N processes, token passed H hops.
void ring(const Args& a);
/// B16: ring of N processes, H hops, untraced, then with every send traced to a discarding tracer
/// process, then untraced again (the peers' `trace` shape).
void traceRing(const Args& a);
/// B9: K senders × M messages into one process.
void fanin(const Args& a);
/// B10: M messages into a busy mailbox; read its length; drain.
void bigmailbox(const Args& a);
/// B6: gen_server call/reply M times from a process, and M/100 times from a plain thread.
void gsCall(const Args& a);
/// B17 (isolated): Mailbox push + pop on one thread, N times (with or without the counters).
void mailboxOps(const Args& a);
/// B11: one_for_one-style restart latency (hand-made with links + trap_exit), hot and woken-from-idle.
void restart(const Args& a);

} // namespace canopy::bench
