#pragma once
#include "examples/streams/streams_stats.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace canopy::demo {

/// StreamInfoFetcher: a transient worker that "discovers" the streams (after a simulated lookup
/// delay), starts one Stream.Supervisor per stream under Streams.Supervisor, then exits normally.
/// When Streams.RootSupervisor (one_for_all) restarts everything it runs again and re-adds them.
class StreamInfoFetcher : public GenServer {
public:
    /// The registered name.
    static constexpr const char* kName = "StreamInfoFetcher";

    StreamInfoFetcher(std::vector<std::string> streams, std::int64_t fetchIntervalMs, std::uint64_t seed,
                      std::shared_ptr<StreamsStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "StreamInfoFetcher:init/1"; }

private:
    void startNext(Context& ctx, std::size_t index);

    std::vector<std::string> m_streams;
    std::int64_t m_fetchIntervalMs;
    std::uint64_t m_seed;
    std::shared_ptr<StreamsStats> m_stats;
};

} // namespace canopy::demo
