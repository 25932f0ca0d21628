#pragma once
#include <atomic>
#include <cstdint>

namespace canopy::demo {

/// Progress counters of the hangman system, shared by its processes (relaxed atomics).
struct HangmanStats {
    std::atomic<std::uint64_t> matchesStarted{0};
    std::atomic<std::uint64_t> gamesWon{0};
    std::atomic<std::uint64_t> gamesLost{0};
    std::atomic<std::uint64_t> gamesAbandoned{0};
    std::atomic<std::uint64_t> guesses{0};
    std::atomic<std::uint64_t> wordsServed{0};
    std::atomic<std::uint64_t> dictionaryStarts{0};
    std::atomic<std::uint64_t> gameStarts{0};
    std::atomic<std::uint64_t> playerStarts{0};
};

} // namespace canopy::demo
