// NodePool: message nodes and extras blocks carved from slabs, recycled across threads.
#include "runtime/node_pool.h"
#include <QtTest>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

using namespace canopy;

namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool PlainHeap = true; // the pool is plain new/delete under a sanitizer
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool PlainHeap = true;
#else
constexpr bool PlainHeap = false;
#endif
#else
constexpr bool PlainHeap = false;
#endif

struct Block {
    void* p;
    std::size_t size;
};

/// Fills a block with a pattern derived from its index.
void stampBlock(const Block& b, std::uint32_t index) {
    auto* w = static_cast<std::uint32_t*>(b.p);
    for (std::size_t i = 0; i < b.size / 4; ++i) w[i] = index * 2654435761u + std::uint32_t(i);
}

bool stampIntact(const Block& b, std::uint32_t index) {
    const auto* w = static_cast<const std::uint32_t*>(b.p);
    for (std::size_t i = 0; i < b.size / 4; ++i)
        if (w[i] != index * 2654435761u + std::uint32_t(i)) return false;
    return true;
}
} // namespace

class TestNodePool : public QObject {
    Q_OBJECT
private slots:
    void blocksOfEveryClassAreDistinctAndWholeBeyondSeveralPieces() {
        // 120k blocks over all 32 classes: several 64 KiB pieces per class and, past the first
        // MiB, pieces cut from huge slabs. Overlapping blocks would overwrite each other's stamp.
        std::vector<Block> blocks;
        for (std::uint32_t i = 0; i < 120'000; ++i) {
            const std::size_t size = 16 * (1 + i % 32);
            blocks.push_back({NodePool::allocate(size), size});
            QVERIFY2(reinterpret_cast<std::uintptr_t>(blocks.back().p) % 16 == 0, "a block is not 16-byte aligned");
            stampBlock(blocks.back(), i);
        }
        for (std::uint32_t i = 0; i < blocks.size(); ++i)
            QVERIFY2(stampIntact(blocks[i], i), qPrintable(QString("block %1 was overwritten by another").arg(i)));
        for (const Block& b : blocks) NodePool::deallocate(b.p, b.size);
    }

    void blocksFreedOnAnotherThreadAreReusedByAThird() {
        if (PlainHeap) QSKIP("plain new/delete under a sanitizer");
        constexpr std::size_t N = 50'000, Size = 48;
        std::vector<void*> first(N);
        std::thread([&] {
            for (auto& p : first) p = NodePool::allocate(Size);
        }).join();
        std::thread([&] {
            for (void* p : first) NodePool::deallocate(p, Size);
        }).join(); // its cache goes to the depot when it exits
        const std::set<void*> firstSet(first.begin(), first.end());
        QCOMPARE(firstSet.size(), N);
        std::size_t reused = 0;
        std::thread([&] {
            std::vector<void*> again(N);
            for (auto& p : again) p = NodePool::allocate(Size);
            for (void* p : again) reused += firstSet.count(p);
            for (void* p : again) NodePool::deallocate(p, Size);
        }).join();
        QVERIFY2(reused >= N * 9 / 10, qPrintable(QString("only %1 of %2 freed blocks were reused").arg(reused).arg(N)));
    }
};

QTEST_GUILESS_MAIN(TestNodePool)
#include "tst_node_pool.moc"
