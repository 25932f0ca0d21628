#include "introspection/session_summary.h"
#include "introspection/exit_reasons.h"
#include "introspection/pid_text.h"
#include "introspection/saturating.h"
#include <algorithm>

namespace canopy::introspection {

SessionSummary::SessionSummary(std::int64_t startNs) {
    m_model.setStartNs(startNs);
    m_model.assumeEmpty(); // deltas recorded before any keyframe start from an empty tree
}

std::string SessionSummary::who(std::uint64_t pid) const {
    const ProcessRecord* r = m_model.snapshot().find(pid);
    return r ? r->pidText + " " + r->displayName() : pidText(pid);
}

void SessionSummary::add(const WireMessage& m) {
    ++frames;
    if (auto* d = std::get_if<Delta>(&m)) {
        ++deltas;
        ++deltasByKind[std::string(toString(d->type))];
        const std::int64_t t = saturating::sub(d->timeNs, m_model.startNs());
        switch (d->type) {
        case DeltaType::Exit:
            if (isAbnormalExit(d->reason)) {
                ++abnormalExits;
                crashes.push_back({Crash::Kind::AbnormalExit, t, d->pid, who(d->pid), "exit: " + d->reason});
            }
            break;
        case DeltaType::ChildRestarted: ++restarts; break;
        case DeltaType::SupervisorGaveUp:
            ++giveUps;
            crashes.push_back({Crash::Kind::GaveUp, t, d->pid, who(d->pid),
                               "supervisor gave up (reached max restart intensity" +
                                   (d->text.empty() ? std::string() : ", child " + d->text) + ")"});
            break;
        case DeltaType::StartError:
            crashes.push_back({Crash::Kind::StartError, t, d->peer, who(d->peer),
                               "start_error of child " + d->text + ": " + d->reason});
            break;
        default: break;
        }
    } else if (std::holds_alternative<Keyframe>(m)) {
        ++keyframes;
    } else if (std::holds_alternative<Sample>(m)) {
        ++samples;
    } else if (std::holds_alternative<ResyncNotice>(m)) {
        ++resyncs;
    }
    m_model.apply(m);
    const std::uint64_t n = m_model.snapshot().processes.size();
    if (!m_sawFirstKeyframe && std::holds_alternative<Keyframe>(m)) {
        processesAtStart = n;
        m_sawFirstKeyframe = true;
    }
    processesMax = std::max(processesMax, n);
}

} // namespace canopy::introspection
