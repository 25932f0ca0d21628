#pragma once

namespace canopy::introspection {

class FatalDump;

/// The process-wide hooks that write every registered FatalDump when the program dies: handlers for
/// SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT, and a std::terminate handler. The first fatal event
/// writes the dumps (other threads that fault meanwhile wait for it, up to 5 s); then the previous
/// disposition runs — the handler that was installed before (e.g. a sanitizer's or a test
/// framework's) or the default action, re-raised — so the program still dies the way it would have,
/// core dump included. Installed with the first registration, restored with the last (where nobody
/// replaced them meanwhile). A stack overflow is not covered (no alternate signal stack).
class FatalSignalHandler {
public:
    /// Dumps that may be registered at once.
    static constexpr int kMaxDumps = 16;
    /// Registers `dump`; false when kMaxDumps are registered already.
    static bool add(FatalDump* dump);
    /// Unregisters `dump` (waiting while a fatal dump is being written).
    static void remove(FatalDump* dump);
};

} // namespace canopy::introspection
