#pragma once
#include "introspection/session_model.h"
#include "introspection/wire_message.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace canopy::introspection {

/// A digest of a session, built by visiting its messages in order (a session file from its start,
/// or a live stream): counts by message and delta kind, process counts, and the crashes — abnormal
/// exits, supervisors that gave up, children that failed to start — with who and when. What
/// `canopyctl info` prints; the app's event log can use the same extraction.
class SessionSummary {
public:
    /// One crash-like event.
    struct Crash {
        enum class Kind { AbnormalExit, GaveUp, StartError };
        Kind kind = Kind::AbnormalExit;
        /// Session time (ns since the session's start).
        std::int64_t timeNs = 0;
        /// The process concerned (the supervisor for GaveUp and StartError).
        std::uint64_t pid = 0;
        /// "<0.12.0> registry" (printed pid and display name, as the model knew it just before).
        std::string who;
        /// One line: "exit: boom", "supervisor gave up (reached max restart intensity, child db)".
        std::string what;
    };

    /// Session start on the probe clock (event times are relative to it).
    explicit SessionSummary(std::int64_t startNs);
    /// Takes the next message of the session.
    void add(const WireMessage& message);

    std::uint64_t frames = 0;
    std::uint64_t keyframes = 0;
    std::uint64_t deltas = 0;
    std::uint64_t samples = 0;
    std::uint64_t resyncs = 0;
    /// Deltas by wire kind ("spawn", "child_restarted", ...).
    std::map<std::string, std::uint64_t> deltasByKind;
    std::uint64_t processesAtStart = 0;
    std::uint64_t processesMax = 0;
    std::uint64_t restarts = 0;
    std::uint64_t abnormalExits = 0;
    std::uint64_t giveUps = 0;
    std::vector<Crash> crashes;

    /// The tree after the last message (processes at the end, sequence gaps).
    const SessionModel& model() const { return m_model; }

private:
    std::string who(std::uint64_t pid) const;

    SessionModel m_model;
    bool m_sawFirstKeyframe = false;
};

} // namespace canopy::introspection
