#pragma once
#include "runtime/context.h"
#include "runtime/down_message.h"
#include "runtime/exit_message.h"
#include "runtime/runtime.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace canopy::test {

/// A command a TestActor runs in its own process context.
struct Cmd {
    std::function<void(Context&)> fn;
};

/// What a TestActor saw, as text lines: "EXIT <from> <reason>", "DOWN <pid> <reason>", "msg <text>".
struct Log {
    std::vector<std::string> lines;
    bool contains(const std::string& s) const {
        for (auto& l : lines)
            if (l == s) return true;
        return false;
    }
};

/// A scriptable process: runs Cmd messages, logs everything else.
class TestActor final : public Actor {
public:
    TestActor(std::shared_ptr<Log> log, bool trap) : m_log(std::move(log)), m_trap(trap) {}
    void onStart(Context& ctx) override {
        if (m_trap) ctx.trapExit(true);
    }
    void onMessage(Context& ctx, Message& m) override {
        if (auto* c = m.tryAs<Cmd>()) {
            c->fn(ctx);
        } else if (auto* e = m.tryAs<ExitMessage>()) {
            m_log->lines.push_back("EXIT " + e->from.toString() + " " + e->reason.toString());
        } else if (auto* d = m.tryAs<DownMessage>()) {
            m_log->lines.push_back("DOWN " + (d->pid.valid() ? d->pid.toString() : d->name) + " " +
                                   d->reason.toString());
        } else if (auto* s = m.tryAs<std::string>()) {
            m_log->lines.push_back("msg " + *s);
        } else {
            m_log->lines.push_back("other");
        }
    }

private:
    std::shared_ptr<Log> m_log;
    bool m_trap;
};

/// Spawns a TestActor (trapping exits when trap is true) and runs until it started.
inline Pid spawnTest(Runtime& rt, std::shared_ptr<Log> log, bool trap = false) {
    Pid p = rt.spawn(std::make_unique<TestActor>(std::move(log), trap));
    rt.runUntilIdle();
    return p;
}

/// Makes p run fn in its own context, then runs the manual runtime until idle.
inline void run(Runtime& rt, const Pid& p, std::function<void(Context&)> fn) {
    rt.send(p, Cmd{std::move(fn)});
    rt.runUntilIdle();
}

/// The exit reason of a dead process (via awaitExit), or "alive".
inline std::string fate(Runtime& rt, const Pid& p) {
    if (rt.alive(p)) return "alive";
    ExitReason r;
    if (!rt.awaitExit(p, 0, &r)) return "unknown";
    return r.toString();
}

} // namespace canopy::test
