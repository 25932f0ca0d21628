#pragma once
#include "examples/hangman/hangman_stats.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// Hangman.Driver (outside the tree): the lobby. Every intervalMs it counts the games under
/// Hangman.GameSupervisor and, below `tables` games, starts a pair: a Hangman.Game under
/// Hangman.GameSupervisor and its Hangman.Player under Hangman.PlayerSupervisor.
class HangmanDriver : public GenServer {
public:
    HangmanDriver(int tables, std::int64_t intervalMs, std::int64_t thinkMs, std::uint64_t seed,
                  std::shared_ptr<HangmanStats> stats);

    /// Starts it from a plain thread, registered as "Hangman.Driver".
    static Pid start(Runtime& rt, int tables, std::int64_t intervalMs, std::int64_t thinkMs, std::uint64_t seed,
                     std::shared_ptr<HangmanStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Hangman.Driver:init/1"; }

private:
    void startPair(Context& ctx, int missing);
    void scheduleNext(Context& ctx);

    int m_tables;
    std::int64_t m_intervalMs;
    std::int64_t m_thinkMs;
    std::uint64_t m_seed;
    std::shared_ptr<HangmanStats> m_stats;
    std::uint64_t m_matches = 0;
};

} // namespace canopy::demo
