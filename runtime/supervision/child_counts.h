#pragma once

namespace canopy {

/// count_children: `[{specs,N},{active,A},{supervisors,S},{workers,W}]`. active = children whose
/// pid is alive (restarting children count in specs, not active).
struct ChildCounts {
    int specs = 0;
    int active = 0;
    int supervisors = 0;
    int workers = 0;
};

} // namespace canopy
