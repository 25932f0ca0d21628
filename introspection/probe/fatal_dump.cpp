#include "introspection/probe/fatal_dump.h"
#include "introspection/codec.h"
#include "introspection/probe/fatal_signal_handler.h"
#include "introspection/probe/flight_recorder.h"
#include "introspection/session_file_format.h"
#include "introspection/session_header.h"
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace canopy::introspection {

namespace {

constexpr char kCreatedPlaceholder[] = "0000-00-00T00:00:00Z"; // 20 characters, filled in at the crash

const char* reasonText(int reason) {
    switch (reason) {
    case FatalDump::Segv: return "fatal signal SIGSEGV (invalid memory access)";
    case FatalDump::Bus: return "fatal signal SIGBUS (bus error)";
    case FatalDump::Fpe: return "fatal signal SIGFPE (arithmetic error)";
    case FatalDump::Ill: return "fatal signal SIGILL (illegal instruction)";
    case FatalDump::Abrt: return "fatal signal SIGABRT (abort)";
    default: return "std::terminate";
    }
}

bool writeAll(int fd, const void* data, std::size_t size) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(data);
    while (size > 0) {
        const ssize_t w = ::write(fd, p, size);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        size -= std::size_t(w);
    }
    return true;
}

/// "YYYY-MM-DDTHH:MM:SSZ" of `t` into out[0..19], by arithmetic only (gmtime is not signal-safe).
void formatUtc(std::time_t t, char* out) noexcept {
    std::int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) secs += 86400, --days;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t doe = days - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    auto put = [](char* at, std::int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) at[i] = char('0' + v % 10);
    };
    put(out, y, 4);
    out[4] = '-';
    put(out + 5, m, 2);
    out[7] = '-';
    put(out + 8, d, 2);
    out[10] = 'T';
    put(out + 11, secs / 3600, 2);
    out[13] = ':';
    put(out + 14, secs / 60 % 60, 2);
    out[16] = ':';
    put(out + 17, secs % 60, 2);
    out[19] = 'Z';
}

/// Appends a C string to a fixed buffer (signal-safe message building).
void append(char* buf, std::size_t cap, std::size_t& len, const char* s) noexcept {
    while (*s && len + 1 < cap) buf[len++] = *s++;
    buf[len] = '\0';
}

std::atomic<unsigned> g_sequence{0};

} // namespace

FatalDump::Reason FatalDump::reasonForSignal(int sig) noexcept {
    switch (sig) {
    case SIGSEGV: return Segv;
    case SIGBUS: return Bus;
    case SIGFPE: return Fpe;
    case SIGILL: return Ill;
    default: return Abrt;
    }
}

FatalDump::FatalDump(FlightRecorder& recorder, const std::string& dir, const std::string& program)
    : m_recorder(recorder), m_program(program) {
    const std::string name = "canopy-flight-" + std::to_string(::getpid()) + "-fatal-" +
                             std::to_string(g_sequence.fetch_add(1) + 1) + ".canopy";
    m_path = dir + "/" + name;
    std::snprintf(m_name.data(), m_name.size(), "%s", name.c_str());
    m_dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_dirFd < 0) {
        m_error = "cannot open the dump directory " + dir + ": " + std::strerror(errno);
        return;
    }
    m_fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (m_fd >= 0) {
        m_unnamed = true;
        std::snprintf(m_procPath.data(), m_procPath.size(), "/proc/self/fd/%d", m_fd);
    } else {
        // No O_TMPFILE here: a hidden placeholder, renamed at the crash, removed on a normal exit.
        std::snprintf(m_placeholder.data(), m_placeholder.size(), ".%s.partial", name.c_str());
        m_fd = ::openat(m_dirFd, m_placeholder.data(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (m_fd < 0) {
            m_error = "cannot prepare the crash dump file in " + dir + ": " + std::strerror(errno);
            ::close(m_dirFd);
            m_dirFd = -1;
            return;
        }
    }
    refreshHeaders(0);
}

bool FatalDump::arm() {
    if (m_fd < 0 || m_armed) return m_armed;
    m_armed = FatalSignalHandler::add(this);
    return m_armed;
}

FatalDump::~FatalDump() {
    if (m_armed) FatalSignalHandler::remove(this);
    if (m_fd >= 0) ::close(m_fd);
    if (!m_unnamed && m_placeholder[0] && m_dirFd >= 0 && !m_written.load()) ::unlinkat(m_dirFd, m_placeholder.data(), 0);
    if (m_dirFd >= 0) ::close(m_dirFd);
}

bool FatalDump::encodeHeader(Headers& into, int reason, const std::string& source, std::int64_t startNs) {
    SessionHeader h;
    h.formatVersion = 1; // frames in the ring are plain CBOR
    h.startNs = startNs;
    h.created = kCreatedPlaceholder;
    h.source = source;
    std::vector<std::uint8_t> bytes;
    Codec::appendFrame(bytes, h, Encoding::Cbor);
    const auto at = std::search(bytes.begin(), bytes.end(), kCreatedPlaceholder, kCreatedPlaceholder + 20);
    if (bytes.size() > kMaxHeader || at == bytes.end()) return false;
    std::copy(bytes.begin(), bytes.end(), into.bytes[std::size_t(reason)].begin());
    into.size[std::size_t(reason)] = bytes.size();
    into.createdAt[std::size_t(reason)] = std::size_t(at - bytes.begin());
    return true;
}

void FatalDump::refreshHeaders(std::int64_t startNs) {
    if (m_fd < 0) return;
    // Double-buffered: a handler interrupting this thread reads the set not being written.
    const int next = 1 - m_activeHeaders.load(std::memory_order_acquire);
    for (int r = 0; r < kReasonCount; ++r) {
        std::string source = "flight recorder of " + m_program + ": " + reasonText(r);
        if (source.size() > kMaxHeader / 2) source.resize(kMaxHeader / 2);
        if (!encodeHeader(m_headers[next], r, source, startNs)) m_headers[next].size[std::size_t(r)] = 0;
    }
    m_activeHeaders.store(next, std::memory_order_release);
}

bool FatalDump::writeContents(int fd, const std::uint8_t* header, std::size_t size) const noexcept {
    return writeAll(fd, session_file::kFileMagic, session_file::kMagicSize) && writeAll(fd, header, size) &&
           m_recorder.writeFrames(fd);
}

bool FatalDump::write(Reason reason, const char* detail) noexcept {
    if (m_fd < 0 || m_written.exchange(true)) return false;
    m_recorder.freeze();
    const Headers& active = m_headers[m_activeHeaders.load(std::memory_order_acquire)];
    std::array<std::uint8_t, kMaxHeader> header;
    std::size_t size = active.size[std::size_t(reason)];
    std::size_t createdAt = active.createdAt[std::size_t(reason)];
    std::copy(active.bytes[std::size_t(reason)].begin(), active.bytes[std::size_t(reason)].end(), header.begin());
    if (detail && *detail) {
        // std::terminate runs in an ordinary context: name the exception in the header.
        try {
            Headers fresh;
            const std::string source =
                std::string("flight recorder of ") + m_program + ": " + reasonText(reason) + ": " + detail;
            if (encodeHeader(fresh, 0, source.substr(0, kMaxHeader / 2), m_recorder.startNs())) {
                header = fresh.bytes[0];
                size = fresh.size[0];
                createdAt = fresh.createdAt[0];
            }
        } catch (...) {
        }
    }
    if (size == 0) return false;
    formatUtc(std::time(nullptr), reinterpret_cast<char*>(header.data() + createdAt));
    bool ok = writeContents(m_fd, header.data(), size);
    if (ok) {
        if (m_unnamed) {
            if (::linkat(AT_FDCWD, m_procPath.data(), m_dirFd, m_name.data(), AT_SYMLINK_FOLLOW) != 0) {
                // No /proc: write the same bytes to a named file (it costs a descriptor).
                const int fd = ::openat(m_dirFd, m_name.data(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                ok = fd >= 0 && writeContents(fd, header.data(), size);
                if (fd >= 0) ::close(fd);
            }
        } else {
            ok = ::renameat(m_dirFd, m_placeholder.data(), m_dirFd, m_name.data()) == 0;
        }
    }
    char line[512];
    std::size_t len = 0;
    line[0] = '\0';
    append(line, sizeof line, len, "canopy probe: ");
    append(line, sizeof line, len, reasonText(reason));
    append(line, sizeof line, len, ok ? ": flight recorder wrote " : ": flight recorder could not write ");
    append(line, sizeof line, len, m_path.c_str());
    append(line, sizeof line, len, "\n");
    writeAll(2, line, len);
    return ok;
}

} // namespace canopy::introspection
