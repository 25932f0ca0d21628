#include "examples/streams/stream_supervisor.h"
#include "examples/streams/stream_fetcher.h"
#include "examples/streams/stream_processor.h"

namespace canopy::demo {

ChildSpec StreamSupervisor::childSpec(const std::string& stream, std::int64_t fetchIntervalMs, std::uint64_t seed,
                                      std::shared_ptr<StreamsStats> stats) {
    SupervisorSpec spec;
    spec.flags = {.strategy = Strategy::OneForAll, .maxRestarts = 5, .maxSeconds = 5};
    spec.children.push_back(ChildSpec::worker("Stream.Fetcher", [stream, fetchIntervalMs, seed, stats] {
        return std::make_unique<StreamFetcher>(stream, fetchIntervalMs, seed, stats);
    }));
    spec.children.push_back(ChildSpec::worker("Stream.Processor", [stream, stats] {
        return std::make_unique<StreamProcessor>(stream, stats);
    }));
    ChildSpec c;
    c.id = "Stream.Supervisor";
    c.type = ChildType::Supervisor;
    c.start = [spec = std::move(spec), stats](Context& ctx) {
        StartResult r = ctx.startLink(std::make_unique<StreamSupervisor>(spec), ChildSpec::startOptions());
        if (r.isOk())
            stats->streamsStarted.fetch_add(1, std::memory_order_relaxed);
        return r;
    };
    return c;
}

} // namespace canopy::demo
