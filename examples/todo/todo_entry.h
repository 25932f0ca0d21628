#pragma once
#include <string>

namespace canopy::demo {

/// One entry of a to-do list (Elixir in Action's %{id, date, title}).
struct TodoEntry {
    int id = 0;
    std::string date;
    std::string title;
};

} // namespace canopy::demo
