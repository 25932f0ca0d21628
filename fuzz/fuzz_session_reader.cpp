// libFuzzer target: arbitrary bytes as a session file -> SessionReader (open, seek, iterate, the
// timeline and range iteration, crash jumps).
// The input is prefixed with the file magic half of the time so the fuzzer reaches the frames.
// Every message the reader yields must survive encode -> decode unchanged (fuzz/round_trip_check.h).
#include "fuzz/round_trip_check.h"
#include "introspection/session_file_format.h"
#include "introspection/session_reader.h"
#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace canopy::introspection;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::vector<std::uint8_t> bytes;
    if (data[0] & 1) bytes.insert(bytes.end(), session_file::kFileMagic, session_file::kFileMagic + session_file::kMagicSize);
    bytes.insert(bytes.end(), data + 1, data + size);
    SessionReader reader;
    if (!reader.openBytes(std::move(bytes), "fuzz").ok()) return 0;
    const std::int64_t d = reader.durationNs();
    (void)reader.snapshotAt(0);
    (void)reader.snapshotAt(d / 2);
    (void)reader.snapshotAt(d);
    std::size_t n = 0;
    reader.forEach(reader.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
        canopy::fuzzing::checkRoundTrip(m);
        return ++n < 100000;
    });
    (void)reader.timeline();
    (void)reader.giveUps();
    n = 0;
    reader.forEachInRange(d / 4, d, [&](const WireMessage&, std::uint64_t) { return ++n < 100000; });
    (void)reader.nextAbnormalExitAfter(0);
    (void)reader.previousAbnormalExitBefore(d);
    return 0;
}
