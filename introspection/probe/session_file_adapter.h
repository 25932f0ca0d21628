#pragma once
#include "introspection/delta.h"
#include "introspection/keyframe.h"
#include "introspection/result.h"
#include "introspection/session_header.h"
#include "introspection/session_index.h"
#include "introspection/wire_message.h"
#include <cstdio>
#include <string>

namespace canopy::introspection {

/// Minimal local writer of the documented `.canopy` layout (magic, header, frames, index, trailer),
/// used by the flight recorder until the shared session-file writer is available.
class SessionFileAdapter {
public:
    SessionFileAdapter() = default;
    ~SessionFileAdapter();
    SessionFileAdapter(const SessionFileAdapter&) = delete;
    SessionFileAdapter& operator=(const SessionFileAdapter&) = delete;

    /// Creates the file and writes the magic and the header.
    Status open(const std::string& path, const SessionHeader& header);
    /// Appends one message (keyframes are indexed).
    void write(const WireMessage& message);
    /// Writes the index and trailer and closes; reports the first write error.
    Status close();

private:
    void put(const void* data, std::size_t n);
    std::FILE* m_file = nullptr;
    std::string m_path;
    std::uint64_t m_offset = 0;
    bool m_failed = false;
    SessionIndex m_index;
};

} // namespace canopy::introspection
