#pragma once
#include "runtime/message.h"
#include <cstdint>

namespace canopy {

/// `{Tag, Reply}`: the answer to a call.
struct CallReply {
    std::uint64_t tag = 0;
    Message reply;
};

} // namespace canopy
