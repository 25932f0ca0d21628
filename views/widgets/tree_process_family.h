#pragma once
#include "introspection/process_family.h"
#include "introspection/process_record.h"

#include <string>

namespace canopy::views {

/// The spec family of a process, as DiagramTree groups herds (the one rule:
/// introspection/process_family.h).
inline std::string treeFamilyOf(const introspection::ProcessRecord& r) { return introspection::familyOf(r); }

} // namespace canopy::views
