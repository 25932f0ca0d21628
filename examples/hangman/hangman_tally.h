#pragma once
#include <string>

namespace canopy::demo {

/// What a hangman game tells its player after a guess (the word masked, turns left, outcome).
struct HangmanTally {
    /// The state of the game.
    enum class State : unsigned char { Playing, Won, Lost };
    State state = State::Playing;
    /// The word with unguessed letters as '_'.
    std::string pattern;
    int turnsLeft = 0;
    /// The guessed letter had been guessed before (no turn lost).
    bool alreadyUsed = false;
};

} // namespace canopy::demo
