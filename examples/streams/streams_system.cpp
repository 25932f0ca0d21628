#include "examples/streams/streams_system.h"
#include "examples/common/child_specs.h"
#include "examples/streams/stream_info_fetcher.h"
#include "examples/streams/streams_driver.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <array>

namespace canopy::demo {

namespace {
constexpr int kDefaultStreams = 5;
constexpr std::int64_t kFetchIntervalMs = 50;
constexpr std::array<const char*, 8> kCatalogue{"btc-usd",     "eth-usd",      "sol-usd",   "weather-oslo",
                                                "weather-lima", "sensor-boiler", "clickstream", "tweets-otp"};
} // namespace

StreamsSystem::StreamsSystem() : m_stats(std::make_shared<StreamsStats>()) {}

StreamsSystem::~StreamsSystem() { stop(); }

std::vector<DemoCounter> StreamsSystem::counters() const {
    const StreamsStats& s = *m_stats;
    auto v = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    return {{"discovery_runs", v(s.discoveryRuns)},       {"streams_started", v(s.streamsStarted)},
            {"streams_retired", v(s.streamsRetired)},     {"items_fetched", v(s.itemsFetched)},
            {"items_processed", v(s.itemsProcessed)},     {"batches_processed", v(s.batchesProcessed)},
            {"fetcher_starts", v(s.fetcherStarts)},       {"processor_starts", v(s.processorStarts)}};
}

StartResult StreamsSystem::startTree(Runtime& rt, const DemoConfig& config) {
    int count = config.size > 0 ? config.size : kDefaultStreams;
    std::vector<std::string> streams;
    for (int i = 0; i < count; ++i)
        streams.push_back(i < static_cast<int>(kCatalogue.size()) ? std::string(kCatalogue[static_cast<std::size_t>(i)])
                                                                  : "feed-" + std::to_string(i + 1));
    auto stats = m_stats;
    std::uint64_t seed = config.seed;

    SupervisorSpec rootSpec;
    rootSpec.flags = {.strategy = Strategy::OneForAll, .maxRestarts = 5, .maxSeconds = 5};
    ChildSpec fetcher = namedWorker(StreamInfoFetcher::kName, StreamInfoFetcher::kName, [streams, seed, stats] {
        return std::make_unique<StreamInfoFetcher>(streams, kFetchIntervalMs, seed, stats);
    });
    fetcher.restart = Restart::Transient;
    rootSpec.children.push_back(std::move(fetcher));
    DynamicSupervisorOptions streamsOptions;
    streamsOptions.maxRestarts = 10;
    rootSpec.children.push_back(namedDynamicSupervisor("Streams.Supervisor", streamsOptions));
    return Supervisor::start(rt, std::move(rootSpec), rootName());
}

Pid StreamsSystem::startDriver(Runtime& rt, const DemoConfig& config) {
    std::int64_t interval = config.driverIntervalMs > 0 ? config.driverIntervalMs : 3000;
    return StreamsDriver::start(rt, interval, kFetchIntervalMs, config.seed, m_stats);
}

} // namespace canopy::demo
