#pragma once
#include "introspection/element_split.h"
#include "introspection/process_record.h"
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <vector>

namespace canopy::introspection {

/// The side thread's share of loading a big keyframe (SessionReader::seek's read-ahead thread):
/// while the seeking thread decodes the first half of the records into the model, the side thread
/// decodes the second half into nodes of the model's map type; the seeking thread then links
/// them in order and decodes whatever the side thread had not reached. Other parts of the load can
/// be posted too (post, await). One job at a time; the side thread runs posted jobs (runPosted,
/// serveUntilClosed) until close().
class KeyframeSplit final : public ElementSplit<ProcessRecord> {
public:
    using Records = std::map<std::uint64_t, ProcessRecord>;
    using Node = Records::node_type;
    /// Where finish() puts the side thread's records, in order (a KeyframeLoader).
    using Commit = void (*)(void* target, Node&& node);

    KeyframeSplit() = default;
    KeyframeSplit(const KeyframeSplit&) = delete;
    KeyframeSplit& operator=(const KeyframeSplit&) = delete;
    /// Closes (a job still posted or running is stopped and its records dropped).
    ~KeyframeSplit() override;

    /// Caller: finish() commits to `target` through `commit` from now on.
    void setTarget(void* target, Commit commit) {
        m_target = target;
        m_commit = commit;
    }
    bool start(SideDecode decode, std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t skip,
               std::size_t count) override;
    ProcessRecord& sideElement() override;
    bool publish(std::size_t end) override;
    std::size_t finish(std::size_t& end) override;
    void abandon() override;
    /// Caller: no more jobs; wakes serveUntilClosed(). Stops a job still in progress.
    void close();
    /// Caller: offers `job` (another part of the keyframe load, e.g. the child index) to the side
    /// thread; false when it cannot take one (closed, or a job is in progress).
    bool post(std::function<void()> job);
    /// Caller, after post(): the job is done when this returns (run here if the side thread had
    /// not taken it yet). False when it failed on the side thread (it threw: out of memory).
    bool await();

    /// Side thread: true when a job waits (a cheap check between other work).
    bool posted() const { return m_phase.load(std::memory_order_relaxed) == kPosted; }
    /// Side thread: runs the posted job, if it is still there; true if it ran one.
    bool runPosted();
    /// Side thread: runs the jobs posted from now on until close().
    void serveUntilClosed();

private:
    enum : int { kIdle, kPosted, kRunning, kDone, kClosed };
    /// Caller: stops the job (if any) and waits until the side thread has left it; true when the
    /// side thread ran it (its records are in m_nodes).
    bool stopJob();
    void setPhase(int phase) {
        m_phase.store(phase, std::memory_order_release);
        m_phase.notify_all();
    }

    std::atomic<int> m_phase{kIdle};
    std::atomic<bool> m_stop{false};
    /// The posted job: start()'s decode, or post()'s.
    std::function<void()> m_job;
    SideDecode m_decode = nullptr;
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_offset = 0, m_skip = 0, m_count = 0;
    // Written by the side thread while a job runs, read by the caller after it is done.
    std::vector<Node> m_nodes;
    std::size_t m_lastEnd = 0;
    bool m_failed = false;
    Records m_spare;
    Node m_scratch;
    void* m_target = nullptr;
    Commit m_commit = nullptr;
};

} // namespace canopy::introspection
