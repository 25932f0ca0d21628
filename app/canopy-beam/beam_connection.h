#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct ei_cnode_s;

namespace canopy::beam {

/// One message received from the node: the encoded term (with its version byte).
using BeamMessage = std::vector<char>;

/// A hidden C-node connection to one BEAM node through erl_interface: rpc calls (rex) with a
/// deadline, and the messages the node's agent sends to this C node's pid. One thread only.
class BeamConnection {
public:
    /// Connects to `node` ("name@host") with `cookie` within `timeoutMs`; throws BeamError with a
    /// one-line reason (no epmd, node not registered, wrong cookie, ...).
    BeamConnection(const std::string& node, const std::string& cookie, unsigned timeoutMs);
    /// Closes the connection (the node sees this hidden node go down).
    ~BeamConnection();
    BeamConnection(const BeamConnection&) = delete;
    BeamConnection& operator=(const BeamConnection&) = delete;

    /// Writes `self()` (this C node's pid) into an ei buffer being built.
    void encodeSelf(void* eiXBuff) const;
    /// This C node's name (`canopy_beam_<ospid>@host`).
    const std::string& selfNode() const { return m_selfNode; }
    /// The observed node's name.
    const std::string& node() const { return m_node; }
    /// Calls `module:function(args...)` where `argsList` is an encoded list (ei_x_buff bytes, without
    /// version byte); waits `timeoutMs` for the reply, keeping the other messages for receive(). Returns
    /// the reply term (versioned). Throws BeamError when the node goes away or does not reply.
    BeamMessage rpc(const std::string& module, const std::string& function, const std::vector<char>& argsList,
                    unsigned timeoutMs);
    /// The next agent message within `timeoutMs`: false when none came. Throws when the node went away.
    bool receive(BeamMessage& out, unsigned timeoutMs);

private:
    /// One message from the socket (ticks answered); false on timeout.
    bool receiveOne(BeamMessage& out, bool& isRpcReply, unsigned timeoutMs);

    std::unique_ptr<ei_cnode_s> m_cnode;
    int m_fd = -1;
    std::string m_node;
    std::string m_selfNode;
    std::deque<BeamMessage> m_pending;
};

} // namespace canopy::beam
