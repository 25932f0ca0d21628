#include "introspection/probe/accept_backoff.h"
#include <algorithm>
#include <asio/error.hpp>

namespace canopy::introspection {

std::chrono::milliseconds AcceptBackoff::onError(const std::error_code& ec) {
    if (ec == asio::error::connection_aborted || ec == std::errc::protocol_error || ec == asio::error::interrupted ||
        ec == asio::error::try_again)
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
