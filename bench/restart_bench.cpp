// B11 restart: crash → new child ready, one child restarted by a supervisor 2k times.
// Hand-made one_for_one (a trapping process that spawn_links the child again on its EXIT), the same
// minimal equivalent cafbench uses; bench/supervision measures the real runtime/supervision one.
#include "bench/bench_support.h"
#include "bench/bench_tests.h"
#include "runtime/context.h"
#include "runtime/exit_message.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace canopy::bench {
namespace {

/// `{ready, Pid, T}`: a (re)started child is ready; T its clock reading.
struct Ready {
    Pid pid;
    std::int64_t t;
};

/// Where children report to when the benchmark is driven from a plain thread (idle case).
struct ReadySlot {
    std::mutex lock;
    Pid pid;
    std::int64_t t = 0;
    std::atomic<std::uint64_t> seq{0};
};

/// The child: reports ready from onStart, then idles.
class Child final : public Actor {
public:
    Child(Pid collector, ReadySlot* slot) : m_collector(std::move(collector)), m_slot(slot) {}
    void onStart(Context& ctx) override {
        const std::int64_t t = nowNs();
        if (m_collector) {
            ctx.send(m_collector, Ready{ctx.self(), t});
        } else {
            {
                std::lock_guard<std::mutex> g(m_slot->lock);
                m_slot->pid = ctx.self();
                m_slot->t = t;
            }
            m_slot->seq.fetch_add(1, std::memory_order_release);
            m_slot->seq.notify_all();
        }
    }
    void onMessage(Context&, Message&) override {}

private:
    Pid m_collector;
    ReadySlot* m_slot;
};

/// A hand-made one_for_one supervisor of one permanent child: traps exits, spawn_links the child,
/// and starts a new one when the current one's EXIT arrives.
class ManualSupervisor final : public Actor {
public:
    ManualSupervisor(Pid collector, ReadySlot* slot) : m_collector(std::move(collector)), m_slot(slot) {}
    void onStart(Context& ctx) override {
        ctx.trapExit(true);
        startChild(ctx);
    }
    void onMessage(Context& ctx, Message& msg) override {
        if (ExitMessage* e = msg.tryAs<ExitMessage>()) {
            if (e->from == m_child)
                startChild(ctx);
            else
                ctx.exit(e->reason); // the parent (or anyone linked) went away
        }
    }

private:
    void startChild(Context& ctx) { m_child = ctx.spawnLink(std::make_unique<Child>(m_collector, m_slot)); }
    Pid m_collector;
    ReadySlot* m_slot;
    Pid m_child;
};

struct Latencies {
    std::vector<std::int64_t> ns;
};

/// The driver process (as actorbench's benchmark process): kill the child, wait for the new one's
/// Ready, record the latency, repeat `r` times.
class RestartDriver final : public Actor {
public:
    RestartDriver(std::int64_t r, Latencies& out, Signal& done) : m_left(r), m_out(out), m_done(done) {}
    void onStart(Context& ctx) override {
        m_sup = ctx.spawn(std::make_unique<ManualSupervisor>(ctx.self(), nullptr));
    }
    void onMessage(Context& ctx, Message& msg) override {
        Ready* ready = msg.tryAs<Ready>();
        if (!ready)
            return;
        if (m_t0 != 0) {
            m_out.ns.push_back(ready->t - m_t0);
            --m_left;
        }
        if (m_left == 0) {
            ctx.exit(m_sup, ExitReason::kill());
            m_done.raise();
            return;
        }
        m_t0 = nowNs();
        ctx.exit(ready->pid, ExitReason::kill());
    }

private:
    std::int64_t m_left;
    Latencies& m_out;
    Signal& m_done;
    Pid m_sup;
    std::int64_t m_t0 = 0;
};

void report(const char* prefix, std::vector<std::int64_t> lat) {
    if (lat.empty())
        return;
    std::sort(lat.begin(), lat.end());
    const std::size_t r = lat.size();
    const std::string p(prefix);
    result("restart", (p + "median_us").c_str(), lat[r / 2] / 1e3, "us");
    result("restart", (p + "p99_us").c_str(), lat[std::min(r - 1, r * 99 / 100)] / 1e3, "us");
    result("restart", (p + "min_us").c_str(), lat[0] / 1e3, "us");
}

} // namespace

void restart(const Args& a) {
    const std::int64_t r = a.at(0);
    const std::int64_t idleR = a.size() > 1 ? a[1] : std::max<std::int64_t>(r / 4, 1);
    Runtime rt(optionsFromEnv());

    // Hot: the killer is a process, the workers are busy or spinning.
    {
        Latencies lat;
        lat.ns.reserve(r);
        Signal done;
        rt.spawn(std::make_unique<RestartDriver>(r, lat, done));
        done.wait();
        report("", lat.ns);
    }

    // Woken from idle: the system sleeps 2 ms (every worker parked), then a plain thread kills the
    // child; the latency includes waking a worker for the supervisor.
    {
        ReadySlot slot;
        Pid sup = rt.spawn(std::make_unique<ManualSupervisor>(Pid{}, &slot));
        auto waitReady = [&](std::uint64_t seen) {
            std::uint64_t s;
            while ((s = slot.seq.load(std::memory_order_acquire)) == seen)
                slot.seq.wait(seen, std::memory_order_acquire);
            return s;
        };
        std::uint64_t seen = waitReady(0);
        std::vector<std::int64_t> lat;
        lat.reserve(idleR);
        for (std::int64_t i = 0; i < idleR; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            Pid cur;
            {
                std::lock_guard<std::mutex> g(slot.lock);
                cur = slot.pid;
            }
            const std::int64_t t0 = nowNs();
            rt.exit(cur, ExitReason::kill());
            seen = waitReady(seen);
            std::lock_guard<std::mutex> g(slot.lock);
            lat.push_back(slot.t - t0);
        }
        report("idle_", lat);
        rt.exit(sup, ExitReason::kill());
    }
}

} // namespace canopy::bench
