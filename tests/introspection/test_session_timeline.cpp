// The timeline in session files: per-keyframe-interval summaries written by SessionWriter, rebuilt
// by the recovery scan, computed by a scan for older files; range iteration and crash jumps.
#include "introspection/exit_reasons.h"
#include "introspection/session_reader.h"
#include "introspection/session_writer.h"
#include "tests/introspection/sample_session.h"
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace canopy::introspection;

class TestSessionTimeline : public QObject {
    Q_OBJECT
    static constexpr std::int64_t kStart = 7'000'000'000;
    static constexpr std::int64_t kSec = 1'000'000'000;
    static constexpr std::int64_t kMs = 1'000'000;
    QTemporaryDir m_dir;

    std::string path(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

    /// 60 s of a supervisor (pid 1) with 10 workers (pids 2..11): every 500 ms a worker crashes and
    /// is restarted under a new pid; every 7th crash is a normal exit; at 30 s a dynamic worker is
    /// spawned and at 45 s the supervisor gives up; a sample every second. Keyframes every 40 deltas.
    std::string writeHistory(const char* name, std::vector<Delta>* deltasOut = nullptr) {
        SessionWriter w;
        SessionHeader h;
        h.startNs = kStart;
        SessionWriter::Options o;
        o.keyframeEveryDeltas = 40;
        const auto p = path(name);
        if (!w.open(p, h, o)) return {};
        Keyframe k;
        k.timeNs = kStart;
        k.processes.push_back(testing::rec(1, 0, "sup", "supervisor", "one_for_one"));
        std::vector<std::uint64_t> slot;
        for (std::uint64_t i = 0; i < 10; ++i) {
            k.processes.push_back(testing::rec(2 + i, 1, "w" + std::to_string(i)));
            slot.push_back(2 + i);
        }
        k.processes[3].mailboxLength = 5;
        w.write(k);
        std::uint64_t seq = 0, pid = 100;
        std::vector<Delta> all;
        auto put = [&](Delta d) {
            d.seq = ++seq;
            all.push_back(d);
            w.write(d);
        };
        for (int n = 1; n <= 120; ++n) {
            const std::int64_t t = kStart + n * 500 * kMs;
            const std::size_t s = std::size_t(n) % slot.size();
            put(testing::delta(0, t, DeltaType::Exit, slot[s], 0, "", n % 7 == 0 ? "normal" : "{badarg,[]}"));
            put(testing::delta(0, t + 10, DeltaType::Spawn, pid, 1, "worker:init/1"));
            put(testing::delta(0, t + 20, DeltaType::ChildRestarted, pid, 1, "w" + std::to_string(s)));
            slot[s] = pid++;
            if (n == 60) put(testing::delta(0, t + 30, DeltaType::Spawn, 999, 1, "extra"));
            if (n == 90) put(testing::delta(0, t + 30, DeltaType::SupervisorGaveUp, 1, 0, "w3", "shutdown"));
            if (n % 2 == 0) {
                Sample smp;
                smp.timeNs = t + 40;
                smp.totalMailbox = n;
                smp.processCount = 11;
                w.write(smp);
            }
        }
        w.close();
        if (deltasOut) *deltasOut = all;
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
    static bool same(const TimelineSummary& a, const TimelineSummary& b) {
        return a.startNs == b.startNs && a.endNs == b.endNs && a.minProcesses == b.minProcesses &&
               a.maxProcesses == b.maxProcesses && a.maxTotalMailbox == b.maxTotalMailbox && a.deltas == b.deltas &&
               a.spawns == b.spawns && a.exits == b.exits && a.abnormalExits == b.abnormalExits &&
               a.restarts == b.restarts && a.giveUps == b.giveUps && a.firstAbnormalNs == b.firstAbnormalNs &&
               a.lastAbnormalNs == b.lastAbnormalNs;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writerStoresTheTimeline() {
        std::vector<Delta> deltas;
        const auto p = writeHistory("t.canopy", &deltas);
        SessionReader r;
        QVERIFY(r.open(p).ok());
        QVERIFY(r.timelineInIndex());
        const auto& tl = r.timeline();
        QCOMPARE(tl.size(), r.index().size()); // one interval per keyframe
        for (std::size_t i = 0; i < tl.size(); ++i) QCOMPARE(tl[i].startNs, r.index()[i].timeNs);
        std::uint64_t restarts = 0, abnormal = 0, exits = 0, deltaCount = 0, giveUps = 0, minP = UINT64_MAX, maxP = 0;
        std::int64_t maxMailbox = 0;
        for (const auto& s : tl) {
            restarts += s.restarts;
            abnormal += s.abnormalExits;
            exits += s.exits;
            deltaCount += s.deltas;
            giveUps += s.giveUps;
            minP = std::min(minP, s.minProcesses);
            maxP = std::max(maxP, s.maxProcesses);
            maxMailbox = std::max(maxMailbox, s.maxTotalMailbox);
            QVERIFY(s.startNs <= s.endNs);
            if (s.abnormalExits) QVERIFY(s.startNs <= s.firstAbnormalNs && s.firstAbnormalNs <= s.lastAbnormalNs);
        }
        QCOMPARE(deltaCount, std::uint64_t(deltas.size()));
        QCOMPARE(restarts, std::uint64_t(120));
        QCOMPARE(exits, std::uint64_t(120));
        QCOMPARE(abnormal, std::uint64_t(120 - 120 / 7));
        QCOMPARE(giveUps, std::uint64_t(1));
        QCOMPARE(minP, std::uint64_t(10)); // between an exit and its restart
        QCOMPARE(maxP, std::uint64_t(12)); // with the extra worker
        QCOMPARE(maxMailbox, std::int64_t(120));
        QCOMPARE(tl.front().maxTotalMailbox >= 5, true);
        QCOMPARE(r.giveUps().size(), std::size_t(1));
        QCOMPARE(r.giveUps()[0].supervisor, std::uint64_t(1));
        QCOMPARE(r.giveUps()[0].childId, std::string("w3"));
        QCOMPARE(r.giveUps()[0].timeNs, kStart + 90 * 500 * kMs + 30);
    }

    void recoveryScanRebuildsTheSameTimeline() {
        const auto p = writeHistory("r.canopy");
        SessionReader clean;
        QVERIFY(clean.open(p).ok());
        auto bytes = readAll(p);
        bytes.resize(clean.dataEnd()); // the writer "crashed": no index, no trailer
        const auto q = path("r-noindex.canopy");
        writeAll(q, bytes);
        SessionReader r;
        QVERIFY(r.open(q).ok());
        QVERIFY(r.indexRebuilt());
        QVERIFY(!r.timelineInIndex());
        const auto& a = clean.timeline();
        const auto& b = r.timeline();
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) QVERIFY2(same(a[i], b[i]), qPrintable(QString("interval %1").arg(i)));
        QCOMPARE(r.giveUps().size(), clean.giveUps().size());
    }

    void olderFilesGetTheTimelineByAScan() {
        // Recorded by session 2's canopyctl (format 1, no timeline in its index).
        const QByteArray src = qgetenv("CANOPY_SOURCE_DIR");
        SessionReader r;
        const auto s = r.open(src.toStdString() + "/tests/views/fixtures/todo-session.canopy");
        QVERIFY2(s.ok(), s.error().c_str());
        QCOMPARE(r.header().formatVersion, 1);
        QVERIFY(!r.timelineInIndex());
        const auto& tl = r.timeline();
        QCOMPARE(tl.size(), std::size_t(1));
        QCOMPARE(tl[0].restarts, std::uint64_t(1));
        QCOMPARE(tl[0].abnormalExits, std::uint64_t(3));
        QCOMPARE(tl[0].deltas, r.sessionIndex().deltas);
        // The process counts agree with a session model replaying the file.
        SessionModel model;
        std::size_t minP = SIZE_MAX, maxP = 0;
        r.forEach(r.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            model.apply(m);
            if (model.hasBase() && !std::holds_alternative<Sample>(m)) {
                minP = std::min(minP, model.snapshot().processes.size());
                maxP = std::max(maxP, model.snapshot().processes.size());
            }
            return true;
        });
        QCOMPARE(tl[0].minProcesses, std::uint64_t(minP));
        QCOMPARE(tl[0].maxProcesses, std::uint64_t(maxP));
        QCOMPARE(tl[0].maxProcesses, std::uint64_t(20)); // as canopyctl info reports it
        QVERIFY(r.giveUps().empty());
    }

    void forEachInRangeVisitsExactlyTheRange() {
        std::vector<Delta> deltas;
        const auto p = writeHistory("range.canopy", &deltas);
        SessionReader r;
        QVERIFY(r.open(p).ok());
        for (auto [t0, t1] : {std::pair{0 * kSec, 1 * kSec}, std::pair{12 * kSec + 250 * kMs, 31 * kSec},
                              std::pair{59 * kSec, 100 * kSec}, std::pair{20 * kSec, 20 * kSec}}) {
            std::vector<std::uint64_t> seen;
            bool keyframe = false;
            r.forEachInRange(t0, t1, [&](const WireMessage& m, std::uint64_t) {
                if (auto* d = std::get_if<Delta>(&m)) seen.push_back(d->seq);
                keyframe = keyframe || std::holds_alternative<Keyframe>(m);
                return true;
            });
            std::vector<std::uint64_t> want;
            for (const auto& d : deltas)
                if (d.timeNs - kStart >= t0 && d.timeNs - kStart <= t1) want.push_back(d.seq);
            QCOMPARE(seen, want);
            QVERIFY(!keyframe);
        }
        std::size_t keyframes = 0;
        r.forEachInRange(0, 100 * kSec, [&](const WireMessage& m, std::uint64_t) {
            keyframes += std::holds_alternative<Keyframe>(m);
            return true;
        }, true);
        QCOMPARE(keyframes, r.index().size());
    }

    void jumpToTheNextAndPreviousCrash() {
        std::vector<Delta> deltas;
        const auto p = writeHistory("jump.canopy", &deltas);
        SessionReader r;
        QVERIFY(r.open(p).ok());
        std::vector<std::int64_t> crashes;
        for (const auto& d : deltas)
            if (d.type == DeltaType::Exit && isAbnormalExit(d.reason)) crashes.push_back(d.timeNs - kStart);
        for (std::int64_t t : {std::int64_t(0), 500 * kMs, 3 * kSec + 1, 3 * kSec + 500 * kMs, 33 * kSec + 7, 59 * kSec,
                               60 * kSec, 70 * kSec}) {
            auto next = std::upper_bound(crashes.begin(), crashes.end(), t);
            auto got = r.nextAbnormalExitAfter(t);
            if (next == crashes.end()) QVERIFY(!got);
            else {
                QVERIFY(got);
                QCOMPARE(*got, *next);
            }
            auto prev = std::lower_bound(crashes.begin(), crashes.end(), t);
            auto back = r.previousAbnormalExitBefore(t);
            if (prev == crashes.begin()) QVERIFY(!back);
            else {
                QVERIFY(back);
                QCOMPARE(*back, *std::prev(prev));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSessionTimeline)
#include "test_session_timeline.moc"
