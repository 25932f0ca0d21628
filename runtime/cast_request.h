#pragma once
#include "runtime/message.h"

namespace canopy {

/// `{'$gen_cast', Request}`.
struct CastRequest {
    Message request;
};

} // namespace canopy
