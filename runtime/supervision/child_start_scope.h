#pragma once
#include "runtime/child_meta.h"
#include <memory>

namespace canopy::supervision {

/// Internal: while alive, ChildSpec::startOptions() on this thread carries `meta` (a supervisor sets
/// it around each call of a child's start function; nests and restores).
class ChildStartScope {
public:
    explicit ChildStartScope(std::shared_ptr<const ChildMeta> meta);
    ~ChildStartScope();
    ChildStartScope(const ChildStartScope&) = delete;
    ChildStartScope& operator=(const ChildStartScope&) = delete;
    /// The meta of the innermost scope on this thread (nullptr if none).
    static std::shared_ptr<const ChildMeta> current();

private:
    std::shared_ptr<const ChildMeta> m_previous;
};

} // namespace canopy::supervision
