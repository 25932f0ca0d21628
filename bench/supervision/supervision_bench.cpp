// B11-B13 of performance.md against the real runtime/supervision code.
//   canopy-bench-supervision b11 [N=2000]          one_for_one restart latency (hot and woken-from-idle)
//   canopy-bench-supervision b12 [N=10000]         restart storm: one_for_one kill all; one_for_all kill one
//   canopy-bench-supervision b13 [N=10000]         DynamicSupervisor start_child, µs per child
//   canopy-bench-supervision all
// Prints `RESULT <test> <metric> <value> <unit>`.
#include "bench/bench_support.h"
#include "runtime/context.h"
#include "runtime/fn_actor.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace canopy;
using namespace canopy::bench;

namespace {

/// `{ready, Pid, T}` sent by a (re)started worker to the driver.
struct Ready {
    Pid pid;
    std::int64_t t;
};

/// Where workers report readiness: a driver process (hot case) and/or a countdown (idle case).
struct ReadyHub {
    std::atomic<std::uint64_t> driver{0};
    Pid driverPid;
    std::atomic<Countdown*> countdown{nullptr};
    std::atomic<std::uint64_t> lastPid{0};
    std::atomic<std::int64_t> lastT{0};
    Signal lastSignal;
};

class BenchWorker : public GenServer {
public:
    explicit BenchWorker(ReadyHub* hub) : m_hub(hub) {}
    InitResult init(Context& ctx) override {
        const std::int64_t t = nowNs();
        if (m_hub->driver.load(std::memory_order_acquire))
            ctx.send(m_hub->driverPid, Ready{ctx.self(), t});
        m_hub->lastT.store(t, std::memory_order_relaxed);
        m_hub->lastPid.store(ctx.self().id(), std::memory_order_release);
        if (Countdown* c = m_hub->countdown.load(std::memory_order_acquire))
            c->count();
        return InitResult::ok();
    }

private:
    ReadyHub* m_hub;
};

ChildSpec benchChild(ReadyHub* hub, std::string id) {
    ChildSpec c;
    c.id = std::move(id);
    c.start = [hub](Context& ctx) { return ctx.startLink(std::make_unique<BenchWorker>(hub), ChildSpec::startOptions()); };
    return c;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
    return v[i];
}

void b11(int n) {
    // Woken-from-idle: the main thread kills the child while the runtime is idle, then waits (futex)
    // for the restarted child's init.
    {
        Runtime rt(optionsFromEnv());
        ReadyHub hub;
        Pid sup = Supervisor::start(rt, SupervisorSpec{{.maxRestarts = 1'000'000'000, .maxSeconds = 1},
                                                       {benchChild(&hub, "w")}})
                      .pid;
        std::vector<double> lat;
        lat.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            rt.waitIdle(1000);
            Pid child = rt.findPid(hub.lastPid.load(std::memory_order_acquire));
            const std::uint64_t before = child.id();
            Countdown cd(1);
            hub.countdown.store(&cd, std::memory_order_release);
            const std::int64_t t0 = nowNs();
            rt.exit(child, ExitReason::kill());
            cd.wait();
            hub.countdown.store(nullptr, std::memory_order_release);
            const std::int64_t t1 = hub.lastT.load(std::memory_order_relaxed);
            if (hub.lastPid.load() != before)
                lat.push_back(static_cast<double>(t1 - t0) / 1000.0);
        }
        result("B11", "idle_median", percentile(lat, 0.5), "us");
        result("B11", "idle_p99", percentile(lat, 0.99), "us");
        Supervisor::stop(rt, sup, ExitReason::shutdown());
    }
    // Hot: a driver process kills the child as soon as it reports ready, so the scheduler is busy.
    {
        Runtime rt(optionsFromEnv());
        ReadyHub hub;
        auto lat = std::make_shared<std::vector<double>>();
        lat->reserve(static_cast<std::size_t>(n));
        Signal done;
        auto killedAt = std::make_shared<std::int64_t>(0);
        auto left = std::make_shared<int>(n);
        Pid driver = rt.spawn(std::make_unique<FnActor>([lat, &done, killedAt, left](Context& ctx, Message& m) {
            if (auto* r = m.tryAs<Ready>()) {
                if (*killedAt)
                    lat->push_back(static_cast<double>(r->t - *killedAt) / 1000.0);
                if ((*left)-- <= 0) {
                    done.raise();
                    return;
                }
                *killedAt = nowNs();
                ctx.exit(r->pid, ExitReason::kill());
            }
        }));
        hub.driverPid = driver;
        hub.driver.store(driver.id(), std::memory_order_release);
        Pid sup = Supervisor::start(rt, SupervisorSpec{{.maxRestarts = 1'000'000'000, .maxSeconds = 1},
                                                       {benchChild(&hub, "w")}})
                      .pid;
        done.wait();
        result("B11", "hot_median", percentile(*lat, 0.5), "us");
        result("B11", "hot_p99", percentile(*lat, 0.99), "us");
        hub.driver.store(0);
        Supervisor::stop(rt, sup, ExitReason::shutdown());
    }
}

void b12(int n) {
    {
        Runtime rt(optionsFromEnv());
        ReadyHub hub;
        std::vector<ChildSpec> kids;
        for (int i = 0; i < n; ++i)
            kids.push_back(benchChild(&hub, "w" + std::to_string(i)));
        Pid sup = Supervisor::start(rt, SupervisorSpec{{.maxRestarts = 1'000'000'000, .maxSeconds = 1}, kids}).pid;
        std::vector<Pid> pids;
        for (const ChildInfo& c : Supervisor::whichChildren(rt, sup, 60'000))
            pids.push_back(c.pid);
        rt.waitIdle(10'000);
        Countdown cd(n);
        hub.countdown.store(&cd, std::memory_order_release);
        const std::int64_t t0 = nowNs();
        for (const Pid& p : pids)
            rt.exit(p, ExitReason::kill());
        cd.wait();
        const std::int64_t t1 = nowNs();
        hub.countdown.store(nullptr);
        result("B12", ("one_for_one_kill_all_" + std::to_string(n)).c_str(), static_cast<double>(t1 - t0) / 1e6, "ms");
        Supervisor::stop(rt, sup, ExitReason::shutdown(), 120'000);
    }
    {
        Runtime rt(optionsFromEnv());
        ReadyHub hub;
        std::vector<ChildSpec> kids;
        for (int i = 0; i < n; ++i)
            kids.push_back(benchChild(&hub, "w" + std::to_string(i)));
        Pid sup = Supervisor::start(rt, SupervisorSpec{{.strategy = Strategy::OneForAll, .maxRestarts = 1'000'000'000,
                                                        .maxSeconds = 1},
                                                       kids})
                      .pid;
        Pid first = Supervisor::whichChildren(rt, sup, 60'000).back().pid;
        rt.waitIdle(10'000);
        Countdown cd(n);
        hub.countdown.store(&cd, std::memory_order_release);
        const std::int64_t t0 = nowNs();
        rt.exit(first, ExitReason::kill());
        cd.wait();
        const std::int64_t t1 = nowNs();
        hub.countdown.store(nullptr);
        result("B12", ("one_for_all_kill_one_" + std::to_string(n)).c_str(), static_cast<double>(t1 - t0) / 1e6, "ms");
        Supervisor::stop(rt, sup, ExitReason::shutdown(), 120'000);
    }
}

void b13(int n) {
    Runtime rt(optionsFromEnv());
    ReadyHub hub;
    Pid sup = DynamicSupervisor::start(rt).pid;
    Signal done;
    auto t0 = std::make_shared<std::int64_t>(0);
    auto t1 = std::make_shared<std::int64_t>(0);
    auto left = std::make_shared<int>(n);
    auto spec = std::make_shared<ChildSpec>(benchChild(&hub, "w"));
    // The driver chains start_child calls from process code (continuations), one at a time.
    std::shared_ptr<std::function<void(Context&)>> next = std::make_shared<std::function<void(Context&)>>();
    *next = [sup, spec, left, t1, &done, next](Context& ctx) {
        if ((*left)-- <= 0) {
            *t1 = nowNs();
            done.raise();
            return;
        }
        DynamicSupervisor::startChild(ctx, sup, *spec, [next](Context& c, ChildResult) { (*next)(c); });
    };
    Pid driver = rt.spawn(std::make_unique<FnActor>([next, t0](Context& ctx, Message&) {
        *t0 = nowNs();
        (*next)(ctx);
    }));
    rt.send(driver, 1);
    done.wait();
    result("B13", "start_child", static_cast<double>(*t1 - *t0) / 1000.0 / n, "us/child");
    Supervisor::stop(rt, sup, ExitReason::shutdown(), 120'000);
    *next = nullptr;
}

} // namespace

int main(int argc, char** argv) {
    const std::string which = argc > 1 ? argv[1] : "all";
    const int n = argc > 2 ? std::atoi(argv[2]) : 0;
    if (which == "b11" || which == "all")
        b11(n > 0 ? n : 2000);
    if (which == "b12" || which == "all")
        b12(n > 0 ? n : 10'000);
    if (which == "b13" || which == "all")
        b13(n > 0 ? n : 10'000);
    return 0;
}
