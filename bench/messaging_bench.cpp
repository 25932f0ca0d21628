// B5 pingpong, B8 pingpong_pairs, B7 ring, B9 fanin, B10 bigmailbox.
#include "bench/bench_support.h"
#include "bench/bench_tests.h"
#include "runtime/context.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace canopy::bench {
namespace {

/// `{From, ping}`: the sender's pid travels with the message, as in actorbench.
struct Ping {
    Pid from;
};
struct Pong {};
/// `{next, Pid}`: tells a ring node its successor.
struct Next {
    Pid next;
};
/// `{token, K}`.
struct Token {
    std::int64_t k;
};
/// Blocks the receiving handler until released (the CAF shape of "a busy mailbox").
struct Block {};

RuntimeOptions options() { return optionsFromEnv(); }

/// Answers every Ping with a Pong.
class Ponger final : public Actor {
public:
    void onMessage(Context& ctx, Message& msg) override {
        if (Ping* p = msg.tryAs<Ping>())
            ctx.send(p->from, Pong{});
    }
};

/// Makes `n` round trips to a ponger, then counts down.
class Pinger final : public Actor {
public:
    Pinger(Pid pong, std::int64_t n, Countdown& done) : m_pong(std::move(pong)), m_left(n), m_done(done) {}
    void onStart(Context& ctx) override { ctx.send(m_pong, Ping{ctx.self()}); }
    void onMessage(Context& ctx, Message& msg) override {
        if (!msg.is<Pong>())
            return;
        if (--m_left == 0) {
            m_done.count();
            ctx.exit(ExitReason::normal());
        } else {
            ctx.send(m_pong, Ping{ctx.self()});
        }
    }

private:
    Pid m_pong;
    std::int64_t m_left;
    Countdown& m_done;
};

/// A ring node: learns its successor, then passes tokens on; raises `done` at token 0.
class RingNode final : public Actor {
public:
    explicit RingNode(Signal& done) : m_done(done) {}
    void onMessage(Context& ctx, Message& msg) override {
        if (Token* t = msg.tryAs<Token>()) {
            if (t->k == 0)
                m_done.raise();
            else
                ctx.send(m_next, Token{t->k - 1});
        } else if (Next* n = msg.tryAs<Next>()) {
            m_next = std::move(n->next);
        }
    }

private:
    Pid m_next;
    Signal& m_done;
};

std::atomic<bool> g_spinning{false};
std::atomic<bool> g_release{false};

/// Counts `n` int64 messages, then raises `done`. A Block message holds its thread until released.
class Counter final : public Actor {
public:
    Counter(std::int64_t n, Signal& done) : m_left(n), m_done(done) {}
    void onMessage(Context&, Message& msg) override {
        if (msg.is<std::int64_t>()) {
            if (--m_left == 0)
                m_done.raise();
        } else if (msg.is<Block>()) {
            g_spinning = true;
            while (!g_release.load())
                std::this_thread::yield();
        }
    }

private:
    std::int64_t m_left;
    Signal& m_done;
};

/// Sends `m` messages to `to` when it starts, then exits.
class Sender final : public Actor {
public:
    Sender(Pid to, std::int64_t m) : m_to(std::move(to)), m_m(m) {}
    void onStart(Context& ctx) override {
        for (std::int64_t j = 0; j < m_m; ++j)
            ctx.send(m_to, j);
        ctx.exit(ExitReason::normal());
    }
    void onMessage(Context&, Message&) override {}

private:
    Pid m_to;
    std::int64_t m_m;
};

/// N ring nodes, each told its successor; `done` is raised when a token reaches 0.
std::vector<Pid> spawnRing(Runtime& rt, std::int64_t n, Signal& done) {
    std::vector<Pid> nodes;
    nodes.reserve(n);
    for (std::int64_t i = 0; i < n; ++i)
        nodes.push_back(rt.spawn(std::make_unique<RingNode>(done)));
    for (std::int64_t i = 0; i < n; ++i)
        rt.send(nodes[i], Next{nodes[(i + 1) % n]});
    return nodes;
}

} // namespace

void pingpong(const Args& a) {
    const std::int64_t m = a.at(0);
    Runtime rt(options());
    Pid pong = rt.spawn(std::make_unique<Ponger>());
    {
        Countdown warm(1);
        rt.spawn(std::make_unique<Pinger>(pong, 1000, warm));
        warm.wait();
    }
    Countdown done(1);
    const std::int64_t t0 = nowNs();
    rt.spawn(std::make_unique<Pinger>(pong, m, done));
    done.wait();
    const std::int64_t t1 = nowNs();
    rt.exit(pong, ExitReason::kill());
    result("pingpong", "ns_per_roundtrip", double(t1 - t0) / m, "ns");
    result("pingpong", "roundtrips_per_s", m / ((t1 - t0) / 1e9), "rt/s");
}

void pingpongPairs(const Args& a) {
    const std::int64_t p = a.at(0), m = a.at(1);
    Runtime rt(options());
    std::vector<Pid> pongs;
    for (std::int64_t i = 0; i < p; ++i)
        pongs.push_back(rt.spawn(std::make_unique<Ponger>()));
    Countdown done(p);
    const std::int64_t t0 = nowNs();
    for (const Pid& pg : pongs)
        rt.spawn(std::make_unique<Pinger>(pg, m, done));
    done.wait();
    const std::int64_t t1 = nowNs();
    for (const Pid& pg : pongs)
        rt.exit(pg, ExitReason::kill());
    const double msgs = 2.0 * p * m;
    result("pingpong_pairs", "msgs_per_s", msgs / ((t1 - t0) / 1e9), "msg/s");
    result("pingpong_pairs", "ns_per_msg", (t1 - t0) / msgs, "ns");
}

void ring(const Args& a) {
    const std::int64_t n = a.at(0), hops = a.at(1);
    Runtime rt(options());
    Signal done;
    const std::int64_t t0 = nowNs();
    const std::vector<Pid> nodes = spawnRing(rt, n, done);
    const std::int64_t t1 = nowNs();
    rt.send(nodes[0], Token{hops / 10});
    done.wait();
    done.reset();
    const std::int64_t t2 = nowNs();
    rt.send(nodes[0], Token{hops});
    done.wait();
    const std::int64_t t3 = nowNs();
    for (const Pid& p : nodes)
        rt.exit(p, ExitReason::kill());
    result("ring", "spawn_ms", (t1 - t0) / 1e6, "ms");
    result("ring", "ns_per_hop", double(t3 - t2) / hops, "ns");
    result("ring", "hops_per_s", hops / ((t3 - t2) / 1e9), "msg/s");
}

void traceRing(const Args& a) {
    const std::int64_t n = a.at(0), hops = a.at(1);
    Runtime rt(options());
    Signal done;
    const std::vector<Pid> nodes = spawnRing(rt, n, done);
    auto lap = [&](std::int64_t h) {
        done.reset();
        const std::int64_t t0 = nowNs();
        rt.send(nodes[0], Token{h});
        done.wait();
        return double(nowNs() - t0) / h;
    };
    auto median3 = [&] {
        std::vector<double> v{lap(hops), lap(hops), lap(hops)};
        std::sort(v.begin(), v.end());
        return v[1];
    };
    lap(hops / 10);
    const double base = median3();
    // The peers' tracer: receives and discards every trace message.
    std::atomic<std::int64_t> seen{0};
    Pid tracer = rt.spawnFn([&seen](Context&, Message&) { seen.fetch_add(1, std::memory_order_relaxed); });
    for (const Pid& p : nodes)
        rt.trace(p, TraceFlags{.send = true}, tracer);
    lap(hops / 10);
    const double traced = median3();
    for (const Pid& p : nodes)
        rt.trace(p, TraceFlags{}, {});
    lap(hops / 10);
    const double off = median3();
    for (const Pid& p : nodes)
        rt.exit(p, ExitReason::kill());
    rt.exit(tracer, ExitReason::kill());
    result("trace", "base_ns_per_hop", base, "ns");
    result("trace", "traced_ns_per_hop", traced, "ns");
    result("trace", "slowdown_pct", 100 * (traced - base) / base, "%");
    result("trace", "off_again_ns_per_hop", off, "ns");
    result("trace", "off_again_pct", 100 * (off - base) / base, "%");
    result("trace", "trace_events", double(seen.load()), "events");
}

void fanin(const Args& a) {
    const std::int64_t k = a.at(0), m = a.at(1);
    Runtime rt(options());
    Signal done;
    Pid recv = rt.spawn(std::make_unique<Counter>(k * m, done));
    const std::int64_t t0 = nowNs();
    for (std::int64_t i = 0; i < k; ++i)
        rt.spawn(std::make_unique<Sender>(recv, m));
    done.wait();
    const std::int64_t t1 = nowNs();
    result("fanin", "msgs_per_s", k * m / ((t1 - t0) / 1e9), "msg/s");
    result("fanin", "ns_per_msg", double(t1 - t0) / (k * m), "ns");
}

void bigmailbox(const Args& a) {
    const std::int64_t m = a.at(0);
    Runtime rt(options());
    Signal done;
    Pid recv = rt.spawn(std::make_unique<Counter>(m, done));
    rt.send(recv, Block{});
    while (!g_spinning.load())
        std::this_thread::yield();
    const std::int64_t t0 = nowNs();
    for (std::int64_t j = 0; j < m; ++j)
        rt.send(recv, j);
    const std::int64_t t1 = nowNs();
    // The mailbox length while it is full: one O(1) read, no message to the process.
    const std::int64_t q0 = nowNs();
    std::optional<ProcessInfo> info = rt.info(recv);
    const std::int64_t q1 = nowNs();
    constexpr int kReads = 1000;
    std::int64_t sink = 0;
    for (int i = 0; i < kReads; ++i)
        sink += rt.info(recv)->mailboxLength;
    const std::int64_t q2 = nowNs();
    const std::int64_t t2 = nowNs();
    g_release = true;
    done.wait();
    const std::int64_t t3 = nowNs();
    result("bigmailbox", "enqueue_ns_per_msg", double(t1 - t0) / m, "ns");
    result("bigmailbox", "queue_len", info ? double(info->mailboxLength) : -1.0, "msgs");
    result("bigmailbox", "queue_len_query_us", (q1 - q0) / 1e3, "us");
    result("bigmailbox", "queue_len_query_ns_avg", double(q2 - q1) / kReads, "ns");
    result("bigmailbox", "drain_ns_per_msg", double(t3 - t2) / m, "ns");
    if (sink != std::int64_t(kReads) * m)
        std::printf("NOTE bigmailbox: mailbox length read %lld in total, expected %lld\n",
                    static_cast<long long>(sink), static_cast<long long>(kReads) * m);
}

} // namespace canopy::bench
