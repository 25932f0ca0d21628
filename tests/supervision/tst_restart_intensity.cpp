// RestartIntensity: OTP's add_restart/1 in whole floored seconds, O(1) ring.
#include "runtime/supervision/restart_intensity.h"
#include "runtime/child_meta.h"
#include <random>
#include <QtTest>

using namespace canopy;

class TestRestartIntensity : public QObject {
    Q_OBJECT
private slots:
    void diesOnTheRestartAfterTheLimit() {
        RestartIntensity r(3, 5);
        QVERIFY(r.add(10'000));
        QVERIFY(r.add(10'100));
        QVERIFY(r.add(10'200));
        QCOMPARE(r.inWindow(), 3);
        QVERIFY(!r.add(10'300));
    }
    void intensityZeroKillsOnFirstRestart() {
        RestartIntensity r(0, 5);
        QVERIFY(!r.add(0));
    }
    void windowIsInclusiveInWholeSeconds() {
        // Kept while R >= Now - Period: stamps 1 and 6 (period 5) share a window.
        RestartIntensity r(1, 5);
        QVERIFY(r.add(1'999));
        QVERIFY(!r.add(6'000));
        RestartIntensity q(1, 5);
        QVERIFY(q.add(1'999));
        QVERIFY(q.add(7'000)); // 7 - 1 > 5: the old one left
        QCOMPARE(q.inWindow(), 1);
    }
    void phaseDependentBand() {
        RestartIntensity a(1, 1);
        QVERIFY(a.add(1'050));
        QVERIFY(!a.add(2'150)); // floor diff 1 <= 1
        RestartIntensity b(1, 1);
        QVERIFY(b.add(1'950));
        QVERIFY(b.add(3'050)); // floor diff 2 > 1
    }
    void longRunStaysBounded() {
        RestartIntensity r(2, 1);
        for (int i = 0; i < 10'000; ++i)
            QVERIFY(r.add(std::int64_t(i) * 1'000));
        QVERIFY(r.inWindow() <= 2);
    }
    void publishedStampsMirrorTheWindow() {
        // What a supervisor publishes per restart (one stamp, then trimmed to the window's size)
        // equals the whole window after every add: bursts, gaps, expiry and the limit's overflow.
        std::mt19937 rng(7);
        for (int maxR : {0, 1, 3, 50}) {
            RestartIntensity w(maxR, 5);
            ChildMeta meta;
            std::int64_t nowMs = 1'000;
            for (int i = 0; i < 2'000; ++i) {
                nowMs += std::uniform_int_distribution<int>(0, 9)(rng) < 8 ? 40 : 2'600;
                w.add(nowMs);
                meta.recordRestart(w.newest(), std::size_t(w.inWindow()));
                QCOMPARE(meta.restartTimes(), w.stamps());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestRestartIntensity)
#include "tst_restart_intensity.moc"
