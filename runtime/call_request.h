#pragma once
#include "runtime/from.h"
#include "runtime/message.h"

namespace canopy {

/// `{'$gen_call', From, Request}`.
struct CallRequest {
    From from;
    Message request;
};

} // namespace canopy
