#pragma once
// CONTRACT (session 3): this header is the interface the desktop app (views/, app/canopy) and
// canopyctl are written against. The implementation lives in session.cpp (observer-core work,
// issue 9). Additions are fine; changes to what is declared here must be made in every user.
#include "introspection/change_set.h"
#include "introspection/command.h"
#include "introspection/command_result.h"
#include "introspection/encoding.h"
#include "introspection/result.h"
#include "introspection/session_model.h"
#include "introspection/session_state.h"
#include "introspection/session_writer.h"
#include "introspection/welcome.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace canopy::introspection {

class SessionReader;
class Source;

/// One observed session: a source (a live probe connection or a session file), the model it feeds,
/// gap -> keyframe-request recovery, an optional recording tee, and a typed state. Every consumer
/// (the desktop app's worker thread, canopyctl, tests) pumps sessions through this one class.
/// Not thread-safe: one thread owns a Session (the app's worker); nothing in it blocks longer than
/// the timeout it is given.
class Session {
public:
    /// How to reach and talk to a live probe.
    struct LiveOptions {
        std::string host = "127.0.0.1";
        std::uint16_t port = 0;
        /// Token to present ("" = none; see resolveToken()).
        std::string token;
        /// Stream encoding asked of the probe.
        Encoding encoding = Encoding::Cbor;
        /// Samples per second asked of the probe (0 = none).
        double sampleHz = 2.0;
        /// Subtree root to subscribe to (0 = the whole system).
        std::uint64_t root = 0;
        /// Deadline for connect + handshake + first keyframe before the state becomes Lost.
        int connectTimeoutMs = 5000;
        /// Connected but silent this long (no delta, no sample) -> Stale.
        int staleAfterMs = 3000;
        /// Client name sent in the hello ("canopy 0.1", "canopyctl tree").
        std::string client = "canopy";
    };

    /// A live session. Returns at once in state Connecting: the connection is made by step().
    static std::unique_ptr<Session> live(const LiveOptions& options);
    /// A replay session over a session file: header and index read (or rebuilt by a recovery scan,
    /// with warnings), positioned at session time 0 (state Replay). Errors name the file and problem.
    static Result<std::unique_ptr<Session>> openFile(const std::string& path);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session();

    /// Live: connects if needed, then applies what has arrived (waiting at most `timeoutMs` for the
    /// first message; 0 = only what is already there), requests a keyframe after a gap, tees to the
    /// recording, updates the state. Returns what changed. File sessions: nothing to pump (use
    /// seek()/advanceTo()); returns an empty change set.
    ChangeSet step(int timeoutMs);
    /// Live sessions after Lost: drops the connection and connects again (state Connecting). The
    /// model keeps the last good tree; the keyframe after the reconnect is diffed against it, so
    /// only real changes are reported.
    void reconnect();
    /// Replaces the token (e.g. after a BadToken refusal) and reconnects.
    void setToken(const std::string& token);
    /// Live: asks the probe for a fresh keyframe (a "refresh"); it is diffed against the model, so
    /// only real differences are reported. Fails when not connected.
    Status requestKeyframe();

    /// File sessions: the model at session time `sessionTimeNs` (clamped to the file), relative to
    /// where the model was: only real differences are reported (no reset once a tree is known).
    ChangeSet seek(std::int64_t sessionTimeNs);
    /// File sessions: plays forward to `sessionTimeNs` (applies the messages in between); a time
    /// before the current one is a seek().
    ChangeSet advanceTo(std::int64_t sessionTimeNs);

    /// Sends a command to a live probe (refused here when the probe did not enable commands); the
    /// result comes back through takeCommandResults() after a later step().
    Status send(const Command& command);
    /// Command results received since the last call.
    std::vector<CommandResult> takeCommandResults();

    /// Live: starts writing everything applied from now on to `path` (a keyframe of the current
    /// model first, so the file stands on its own).
    Status startRecording(const std::string& path, const SessionWriter::Options& options = {});
    /// Closes the recording (index written). Safe to call when not recording.
    Status stopRecording();
    /// True while a recording is open; its path.
    bool recording() const;
    const std::string& recordingPath() const;
    /// The open recording's index so far (keyframes, frame counts); empty when not recording.
    SessionIndex recordingIndex() const;
    /// Live sessions that are recording: a replay Session over what has been recorded so far,
    /// indexed from the writer's in-memory index (no recovery scan). Call again for newer data.
    Result<std::unique_ptr<Session>> openRecorded();

    /// The state now (kind, reason, drops, refusal details, a one-line message).
    const SessionState& state() const;
    /// The model (the tree now, or at the replay position).
    const SessionModel& model() const;
    /// True for file sessions.
    bool isFile() const;
    /// File sessions: the reader (header, index, timeline summaries, warnings); nullptr when live.
    SessionReader* reader();
    /// Live: the probe's welcome (valid once connected).
    const Welcome& welcome() const;
    /// True when the probe accepts commands (live, connected, commands enabled).
    bool commandsEnabled() const;
    /// "127.0.0.1:4040" or the file path.
    std::string describe() const;
    /// Session time of the model now (ns since the session's start).
    std::int64_t timeNs() const;
    /// File: the session's length. Live: session time of the newest message.
    std::int64_t durationNs() const;
    /// Live: structural events (deltas) per second over the last second; ns since the last sample.
    double eventsPerSecond() const;
    std::int64_t sampleAgeNs() const;
    /// Problems met that did not stop the session (a truncated file, a corrupt frame), one line
    /// each, naming byte offsets.
    std::vector<std::string> warnings() const;

private:
    Session();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace canopy::introspection
