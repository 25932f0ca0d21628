#include "introspection/probe/accept_backoff.h"
#include <algorithm>
#include <cerrno>

namespace canopy::introspection {

std::chrono::milliseconds AcceptBackoff::onError(const std::error_code& ec) {
    // accept() reports errno values (the system category). Compared as numbers on purpose: comparing
    // with a std::errc condition makes a virtual call on the generic category, which UBSan's first
    // check of that object does through a pipe — and there is no descriptor left for one.
    const int e = ec.value();
    if (e == ECONNABORTED || e == EPROTO || e == EINTR || e == EAGAIN || e == EWOULDBLOCK)
        return std::chrono::milliseconds(0);
    m_next = m_next.count() == 0 ? kFirstDelay : std::min(m_next * 2, kMaxDelay);
    return m_next;
}

bool AcceptBackoff::onSuccess() {
    const bool ended = failing();
    m_next = std::chrono::milliseconds(0);
    return ended;
}

} // namespace canopy::introspection
