#pragma once
#include "examples/common/demo_random.h"
#include "examples/streams/streams_stats.h"
#include "runtime/gen_server.h"
#include <memory>
#include <string>
#include <vector>

namespace canopy::demo {

/// Stream.Fetcher: pulls items of one stream (a simulated feed: a random walk) every intervalMs and
/// casts them in batches to its sibling Stream.Processor, found through the parent's which_children.
class StreamFetcher : public GenServer {
public:
    /// Cast to the processor: a batch of items of one stream.
    struct Batch {
        std::string stream;
        std::vector<double> items;
    };

    StreamFetcher(std::string stream, std::int64_t intervalMs, std::uint64_t seed, std::shared_ptr<StreamsStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Stream.Fetcher:init/1"; }

private:
    void resolveProcessor(Context& ctx);

    std::string m_stream;
    std::int64_t m_intervalMs;
    DemoRandom m_random;
    std::shared_ptr<StreamsStats> m_stats;
    Pid m_processor;
    double m_value = 100.0;
};

} // namespace canopy::demo
