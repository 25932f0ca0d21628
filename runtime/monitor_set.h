#pragma once
#include "runtime/indexed_list.h"
#include "runtime/monitor_entry.h"

namespace canopy {

/// A process's monitors (those it holds, or those held on it) by reference, in the order they
/// were made, with O(1) lookup and removal once past a few entries: a DOWN or a demonitor finds
/// its monitor without a scan, however many are outstanding.
class MonitorSet : public IndexedList<MonitorEntry, MonitorKey> {};

} // namespace canopy
