#pragma once
#include <cstdint>
#include <random>

namespace canopy::demo {

/// A small per-process random source derived from the system seed and a salt (process kind, index).
class DemoRandom {
public:
    /// Seeds from (seed, salt) with splitmix64 so nearby seeds give unrelated streams.
    DemoRandom(std::uint64_t seed, std::uint64_t salt) : m_engine(mix(seed * 0x9E3779B97F4A7C15ull + salt)) {}
    /// Uniform integer in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(m_engine);
    }
    /// Uniform real in [0, 1).
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_engine); }
    /// True with probability p.
    bool chance(double p) { return unit() < p; }
    /// The engine, for std distributions.
    std::mt19937_64& engine() { return m_engine; }

private:
    static std::uint64_t mix(std::uint64_t x) {
        x += 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    }
    std::mt19937_64 m_engine;
};

} // namespace canopy::demo
