#pragma once
// Timing helpers of the observer benchmarks (Qt-free, runtime-free: bench_support.h is the runtime's).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

namespace canopy::bench {

/// Milliseconds in a steady_clock duration.
inline double ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

/// CPU time of the calling thread in ms (what a loaded machine does not inflate as much as wall time).
inline double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// The p-quantile (0..1) of `v` (nearest rank; `v` must not be empty).
inline double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

} // namespace canopy::bench
