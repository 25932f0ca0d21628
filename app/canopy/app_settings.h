#pragma once
#include <QByteArray>
#include <QString>
#include <QStringList>

class QSettings;

namespace canopy::app {

/// The desktop app's remembered settings (QSettings "Canopy"/"canopy"): window geometry and dock
/// state, recent session files, the herd threshold, the process table's top-N. Recent probe targets
/// are kept by the attach dialog in the same QSettings.
class AppSettings {
public:
    /// Same-spec siblings from which the tree draws a herd (default 12).
    static constexpr int kDefaultHerdThreshold = 12;
    /// Process table rows shown by default (the busiest by the sort column; 0 = all).
    static constexpr int kDefaultTopN = 1000;

    /// The application's settings (QSettings with the organisation and application names).
    static QSettings& store();

    static QByteArray windowGeometry();
    static QByteArray windowState();
    static void setWindowGeometry(const QByteArray& geometry, const QByteArray& state);
    /// Session files opened, most recent first (at most 10).
    static QStringList recentFiles();
    static void addRecentFile(const QString& path);
    static void removeRecentFile(const QString& path);
    static int herdThreshold();
    static void setHerdThreshold(int threshold);
    static int topN();
    static void setTopN(int n);
};

} // namespace canopy::app
