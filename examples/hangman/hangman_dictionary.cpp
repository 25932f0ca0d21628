#include "examples/hangman/hangman_dictionary.h"
#include <array>

namespace canopy::demo {

namespace {
constexpr std::array<const char*, 40> kWords{
    "supervisor", "process",  "mailbox",   "monitor",  "actor",    "erlang",    "elixir",    "restart",
    "strategy",   "transient", "permanent", "temporary", "registry", "scheduler", "message",  "signal",
    "canopy",     "observer", "timeline",  "keyframe", "sequence", "intensity", "shutdown", "dynamic",
    "worker",     "linked",   "genserver", "callback", "continuation", "runtime", "probe",    "session",
    "diagram",    "branch",   "leaf",      "forest",   "banana",   "octopus",   "quartz",   "jigsaw"};
} // namespace

const std::vector<std::string>& HangmanDictionary::words() {
    static const std::vector<std::string> all(kWords.begin(), kWords.end());
    return all;
}

HangmanDictionary::HangmanDictionary(std::uint64_t seed, std::shared_ptr<HangmanStats> stats)
    : m_random(seed, 0xD1C7), m_stats(std::move(stats)) {}

void HangmanDictionary::randomWord(Context& ctx, std::function<void(Context&, std::string)> then) {
    Pid dict = ctx.whereis(kName);
    if (!dict) {
        then(ctx, std::string());
        return;
    }
    ctx.tryCall(dict, Message::of(RandomWord{}), 2000, [then = std::move(then)](Context& c, CallOutcome o) {
        then(c, o.ok() && o.reply.is<std::string>() ? std::move(o.reply.as<std::string>()) : std::string());
    });
}

InitResult HangmanDictionary::init(Context&) {
    m_stats->dictionaryStarts.fetch_add(1, std::memory_order_relaxed);
    return InitResult::ok();
}

ServerResult HangmanDictionary::handleCall(Context&, Message&, const From&) {
    m_stats->wordsServed.fetch_add(1, std::memory_order_relaxed);
    return ServerResult::replyWith(std::string(kWords[static_cast<std::size_t>(m_random.between(0, kWords.size() - 1))]));
}

} // namespace canopy::demo
