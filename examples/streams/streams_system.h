#pragma once
#include "examples/common/demo_system.h"
#include "examples/streams/streams_stats.h"
#include <memory>
#include <string>

namespace canopy::demo {

/// The streams system: Streams.RootSupervisor (one_for_all) → StreamInfoFetcher (transient; discovers
/// the streams and exits normally), Streams.Supervisor (dynamic) → one Stream.Supervisor (one_for_all)
/// per stream → Stream.Fetcher feeding Stream.Processor; Streams.Driver rotates streams.
class StreamsSystem : public DemoSystem {
public:
    StreamsSystem();
    ~StreamsSystem() override;

    std::string name() const override { return "streams"; }
    std::string rootName() const override { return "Streams.RootSupervisor"; }
    std::vector<DemoCounter> counters() const override;

protected:
    StartResult startTree(Runtime& rt, const DemoConfig& config) override;
    Pid startDriver(Runtime& rt, const DemoConfig& config) override;

private:
    std::shared_ptr<StreamsStats> m_stats;
};

} // namespace canopy::demo
