#include "views/model/live_recording.h"
#include "introspection/session.h"
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace canopy::views {

namespace fs = std::filesystem;
using introspection::Status;

LiveRecording::~LiveRecording() {
    if (m_dir.empty()) return;
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

Status LiveRecording::begin(introspection::Session& session) {
    if (!m_dir.empty()) return {};
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/canopy-live-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!::mkdtemp(buffer.data()))
        return Status::failure("cannot create a temporary directory for the live recording (" + pattern + ")");
    m_dir = buffer.data();
    return startSegment(session);
}

Status LiveRecording::startSegment(introspection::Session& session) {
    const std::string path = m_dir + "/segment-" + std::to_string(m_nextNumber++) + ".canopy";
    introspection::SessionWriter::Options options;
    Status st = session.startRecording(path, options);
    if (!st) return st;
    m_segments.push_back({path, session.timeNs(), false});
    m_segmentStarted = std::chrono::steady_clock::now();
    return {};
}

void LiveRecording::dropOldSegments() {
    const std::size_t keep = static_cast<std::size_t>(std::max(1, m_limits.keepSegments));
    while (m_segments.size() > keep) {
        std::error_code ec;
        if (m_segments.front().owned) fs::remove(m_segments.front().path, ec);
        m_segments.erase(m_segments.begin());
    }
}

void LiveRecording::maintain(introspection::Session& session) {
    if (m_dir.empty() || m_keep || !session.recording()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastCheck < std::chrono::milliseconds(500)) return;
    m_lastCheck = now;
    std::error_code ec;
    const auto size = fs::file_size(session.recordingPath(), ec);
    const bool full = !ec && size >= m_limits.segmentBytes;
    const bool old = now - m_segmentStarted >= m_limits.segmentDuration;
    if (!full && !old) return;
    session.stopRecording();
    if (!m_segments.empty()) m_segments.back().closed = true;
    if (startSegment(session)) dropOldSegments();
}

void LiveRecording::end(introspection::Session& session) {
    if (session.recording()) session.stopRecording();
    std::error_code ec;
    for (const auto& s : m_segments)
        if (s.owned) fs::remove(s.path, ec);
    m_segments.clear();
    if (!m_dir.empty()) fs::remove_all(m_dir, ec);
    m_dir.clear();
    m_keep = false;
}

Status LiveRecording::save(introspection::Session& session, const std::string& path) {
    if (m_dir.empty() || m_segments.empty() || !session.recording())
        return Status::failure("nothing is being recorded yet (the session is not live)");
    Status st = session.stopRecording();
    m_segments.back().closed = true;
    m_keep = false;
    const std::string from = m_segments.back().path;
    std::error_code ec;
    if (st) {
        fs::rename(from, path, ec);
        if (ec) {
            // Another file system: copy, then drop the segment.
            ec.clear();
            fs::copy_file(from, path, fs::copy_options::overwrite_existing, ec);
            if (ec) st = Status::failure("cannot write " + path + ": " + ec.message());
        }
    }
    if (st) {
        fs::remove(from, ec);
        m_segments.back().path = path;
        m_segments.back().owned = false;
    }
    Status next = startSegment(session);
    if (st && !next) return Status::failure("saved " + path + ", but the live recording stopped: " + next.error());
    dropOldSegments();
    return st;
}

} // namespace canopy::views
