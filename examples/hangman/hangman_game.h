#pragma once
#include "examples/hangman/hangman_stats.h"
#include "examples/hangman/hangman_tally.h"
#include "runtime/gen_server.h"
#include <cstdint>
#include <memory>
#include <set>
#include <string>

namespace canopy::demo {

/// Hangman.Game: the game server of one match (a transient child of Hangman.GameSupervisor). Draws
/// its word from Hangman.Dictionary after init (retrying while the dictionary is down), answers guesses with a HangmanTally, stops normally
/// once won or lost, or after idleMs without a guess (its player is gone).
class HangmanGame : public GenServer {
public:
    /// Call: guess a letter; replies HangmanTally.
    struct Guess {
        char letter = 'e';
    };
    /// Call: the current HangmanTally without guessing.
    struct Tally {};

    HangmanGame(std::int64_t idleMs, std::shared_ptr<HangmanStats> stats);

    InitResult init(Context& ctx) override;
    ServerResult handleContinue(Context& ctx, Message& cont) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Hangman.Game:init/1"; }

private:
    HangmanTally tally(bool alreadyUsed) const;
    void drawWord(Context& ctx);

    std::int64_t m_idleMs;
    std::shared_ptr<HangmanStats> m_stats;
    std::string m_word;
    std::set<char> m_used;
    int m_turnsLeft = 7;
};

} // namespace canopy::demo
