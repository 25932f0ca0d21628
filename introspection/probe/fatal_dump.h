#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace canopy::introspection {

class FlightRecorder;

/// The flight-recorder file for the moment the program dies, prepared in advance: the file is opened
/// when the probe starts (an unnamed O_TMPFILE in the dump directory, or a hidden placeholder where
/// the file system has none) and the session headers are encoded ahead of time, one per reason, so
/// that write() needs nothing but write(2), linkat(2)/renameat(2) and the recorder's frames: it is
/// async-signal-safe. The result is `canopy-flight-<pid>-fatal-<n>.canopy`, a session file of format 1
/// without an index (readers rebuild it by scanning and say so), whose header says why it was written.
class FatalDump {
public:
    /// Why the program is dying.
    enum Reason : int { Segv, Bus, Fpe, Ill, Abrt, Terminate, kReasonCount };
    /// The reason for a fatal signal (Abrt for anything unknown).
    static Reason reasonForSignal(int sig) noexcept;

    /// Prepares the file in `dir`; `program` describes the observed program for the header. See ok().
    FatalDump(FlightRecorder& recorder, const std::string& dir, const std::string& program);
    /// Disarms, closes the file (an unnamed one vanishes; a placeholder is removed).
    ~FatalDump();
    FatalDump(const FatalDump&) = delete;
    FatalDump& operator=(const FatalDump&) = delete;

    /// True when the file is prepared; otherwise error() says why (nothing will be written).
    bool ok() const { return m_fd >= 0; }
    const std::string& error() const { return m_error; }
    /// The path the dump will have once written.
    const std::string& path() const { return m_path; }
    /// Registers with FatalSignalHandler so the program's death writes it; false when not ok() or
    /// the handler's registry is full. The destructor unregisters.
    bool arm();

    /// Owner thread: re-encodes the headers with the session start (the recorder's oldest base);
    /// call after every rebase.
    void refreshHeaders(std::int64_t startNs);
    /// Writes the dump (once; later calls return false). Async-signal-safe when `detail` is null; with
    /// a detail (std::terminate's exception text) the header is encoded afresh, which allocates.
    /// Freezes the recorder first (see FlightRecorder::freeze). Reports the file on stderr.
    bool write(Reason reason, const char* detail = nullptr) noexcept;

private:
    static constexpr std::size_t kMaxHeader = 1024;
    struct Headers {
        std::array<std::array<std::uint8_t, kMaxHeader>, kReasonCount> bytes{};
        std::array<std::size_t, kReasonCount> size{};
        std::array<std::size_t, kReasonCount> createdAt{}; ///< offset of the 20-byte "created" text
    };
    bool encodeHeader(Headers& into, int reason, const std::string& source, std::int64_t startNs);
    bool writeContents(int fd, const std::uint8_t* header, std::size_t size) const noexcept;

    FlightRecorder& m_recorder;
    std::string m_program;
    std::string m_path;
    std::string m_error;
    int m_fd = -1;
    int m_dirFd = -1;
    bool m_unnamed = false;                          ///< O_TMPFILE (else a named placeholder)
    std::array<char, 64> m_procPath{};               ///< /proc/self/fd/N, for linkat
    std::array<char, 128> m_name{};                  ///< final file name in the directory
    std::array<char, 128> m_placeholder{};           ///< placeholder name (named fallback)
    Headers m_headers[2];
    std::atomic<int> m_activeHeaders{0};
    std::atomic<bool> m_written{false};
    bool m_armed = false;
};

} // namespace canopy::introspection
