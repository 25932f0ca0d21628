#pragma once
#include "examples/common/demo_random.h"
#include "examples/hangman/hangman_stats.h"
#include "runtime/gen_server.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace canopy::demo {

/// Hangman.Dictionary: the word service games draw their secret word from.
class HangmanDictionary : public GenServer {
public:
    /// Call: a random word (std::string).
    struct RandomWord {};

    /// The registered name.
    static constexpr const char* kName = "Hangman.Dictionary";

    HangmanDictionary(std::uint64_t seed, std::shared_ptr<HangmanStats> stats);

    /// Every word the dictionary may hand out (players may know it too).
    static const std::vector<std::string>& words();

    /// Asks for a word from process code; then gets "" when the dictionary is unavailable.
    static void randomWord(Context& ctx, std::function<void(Context&, std::string)> then);

    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    std::string initialCall() const override { return "Hangman.Dictionary:init/1"; }

private:
    DemoRandom m_random;
    std::shared_ptr<HangmanStats> m_stats;
};

} // namespace canopy::demo
