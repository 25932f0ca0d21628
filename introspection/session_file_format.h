#pragma once
#include <cstddef>

/// Layout constants of `.canopy` session files (see docs/protocol.md, "Session files").
namespace canopy::introspection::session_file {

/// First 8 bytes of every session file.
inline constexpr char kFileMagic[8] = {'C', 'A', 'N', 'O', 'P', 'Y', 'S', 'F'};
/// Last 8 bytes of a cleanly closed file (preceded by the u64 BE offset of the index frame).
inline constexpr char kTrailerMagic[8] = {'C', 'A', 'N', 'O', 'P', 'Y', 'I', 'X'};
inline constexpr std::size_t kMagicSize = 8;
inline constexpr std::size_t kTrailerSize = 16;

} // namespace canopy::introspection::session_file
