// B6 gs_call: gen_server call/reply from a process, and from a plain (non-process) thread.
#include "bench/bench_support.h"
#include "bench/bench_tests.h"
#include "runtime/context.h"
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include <memory>

namespace canopy::bench {
namespace {

struct Ping {};
struct Pong {};

/// handle_call(ping, _From, S) -> {reply, pong, S}.
class EchoServer final : public GenServer {
public:
    ServerResult handleCall(Context&, Message& request, const From&) override {
        return ServerResult::replyWith(Pong{});
    }
};

/// Calls the server `n` times in a row (default timeout 5000 ms, as gen_server:call), then counts down.
class Caller final : public Actor {
public:
    Caller(Pid server, std::int64_t n, Countdown& done) : m_server(std::move(server)), m_left(n), m_done(done) {}
    void onStart(Context& ctx) override { next(ctx); }
    void onMessage(Context&, Message&) override {}

private:
    void next(Context& ctx) {
        ctx.call(m_server, Message::of(Ping{}), 5000, [this](Context& c, Message reply) {
            if (!reply.is<Pong>())
                std::printf("ERROR gs_call: unexpected reply\n");
            if (--m_left == 0) {
                m_done.count();
                c.exit(ExitReason::normal());
            } else {
                next(c);
            }
        });
    }
    Pid m_server;
    std::int64_t m_left;
    Countdown& m_done;
};

} // namespace

void gsCall(const Args& a) {
    const std::int64_t m = a.at(0);
    Runtime rt(optionsFromEnv());
    StartResult started = rt.startServer(std::make_unique<EchoServer>());
    if (!started.isOk()) {
        std::printf("ERROR gs_call: server did not start\n");
        return;
    }
    const Pid server = started.pid;
    {
        Countdown warm(1);
        rt.spawn(std::make_unique<Caller>(server, 1000, warm));
        warm.wait();
    }
    Countdown done(1);
    const std::int64_t t0 = nowNs();
    rt.spawn(std::make_unique<Caller>(server, m, done));
    done.wait();
    const std::int64_t t1 = nowNs();
    result("gs_call", "ns_per_call", double(t1 - t0) / m, "ns");
    result("gs_call", "calls_per_s", m / ((t1 - t0) / 1e9), "call/s");

    // gen_server:call from a thread that is not a process (Runtime::call blocks it).
    const std::int64_t mb = std::max<std::int64_t>(m / 100, 1);
    std::int64_t failed = 0;
    const std::int64_t t2 = nowNs();
    for (std::int64_t i = 0; i < mb; ++i) {
        CallOutcome out = rt.call(server, Message::of(Ping{}), 5000);
        if (!out.ok() || !out.reply.is<Pong>())
            ++failed;
    }
    const std::int64_t t3 = nowNs();
    if (failed)
        std::printf("ERROR gs_call: %lld external calls failed\n", static_cast<long long>(failed));
    result("gs_call", "ns_per_external_call", double(t3 - t2) / mb, "ns");
    rt.exit(server, ExitReason::kill());
}

} // namespace canopy::bench
