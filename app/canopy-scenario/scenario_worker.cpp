#include "app/canopy-scenario/scenario_worker.h"
#include "app/canopy-scenario/crash_request.h"
#include "runtime/exit_message.h"

namespace canopy {

ScenarioWorker::ScenarioWorker(ScenarioTrace* trace, std::string path, InitMode mode)
    : m_trace(trace), m_path(std::move(path)), m_mode(mode) {}

InitResult ScenarioWorker::init(Context& ctx) {
    ctx.trapExit(true);
    if (m_trace->takeFailure(m_path) || m_mode == InitMode::Error) {
        m_trace->event("start_failed", m_path);
        return InitResult::stop(ExitReason::error("start_failed"));
    }
    if (m_mode == InitMode::Ignore) {
        m_trace->event("start_ignored", m_path);
        return InitResult::ignore();
    }
    m_trace->event("start", m_path);
    m_trace->bind(ctx.self(), m_path, ScenarioTrace::Kind::Worker);
    m_trace->watch(ctx.self().id());
    return InitResult::ok();
}

ServerResult ScenarioWorker::handleCall(Context& ctx, Message& request, const From& from) {
    if (auto* crash = request.tryAs<CrashRequest>())
        return ServerResult::stop(crash->reason, Message::of(true));
    return ServerResult::reply(Message::of(false));
}

ServerResult ScenarioWorker::handleInfo(Context& ctx, Message& msg) {
    if (auto* exit = msg.tryAs<ExitMessage>())
        return ServerResult::stop(exit->reason);
    return ServerResult::noreply();
}

void ScenarioWorker::terminate(Context& ctx, const ExitReason& reason) {
    m_trace->unwatch(ctx.self().id());
    m_trace->event("stop", m_path, reason);
}

ScenarioWorker::InitMode ScenarioWorker::parseMode(const std::string& text) {
    if (text == "ignore")
        return InitMode::Ignore;
    if (text == "error")
        return InitMode::Error;
    return InitMode::Ok;
}

} // namespace canopy
