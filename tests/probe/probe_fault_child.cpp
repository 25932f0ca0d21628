// A program with a probe that the fault tests run as a child process, to do what a test process
// cannot do to itself: run out of file descriptors, crash, or exit with a flight-recorder dump pending.
//
//   probe_fault_child fd-limit <spare-fds>      lowers RLIMIT_NOFILE to (open fds + spare) and serves
//                                               until stdin closes
//   probe_fault_child crash-segv <dir>          a supervisor restarts a worker 3 times (seen by a
//   probe_fault_child crash-abort <dir>         viewer, so the flight recorder holds it), then the
//   probe_fault_child crash-terminate <dir>     program dies: a null write in a runtime process,
//                                               abort(), or an exception nobody catches
//
// It prints "port <probe port>" and "ready" on stdout once the probe listens (token "fault").
#include "introspection/live_source.h"
#include "probe_test_support.h"
#include "introspection/probe/probe.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include "runtime/supervision/supervisor.h"
#include <chrono>
#include <stdexcept>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace canopy;
using namespace canopy::introspection;
using namespace canopy::introspection::test;

namespace {

int openDescriptors() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') ++n;
        ::closedir(d);
    }
    return n;
}

/// Blocks until stdin reaches EOF (the test closed it or died).
void waitForStdinEof() {
    char buf[64];
    while (::read(0, buf, sizeof buf) > 0) {
    }
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "probe_fault_child: %s\n", what);
    std::_Exit(1);
}

/// Three restarts the probe has seen (a viewer received them, so the recorder holds them), then death.
[[noreturn]] void crash(const std::string& how, const std::string& dir) {
    RuntimeOptions ro;
    ro.workers = 2;
    Runtime rt(ro);
    ProbeOptions po;
    po.token = "fault";
    po.flightRecorderDir = dir;
    po.flightRecorderEvents = 1000;
    Probe probe(rt, po);
    SupervisorSpec spec;
    spec.flags.maxRestarts = 100;
    spec.flags.maxSeconds = 60;
    spec.children.push_back(ChildSpec::worker<Idle>("w0"));
    spec.children.push_back(ChildSpec::worker<Idle>("w1"));
    auto sr = Supervisor::start(rt, spec, "crashy_sup");
    if (!sr.isOk()) fail("the supervisor did not start");
    LiveSource viewer;
    LiveSource::Options lo;
    lo.port = probe.port();
    lo.token = "fault";
    if (!viewer.connect(lo).ok()) fail("cannot connect to the probe");
    int restarts = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    WireMessage m;
    // The keyframe first: what happens after it reaches the viewer as deltas.
    while (!std::holds_alternative<Keyframe>(m))
        if (std::chrono::steady_clock::now() > deadline || viewer.next(m, 200) == Source::Outcome::Error)
            fail("no keyframe");
    for (int i = 0; i < 3; ++i) {
        const Pid w = childPid(rt, sr.pid, "w0");
        rt.exit(w, ExitReason::error("crash_" + std::to_string(i)));
        for (Pid now = w; now == w || !now.valid(); now = childPid(rt, sr.pid, "w0"))
            if (std::chrono::steady_clock::now() > deadline) fail("w0 was not restarted");
    }
    std::string seen;
    while (restarts < 3) {
        if (std::chrono::steady_clock::now() > deadline) fail(("the viewer did not see 3 restarts; saw:" + seen).c_str());
        if (viewer.next(m, 200) != Source::Outcome::Message) continue;
        seen += " " + std::string(messageTypeName(m));
        if (auto* d = std::get_if<Delta>(&m)) {
            seen += std::string(":") + std::string(toString(d->type));
            restarts += d->type == DeltaType::ChildRestarted;
        }
    }
    if (how == "segv") {
        // A store to a page that forbids it: a real fault, which no sanitizer check intercepts first.
        void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED) fail("mmap");
        const Pid bad = rt.spawnFn([page](Context&, Message&) { *static_cast<volatile int*>(page) = 1; });
        rt.send(bad, 1);
    } else if (how == "abort") {
        std::abort();
    } else if (how == "terminate") {
        std::thread([] { throw std::runtime_error("deliberate failure"); }).join();
    }
    std::this_thread::sleep_for(std::chrono::seconds(30)); // the crash ends the program before this does
    fail("still alive 30 s after the crash");
}

int usage() {
    std::fprintf(stderr, "usage: probe_fault_child fd-limit <spare-fds> | ...\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string mode = argv[1];
    if (mode.rfind("crash-", 0) == 0 && argc >= 3) crash(mode.substr(6), argv[2]);
    RuntimeOptions ro;
    ro.workers = 1;
    Runtime rt(ro);
    ProbeOptions po;
    po.token = "fault";
    po.flightRecorderEvents = 0;
    Probe probe(rt, po);
    std::printf("port %u\n", unsigned(probe.port()));
    if (mode == "fd-limit" && argc >= 3) {
        // One viewer served before the descriptors run out. Under UBSan this matters: its vptr check
        // tests an object's memory through a pipe the first time it sees a (class, static type)
        // pair, and with no descriptor left that test fails — the probe's first virtual call through
        // ProbeSource after the limit (a hog's close) was reported as an "invalid vptr" and the child
        // aborted (tst_probe_handshake_limits failed in 2 of 4 ASan runs). Served here, the pair is
        // known before the limit.
        {
            LiveSource viewer;
            LiveSource::Options lo;
            lo.port = probe.port();
            lo.token = "fault";
            if (!viewer.connect(lo).ok()) fail("cannot connect to the probe");
            WireMessage m;
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (!std::holds_alternative<Keyframe>(m))
                if (std::chrono::steady_clock::now() > deadline || viewer.next(m, 200) == Source::Outcome::Error)
                    fail("no keyframe");
        }
        const rlim_t spare = rlim_t(std::atoi(argv[2]));
        rlimit rl{};
        ::getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = rlim_t(openDescriptors()) + spare;
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            std::perror("setrlimit");
            return 1;
        }
        std::printf("ready\n");
        std::fflush(stdout);
        waitForStdinEof();
        return 0;
    }
    return usage();
}
