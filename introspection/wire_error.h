#pragma once
#include <string>
#include <utility>

namespace canopy::introspection {

/// Why a payload could not be decoded. Thrown inside the codec's readers and table decoder only;
/// Codec turns it into a Result error, so nothing escapes to callers.
class WireError {
public:
    /// Syntax: the bytes are not valid JSON/CBOR. Field: valid syntax, but not the message shape.
    enum class Kind { Syntax, Field };

    WireError(Kind kind, std::string what) : m_kind(kind), m_what(std::move(what)) {}
    /// Which of the two it is.
    Kind kind() const { return m_kind; }
    /// The problem, without the field path.
    const std::string& what() const { return m_what; }
    /// Where (e.g. `processes[3].pid`); "" at the top level.
    const std::string& path() const { return m_path; }
    /// Prepends a field name or an `[index]` to the path as the error travels outwards.
    void within(const std::string& step) {
        if (m_path.empty()) m_path = step;
        else if (m_path[0] == '[') m_path = step + m_path;
        else m_path = step + "." + m_path;
    }

private:
    Kind m_kind;
    std::string m_what;
    std::string m_path;
};

} // namespace canopy::introspection
