#include "views/model/session_time_text.h"
#include <algorithm>

namespace canopy::views {

namespace {
QString two(std::int64_t v) { return QString::number(v).rightJustified(2, '0'); }
} // namespace

QString sessionTimeText(std::int64_t ns) {
    const std::int64_t s = std::max<std::int64_t>(ns, 0) / 1'000'000'000;
    if (s >= 3600) return QString::number(s / 3600) + ':' + two(s / 60 % 60) + ':' + two(s % 60);
    return two(s / 60) + ':' + two(s % 60);
}

QString sessionTimeTextPrecise(std::int64_t ns) {
    ns = std::max<std::int64_t>(ns, 0);
    return sessionTimeText(ns) + '.' + QString::number(ns / 100'000'000 % 10);
}

QString durationText(std::int64_t ns) {
    ns = std::max<std::int64_t>(ns, 0);
    if (ns < 1'000'000'000) return QString::number(ns / 1'000'000) + " ms";
    const double s = static_cast<double>(ns) / 1e9;
    if (s < 60) return QString::number(s, 'f', s < 10 ? 1 : 0) + " s";
    const std::int64_t whole = ns / 1'000'000'000;
    if (whole < 3600)
        return QString::number(whole / 60) + " min" + (whole % 60 ? " " + two(whole % 60) + " s" : QString());
    return QString::number(whole / 3600) + " h " + two(whole / 60 % 60) + " min";
}

} // namespace canopy::views
