#include "introspection/file_source.h"
#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include "introspection/session_file_format.h"
#include "introspection/snapshot_loader.h"
#include "tests/introspection/file_bytes.h"
#include "tests/introspection/sample_session.h"
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <random>
#include <thread>

using namespace canopy::introspection;
using canopy::introspection::testing::readAll;
using canopy::introspection::testing::writeAll;

class TestSessionFile : public QObject {
    Q_OBJECT
    static constexpr std::int64_t kStart = 7'000'000'000;
    static constexpr std::int64_t kSec = 1'000'000'000;
    QTemporaryDir m_dir;

    std::string path(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

    std::string writeSample(const char* name, Encoding enc = Encoding::Cbor, bool close = true,
                            std::uint64_t keyframeEvery = 3, bool compress = true) {
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        h.source = "test";
        SessionWriter::Options o;
        o.encoding = enc;
        o.keyframeEveryDeltas = keyframeEvery;
        o.compress = compress;
        auto p = path(name);
        if (!w.open(p, h, o)) return {};
        w.write(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) w.write(d);
        if (close) {
            w.close();
        } else {
            w.flush();
            // Simulate a crash: drop the writer without close() by leaking its FILE via a copy of the bytes.
            std::ifstream in(p, std::ios::binary);
            std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
            w.close();
            std::ofstream out(p, std::ios::binary | std::ios::trunc);
            out.write(bytes.data(), std::streamsize(bytes.size()));
        }
        return p;
    }
    /// Byte offset of the frame holding the delta with sequence number `seq` (0 when none).
    static std::uint64_t deltaOffset(SessionReader& r, std::uint64_t seq) {
        std::uint64_t found = 0;
        r.forEach(r.dataBegin(), [&](const WireMessage& m, std::uint64_t off) {
            if (auto* d = std::get_if<Delta>(&m); d && d->seq == seq) {
                found = off;
                return false;
            }
            return true;
        });
        return found;
    }

    /// A churning tree (root -> 3 static supervisors of 12 workers each, a dynamic supervisor of
    /// workers): restarts, a transient child that leaves a ghost slot and comes back, dynamic
    /// workers coming and going, links, names, terminations and samples, seeded. Written once with
    /// a keyframe every `keyframeEvery` deltas (0: only the first).
    std::string writeChurn(const char* name, std::uint64_t keyframeEvery) {
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = keyframeEvery;
        o.keyframeIntervalNs = 1'000'000 * kSec;
        o.keyframeBytesRatio = 0;
        auto p = path(name);
        if (!w.open(p, h, o).ok()) return {};
        Keyframe k;
        k.timeNs = kStart;
        std::uint64_t nextPid = 1;
        auto add = [&](std::uint64_t parent, std::string id, std::string kind, std::string restart) {
            const std::string strategy = kind == "worker" ? "" : "one_for_one";
            ProcessRecord r = testing::rec(nextPid++, parent, std::move(id), std::move(kind), strategy);
            r.restart = std::move(restart);
            r.shutdown = r.kind == "worker" ? "5000" : "infinity";
            if (r.kind == "worker") r.initialCall = "worker:init/1";
            if (parent) r.links = {parent};
            k.processes.push_back(r);
            return r.pid;
        };
        const std::uint64_t root = add(0, "root", "supervisor", "permanent");
        std::vector<std::uint64_t> sups;
        std::vector<std::vector<std::uint64_t>> workers;
        for (int s = 0; s < 3; ++s) {
            sups.push_back(add(root, "sup_" + std::to_string(s), "supervisor", "permanent"));
            workers.emplace_back();
            for (int i = 0; i < 12; ++i)
                workers.back().push_back(add(sups.back(), "w_" + std::to_string(i), "worker",
                                             i == 0 ? "transient" : "permanent"));
        }
        const std::uint64_t dyn = add(root, "dyn", "dynamic_supervisor", "permanent");
        std::vector<std::uint64_t> dynamic;
        for (int i = 0; i < 6; ++i) dynamic.push_back(add(dyn, "", "worker", "temporary"));
        if (!w.write(k).ok()) return {};
        std::mt19937_64 rng(11);
        std::uint64_t seq = 0;
        std::int64_t t = kStart;
        auto record = [&](DeltaType type, std::uint64_t pid, std::uint64_t peer, std::string text = "",
                        std::string reason = "") {
            Delta d = testing::delta(++seq, t += 1'000'000, type, pid, peer, std::move(text), std::move(reason));
            if (type == DeltaType::ChildRestarted) {
                d.strategy = "one_for_one";
                d.restartsInWindow = int(1 + rng() % 3);
                d.maxRestarts = 10;
                d.maxSeconds = 1;
            }
            w.write(d);
        };
        std::vector<bool> gone(3, false); // w_0 of each supervisor: exited normally (a ghost slot)
        for (int step = 0; step < 300; ++step) {
            const std::size_t s = rng() % 3;
            switch (rng() % 8) {
            case 0: { // the transient child leaves, or comes back
                if (!gone[s]) {
                    record(DeltaType::Exit, workers[s][0], 0, "", "normal");
                } else {
                    workers[s][0] = nextPid++;
                    record(DeltaType::Spawn, workers[s][0], sups[s], "worker:init/1");
                    record(DeltaType::ChildStarted, workers[s][0], sups[s], "w_0");
                }
                gone[s] = !gone[s];
                break;
            }
            case 1: { // dynamic workers come and go
                if (!dynamic.empty() && rng() % 2) {
                    const std::size_t i = rng() % dynamic.size();
                    record(DeltaType::Exit, dynamic[i], 0, "", "shutdown");
                    dynamic.erase(dynamic.begin() + std::ptrdiff_t(i));
                } else {
                    dynamic.push_back(nextPid++);
                    record(DeltaType::Spawn, dynamic.back(), dyn, "dyn_worker:init/1");
                }
                break;
            }
            case 2: { // a link, a name, or a termination report
                const std::uint64_t a = workers[s][1 + rng() % 11];
                const std::uint64_t b = workers[(s + 1) % 3][1 + rng() % 11];
                const int what = int(rng() % 4);
                if (what == 0) record(DeltaType::Link, a, b);
                else if (what == 1) record(DeltaType::Unlink, a, b);
                else if (what == 2) record(DeltaType::NameRegistered, a, 0, "name_" + std::to_string(step));
                else record(DeltaType::ChildTerminated, a, sups[s], "", "shutdown");
                break;
            }
            default: { // a crash and a restart
                const std::size_t i = 1 + rng() % 11;
                const std::uint64_t fresh = nextPid++;
                record(DeltaType::Exit, workers[s][i], 0, "", rng() % 2 ? "{badarg,[{worker,handle_call,3}]}" : "killed");
                record(DeltaType::Spawn, fresh, sups[s], "worker:init/1");
                record(DeltaType::ChildRestarted, fresh, sups[s], "w_" + std::to_string(i));
                workers[s][i] = fresh;
            }
            }
            if (step % 25 == 24) {
                Sample smp;
                smp.timeNs = t += 1'000'000;
                smp.messageRate = double(step);
                for (std::size_t j = 0; j < 3; ++j) smp.mailboxes.push_back({workers[j][1 + rng() % 11], std::int64_t(rng() % 50)});
                w.write(smp);
            }
        }
        return w.close().ok() ? p : std::string();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writeReadSeek_data() {
        QTest::addColumn<int>("encoding");
        QTest::addColumn<bool>("compress");
        QTest::newRow("cbor") << int(Encoding::Cbor) << true;
        QTest::newRow("json") << int(Encoding::Json) << true;
        QTest::newRow("cbor, format 1 (uncompressed)") << int(Encoding::Cbor) << false;
        QTest::newRow("json, format 1 (uncompressed)") << int(Encoding::Json) << false;
    }
    void writeReadSeek() {
        QFETCH(int, encoding);
        QFETCH(bool, compress);
        auto p = writeSample("a.canopy", Encoding(encoding), true, 3, compress);
        SessionReader r;
        auto s = r.open(p);
        QVERIFY2(s.ok(), s.error().c_str());
        QCOMPARE(r.header().formatVersion, compress ? 2 : 1);
        QVERIFY(!r.indexRebuilt());
        QVERIFY(r.warnings().empty());
        QCOMPARE(r.header().source, std::string("test"));
        QCOMPARE(r.startNs(), kStart);
        QCOMPARE(r.durationNs(), 4 * kSec + 20);
        // 1 initial keyframe + automatic ones every 3 deltas.
        QCOMPARE(r.index().size(), std::size_t(4));
        QCOMPARE(r.sessionIndex().deltas, std::uint64_t(10));

        auto at0 = r.snapshotAt(0);
        QVERIFY(at0.ok());
        QCOMPARE(at0->processes.size(), std::size_t(5));
        QVERIFY(at0->find(2));
        auto at15 = r.snapshotAt(kSec + kSec / 2); // after the first restart
        QVERIFY(!at15->find(2) && at15->find(6));
        QCOMPARE(at15->find(6)->restartCount, 1);
        QCOMPARE(at15->find(6)->name, std::string("registry"));
        QCOMPARE(at15->timeNs, kSec + kSec / 2);
        auto at25 = r.snapshotAt(2 * kSec + kSec / 2);
        QVERIFY(at25->find(7) && at25->find(4));
        auto at35 = r.snapshotAt(3 * kSec + kSec / 2);
        QVERIFY(at35->find(7) && !at35->find(4));
        auto end = r.snapshotAt(100 * kSec);
        QVERIFY(end->find(8) && !end->find(6));
        QCOMPARE(end->find(8)->restartCount, 2);
        QCOMPARE(end->timeNs, r.durationNs());
    }
    void iterateInOrder() {
        auto p = writeSample("b.canopy");
        SessionReader r;
        QVERIFY(r.open(p).ok());
        std::uint64_t lastSeq = 0;
        int deltas = 0;
        r.forEach(r.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            if (auto* d = std::get_if<Delta>(&m)) {
                if (d->seq != lastSeq + 1) return false;
                lastSeq = d->seq;
                ++deltas;
            }
            return true;
        });
        QCOMPARE(deltas, 10);
    }
    void fileSourceFeedsTheSameModel() {
        auto p = writeSample("fs.canopy");
        FileSource src(p);
        QVERIFY(src.ok());
        QCOMPARE(src.startNs(), kStart);
        SessionModel model;
        model.setStartNs(src.startNs());
        WireMessage m;
        int n = 0;
        while (src.next(m, 0) == Source::Outcome::Message) {
            model.apply(m);
            ++n;
        }
        QVERIFY(n >= 11);
        QCOMPARE(model.lastSeq(), std::uint64_t(10));
        QCOMPARE(model.snapshot().find(8)->restartCount, 2);
        FileSource missing(path("nope.canopy"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.next(m, 0), Source::Outcome::Error);
        QVERIFY(!missing.error().empty());
    }
    void truncatedFileKeepsEarlierEventsAndWarnsWithOffset() {
        auto p = writeSample("c.canopy");
        auto bytes = readAll(p);
        // Find where the 8th delta (seq 8) starts by reading the file, then cut in its middle.
        SessionReader full;
        QVERIFY(full.open(p).ok());
        const std::uint64_t cutFrame = deltaOffset(full, 8);
        QVERIFY(cutFrame > 0);
        bytes.resize(cutFrame + 7);
        auto q = path("c-truncated.canopy");
        writeAll(q, bytes);
        SessionReader r;
        auto s = r.open(q);
        QVERIFY2(s.ok(), s.error().c_str());
        QVERIFY(r.indexRebuilt());
        QVERIFY(!r.warnings().empty());
        const QString w = QString::fromStdString(r.warnings().front());
        QVERIFY2(w.contains("byte offset " + QString::number(cutFrame)), qPrintable(w));
        QVERIFY(w.contains("truncated"));
        // Everything before the cut is there: seq 7 (worker 4 exited) applied, seq 8 not.
        auto end = r.snapshotAt(100 * kSec);
        QVERIFY(end.ok());
        QCOMPARE(end->seq, std::uint64_t(7));
        QVERIFY(end->find(6) && !end->find(4));
        QCOMPARE(r.durationNs(), 3 * kSec);
        // The loader passes the warning on.
        std::vector<std::string> warnings;
        LoadOptions o;
        o.warnings = &warnings;
        QVERIFY(loadSnapshot(q, o).ok());
        QCOMPARE(warnings.size(), r.warnings().size());
    }
    void missingIndexIsRebuilt() {
        auto p = writeSample("d.canopy");
        auto bytes = readAll(p);
        SessionReader clean;
        QVERIFY(clean.open(p).ok());
        bytes.resize(clean.dataEnd()); // drop index frame + trailer
        auto q = path("d-noindex.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        QVERIFY(r.indexRebuilt());
        QCOMPARE(r.index().size(), clean.index().size());
        QCOMPARE(r.durationNs(), clean.durationNs());
        QVERIFY(QString::fromStdString(r.warnings().front()).contains("no index"));
        QCOMPARE(r.snapshotAt(100 * kSec)->processes.size(), clean.snapshotAt(100 * kSec)->processes.size());
    }
    void corruptFrameInTheMiddle() {
        auto p = writeSample("e.canopy", Encoding::Json);
        auto bytes = readAll(p);
        SessionReader clean;
        QVERIFY(clean.open(p).ok());
        const std::uint64_t target = deltaOffset(clean, 5);
        bytes[target + 5] = '#'; // break the JSON of delta 5
        auto q = path("e-corrupt.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        QVERIFY(!r.indexRebuilt());
        auto mid = r.snapshotAt(2 * kSec + 5); // replays from keyframe 3 through delta 5
        QVERIFY(mid.ok());
        QCOMPARE(mid->seq, std::uint64_t(4)); // stopped before the corrupt frame
        QVERIFY(!r.warnings().empty());
        auto end = r.snapshotAt(100 * kSec); // later keyframes are still reachable through the index
        QVERIFY(end.ok());
        QCOMPARE(end->seq, std::uint64_t(10));
        QVERIFY2(QString::fromStdString(r.warnings().back()).contains("corrupt frame at byte offset " + QString::number(target)),
                 r.warnings().back().c_str());
    }
    void compressionShrinksFilesAndFramesStayIndependent() {
        // A bigger session: 300 processes, 3000 deltas (crash + restart churn), plain and compressed.
        auto write = [&](const char* name, bool compress) {
            SessionWriter w;
            SessionHeader h;
            h.startNs = kStart;
            SessionWriter::Options o;
            o.compress = compress;
            o.keyframeEveryDeltas = 500;
            auto p = path(name);
            if (!w.open(p, h, o)) return std::string();
            Keyframe k;
            k.timeNs = kStart;
            k.processes.push_back(testing::rec(1, 0, "root_sup"));
            k.processes.back().kind = "supervisor";
            for (std::uint64_t i = 2; i <= 300; ++i) k.processes.push_back(testing::rec(i, 1, "worker_" + std::to_string(i)));
            w.write(k);
            std::uint64_t next = 301;
            for (std::uint64_t s = 1; s <= 3000; ++s) {
                Delta d;
                d.seq = s;
                d.timeNs = kStart + std::int64_t(s) * 1'000'000;
                if (s % 2) {
                    d.type = DeltaType::Exit;
                    d.pid = 2 + (s / 2) % 299; // some worker
                    d.reason = "{badarg,[{worker,handle_call,3}]}";
                } else {
                    d.type = DeltaType::Spawn;
                    d.pid = next++;
                    d.peer = 1;
                    d.process = testing::rec(d.pid, 1, "worker_restarted");
                }
                w.write(d);
            }
            return w.close().ok() ? p : std::string();
        };
        const auto plain = write("big-plain.canopy", false), packed = write("big-packed.canopy", true);
        QVERIFY(!plain.empty() && !packed.empty());
        const auto plainBytes = readAll(plain).size(), packedBytes = readAll(packed).size();
        qInfo("3000 deltas + keyframes: %zu bytes plain, %zu compressed (%.1f%%)", plainBytes, packedBytes,
              100.0 * double(packedBytes) / double(plainBytes));
        QVERIFY(packedBytes * 2 < plainBytes); // at least 2x smaller (39 % with zlib 1.2.13)
        SessionReader a, b;
        QVERIFY(a.open(plain).ok() && b.open(packed).ok());
        QCOMPARE(b.index().size(), a.index().size());
        for (std::int64_t t : std::vector<std::int64_t>{0, 700'000'000, 2'999'000'000, 100 * kSec}) {
            auto sa = a.snapshotAt(t), sb = b.snapshotAt(t);
            QVERIFY(sa.ok() && sb.ok());
            QCOMPARE(sb->seq, sa->seq);
            QCOMPARE(sb->processes.size(), sa->processes.size());
        }
        // A damaged deflate stream is named as such, at its frame's offset; earlier frames survive.
        const std::uint64_t target = deltaOffset(b, 1200);
        QVERIFY(target > 0);
        auto bytes = readAll(packed);
        bytes[target + 5 + 4 + 6] ^= 0x5a; // inside the zlib stream of delta 1200
        auto q = path("big-damaged.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        auto before = r.snapshotAt(1'199'000'000);
        QVERIFY(before.ok());
        QCOMPARE(before->seq, std::uint64_t(1199));
        r.snapshotAt(1'300'000'000); // replays into the damaged frame
        QVERIFY(!r.warnings().empty());
        const QString w = QString::fromStdString(r.warnings().back());
        QVERIFY2(w.contains("corrupt frame at byte offset " + QString::number(target)), qPrintable(w));
    }
    void notASessionFile() {
        auto q = path("f.canopy");
        writeAll(q, {'h', 'e', 'l', 'l', 'o'});
        SessionReader r;
        auto s = r.open(q);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error()).contains("not a Canopy session file"));
        SessionReader r2;
        QVERIFY(!r2.open(path("does-not-exist.canopy")).ok());
        auto loaded = loadSnapshot(path("does-not-exist.canopy"));
        QVERIFY(!loaded.ok());
    }
    void unclosedFileIsReadWithARebuiltIndex() {
        // A recording that was never closed (a crash after the last flush) has no index: the reader
        // rebuilds it. (The writer's own flush, without flush() by hand: writerFlushesByItself...)
        auto p = writeSample("g.canopy", Encoding::Cbor, /*close=*/false);
        SessionReader r;
        QVERIFY(r.open(p).ok());
        QVERIFY(r.indexRebuilt());
        QCOMPARE(r.snapshotAt(100 * kSec)->seq, std::uint64_t(10));
    }
    /// The last delta sequence number a reader finds in the file as it is on disk now (0 = none).
    static std::uint64_t lastSeqOnDisk(const std::string& p) {
        SessionReader r;
        if (!r.open(p).ok()) return 0;
        std::uint64_t last = 0;
        r.forEach(r.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            if (auto* d = std::get_if<Delta>(&m)) last = d->seq;
            return true;
        });
        return last;
    }
    void writerFlushesByItselfWithinTheInterval() {
        // No flush() by hand: what the writer has written reaches the file (where a crash of the
        // recording process would leave it) by itself, at the first write once flushInterval has
        // passed since the last flush. The default interval is 200 ms.
        QCOMPARE(SessionWriter::Options{}.flushInterval, std::chrono::milliseconds(200));
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 0;  // no keyframes (which flush) in between
        o.flushInterval = std::chrono::milliseconds(300); // long enough that a loaded machine stays within it
        auto p = path("autoflush.canopy");
        QVERIFY(w.open(p, h, o).ok());
        QVERIFY(w.write(testing::sampleKeyframe(kStart)).ok()); // a keyframe is flushed at once
        const auto deltas = testing::sampleDeltas(kStart);
        QVERIFY(w.write(deltas[0]).ok());
        QVERIFY(w.write(deltas[1]).ok());
        // Within the interval the deltas wait in the writer's buffer (a few hundred bytes).
        QCOMPARE(lastSeqOnDisk(p), std::uint64_t(0));
        // Once the interval has passed, the next write flushes everything so far.
        // (The writer reads steady_clock itself: the wait is for the clock, the thing under test.)
        const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(310);
        while (std::chrono::steady_clock::now() < due) std::this_thread::sleep_until(due);
        QVERIFY(w.write(deltas[2]).ok());
        QCOMPARE(lastSeqOnDisk(p), std::uint64_t(3));
        // flushInterval 0: every write is on disk at once.
        SessionWriter eager;
        o.flushInterval = std::chrono::milliseconds(0);
        auto q = path("eagerflush.canopy");
        QVERIFY(eager.open(q, h, o).ok());
        QVERIFY(eager.write(testing::sampleKeyframe(kStart)).ok());
        for (std::size_t i = 0; i < 4; ++i) {
            QVERIFY(eager.write(deltas[i]).ok());
            QCOMPARE(lastSeqOnDisk(q), deltas[i].seq);
        }
        QVERIFY(w.close().ok() && eager.close().ok());
    }
    void writerKeyframeCadence() {
        // Automatic keyframes come every keyframeEveryDeltas deltas, every keyframeIntervalNs of
        // session time (default 10 s), or once the deltas since the last keyframe outweigh it
        // (keyframeBytesRatio, judged against at least 64 KiB) — whichever comes first.
        QCOMPARE(SessionWriter::Options{}.keyframeIntervalNs, std::int64_t(10'000'000'000));
        QCOMPARE(SessionWriter::Options{}.keyframeEveryDeltas, std::uint64_t(10'000));
        QCOMPARE(SessionWriter::Options{}.keyframeBytesRatio, 1.0);
        auto write = [&](const char* name, SessionWriter::Options o, const std::vector<Delta>& deltas) {
            SessionWriter w;
            SessionHeader h;
            h.startNs = kStart;
            auto p = path(name);
            if (!w.open(p, h, o).ok()) return std::vector<IndexEntry>{};
            w.write(testing::sampleKeyframe(kStart));
            for (const auto& d : deltas) w.write(d);
            w.close();
            SessionReader r;
            if (!r.open(p).ok()) return std::vector<IndexEntry>{};
            return r.index();
        };
        auto spawns = [](std::size_t n, std::int64_t every, std::size_t textBytes) {
            std::vector<Delta> v;
            for (std::size_t i = 1; i <= n; ++i)
                v.push_back(testing::delta(i, kStart + std::int64_t(i) * every, DeltaType::Spawn, 100 + i, 3,
                                           std::string(textBytes, 'w')));
            return v;
        };
        SessionWriter::Options o;
        o.keyframeBytesRatio = 0;
        // Time: one delta a second for 25 s -> keyframes after 10 s and 20 s of session time.
        auto idx = write("cadence-time.canopy", o, spawns(25, kSec, 8));
        QCOMPARE(idx.size(), std::size_t(3));
        QCOMPARE(idx[1].timeNs, kStart + 10 * kSec);
        QCOMPARE(idx[1].seq, std::uint64_t(10));
        QCOMPARE(idx[2].timeNs, kStart + 20 * kSec);
        // The default interval with deltas 1 ms apart: none for 9 s.
        idx = write("cadence-no-time.canopy", o, spawns(9000, 1'000'000, 8));
        QCOMPARE(idx.size(), std::size_t(1));
        // Bytes: 1 KiB deltas 1 ms apart, the ratio at 1.0 -> a keyframe once 64 KiB of deltas piled up.
        o.keyframeBytesRatio = 1.0;
        idx = write("cadence-bytes.canopy", o, spawns(200, 1'000'000, 1024));
        QVERIFY2(idx.size() >= 3 && idx.size() <= 4, qPrintable(QString::number(idx.size())));
        QVERIFY2(idx[1].seq >= 60 && idx[1].seq <= 66, qPrintable(QString::number(idx[1].seq))); // ~64 KiB / 1 KiB
        // Ratio 4: four times as many bytes between keyframes.
        o.keyframeBytesRatio = 4.0;
        idx = write("cadence-bytes4.canopy", o, spawns(300, 1'000'000, 1024));
        QCOMPARE(idx.size(), std::size_t(2));
        QVERIFY2(idx[1].seq >= 240 && idx[1].seq <= 260, qPrintable(QString::number(idx[1].seq)));
        // Count: every 7 deltas.
        o.keyframeBytesRatio = 0;
        o.keyframeEveryDeltas = 7;
        idx = write("cadence-count.canopy", o, spawns(20, 1'000'000, 8));
        QCOMPARE(idx.size(), std::size_t(3));
        QCOMPARE(idx[1].seq, std::uint64_t(7));
        QCOMPARE(idx[2].seq, std::uint64_t(14));
    }
    void deltasBeforeTheFirstKeyframe() {
        // A recording that starts with deltas (the writer saw no keyframe yet) starts from an empty
        // tree: the spawned processes are there, and a reader seeks through them.
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 3;
        auto p = path("deltas-first.canopy");
        QVERIFY(w.open(p, h, o).ok());
        std::vector<Delta> v;
        v.push_back(testing::delta(1, kStart + 1 * kSec, DeltaType::Spawn, 1, 0, "Root"));
        v.push_back(testing::delta(2, kStart + 2 * kSec, DeltaType::Spawn, 2, 1, "Child"));
        v.push_back(testing::delta(3, kStart + 3 * kSec, DeltaType::Spawn, 3, 1, "Child"));
        v.push_back(testing::delta(4, kStart + 4 * kSec, DeltaType::Exit, 2, 0, "", "boom"));
        for (const auto& d : v) QVERIFY(w.write(d).ok());
        QVERIFY(w.close().ok());
        SessionReader r;
        auto st = r.open(p);
        QVERIFY2(st.ok(), st.error().c_str());
        QVERIFY(r.warnings().empty());
        QCOMPARE(r.sessionIndex().deltas, std::uint64_t(4));
        auto early = r.snapshotAt(2 * kSec + 1); // before the writer's first keyframe (after seq 3)
        QVERIFY(early.ok());
        QCOMPARE(early->seq, std::uint64_t(2));
        QCOMPARE(early->processes.size(), std::size_t(2));
        QVERIFY(early->find(1) && early->find(2));
        QCOMPARE(early->find(2)->parent, std::uint64_t(1));
        auto end = r.snapshotAt(100 * kSec);
        QVERIFY(end.ok());
        QCOMPARE(end->seq, std::uint64_t(4));
        QVERIFY(end->find(1) && end->find(3) && !end->find(2));
        // A file source replays the same.
        FileSource src(p);
        QVERIFY(src.ok());
        SessionModel model;
        model.setStartNs(src.startNs());
        WireMessage m;
        while (src.next(m, 0) == Source::Outcome::Message) model.apply(m);
        QCOMPARE(model.lastSeq(), std::uint64_t(4));
        QCOMPARE(model.snapshot().processes.size(), std::size_t(2));
    }
    void resyncKeyframesKeepRestartHistory() {
        // A keyframe from the probe (no history) after restarts: the written one keeps the counts.
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 0;
        auto p = path("j.canopy");
        QVERIFY(w.open(p, h, o).ok());
        w.write(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) w.write(d);
        Keyframe fresh = testing::sampleKeyframe(kStart + 5 * kSec);
        fresh.seq = 10;
        fresh.processes[1] = testing::rec(8, 1, "registry"); // the probe's view: no restart counts
        w.write(fresh);
        QVERIFY(w.close().ok());
        SessionReader r;
        QVERIFY(r.open(p).ok());
        auto end = r.snapshotAt(5 * kSec);
        QVERIFY(end.ok() && end->find(8));
        QCOMPARE(end->find(8)->restartCount, 2);
        QCOMPARE(end->find(8)->lastExitReason, std::string("boom again"));
    }
    void timeBeforeFirstKeyframeGivesThatKeyframe() {
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart - 5 * kSec; // the recording's clock starts 5 s before the first keyframe
        auto p = path("i.canopy");
        QVERIFY(w.open(p, h).ok());
        w.write(testing::sampleKeyframe(kStart));
        for (const auto& d : testing::sampleDeltas(kStart)) w.write(d);
        QVERIFY(w.close().ok());
        SessionReader r;
        QVERIFY(r.open(p).ok());
        auto early = r.snapshotAt(1 * kSec);
        QVERIFY(early.ok());
        QCOMPARE(early->processes.size(), std::size_t(5));
        QVERIFY(early->find(2)); // the original registry, before any delta
    }
    void seekUsesTheNearestKeyframe() {
        // Many deltas, keyframes every 100: seeking reads one keyframe and < 100 deltas.
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 100;
        auto p = path("h.canopy");
        QVERIFY(w.open(p, h, o).ok());
        w.write(testing::sampleKeyframe(kStart));
        for (std::uint64_t i = 1; i <= 1000; ++i)
            w.write(testing::delta(i, kStart + std::int64_t(i) * 1'000'000, DeltaType::Spawn, 100 + i, 3, "Worker"));
        QVERIFY(w.close().ok());
        SessionReader r;
        QVERIFY(r.open(p).ok());
        QCOMPARE(r.index().size(), std::size_t(11));
        SessionModel m;
        auto stop = r.seek(550'000'000, m);
        QVERIFY(stop.ok());
        QCOMPARE(m.lastSeq(), std::uint64_t(550));
        QVERIFY(m.deltasApplied() <= 100);
        QCOMPARE(m.snapshot().processes.size(), std::size_t(5 + 550));
    }
    void bigKeyframeSeekEqualsApplyingIt() {
        // A keyframe big enough for the read-ahead thread to decode half of it (and build the child
        // index): seeking gives the model that applying the keyframe and the deltas gives, every time.
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 0;
        auto p = path("big.canopy");
        QVERIFY(w.open(p, h, o).ok());
        const Keyframe k = testing::bigKeyframe(kStart, 9000);
        QVERIFY(w.write(k).ok());
        std::vector<Delta> deltas;
        for (std::uint64_t i = 1; i <= 200; ++i)
            deltas.push_back(i % 2 ? testing::delta(i, kStart + std::int64_t(i) * 1'000'000, DeltaType::Exit, 100 + i, 0, "", "boom")
                                   : testing::delta(i, kStart + std::int64_t(i) * 1'000'000, DeltaType::Spawn, 20'000 + i, 3, "Late"));
        for (const auto& d : deltas) QVERIFY(w.write(d).ok());
        QVERIFY(w.close().ok());
        SessionModel expected;
        expected.setStartNs(kStart);
        expected.applyKeyframe(k);
        for (const auto& d : deltas) expected.applyDelta(d);
        SessionReader r;
        QVERIFY(r.open(p).ok());
        for (int i = 0; i < 20; ++i) {
            SessionModel m;
            QVERIFY(r.seek(r.durationNs(), m).ok());
            QCOMPARE(m.lastSeq(), std::uint64_t(200));
            QVERIFY(m.snapshot().processes == expected.snapshot().processes);
            QCOMPARE(m.snapshot().childrenOf(3), expected.snapshot().childrenOf(3));
            QCOMPARE(m.snapshot().roots(), expected.snapshot().roots());
        }
        QVERIFY(r.warnings().empty());
    }
    void seekEqualsAReplayFromTheStart() {
        // Seeking lands where replaying every event from the recording's start lands: the same
        // records, ghost slots, sibling order and restart counts, at every moment tried.
        const std::string keyframed = writeChurn("churn-keyframes.canopy", 40);
        const std::string plain = writeChurn("churn-plain.canopy", 0);
        QVERIFY(!keyframed.empty() && !plain.empty());
        SessionReader a, b;
        QVERIFY(a.open(keyframed).ok());
        QVERIFY(b.open(plain).ok());
        QVERIFY2(a.index().size() > 10, qPrintable(QString::number(a.index().size())));
        QCOMPARE(b.index().size(), std::size_t(1));
        QCOMPARE(a.durationNs(), b.durationNs());
        int compared = 0;
        for (std::int64_t at = 0; at <= a.durationNs() + 1'000'000; at += 3'700'000) {
            SessionModel fromKeyframe, fromStart;
            QVERIFY(a.seek(at, fromKeyframe).ok());
            QVERIFY(b.seek(at, fromStart).ok());
            const TreeSnapshot& x = fromKeyframe.snapshot();
            const TreeSnapshot& y = fromStart.snapshot();
            const QByteArray where = QByteArray::number(qlonglong(at));
            QVERIFY2(x.seq == y.seq, where);
            // Start orders are compared as sibling order (below): a process started after a keyframe
            // takes the next number after the keyframe's records, after a replay from the start the
            // next after every process seen.
            auto withoutOrders = [](std::map<std::uint64_t, ProcessRecord> m) {
                for (auto& [pid, r] : m) r.startOrder = 0;
                return m;
            };
            QVERIFY2(withoutOrders(x.processes) == withoutOrders(y.processes), where);
            QVERIFY2(x.ghosts == y.ghosts, where);
            QVERIFY2(x.roots() == y.roots(), where);
            for (const auto& [pid, r] : y.processes) {
                QVERIFY2(x.childrenOf(pid) == y.childrenOf(pid), where + " children of " + QByteArray::number(qulonglong(pid)));
                if (r.kind != "supervisor") continue;
                for (int i = 0; i < 12; ++i) {
                    const std::string id = "w_" + std::to_string(i);
                    QVERIFY2(fromKeyframe.restartsOf(pid, id) == fromStart.restartsOf(pid, id), where + " " + id.c_str());
                }
                QVERIFY2(fromKeyframe.restartsInWindow(pid, x.timeNs) == fromStart.restartsInWindow(pid, y.timeNs), where);
            }
            ++compared;
        }
        QVERIFY(compared > 100);
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "test_session_file.moc"
