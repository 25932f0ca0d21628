#include "examples/common/chaos_monkey.h"
#include "examples/common/process_tree.h"
#include "runtime/runtime.h"
#include <algorithm>
#include <cmath>
#include <vector>

namespace canopy::demo {

namespace {
/// The chaos process's own timer message.
struct ChaosTick {};
} // namespace

ChaosMonkey::ChaosMonkey(std::string rootName, double rate, std::uint64_t seed,
                         std::shared_ptr<std::atomic<std::uint64_t>> kills)
    : m_rootName(std::move(rootName)), m_rate(rate), m_random(seed, 0xC4A05), m_kills(std::move(kills)) {}

Pid ChaosMonkey::start(Runtime& rt, std::string rootName, double rate, std::uint64_t seed,
                       std::shared_ptr<std::atomic<std::uint64_t>> kills) {
    if (rate <= 0)
        return Pid();
    ServerOptions o;
    o.name = "Demo.Chaos";
    StartResult r = rt.startServer(std::make_unique<ChaosMonkey>(std::move(rootName), rate, seed, std::move(kills)), o);
    return r.isOk() ? r.pid : Pid();
}

InitResult ChaosMonkey::init(Context& ctx) {
    scheduleNext(ctx);
    return InitResult::ok();
}

void ChaosMonkey::scheduleNext(Context& ctx) {
    // Exponential gaps: a Poisson process of `rate` events per second.
    double gapMs = -std::log(1.0 - m_random.unit()) * 1000.0 / m_rate;
    auto ms = static_cast<std::int64_t>(std::clamp(gapMs, 1.0, 60'000.0));
    ctx.sendAfter(ms, ctx.self(), Message::of(ChaosTick{}));
}

ServerResult ChaosMonkey::handleInfo(Context& ctx, Message& msg) {
    if (!msg.is<ChaosTick>())
        return ServerResult::noreply();
    Pid root = ctx.whereis(m_rootName);
    if (root) {
        ProcessTree tree = ProcessTree::capture(ctx.runtime());
        std::vector<std::uint64_t> workers;
        for (const ProcessInfo* p : tree.descendants(root.id()))
            if (p->hasMeta && p->kind == ProcessKind::Worker)
                workers.push_back(p->pid);
        if (!workers.empty()) {
            auto pick = workers[static_cast<std::size_t>(m_random.between(0, static_cast<std::int64_t>(workers.size()) - 1))];
            if (Pid victim = ctx.runtime().findPid(pick)) {
                ctx.exit(victim, ExitReason::error("chaos"));
                m_kills->fetch_add(1, std::memory_order_relaxed);
            }
        }
    }
    scheduleNext(ctx);
    return ServerResult::noreply();
}

} // namespace canopy::demo
