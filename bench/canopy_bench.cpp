// canopy-bench: Canopy's runtime benchmarks, the same shapes and arguments as the peers'
// cafbench / actorbench (../shared/peers). Usage: canopy-bench <test> [args...]
// Prints `RESULT <test> <metric> <value> <unit>`. CANOPY_WORKERS=n sets the worker threads,
// CANOPY_SPIN the spin rounds before an idle worker parks, CANOPY_BUDGET the messages per turn.
#include "bench/bench_tests.h"
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace canopy::bench;

namespace {

struct Entry {
    const char* name;
    const char* usage;
    void (*fn)(const Args&);
    std::size_t minArgs;
};

const Entry kTests[] = {
    {"spawn_idle", "N            B1/B2 spawn N idle processes, RSS/process, kill all", spawnIdle, 1},
    {"spawn_exit", "N            B3 spawn + immediate exit", spawnExit, 1},
    {"skynet", "N                B4 10-ary spawn tree of N leaves", skynet, 1},
    {"spawn_max", "N [floor_MiB] B19 spawn until N processes or MemAvailable < floor (default 4096)",
     spawnMax, 1},
    {"pingpong", "M              B5 one pair, M round trips", pingpong, 1},
    {"gs_call", "M               B6 server call/reply M times; M/100 calls from a plain thread", gsCall, 1},
    {"ring", "N H                B7 ring of N processes, H hops", ring, 2},
    {"trace", "N H               B16 ring of N, H hops: untraced, every send traced to a tracer, off again",
     traceRing, 2},
    {"pingpong_pairs", "P M      B8 P pairs x M round trips", pingpongPairs, 2},
    {"fanin", "K M               B9 K senders x M messages into one process", fanin, 2},
    {"bigmailbox", "M            B10 M messages into a busy mailbox, its length, drain", bigmailbox, 1},
    {"mailbox_ops", "N           B17 the mailbox alone: push + pop on one thread (compare canopy-bench-nc)",
     mailboxOps, 1},
    {"restart", "R [idle_R]      B11 kill a supervised child R times (hot), idle_R times after idling",
     restart, 1},
};

int usage() {
    std::fprintf(stderr, "usage: canopy-bench <test> [args]   (CANOPY_WORKERS=n)\n");
    for (const Entry& e : kTests)
        std::fprintf(stderr, "  %s %s\n", e.name, e.usage);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2)
        return usage();
    std::string test = argv[1];
    Args args;
    for (int i = 2; i < argc; ++i)
        args.push_back(std::atoll(argv[i]));
    for (const Entry& e : kTests) {
        if (test == e.name) {
            if (args.size() < e.minArgs)
                return usage();
            e.fn(args);
            std::fflush(stdout);
            return 0;
        }
    }
    std::fprintf(stderr, "unknown test %s\n", test.c_str());
    return usage();
}
