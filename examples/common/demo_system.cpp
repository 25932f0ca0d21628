#include "examples/common/demo_system.h"
#include "examples/hangman/hangman_system.h"
#include "examples/streams/streams_system.h"
#include "examples/todo/todo_system.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"

namespace canopy::demo {

DemoSystem::~DemoSystem() = default;

std::unique_ptr<DemoSystem> DemoSystem::create(std::string_view name) {
    if (name == "todo")
        return std::make_unique<TodoSystem>();
    if (name == "streams")
        return std::make_unique<StreamsSystem>();
    if (name == "hangman")
        return std::make_unique<HangmanSystem>();
    return nullptr;
}

std::vector<std::string> DemoSystem::names() { return {"todo", "streams", "hangman"}; }

bool DemoSystem::start(Runtime& rt, const DemoConfig& config, std::string* error) {
    if (m_root) {
        if (error)
            *error = "already started";
        return false;
    }
    m_rt = &rt;
    StartResult r = startTree(rt, config);
    if (!r.isOk()) {
        if (error)
            *error = r.kind == StartResult::Kind::Ignore ? "ignore" : r.error.toString();
        afterStop();
        m_rt = nullptr;
        return false;
    }
    m_root = r.pid;
    m_driver = startDriver(rt, config);
    return true;
}

void DemoSystem::stop() {
    if (!m_rt)
        return;
    if (m_driver) {
        m_rt->exit(m_driver, ExitReason::kill());
        m_rt->awaitExit(m_driver, 5000);
    }
    if (m_root && m_rt->alive(m_root))
        Supervisor::stop(*m_rt, m_root, ExitReason::shutdown(), 30'000);
    afterStop();
    m_rt = nullptr;
}

std::uint64_t DemoSystem::counter(std::string_view name) const {
    for (const DemoCounter& c : counters())
        if (c.name == name)
            return c.value;
    return 0;
}

} // namespace canopy::demo
