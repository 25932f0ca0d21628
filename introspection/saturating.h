#pragma once
#include <cstdint>
#include <limits>

/// Saturating arithmetic on probe-clock times (values read from the wire or a file may be anything).
namespace canopy::introspection::saturating {

/// a - b, clamped to the int64 range.
inline std::int64_t sub(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return r;
}
/// a + b, clamped to the int64 range.
inline std::int64_t add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return r;
}

} // namespace canopy::introspection::saturating
