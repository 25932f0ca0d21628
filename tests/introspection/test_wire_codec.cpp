#include "introspection/codec.h"
#include "tests/introspection/sample_session.h"
#include <QtTest>

using namespace canopy::introspection;

class TestWireCodec : public QObject {
    Q_OBJECT

    static std::vector<WireMessage> allMessages() {
        Hello h;
        h.token = "s3cr3t";
        h.encoding = "cbor";
        h.capabilities = {"samples"};
        h.client = "test";
        Welcome w;
        w.startNs = 123;
        w.nowNs = 456;
        w.server = "demo";
        w.commandsEnabled = true;
        w.capabilities = {"samples", "commands"};
        Refusal r{"version_mismatch", "nope", 1, 0, 2, 3};
        Keyframe k = testing::sampleKeyframe(1000);
        k.processes[0].links = {2, 3};
        k.processes[0].monitors = {5};
        k.processes[0].mailboxLength = 17;
        k.processes[0].lastExitReason = "{shutdown,x}";
        k.processes[0].significant = true;
        Delta d = testing::sampleDeltas(1000)[2];
        d.process = testing::rec(6, 1, "registry");
        Sample s;
        s.timeNs = 77;
        s.processCount = 5;
        s.totalMailbox = 9;
        s.messageRate = 1234.5;
        s.mailboxes = {{1, 4}, {2, 5}};
        s.handled = {{1, 400}};
        ResyncNotice rn{42, "queue_overflow"};
        Subscribe sub{3, 10.0};
        Command c{9, "restart_child", 0, 1, "registry", ""};
        CommandResult cr{9, false, "commands are disabled"};
        SessionHeader sh;
        sh.startNs = 5;
        sh.created = "2026-11-21T00:00:00Z";
        sh.source = "x";
        SessionIndex si;
        si.entries = {{1, 100, 0}, {2, 200, 10}};
        si.endNs = 3;
        si.frames = 4;
        return {h, w, r, k, d, s, rn, sub, KeyframeRequest{}, c, cr, sh, si};
    }

private slots:
    void roundTripEveryMessage_data() {
        QTest::addColumn<int>("encoding");
        QTest::newRow("json") << int(Encoding::Json);
        QTest::newRow("cbor") << int(Encoding::Cbor);
    }
    void roundTripEveryMessage() {
        QFETCH(int, encoding);
        for (const auto& m : allMessages()) {
            auto payload = Codec::encodePayload(m, Encoding(encoding));
            auto back = Codec::decodePayload(payload, Encoding(encoding));
            QVERIFY2(back.ok(), back.error().c_str());
            QCOMPARE(back->index(), m.index());
            // Re-encoding the decoded message gives the same JSON: nothing was lost.
            QCOMPARE(QString::fromStdString(Codec::toJsonText(*back)), QString::fromStdString(Codec::toJsonText(m)));
        }
    }
    void cborIsSmallerThanJson() {
        Keyframe k = testing::sampleKeyframe(1000);
        QVERIFY(Codec::encodePayload(k, Encoding::Cbor).size() < Codec::encodePayload(k, Encoding::Json).size());
    }
    void jsonIsReadable() {
        auto p = Codec::encodePayload(testing::sampleDeltas(0)[0], Encoding::Json);
        std::string s(p.begin(), p.end());
        QVERIFY(s.find("\"type\":\"delta\"") != std::string::npos);
        QVERIFY(s.find("\"kind\":\"exit\"") != std::string::npos);
        QVERIFY(s.find("\"reason\":\"boom\"") != std::string::npos);
    }
    void malformedPayloadsAreErrors_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("expect");
        QTest::newRow("not json") << QByteArray("{nope") << "invalid JSON";
        QTest::newRow("empty") << QByteArray("") << "invalid JSON";
        QTest::newRow("array") << QByteArray("[1,2]") << "not an object";
        QTest::newRow("no type") << QByteArray("{\"seq\":1}") << "'type'";
        QTest::newRow("unknown type") << QByteArray("{\"type\":\"zap\"}") << "unknown message type";
        QTest::newRow("bad kind") << QByteArray("{\"type\":\"delta\",\"kind\":\"zap\"}") << "unknown delta kind";
        QTest::newRow("wrong field type") << QByteArray("{\"type\":\"delta\",\"kind\":\"exit\",\"seq\":\"x\"}") << "malformed";
        QTest::newRow("bad record") << QByteArray("{\"type\":\"keyframe\",\"processes\":[1]}") << "not an object";
        QTest::newRow("bad version") << QByteArray("{\"type\":\"hello\",\"version\":7}") << "major, minor";
        // Deep input is refused by the nesting limit wherever it is (the readers never recurse).
        QTest::newRow("deep before type") << QByteArray("{\"x\":" + QByteArray(1000, '[')) << "nesting";
        QTest::newRow("deep after type")
            << QByteArray("{\"type\":\"delta\",\"kind\":\"exit\",\"x\":" + QByteArray(1000, '[')) << "nesting";
        QTest::newRow("deep top-level array") << QByteArray(1000, '[') << "not an object";
    }
    void malformedPayloadsAreErrors() {
        QFETCH(QByteArray, payload);
        QFETCH(QString, expect);
        auto r = Codec::decodePayload({reinterpret_cast<const std::uint8_t*>(payload.data()), std::size_t(payload.size())},
                                      Encoding::Json);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error()).contains(expect), r.error().c_str());
    }
    void deepCborIsRefusedWithoutRecursion() {
        // {"x": a million nested one-element arrays}
        std::vector<std::uint8_t> deep = {0xa1, 0x61, 'x'};
        deep.resize(deep.size() + 1'000'000, 0x81);
        auto r = Codec::decodePayload(deep, Encoding::Cbor);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error()).contains("nesting"));
    }
    void truncatedCborIsAnError() {
        auto p = Codec::encodePayload(testing::sampleKeyframe(0), Encoding::Cbor);
        for (std::size_t cut : {std::size_t(1), p.size() / 2, p.size() - 1}) {
            std::vector<std::uint8_t> part(p.begin(), p.begin() + std::ptrdiff_t(cut));
            QVERIFY(!Codec::decodePayload(part, Encoding::Cbor).ok());
        }
    }
    void invalidUtf8InNamesDoesNotThrow() {
        Keyframe k = testing::sampleKeyframe(0);
        k.processes[0].name = std::string("bad\xff\xfe name");
        auto p = Codec::encodePayload(k, Encoding::Json);
        QVERIFY(Codec::decodePayload(p, Encoding::Json).ok());
        auto c = Codec::encodePayload(k, Encoding::Cbor);
        QVERIFY(Codec::decodePayload(c, Encoding::Cbor).ok());
    }
    void oversizeFrameIsRefusedAtEncode() {
        Keyframe k = testing::sampleKeyframe(0);
        auto r = Codec::encodeFrame(k, Encoding::Json, 16);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error()).contains("maximum frame size"));
    }
};

QTEST_GUILESS_MAIN(TestWireCodec)
#include "test_wire_codec.moc"
