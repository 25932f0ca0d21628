#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/payload_compression.h"
#include "tests/introspection/sample_session.h"
#include <QtTest>
#include <random>

using namespace canopy::introspection;

class TestFrameDecoder : public QObject {
    Q_OBJECT

    static std::vector<std::uint8_t> stream(Encoding e) {
        std::vector<std::uint8_t> out;
        Codec::appendFrame(out, testing::sampleKeyframe(0), e);
        for (const auto& d : testing::sampleDeltas(0)) Codec::appendFrame(out, d, e);
        return out;
    }
    static int drain(FrameDecoder& dec, std::vector<WireMessage>& got) {
        Frame f;
        int n = 0;
        while (dec.next(f) == FrameDecoder::Status::Frame) {
            auto m = Codec::decodeFrame(f);
            if (!m.ok()) return -1;
            got.push_back(*m);
            ++n;
        }
        return n;
    }

private slots:
    void byteByByte_data() {
        QTest::addColumn<int>("encoding");
        QTest::newRow("json") << int(Encoding::Json);
        QTest::newRow("cbor") << int(Encoding::Cbor);
    }
    void byteByByte() {
        QFETCH(int, encoding);
        auto bytes = stream(Encoding(encoding));
        FrameDecoder dec;
        std::vector<WireMessage> got;
        for (auto b : bytes) {
            dec.feed(&b, 1);
            QVERIFY(drain(dec, got) >= 0);
        }
        QCOMPARE(got.size(), std::size_t(1 + testing::sampleDeltas(0).size()));
        QVERIFY(std::holds_alternative<Keyframe>(got[0]));
        QCOMPARE(std::get<Delta>(got.back()).seq, std::uint64_t(10));
        QCOMPARE(dec.buffered(), std::size_t(0));
        QCOMPARE(dec.consumed(), std::uint64_t(bytes.size()));
    }
    void randomChunks() {
        auto bytes = stream(Encoding::Cbor);
        std::mt19937 rng(7);
        for (int round = 0; round < 50; ++round) {
            FrameDecoder dec;
            std::vector<WireMessage> got;
            std::size_t off = 0;
            while (off < bytes.size()) {
                std::size_t n = std::min<std::size_t>(bytes.size() - off, 1 + rng() % 64);
                dec.feed(bytes.data() + off, n);
                off += n;
                QVERIFY(drain(dec, got) >= 0);
            }
            QCOMPARE(got.size(), std::size_t(11));
        }
    }
    void wholeStreamAtOnce() {
        auto bytes = stream(Encoding::Json);
        FrameDecoder dec;
        dec.feed(bytes);
        std::vector<WireMessage> got;
        QCOMPARE(drain(dec, got), 11);
    }
    void oversizeLengthIsAnErrorWithoutAllocating() {
        FrameDecoder dec(1024);
        const std::uint8_t header[] = {0x7f, 0xff, 0xff, 0xff, 0x00};
        dec.feed(header, sizeof header);
        Frame f;
        QCOMPARE(dec.next(f), FrameDecoder::Status::Error);
        QVERIFY2(QString::fromStdString(dec.error()).contains("exceeds the maximum frame size"), dec.error().c_str());
        QVERIFY(QString::fromStdString(dec.error()).contains("offset 0"));
        // Sticky: more bytes do not revive it.
        auto good = stream(Encoding::Json);
        dec.feed(good);
        QCOMPARE(dec.next(f), FrameDecoder::Status::Error);
    }
    void errorNamesTheStreamOffset() {
        auto bytes = stream(Encoding::Json);
        std::vector<std::uint8_t> frame1;
        Codec::appendFrame(frame1, testing::sampleKeyframe(0), Encoding::Json);
        bytes[frame1.size() + 4] = 0x07; // encoding 7 in the second frame
        FrameDecoder dec;
        dec.feed(bytes);
        Frame f;
        QCOMPARE(dec.next(f), FrameDecoder::Status::Frame);
        QCOMPARE(dec.next(f), FrameDecoder::Status::Error);
        QVERIFY2(QString::fromStdString(dec.error()).contains("offset " + QString::number(frame1.size())), dec.error().c_str());
        QVERIFY(QString::fromStdString(dec.error()).contains("encoding"));
    }
    void compressedFlagIsRefused() {
        const std::uint8_t header[] = {0, 0, 0, 2, 0x10, '{', '}'};
        FrameDecoder dec;
        dec.feed(header, sizeof header);
        Frame f;
        QCOMPARE(dec.next(f), FrameDecoder::Status::Error);
        QVERIFY(QString::fromStdString(dec.error()).contains("compressed"));
    }
    void compressedPayloadsRoundTripAndRejectBadInput() {
        std::string text(5000, 'x');
        text += "{\"type\":\"delta\",\"seq\":1}";
        const std::vector<std::uint8_t> raw(text.begin(), text.end());
        std::vector<std::uint8_t> packed;
        PayloadCompression::compress(raw, packed);
        QVERIFY(packed.size() < raw.size() / 10);
        auto back = PayloadCompression::decompress(packed, 1 << 20);
        QVERIFY2(back.ok(), back.error().c_str());
        QVERIFY(*back == raw);
        // An announced length above the limit is refused before anything is allocated.
        auto big = PayloadCompression::decompress(packed, 100);
        QVERIFY(!big.ok() && QString::fromStdString(big.error()).contains("maximum frame size"));
        // Truncated, damaged, or lying about its length: errors, never a crash.
        auto cut = PayloadCompression::decompress(std::span(packed).first(packed.size() / 2), 1 << 20);
        QVERIFY(!cut.ok());
        auto bad = packed;
        bad[8] ^= 0xff;
        QVERIFY(!PayloadCompression::decompress(bad, 1 << 20).ok());
        auto lie = packed;
        lie[3] ^= 1;
        QVERIFY(!PayloadCompression::decompress(lie, 1 << 20).ok());
        QVERIFY(!PayloadCompression::decompress(std::vector<std::uint8_t>{1, 2}, 1 << 20).ok());
    }
    void dictionaryFramesCheckTheirAdler32() {
        // A small payload is deflated over the preset dictionary (FDICT set) and inflated raw with the
        // stream's Adler-32 checked by us: a damaged trailer, body or dictionary id is an error.
        const std::string text = "{\"type\":\"delta\",\"seq\":7,\"kind\":\"exit\",\"reason\":\"normal\"}";
        const std::vector<std::uint8_t> raw(text.begin(), text.end());
        std::vector<std::uint8_t> packed;
        PayloadCompression::compress(raw, packed);
        QVERIFY(packed.size() > 4 + 10);
        QVERIFY2(packed[5] & 0x20, "a small payload uses the dictionary");
        auto back = PayloadCompression::decompress(packed, 1 << 20);
        QVERIFY2(back.ok(), back.error().c_str());
        QVERIFY(*back == raw);
        for (std::size_t i = packed.size() - 4; i < packed.size(); ++i) {
            auto bad = packed;
            bad[i] ^= 0x01;
            auto r = PayloadCompression::decompress(bad, 1 << 20);
            QVERIFY2(!r.ok(), qPrintable(QString("a flipped Adler-32 byte %1 was accepted").arg(i)));
        }
        auto body = packed;
        body[4 + 6 + 1] ^= 0x40;
        QVERIFY(!PayloadCompression::decompress(body, 1 << 20).ok());
        auto otherDictionary = packed;
        otherDictionary[4 + 2] ^= 0x01;
        auto r = PayloadCompression::decompress(otherDictionary, 1 << 20);
        QVERIFY(!r.ok() && QString::fromStdString(r.error()).contains("dictionary"));
    }
    void garbagePayloadDecodesToAnErrorValue() {
        const std::uint8_t bytes[] = {0, 0, 0, 3, 0x00, 'a', 'b', 'c', 0, 0, 0, 3, 0x01, 0xff, 0xff, 0xff};
        FrameDecoder dec;
        dec.feed(bytes, sizeof bytes);
        Frame f;
        QCOMPARE(dec.next(f), FrameDecoder::Status::Frame);
        QVERIFY(!Codec::decodeFrame(f).ok());
        QCOMPARE(dec.next(f), FrameDecoder::Status::Frame);
        QVERIFY(f.encoding == Encoding::Cbor);
        QVERIFY(!Codec::decodeFrame(f).ok());
        QCOMPARE(dec.next(f), FrameDecoder::Status::NeedMore);
    }
    void emptyPayloadFrame() {
        const std::uint8_t bytes[] = {0, 0, 0, 0, 0x00};
        FrameDecoder dec;
        dec.feed(bytes, sizeof bytes);
        Frame f;
        QCOMPARE(dec.next(f), FrameDecoder::Status::Frame);
        QCOMPARE(f.payload.size(), std::size_t(0));
        QVERIFY(!Codec::decodeFrame(f).ok());
    }
    void bigFramesAreReceivedInPlace_data() {
        QTest::addColumn<bool>("inPlace");
        QTest::newRow("writeSpace/commit") << true;
        QTest::newRow("feed") << false;
    }
    void bigFramesAreReceivedInPlace() {
        // small frame, a keyframe of ~1.5 MiB (received into its own payload vector), small frame;
        // in uneven pieces, as a socket delivers them.
        QFETCH(bool, inPlace);
        Keyframe big = testing::sampleKeyframe(0);
        for (std::uint64_t pid = 100; pid < 30000; ++pid) big.processes.push_back(testing::rec(pid, 1, "w" + std::to_string(pid)));
        std::vector<std::uint8_t> bytes;
        Codec::appendFrame(bytes, testing::sampleDeltas(0)[0], Encoding::Cbor);
        const std::size_t bigAt = bytes.size();
        Codec::appendFrame(bytes, big, Encoding::Cbor);
        const std::size_t bigEnd = bytes.size();
        QVERIFY(bigEnd - bigAt > (std::size_t(1) << 20));
        Codec::appendFrame(bytes, testing::sampleDeltas(0)[1], Encoding::Json);
        FrameDecoder dec;
        std::vector<WireMessage> got;
        std::mt19937 rng(5);
        std::size_t off = 0;
        bool receivedInPlace = false; // the big payload's own vector was offered as the room
        while (off < bytes.size()) {
            const std::size_t want = 1 + rng() % 70000;
            if (inPlace) {
                auto room = dec.writeSpace(want);
                receivedInPlace = receivedInPlace || (off > bigAt + 5 && off < bigEnd && room.size() == bigEnd - off);
                const std::size_t n = std::min({want, room.size(), bytes.size() - off});
                std::memcpy(room.data(), bytes.data() + off, n);
                dec.commit(n);
                off += n;
            } else {
                const std::size_t n = std::min(want, bytes.size() - off);
                dec.feed(bytes.data() + off, n);
                off += n;
            }
            QVERIFY(drain(dec, got) >= 0);
            if (off > bigAt && off < bigEnd) QVERIFY(dec.buffered() > 0); // a close now is "mid-frame"
        }
        QVERIFY(!dec.failed());
        QVERIFY(!inPlace || receivedInPlace);
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(std::get<Keyframe>(got[1]).processes.size(), big.processes.size());
        QCOMPARE(QString::fromStdString(Codec::toJsonText(got[1])), QString::fromStdString(Codec::toJsonText(big)));
        QVERIFY(std::holds_alternative<Delta>(got[2]));
        QCOMPARE(dec.consumed(), std::uint64_t(bytes.size()));
        QCOMPARE(dec.buffered(), std::size_t(0));
    }
    void bytesAfterACompleteBigFrameHaveRoomBeforeItIsTaken() {
        // A socket holding a whole big keyframe and what follows: the reader fills the room it is
        // offered until the socket is empty and only then takes frames. The room after the big
        // frame must not be empty (a recv() into zero bytes returns 0: "the peer closed").
        Keyframe big = testing::sampleKeyframe(0);
        for (std::uint64_t pid = 100; pid < 30000; ++pid) big.processes.push_back(testing::rec(pid, 1, "w" + std::to_string(pid)));
        std::vector<std::uint8_t> bytes;
        Codec::appendFrame(bytes, big, Encoding::Cbor);
        const std::size_t bigEnd = bytes.size();
        Codec::appendFrame(bytes, testing::sampleDeltas(0)[0], Encoding::Cbor);
        Codec::appendFrame(bytes, testing::sampleDeltas(0)[1], Encoding::Cbor);
        FrameDecoder dec;
        std::size_t off = 0;
        while (off < bytes.size()) {
            auto room = dec.writeSpace(256 * 1024);
            QVERIFY2(!room.empty(), qPrintable(QStringLiteral("no room at offset %1 (big frame ends at %2)").arg(off).arg(bigEnd)));
            const std::size_t n = std::min(room.size(), bytes.size() - off);
            std::memcpy(room.data(), bytes.data() + off, n);
            dec.commit(n);
            off += n;
        }
        std::vector<WireMessage> got;
        QVERIFY(drain(dec, got) >= 0);
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(std::get<Keyframe>(got[0]).processes.size(), big.processes.size());
        QVERIFY(std::holds_alternative<Delta>(got[1]));
        QVERIFY(std::holds_alternative<Delta>(got[2]));
        QCOMPARE(dec.consumed(), std::uint64_t(bytes.size()));
    }
};

QTEST_GUILESS_MAIN(TestFrameDecoder)
#include "test_frame_decoder.moc"
