// B17 (isolated): the mailbox alone, push + pop on one thread, as rawbench's mpsc_1thread does.
// canopy-bench links the runtime with its always-on counters, canopy-bench-nc the copy built with
// -DCANOPY_NO_COUNTERS; the difference is what the O(1) mailbox length costs per message.
// Three producers are measured: a scheduler worker (its own push-counter slot: plain load + store),
// a thread outside the runtime (the outside slot it claims once, as RuntimeCore's delivery does:
// plain load + store too), and the shared counter (one atomic read-modify-write) that a thread uses
// when every outside slot is taken.
#include "bench/bench_support.h"
#include "bench/bench_tests.h"
#include "runtime/mailbox.h"
#include "runtime/outside_push_slot.h"
#include <memory>
#include <vector>

namespace canopy::bench {

namespace {
double pushPopNs(std::int64_t n, unsigned slot) {
    constexpr std::size_t kBatch = 1024;
    std::vector<std::unique_ptr<TypedMessageNode<std::int64_t>>> nodes;
    for (std::size_t i = 0; i < kBatch; ++i)
        nodes.push_back(std::make_unique<TypedMessageNode<std::int64_t>>(std::int64_t(i)));
    auto mailbox = std::make_unique<Mailbox>();
    std::int64_t popped = 0, lengthSum = 0;
    const std::int64_t rounds = std::max<std::int64_t>(n / std::int64_t(kBatch), 1);
    double ns = 0;
    // Warm up once, then measure.
    for (int pass = 0; pass < 2; ++pass) {
        const std::int64_t t0 = nowNs();
        for (std::int64_t r = 0; r < (pass == 0 ? 16 : rounds); ++r) {
            for (auto& node : nodes)
                mailbox->push(node.get(), slot);
            lengthSum += mailbox->length();
            Mailbox::PopState st;
            while (mailbox->pop(st))
                ++popped;
        }
        ns = double(nowNs() - t0) / double(rounds * kBatch);
    }
    if (popped == 0 || lengthSum < 0)
        std::printf("ERROR mailbox_ops: nothing popped\n");
    return ns;
}
} // namespace

void mailboxOps(const Args& a) {
    const std::int64_t n = a.at(0);
    result("mailbox_ops", "ns_per_push_pop", pushPopNs(n, 1), "ns");
    const unsigned outside = outsidePushSlot();
    if (outside == 0) std::printf("ERROR mailbox_ops: no outside push slot free for this thread\n");
    result("mailbox_ops", "ns_per_push_pop_outside", pushPopNs(n, outside), "ns");
    result("mailbox_ops", "ns_per_push_pop_shared_counter", pushPopNs(n, 0), "ns");
}

} // namespace canopy::bench
