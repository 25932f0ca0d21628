#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace canopy::introspection {

/// Where a Session stands; always shown by viewers (status bar, canopyctl errors).
struct SessionState {
    /// The connection or file state.
    enum class Kind {
        Connecting, ///< live: connecting / handshaking / waiting for the first keyframe
        Live,       ///< live: streaming, model current
        Resyncing,  ///< live: a gap or overflow was detected; waiting for the keyframe that repairs it
        Stale,      ///< live: connected, but nothing (not even a sample) arrived for a while
        Lost,       ///< live: the connection broke or the probe vanished; the last good tree is kept
        Refused,    ///< live: the probe refused the handshake (see `refusal`); retrying will not help
        Replay,     ///< file: open, positioned at some moment
        Ended,      ///< the stream ended cleanly (the probe closed it, or a file source played to its end)
    };
    /// Why a probe refused us.
    enum class Refusal {
        None,
        BadToken,        ///< wrong or missing token: ask the user for one
        VersionMismatch, ///< incompatible protocol versions: both are in server*/client*
        NotAProbe,       ///< the peer does not speak the protocol (no welcome, bad magic, garbage)
        Other,           ///< any other refusal code (busy, unsupported encoding, ...)
    };

    Kind kind = Kind::Connecting;
    Refusal refusal = Refusal::None;
    /// Resyncing: "gap" | "queue_overflow" | "requested" | "subscription_changed"; Lost/Ended: what happened.
    std::string reason;
    /// Structural events the probe dropped for us so far (from resync notices).
    std::uint64_t drops = 0;
    /// Resyncs so far (gaps detected + resync notices received).
    std::uint64_t resyncs = 0;
    /// VersionMismatch: the probe's and our protocol versions.
    int serverMajor = 0;
    int serverMinor = 0;
    int clientMajor = 0;
    int clientMinor = 0;
    /// One line for a status bar or an error message, naming the target and the problem.
    std::string message;

    /// True for states after which step() will not bring anything new without reconnect().
    bool finished() const { return kind == Kind::Lost || kind == Kind::Refused || kind == Kind::Ended; }
};

/// "connecting", "live", "resyncing", "stale", "lost", "refused", "replay", "ended".
inline std::string_view toString(SessionState::Kind k) {
    switch (k) {
    case SessionState::Kind::Connecting: return "connecting";
    case SessionState::Kind::Live: return "live";
    case SessionState::Kind::Resyncing: return "resyncing";
    case SessionState::Kind::Stale: return "stale";
    case SessionState::Kind::Lost: return "lost";
    case SessionState::Kind::Refused: return "refused";
    case SessionState::Kind::Replay: return "replay";
    case SessionState::Kind::Ended: return "ended";
    }
    return "?";
}

} // namespace canopy::introspection
