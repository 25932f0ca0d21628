#pragma once
#include "introspection/process_record.h"

#include <cctype>
#include <string>
#include <string_view>

namespace canopy::views {

// TODO(session 3): switch to introspection/process_family.h once the core helper's public familyOf
// lands in main; this is a copy of views/export/diagram_tree.cpp's rule and must stay identical.

/// The spec family of a process, as DiagramTree groups herds: its initial call's module
/// (`Todo.Server:init/1` -> `Todo.Server`), else its display name with a trailing number stripped.
inline std::string treeFamilyOf(const introspection::ProcessRecord& r) {
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

} // namespace canopy::views
