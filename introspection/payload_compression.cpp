#include "introspection/payload_compression.h"
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <zlib.h>
#ifdef CANOPY_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

namespace canopy::introspection {

namespace {
/// Payloads from this size on are compressed without the dictionary (it only helps small frames)
/// and, when built with libdeflate, by libdeflate: ~7x faster to compress and ~3x faster to inflate
/// than zlib, in the same zlib format (any zlib reader, older ones included, decodes them).
constexpr std::size_t kBigPayload = 64 * 1024;

#ifdef CANOPY_HAVE_LIBDEFLATE
struct Deflate {
    libdeflate_compressor* compressor = libdeflate_alloc_compressor(6);
    libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
    ~Deflate() {
        if (compressor) libdeflate_free_compressor(compressor);
        if (decompressor) libdeflate_free_decompressor(decompressor);
    }
};
Deflate& libdeflate() {
    thread_local Deflate d;
    if (!d.compressor || !d.decompressor) throw std::bad_alloc();
    return d;
}
#endif

/// Strings that recur in frames, most frequent last (deflate reaches the end of a dictionary with
/// the shortest distances). Changing it changes the format: readers check its Adler-32 (zlib does).
constexpr std::string_view kDictionary =
    "resync_notice" "session_index" "session_header" "format_version" "protocol_version" "created"
    "capabilities" "one_for_all" "rest_for_one" "simple_one_for_one" "brutal_kill" "infinity"
    "start_error" "max_seconds" "max_restarts" "restarts_in_window" "supervisor_gave_up" "unlink"
    "name_registered" "name_unregistered" "significant" "dynamic_supervisor" "supervisor"
    "strategy" "one_for_one" "monitors" "links" "link" "memory" "initial_call" "status" "running"
    "runnable" "waiting" "exiting" "killed" "shutdown" "normal" "transient" "temporary" "permanent"
    "restart" "child_id" "kind" "worker" "start_order" "handled" "mailbox" "mailboxes" "processes"
    "keyframe" "sample" "process_count" "total_mailbox" "message_rate" "child_started" "child_restarted"
    "spawn" "exit" "reason" "parent" "peer" "text" "process" "time_ns" "seq" "pid" "delta" "type";
/// Adler-32 of the dictionary, as a zlib header names it (computed once).
std::uint32_t dictionaryId() {
    static const std::uint32_t id = std::uint32_t(
        adler32(adler32(0, nullptr, 0), reinterpret_cast<const Bytef*>(kDictionary.data()), uInt(kDictionary.size())));
    return id;
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

/// Inflates a zlib stream whose header asks for our dictionary into `out` (sized to the announced
/// length): raw inflate over the dictionary, then the stream's Adler-32 checked against the output.
/// False (and nothing promised about `out`) for any other stream or any fault.
bool inflateWithDictionary(std::span<const std::uint8_t> z, std::vector<std::uint8_t>& out) {
    // Header: CMF (deflate, window <= 32 KiB), FLG with FDICT, the check bits, DICTID; 4-byte trailer.
    if (z.size() < 2 + 4 + 4 + 1) return false;
    const unsigned cmf = z[0], flg = z[1];
    if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || !(flg & 0x20) || ((cmf << 8) | flg) % 31 != 0) return false;
    if (bigEndian32(z.data() + 2) != dictionaryId()) return false;
    thread_local struct RawInflater {
        z_stream z{};
        int init = inflateInit2(&z, -15);
        ~RawInflater() {
            if (init == Z_OK) inflateEnd(&z);
        }
    } raw;
    if (raw.init != Z_OK) return false;
    z_stream& s = raw.z;
    if (inflateReset(&s) != Z_OK ||
        inflateSetDictionary(&s, reinterpret_cast<const Bytef*>(kDictionary.data()), uInt(kDictionary.size())) != Z_OK)
        return false;
    const std::size_t body = z.size() - 6 - 4;
    s.next_in = const_cast<Bytef*>(z.data() + 6);
    s.avail_in = uInt(body);
    s.next_out = out.data();
    s.avail_out = uInt(out.size());
    // The announced length is exact: a stream that ends early, late, or leaves input is not ours.
    if (inflate(&s, Z_FINISH) != Z_STREAM_END || s.total_out != out.size() || s.avail_in != 0) return false;
    const std::uint32_t check = std::uint32_t(adler32(adler32(0, nullptr, 0), out.data(), uInt(out.size())));
    return check == bigEndian32(z.data() + 6 + body);
}
} // namespace

void PayloadCompression::compress(std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out) {
    // One deflate state per thread, reset per frame (deflateInit allocates ~256 KiB).
    thread_local struct Deflater {
        z_stream z{};
        bool ready = deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
        ~Deflater() {
            if (ready) deflateEnd(&z);
        }
    } d;
    const auto n = static_cast<std::uint32_t>(payload.size());
    const std::size_t start = out.size();
    out.push_back(static_cast<std::uint8_t>(n >> 24));
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
#ifdef CANOPY_HAVE_LIBDEFLATE
    if (payload.size() >= kBigPayload) {
        libdeflate_compressor* c = libdeflate().compressor;
        const std::size_t bound = libdeflate_zlib_compress_bound(c, payload.size());
        out.resize(start + 4 + bound);
        const std::size_t got = libdeflate_zlib_compress(c, payload.data(), payload.size(), out.data() + start + 4, bound);
        if (got == 0) throw std::runtime_error("compressing a frame failed: libdeflate found no room in its bound");
        out.resize(start + 4 + got);
        return;
    }
#endif
    if (!d.ready) throw std::bad_alloc();
    deflateReset(&d.z);
    if (payload.size() < kBigPayload)
        deflateSetDictionary(&d.z, reinterpret_cast<const Bytef*>(kDictionary.data()), uInt(kDictionary.size()));
    const uLong bound = deflateBound(&d.z, uLong(payload.size()));
    out.resize(start + 4 + bound);
    d.z.next_in = const_cast<Bytef*>(payload.data());
    d.z.avail_in = uInt(payload.size());
    d.z.next_out = out.data() + start + 4;
    d.z.avail_out = uInt(bound);
    const int rc = deflate(&d.z, Z_FINISH);
    if (rc != Z_STREAM_END) throw std::runtime_error(std::string("compressing a frame failed: zlib says ") + zError(rc));
    out.resize(start + 4 + d.z.total_out);
}

Result<std::vector<std::uint8_t>> PayloadCompression::decompress(std::span<const std::uint8_t> data, std::size_t maxSize) {
    std::vector<std::uint8_t> out;
    Status s = decompressInto(data, maxSize, out);
    if (!s) return Result<std::vector<std::uint8_t>>::failure(s.error());
    return out;
}

Status PayloadCompression::decompressInto(std::span<const std::uint8_t> data, std::size_t maxSize,
                                          std::vector<std::uint8_t>& out) {
    using R = Status;
    if (data.size() < 4) return R::failure("compressed payload shorter than its 4-byte length");
    const std::size_t n = (std::size_t(data[0]) << 24) | (std::size_t(data[1]) << 16) | (std::size_t(data[2]) << 8) |
                          std::size_t(data[3]);
    if (n > maxSize)
        return R::failure("compressed payload announces " + std::to_string(n) + " bytes, above the maximum frame size " +
                          std::to_string(maxSize));
    out.resize(n);
#ifdef CANOPY_HAVE_LIBDEFLATE
    // A zlib stream without a preset dictionary (FDICT, bit 5 of its second byte): libdeflate,
    // which checks the Adler-32 itself.
    if (data.size() >= 6 && !(data[5] & 0x20)) {
        const auto rc = libdeflate_zlib_decompress(libdeflate().decompressor, data.data() + 4, data.size() - 4,
                                                   out.data(), n, nullptr);
        switch (rc) {
        case LIBDEFLATE_SUCCESS: return {};
        case LIBDEFLATE_SHORT_OUTPUT:
            return R::failure("corrupt compressed payload: it inflates to fewer than the " + std::to_string(n) +
                              " bytes it announces");
        case LIBDEFLATE_INSUFFICIENT_SPACE:
            return R::failure("corrupt compressed payload: it inflates to more than the " + std::to_string(n) +
                              " bytes it announces");
        default:
            return R::failure("corrupt compressed payload (invalid deflate data, a bad checksum, or cut short)");
        }
    }
#endif
    // Small frames carry the preset dictionary: inflated raw (zlib's own path re-checks the
    // dictionary's Adler-32 on every frame), the stream's header and Adler-32 trailer checked here.
    // Anything this path does not accept goes on to zlib's, which names the problem.
    if (inflateWithDictionary(data.subspan(4), out)) return {};
    // One inflate state per thread, reset per frame (inflateInit allocates; a replay inflates
    // thousands of small frames).
    thread_local struct Inflater {
        z_stream z{};
        int init = inflateInit(&z);
        ~Inflater() {
            if (init == Z_OK) inflateEnd(&z);
        }
    } inflater;
    if (inflater.init != Z_OK)
        return R::failure(std::string("cannot start decompressing a frame: zlib says ") + zError(inflater.init));
    z_stream& z = inflater.z;
    inflateReset(&z);
    z.next_in = const_cast<Bytef*>(data.data() + 4);
    z.avail_in = uInt(data.size() - 4);
    z.next_out = out.data();
    z.avail_out = uInt(n);
    int rc = inflate(&z, Z_FINISH);
    if (rc == Z_NEED_DICT) {
        if (inflateSetDictionary(&z, reinterpret_cast<const Bytef*>(kDictionary.data()), uInt(kDictionary.size())) != Z_OK)
            return R::failure("compressed payload needs a dictionary this reader does not have");
        rc = inflate(&z, Z_FINISH);
    }
    const bool complete = rc == Z_STREAM_END && z.total_out == n && z.avail_in == 0;
    const std::string zlibSays = z.msg ? z.msg : "";
    const std::uint64_t produced = z.total_out;
    const bool inputLeft = z.avail_in > 0, outputFull = z.avail_out == 0;
    if (complete) return {};
    // zlib's codes in words (Z_BUF_ERROR comes with no message of its own).
    switch (rc) {
    case Z_STREAM_END:
        if (produced != n)
            return R::failure("corrupt compressed payload: it inflates to " + std::to_string(produced) +
                              " bytes, not the " + std::to_string(n) + " it announces");
        return R::failure("corrupt compressed payload: bytes follow the end of its zlib stream");
    case Z_BUF_ERROR:
    case Z_OK:
        if (outputFull && inputLeft)
            return R::failure("corrupt compressed payload: it inflates to more than the " + std::to_string(n) +
                              " bytes it announces");
        return R::failure("compressed payload ends before its zlib stream does (truncated after " +
                          std::to_string(produced) + " of " + std::to_string(n) + " bytes)");
    case Z_NEED_DICT:
        return R::failure("compressed payload needs a dictionary this reader does not have");
    case Z_DATA_ERROR:
        return R::failure("corrupt compressed payload (" + (zlibSays.empty() ? std::string("invalid deflate data") : zlibSays) + ")");
    case Z_MEM_ERROR:
        return R::failure("out of memory decompressing a frame");
    default:
        return R::failure("corrupt compressed payload (" + (zlibSays.empty() ? std::string(zError(rc)) : zlibSays) + ")");
    }
}

} // namespace canopy::introspection
