#include "examples/hangman/hangman_game.h"
#include "examples/hangman/hangman_dictionary.h"

namespace canopy::demo {

namespace {
/// handle_continue: draw the word.
struct DrawWord {};
} // namespace

HangmanGame::HangmanGame(std::int64_t idleMs, std::shared_ptr<HangmanStats> stats)
    : m_idleMs(idleMs), m_stats(std::move(stats)) {}

InitResult HangmanGame::init(Context&) {
    m_stats->gameStarts.fetch_add(1, std::memory_order_relaxed);
    return InitResult::continueWith(Message::of(DrawWord{}));
}

ServerResult HangmanGame::handleContinue(Context& ctx, Message& cont) {
    if (cont.is<DrawWord>())
        drawWord(ctx);
    return ServerResult::noreply().withTimeout(m_idleMs);
}

void HangmanGame::drawWord(Context& ctx) {
    HangmanDictionary::randomWord(ctx, [this](Context& c, std::string word) {
        if (word.empty())
            c.sendAfter(100, c.self(), Message::of(DrawWord{})); // the dictionary is restarting: try again
        else
            m_word = std::move(word);
    });
}

HangmanTally HangmanGame::tally(bool alreadyUsed) const {
    HangmanTally t;
    t.turnsLeft = m_turnsLeft;
    t.alreadyUsed = alreadyUsed;
    bool complete = true;
    for (char c : m_word) {
        bool known = m_used.count(c) > 0;
        t.pattern += known ? c : '_';
        complete = complete && known;
    }
    if (m_word.empty())
        return t; // not drawn yet: still playing, empty pattern
    t.state = complete ? HangmanTally::State::Won : m_turnsLeft <= 0 ? HangmanTally::State::Lost : HangmanTally::State::Playing;
    return t;
}

ServerResult HangmanGame::handleCall(Context&, Message& request, const From&) {
    if (m_word.empty()) // no word drawn yet: nothing to guess against
        return ServerResult::replyWith(tally(false)).withTimeout(m_idleMs);
    if (auto* g = request.tryAs<Guess>()) {
        bool used = !m_used.insert(g->letter).second;
        if (!used && m_word.find(g->letter) == std::string::npos)
            --m_turnsLeft;
        HangmanTally t = tally(used);
        if (t.state != HangmanTally::State::Playing)
            return ServerResult::stop(ExitReason::normal(), Message::of(std::move(t)));
        return ServerResult::replyWith(std::move(t)).withTimeout(m_idleMs);
    }
    return ServerResult::replyWith(tally(false)).withTimeout(m_idleMs);
}

ServerResult HangmanGame::handleInfo(Context& ctx, Message& msg) {
    if (msg.is<DrawWord>() && m_word.empty())
        drawWord(ctx);
    if (msg.is<ServerTimeout>()) {
        m_stats->gamesAbandoned.fetch_add(1, std::memory_order_relaxed);
        return ServerResult::stop(ExitReason::normal());
    }
    return ServerResult::noreply().withTimeout(m_idleMs);
}

} // namespace canopy::demo
