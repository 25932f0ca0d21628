#include "examples/todo/todo_process_registry.h"
#include "runtime/down_message.h"
#include "runtime/runtime.h"

namespace canopy::demo {

TodoProcessRegistry::TodoProcessRegistry(std::shared_ptr<std::atomic<std::uint64_t>> starts)
    : m_starts(std::move(starts)) {}

void TodoProcessRegistry::registerSelf(Context& ctx, std::string key) {
    if (Pid reg = ctx.whereis(kName))
        ctx.cast(reg, Message::of(Register{std::move(key), ctx.self()}));
}

void TodoProcessRegistry::whereIs(Context& ctx, std::string key, std::function<void(Context&, Pid)> then) {
    Pid reg = ctx.whereis(kName);
    if (!reg) {
        then(ctx, Pid());
        return;
    }
    ctx.tryCall(reg, Message::of(WhereIs{std::move(key)}), 2000, [then = std::move(then)](Context& c, CallOutcome o) {
        if (o.ok() && o.reply.is<Pid>())
            then(c, std::move(o.reply.as<Pid>()));
        else
            then(c, Pid());
    });
}

InitResult TodoProcessRegistry::init(Context&) {
    m_starts->fetch_add(1, std::memory_order_relaxed);
    return InitResult::ok();
}

ServerResult TodoProcessRegistry::handleCall(Context& ctx, Message& request, const From&) {
    if (auto* w = request.tryAs<WhereIs>()) {
        auto it = m_byKey.find(w->key);
        return ServerResult::replyWith(it == m_byKey.end() ? Pid() : it->second);
    }
    return ServerResult::replyWith(Pid());
}

ServerResult TodoProcessRegistry::handleCast(Context& ctx, Message& request) {
    auto* r = request.tryAs<Register>();
    if (!r || !r->pid)
        return ServerResult::noreply();
    auto it = m_byKey.find(r->key);
    if (it != m_byKey.end() && it->second != r->pid && ctx.runtime().alive(it->second)) {
        ctx.send(r->pid, RegistryConflict{r->key});
        return ServerResult::noreply();
    }
    if (it != m_byKey.end())
        m_keyOf.erase(it->second.id());
    ctx.monitor(r->pid);
    m_keyOf[r->pid.id()] = r->key;
    m_byKey[r->key] = r->pid;
    return ServerResult::noreply();
}

ServerResult TodoProcessRegistry::handleInfo(Context&, Message& msg) {
    if (auto* d = msg.tryAs<DownMessage>()) {
        auto it = m_keyOf.find(d->pid.id());
        if (it != m_keyOf.end()) {
            auto k = m_byKey.find(it->second);
            if (k != m_byKey.end() && k->second == d->pid)
                m_byKey.erase(k);
            m_keyOf.erase(it);
        }
    }
    return ServerResult::noreply();
}

} // namespace canopy::demo
