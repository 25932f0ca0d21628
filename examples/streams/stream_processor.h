#pragma once
#include "examples/streams/streams_stats.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// Stream.Processor: consumes the fetcher's batches of one stream, counting items and keeping an
/// exponential moving average, minimum and maximum.
class StreamProcessor : public GenServer {
public:
    StreamProcessor(std::string stream, std::shared_ptr<StreamsStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleCast(Context& ctx, Message& request) override;
    std::string initialCall() const override { return "Stream.Processor:init/1"; }

private:
    std::string m_stream;
    std::shared_ptr<StreamsStats> m_stats;
    std::uint64_t m_count = 0;
    double m_average = 0;
    double m_min = 0;
    double m_max = 0;
};

} // namespace canopy::demo
