#include "examples/streams/stream_info_fetcher.h"
#include "examples/streams/stream_supervisor.h"
#include "runtime/supervision/dynamic_supervisor.h"

namespace canopy::demo {

namespace {
/// The (simulated) answer of the stream catalogue arrived.
struct Discover {};
/// Every stream is started: exit normally.
struct DiscoveryDone {};
constexpr std::int64_t kLookupDelayMs = 150;
} // namespace

StreamInfoFetcher::StreamInfoFetcher(std::vector<std::string> streams, std::int64_t fetchIntervalMs, std::uint64_t seed,
                                     std::shared_ptr<StreamsStats> stats)
    : m_streams(std::move(streams)), m_fetchIntervalMs(fetchIntervalMs), m_seed(seed), m_stats(std::move(stats)) {}

InitResult StreamInfoFetcher::init(Context& ctx) {
    m_stats->discoveryRuns.fetch_add(1, std::memory_order_relaxed);
    ctx.sendAfter(kLookupDelayMs, ctx.self(), Message::of(Discover{}));
    return InitResult::ok();
}

void StreamInfoFetcher::startNext(Context& ctx, std::size_t index) {
    if (index >= m_streams.size()) {
        ctx.send(ctx.self(), DiscoveryDone{});
        return;
    }
    Pid sup = ctx.whereis("Streams.Supervisor");
    if (!sup) {
        ctx.sendAfter(50, ctx.self(), Message::of(Discover{}));
        return;
    }
    DynamicSupervisor::startChild(ctx, sup, StreamSupervisor::childSpec(m_streams[index], m_fetchIntervalMs, m_seed, m_stats),
                                  [this, index](Context& c, ChildResult) { startNext(c, index + 1); });
}

ServerResult StreamInfoFetcher::handleInfo(Context& ctx, Message& msg) {
    if (msg.is<Discover>())
        startNext(ctx, 0);
    else if (msg.is<DiscoveryDone>())
        return ServerResult::stop(ExitReason::normal());
    return ServerResult::noreply();
}

} // namespace canopy::demo
