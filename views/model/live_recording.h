#pragma once
#include "introspection/result.h"
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace canopy::introspection {
class Session;
}

namespace canopy::views {

/// The bounded temporary recording every live session writes, so scrubbing back in a live session
/// is the same seek as a replay. Segments: the live session records into a segment file in a private
/// temporary directory; a segment is closed and a new one started when it reaches `segmentBytes` or
/// `segmentDuration`, and only the newest `keepSegments` are kept on disk (older ones are deleted),
/// so disk use stays below keepSegments x segmentBytes. "Record" sets keep(): no rotation while
/// kept, and save() closes the current segment into the user's file (everything since that
/// segment began) and starts a new one. The directory is removed by end().
class LiveRecording {
public:
    /// How big the recording may grow.
    struct Limits {
        std::uint64_t segmentBytes = 64ull * 1024 * 1024;
        std::chrono::seconds segmentDuration{30 * 60};
        int keepSegments = 2;
    };
    /// One segment file: where it is and the session time its first keyframe shows.
    struct Segment {
        std::string path;
        std::int64_t startNs = 0;
        bool closed = false;
        /// False once save() moved it to the user's file (still readable, never deleted by us).
        bool owned = true;
    };

    LiveRecording() = default;
    explicit LiveRecording(Limits limits) : m_limits(limits) {}
    LiveRecording(const LiveRecording&) = delete;
    LiveRecording& operator=(const LiveRecording&) = delete;
    /// Deletes the segment files and the directory (the session must have stopped recording).
    ~LiveRecording();

    /// Creates the temporary directory (under $TMPDIR or /tmp) and starts the first segment.
    introspection::Status begin(introspection::Session& session);
    /// Rotates when the current segment is over its limits (not while kept). Cheap; call often.
    void maintain(introspection::Session& session);
    /// Stops recording and deletes every segment.
    void end(introspection::Session& session);
    /// True between begin() and end().
    bool active() const { return !m_dir.empty(); }

    /// Record: keep the current segment growing (no rotation) until save().
    void setKeep(bool keep) { m_keep = keep; }
    bool keeping() const { return m_keep; }
    /// Session time the current segment (what save() would write) begins at.
    std::int64_t currentStartNs() const { return m_segments.empty() ? 0 : m_segments.back().startNs; }
    /// Closes the current segment, moves it to `path` (copies across file systems), starts a new
    /// segment, and stops keeping. The error names the file and the problem.
    introspection::Status save(introspection::Session& session, const std::string& path);

    /// Segments on disk, oldest first (the last one is being written).
    const std::vector<Segment>& segments() const { return m_segments; }
    /// Session time of the oldest moment still on disk.
    std::int64_t oldestNs() const { return m_segments.empty() ? 0 : m_segments.front().startNs; }
    /// The private directory ("" before begin()).
    const std::string& directory() const { return m_dir; }

private:
    introspection::Status startSegment(introspection::Session& session);
    void dropOldSegments();

    Limits m_limits;
    std::string m_dir;
    std::vector<Segment> m_segments;
    int m_nextNumber = 1;
    bool m_keep = false;
    std::chrono::steady_clock::time_point m_segmentStarted{};
    std::chrono::steady_clock::time_point m_lastCheck{};
};

} // namespace canopy::views
