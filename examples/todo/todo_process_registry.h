#pragma once
#include "runtime/gen_server.h"
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace canopy::demo {

/// Todo.ProcessRegistry: maps keys ("todo_server:NAME", "database_worker:N") to pids. Registration
/// is a cast; the registry monitors each registered pid and forgets it when it ends.
class TodoProcessRegistry : public GenServer {
public:
    /// Cast: register pid under key (a live holder keeps the key; the newcomer gets RegistryConflict).
    struct Register {
        std::string key;
        Pid pid;
    };
    /// Call: the pid under key (an empty Pid when none).
    struct WhereIs {
        std::string key;
    };
    /// Sent to a process whose Register lost against a live holder of the key.
    struct RegistryConflict {
        std::string key;
    };

    /// The registered name of the registry.
    static constexpr const char* kName = "Todo.ProcessRegistry";

    /// starts counts each start (restarts included).
    explicit TodoProcessRegistry(std::shared_ptr<std::atomic<std::uint64_t>> starts);

    /// Registers ctx.self() under key (from process code; nothing happens when the registry is down).
    static void registerSelf(Context& ctx, std::string key);
    /// Looks key up from process code; then gets an empty Pid when absent or the registry is down.
    static void whereIs(Context& ctx, std::string key, std::function<void(Context&, Pid)> then);

    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override;
    ServerResult handleCast(Context& ctx, Message& request) override;
    ServerResult handleInfo(Context& ctx, Message& msg) override;
    std::string initialCall() const override { return "Todo.ProcessRegistry:init/1"; }

private:
    std::shared_ptr<std::atomic<std::uint64_t>> m_starts;
    std::unordered_map<std::string, Pid> m_byKey;
    std::unordered_map<std::uint64_t, std::string> m_keyOf;
};

} // namespace canopy::demo
