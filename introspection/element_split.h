#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace canopy::introspection {

/// Lets the decoder of a long array hand its later elements to a second thread (a keyframe's
/// process records during a seek): the caller asks for help at the array's start, decodes the
/// earlier elements itself, then takes what the side thread finished, in order, and goes on from
/// there. The side thread decodes exactly what the caller would (same code, same bytes); it stops
/// at any fault and leaves the rest, so errors are found and worded by the caller as before.
template <class E>
class ElementSplit {
public:
    /// What the side thread runs: decodes elements from the array's element `skip` on (`offset`:
    /// where element 0 starts in `bytes`; `count` elements from there), each into sideElement()
    /// and then publish(); returns early when publish() says stop. Throws on malformed bytes.
    using SideDecode = void (*)(ElementSplit& split, std::span<const std::uint8_t> bytes, std::size_t offset,
                                std::size_t skip, std::size_t count);

    virtual ~ElementSplit() = default;
    /// Caller: offers elements [skip, skip + count) to the side thread. False when there is no side
    /// thread to take them (then the caller decodes everything itself).
    virtual bool start(SideDecode decode, std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t skip,
                       std::size_t count) = 0;
    /// Side thread: an element holding E's defaults to decode the next one into.
    virtual E& sideElement() = 0;
    /// Side thread: the element from sideElement() is decoded and ends at byte `end` of the bytes
    /// given to start(). False when the caller has stopped the split (the element is dropped).
    virtual bool publish(std::size_t end) = 0;
    /// Caller: stops the side thread (waiting for it to leave the bytes), commits the elements it
    /// published to the sink in order, and returns how many; `end` is where the last one ends.
    virtual std::size_t finish(std::size_t& end) = 0;
    /// Caller, unwinding (the array is corrupt): stops the side thread and drops its elements.
    virtual void abandon() = 0;
};

} // namespace canopy::introspection
