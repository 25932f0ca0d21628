#include "examples/hangman/hangman_system.h"
#include "examples/common/child_specs.h"
#include "examples/hangman/hangman_dictionary.h"
#include "examples/hangman/hangman_driver.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"

namespace canopy::demo {

namespace {
constexpr int kDefaultTables = 6;
constexpr std::int64_t kThinkMs = 60;
} // namespace

HangmanSystem::HangmanSystem() : m_stats(std::make_shared<HangmanStats>()) {}

HangmanSystem::~HangmanSystem() { stop(); }

std::vector<DemoCounter> HangmanSystem::counters() const {
    const HangmanStats& s = *m_stats;
    auto v = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    return {{"matches_started", v(s.matchesStarted)}, {"games_won", v(s.gamesWon)},
            {"games_lost", v(s.gamesLost)},           {"games_abandoned", v(s.gamesAbandoned)},
            {"guesses", v(s.guesses)},                {"words_served", v(s.wordsServed)},
            {"dictionary_starts", v(s.dictionaryStarts)}, {"game_starts", v(s.gameStarts)},
            {"player_starts", v(s.playerStarts)}};
}

StartResult HangmanSystem::startTree(Runtime& rt, const DemoConfig& config) {
    auto stats = m_stats;
    std::uint64_t seed = config.seed;
    SupervisorSpec rootSpec;
    rootSpec.flags = {.strategy = Strategy::OneForOne, .maxRestarts = 10, .maxSeconds = 5};
    rootSpec.children.push_back(namedWorker(HangmanDictionary::kName, HangmanDictionary::kName, [seed, stats] {
        return std::make_unique<HangmanDictionary>(seed, stats);
    }));
    DynamicSupervisorOptions dyn;
    dyn.maxRestarts = 20;
    dyn.maxSeconds = 5;
    rootSpec.children.push_back(namedDynamicSupervisor("Hangman.GameSupervisor", dyn));
    rootSpec.children.push_back(namedDynamicSupervisor("Hangman.PlayerSupervisor", dyn));
    return Supervisor::start(rt, std::move(rootSpec), rootName());
}

Pid HangmanSystem::startDriver(Runtime& rt, const DemoConfig& config) {
    int tables = config.size > 0 ? config.size : kDefaultTables;
    std::int64_t interval = config.driverIntervalMs > 0 ? config.driverIntervalMs : 200;
    return HangmanDriver::start(rt, tables, interval, kThinkMs, config.seed, m_stats);
}

} // namespace canopy::demo
