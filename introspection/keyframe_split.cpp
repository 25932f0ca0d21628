#include "introspection/keyframe_split.h"

namespace canopy::introspection {

KeyframeSplit::~KeyframeSplit() { close(); }

bool KeyframeSplit::start(SideDecode decode, std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t skip,
                          std::size_t count) {
    if (!m_commit || m_phase.load(std::memory_order_acquire) != kIdle) return false;
    m_decode = decode;
    m_bytes = bytes;
    m_offset = offset;
    m_skip = skip;
    m_count = count;
    m_stop.store(false, std::memory_order_relaxed);
    m_nodes.clear();
    m_nodes.reserve(count);
    m_lastEnd = 0;
    m_job = [this] { m_decode(*this, m_bytes, m_offset, m_skip, m_count); };
    setPhase(kPosted);
    return true;
}

bool KeyframeSplit::post(std::function<void()> job) {
    if (m_phase.load(std::memory_order_acquire) != kIdle) return false;
    m_job = std::move(job);
    setPhase(kPosted);
    return true;
}

bool KeyframeSplit::await() {
    int expected = kPosted;
    bool ok = true;
    if (m_phase.compare_exchange_strong(expected, kRunning, std::memory_order_acq_rel)) {
        m_job(); // not taken yet: done here
    } else {
        for (int phase = m_phase.load(std::memory_order_acquire); phase == kRunning;
             phase = m_phase.load(std::memory_order_acquire))
            m_phase.wait(phase, std::memory_order_acquire);
        if (m_phase.load(std::memory_order_acquire) != kDone) return false; // nothing was posted
        ok = !m_failed;
    }
    m_job = nullptr;
    setPhase(kIdle);
    return ok;
}

ProcessRecord& KeyframeSplit::sideElement() {
    // A node of the model's map type, as KeyframeLoader::element() makes them.
    if (m_scratch.empty()) m_scratch = m_spare.extract(m_spare.try_emplace(0).first);
    return m_scratch.mapped();
}

bool KeyframeSplit::publish(std::size_t end) {
    if (m_stop.load(std::memory_order_relaxed)) return false;
    m_nodes.push_back(std::move(m_scratch));
    m_lastEnd = end;
    return true;
}

bool KeyframeSplit::runPosted() {
    int expected = kPosted;
    if (!m_phase.compare_exchange_strong(expected, kRunning, std::memory_order_acquire)) return false;
    m_failed = false;
    try {
        m_job();
    } catch (...) {
        m_failed = true;
        // A decode: malformed bytes or no memory (the caller decodes from the last published
        // record on and finds, and words, any error itself). Other jobs do not throw.
    }
    m_scratch = Node{};
    setPhase(kDone);
    return true;
}

void KeyframeSplit::serveUntilClosed() {
    while (true) {
        const int phase = m_phase.load(std::memory_order_acquire);
        if (phase == kClosed) return;
        if (phase == kPosted) {
            runPosted();
            continue;
        }
        m_phase.wait(phase, std::memory_order_acquire);
    }
}

bool KeyframeSplit::stopJob() {
    int expected = kPosted;
    // Not taken yet: withdrawn, nothing to wait for.
    if (m_phase.compare_exchange_strong(expected, kIdle, std::memory_order_acq_rel)) {
        m_phase.notify_all();
        return false;
    }
    if (expected != kRunning && expected != kDone) return false;
    m_stop.store(true, std::memory_order_relaxed);
    // The side thread finishes the record in hand (microseconds) and leaves.
    for (int phase = m_phase.load(std::memory_order_acquire); phase != kDone; phase = m_phase.load(std::memory_order_acquire))
        m_phase.wait(phase, std::memory_order_acquire);
    return true;
}

std::size_t KeyframeSplit::finish(std::size_t& end) {
    end = 0;
    if (!stopJob()) return 0;
    const std::size_t got = m_nodes.size();
    end = m_lastEnd;
    for (Node& node : m_nodes) m_commit(m_target, std::move(node));
    m_nodes.clear();
    setPhase(kIdle);
    return got;
}

void KeyframeSplit::abandon() {
    if (stopJob()) {
        m_nodes.clear();
        setPhase(kIdle);
    }
}

void KeyframeSplit::close() {
    abandon();
    setPhase(kClosed);
}

} // namespace canopy::introspection
