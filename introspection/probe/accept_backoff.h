#pragma once
#include <chrono>
#include <system_error>

namespace canopy::introspection {

/// What an acceptor does after accept() fails. A peer that gave up before it was accepted
/// (ECONNABORTED, EPROTO, EINTR) is retried at once; anything else — above all EMFILE/ENFILE (out of
/// file descriptors) and ENOBUFS/ENOMEM, which fail again at once while the connection waits in the
/// backlog — is retried after a delay that doubles from kFirstDelay to kMaxDelay while it lasts, so
/// the thread never spins and still serves again shortly after descriptors free up.
class AcceptBackoff {
public:
    static constexpr std::chrono::milliseconds kFirstDelay{10};
    static constexpr std::chrono::milliseconds kMaxDelay{250};

    /// The delay before the next accept after `ec` (zero = at once). Starts an episode for a delay.
    std::chrono::milliseconds onError(const std::error_code& ec);
    /// An accept succeeded; true when that ended an episode of failures.
    bool onSuccess();
    /// True while accepts keep failing (between the first delayed error and the next success).
    bool failing() const { return m_next.count() > 0; }

private:
    std::chrono::milliseconds m_next{0};
};

} // namespace canopy::introspection
