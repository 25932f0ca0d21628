#pragma once
#include "examples/common/demo_random.h"
#include "examples/streams/streams_stats.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// Streams.Driver (outside the tree): every intervalMs it retires one running stream (terminate_child
/// on Streams.Supervisor) and subscribes to a new one, so per-stream supervisors come and go.
class StreamsDriver : public GenServer {
public:
    StreamsDriver(std::int64_t intervalMs, std::int64_t fetchIntervalMs, std::uint64_t seed,
                  std::shared_ptr<StreamsStats> stats);

    /// Starts it from a plain thread, registered as "Streams.Driver".
    static Pid start(Runtime& rt, std::int64_t intervalMs, std::int64_t fetchIntervalMs, std::uint64_t seed,
                     std::shared_ptr<StreamsStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Streams.Driver:init/1"; }

private:
    void scheduleNext(Context& ctx);

    std::int64_t m_intervalMs;
    std::int64_t m_fetchIntervalMs;
    std::uint64_t m_seed;
    DemoRandom m_random;
    std::shared_ptr<StreamsStats> m_stats;
    int m_nextStream = 1;
};

} // namespace canopy::demo
