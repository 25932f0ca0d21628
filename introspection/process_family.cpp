#include "introspection/process_family.h"
#include <cctype>
#include <string_view>

namespace canopy::introspection {

std::string familyOf(const ProcessRecord& r) {
    if (!r.initialCall.empty()) {
        auto colon = r.initialCall.find(':');
        if (colon != std::string::npos && colon > 0) return r.initialCall.substr(0, colon);
        return r.initialCall;
    }
    std::string name = r.displayName();
    std::size_t end = name.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
    if (end == name.size()) return name;
    while (end > 0 && std::string_view("-_.:# /").find(name[end - 1]) != std::string_view::npos) --end;
    return end == 0 ? name : name.substr(0, end);
}

} // namespace canopy::introspection
