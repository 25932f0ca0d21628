#pragma once
#include <memory>
#include <string>

struct GVC_s;

namespace canopy::exporting {

/// A scoped use of the process's one Graphviz context. Graphviz is not re-entrant, and its pango
/// plugin caches font data belonging to a context (a second context after gvFreeContext reads freed
/// memory: found by ASan), so every Graphviz call in the process (the renderer, the tree canvas's
/// layout) is made while holding one of these: it takes a process-wide lock, hands out the single
/// context (created on first use, never freed) and collects Graphviz's error messages meanwhile.
class GraphvizContextLock {
public:
    /// Takes the lock (blocks while another thread holds it) and starts collecting errors.
    GraphvizContextLock();
    /// Restores the previous error handler and releases the lock.
    ~GraphvizContextLock();
    GraphvizContextLock(const GraphvizContextLock&) = delete;
    GraphvizContextLock& operator=(const GraphvizContextLock&) = delete;

    /// The process's Graphviz context; nullptr if Graphviz could not create one.
    GVC_s* context() const;
    /// The first error message Graphviz reported while this lock was held (one line; "" if none).
    const std::string& firstError() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace canopy::exporting
