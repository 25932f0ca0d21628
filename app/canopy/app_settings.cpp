#include "app/canopy/app_settings.h"
#include <QFileInfo>
#include <QSettings>

namespace canopy::app {

QSettings& AppSettings::store() {
    static QSettings settings(QStringLiteral("Canopy"), QStringLiteral("canopy"));
    return settings;
}

QByteArray AppSettings::windowGeometry() { return store().value(QStringLiteral("window/geometry")).toByteArray(); }

QByteArray AppSettings::windowState() { return store().value(QStringLiteral("window/state")).toByteArray(); }

void AppSettings::setWindowGeometry(const QByteArray& geometry, const QByteArray& state) {
    store().setValue(QStringLiteral("window/geometry"), geometry);
    store().setValue(QStringLiteral("window/state"), state);
}

QStringList AppSettings::recentFiles() { return store().value(QStringLiteral("recent/files")).toStringList(); }

void AppSettings::addRecentFile(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > 10) files.removeLast();
    store().setValue(QStringLiteral("recent/files"), files);
}

void AppSettings::removeRecentFile(const QString& path) {
    QStringList files = recentFiles();
    files.removeAll(path);
    store().setValue(QStringLiteral("recent/files"), files);
}

int AppSettings::herdThreshold() {
    return qBound(2, store().value(QStringLiteral("tree/herdThreshold"), kDefaultHerdThreshold).toInt(), 100000);
}

void AppSettings::setHerdThreshold(int threshold) { store().setValue(QStringLiteral("tree/herdThreshold"), threshold); }

int AppSettings::topN() { return qMax(0, store().value(QStringLiteral("table/topN"), kDefaultTopN).toInt()); }

void AppSettings::setTopN(int n) { store().setValue(QStringLiteral("table/topN"), n); }

} // namespace canopy::app
