#include "runtime/supervision/child_start_scope.h"

namespace canopy::supervision {

namespace {
thread_local std::shared_ptr<const ChildMeta> t_current;
} // namespace

ChildStartScope::ChildStartScope(std::shared_ptr<const ChildMeta> meta) : m_previous(std::move(t_current)) {
    t_current = std::move(meta);
}

ChildStartScope::~ChildStartScope() { t_current = std::move(m_previous); }

std::shared_ptr<const ChildMeta> ChildStartScope::current() { return t_current; }

} // namespace canopy::supervision
