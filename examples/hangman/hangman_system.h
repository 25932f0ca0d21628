#pragma once
#include "examples/common/demo_system.h"
#include "examples/hangman/hangman_stats.h"
#include <memory>
#include <string>

namespace canopy::demo {

/// The hangman system: Hangman.Supervisor (one_for_one) → Hangman.Dictionary,
/// Hangman.GameSupervisor (dynamic) → Hangman.Game per match, Hangman.PlayerSupervisor (dynamic) →
/// Hangman.Player per match; Hangman.Driver starts games and players in pairs.
class HangmanSystem : public DemoSystem {
public:
    HangmanSystem();
    ~HangmanSystem() override;

    std::string name() const override { return "hangman"; }
    std::string rootName() const override { return "Hangman.Supervisor"; }
    std::vector<DemoCounter> counters() const override;

protected:
    StartResult startTree(Runtime& rt, const DemoConfig& config) override;
    Pid startDriver(Runtime& rt, const DemoConfig& config) override;

private:
    std::shared_ptr<HangmanStats> m_stats;
};

} // namespace canopy::demo
