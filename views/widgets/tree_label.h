#pragma once
#include <QString>
#include <string>

namespace canopy::views {

/// How a process or herd is named on the tree canvas, as people label hand-drawn supervision
/// diagrams: `Todo.Server`, not `Todo.Server:init/1` nor `'Elixir.Todo.Server':init/1`.
class TreeLabel {
public:
    /// Labels longer than this many characters are shortened in the middle with `…`.
    static constexpr int kMaxLength = 48;

    /// The label for a DiagramNode title or a display name: quotes and the `Elixir.` prefix removed,
    /// a trailing `:function/arity` dropped, shortened to kMaxLength; never empty (`?`).
    static QString fromTitle(const std::string& title);
};

} // namespace canopy::views
