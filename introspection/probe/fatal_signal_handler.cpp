#include "introspection/probe/fatal_signal_handler.h"
#include "introspection/probe/fatal_dump.h"
#include <atomic>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <exception>
#include <mutex>
#include <string>

namespace canopy::introspection {

namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

std::atomic<FatalDump*> g_dumps[FatalSignalHandler::kMaxDumps];
std::mutex g_mutex; // registration only; never taken by a handler
int g_registered = 0;
struct sigaction g_previous[NSIG];
std::terminate_handler g_previousTerminate = nullptr;
/// 0: alive; 1: a fatal dump is being written; 2: written.
std::atomic<int> g_state{0};

void pause1ms() noexcept {
    timespec ms{0, 1'000'000};
    ::nanosleep(&ms, nullptr);
}

void dumpOnce(FatalDump::Reason reason, const char* detail) noexcept {
    int expected = 0;
    if (g_state.compare_exchange_strong(expected, 1)) {
        for (auto& slot : g_dumps)
            if (FatalDump* d = slot.load()) d->write(reason, detail);
        g_state.store(2);
        return;
    }
    // Another thread is writing the dumps: let it finish before this one takes the process down.
    for (int i = 0; i < 5000 && g_state.load() == 1; ++i) pause1ms();
}

extern "C" void onFatalSignal(int sig, siginfo_t* info, void* context) {
    const int savedErrno = errno;
    dumpOnce(FatalDump::reasonForSignal(sig), nullptr);
    // Hand over to the previous disposition, installed again so that a repeated fault goes there.
    struct sigaction previous = g_previous[sig];
    ::sigaction(sig, &previous, nullptr);
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
        previous.sa_sigaction(sig, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
    } else {
        // The default action: re-raised, it is delivered when this handler returns (the signal is
        // blocked meanwhile); a fault re-executes and ends the same way.
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        ::sigaction(sig, &dfl, nullptr);
        ::raise(sig);
    }
    errno = savedErrno;
}

[[noreturn]] void onTerminate() {
    std::string detail = "no exception in flight";
    try {
        if (auto e = std::current_exception()) std::rethrow_exception(e);
    } catch (const std::exception& e) {
        detail = std::string("uncaught exception: ") + e.what();
    } catch (...) {
        detail = "uncaught exception of unknown type";
    }
    dumpOnce(FatalDump::Terminate, detail.c_str());
    if (g_previousTerminate && g_previousTerminate != onTerminate) g_previousTerminate();
    std::abort();
}

void install() {
    for (int sig : kSignals) {
        struct sigaction sa {};
        sa.sa_sigaction = onFatalSignal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        ::sigaction(sig, &sa, &g_previous[sig]);
    }
    g_previousTerminate = std::set_terminate(onTerminate);
}

void uninstall() {
    for (int sig : kSignals) {
        struct sigaction current {};
        ::sigaction(sig, nullptr, &current);
        if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == onFatalSignal)
            ::sigaction(sig, &g_previous[sig], nullptr);
    }
    if (std::get_terminate() == onTerminate) std::set_terminate(g_previousTerminate);
}

} // namespace

bool FatalSignalHandler::add(FatalDump* dump) {
    std::lock_guard lock(g_mutex);
    for (auto& slot : g_dumps) {
        FatalDump* empty = nullptr;
        if (slot.compare_exchange_strong(empty, dump)) {
            if (g_registered++ == 0) install();
            return true;
        }
    }
    return false;
}

void FatalSignalHandler::remove(FatalDump* dump) {
    std::lock_guard lock(g_mutex);
    for (auto& slot : g_dumps) {
        FatalDump* expected = dump;
        if (slot.compare_exchange_strong(expected, nullptr)) {
            if (--g_registered == 0) uninstall();
            break;
        }
    }
    // The program is dying on another thread and may be writing this dump: let it finish.
    for (int i = 0; i < 5000 && g_state.load() == 1; ++i) pause1ms();
}

} // namespace canopy::introspection
