#pragma once
#include <cstdint>
#include <string_view>

namespace canopy {

/// Scheduling state of a process as an observer sees it. (External marks the stand-in process a
/// plain thread waits through in Runtime::call / awaitExit: never scheduled, never listed.)
enum class ProcessStatus : std::uint8_t { Waiting, Runnable, Running, Exiting, Dead, External };

/// `waiting`, `runnable`, `running`, `exiting`, `dead`.
inline std::string_view toString(ProcessStatus s) {
    switch (s) {
    case ProcessStatus::Waiting: return "waiting";
    case ProcessStatus::Runnable: return "runnable";
    case ProcessStatus::Running: return "running";
    case ProcessStatus::Exiting: return "exiting";
    default: return "dead";
    }
}

} // namespace canopy
