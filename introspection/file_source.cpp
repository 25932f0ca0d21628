#include "introspection/file_source.h"

namespace canopy::introspection {

FileSource::FileSource(const std::string& path) : m_path(path) {
    auto s = m_reader.open(path);
    m_ok = s.ok();
    m_error = s.error();
    m_offset = m_reader.dataBegin();
}

FileSource::FileSource(const std::string& path, const SessionIndex& index, std::uint64_t dataEnd) : m_path(path) {
    auto s = m_reader.openGrowing(path, index, dataEnd);
    m_ok = s.ok();
    m_error = s.error();
    m_offset = m_reader.dataBegin();
}

Source::Outcome FileSource::next(WireMessage& out, int) {
    if (!m_ok) return Outcome::Error;
    if (m_reader.readAt(m_offset, out)) return Outcome::Message;
    return Outcome::End;
}

} // namespace canopy::introspection
