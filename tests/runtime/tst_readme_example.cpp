// The example of runtime/README.md, compiled and run.
#include "runtime/gen_server.h"
#include "runtime/runtime.h"
#include <QtTest>

using namespace canopy;

namespace {
struct Counter final : GenServer {
    int n = 0;
    InitResult init(Context& ctx) override { return InitResult::ok(); }
    ServerResult handleCall(Context&, Message& req, const From&) override {
        n += req.as<int>();
        return ServerResult::replyWith(n);
    }
    ServerResult handleCast(Context&, Message& req) override {
        n = 0;
        return ServerResult::noreply();
    }
};
int readmeMain() {
    Runtime rt;
    StartResult s = rt.startServer(std::make_unique<Counter>(), {.name = "counter"});
    CallOutcome r = rt.call(s.pid, Message::of(5));
    return r.ok() && r.reply.as<int>() == 5 ? 0 : 1;
}
} // namespace

class TestReadmeExample : public QObject {
    Q_OBJECT
private slots:
    void runs() { QCOMPARE(readmeMain(), 0); }
};

QTEST_APPLESS_MAIN(TestReadmeExample)
#include "tst_readme_example.moc"
