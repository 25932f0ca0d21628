#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

namespace canopy {

/// OTP's add_restart/1: restart timestamps in whole (floored) seconds, kept while R >= Now - Period;
/// more than maxRestarts of them means the limit is reached. Amortised O(1) per restart: a ring of at most
/// maxRestarts + 1 stamps, grown on demand (a huge intensity costs only the stamps in use).
class RestartIntensity {
public:
    RestartIntensity(int maxRestarts = 3, int maxSeconds = 5) : m_max(maxRestarts), m_period(maxSeconds) {}

    /// Records a restart at nowMs; false when the limit is exceeded (the supervisor must give up).
    bool add(std::int64_t nowMs);
    /// Restarts currently in the window (as of the last add).
    int inWindow() const { return static_cast<int>(m_size); }
    int maxRestarts() const { return m_max; }
    int maxSeconds() const { return m_period; }
    /// The stamp of the last add (whole seconds); precondition: inWindow() > 0.
    std::int64_t newest() const { return m_ring[(m_head + m_size - 1) % m_ring.size()]; }
    /// The restart stamps in the window (whole seconds, oldest first), as of the last add.
    std::vector<std::int64_t> stamps() const {
        std::vector<std::int64_t> out;
        out.reserve(m_size);
        for (std::size_t i = 0; i < m_size; ++i) out.push_back(m_ring[(m_head + i) % m_ring.size()]);
        return out;
    }

private:
    int m_max;
    int m_period;
    std::vector<std::int64_t> m_ring;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

} // namespace canopy
