#pragma once
#include "introspection/command.h"
#include "introspection/command_result.h"
#include "introspection/delta.h"
#include "introspection/hello.h"
#include "introspection/keyframe.h"
#include "introspection/keyframe_request.h"
#include "introspection/refusal.h"
#include "introspection/resync_notice.h"
#include "introspection/sample.h"
#include "introspection/session_header.h"
#include "introspection/session_index.h"
#include "introspection/subscribe.h"
#include "introspection/welcome.h"
#include <string_view>
#include <variant>

namespace canopy::introspection {

/// Any message of the protocol (and of session files). The JSON/CBOR "type" field names the alternative.
using WireMessage = std::variant<Hello, Welcome, Refusal, Keyframe, Delta, Sample, ResyncNotice, Subscribe,
                                 KeyframeRequest, Command, CommandResult, SessionHeader, SessionIndex>;

/// The "type" field of a message: "hello", "welcome", "refusal", "keyframe", "delta", "sample",
/// "resync", "subscribe", "keyframe_request", "command", "command_result", "session_header",
/// "session_index".
std::string_view messageTypeName(const WireMessage& message);

} // namespace canopy::introspection
