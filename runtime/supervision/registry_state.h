#pragma once
#include "runtime/pid.h"
#include "runtime/supervision/registry_entry.h"
#include "runtime/supervision/registry_options.h"
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace canopy {

class Runtime;

namespace supervision {

/// Internal: the shared table of one registry (Elixir keeps it in ETS, readable by any process
/// without messaging the partitions). One lock; entries remember the partition of their owner.
class RegistryState {
public:
    explicit RegistryState(RegistryOptions options);

    struct Item {
        Pid pid;
        std::any value;
        int partition = 0;
    };

    const RegistryOptions& options() const { return m_options; }
    /// phash2(pid, N).
    int pidPartition(const Pid& pid) const;

    std::mutex lock;
    /// key → entries (unique: at most one).
    std::unordered_map<std::string, std::vector<Item>> byKey;
    /// pid id → keys it registered (one per registration).
    std::unordered_map<std::uint64_t, std::vector<std::string>> keysByPid;
    /// The partition processes (index = partition).
    std::vector<Pid> partitions;

    /// Removes every entry of pid (its partition saw it exit). Caller holds no lock.
    void removeOwner(const Pid& pid);
    /// Drops every entry kept by partition i (the partition restarted with an empty table).
    void clearPartition(int i);

    /// The registry named `name` in runtime `rt` (nullptr if none).
    static std::shared_ptr<RegistryState> find(const Runtime& rt, std::string_view name);
    /// Publishes a registry under its name (replacing a previous one).
    static void publish(const Runtime& rt, std::shared_ptr<RegistryState> state);
    /// Forgets a registry (when its supervisor exits).
    static void forget(const Runtime& rt, std::string_view name, const RegistryState* state);

private:
    RegistryOptions m_options;
};

} // namespace supervision
} // namespace canopy
