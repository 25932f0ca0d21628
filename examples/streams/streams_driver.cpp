#include "examples/streams/streams_driver.h"
#include "examples/streams/stream_supervisor.h"
#include "runtime/runtime.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"

namespace canopy::demo {

namespace {
/// The driver's timer message.
struct StreamsTick {};
} // namespace

StreamsDriver::StreamsDriver(std::int64_t intervalMs, std::int64_t fetchIntervalMs, std::uint64_t seed,
                             std::shared_ptr<StreamsStats> stats)
    : m_intervalMs(intervalMs), m_fetchIntervalMs(fetchIntervalMs), m_seed(seed), m_random(seed, 0x57E4),
      m_stats(std::move(stats)) {}

Pid StreamsDriver::start(Runtime& rt, std::int64_t intervalMs, std::int64_t fetchIntervalMs, std::uint64_t seed,
                         std::shared_ptr<StreamsStats> stats) {
    ServerOptions o;
    o.name = "Streams.Driver";
    StartResult r = rt.startServer(std::make_unique<StreamsDriver>(intervalMs, fetchIntervalMs, seed, std::move(stats)), o);
    return r.isOk() ? r.pid : Pid();
}

InitResult StreamsDriver::init(Context& ctx) {
    scheduleNext(ctx);
    return InitResult::ok();
}

void StreamsDriver::scheduleNext(Context& ctx) { ctx.sendAfter(m_intervalMs, ctx.self(), Message::of(StreamsTick{})); }

ServerResult StreamsDriver::handleInfo(Context& ctx, Message& msg) {
    if (!msg.is<StreamsTick>())
        return ServerResult::noreply();
    Pid sup = ctx.whereis("Streams.Supervisor");
    if (!sup || ctx.whereis("StreamInfoFetcher")) { // not there, or still discovering
        scheduleNext(ctx);
        return ServerResult::noreply();
    }
    Supervisor::whichChildren(ctx, sup, [this, sup](Context& c, std::vector<ChildInfo> children) {
        std::vector<Pid> running;
        for (const ChildInfo& child : children)
            if (child.pid)
                running.push_back(child.pid);
        if (running.empty()) {
            scheduleNext(c);
            return;
        }
        Pid victim = running[static_cast<std::size_t>(m_random.between(0, static_cast<std::int64_t>(running.size()) - 1))];
        DynamicSupervisor::terminateChild(c, sup, victim, [this, sup](Context& c2, ChildResult r) {
            if (r.ok())
                m_stats->streamsRetired.fetch_add(1, std::memory_order_relaxed);
            std::string name = "stream-" + std::to_string(m_nextStream++);
            DynamicSupervisor::startChild(c2, sup, StreamSupervisor::childSpec(name, m_fetchIntervalMs, m_seed, m_stats),
                                          [this](Context& c3, ChildResult) { scheduleNext(c3); });
        });
    });
    return ServerResult::noreply();
}

} // namespace canopy::demo
