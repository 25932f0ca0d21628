#include "views/export/graphviz_context_lock.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>

namespace canopy::exporting {

namespace {

std::mutex& graphvizMutex() {
    static std::mutex m;
    return m;
}

/// Error text of the current holder of the lock (guarded by graphvizMutex).
std::string& collectedError() {
    static std::string text;
    return text;
}

int collectError(char* message) {
    std::string& error = collectedError();
    if (error.empty() && message) {
        error = message;
        for (char& c : error)
            if (c == '\n' || c == '\r') c = ' ';
        while (!error.empty() && error.back() == ' ') error.pop_back();
    }
    return 0;
}

} // namespace

struct GraphvizContextLock::State {
    std::unique_lock<std::mutex> lock{graphvizMutex()};
    agusererrf previous = nullptr;
};

GraphvizContextLock::GraphvizContextLock() : m_state(std::make_unique<State>()) {
    collectedError().clear();
    agseterr(AGERR);
    m_state->previous = agseterrf(collectError);
}

GraphvizContextLock::~GraphvizContextLock() { agseterrf(m_state->previous); }

GVC_s* GraphvizContextLock::context() const {
    // One context for the whole process (see the class comment); created under the lock.
    static GVC_t* const gvc = gvContext();
    return gvc;
}

const std::string& GraphvizContextLock::firstError() const { return collectedError(); }

} // namespace canopy::exporting
