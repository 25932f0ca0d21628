#include "introspection/probe/viewer_queue.h"

namespace canopy::introspection {

bool ViewerQueue::pushStructural(FrameBytes frame) {
    if (m_needsResync) {
        // Everything until the resync keyframe is superseded by it.
        ++m_dropped;
        return false;
    }
    if (m_structural.size() >= m_limit) {
        m_dropped += m_structural.size() + 1;
        m_structural.clear();
        ++m_overflows;
        m_needsResync = true;
        return false;
    }
    m_structural.push_back(std::move(frame));
    return true;
}

void ViewerQueue::pushControl(FrameBytes frame) {
    m_control.push_back(std::move(frame));
}

void ViewerQueue::setSample(FrameBytes frame) {
    if (m_sample) ++m_coalesced;
    m_sample = std::move(frame);
}

FrameBytes ViewerQueue::pop() {
    FrameBytes out;
    if (!m_control.empty()) {
        out = std::move(m_control.front());
        m_control.pop_front();
        return out;
    }
    if (m_sample && (m_sampleTurn || m_structural.empty())) {
        m_sampleTurn = false;
        return std::exchange(m_sample, nullptr);
    }
    if (!m_structural.empty()) {
        out = std::move(m_structural.front());
        m_structural.pop_front();
        m_sampleTurn = true;
    }
    return out;
}

std::size_t ViewerQueue::discardStructural() {
    const std::size_t n = m_structural.size();
    m_structural.clear();
    return n;
}

} // namespace canopy::introspection
