#include "examples/hangman/hangman_driver.h"
#include "examples/hangman/hangman_game.h"
#include "examples/hangman/hangman_player.h"
#include "runtime/runtime.h"
#include "runtime/supervision/dynamic_supervisor.h"
#include "runtime/supervision/supervisor.h"

namespace canopy::demo {

namespace {
/// The driver's timer message.
struct LobbyTick {};
constexpr std::int64_t kGameIdleMs = 3000;
} // namespace

HangmanDriver::HangmanDriver(int tables, std::int64_t intervalMs, std::int64_t thinkMs, std::uint64_t seed,
                             std::shared_ptr<HangmanStats> stats)
    : m_tables(tables), m_intervalMs(intervalMs), m_thinkMs(thinkMs), m_seed(seed), m_stats(std::move(stats)) {}

Pid HangmanDriver::start(Runtime& rt, int tables, std::int64_t intervalMs, std::int64_t thinkMs, std::uint64_t seed,
                         std::shared_ptr<HangmanStats> stats) {
    ServerOptions o;
    o.name = "Hangman.Driver";
    StartResult r =
        rt.startServer(std::make_unique<HangmanDriver>(tables, intervalMs, thinkMs, seed, std::move(stats)), o);
    return r.isOk() ? r.pid : Pid();
}

InitResult HangmanDriver::init(Context& ctx) {
    scheduleNext(ctx);
    return InitResult::ok();
}

void HangmanDriver::scheduleNext(Context& ctx) { ctx.sendAfter(m_intervalMs, ctx.self(), Message::of(LobbyTick{})); }

ServerResult HangmanDriver::handleInfo(Context& ctx, Message& msg) {
    if (!msg.is<LobbyTick>())
        return ServerResult::noreply();
    Pid games = ctx.whereis("Hangman.GameSupervisor");
    if (!games || !ctx.whereis("Hangman.PlayerSupervisor")) {
        scheduleNext(ctx);
        return ServerResult::noreply();
    }
    Supervisor::countChildren(ctx, games, [this](Context& c, ChildCounts n) { startPair(c, m_tables - n.active); });
    return ServerResult::noreply();
}

void HangmanDriver::startPair(Context& ctx, int missing) {
    Pid games = ctx.whereis("Hangman.GameSupervisor");
    Pid players = ctx.whereis("Hangman.PlayerSupervisor");
    if (missing <= 0 || !games || !players) {
        scheduleNext(ctx);
        return;
    }
    auto stats = m_stats;
    ChildSpec game;
    game.id = "Hangman.Game";
    game.restart = Restart::Transient;
    game.start = [stats](Context& sc) {
        return sc.startLink(std::make_unique<HangmanGame>(kGameIdleMs, stats), ChildSpec::startOptions());
    };
    DynamicSupervisor::startChild(ctx, games, std::move(game), [this, players, missing, stats](Context& c, ChildResult r) {
        if (!r.ok() || !r.pid) {
            scheduleNext(c);
            return;
        }
        std::uint64_t seed = m_seed + ++m_matches;
        std::int64_t think = m_thinkMs;
        Pid gamePid = r.pid;
        ChildSpec player;
        player.id = "Hangman.Player";
        player.restart = Restart::Transient;
        player.start = [gamePid, think, seed, stats](Context& sc) {
            return sc.startLink(std::make_unique<HangmanPlayer>(gamePid, think, seed, stats), ChildSpec::startOptions());
        };
        DynamicSupervisor::startChild(c, players, std::move(player), [this, missing](Context& c2, ChildResult) {
            m_stats->matchesStarted.fetch_add(1, std::memory_order_relaxed);
            startPair(c2, missing - 1);
        });
    });
}

} // namespace canopy::demo
