#pragma once
#include "runtime/actor.h"
#include "runtime/context.h"
#include <functional>

namespace canopy {

/// An actor made of one function called for each message (Runtime::spawnFn).
class FnActor final : public Actor {
public:
    explicit FnActor(std::function<void(Context&, Message&)> fn) : m_fn(std::move(fn)) {}
    void onMessage(Context& ctx, Message& msg) override { m_fn(ctx, msg); }
    std::string initialCall() const override { return "canopy:fn"; }

private:
    std::function<void(Context&, Message&)> m_fn;
};

} // namespace canopy
