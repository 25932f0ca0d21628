#include "examples/streams/stream_processor.h"
#include "examples/streams/stream_fetcher.h"
#include <algorithm>

namespace canopy::demo {

StreamProcessor::StreamProcessor(std::string stream, std::shared_ptr<StreamsStats> stats)
    : m_stream(std::move(stream)), m_stats(std::move(stats)) {}

InitResult StreamProcessor::init(Context&) {
    m_stats->processorStarts.fetch_add(1, std::memory_order_relaxed);
    return InitResult::ok();
}

ServerResult StreamProcessor::handleCast(Context&, Message& request) {
    if (auto* b = request.tryAs<StreamFetcher::Batch>()) {
        for (double x : b->items) {
            m_average = m_count == 0 ? x : m_average * 0.95 + x * 0.05;
            m_min = m_count == 0 ? x : std::min(m_min, x);
            m_max = m_count == 0 ? x : std::max(m_max, x);
            ++m_count;
        }
        m_stats->itemsProcessed.fetch_add(b->items.size(), std::memory_order_relaxed);
        m_stats->batchesProcessed.fetch_add(1, std::memory_order_relaxed);
    }
    return ServerResult::noreply();
}

} // namespace canopy::demo
