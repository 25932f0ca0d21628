#include "runtime/supervision/registry.h"
#include "runtime/supervision/registry_partition.h"
#include "runtime/supervision/registry_state.h"
#include "runtime/supervision/supervisor.h"
#include "runtime/supervision/via_server.h"

namespace canopy {

using namespace supervision;

namespace {

SupervisorSpec registrySpec(const std::shared_ptr<RegistryState>& st) {
    SupervisorSpec spec;
    spec.flags.strategy =
        st->options().keys == RegistryKeys::Unique ? Strategy::OneForAll : Strategy::OneForOne;
    for (int i = 0; i < st->options().partitions; ++i) {
        ChildSpec c;
        c.id = std::to_string(i);
        c.start = [st, i](Context& ctx) {
            return ctx.startLink(std::make_unique<RegistryPartition>(st, i), ChildSpec::startOptions());
        };
        spec.children.push_back(std::move(c));
    }
    return spec;
}

void notify(Context& ctx, const RegistryState& st, RegistryEvent::Kind kind, const std::string& key,
            const std::any& value) {
    for (const std::string& l : st.options().listeners)
        ctx.sendNamed(l, Message::of(RegistryEvent{kind, st.options().name, key, ctx.self(), value}));
}

} // namespace

StartResult Registry::startLink(Context& ctx, RegistryOptions options) {
    auto st = std::make_shared<RegistryState>(options);
    RegistryState::publish(ctx.runtime(), st);
    return Supervisor::startLink(ctx, registrySpec(st), options.name);
}

StartResult Registry::start(Runtime& rt, RegistryOptions options) {
    auto st = std::make_shared<RegistryState>(options);
    RegistryState::publish(rt, st);
    return Supervisor::start(rt, registrySpec(st), options.name);
}

ChildSpec Registry::childSpec(RegistryOptions options) {
    ChildSpec c;
    c.id = options.name;
    c.type = ChildType::Supervisor;
    c.start = [options](Context& ctx) { return Registry::startLink(ctx, options); };
    return c;
}

RegisterResult Registry::registerKey(Context& ctx, std::string_view registry, std::string key, std::any value) {
    auto st = RegistryState::find(ctx.runtime(), registry);
    if (!st)
        return {};
    const Pid self = ctx.self();
    const int part = st->pidPartition(self);
    Pid partitionPid;
    {
        std::lock_guard g(st->lock);
        partitionPid = st->partitions[static_cast<std::size_t>(part)];
        auto& items = st->byKey[key];
        if (st->options().keys == RegistryKeys::Unique && !items.empty()) {
            const Pid owner = items.front().pid;
            if (ctx.runtime().alive(owner))
                return {RegisterResult::Kind::AlreadyRegistered, owner};
            // A dead owner's stale entry (its partition has not cleaned it yet) is replaced.
            auto& ks = st->keysByPid[owner.id()];
            ks.erase(std::remove(ks.begin(), ks.end(), key), ks.end());
            items.clear();
        }
        items.push_back({self, value, part});
        st->keysByPid[self.id()].push_back(key);
    }
    if (partitionPid.valid())
        ctx.link(partitionPid);
    notify(ctx, *st, RegistryEvent::Kind::Register, key, value);
    return {RegisterResult::Kind::Ok, partitionPid};
}

void Registry::unregisterKey(Context& ctx, std::string_view registry, const std::string& key) {
    auto st = RegistryState::find(ctx.runtime(), registry);
    if (!st)
        return;
    const Pid self = ctx.self();
    bool unlink = false;
    Pid partitionPid;
    {
        std::lock_guard g(st->lock);
        auto k = st->byKey.find(key);
        if (k != st->byKey.end()) {
            auto& v = k->second;
            v.erase(std::remove_if(v.begin(), v.end(), [&](const RegistryState::Item& e) { return e.pid == self; }),
                    v.end());
            if (v.empty())
                st->byKey.erase(k);
        }
        auto p = st->keysByPid.find(self.id());
        if (p != st->keysByPid.end()) {
            auto& ks = p->second;
            ks.erase(std::remove(ks.begin(), ks.end(), key), ks.end());
            if (ks.empty()) {
                st->keysByPid.erase(p);
                unlink = true;
                partitionPid = st->partitions[static_cast<std::size_t>(st->pidPartition(self))];
            }
        }
    }
    if (unlink && partitionPid.valid())
        ctx.unlink(partitionPid);
    notify(ctx, *st, RegistryEvent::Kind::Unregister, key, {});
}

std::optional<std::pair<std::any, std::any>> Registry::updateValue(Context& ctx, std::string_view registry,
                                                                     const std::string& key,
                                                                     const std::function<std::any(const std::any&)>& fn) {
    auto st = RegistryState::find(ctx.runtime(), registry);
    if (!st || st->options().keys != RegistryKeys::Unique)
        return std::nullopt;
    std::lock_guard g(st->lock);
    auto k = st->byKey.find(key);
    if (k == st->byKey.end() || k->second.empty() || k->second.front().pid != ctx.self())
        return std::nullopt;
    std::any old = k->second.front().value;
    std::any fresh = fn(old);
    k->second.front().value = fresh;
    return std::make_pair(std::move(fresh), std::move(old));
}

std::vector<RegistryEntry> Registry::lookup(const Runtime& rt, std::string_view registry, const std::string& key) {
    return match(rt, registry, key, nullptr);
}

std::vector<RegistryEntry> Registry::match(const Runtime& rt, std::string_view registry, const std::string& key,
                                           const std::function<bool(const std::any&)>& pattern) {
    std::vector<RegistryEntry> out;
    auto st = RegistryState::find(rt, registry);
    if (!st)
        return out;
    std::lock_guard g(st->lock);
    auto k = st->byKey.find(key);
    if (k == st->byKey.end())
        return out;
    for (const auto& e : k->second)
        if (!pattern || pattern(e.value))
            out.push_back({key, e.pid, e.value});
    return out;
}

std::vector<RegistryEntry> Registry::select(const Runtime& rt, std::string_view registry,
                                            const std::function<bool(const RegistryEntry&)>& spec) {
    std::vector<RegistryEntry> out;
    auto st = RegistryState::find(rt, registry);
    if (!st)
        return out;
    std::lock_guard g(st->lock);
    for (const auto& [key, items] : st->byKey)
        for (const auto& e : items) {
            RegistryEntry r{key, e.pid, e.value};
            if (!spec || spec(r))
                out.push_back(std::move(r));
        }
    return out;
}

std::size_t Registry::count(const Runtime& rt, std::string_view registry) { return select(rt, registry, nullptr).size(); }

std::size_t Registry::countMatch(const Runtime& rt, std::string_view registry, const std::string& key,
                                 const std::function<bool(const std::any&)>& pattern) {
    return match(rt, registry, key, pattern).size();
}

std::size_t Registry::countSelect(const Runtime& rt, std::string_view registry,
                                  const std::function<bool(const RegistryEntry&)>& spec) {
    return select(rt, registry, spec).size();
}

std::vector<std::string> Registry::keys(const Runtime& rt, std::string_view registry, const Pid& pid) {
    auto st = RegistryState::find(rt, registry);
    if (!st)
        return {};
    std::lock_guard g(st->lock);
    auto p = st->keysByPid.find(pid.id());
    return p == st->keysByPid.end() ? std::vector<std::string>{} : p->second;
}

void Registry::dispatch(const Runtime& rt, std::string_view registry, const std::string& key,
                        const std::function<void(const std::vector<RegistryEntry>&)>& fn) {
    auto st = RegistryState::find(rt, registry);
    if (!st)
        return;
    std::vector<std::vector<RegistryEntry>> groups(static_cast<std::size_t>(st->options().partitions));
    {
        std::lock_guard g(st->lock);
        auto k = st->byKey.find(key);
        if (k == st->byKey.end())
            return;
        for (const auto& e : k->second)
            groups[static_cast<std::size_t>(e.partition)].push_back({key, e.pid, e.value});
    }
    if (st->options().keys == RegistryKeys::Unique) {
        std::vector<RegistryEntry> all;
        for (auto& gr : groups)
            for (auto& e : gr)
                all.push_back(std::move(e));
        if (!all.empty())
            fn(all);
        return;
    }
    for (const auto& gr : groups)
        if (!gr.empty())
            fn(gr);
}

bool Registry::registerName(Context& ctx, std::string_view registry, std::string key, std::any value) {
    return registerKey(ctx, registry, std::move(key), std::move(value)).ok();
}

Pid Registry::whereisName(const Runtime& rt, std::string_view registry, const std::string& key) {
    auto st = RegistryState::find(rt, registry);
    if (!st)
        return Pid();
    std::lock_guard g(st->lock);
    auto k = st->byKey.find(key);
    if (k == st->byKey.end() || k->second.empty() || !rt.alive(k->second.front().pid))
        return Pid();
    return k->second.front().pid;
}

bool Registry::send(Runtime& rt, std::string_view registry, const std::string& key, Message msg) {
    Pid p = whereisName(rt, registry, key);
    if (!p.valid())
        return false;
    rt.send(p, std::move(msg));
    return true;
}

ChildSpec::StartFn Registry::viaStart(std::string registry, std::string key,
                                      std::function<std::unique_ptr<GenServer>()> factory) {
    return [registry = std::move(registry), key = std::move(key), factory = std::move(factory)](Context& ctx) {
        return ctx.startLink(std::make_unique<ViaServer>(registry, key, factory()), ChildSpec::startOptions());
    };
}

namespace supervision {

InitResult ViaServer::init(Context& ctx) {
    RegisterResult r = Registry::registerKey(ctx, m_registry, m_key);
    if (r.kind == RegisterResult::Kind::AlreadyRegistered)
        return InitResult::stop(ExitReason::error("{already_started," + r.pid.toString() + "}"));
    if (r.kind == RegisterResult::Kind::UnknownRegistry)
        return InitResult::stop(ExitReason::error("{unknown_registry," + m_registry + "}"));
    m_inner->setParent(parent());
    return m_inner->init(ctx);
}

} // namespace supervision

} // namespace canopy
