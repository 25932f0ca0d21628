#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace canopy::beam {

/// The delay from an event on the node to the bridge taking it, as a histogram of 1 ms buckets
/// (the last one holds everything beyond): events counted, p50, p99 and the maximum.
class BeamLatency {
public:
    /// `events` events whose batch started `ms` milliseconds ago.
    void add(double ms, std::uint64_t events) {
        const auto bucket = std::size_t(std::min<double>(ms, double(kBuckets - 1)));
        m_buckets[bucket] += events;
        m_count += events;
        m_maxMs = std::max(m_maxMs, ms);
    }
    /// Events counted.
    std::uint64_t count() const { return m_count; }
    /// The upper bound (ms) under which `fraction` of the events arrived.
    double quantileMs(double fraction) const {
        std::uint64_t seen = 0;
        const auto want = std::uint64_t(double(m_count) * fraction);
        for (std::size_t i = 0; i < kBuckets; ++i) {
            seen += m_buckets[i];
            if (seen > want) return double(i + 1);
        }
        return m_maxMs;
    }
    /// The largest delay seen (ms).
    double maxMs() const { return m_maxMs; }
    /// "N events, node to bridge p50 < A ms, p99 < B ms, max C ms".
    std::string summary() const {
        if (m_count == 0) return "0 events";
        return std::to_string(m_count) + " events, node to bridge p50 < " + std::to_string(int(quantileMs(0.5))) +
               " ms, p99 < " + std::to_string(int(quantileMs(0.99))) + " ms, max " + std::to_string(int(m_maxMs + 0.5)) +
               " ms";
    }

private:
    static constexpr std::size_t kBuckets = 1000;
    std::array<std::uint64_t, kBuckets> m_buckets{};
    std::uint64_t m_count = 0;
    double m_maxMs = 0;
};

} // namespace canopy::beam
