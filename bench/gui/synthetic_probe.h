#pragma once
// G2's synthetic probe: a stand-in for a big runtime, written with the protocol only (no runtime).
#include <cstdint>

namespace canopy::bench {

/// Serves one viewer a synthetic system over the real protocol: a supervisor with `pools` dynamic
/// supervisors of `workersPerPool` workers each (100k processes by default), then `eventsPerSecond`
/// lifecycle events (workers exiting, with reason normal or chaos, and new ones spawned in their
/// place), samples of the totals and changed mailboxes twice a second, and one forced resync (a
/// resync notice and a fresh keyframe) halfway through. Blocking POSIX sockets, one thread: run it
/// in a child process so the viewer's memory is measured alone.
class SyntheticProbe {
public:
    struct Options {
        int pools = 100;
        int workersPerPool = 1000;
        int eventsPerSecond = 1000;
        double seconds = 60;
        /// Mailbox lengths changed per sample.
        int mailboxChangesPerSample = 1000;
    };

    explicit SyntheticProbe(Options options);
    ~SyntheticProbe();
    SyntheticProbe(const SyntheticProbe&) = delete;
    SyntheticProbe& operator=(const SyntheticProbe&) = delete;

    /// The listening port (127.0.0.1, chosen by the kernel).
    std::uint16_t port() const { return m_port; }
    /// Accepts one viewer, sends it the keyframe, then streams events to it for the configured time
    /// (then closes). With `goFd` >= 0 the events start only once a byte can be read from it (the
    /// bench says when the viewer has shown the first tree, so the whole run, its resync included,
    /// is measured). Returns 0, or 1 when the viewer went away early or the handshake failed.
    int serveOne(int goFd = -1);

private:
    Options m_options;
    int m_listen = -1;
    std::uint16_t m_port = 0;
};

} // namespace canopy::bench
