#include "introspection/probe/flight_recorder.h"
#include "introspection/session_writer.h"

namespace canopy::introspection {

FlightRecorder::FlightRecorder(std::size_t maxEvents, double seconds)
    : m_maxEvents(maxEvents), m_windowNs(static_cast<std::int64_t>(seconds * 1e9)) {}

void FlightRecorder::record(Delta delta) {
    if (!enabled()) return;
    delta.seq = ++m_seq;
    if (m_current.events.empty() && !m_current.base) m_current.startNs = delta.timeNs;
    m_current.events.push_back(std::move(delta));
    // Hard bound even if no rebase happens (no base keyframe could be taken): drop the oldest.
    if (m_current.events.size() > 2 * m_maxEvents) {
        m_current.events.pop_front();
        ++m_lost;
    }
}

bool FlightRecorder::needsRebase(std::int64_t nowNs) const {
    if (!enabled()) return false;
    if (!m_current.base) return true;
    if (m_current.events.size() >= m_maxEvents) return true;
    return !m_current.events.empty() && nowNs - m_current.startNs >= m_windowNs;
}

void FlightRecorder::rebase(Keyframe base) {
    if (!enabled()) return;
    base.seq = m_seq;
    m_previous = std::move(m_current);
    m_current = Generation{};
    m_current.startNs = base.timeNs;
    m_current.base = std::move(base);
    if (!m_previous.base) {
        // Events recorded before the first base cannot be replayed onto a snapshot: forget them.
        m_lost += m_previous.events.size();
        m_previous = Generation{};
    }
}

Status FlightRecorder::write(const std::string& path, const SessionHeader& header, Keyframe finalFrame) const {
    SessionWriter out;
    SessionWriter::Options options;
    options.keyframeEveryDeltas = 0; // the recorder provides its own keyframes
    if (auto st = out.open(path, header, options); !st) return st;
    for (const Generation* g : {&m_previous, &m_current}) {
        if (!g->base) continue;
        if (auto st = out.writeKeyframe(*g->base); !st) return st;
        for (const auto& d : g->events)
            if (auto st = out.write(d); !st) return st;
    }
    finalFrame.seq = m_seq;
    if (auto st = out.writeKeyframe(finalFrame); !st) return st;
    return out.close();
}

} // namespace canopy::introspection
