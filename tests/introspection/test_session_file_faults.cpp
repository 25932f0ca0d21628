// Issue 13's file rows: what a damaged or unusual session file does to the reader. Each test failed
// on the reader of session 2 (checked by running it against that code).
#include "introspection/payload_compression.h"
#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include "tests/introspection/sample_session.h"
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

using namespace canopy::introspection;

class TestSessionFileFaults : public QObject {
    Q_OBJECT
    static constexpr std::int64_t kStart = 7'000'000'000;
    static constexpr std::int64_t kSec = 1'000'000'000;
    QTemporaryDir m_dir;

    std::string path(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }
    /// The sample history with a keyframe after every 3 deltas (at seq 0, 3, 6, 9).
    std::string writeSample(const char* name, std::uint64_t keyframeEvery = 3) {
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = keyframeEvery;
        const auto p = path(name);
        if (!w.open(p, h, o)) return {};
        w.write(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) w.write(d);
        w.close();
        return p;
    }
    static std::vector<char> readAll(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        return std::vector<char>((std::istreambuf_iterator<char>(in)), {});
    }
    static void writeAll(const std::string& p, const std::vector<char>& b) {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(b.data(), std::streamsize(b.size()));
    }
    /// Flips 16 bytes in the middle of the payload of the frame at `offset`.
    static void flip16(std::vector<char>& bytes, std::uint64_t offset) {
        const std::uint64_t length = (std::uint64_t(std::uint8_t(bytes[offset])) << 24) |
                                     (std::uint64_t(std::uint8_t(bytes[offset + 1])) << 16) |
                                     (std::uint64_t(std::uint8_t(bytes[offset + 2])) << 8) | std::uint8_t(bytes[offset + 3]);
        const std::uint64_t mid = offset + 5 + length / 2 - 8;
        for (int i = 0; i < 16; ++i) bytes[mid + i] = char(~bytes[mid + i]);
    }
    static bool anyWarning(const SessionReader& r, const std::string& needle) {
        for (const auto& w : r.warnings())
            if (w.find(needle) != std::string::npos) return true;
        return false;
    }
    static std::string allWarnings(const SessionReader& r) {
        std::string s;
        for (const auto& w : r.warnings()) s += w + " | ";
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void corruptKeyframeFallsBackToThePreviousOne() {
        const auto p = writeSample("kf.canopy");
        SessionReader clean;
        QVERIFY(clean.open(p).ok());
        QCOMPARE(clean.index().size(), std::size_t(4)); // keyframes at seq 0, 3, 6, 9
        const IndexEntry broken = clean.index()[2];       // the keyframe at seq 6 (+2 s)
        QCOMPARE(broken.seq, std::uint64_t(6));
        auto bytes = readAll(p);
        flip16(bytes, broken.offset);
        const auto q = path("kf-corrupt.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        QVERIFY(!r.indexRebuilt());
        // A moment after the broken keyframe: replayed from the keyframe before it, through it.
        const std::int64_t t = 3 * kSec + 5;
        auto want = clean.snapshotAt(t);
        auto got = r.snapshotAt(t);
        QVERIFY2(got.ok(), got.error().c_str());
        QCOMPARE(got->seq, want->seq);
        QCOMPARE(got->processes.size(), want->processes.size());
        QCOMPARE(got->seq, std::uint64_t(7));
        QVERIFY(got->find(6) && got->find(7) && !got->find(4));
        QCOMPARE(got->find(6)->restartCount, 1);
        QVERIFY2(anyWarning(r, "corrupt keyframe at byte offset " + std::to_string(broken.offset)), allWarnings(r).c_str());
        QVERIFY2(anyWarning(r, "replayed from the keyframe at byte offset " + std::to_string(clean.index()[1].offset)),
                 allWarnings(r).c_str());
        // Later moments still use the later good keyframe.
        auto end = r.snapshotAt(100 * kSec);
        QVERIFY(end.ok());
        QCOMPARE(end->seq, std::uint64_t(10));
    }

    void nothingValidBeforeTheMomentIsAnError() {
        // The first keyframe is the only base for the first seconds: corrupt, the seek must fail
        // with a message saying so (session 2 showed an empty tree as if it were the system).
        const auto p = writeSample("first.canopy");
        SessionReader clean;
        QVERIFY(clean.open(p).ok());
        auto bytes = readAll(p);
        flip16(bytes, clean.index()[0].offset);
        const auto q = path("first-corrupt.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        auto early = r.snapshotAt(1 * kSec);
        QVERIFY2(!early.ok(), "an empty or partial tree was returned as the system at 1 s");
        QVERIFY2(QString::fromStdString(early.error()).contains("nothing readable"), early.error().c_str());
        QVERIFY2(QString::fromStdString(early.error()).contains("byte offset " + QString::number(clean.index()[0].offset)),
                 early.error().c_str());
        // Past the next good keyframe the file is still useful.
        auto later = r.snapshotAt(100 * kSec);
        QVERIFY2(later.ok(), later.error().c_str());
        QCOMPARE(later->seq, std::uint64_t(10));
    }

    void aRecordingWithNothingInItIsAnError() {
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        const auto p = path("empty.canopy");
        QVERIFY(w.open(p, h).ok());
        QVERIFY(w.close().ok());
        SessionReader r;
        QVERIFY(r.open(p).ok());
        auto snap = r.snapshotAt(0);
        QVERIFY2(!snap.ok(), "a recording with no keyframe and no event gave a tree");
        QVERIFY2(QString::fromStdString(snap.error()).contains("no keyframe"), snap.error().c_str());
    }

    void nonRegularFilesAreRefusedAtOpen() {
        const auto fifo = path("session.fifo");
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        // Opened on a worker thread: the reader of session 2 blocked forever in open() on a FIFO.
        auto opened = std::async(std::launch::async, [&] {
            SessionReader r;
            return r.open(fifo);
        });
        if (opened.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
            const int unblock = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK); // lets the blocked open() return
            opened.wait();
            if (unblock >= 0) ::close(unblock);
            QFAIL("SessionReader::open blocked on a FIFO");
        }
        const Status s = opened.get();
        QVERIFY(!s.ok());
        QVERIFY2(QString::fromStdString(s.error()).contains("not a regular file"), s.error().c_str());
        QVERIFY2(QString::fromStdString(s.error()).contains("FIFO"), s.error().c_str());
        for (const std::string& other : {m_dir.path().toStdString(), std::string("/dev/zero")}) {
            SessionReader r;
            const Status t = r.open(other);
            QVERIFY(!t.ok());
            QVERIFY2(QString::fromStdString(t.error()).contains("not a regular file"), t.error().c_str());
        }
    }

    void aFrameCutByTruncationIsReportedAsTruncated() {
        // A keyframe big enough that the cut leaves its header and part of its payload.
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        const auto p = path("cut.canopy");
        QVERIFY(w.open(p, h).ok());
        w.write(testing::sampleKeyframe(kStart));
        Keyframe big;
        big.seq = 0;
        big.timeNs = kStart + kSec;
        for (std::uint64_t pid = 1; pid <= 2000; ++pid) big.processes.push_back(testing::rec(pid, 0, "w" + std::to_string(pid)));
        w.write(big);
        const std::uint64_t bigOffset = w.index().entries.back().offset;
        QVERIFY(w.close().ok());
        auto bytes = readAll(p);
        bytes.resize(bigOffset + 5 + 100); // header + 100 bytes of a much longer payload
        const auto q = path("cut-truncated.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        QVERIFY(r.indexRebuilt());
        QVERIFY2(anyWarning(r, "truncated frame at byte offset " + std::to_string(bigOffset)), allWarnings(r).c_str());
        QVERIFY2(!anyWarning(r, "exceeds the maximum frame size"), allWarnings(r).c_str());
        QVERIFY(r.snapshotAt(0).ok());
    }

    void zlibErrorsAreWords_data() {
        QTest::addColumn<int>("size");
        QTest::newRow("small frame (zlib, dictionary)") << 5000;
        QTest::newRow("big frame (no dictionary; libdeflate when built with it)") << 300000;
    }
    void zlibErrorsAreWords() {
        QFETCH(int, size);
        std::vector<std::uint8_t> payload(static_cast<std::size_t>(size));
        for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = std::uint8_t((i * 7 + i / 100) % 251);
        std::vector<std::uint8_t> packed;
        PayloadCompression::compress(payload, packed);
        auto whole = PayloadCompression::decompress(packed, 1 << 20);
        QVERIFY2(whole.ok(), whole.error().c_str());
        QVERIFY(*whole == payload);
        const std::regex bareCode("\\(-?[0-9]+\\)");
        // Cut short: zlib reports Z_BUF_ERROR with no message of its own.
        std::vector<std::uint8_t> cut(packed.begin(), packed.end() - 20);
        auto a = PayloadCompression::decompress(cut, 1 << 20);
        QVERIFY(!a.ok());
        QVERIFY2(!std::regex_search(a.error(), bareCode), a.error().c_str());
        QVERIFY2(QString::fromStdString(a.error()).contains(size < 65536 ? "ends before" : "cut short"), a.error().c_str());
        // Garbage in the stream: named as corrupt, in words.
        std::vector<std::uint8_t> bad = packed;
        for (std::size_t i = 10; i < 30; ++i) bad[i] ^= 0x5a;
        auto b = PayloadCompression::decompress(bad, 1 << 20);
        QVERIFY(!b.ok());
        QVERIFY2(!std::regex_search(b.error(), bareCode), b.error().c_str());
        QVERIFY2(QString::fromStdString(b.error()).contains("corrupt"), b.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestSessionFileFaults)
#include "test_session_file_faults.moc"
