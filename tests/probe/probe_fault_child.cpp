// A program with a probe that the fault tests run as a child process, to do what a test process
// cannot do to itself: run out of file descriptors, crash, or exit with a flight-recorder dump pending.
//
//   probe_fault_child fd-limit <spare-fds>      lowers RLIMIT_NOFILE to (open fds + spare) and serves
//                                               until stdin closes
//
// It prints "port <probe port>" and "ready" on stdout once the probe listens (token "fault").
#include "introspection/probe/probe.h"
#include "runtime/runtime.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

using namespace canopy;
using namespace canopy::introspection;

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

int usage() {
    std::fprintf(stderr, "usage: probe_fault_child fd-limit <spare-fds> | ...\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string mode = argv[1];
    RuntimeOptions ro;
    ro.workers = 1;
    Runtime rt(ro);
    ProbeOptions po;
    po.token = "fault";
    po.flightRecorderEvents = 0;
    Probe probe(rt, po);
    std::printf("port %u\n", unsigned(probe.port()));
    if (mode == "fd-limit" && argc >= 3) {
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
