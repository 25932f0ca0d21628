#pragma once
#include "runtime/exit_reason.h"
#include "runtime/pid.h"
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace canopy {

/// The trace of one scenario run plus the bookkeeping the runner, its workers and its event sink
/// share: which pid is which path, pending start failures, which stops were already recorded.
/// Thread-safe (one mutex); in manual mode everything runs on the runner's thread anyway.
class ScenarioTrace {
public:
    /// What a path names.
    enum class Kind : std::uint8_t { Worker, Supervisor, DynamicSupervisor };

    /// Appends one trace line (compact JSON, keys in the oracle's order).
    void add(std::string line);
    /// The trace so far.
    std::vector<std::string> lines() const;

    /// Records `{"event":E,"path":P}` (start, start_failed, start_ignored, sup_start).
    void event(const std::string& name, const std::string& path);
    /// Records `{"event":E,"path":P,"reason":R}` (stop, sup_stop).
    void event(const std::string& name, const std::string& path, const ExitReason& reason);
    /// Records `{"event":"report",...}`.
    void report(const std::string& context, const std::string& supervisor, const std::string& child,
                const std::string& reason);
    /// Records `{"event":"result","step":N,"value":V}`.
    void result(int step, const std::string& value);

    /// Maps a freshly started process to its path (the newest pid wins the path, as in the oracle).
    void bind(const Pid& pid, const std::string& path, Kind kind);
    /// The newest pid bound to path (empty if none).
    Pid pidOf(const std::string& path) const;
    /// The path of a pid ("?" if unknown).
    std::string pathOf(std::uint64_t pid) const;
    /// True when the pid was bound (and so is traced).
    bool known(std::uint64_t pid, Kind* kind = nullptr) const;
    /// Paths whose newest pid is one of pids (the oracle's final-tree lookup for dynamic children).
    std::vector<std::string> pathsOf(const std::set<std::uint64_t>& pids) const;

    /// From now on the pid's end is recorded by the event sink when nobody recorded it first.
    void watch(std::uint64_t pid);
    /// Takes the pid off the watch list; true if it was on it (its end is not recorded yet).
    bool unwatch(std::uint64_t pid);

    /// fail_next_starts: the next count starts of path fail in init.
    void failNextStarts(const std::string& path, int count);
    /// Consumes one pending failure of path; true if this start must fail.
    bool takeFailure(const std::string& path);

    /// The oracle's reason text: normal, shutdown ({shutdown,_} too), killed, an atom-like word, or
    /// `error` for anything else.
    static std::string reasonText(const ExitReason& reason);

private:
    struct Bound {
        std::string path;
        Kind kind;
    };
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
    std::map<std::string, Pid> m_pathToPid;
    std::unordered_map<std::uint64_t, Bound> m_pidToPath;
    std::set<std::uint64_t> m_watched;
    std::map<std::string, int> m_failures;
};

} // namespace canopy
