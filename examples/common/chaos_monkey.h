#pragma once
#include "examples/common/demo_random.h"
#include "runtime/gen_server.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// The chaos process ("Demo.Chaos"): at `rate` kills per second (exponentially spaced) it picks a
/// random worker below the supervisor registered as rootName and sends it an exit signal with reason
/// `chaos`. Supervisors are never targeted; the tree has to heal itself.
class ChaosMonkey : public GenServer {
public:
    /// Kills counts the exit signals sent (shared with whoever reports progress).
    ChaosMonkey(std::string rootName, double rate, std::uint64_t seed, std::shared_ptr<std::atomic<std::uint64_t>> kills);

    /// Starts it from a plain thread, registered as "Demo.Chaos"; empty Pid when rate <= 0.
    static Pid start(Runtime& rt, std::string rootName, double rate, std::uint64_t seed,
                     std::shared_ptr<std::atomic<std::uint64_t>> kills);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Demo.Chaos:init/1"; }

private:
    void scheduleNext(Context& ctx);

    std::string m_rootName;
    double m_rate;
    DemoRandom m_random;
    std::shared_ptr<std::atomic<std::uint64_t>> m_kills;
};

} // namespace canopy::demo
