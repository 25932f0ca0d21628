#pragma once
#include "introspection/session_reader.h"
#include "introspection/source.h"
#include <memory>

namespace canopy::introspection {

/// A Source that replays a session file from its start (or from a seek point) in file order.
class FileSource : public Source {
public:
    /// Opens the file; check with error()/ok().
    explicit FileSource(const std::string& path);
    /// Opens a file a SessionWriter is still writing, with the writer's index and flushed size (no scan).
    FileSource(const std::string& path, const SessionIndex& index, std::uint64_t dataEnd);
    /// True when the file opened.
    bool ok() const { return m_ok; }
    /// The underlying reader (header, index, warnings, seek).
    SessionReader& reader() { return m_reader; }
    /// Continues from `offset` (e.g. one returned by SessionReader::seek()).
    void setOffset(std::uint64_t offset) { m_offset = offset; }
    /// Where next() reads next.
    std::uint64_t offset() const { return m_offset; }

    Outcome next(WireMessage& out, int timeoutMs) override;
    const std::string& error() const override { return m_error; }
    std::int64_t startNs() const override { return m_reader.startNs(); }
    std::string describe() const override { return m_path; }

private:
    std::string m_path;
    SessionReader m_reader;
    bool m_ok = false;
    std::uint64_t m_offset = 0;
    std::string m_error;
};

} // namespace canopy::introspection
