#pragma once
// Test helpers for the supervision unit tests: a trapping worker that logs S(id) / T(id,reason),
// a sink that logs supervisor reports into the same log, and small lookups.
#include "runtime/event_sink.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/child_spec.h"
#include "runtime/supervision/supervisor.h"
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace canopy::test {

/// The ordered log of one test: "S(a)", "T(b,boom)", "rep(child_terminated,b,boom)".
struct Log {
    std::mutex lock;
    std::vector<std::string> lines;
    /// How many more starts of an id must fail (init returns {stop,start_failed}).
    std::map<std::string, int> failNext;
    /// Ids whose init returns ignore.
    std::map<std::string, bool> ignore;
    void add(std::string s) {
        std::lock_guard g(lock);
        lines.push_back(std::move(s));
    }
    std::vector<std::string> take() {
        std::lock_guard g(lock);
        return std::exchange(lines, {});
    }
};

/// Asks a TestWorker to stop itself with a reason (`{stop,R,S}`).
struct Crash {
    ExitReason reason;
};

/// A trapping worker (the conformance scenarios' worker).
class TestWorker : public GenServer {
public:
    TestWorker(std::shared_ptr<Log> log, std::string id, bool trap = true)
        : m_log(std::move(log)), m_id(std::move(id)), m_trap(trap) {}
    InitResult init(Context& ctx) override {
        if (m_trap)
            ctx.trapExit(true);
        {
            std::lock_guard g(m_log->lock);
            if (m_log->ignore[m_id])
                return InitResult::ignore();
            int& n = m_log->failNext[m_id];
            if (n > 0) {
                --n;
                m_log->lines.push_back("F(" + m_id + ")");
                return InitResult::stop(ExitReason::error("start_failed"));
            }
            m_log->lines.push_back("S(" + m_id + ")");
        }
        return InitResult::ok();
    }
    ServerResult handleInfo(Context&, Message& msg) override {
        if (auto* c = msg.tryAs<Crash>())
            return ServerResult::stop(c->reason);
        return ServerResult::noreply();
    }
    void terminate(Context&, const ExitReason& reason) override { m_log->add("T(" + m_id + "," + reason.toString() + ")"); }

private:
    std::shared_ptr<Log> m_log;
    std::string m_id;
    bool m_trap;
};

/// A worker child spec for TestWorker.
inline ChildSpec worker(const std::shared_ptr<Log>& log, const std::string& id, Restart r = Restart::Permanent) {
    ChildSpec c = ChildSpec::worker<TestWorker>(id, log, id);
    c.restart = r;
    return c;
}

/// Logs supervisor reports: rep(context,id,reason).
class ReportSink : public EventSink {
public:
    explicit ReportSink(std::shared_ptr<Log> log) : m_log(std::move(log)) {}
    void onEvent(const RuntimeEvent& e) noexcept override {
        const char* ctx = nullptr;
        switch (e.type) {
        case RuntimeEventType::ChildTerminated: ctx = "child_terminated"; break;
        case RuntimeEventType::StartError: ctx = "start_error"; break;
        case RuntimeEventType::SupervisorGaveUp: ctx = "shutdown"; break;
        case RuntimeEventType::ShutdownError: ctx = "shutdown_error"; break;
        default: break;
        }
        if (e.type == RuntimeEventType::ChildRestarted) {
            std::lock_guard g(m_lock);
            lastRestarts = e.restartsInWindow;
            lastLimit = e.maxRestarts;
            ++restartedEvents;
        }
        if (e.type == RuntimeEventType::ChildStarted) {
            std::lock_guard g(m_lock);
            ++startedEvents;
        }
        if (!ctx)
            return;
        m_log->add(std::string("rep(") + ctx + "," + std::string(e.text) + "," + (e.reason ? e.reason->toString() : "") + ")");
    }
    std::mutex m_lock;
    int lastRestarts = -1;
    int lastLimit = -1;
    int restartedEvents = 0;
    int startedEvents = 0;

private:
    std::shared_ptr<Log> m_log;
};

/// The pid of a static child (empty if not running).
inline Pid childPid(Runtime& rt, const Pid& sup, const std::string& id) {
    for (const ChildInfo& c : Supervisor::whichChildren(rt, sup))
        if (c.id == id)
            return c.pid;
    return Pid();
}

/// which_children as "id:state" strings (OTP order).
inline std::vector<std::string> wc(Runtime& rt, const Pid& sup) {
    std::vector<std::string> out;
    for (const ChildInfo& c : Supervisor::whichChildren(rt, sup))
        out.push_back(c.id + ":" + std::string(toString(c.state)));
    return out;
}

} // namespace canopy::test
