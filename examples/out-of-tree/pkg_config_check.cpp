// Built by check-installed.cmake with `pkg-config --cflags --libs canopy-runtime` only.
#include <canopy/runtime/gen_server.h>
#include <canopy/runtime/runtime.h>
#include <memory>

struct Echo final : canopy::GenServer {
    canopy::ServerResult handleCall(canopy::Context&, canopy::Message& req, const canopy::From&) override {
        return canopy::ServerResult::replyWith(req.as<int>() + 1);
    }
};

int main() {
    canopy::Runtime rt({.workers = 1});
    canopy::StartResult s = rt.startServer(std::make_unique<Echo>());
    canopy::CallOutcome r = rt.call(s.pid, canopy::Message::of(41));
    return r.ok() && r.reply.as<int>() == 42 ? 0 : 1;
}
