#include "app/canopyctl/target_spec.h"
#include "app/canopyctl/session_time_arg.h"
#include "app/canopyctl/token_input.h"
#include "introspection/live_source.h"
#include "introspection/snapshot_loader.h"
#include "introspection/token_file.h"
#include <cmath>
#include <iostream>
#include <vector>
#include <cstdlib>
#include <string_view>

namespace canopy::app {

introspection::Result<TargetSpec> TargetSpec::parse(const std::string& text) {
    using R = introspection::Result<TargetSpec>;
    if (text.empty()) return R::failure("empty target (expected host:port or a session file)");
    TargetSpec spec;
    spec.source = text;
    auto at = text.rfind('@');
    if (at == std::string::npos || introspection::isFileSource(text)) return spec;
    const std::string t = text.substr(at + 1);
    const auto ns = parseSessionTime(t);
    if (!ns)
        return R::failure("'" + text + "': the time after '@' must be a moment of the session, e.g. " + text.substr(0, at) +
                          "@12.5s, @1500ms or @12.5 (seconds)");
    spec.source = text.substr(0, at);
    spec.atSeconds = double(*ns) / 1e9;
    return spec;
}

introspection::Result<introspection::TreeSnapshot> loadTarget(const TargetSpec& spec, const GlobalOptions& global) {
    introspection::LoadOptions o;
    o.atSeconds = spec.atSeconds;
    o.timeoutMs = global.timeoutMs;
    if (!introspection::isFileSource(spec.source) && introspection::LiveSource::parseHostPort(spec.source).ok()) {
        auto token = globalToken(global);
        if (!token.ok()) return introspection::Result<introspection::TreeSnapshot>::failure(token.error());
        o.token = *token;
    }
    std::vector<std::string> warnings;
    o.warnings = &warnings;
    auto r = introspection::loadSnapshot(spec.source, o);
    reportWarnings(warnings);
    return r;
}

introspection::Result<std::string> globalToken(const GlobalOptions& global) {
    if (global.tokenStdin || global.tokenFd >= 0) return TokenInput::read(global.tokenStdin, global.tokenFd);
    return introspection::resolveToken(global.token, global.tokenFile);
}

int reportError(const std::string& message) {
    std::cerr << "canopyctl: error: " << message << "\n";
    return 1;
}

void reportWarnings(const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) {
        std::string_view text = w;
        if (text.rfind("warning: ", 0) == 0) text.remove_prefix(9);
        std::cerr << "canopyctl: warning: " << text << "\n";
    }
}

} // namespace canopy::app
