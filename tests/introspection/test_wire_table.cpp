// The wire table (introspection/wire_table.h): the docs agree with it, older spellings and key
// orders still decode, and what the table-driven writers produce is standard JSON/CBOR.
#include "introspection/cbor_reader.h"
#include "introspection/cbor_writer.h"
#include "introspection/codec.h"
#include "introspection/pid_text.h"
#include "introspection/wire_decode.h"
#include "introspection/wire_table.h"
#include "tests/introspection/sample_session.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace canopy::introspection;

namespace {
std::string readDoc(const char* relative) {
    const char* src = std::getenv("CANOPY_SOURCE_DIR");
    std::ifstream in(std::string(src ? src : ".") + "/" + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Every key of every struct reachable from the table, by struct.
template <class T>
void collectKeys(std::vector<std::pair<std::string, std::string>>& out, const std::string& owner) {
    std::apply([&](const auto&... f) { (out.emplace_back(owner, std::string(f.key)), ...); }, wire::Spec<T>::kFields);
}

std::span<const std::uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
} // namespace

class TestWireTable : public QObject {
    Q_OBJECT
private slots:
    void keysAreFoundByAPerfectHash() {
        // Each record and message key is found with one probe (a compile-time perfect hash); a
        // table without one would fall back to searching its keys in order.
        using namespace wire::detail;
        QVERIFY((MapFields<CborReader, ProcessRecord>::kMultiplier != 0));
        QVERIFY((MapFields<CborReader, Delta>::kMultiplier != 0));
        QVERIFY((MapFields<CborReader, Keyframe>::kMultiplier != 0));
        QVERIFY((MapFields<CborReader, Sample>::kMultiplier != 0));
        QVERIFY((MapFields<CborReader, SessionIndex>::kMultiplier != 0));
        using F = MapFields<CborReader, ProcessRecord>;
        QCOMPARE(F::find("pid", 0), std::size_t(0));
        QCOMPARE(F::find("start_order", 0), F::kCount - 1);
        QCOMPARE(F::find("startOrder", 0), F::kCount - 1); // the older spelling
        QCOMPARE(F::find("start_orders", 0), F::kCount);   // unknown
        QCOMPARE(F::find("", 0), F::kCount);
        QCOMPARE(F::find("sXXXXXXXXXr", 0), F::kCount);    // start_order's length and ends
    }
    void docsNameEveryMessageAndField() {
        const std::string doc = readDoc("docs/protocol.md");
        QVERIFY2(!doc.empty(), "docs/protocol.md not found (CANOPY_SOURCE_DIR)");
        std::vector<std::pair<std::string, std::string>> keys;
        std::vector<std::string> types;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((types.emplace_back(wire::Spec<std::variant_alternative_t<I, WireMessage>>::kType),
              collectKeys<std::variant_alternative_t<I, WireMessage>>(
                  keys, std::string(wire::Spec<std::variant_alternative_t<I, WireMessage>>::kType))),
             ...);
        }(std::make_index_sequence<std::variant_size_v<WireMessage>>());
        collectKeys<ProcessRecord>(keys, "record");
        collectKeys<ChildSlotStats>(keys, "slot");
        collectKeys<IndexEntry>(keys, "index entry");
        collectKeys<TimelineSummary>(keys, "timeline summary");
        collectKeys<GiveUpEvent>(keys, "give-up");
        for (const auto& t : types)
            QVERIFY2(doc.find("### `" + t + "`") != std::string::npos, ("docs/protocol.md has no section for " + t).c_str());
        for (const auto& [owner, key] : keys)
            QVERIFY2(doc.find("`" + key + "`") != std::string::npos,
                     ("docs/protocol.md does not mention " + owner + " field `" + key + "`").c_str());
    }

    void keyOfFindsTableKeys() {
        static_assert(wire::keyOf<&ProcessRecord::childId>() == "child_id");
        static_assert(wire::keyOf<&ProcessRecord::mailboxLength>() == "mailbox");
        static_assert(wire::keyOf<&Keyframe::timeNs>() == "time_ns");
        QCOMPARE(wire::keyOf<&ProcessRecord::pidText>(), std::string_view("pid_text"));
    }

    void pidTextHelper() {
        QCOMPARE(pidText(42), std::string("<0.42.0>"));
        QCOMPARE(pidText(0), std::string("<0.0.0>"));
        QCOMPARE(pidText(UINT64_MAX), std::string("<0.18446744073709551615.0>"));
        QVERIFY(isPlainPidText(42, "<0.42.0>"));
        QVERIFY(!isPlainPidText(42, "<0.42.1>"));
        QVERIFY(!isPlainPidText(42, "<0.4.0>"));
        QVERIFY(!isPlainPidText(42, ""));
    }

    void pidTextIsOmittedOnlyWhenPlain() {
        Keyframe k = testing::sampleKeyframe(0);
        k.processes[1].pidText = "<1.2.3>"; // a remote-node pid from the BEAM bridge
        const std::string json = Codec::toJsonText(k);
        QVERIFY2(json.find("\"pid_text\":\"<1.2.3>\"") != std::string::npos, json.c_str());
        QVERIFY(json.find("<0.1.0>") == std::string::npos);
        auto back = Codec::decodePayload(bytes(json), Encoding::Json);
        QVERIFY2(back.ok(), back.error().c_str());
        const auto& procs = std::get<Keyframe>(*back).processes;
        QCOMPARE(procs[0].pidText, std::string("<0.1.0>"));
        QCOMPARE(procs[1].pidText, std::string("<1.2.3>"));
    }

    void olderSpellingAndKeyOrderStillDecode() {
        // The camelCase record keys (snapshot JSON version 1) are accepted; "type" may come last
        // (nlohmann's DOM codec wrote keys sorted, so old session files have it after the others).
        const std::string text = "{\"processes\":[{\"pid\":7,\"pidText\":\"<9.7.0>\",\"childId\":\"w\",\"mailboxLength\":3,"
                                 "\"startOrder\":2}],\"seq\":4,\"time_ns\":10,\"type\":\"keyframe\"}";
        auto m = Codec::decodePayload(bytes(text), Encoding::Json);
        QVERIFY2(m.ok(), m.error().c_str());
        const auto& k = std::get<Keyframe>(*m);
        QCOMPARE(k.seq, std::uint64_t(4));
        QCOMPARE(k.processes.at(0).pidText, std::string("<9.7.0>"));
        QCOMPARE(k.processes.at(0).childId, std::string("w"));
        QCOMPARE(k.processes.at(0).mailboxLength, std::int64_t(3));
        QCOMPARE(k.processes.at(0).startOrder, std::uint64_t(2));
    }

    void payloadsOfTheOldDomCodecDecode() {
        // What the nlohmann-DOM codec of session 2 wrote (sorted keys, definite CBOR maps).
        nlohmann::json rec = {{"pid", 3}, {"parent", 1}, {"child_id", "db"}, {"kind", "supervisor"},
                              {"links", {1, 2}}, {"restart_count", 2}, {"significant", true}};
        nlohmann::json kf = {{"type", "keyframe"}, {"seq", 9}, {"time_ns", -5}, {"processes", {rec}},
                             {"slots", {{1, "db", 2, "boom"}}}};
        nlohmann::json delta = {{"type", "delta"}, {"seq", 10}, {"time_ns", 7}, {"kind", "child_restarted"},
                                {"pid", 4}, {"peer", 1}, {"process", rec}, {"strategy", "one_for_one"}};
        nlohmann::json sample = {{"type", "sample"}, {"time_ns", 8}, {"process_count", 3}, {"total_mailbox", 2},
                                 {"message_rate", 1.5}, {"mailboxes", {{3, 2}}}};
        for (const auto& j : {kf, delta, sample}) {
            for (Encoding enc : {Encoding::Json, Encoding::Cbor}) {
                std::vector<std::uint8_t> payload;
                if (enc == Encoding::Cbor) payload = nlohmann::json::to_cbor(j);
                else {
                    const std::string s = j.dump();
                    payload.assign(s.begin(), s.end());
                }
                auto m = Codec::decodePayload(payload, enc);
                QVERIFY2(m.ok(), m.error().c_str());
                // Re-encoded by the table, it is the same document.
                QCOMPARE(nlohmann::json::parse(Codec::toJsonText(*m)), j);
            }
        }
    }

    void writersProduceStandardJsonAndCbor() {
        // nlohmann's parsers accept what the table-driven writers write, and both encodings agree.
        Keyframe k = testing::sampleKeyframe(5);
        k.processes[0].name = "naïve \"quoted\"\n\x01";
        k.processes[0].links = {2, 3};
        k.childSlots = {{1, "registry", 3, "{badarg,x}"}};
        Sample s;
        s.messageRate = 0.1;
        s.mailboxes = {{1, -2}};
        Welcome w;
        w.startNs = INT64_MIN;
        w.nowNs = INT64_MAX;
        for (const WireMessage& m : std::vector<WireMessage>{k, s, w, Hello{}, KeyframeRequest{}}) {
            const auto cbor = Codec::encodePayload(m, Encoding::Cbor);
            const std::string json = Codec::toJsonText(m);
            nlohmann::json fromCbor, fromJson;
            try {
                fromCbor = nlohmann::json::from_cbor(cbor);
                fromJson = nlohmann::json::parse(json);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
            QCOMPARE(fromCbor, fromJson);
            QCOMPARE(fromJson["type"].get<std::string>(), std::string(messageTypeName(m)));
        }
    }

    void cborMapsOfManyKeysAndOpenArrays() {
        // endMap() widens the head when a map has 24 keys or more; open arrays get their count patched.
        for (std::size_t n : {std::size_t(0), std::size_t(23), std::size_t(24), std::size_t(300), std::size_t(70000)}) {
            std::vector<std::uint8_t> out;
            {
                CborWriter w(out);
                const std::size_t mark = w.beginMap();
                for (std::size_t i = 0; i < n; ++i) {
                    w.key("k" + std::to_string(i));
                    w.u64(i);
                }
                w.key("list");
                const std::size_t list = w.beginOpenArray();
                for (std::size_t i = 0; i < n; ++i) w.i64(-std::int64_t(i));
                w.endOpenArray(list, std::uint32_t(n));
                w.endMap(mark, n + 1);
            }
            const auto j = nlohmann::json::from_cbor(out);
            QCOMPARE(j.size(), n + 1);
            QCOMPARE(j["list"].size(), n);
            CborReader r(out);
            r.enterMap("x");
            std::string_view key;
            std::size_t keys = 0;
            while (r.nextKey(key)) {
                ++keys;
                r.skip();
            }
            r.finish();
            QCOMPARE(keys, n + 1);
        }
    }

    void fieldErrorsNameTheirPath() {
        const std::string text = "{\"type\":\"keyframe\",\"processes\":[{\"pid\":1},{\"pid\":2,\"links\":[1,\"x\"]}]}";
        auto m = Codec::decodePayload(bytes(text), Encoding::Json);
        QVERIFY(!m.ok());
        QVERIFY2(m.error().find("processes[1].links[1]") != std::string::npos, m.error().c_str());
        QVERIFY2(m.error().find("expected an integer") != std::string::npos, m.error().c_str());
        auto missing = Codec::decodePayload(bytes("{\"type\":\"delta\",\"seq\":1}"), Encoding::Json);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().find("'kind'") != std::string::npos, missing.error().c_str());
    }

    void tuplesAcceptAppendedElements() {
        // A later minor version may append elements to tuple items; today's reader keeps the rest.
        const std::string text = "{\"type\":\"keyframe\",\"processes\":[],\"slots\":[[1,\"a\",2,\"x\",99,[1]]]}";
        auto m = Codec::decodePayload(bytes(text), Encoding::Json);
        QVERIFY2(m.ok(), m.error().c_str());
        QCOMPARE(std::get<Keyframe>(*m).childSlots.at(0).restarts, 2);
        auto shortSlot = Codec::decodePayload(bytes("{\"type\":\"keyframe\",\"slots\":[[1,\"a\"]]}"), Encoding::Json);
        QVERIFY(!shortSlot.ok());
        QVERIFY2(shortSlot.error().find("not [supervisor, child_id, restarts, last_exit]") != std::string::npos,
                 shortSlot.error().c_str());
    }

    void jsonReaderIsStrict_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("trailing") << QByteArray("{\"type\":\"keyframe_request\"} x");
        QTest::newRow("leading zero") << QByteArray("{\"type\":\"subscribe\",\"root\":01}");
        QTest::newRow("bad utf8") << QByteArray("{\"type\":\"command\",\"action\":\"\xff\"}");
        QTest::newRow("lone surrogate") << QByteArray("{\"type\":\"command\",\"action\":\"\\ud800\"}");
        QTest::newRow("control char") << QByteArray("{\"type\":\"command\",\"action\":\"a\x01\"}");
        QTest::newRow("float for int") << QByteArray("{\"type\":\"subscribe\",\"root\":1.5}");
        QTest::newRow("negative uint") << QByteArray("{\"type\":\"subscribe\",\"root\":-1}");
        QTest::newRow("huge int") << QByteArray("{\"type\":\"subscribe\",\"root\":184467440737095516160}");
        QTest::newRow("int range") << QByteArray("{\"type\":\"delta\",\"kind\":\"exit\",\"max_restarts\":3000000000}");
        QTest::newRow("missing comma") << QByteArray("{\"type\":\"subscribe\" \"root\":1}");
        QTest::newRow("unterminated") << QByteArray("{\"type\":\"subscribe\",\"root\":1");
    }
    void jsonReaderIsStrict() {
        QFETCH(QByteArray, payload);
        auto m = Codec::decodePayload({reinterpret_cast<const std::uint8_t*>(payload.data()), std::size_t(payload.size())},
                                      Encoding::Json);
        QVERIFY2(!m.ok(), "accepted");
        QVERIFY(m.error().find('\n') == std::string::npos);
    }

    void jsonEscapesDecode() {
        const std::string text = "{\"type\":\"command\",\"action\":\"a\\\"b\\\\c\\/d\\u00e9\\ud834\\udd1e\\n\"}";
        auto m = Codec::decodePayload(bytes(text), Encoding::Json);
        QVERIFY2(m.ok(), m.error().c_str());
        QCOMPARE(std::get<Command>(*m).action, std::string("a\"b\\c/d\xc3\xa9\xf0\x9d\x84\x9e\n"));
    }
};

QTEST_GUILESS_MAIN(TestWireTable)
#include "test_wire_table.moc"
