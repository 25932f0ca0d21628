// IndexedList and FlatIdMap under churn: the index stays exact through tombstones, compaction
// (which rebuilds the index) and rehashes, checked against std::map after every step.
#include "runtime/flat_id_map.h"
#include "runtime/indexed_list.h"
#include <QtTest>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

using namespace canopy;

namespace {
struct Entry {
    std::uint64_t key = 0;
    std::uint64_t payload = 0;
};
struct EntryKey {
    std::uint64_t operator()(const Entry& e) const { return e.key; }
};
using List = IndexedList<Entry, EntryKey>;

/// True when the list holds exactly `model`'s entries, in key order (keys are added increasing).
bool sameAs(const List& list, const std::map<std::uint64_t, std::uint64_t>& model, QString* why) {
    if (list.size() != model.size()) {
        *why = QStringLiteral("size %1, expected %2").arg(list.size()).arg(model.size());
        return false;
    }
    std::vector<std::uint64_t> order;
    list.forEach([&](const Entry& e) { order.push_back(e.key); });
    std::size_t i = 0;
    for (const auto& [k, v] : model) {
        if (i >= order.size() || order[i] != k) {
            *why = QStringLiteral("order differs at %1").arg(i);
            return false;
        }
        const Entry* e = list.find(k);
        if (!e || e->payload != v) {
            *why = QStringLiteral("key %1 not found or wrong payload").arg(k);
            return false;
        }
        ++i;
    }
    return true;
}
} // namespace

class TstIndexedList : public QObject {
    Q_OBJECT
private slots:
    /// A thousand live entries, oldest removed first (spawn_monitor's window): many compactions.
    void fifoChurnKeepsIndexExact() {
        List list;
        std::map<std::uint64_t, std::uint64_t> model;
        std::uint64_t next = 1, oldest = 1;
        for (int step = 0; step < 20000; ++step) {
            if (model.size() < 1000) {
                QVERIFY(list.add(Entry{next, next * 7}));
                model[next] = next * 7;
                ++next;
            } else {
                Entry out;
                QVERIFY(list.remove(oldest, &out));
                QCOMPARE(out.payload, oldest * 7);
                model.erase(oldest);
                ++oldest;
            }
            if (step % 997 == 0) {
                QString why;
                QVERIFY2(sameAs(list, model, &why), qPrintable(why));
            }
        }
        QString why;
        QVERIFY2(sameAs(list, model, &why), qPrintable(why));
        QVERIFY(!list.add(Entry{oldest, 0})); // a key that is there is refused
        QVERIFY(!list.remove(oldest - 1));    // one that was removed is not found
    }

    /// Random removals and re-adds of removed keys: tombstones are reused and never shadow a key.
    void randomChurnKeepsIndexExact() {
        List list;
        std::map<std::uint64_t, std::uint64_t> model;
        std::mt19937_64 rng(42);
        std::uint64_t next = 1;
        for (int step = 0; step < 30000; ++step) {
            const bool add = model.size() < 50 || (rng() % 2 == 0 && model.size() < 3000);
            if (add) {
                const std::uint64_t k = next++;
                QVERIFY(list.add(Entry{k, k + 1}));
                model[k] = k + 1;
            } else {
                auto it = model.begin();
                std::advance(it, rng() % model.size());
                QVERIFY(list.remove(it->first));
                QVERIFY(!list.remove(it->first));
                model.erase(it);
            }
            if (step % 1499 == 0) {
                QString why;
                QVERIFY2(sameAs(list, model, &why), qPrintable(why));
            }
        }
        QString why;
        QVERIFY2(sameAs(list, model, &why), qPrintable(why));
    }

    /// FlatIdMap: tryInsert refuses a present key, erase hands back the value, and a table that
    /// churns stays bounded (it does not double on every rehash).
    void flatIdMapTryInsertEraseAndBound() {
        FlatIdMap<std::uint32_t> map;
        QVERIFY(map.tryInsert(5, 50));
        QVERIFY(!map.tryInsert(5, 51));
        QCOMPARE(*map.find(5), 50u);
        std::uint32_t out = 0;
        QVERIFY(map.erase(5, &out));
        QCOMPARE(out, 50u);
        QVERIFY(!map.erase(5));
        for (std::uint64_t k = 1; k <= 1000; ++k) QVERIFY(map.tryInsert(k, std::uint32_t(k)));
        const std::size_t bytesFull = map.heapBytes();
        for (std::uint64_t k = 1001; k <= 200000; ++k) {
            QVERIFY(map.erase(k - 1000));
            QVERIFY(map.tryInsert(k, std::uint32_t(k)));
        }
        QCOMPARE(map.size(), std::size_t(1000));
        for (std::uint64_t k = 199001; k <= 200000; ++k) QCOMPARE(*map.find(k), std::uint32_t(k));
        QVERIFY(!map.find(1));
        QVERIFY2(map.heapBytes() <= 4 * bytesFull, "a churning table kept growing");
    }
};

QTEST_APPLESS_MAIN(TstIndexedList)
#include "tst_indexed_list.moc"
