#pragma once
#include "introspection/command.h"
#include "introspection/command_result.h"
#include "introspection/encoding.h"
#include "introspection/keyframe.h"
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace canopy::introspection {

/// What the probe transport (ProbeTransport, ViewerConnection) asks of the system it serves: the
/// in-process runtime (ProbeServer) or a BEAM node (canopy-beam's BeamSource). Called on the
/// transport's Asio thread only.
class ProbeSource {
public:
    virtual ~ProbeSource() = default;
    /// Names the observed program for the welcome ("canopy-demo (pid 12)", "node todo@host").
    virtual std::string describe() const = 0;
    /// Source clock at startup (the session's T = 0).
    virtual std::int64_t startNs() const = 0;
    /// Source clock now (monotonic ns).
    virtual std::int64_t nowNs() const = 0;
    /// Delivers every pending event to the viewers (without flushing them), so that a keyframe taken
    /// next reflects exactly what was delivered.
    virtual void catchUp() = 0;
    /// Appends one keyframe frame of the whole tree numbered `seq` (the fast path of a full
    /// subscription); call catchUp() first.
    virtual void appendKeyframeFrame(std::vector<std::uint8_t>& out, std::uint64_t seq, Encoding encoding) = 0;
    /// Delivers pending events, then snapshots the tree (cut to `root`'s subtree unless 0).
    virtual Keyframe buildKeyframe(std::uint64_t root) = 0;
    /// Executes a viewer command already authorised by the transport; `done` runs on the Asio thread.
    virtual void runCommand(const Command& cmd, std::function<void(CommandResult)> done) = 0;
    /// The fastest sample rate any viewer asks for changed (0 = none).
    virtual void samplingChanged(double hz) = 0;
};

} // namespace canopy::introspection
