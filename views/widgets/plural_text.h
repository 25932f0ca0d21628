#pragma once
#include <QLocale>
#include <QString>

namespace canopy::views {

/// `1 process`, `12 processes`, `1,234 events` (English, grouped digits; the same on every machine).
inline QString pluralText(long long n, const QString& singular, const QString& plural) {
    QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

/// A number with grouped digits: `128,400`.
inline QString groupedNumber(long long n) { return QLocale(QLocale::English, QLocale::UnitedStates).toString(n); }

} // namespace canopy::views
