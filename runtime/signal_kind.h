#pragma once
#include <cstdint>

namespace canopy {

/// Kinds of runtime signals travelling in a mailbox beside user messages (MessageNode::signal).
enum SignalKind : std::uint8_t {
    SignalUser = 0,  ///< an ordinary message
    SignalExit,      ///< TypedMessageNode<ExitMessage>; flags & SignalViaLink when it came through a link
    SignalLink,      ///< TypedMessageNode<PeerSignal>: the sender linked to us
    SignalUnlink,    ///< TypedMessageNode<PeerSignal>: the sender unlinked from us
    SignalDown,      ///< TypedMessageNode<DownMessage>: a process we monitor ended
    SignalWaitTick,  ///< TypedMessageNode<WaitTick>: our wait deadline may have passed
};

/// MessageNode::flags bit of an exit signal that travelled through a link.
inline constexpr std::uint8_t SignalViaLink = 1;

} // namespace canopy
