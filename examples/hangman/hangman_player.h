#pragma once
#include "examples/common/demo_random.h"
#include "examples/hangman/hangman_stats.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <string>

namespace canopy::demo {

/// Hangman.Player: a simulated player paired with one game (a transient child of
/// Hangman.PlayerSupervisor). Guesses a letter every thinkMs: usually the most common letter among
/// the dictionary words that fit what it knows, sometimes by plain letter frequency; stops normally when the game ends or is gone. Restarted after a crash, it carries on with
/// the same game (forgetting what it guessed; the game answers "already used" for those).
class HangmanPlayer : public GenServer {
public:
    HangmanPlayer(Pid game, std::int64_t thinkMs, std::uint64_t seed, std::shared_ptr<HangmanStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Hangman.Player:init/1"; }

private:
    char nextLetter();
    void think(Context& ctx);

    Pid m_game;
    std::int64_t m_thinkMs;
    DemoRandom m_random;
    std::shared_ptr<HangmanStats> m_stats;
    std::string m_remaining = "etaoinshrdlcumwfgypbvkjxqz";
    std::string m_pattern;
    std::string m_guessed;
};

} // namespace canopy::demo
