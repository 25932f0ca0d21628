#pragma once
#include <QString>
#include <cstdint>

namespace canopy::views {

/// What the session worker opens: a live probe (host, port, token) or a session file (at a moment).
struct SessionTarget {
    enum class Kind { Live, File };
    Kind kind = Kind::Live;
    /// Live: the probe's address and the token to present ("" = none).
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString token;
    /// File: the session file and the session time to open at (ns; negative = the start).
    QString path;
    std::int64_t atNs = -1;

    /// "127.0.0.1:4040" or the file path.
    QString describe() const { return kind == Kind::Live ? host + QLatin1Char(':') + QString::number(port) : path; }
};

} // namespace canopy::views
