#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/probe/keyframe_builder.h"
#include "introspection/probe/keyframe_encoder.h"
#include "runtime/child_meta.h"
#include "runtime/context.h"
#include "runtime/runtime.h"
#include <QtTest>

using namespace canopy::introspection;

namespace {
Keyframe sample() {
    Keyframe k;
    k.seq = 42;
    k.timeNs = 1234567890123;
    ProcessRecord sup;
    sup.pid = 5;
    sup.pidText = "<0.5.0>";
    sup.name = "top \"sup\"\\\n\t\x01";
    sup.kind = "supervisor";
    sup.strategy = "one_for_all";
    sup.restart = "permanent";
    sup.shutdown = "infinity";
    sup.maxRestarts = 3;
    sup.maxSeconds = 5;
    sup.restartsInWindow = 2;
    sup.status = "running";
    sup.links = {6, 7, 1ull << 40};
    sup.startOrder = 5;
    k.processes.push_back(sup);
    ProcessRecord w;
    w.pid = 6;
    w.parent = 5;
    w.childId = "wörker_ü_€_𝄞";
    w.initialCall = "canopy:actor";
    w.mailboxLength = 100000;
    w.messagesHandled = 1ull << 50;
    w.memoryBytes = 300;
    w.significant = true;
    w.monitors = {5};
    w.restartCount = 4;
    w.lastExitReason = "{shutdown,bye}";
    w.startOrder = 6;
    k.processes.push_back(w);
    ProcessRecord bare;
    bare.pid = 7;
    k.processes.push_back(bare);
    return k;
}

Keyframe decode(const std::vector<std::uint8_t>& bytes) {
    FrameDecoder d;
    d.feed(bytes.data(), bytes.size());
    Frame f;
    if (d.next(f) != FrameDecoder::Status::Frame) qFatal("no frame: %s", d.error().c_str());
    auto m = Codec::decodeFrame(f);
    if (!m) qFatal("decode: %s", m.error().c_str());
    return std::get<Keyframe>(*m);
}
} // namespace

/// The probe's streaming keyframe encoder must produce exactly what Codec decodes to the same records.
class TestKeyframeEncoder : public QObject {
    Q_OBJECT
private slots:
    void roundTripsLikeTheCodec_data() {
        QTest::addColumn<int>("encoding");
        QTest::newRow("json") << int(Encoding::Json);
        QTest::newRow("cbor") << int(Encoding::Cbor);
    }
    void roundTripsLikeTheCodec() {
        QFETCH(int, encoding);
        const auto enc = Encoding(encoding);
        const Keyframe k = sample();
        std::vector<std::uint8_t> fast, slow;
        KeyframeEncoder::appendFrame(fast, k, enc);
        Codec::appendFrame(slow, k, enc);
        const Keyframe a = decode(fast), b = decode(slow);
        QCOMPARE(a.seq, b.seq);
        QCOMPARE(a.timeNs, b.timeNs);
        QCOMPARE(a.processes.size(), b.processes.size());
        QCOMPARE(Codec::toJsonText(a), Codec::toJsonText(b));
        QCOMPARE(a.processes[0].name, k.processes[0].name);
        QCOMPARE(a.processes[1].childId, k.processes[1].childId);
        QCOMPARE(a.processes[0].links, k.processes[0].links);
        QCOMPARE(a.processes[1].messagesHandled, k.processes[1].messagesHandled);
    }
    void liveFrameEqualsBuiltKeyframe_data() { roundTripsLikeTheCodec_data(); }
    void liveFrameEqualsBuiltKeyframe() {
        QFETCH(int, encoding);
        const auto enc = canopy::introspection::Encoding(encoding);
        canopy::RuntimeOptions ro;
        ro.manual = true;
        canopy::Runtime rt(ro);
        auto meta = std::make_shared<canopy::ChildMeta>();
        meta->kind = canopy::ProcessKind::Supervisor;
        meta->childId = "sup\xff";
        meta->strategy = "rest_for_one";
        meta->restart = "permanent";
        meta->shutdown = "infinity";
        meta->maxRestarts = 3;
        meta->maxSeconds = 5;
        canopy::SpawnOptions so;
        so.meta = meta;
        so.name = "top";
        canopy::Pid sup = rt.spawnFn([](canopy::Context&, canopy::Message&) {}, so);
        canopy::SpawnOptions co;
        co.parent = sup;
        canopy::Pid child = rt.spawnFn([sup](canopy::Context& ctx, canopy::Message&) { ctx.link(sup); }, co);
        rt.send(child, 1);
        rt.send(child, 2);
        rt.runUntilIdle();
        std::vector<std::uint8_t> live;
        QCOMPARE(KeyframeEncoder::appendLiveFrame(live, rt, 9, enc), rt.processCount());
        Keyframe a = decode(live);
        Keyframe b = KeyframeBuilder::build(rt);
        b.seq = 9;
        std::vector<std::uint8_t> viaCodec;
        Codec::appendFrame(viaCodec, b, enc);
        Keyframe c = decode(viaCodec);
        a.timeNs = c.timeNs = 0;
        QCOMPARE(a.seq, std::uint64_t(9));
        QCOMPARE(Codec::toJsonText(a), Codec::toJsonText(c));
        QCOMPARE(a.processes.size(), std::size_t(2));
    }
    void appendsAfterExistingBytes() {
        std::vector<std::uint8_t> out{1, 2, 3};
        const auto n = KeyframeEncoder::appendFrame(out, sample(), Encoding::Cbor);
        QCOMPARE(out.size(), n + 3);
        QCOMPARE(decode(std::vector<std::uint8_t>(out.begin() + 3, out.end())).processes.size(), std::size_t(3));
    }
    void sanitizesInvalidUtf8() {
        std::string s = "ok\xff\xfe-\xe2\x82\xac-\xc0\xaf-\xed\xa0\x80";
        KeyframeEncoder::sanitizeUtf8(s);
        QCOMPARE(s, std::string("ok\xEF\xBF\xBD\xEF\xBF\xBD-\xe2\x82\xac-\xEF\xBF\xBD\xEF\xBF\xBD-\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
        Keyframe k;
        ProcessRecord r;
        r.pid = 1;
        r.name = s;
        k.processes.push_back(r);
        std::vector<std::uint8_t> out;
        KeyframeEncoder::appendFrame(out, k, Encoding::Json);
        QCOMPARE(decode(out).processes[0].name, s);
        std::string ascii = "plain";
        KeyframeEncoder::sanitizeUtf8(ascii);
        QCOMPARE(ascii, std::string("plain"));
    }
};

QTEST_GUILESS_MAIN(TestKeyframeEncoder)
#include "tst_keyframe_encoder.moc"
