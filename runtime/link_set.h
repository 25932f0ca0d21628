#pragma once
#include "runtime/indexed_list.h"
#include "runtime/pid.h"
#include <cstdint>

namespace canopy {

/// The key of a link: the linked process's id.
struct LinkKey {
    std::uint64_t operator()(const Pid& p) const { return p.id(); }
};

/// A process's links in the order they were made (exit signals go out in that order), with O(1)
/// membership and removal once it grows past a few entries (a supervisor links every child).
class LinkSet : public IndexedList<Pid, LinkKey> {};

} // namespace canopy
