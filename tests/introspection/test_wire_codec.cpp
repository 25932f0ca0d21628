#include "introspection/cbor_reader.h"
#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "tests/introspection/sample_session.h"
#include "tests/introspection/wire_diff.h"
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace canopy::introspection;

class TestWireCodec : public QObject {
    Q_OBJECT

    /// Every message with every member set to a value that is not its default, so a member the
    /// encoder or the decoder drops shows as a difference.
    static ProcessRecord fullRecord(std::uint64_t pid) {
        ProcessRecord r = testing::rec(pid, 1, "registry", "supervisor", "rest_for_one");
        r.pidText = "<0.99." + std::to_string(pid) + ">"; // not the plain form, so it is written
        r.name = "reg";
        r.restart = "transient";
        r.shutdown = "brutal_kill";
        r.significant = true;
        r.status = "running";
        r.initialCall = "Registry:init/1";
        r.mailboxLength = 17;
        r.messagesHandled = 4000000000ull;
        r.memoryBytes = 65536;
        r.reductions = 123456789;
        r.restartsInWindow = 2;
        r.maxRestarts = 7;
        r.maxSeconds = 11;
        r.restartStamps = {3, 4};
        r.restartCount = 9;
        r.lastExitReason = "{shutdown,x}";
        r.links = {2, 3};
        r.monitors = {5};
        r.startOrder = 12;
        return r;
    }
    static std::vector<WireMessage> allMessages() {
        Hello h;
        h.versionMinor = 4;
        h.token = "s3cr3t";
        h.encoding = "cbor";
        h.capabilities = {"samples"};
        h.client = "test";
        Welcome w;
        w.versionMinor = 2;
        w.encoding = "cbor";
        w.startNs = 123;
        w.nowNs = 456;
        w.server = "demo";
        w.commandsEnabled = true;
        w.capabilities = {"samples", "commands"};
        Refusal r{"version_mismatch", "nope", 1, 0, 2, 3};
        Keyframe k = testing::sampleKeyframe(1000);
        k.seq = 41;
        k.processes[0] = fullRecord(1);
        k.childSlots = {{1, "registry", 2, "boom"}};
        ProcessRecord ghost = testing::rec(0, 1, "cache");
        ghost.lastExitReason = "normal";
        ghost.startOrder = 3;
        k.ghosts = {ghost};
        Delta d = testing::sampleDeltas(1000)[2];
        d.text = "registry";
        d.reason = "killed";
        d.strategy = "one_for_all";
        d.restartsInWindow = 1;
        d.maxRestarts = 3;
        d.maxSeconds = 5;
        d.process = fullRecord(6);
        Sample s;
        s.timeNs = 77;
        s.processCount = 5;
        s.totalMailbox = -9; // a negative total must survive (the model sums signed deltas)
        s.messageRate = 1234.5;
        s.mailboxes = {{1, 4}, {2, 5}};
        s.handled = {{1, 400}};
        ResyncNotice rn{42, "queue_overflow"};
        Subscribe sub{3, 10.0};
        Command c{9, "restart_child", 4, 1, "registry", "shutdown"};
        CommandResult cr{9, true, "restarted"};
        SessionHeader sh;
        sh.formatVersion = 2;
        sh.protocolMinor = 1;
        sh.startNs = 5;
        sh.created = "2026-11-21T00:00:00Z";
        sh.source = "x";
        SessionIndex si;
        si.entries = {{1, 100, 0}, {2, 200, 10}};
        si.endNs = 3;
        si.frames = 4;
        si.deltas = 6;
        si.samples = 7;
        si.timeline = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}};
        si.giveUps = {{14, 1, "registry", "shutdown"}};
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
        const auto messages = allMessages();
        QCOMPARE(messages.size(), std::variant_size_v<WireMessage>); // one of each
        for (const auto& m : messages) {
            auto payload = Codec::encodePayload(m, Encoding(encoding));
            auto back = Codec::decodePayload(payload, Encoding(encoding));
            QVERIFY2(back.ok(), back.error().c_str());
            QCOMPARE(back->index(), m.index());
            // Decoded == original, member by member (not the encoder compared with itself).
            const std::string diff = testing::WireDiff::between(m, *back);
            QVERIFY2(diff.empty(), diff.c_str());
            // And through a whole frame.
            auto frame = Codec::encodeFrame(m, Encoding(encoding));
            QVERIFY(frame.ok());
            FrameDecoder decoder;
            decoder.feed(frame->data(), frame->size());
            Frame f;
            QCOMPARE(decoder.next(f), FrameDecoder::Status::Frame);
            auto fromFrame = Codec::decodeFrame(f);
            QVERIFY2(fromFrame.ok(), fromFrame.error().c_str());
            QVERIFY2(testing::WireDiff::between(m, *fromFrame).empty(), testing::WireDiff::between(m, *fromFrame).c_str());
        }
    }
    void everySampleMemberIsSet() {
        // The round trip proves nothing about a member left at its default: each sample differs
        // from a default-constructed message in every member WireDiff compares.
        const auto messages = allMessages();
        const Delta& d = std::get<Delta>(messages[4]);
        QVERIFY(!testing::WireDiff::between(WireMessage(d), WireMessage(Delta{})).empty());
        const ProcessRecord full = fullRecord(6);
        const ProcessRecord none;
        QVERIFY(full.pid != none.pid && full.pidText != none.pidText && full.parent != none.parent &&
                full.name != none.name && full.childId != none.childId && full.kind != none.kind &&
                full.strategy != none.strategy && full.restart != none.restart && full.shutdown != none.shutdown &&
                full.significant != none.significant && full.status != none.status &&
                full.initialCall != none.initialCall && full.mailboxLength != none.mailboxLength &&
                full.messagesHandled != none.messagesHandled && full.memoryBytes != none.memoryBytes &&
                full.reductions != none.reductions &&
                full.restartsInWindow != none.restartsInWindow && full.maxRestarts != none.maxRestarts &&
                full.maxSeconds != none.maxSeconds && full.restartStamps != none.restartStamps &&
                full.restartCount != none.restartCount && full.lastExitReason != none.lastExitReason &&
                full.links != none.links && full.monitors != none.monitors && full.startOrder != none.startOrder);
        QVERIFY(d.text != Delta{}.text && d.reason != Delta{}.reason && d.strategy != Delta{}.strategy &&
                d.restartsInWindow != 0 && d.maxRestarts != 0 && d.maxSeconds != 0 && d.pid != 0 && d.peer != 0 &&
                d.seq != 0 && d.timeNs != 0 && d.type != Delta{}.type && d.process);
    }
    void deltaJsonIsExactlyThis() {
        // Hand-written expected bytes: the encoder's output for a supervisor report, key by key.
        Delta d;
        d.seq = 3;
        d.timeNs = 1000000020;
        d.type = DeltaType::ChildRestarted;
        d.pid = 6;
        d.peer = 1;
        d.text = "registry";
        d.reason = "boom";
        d.strategy = "one_for_one";
        d.restartsInWindow = 1;
        d.maxRestarts = 3;
        d.maxSeconds = 5;
        const auto p = Codec::encodePayload(d, Encoding::Json);
        QCOMPARE(QString::fromUtf8(reinterpret_cast<const char*>(p.data()), qsizetype(p.size())),
                 QStringLiteral("{\"type\":\"delta\",\"seq\":3,\"time_ns\":1000000020,\"kind\":\"child_restarted\","
                                "\"pid\":6,\"peer\":1,\"text\":\"registry\",\"reason\":\"boom\",\"strategy\":\"one_for_one\","
                                "\"restarts_in_window\":1,\"max_restarts\":3,\"max_seconds\":5}"));
        // Members at their defaults are left out; required ones stay.
        Delta bare;
        bare.type = DeltaType::Exit;
        const auto q = Codec::encodePayload(bare, Encoding::Json);
        QCOMPARE(QString::fromUtf8(reinterpret_cast<const char*>(q.data()), qsizetype(q.size())),
                 QStringLiteral("{\"type\":\"delta\",\"seq\":0,\"time_ns\":0,\"kind\":\"exit\",\"pid\":0}"));
    }
    void unknownFieldsAreIgnored_data() {
        QTest::addColumn<int>("encoding");
        QTest::newRow("json") << int(Encoding::Json);
        QTest::newRow("cbor") << int(Encoding::Cbor);
    }
    void unknownFieldsAreIgnored() {
        // A later minor version may add fields anywhere (scalars, arrays, nested maps, inside records):
        // this build skips them and reads the rest unchanged.
        QFETCH(int, encoding);
        const WireMessage original = allMessages()[4]; // the delta with a full process record
        auto j = nlohmann::json::parse(Codec::toJsonText(original));
        j["future_scalar"] = 7;
        j["future_list"] = nlohmann::json::array({1, "two", nlohmann::json::object({{"three", 3}})});
        j["future_map"] = {{"nested", {{"deeper", nlohmann::json::array({true, nullptr, 1.5})}}}};
        j["process"]["future_record_field"] = "x";
        std::vector<std::uint8_t> payload;
        if (Encoding(encoding) == Encoding::Json) {
            const std::string text = j.dump();
            payload.assign(text.begin(), text.end());
        } else {
            payload = nlohmann::json::to_cbor(j);
        }
        auto back = Codec::decodePayload(payload, Encoding(encoding));
        QVERIFY2(back.ok(), back.error().c_str());
        const std::string diff = testing::WireDiff::between(original, *back);
        QVERIFY2(diff.empty(), diff.c_str());
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
    void cborHeadsOfEveryWidthAndCutOnes_data() {
        QTest::addColumn<int>("ai"); // additional information: 24..27 = 1, 2, 4, 8 bytes follow
        QTest::addColumn<int>("bytes");
        QTest::newRow("1 byte") << 24 << 1;
        QTest::newRow("2 bytes") << 25 << 2;
        QTest::newRow("4 bytes") << 26 << 4;
        QTest::newRow("8 bytes") << 27 << 8;
    }
    void cborHeadsOfEveryWidthAndCutOnes() {
        // An unsigned integer whose head says `bytes` bytes follow: read whole, it is their
        // big-endian value; with the last of them missing (the end of a truncated frame) it is an
        // error, never a shorter number.
        QFETCH(int, ai);
        QFETCH(int, bytes);
        std::vector<std::uint8_t> item{std::uint8_t(ai)};
        std::uint64_t expected = 0;
        for (int i = 0; i < bytes; ++i) {
            item.push_back(std::uint8_t(0x81 + i));
            expected = (expected << 8) | std::uint64_t(0x81 + i);
        }
        bool negative = true;
        std::uint64_t magnitude = 0;
        CborReader whole(item);
        whole.readInteger(negative, magnitude);
        QVERIFY(!negative);
        QCOMPARE(magnitude, expected);
        QCOMPARE(whole.offset(), item.size());
        const std::vector<std::uint8_t> cut(item.begin(), item.end() - 1);
        CborReader reader(cut);
        try {
            reader.readInteger(negative, magnitude);
            QFAIL(qPrintable(QString("a head cut by one byte read as %1").arg(magnitude)));
        } catch (const WireError& e) {
            QVERIFY2(e.what().find("unexpected end of input") != std::string::npos, e.what().c_str());
        }
    }
    void quickSkipEndsWhereSkipEnds() {
        // Every message, every width of head, floats, indefinite lengths (taken by skip()), and
        // nesting: the quick skip ends where skip() ends; on cut input it fails as skip() does.
        std::vector<std::vector<std::uint8_t>> items;
        for (const auto& m : allMessages()) items.push_back(Codec::encodePayload(m, Encoding::Cbor));
        items.push_back({0x1b, 1, 2, 3, 4, 5, 6, 7, 8});            // an 8-byte integer
        items.push_back({0x3a, 1, 2, 3, 4});                        // a negative 4-byte integer
        items.push_back({0xfb, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18}); // a double
        items.push_back({0x82, 0xf9, 0x3c, 0x00, 0xfa, 0x3f, 0x80, 0x00, 0x00}); // half and single floats
        items.push_back({0x9f, 0x01, 0x62, 'h', 'i', 0xff});        // an indefinite array
        items.push_back({0xa1, 0x61, 'k', 0x7f, 0x61, 'a', 0xff});  // an indefinite text in a map
        items.push_back({0x83, 0x80, 0xa0, 0x81, 0x81, 0x59, 0x00, 0x02, 'a', 'b'}); // empty and nested containers
        for (const auto& item : items) {
            std::vector<std::uint8_t> two = item;
            two.insert(two.end(), item.begin(), item.end());
            CborReader careful(two), quick(two);
            careful.skip();
            quick.skipQuick();
            QCOMPARE(quick.offset(), item.size());
            QCOMPARE(careful.offset(), item.size());
            quick.skipQuick();
            QCOMPARE(quick.offset(), two.size());
            for (std::size_t cut = 0; cut < item.size(); ++cut) {
                const std::vector<std::uint8_t> part(item.begin(), item.begin() + std::ptrdiff_t(cut));
                CborReader r(part);
                bool threw = false;
                try {
                    r.skipQuick();
                } catch (const WireError&) {
                    threw = true;
                }
                QVERIFY2(threw, qPrintable(QString("a %1-byte item cut at %2 was skipped").arg(item.size()).arg(cut)));
            }
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
