#include "app/canopyctl/target_spec.h"
#include "introspection/snapshot_loader.h"
#include <cmath>
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

} // namespace canopy::app
