#include "runtime/supervision/partition_supervisor.h"
#include "runtime/supervision/supervisor.h"
#include <thread>

namespace canopy {

namespace {

SupervisorSpec partitionSpec(const PartitionSupervisorOptions& o) {
    SupervisorSpec spec;
    spec.flags.strategy = Strategy::OneForOne;
    spec.flags.maxRestarts = o.maxRestarts;
    spec.flags.maxSeconds = o.maxSeconds;
    int n = o.partitions > 0 ? o.partitions : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
        ChildSpec c = o.childSpec ? o.childSpec(i) : ChildSpec{};
        c.id = std::to_string(i);
        spec.children.push_back(std::move(c));
    }
    return spec;
}

Pid partitionPid(Runtime& rt, const Pid& sup, int partition) {
    const std::string id = std::to_string(partition);
    for (const ChildInfo& c : Supervisor::whichChildren(rt, sup))
        if (c.id == id)
            return c.pid;
    return Pid();
}

} // namespace

StartResult PartitionSupervisor::startLink(Context& ctx, PartitionSupervisorOptions options) {
    return Supervisor::startLink(ctx, partitionSpec(options), options.name);
}

StartResult PartitionSupervisor::start(Runtime& rt, PartitionSupervisorOptions options) {
    return Supervisor::start(rt, partitionSpec(options), options.name);
}

int PartitionSupervisor::partitionOf(std::int64_t key, int partitions) {
    const std::uint64_t a = key < 0 ? static_cast<std::uint64_t>(-(key + 1)) + 1 : static_cast<std::uint64_t>(key);
    return static_cast<int>(a % static_cast<std::uint64_t>(partitions));
}

int PartitionSupervisor::partitionOf(std::string_view key, int partitions) {
    // FNV-1a: stable across runs and platforms (std::hash is not required to be).
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char ch : key) {
        h ^= ch;
        h *= 1099511628211ull;
    }
    return static_cast<int>(h % static_cast<std::uint64_t>(partitions));
}

int PartitionSupervisor::partitions(Runtime& rt, const Pid& sup) { return Supervisor::countChildren(rt, sup).specs; }

Pid PartitionSupervisor::whereis(Runtime& rt, const Pid& sup, std::int64_t key) {
    const int n = partitions(rt, sup);
    return n > 0 ? partitionPid(rt, sup, partitionOf(key, n)) : Pid();
}

Pid PartitionSupervisor::whereis(Runtime& rt, const Pid& sup, std::string_view key) {
    const int n = partitions(rt, sup);
    return n > 0 ? partitionPid(rt, sup, partitionOf(key, n)) : Pid();
}

} // namespace canopy
