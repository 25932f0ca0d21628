// B1/B2 spawn_idle, B3 spawn_exit, B4 skynet, B19 spawn_max.
#include "bench/bench_support.h"
#include "bench/bench_tests.h"
#include "runtime/context.h"
#include "runtime/down_message.h"
#include "runtime/runtime.h"
#include <memory>
#include <thread>
#include <vector>

namespace canopy::bench {
namespace {

std::atomic<std::int64_t> g_started{0};

/// An idle process: counts itself ready in onStart, then waits for messages forever.
class IdleActor final : public Actor {
public:
    void onStart(Context&) override { g_started.fetch_add(1, std::memory_order_relaxed); }
    void onMessage(Context&, Message&) override {}
};

RuntimeOptions options() { return optionsFromEnv(); }

void waitCountAtMost(Runtime& rt, std::size_t n) {
    while (rt.processCount() > n)
        std::this_thread::yield();
}

/// A process that exits as soon as it starts.
class ExitAtOnce final : public Actor {
public:
    void onStart(Context& ctx) override { ctx.exit(ExitReason::normal()); }
    void onMessage(Context&, Message&) override {}
};

/// spawn_monitor()s N short-lived processes, at most `window` outstanding (as actorbench does).
class SpawnExitDriver final : public Actor {
public:
    SpawnExitDriver(std::int64_t n, Signal& done) : m_left(n), m_done(done) {}
    void onStart(Context& ctx) override { refill(ctx); }
    void onMessage(Context& ctx, Message& msg) override {
        if (!msg.is<DownMessage>())
            return;
        --m_outstanding;
        refill(ctx);
        if (m_left == 0 && m_outstanding == 0)
            m_done.raise();
    }

private:
    void refill(Context& ctx) {
        while (m_left > 0 && m_outstanding < kWindow) {
            Pid p = ctx.spawn(std::make_unique<ExitAtOnce>());
            ctx.monitor(p);
            --m_left;
            ++m_outstanding;
        }
    }
    static constexpr std::int64_t kWindow = 1000;
    std::int64_t m_left;
    std::int64_t m_outstanding = 0;
    Signal& m_done;
};

/// One skynet node: a leaf reports its number; an inner node spawns 10 children and sums them.
class SkynetNode final : public Actor {
public:
    SkynetNode(Pid parent, std::int64_t num, std::int64_t size) : m_parent(std::move(parent)), m_num(num), m_size(size) {}
    void onStart(Context& ctx) override {
        if (m_size == 1) {
            ctx.send(m_parent, m_num);
            ctx.exit(ExitReason::normal());
            return;
        }
        const std::int64_t sub = m_size / kDiv;
        for (std::int64_t i = 0; i < kDiv; ++i)
            ctx.spawn(std::make_unique<SkynetNode>(ctx.self(), m_num + i * sub, sub));
    }
    void onMessage(Context& ctx, Message& msg) override {
        if (const std::int64_t* x = msg.tryAs<std::int64_t>()) {
            m_sum += *x;
            if (++m_got == kDiv) {
                ctx.send(m_parent, m_sum);
                ctx.exit(ExitReason::normal());
            }
        }
    }

private:
    static constexpr std::int64_t kDiv = 10;
    Pid m_parent;
    std::int64_t m_num, m_size, m_sum = 0, m_got = 0;
};

/// Receives skynet's total.
class SumCollector final : public Actor {
public:
    SumCollector(std::int64_t& sum, Signal& done) : m_sum(sum), m_done(done) {}
    void onMessage(Context& ctx, Message& msg) override {
        if (const std::int64_t* x = msg.tryAs<std::int64_t>()) {
            m_sum = *x;
            m_done.raise();
        }
    }

private:
    std::int64_t& m_sum;
    Signal& m_done;
};

} // namespace

void spawnIdle(const Args& a) {
    const std::int64_t n = a.at(0);
    Runtime rt(options());
    const std::size_t base = rt.processCount();
    std::vector<Pid> pids;
    pids.reserve(n);
    g_started = 0;
    const long m0 = rssBytes();
    const std::int64_t t0 = nowNs();
    for (std::int64_t i = 0; i < n; ++i)
        pids.push_back(rt.spawn(std::make_unique<IdleActor>()));
    const std::int64_t t1 = nowNs();
    while (g_started.load(std::memory_order_relaxed) < n)
        std::this_thread::yield();
    const std::int64_t t2 = nowNs();
    const long m1 = rssBytes();
    result("spawn_idle", "n", double(n), "procs");
    result("spawn_idle", "ns_per_spawn_call", double(t1 - t0) / n, "ns");
    result("spawn_idle", "ns_per_spawn_ready", double(t2 - t0) / n, "ns");
    result("spawn_idle", "spawns_per_s", n / ((t2 - t0) / 1e9), "spawn/s");
    // RSS delta / N, including the 8-byte Pid the benchmark keeps per process (as cafbench does).
    result("spawn_idle", "bytes_per_proc", double(m1 - m0) / n, "B");
    if (auto info = rt.info(pids.front()))
        result("spawn_idle", "memory_estimate", double(info->memoryBytes), "B");
    const std::int64_t t3 = nowNs();
    for (const Pid& p : pids)
        rt.exit(p, ExitReason::kill());
    const std::int64_t t4 = nowNs();
    pids.clear();
    waitCountAtMost(rt, base);
    const std::int64_t t5 = nowNs();
    result("spawn_idle", "ns_per_kill_send", double(t4 - t3) / n, "ns");
    result("spawn_idle", "ns_per_kill", double(t5 - t3) / n, "ns");
}

void spawnExit(const Args& a) {
    const std::int64_t n = a.at(0);
    Runtime rt(options());
    Signal done;
    const std::int64_t t0 = nowNs();
    rt.spawn(std::make_unique<SpawnExitDriver>(n, done));
    done.wait();
    const std::int64_t t1 = nowNs();
    result("spawn_exit", "ns_per_spawn_exit", double(t1 - t0) / n, "ns");
    result("spawn_exit", "per_s", n / ((t1 - t0) / 1e9), "1/s");
    // The CAF shape: spawn from a plain thread, each exits at once, wait until all are gone.
    const std::size_t base = rt.processCount();
    const std::int64_t t2 = nowNs();
    for (std::int64_t i = 0; i < n; ++i)
        rt.spawn(std::make_unique<ExitAtOnce>());
    waitCountAtMost(rt, base);
    const std::int64_t t3 = nowNs();
    result("spawn_exit", "ns_per_spawn_exit_external", double(t3 - t2) / n, "ns");
}

void skynet(const Args& a) {
    const std::int64_t n = a.at(0);
    Runtime rt(options());
    Signal done;
    std::int64_t sum = 0;
    const std::int64_t t0 = nowNs();
    Pid collector = rt.spawn(std::make_unique<SumCollector>(sum, done));
    rt.spawn(std::make_unique<SkynetNode>(collector, 0, n));
    done.wait();
    const std::int64_t t1 = nowNs();
    if (sum != n * (n - 1) / 2)
        std::printf("ERROR skynet sum %lld\n", static_cast<long long>(sum));
    result("skynet", "total_ms", (t1 - t0) / 1e6, "ms");
}

void spawnMax(const Args& a) {
    const std::int64_t n = a.at(0);
    const long long floorBytes = (a.size() > 1 ? a[1] : 4096) * 1024LL * 1024LL;
    Runtime rt(options());
    g_started = 0;
    const long m0 = rssBytes();
    const std::int64_t t0 = nowNs();
    std::int64_t spawned = 0;
    bool stoppedByMemory = false;
    constexpr std::int64_t kBatch = 1 << 16;
    while (spawned < n) {
        const long long avail = memAvailableBytes();
        if (avail >= 0 && avail < floorBytes) {
            stoppedByMemory = true;
            break;
        }
        const std::int64_t end = std::min(n, spawned + kBatch);
        for (; spawned < end; ++spawned)
            rt.spawn(std::make_unique<IdleActor>()); // the Pid is dropped; the process stays alive
    }
    while (g_started.load(std::memory_order_relaxed) < spawned)
        std::this_thread::yield();
    const std::int64_t t1 = nowNs();
    const long m1 = rssBytes();
    result("spawn_max", "procs", double(spawned), "procs");
    result("spawn_max", "live_procs", double(rt.processCount()), "procs");
    result("spawn_max", "bytes_per_proc", double(m1 - m0) / std::max<std::int64_t>(spawned, 1), "B");
    result("spawn_max", "rss_gib", m1 / double(1LL << 30), "GiB");
    result("spawn_max", "ns_per_spawn_ready", double(t1 - t0) / std::max<std::int64_t>(spawned, 1), "ns");
    result("spawn_max", "stopped_by_memory_floor", stoppedByMemory ? 1.0 : 0.0, "bool");
    std::fflush(stdout);
    std::_Exit(0); // tearing down 10M processes is B2's subject, not this one's
}

} // namespace canopy::bench
