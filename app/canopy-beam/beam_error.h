#pragma once
#include <stdexcept>
#include <string>

namespace canopy::beam {

/// A failure talking to the BEAM node, with one line for the user and the exit code it maps to
/// (2 cannot attach: no node, wrong cookie; 3 the node went away while attached).
class BeamError : public std::runtime_error {
public:
    /// `message` is the whole line the user sees (without the program prefix).
    BeamError(const std::string& message, int exitCode) : std::runtime_error(message), m_exitCode(exitCode) {}
    /// The process exit code for this failure.
    int exitCode() const { return m_exitCode; }

private:
    int m_exitCode;
};

} // namespace canopy::beam
