#pragma once
#include "runtime/context.h"
#include "runtime/message.h"
#include "runtime/runtime.h"
#include "runtime/start_result.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/register_result.h"
#include "runtime/supervision/registry_entry.h"
#include "runtime/supervision/registry_event.h"
#include "runtime/supervision/registry_options.h"
#include <any>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace canopy {

/// Elixir's Registry: a local key/value process store. `start`/`startLink` start a supervisor
/// registered under options.name (one_for_all over the partitions for unique keys, one_for_one for
/// duplicate keys); each partition traps exits and is linked to the processes registered in it.
/// Registering adds an entry for the *calling* process; its entries go away (asynchronously) when it
/// exits. Queries read the shared table directly, without messaging (as ETS does).
class Registry {
public:
    /// Registry.start_link from process code.
    static StartResult startLink(Context& ctx, RegistryOptions options);
    /// Starts a registry from a plain thread.
    static StartResult start(Runtime& rt, RegistryOptions options);
    /// A child spec for a registry (type supervisor, id = name).
    static ChildSpec childSpec(RegistryOptions options);

    /// register/3: the caller registers key with value and links to its partition. Unique: a key
    /// held by a live process (the caller included) → AlreadyRegistered with the owner.
    static RegisterResult registerKey(Context& ctx, std::string_view registry, std::string key, std::any value = {});
    /// unregister/2: removes the caller's entries for key; always ok; listeners are notified.
    static void unregisterKey(Context& ctx, std::string_view registry, const std::string& key);
    /// update_value/3 (unique only, owner only): `{new, old}`, or nullopt for `:error`.
    static std::optional<std::pair<std::any, std::any>> updateValue(Context& ctx, std::string_view registry,
                                                                      const std::string& key,
                                                                      const std::function<std::any(const std::any&)>& fn);

    /// lookup/2: `[{pid, value}]` (unordered; may briefly include a pid that just exited).
    static std::vector<RegistryEntry> lookup(const Runtime& rt, std::string_view registry, const std::string& key);
    /// match/4 with the pattern as a predicate over the value.
    static std::vector<RegistryEntry> match(const Runtime& rt, std::string_view registry, const std::string& key,
                                            const std::function<bool(const std::any&)>& pattern);
    /// select/2 with the match spec as a predicate over `{key, pid, value}`.
    static std::vector<RegistryEntry> select(const Runtime& rt, std::string_view registry,
                                             const std::function<bool(const RegistryEntry&)>& spec);
    /// count/1: all entries.
    static std::size_t count(const Runtime& rt, std::string_view registry);
    /// count_match/4.
    static std::size_t countMatch(const Runtime& rt, std::string_view registry, const std::string& key,
                                  const std::function<bool(const std::any&)>& pattern);
    /// count_select/2.
    static std::size_t countSelect(const Runtime& rt, std::string_view registry,
                                   const std::function<bool(const RegistryEntry&)>& spec);
    /// keys/2: the keys pid registered.
    static std::vector<std::string> keys(const Runtime& rt, std::string_view registry, const Pid& pid);
    /// dispatch/3: fn gets the entries of key — unique: at most once; duplicate: once per partition
    /// that has entries, never with an empty list.
    static void dispatch(const Runtime& rt, std::string_view registry, const std::string& key,
                         const std::function<void(const std::vector<RegistryEntry>&)>& fn);

    // --- via names ({:via, Registry, {R, key}}) ---
    /// register_name/2, run by the process being named (e.g. in its init): true = `:yes`.
    static bool registerName(Context& ctx, std::string_view registry, std::string key, std::any value = {});
    /// whereis_name/1: the owner of a unique key (empty Pid = `:undefined`).
    static Pid whereisName(const Runtime& rt, std::string_view registry, const std::string& key);
    /// send/2 to a via name: false when the name is missing (Elixir raises badarg).
    static bool send(Runtime& rt, std::string_view registry, const std::string& key, Message msg);
    /// A GenServer start function that names the server {registry, key} via the registry: the
    /// server registers itself before its init; a taken name → `{error,{already_started,Pid}}`.
    static ChildSpec::StartFn viaStart(std::string registry, std::string key,
                                       std::function<std::unique_ptr<GenServer>()> factory);
};

} // namespace canopy
