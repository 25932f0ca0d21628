#pragma once
#include "examples/common/demo_config.h"
#include "examples/common/demo_counter.h"
#include "runtime/pid.h"
#include "runtime/start_result.h"
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace canopy {
class Runtime;
}

namespace canopy::demo {

/// One of the three classic systems (todo, streams, hangman) running on a Runtime: a supervision
/// tree with a registered root plus a driver process outside the tree that keeps it busy.
/// The Runtime must outlive the system (or stop() must have been called).
class DemoSystem {
public:
    virtual ~DemoSystem();
    DemoSystem(const DemoSystem&) = delete;
    DemoSystem& operator=(const DemoSystem&) = delete;

    /// The system called name ("todo", "streams", "hangman"), or nullptr.
    static std::unique_ptr<DemoSystem> create(std::string_view name);
    /// The names create() knows.
    static std::vector<std::string> names();

    /// "todo", "streams" or "hangman".
    virtual std::string name() const = 0;
    /// The registered name of the root supervisor (e.g. "Todo.Supervisor").
    virtual std::string rootName() const = 0;
    /// Progress counters (all increase while the system works).
    virtual std::vector<DemoCounter> counters() const = 0;

    /// Starts the tree then the driver; false (and *error set) when the root failed to start.
    bool start(Runtime& rt, const DemoConfig& config, std::string* error = nullptr);
    /// Stops the driver, then the root supervisor (children in reverse order); idempotent.
    void stop();
    /// The value of one counter (0 when unknown).
    std::uint64_t counter(std::string_view name) const;
    /// The root supervisor's pid (empty before start).
    const Pid& root() const { return m_root; }
    /// The driver's pid (empty before start).
    const Pid& driver() const { return m_driver; }

protected:
    DemoSystem() = default;
    /// Starts the root supervisor (registered as rootName()) from a plain thread.
    virtual StartResult startTree(Runtime& rt, const DemoConfig& config) = 0;
    /// Starts the driver process (outside the tree) from a plain thread.
    virtual Pid startDriver(Runtime& rt, const DemoConfig& config) = 0;
    /// Runs after the tree stopped (e.g. removes a temporary data directory).
    virtual void afterStop() {}

private:
    Runtime* m_rt = nullptr;
    Pid m_root;
    Pid m_driver;
};

} // namespace canopy::demo
