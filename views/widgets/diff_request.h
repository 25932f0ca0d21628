#pragma once
#include <QMetaType>
#include <QString>
#include <cstdint>

namespace canopy::views {

/// What the user asked to compare (DiffPanel::diffRequested): two moments of this session, or a
/// moment of this session against a moment of another session file. The worker computes the diff.
struct DiffRequest {
    enum class Mode {
        Moments, ///< this session at aNs vs this session at bNs
        File,    ///< this session at aNs vs `otherFile` at bNs
    };
    Mode mode = Mode::Moments;
    /// Session times (ns since the session's start); bNs < 0 in File mode = the other file's end.
    std::int64_t aNs = 0;
    std::int64_t bNs = 0;
    /// File mode: the other session file.
    QString otherFile;
};

} // namespace canopy::views

Q_DECLARE_METATYPE(canopy::views::DiffRequest)
