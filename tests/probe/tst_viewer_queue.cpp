#include "introspection/probe/viewer_queue.h"
#include <QtTest>

using namespace canopy::introspection;

namespace {
FrameBytes frame(std::uint8_t tag) {
    return std::make_shared<const std::vector<std::uint8_t>>(std::vector<std::uint8_t>{tag});
}
std::uint8_t tagOf(const FrameBytes& f) { return f ? (*f)[0] : 0; }
} // namespace

/// The per-viewer queue policy: structural frames in order and never silently lost, samples latest-wins.
class TestViewerQueue : public QObject {
    Q_OBJECT
private slots:
    void structuralInOrder() {
        ViewerQueue q(8);
        for (std::uint8_t i = 1; i <= 5; ++i) QVERIFY(q.pushStructural(frame(i)));
        for (std::uint8_t i = 1; i <= 5; ++i) QCOMPARE(tagOf(q.pop()), i);
        QVERIFY(!q.pop());
        QVERIFY(q.empty());
    }
    void overflowAsksForResyncAndCounts() {
        ViewerQueue q(4);
        for (std::uint8_t i = 1; i <= 4; ++i) QVERIFY(q.pushStructural(frame(i)));
        QVERIFY(!q.needsResync());
        QVERIFY(!q.pushStructural(frame(5)));
        QVERIFY(q.needsResync());
        QCOMPARE(q.dropped(), std::uint64_t(5));
        QCOMPARE(q.overflows(), std::uint64_t(1));
        QCOMPARE(q.size(), std::size_t(0));
        // Until the resync is done, further frames are superseded by the coming keyframe (counted).
        QVERIFY(!q.pushStructural(frame(6)));
        QCOMPARE(q.dropped(), std::uint64_t(6));
        q.clearResync();
        QVERIFY(q.pushStructural(frame(7)));
        QCOMPARE(tagOf(q.pop()), std::uint8_t(7));
    }
    void samplesCoalesceLatestWins() {
        ViewerQueue q(4);
        q.setSample(frame(10));
        q.setSample(frame(11));
        q.setSample(frame(12));
        QCOMPARE(q.coalescedSamples(), std::uint64_t(2));
        QCOMPARE(tagOf(q.pop()), std::uint8_t(12));
        QVERIFY(!q.pop());
    }
    void controlGoesFirst() {
        ViewerQueue q(4);
        q.pushStructural(frame(1));
        q.pushControl(frame(9));
        QCOMPARE(tagOf(q.pop()), std::uint8_t(9));
        QCOMPARE(tagOf(q.pop()), std::uint8_t(1));
    }
    void samplesAreNotStarvedByStructuralTraffic() {
        ViewerQueue q(100);
        for (std::uint8_t i = 1; i <= 10; ++i) q.pushStructural(frame(i));
        q.setSample(frame(50));
        QCOMPARE(tagOf(q.pop()), std::uint8_t(1));
        QCOMPARE(tagOf(q.pop()), std::uint8_t(50)); // after at most one structural frame
        QCOMPARE(tagOf(q.pop()), std::uint8_t(2));
    }
    void discardStructuralKeepsCounters() {
        ViewerQueue q(4);
        q.pushStructural(frame(1));
        q.pushStructural(frame(2));
        QCOMPARE(q.discardStructural(), std::size_t(2));
        QCOMPARE(q.dropped(), std::uint64_t(0));
        QVERIFY(q.empty());
    }
};

QTEST_GUILESS_MAIN(TestViewerQueue)
#include "tst_viewer_queue.moc"
