#pragma once

namespace canopy {

/// What the turn loop hands a waiting process whose deadline passed (runtime internal): the
/// pending receive gets an empty message, the pending call fails with timeout.
struct ReceiveTimeout {};

} // namespace canopy
