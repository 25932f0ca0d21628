#pragma once
#include "runtime/context.h"
#include "runtime/runtime.h"
#include "runtime/supervision/child_spec.h"
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace canopy {

/// PartitionSupervisor options (Elixir 1.14).
struct PartitionSupervisorOptions {
    /// Registered name of the supervisor ("" = none).
    std::string name;
    /// `partitions:` (default: hardware threads, as System.schedulers_online()).
    int partitions = 0;
    /// The child spec of partition i (ids are replaced by "0".."N-1").
    std::function<ChildSpec(int partition)> childSpec;
    int maxRestarts = 3;
    int maxSeconds = 5;
};

/// Elixir's PartitionSupervisor: N copies of one child under a one_for_one supervisor (3 / 5),
/// ids 0..N-1; a key picks a partition (integer: rem(abs(key), N); other keys: a hash mod N).
class PartitionSupervisor {
public:
    /// start_link from process code.
    static StartResult startLink(Context& ctx, PartitionSupervisorOptions options);
    /// Starts one from a plain thread.
    static StartResult start(Runtime& rt, PartitionSupervisorOptions options);
    /// The partition of an integer key: rem(abs(key), N).
    static int partitionOf(std::int64_t key, int partitions);
    /// The partition of any other key (stable hash mod N; Elixir uses phash2).
    static int partitionOf(std::string_view key, int partitions);
    /// The pid of the partition a key routes to (`{:via, PartitionSupervisor, {name, key}}`); empty
    /// when that partition is not running.
    static Pid whereis(Runtime& rt, const Pid& sup, std::int64_t key);
    static Pid whereis(Runtime& rt, const Pid& sup, std::string_view key);
    /// The number of partitions of a running partition supervisor.
    static int partitions(Runtime& rt, const Pid& sup);
};

} // namespace canopy
