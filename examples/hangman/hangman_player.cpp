#include "examples/hangman/hangman_player.h"
#include "examples/hangman/hangman_dictionary.h"
#include "examples/hangman/hangman_game.h"
#include <array>
#include "examples/hangman/hangman_tally.h"

namespace canopy::demo {

namespace {
/// Time to make the next guess.
struct Move {};
/// The match is over (won, lost or the game is gone): stop normally.
struct MatchOver {};
} // namespace

HangmanPlayer::HangmanPlayer(Pid game, std::int64_t thinkMs, std::uint64_t seed, std::shared_ptr<HangmanStats> stats)
    : m_game(std::move(game)), m_thinkMs(thinkMs), m_random(seed, 0x9A7E + m_game.id()), m_stats(std::move(stats)) {}

InitResult HangmanPlayer::init(Context& ctx) {
    m_stats->playerStarts.fetch_add(1, std::memory_order_relaxed);
    think(ctx);
    return InitResult::ok();
}

void HangmanPlayer::think(Context& ctx) {
    ctx.sendAfter(m_random.between(m_thinkMs / 2, m_thinkMs * 3 / 2), ctx.self(), Message::of(Move{}));
}

char HangmanPlayer::nextLetter() {
    char c = 0;
    if (!m_pattern.empty() && m_random.chance(0.7)) {
        // The most common unguessed letter among the words that fit the pattern and the misses.
        std::array<int, 26> counts{};
        for (const std::string& w : HangmanDictionary::words()) {
            if (w.size() != m_pattern.size())
                continue;
            bool fits = true;
            for (std::size_t i = 0; i < w.size() && fits; ++i)
                fits = m_pattern[i] == '_' ? m_guessed.find(w[i]) == std::string::npos : m_pattern[i] == w[i];
            if (!fits)
                continue;
            for (std::size_t i = 0; i < w.size(); ++i)
                if (m_pattern[i] == '_' && w[i] >= 'a' && w[i] <= 'z')
                    ++counts[static_cast<std::size_t>(w[i] - 'a')];
        }
        int best = 0;
        for (std::size_t i = 0; i < counts.size(); ++i)
            if (counts[i] > best) {
                best = counts[i];
                c = static_cast<char>('a' + i);
            }
    }
    if (c == 0) {
        // Plain frequency order, sometimes one of the next few letters.
        std::size_t window = std::min<std::size_t>(m_remaining.size(), 6);
        std::size_t pick = m_random.chance(0.75) ? 0 : static_cast<std::size_t>(m_random.between(0, static_cast<std::int64_t>(window) - 1));
        c = m_remaining[pick];
    }
    if (auto at = m_remaining.find(c); at != std::string::npos)
        m_remaining.erase(at, 1);
    m_guessed += c;
    return c;
}

ServerResult HangmanPlayer::handleInfo(Context& ctx, Message& msg) {
    if (msg.is<MatchOver>())
        return ServerResult::stop(ExitReason::normal());
    if (!msg.is<Move>() || m_remaining.empty())
        return ServerResult::noreply();
    m_stats->guesses.fetch_add(1, std::memory_order_relaxed);
    ctx.tryCall(m_game, Message::of(HangmanGame::Guess{nextLetter()}), 2000, [this](Context& c, CallOutcome o) {
        if (!o.ok() || !o.reply.is<HangmanTally>()) {
            c.send(c.self(), MatchOver{}); // the game is gone: nothing left to play
            return;
        }
        const HangmanTally& t = o.reply.as<HangmanTally>();
        if (t.pattern.empty() && !m_guessed.empty()) {
            // The game has no word yet: the guess did not count, keep the letter for later.
            m_remaining.insert(m_remaining.begin(), m_guessed.back());
            m_guessed.pop_back();
            think(c);
            return;
        }
        m_pattern = t.pattern;
        if (t.state == HangmanTally::State::Won) {
            m_stats->gamesWon.fetch_add(1, std::memory_order_relaxed);
            c.send(c.self(), MatchOver{});
        } else if (t.state == HangmanTally::State::Lost) {
            m_stats->gamesLost.fetch_add(1, std::memory_order_relaxed);
            c.send(c.self(), MatchOver{});
        } else if (t.alreadyUsed) {
            c.send(c.self(), Move{}); // known letter (we were restarted): no need to think
        } else {
            think(c);
        }
    });
    return ServerResult::noreply();
}

} // namespace canopy::demo
