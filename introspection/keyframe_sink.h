#pragma once
#include "introspection/element_split.h"
#include "introspection/process_record.h"

namespace canopy::introspection {

/// Takes a keyframe's process records one at a time while the keyframe is decoded
/// (Codec::decodeKeyframeFrame), so they go straight where they belong instead of into a vector.
class KeyframeSink {
public:
    virtual ~KeyframeSink() = default;
    /// A record holding ProcessRecord's defaults, owned by the sink, for the decoder to fill.
    virtual ProcessRecord& element() = 0;
    /// The record last handed out by element(), now decoded.
    virtual void commit(ProcessRecord& record) = 0;
    /// A second thread for the later records of a big keyframe (nullptr: none; the default).
    virtual ElementSplit<ProcessRecord>* split() { return nullptr; }
};

} // namespace canopy::introspection
