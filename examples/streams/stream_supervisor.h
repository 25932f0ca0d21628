#pragma once
#include "examples/streams/streams_stats.h"
#include "runtime/supervision/supervisor.h"
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// Stream.Supervisor: the one_for_all supervisor of one stream (Stream.Fetcher + Stream.Processor).
/// A plain Supervisor whose initial call names it, so observers group the per-stream supervisors.
class StreamSupervisor : public Supervisor {
public:
    using Supervisor::Supervisor;
    std::string initialCall() const override { return "Stream.Supervisor:init/1"; }

    /// The child spec (for Streams.Supervisor) of the supervisor of one stream.
    static ChildSpec childSpec(const std::string& stream, std::int64_t fetchIntervalMs, std::uint64_t seed,
                               std::shared_ptr<StreamsStats> stats);
};

} // namespace canopy::demo
