#pragma once
#include "introspection/process_record.h"
#include <string>

namespace canopy::introspection {

/// The spec family of a process — the key that groups same-spec children into a herd (exports and
/// the app group exactly alike): its initial call's module (`Todo.Server:init/1` -> `Todo.Server`),
/// else its display name with a trailing number stripped (`worker_12` -> `worker`).
std::string familyOf(const ProcessRecord& record);

} // namespace canopy::introspection
