#include "app/canopyctl/target_spec.h"
#include "introspection/snapshot_loader.h"
#include <cmath>
#include <iostream>
#include <vector>
#include <cstdlib>

namespace canopy::app {

introspection::Result<TargetSpec> TargetSpec::parse(const std::string& text) {
    using R = introspection::Result<TargetSpec>;
    if (text.empty()) return R::failure("empty target (expected host:port or a session file)");
    TargetSpec spec;
    spec.source = text;
    auto at = text.rfind('@');
    if (at == std::string::npos || introspection::isFileSource(text)) return spec;
    std::string t = text.substr(at + 1);
    char* end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size())
        return R::failure("'" + text + "': the time after '@' must be seconds, e.g. " + text.substr(0, at) + "@12.5");
    if (!std::isfinite(v) || v < 0) return R::failure("'" + text + "': time must be >= 0 seconds");
    spec.source = text.substr(0, at);
    spec.atSeconds = v;
    return spec;
}

introspection::Result<introspection::TreeSnapshot> loadTarget(const TargetSpec& spec, const GlobalOptions& global) {
    introspection::LoadOptions o;
    o.atSeconds = spec.atSeconds;
    o.token = global.token;
    o.tokenFile = global.tokenFile;
    o.timeoutMs = global.timeoutMs;
    std::vector<std::string> warnings;
    o.warnings = &warnings;
    auto r = introspection::loadSnapshot(spec.source, o);
    for (const auto& w : warnings) std::cerr << "canopyctl: " << w << "\n";
    return r;
}

} // namespace canopy::app
