#include "app/canopyctl/session_time_arg.h"
#include <cmath>

namespace canopy::app {

std::optional<std::int64_t> parseSessionTime(const std::string& text) {
    if (text.empty()) return std::nullopt;
    std::size_t pos = 0;
    double value = 0;
    try {
        value = std::stod(text, &pos);
    } catch (...) {
        return std::nullopt;
    }
    const std::string unit = text.substr(pos);
    double scale = 0;
    if (unit.empty() || unit == "s") scale = 1e9;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ns") scale = 1;
    else if (unit == "m" || unit == "min") scale = 60e9;
    else return std::nullopt;
    const double ns = value * scale;
    if (!std::isfinite(ns) || ns < 0 || ns > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(std::llround(ns));
}

std::string sessionTimeError(const std::string& what, const std::string& text) {
    return what + " '" + text + "' is not a time (e.g. 12.5s, 1500ms, 2m, or plain seconds)";
}

void addSessionTimeOption(CLI::App* cmd, std::shared_ptr<double> atSeconds) {
    cmd->add_option_function<std::string>(
        "--at",
        [atSeconds](const std::string& text) {
            auto ns = parseSessionTime(text);
            if (!ns) throw CLI::ValidationError(sessionTimeError("--at", text));
            *atSeconds = double(*ns) / 1e9;
        },
        "Moment of a session file, e.g. 12.5s, 1500ms, 2m, or plain seconds (default: the end)");
}

} // namespace canopy::app
