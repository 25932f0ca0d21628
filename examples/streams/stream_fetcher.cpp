#include "examples/streams/stream_fetcher.h"
#include "runtime/supervision/supervisor.h"

namespace canopy::demo {

namespace {
/// Find the processor (again).
struct ResolveProcessor {};
/// Fetch the next batch.
struct FetchTick {};
} // namespace

StreamFetcher::StreamFetcher(std::string stream, std::int64_t intervalMs, std::uint64_t seed,
                             std::shared_ptr<StreamsStats> stats)
    : m_stream(std::move(stream)), m_intervalMs(intervalMs),
      m_random(seed, std::hash<std::string>{}(m_stream)), m_stats(std::move(stats)) {}

InitResult StreamFetcher::init(Context& ctx) {
    m_stats->fetcherStarts.fetch_add(1, std::memory_order_relaxed);
    // The processor is started after us by the same supervisor: ask once the supervisor is free.
    ctx.send(ctx.self(), ResolveProcessor{});
    return InitResult::ok();
}

void StreamFetcher::resolveProcessor(Context& ctx) {
    Supervisor::whichChildren(ctx, parent(), [this](Context& c, std::vector<ChildInfo> children) {
        for (const ChildInfo& child : children)
            if (child.id == "Stream.Processor" && child.pid)
                m_processor = child.pid;
        if (m_processor)
            c.send(c.self(), FetchTick{});
        else
            c.sendAfter(20, c.self(), Message::of(ResolveProcessor{}));
    });
}

ServerResult StreamFetcher::handleInfo(Context& ctx, Message& msg) {
    if (msg.is<ResolveProcessor>()) {
        resolveProcessor(ctx);
    } else if (msg.is<FetchTick>()) {
        Batch batch{m_stream, {}};
        auto n = m_random.between(1, 16);
        for (std::int64_t i = 0; i < n; ++i) {
            m_value = std::max(1.0, m_value * (1.0 + (m_random.unit() - 0.5) * 0.02));
            batch.items.push_back(m_value);
        }
        m_stats->itemsFetched.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
        ctx.cast(m_processor, Message::of(std::move(batch)));
        ctx.sendAfter(m_intervalMs, ctx.self(), Message::of(FetchTick{}));
    }
    return ServerResult::noreply();
}

} // namespace canopy::demo
