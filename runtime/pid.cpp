#include "runtime/pid.h"

namespace canopy {

std::string Pid::format(std::uint64_t id) { return "<0." + std::to_string(id) + ".0>"; }

std::string Pid::toString() const { return m_anchor ? format(m_anchor->id) : "undefined"; }

} // namespace canopy
