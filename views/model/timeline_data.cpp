#include "views/model/timeline_data.h"
#include <algorithm>

namespace canopy::views {

void TimelineData::appendPoint(const TimelinePoint& point) {
    if (points.empty() || point.tNs > points.back().tNs) {
        points.push_back(point);
    } else if (point.tNs == points.back().tNs) {
        points.back() = point;
    } else {
        auto it = std::lower_bound(points.begin(), points.end(), point.tNs,
                                   [](const TimelinePoint& p, std::int64_t t) { return p.tNs < t; });
        if (it != points.end() && it->tNs == point.tNs)
            *it = point;
        else
            points.insert(it, point);
    }
    durationNs = std::max(durationNs, point.tNs);
}

void TimelineData::appendMarker(TimelineMarker marker) {
    const std::int64_t t = marker.tNs;
    if (markers.empty() || t >= markers.back().tNs) {
        markers.push_back(std::move(marker));
    } else {
        auto it = std::upper_bound(markers.begin(), markers.end(), t,
                                   [](std::int64_t v, const TimelineMarker& m) { return v < m.tNs; });
        markers.insert(it, std::move(marker));
    }
    durationNs = std::max(durationNs, t);
}

void TimelineData::append(const TimelineData& later) {
    points.reserve(points.size() + later.points.size());
    for (const auto& p : later.points) appendPoint(p);
    for (const auto& m : later.markers) appendMarker(m);
    durationNs = std::max(durationNs, later.durationNs);
}

void TimelineData::dropBefore(std::int64_t tNs) {
    auto p = std::lower_bound(points.begin(), points.end(), tNs,
                              [](const TimelinePoint& q, std::int64_t t) { return q.tNs < t; });
    points.erase(points.begin(), p);
    auto m = std::lower_bound(markers.begin(), markers.end(), tNs,
                              [](const TimelineMarker& q, std::int64_t t) { return q.tNs < t; });
    markers.erase(markers.begin(), m);
}

std::vector<TimelineColumn> TimelineData::decimate(std::int64_t t0Ns, std::int64_t t1Ns, int columns) const {
    std::vector<TimelineColumn> out(static_cast<std::size_t>(std::max(columns, 0)));
    if (columns <= 0 || t1Ns <= t0Ns || points.empty()) return out;
    auto it = std::lower_bound(points.begin(), points.end(), t0Ns,
                               [](const TimelinePoint& p, std::int64_t t) { return p.tNs < t; });
    const double span = static_cast<double>(t1Ns - t0Ns);
    for (; it != points.end() && it->tNs < t1Ns; ++it) {
        int c = static_cast<int>(static_cast<double>(it->tNs - t0Ns) / span * columns);
        c = std::clamp(c, 0, columns - 1);
        TimelineColumn& col = out[static_cast<std::size_t>(c)];
        if (!col.filled) {
            col.filled = true;
            col.minCount = col.maxCount = it->processCount;
            col.minMailbox = col.maxMailbox = it->totalMailbox;
        } else {
            col.minCount = std::min(col.minCount, it->processCount);
            col.maxCount = std::max(col.maxCount, it->processCount);
            col.minMailbox = std::min(col.minMailbox, it->totalMailbox);
            col.maxMailbox = std::max(col.maxMailbox, it->totalMailbox);
        }
        col.lastCount = it->processCount;
        col.lastMailbox = it->totalMailbox;
    }
    return out;
}

int TimelineData::pointAt(std::int64_t tNs) const {
    auto it = std::upper_bound(points.begin(), points.end(), tNs,
                               [](std::int64_t t, const TimelinePoint& p) { return t < p.tNs; });
    return static_cast<int>(it - points.begin()) - 1;
}

const TimelineMarker* TimelineData::nextCrash(std::int64_t tNs) const {
    auto it = std::upper_bound(markers.begin(), markers.end(), tNs,
                               [](std::int64_t t, const TimelineMarker& m) { return t < m.tNs; });
    for (; it != markers.end(); ++it)
        if (isCrash(it->kind)) return &*it;
    return nullptr;
}

const TimelineMarker* TimelineData::previousCrash(std::int64_t tNs) const {
    auto it = std::lower_bound(markers.begin(), markers.end(), tNs,
                               [](const TimelineMarker& m, std::int64_t t) { return m.tNs < t; });
    while (it != markers.begin()) {
        --it;
        if (isCrash(it->kind)) return &*it;
    }
    return nullptr;
}

std::uint64_t TimelineData::maxProcessCount() const {
    std::uint64_t m = 0;
    for (const auto& p : points) m = std::max(m, p.processCount);
    return m;
}

std::int64_t TimelineData::maxTotalMailbox() const {
    std::int64_t m = 0;
    for (const auto& p : points) m = std::max(m, p.totalMailbox);
    return m;
}

} // namespace canopy::views
