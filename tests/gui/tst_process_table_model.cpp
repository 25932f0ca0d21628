// ProcessStore, ProcessTableModel and ProcessFilterProxy fed with hand-made change batches, under
// QAbstractItemModelTester (fatal mode), plus ChangeBatchBuilder's record selection.
#include "introspection/tree_snapshot.h"
#include "views/model/change_batch_builder.h"
#include "views/model/process_filter_proxy.h"
#include "views/model/process_table_model.h"
#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <random>

using namespace canopy;
using introspection::ProcessRecord;
using views::ChangeBatch;
using views::ProcessFilterProxy;
using views::ProcessTableModel;

namespace {

ProcessRecord rec(std::uint64_t pid, std::uint64_t parent, std::string name, std::int64_t mailbox = 0) {
    ProcessRecord r;
    r.pid = pid;
    r.pidText = "<0." + std::to_string(pid) + ".0>";
    r.parent = parent;
    r.name = std::move(name);
    r.mailboxLength = mailbox;
    r.startOrder = pid;
    return r;
}

ChangeBatch resetBatch(std::vector<ProcessRecord> records) {
    ChangeBatch b;
    b.changes.reset = true;
    b.records = std::move(records);
    b.processCount = b.records.size();
    return b;
}

ChangeBatch spawnBatch(std::vector<ProcessRecord> records, std::int64_t t = 0) {
    ChangeBatch b;
    for (const auto& r : records) b.changes.spawned.push_back(r.pid);
    b.records = std::move(records);
    b.timeNs = t;
    return b;
}

ChangeBatch exitBatch(std::vector<std::uint64_t> pids, std::int64_t t = 0) {
    ChangeBatch b;
    for (auto pid : pids) {
        introspection::ExitedProcess e;
        e.record.pid = pid;
        e.reason = "normal";
        b.changes.exited.push_back(e);
    }
    b.timeNs = t;
    return b;
}

ChangeBatch counterBatch(std::vector<ProcessRecord> records, std::int64_t t) {
    ChangeBatch b;
    for (const auto& r : records) b.changes.countersChanged.push_back(r.pid);
    b.records = std::move(records);
    b.timeNs = t;
    return b;
}

QStringList column(const QAbstractItemModel& m, int col) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r) out << m.index(r, col).data().toString();
    return out;
}

} // namespace

class TestProcessTableModel : public QObject {
    Q_OBJECT
private slots:
    void resetFillsRowsAndColumns() {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        auto sup = rec(1, 0, "Todo.Supervisor");
        sup.kind = "supervisor";
        model.applyBatch(resetBatch({sup, rec(2, 1, "Todo.Cache", 3), rec(3, 1, "")}));
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(ProcessTableModel::ColumnCount));
        QCOMPARE(model.index(1, ProcessTableModel::Name).data().toString(), QStringLiteral("Todo.Cache"));
        QCOMPARE(model.index(1, ProcessTableModel::Supervisor).data().toString(), QStringLiteral("Todo.Supervisor"));
        QCOMPARE(model.index(1, ProcessTableModel::Mailbox).data().toString(), QStringLiteral("3"));
        QCOMPARE(model.index(0, ProcessTableModel::Kind).data().toString(), QStringLiteral("supervisor"));
        QCOMPARE(model.index(2, ProcessTableModel::Pid).data().toString(), QStringLiteral("<0.3.0>"));
        QCOMPARE(model.index(2, ProcessTableModel::Pid).data(ProcessTableModel::PidRole).toULongLong(), 3ull);
        QCOMPARE(model.headerData(ProcessTableModel::MessageRate, Qt::Horizontal).toString(), QStringLiteral("Msg/s"));
    }

    void exitsRemoveOnlyTheirRowsInRanges() {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        std::vector<ProcessRecord> all;
        for (std::uint64_t pid = 1; pid <= 10; ++pid) all.push_back(rec(pid, 0, "p" + std::to_string(pid)));
        model.applyBatch(resetBatch(all));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        // 3,4,5 are contiguous (one signal), 8 and 10 separate; 99 is unknown and ignored.
        model.applyBatch(exitBatch({4, 8, 3, 10, 5, 99}));
        QCOMPARE(removed.count(), 3);
        QCOMPARE(column(model, ProcessTableModel::Name),
                 QStringList({"p1", "p2", "p6", "p7", "p9"}));
        QCOMPARE(model.rowOfPid(9), 4);
        QCOMPARE(model.rowOfPid(4), -1);
        // Rows stay addressable by pid after more churn.
        model.applyBatch(exitBatch({1}));
        QCOMPARE(model.rowOfPid(9), 3);
        QCOMPARE(model.store().row(3).record.pid, 9u);
    }

    void storeKeepsArrivalOrderThroughHeavyChurn() {
        // Against a plain vector: random exits and spawns through several compactions of the holes.
        views::ProcessStore store;
        std::vector<std::uint64_t> expected;
        std::vector<ProcessRecord> initial;
        for (std::uint64_t pid = 1; pid <= 3000; ++pid) {
            initial.push_back(rec(pid, 0, "p"));
            expected.push_back(pid);
        }
        store.reset(initial, 0);
        std::uint64_t seed = 12345, next = 3001;
        auto random = [&] { return seed = seed * 6364136223846793005ull + 1442695040888963407ull, seed >> 33; };
        for (int round = 0; round < 400; ++round) {
            std::vector<std::uint64_t> gone;
            for (int i = 0; i < 20 && !expected.empty(); ++i) gone.push_back(expected[random() % expected.size()]);
            for (auto [first, last] : store.removalRanges(gone)) store.removeRows(first, last);
            for (auto pid : gone) expected.erase(std::remove(expected.begin(), expected.end(), pid), expected.end());
            for (int i = 0; i < int(random() % 41); ++i) {
                store.append(rec(next, 0, "q"), 0);
                expected.push_back(next++);
            }
            QCOMPARE(store.size(), int(expected.size()));
            for (int probe = 0; probe < 10 && !expected.empty(); ++probe) {
                const std::size_t at = random() % expected.size();
                QCOMPARE(store.row(int(at)).record.pid, expected[at]);
                QCOMPARE(store.rowOf(expected[at]), int(at));
            }
        }
        for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(store.row(int(i)).record.pid, expected[i]);
        QCOMPARE(store.rowOf(1), std::find(expected.begin(), expected.end(), 1u) == expected.end() ? -1 : 0);
    }

    void spawnsAppendInOneInsertionAndCountersUpdateInPlace() {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.applyBatch(resetBatch({rec(1, 0, "root"), rec(2, 1, "a")}));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyBatch(spawnBatch({rec(3, 1, "b"), rec(4, 1, "c")}, 1'000'000'000));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 2);
        QCOMPARE(inserted.at(0).at(2).toInt(), 3);
        QCOMPARE(changed.count(), 0);

        auto a = rec(2, 1, "a", 7);
        a.messagesHandled = 100;
        model.applyBatch(counterBatch({a}, 2'000'000'000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(model.index(1, ProcessTableModel::Mailbox).data().toString(), QStringLiteral("7"));
        a.messagesHandled = 300;
        model.applyBatch(counterBatch({a}, 4'000'000'000));
        // 200 messages over 2 s.
        QCOMPARE(model.number(1, ProcessTableModel::MessageRate), 100.0);
        // Quiet for more than 3 s: idle now.
        model.applyBatch(counterBatch({rec(1, 0, "root", 1)}, 8'000'000'000));
        QCOMPARE(model.number(1, ProcessTableModel::MessageRate), 0.0);
    }

    void restartReplacesTheOldPidWithTheNew() {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.applyBatch(resetBatch({rec(1, 0, "sup"), rec(2, 1, "cache")}));
        ChangeBatch b;
        introspection::ExitedProcess e;
        e.record = rec(2, 1, "cache");
        e.reason = "killed";
        b.changes.exited.push_back(e);
        b.changes.spawned.push_back(5);
        b.changes.restarted.push_back({1, "cache", 2, 5, "killed", 0});
        auto fresh = rec(5, 1, "cache");
        fresh.restartCount = 1;
        b.records.push_back(fresh);
        model.applyBatch(b);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOfPid(2), -1);
        const int row = model.rowOfPid(5);
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, ProcessTableModel::Restarts).data().toString(), QStringLiteral("1"));
    }

    void proxyFiltersByTextAndSortsOnTickKeepingTheSelection() {
        ProcessTableModel model;
        ProcessFilterProxy proxy;
        proxy.setProcessModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.applyBatch(resetBatch({rec(1, 0, "Todo.Supervisor", 0), rec(2, 1, "Todo.Cache", 5), rec(3, 1, "Todo.Database", 9),
                                     rec(4, 1, "Other", 1)}));
        proxy.sort(ProcessTableModel::Mailbox, Qt::DescendingOrder);
        QCOMPARE(column(proxy, ProcessTableModel::Name),
                 QStringList({"Todo.Database", "Todo.Cache", "Other", "Todo.Supervisor"}));

        QItemSelectionModel selection(&proxy);
        selection.select(proxy.index(1, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        // Mailbox changes do not move rows until the tick...
        model.applyBatch(counterBatch({rec(2, 1, "Todo.Cache", 20)}, 1));
        QCOMPARE(proxy.index(1, ProcessTableModel::Name).data().toString(), QStringLiteral("Todo.Cache"));
        proxy.tick();
        QCOMPARE(column(proxy, ProcessTableModel::Name).first(), QStringLiteral("Todo.Cache"));
        // ...and the selection follows its row.
        QCOMPARE(selection.selectedRows().size(), 1);
        QCOMPARE(selection.selectedRows().first().data().toString(), QStringLiteral("<0.2.0>"));

        proxy.setFilterText(QStringLiteral("todo."));
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setFilterText(QStringLiteral("<0.4.0>"));
        QCOMPARE(column(proxy, ProcessTableModel::Name), QStringList({"Other"}));
        proxy.setFilterText({});
        QCOMPARE(proxy.rowCount(), 4);

        // New processes arrive while filtered and sorted.
        model.applyBatch(spawnBatch({rec(9, 1, "Todo.Server", 100)}));
        QCOMPARE(proxy.rowCount(), 5);
        proxy.tick();
        QCOMPARE(column(proxy, ProcessTableModel::Name).first(), QStringLiteral("Todo.Server"));
        model.applyBatch(exitBatch({9, 1}));
        QCOMPARE(proxy.rowCount(), 3);
    }

    void topNKeepsTheLargestBySortColumn() {
        ProcessTableModel model;
        ProcessFilterProxy proxy;
        proxy.setProcessModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        std::vector<ProcessRecord> all;
        for (std::uint64_t pid = 1; pid <= 50; ++pid) all.push_back(rec(pid, 0, "p" + std::to_string(pid), std::int64_t(pid % 17)));
        model.applyBatch(resetBatch(all));
        proxy.sort(ProcessTableModel::Mailbox, Qt::DescendingOrder);
        proxy.setTopN(3);
        QCOMPARE(proxy.rowCount(), 3);
        // The three processes with mailbox 16 (pids 16, 33, 50).
        QStringList mailboxes = column(proxy, ProcessTableModel::Mailbox);
        QCOMPARE(mailboxes, QStringList({"16", "16", "16"}));
        // A new hot process enters the top on the next tick.
        model.applyBatch(spawnBatch({rec(77, 0, "hot", 1000)}));
        QCOMPARE(proxy.rowCount(), 3);
        proxy.tick();
        QCOMPARE(proxy.rowCount(), 3);
        QCOMPARE(proxy.index(0, ProcessTableModel::Name).data().toString(), QStringLiteral("hot"));
        proxy.setTopN(0);
        QCOMPARE(proxy.rowCount(), 51);
    }

    void batchBuilderCopiesTheRecordsOfNamedPidsOnce() {
        introspection::TreeSnapshot tree;
        for (std::uint64_t pid = 1; pid <= 5; ++pid) tree.processes[pid] = rec(pid, 0, "p");
        views::ChangeBatchBuilder builder;
        QVERIFY(!builder.pending());
        introspection::ChangeSet a;
        a.spawned = {2, 3};
        a.timeNs = 10;
        builder.add(std::move(a));
        introspection::ChangeSet b;
        b.countersChanged = {3, 4, 42};
        b.timeNs = 20;
        builder.add(std::move(b));
        QVERIFY(builder.pending());
        QVERIFY(builder.structureChanged());
        introspection::SessionState state;
        state.kind = introspection::SessionState::Kind::Live;
        auto batch = builder.take(tree, state);
        QVERIFY(!builder.pending());
        QCOMPARE(batch.changes.spawned.size(), 2u);
        QCOMPARE(batch.changes.countersChanged.size(), 3u);
        QCOMPARE(batch.records.size(), 3u); // 2, 3, 4 (42 is gone), each once
        QCOMPARE(batch.countersOnlyFrom, 2u); // 4 changed only its counters
        QCOMPARE(batch.timeNs, 20);
        QCOMPARE(batch.processCount, 5u);
        QVERIFY(batch.state.kind == introspection::SessionState::Kind::Live);

        // A reset in the middle replaces what was pending and carries every record.
        introspection::ChangeSet c;
        c.spawned = {1};
        builder.add(std::move(c));
        introspection::ChangeSet r;
        r.reset = true;
        builder.add(std::move(r));
        auto full = builder.take(tree, state);
        QVERIFY(full.changes.reset);
        QVERIFY(full.changes.spawned.empty());
        QCOMPARE(full.records.size(), 5u);
    }

    void batchBuilderHoldsBackCountersBeyondItsLimit() {
        // A resync's keyframe changed the mailboxes of many processes: their counters go out over
        // several batches, each naming just the counters it carries; a process that exits meanwhile
        // is dropped; the changes that are not counters go out at once.
        constexpr std::size_t kLimit = views::ChangeBatchBuilder::kMaxCounterRecords;
        const std::size_t n = kLimit * 2 + 500;
        introspection::TreeSnapshot tree;
        introspection::ChangeSet keyframe;
        for (std::uint64_t pid = 1; pid <= n; ++pid) {
            tree.processes[pid] = rec(pid, 0, "p", 1);
            keyframe.countersChanged.push_back(pid);
        }
        keyframe.updated = {7};
        keyframe.timeNs = 10;
        views::ChangeBatchBuilder builder;
        builder.add(std::move(keyframe));
        introspection::SessionState state;
        auto first = builder.take(tree, state);
        QCOMPARE(first.countersOnlyFrom, 1u); // pid 7's whole record first
        QCOMPARE(first.records.size(), 1 + kLimit);
        QCOMPARE(first.changes.countersChanged.size(), 1 + kLimit); // 7 and the counters carried
        QCOMPARE(first.changes.updated, std::vector<std::uint64_t>{7});
        QVERIFY(builder.pending());

        tree.processes.erase(n); // exits before its counters went out
        introspection::ChangeSet later;
        later.spawned = {n + 1};
        later.timeNs = 20;
        tree.processes[n + 1] = rec(n + 1, 0, "new");
        builder.add(std::move(later));
        auto second = builder.take(tree, state);
        QCOMPARE(second.changes.spawned, std::vector<std::uint64_t>{n + 1});
        QCOMPARE(second.records.size(), 1 + kLimit);
        QVERIFY(builder.pending());
        auto third = builder.take(tree, state);
        QCOMPARE(third.records.size(), 500u - 2); // 7 went first, n exited
        QVERIFY(!builder.pending());
        std::vector<std::uint64_t> carried;
        for (const auto* b : {&first, &second, &third})
            for (std::size_t i = b->countersOnlyFrom; i < b->records.size(); ++i) carried.push_back(b->records[i].pid);
        std::sort(carried.begin(), carried.end());
        QCOMPARE(carried.size(), n - 2);
        QVERIFY(std::adjacent_find(carried.begin(), carried.end()) == carried.end()); // each once
        QVERIFY(!std::binary_search(carried.begin(), carried.end(), std::uint64_t(n)));
        QCOMPARE(third.changes.countersChanged.size(), third.records.size());

        // A seek drops what was held back (the tree it counted for is gone).
        introspection::ChangeSet again;
        for (std::uint64_t pid = 1; pid < n; ++pid) again.countersChanged.push_back(pid);
        builder.add(std::move(again));
        builder.take(tree, state);
        QVERIFY(builder.pending());
        builder.clear();
        QVERIFY(!builder.pending());
    }

    void countersOnlyRecordsUpdateTheCountersInPlace() {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.applyBatch(resetBatch({rec(1, 0, "root"), rec(2, 1, "a")}));
        auto sampled = rec(2, 1, "a", 12);
        sampled.messagesHandled = 50;
        auto batch = counterBatch({sampled}, 1'000'000'000);
        batch.countersOnlyFrom = 0;
        model.applyBatch(batch);
        QCOMPARE(model.index(1, ProcessTableModel::Mailbox).data().toString(), QStringLiteral("12"));
        QCOMPARE(model.index(1, ProcessTableModel::Handled).data().toString(), QStringLiteral("50"));
        QCOMPARE(model.index(1, ProcessTableModel::Name).data().toString(), QStringLiteral("a"));
        // A process new to the table among them is added whole.
        auto newcomer = rec(3, 1, "b", 4);
        auto more = counterBatch({newcomer}, 2'000'000'000);
        more.countersOnlyFrom = 0;
        model.applyBatch(more);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2, ProcessTableModel::Name).data().toString(), QStringLiteral("b"));
    }

    void tickRanksChangedProcessesLikeAFullRanking() {
        // The tick ranks from the last ranking and the processes changed since: after every batch
        // of random churn (mailboxes up and down, exits of top processes, newcomers) the rows shown
        // must be exactly those a ranking of every row gives.
        struct Case {
            int column;
            Qt::SortOrder order;
            int topN;
            QString filter;
        };
        const Case cases[] = {{ProcessTableModel::Mailbox, Qt::DescendingOrder, 40, {}},
                              {ProcessTableModel::Mailbox, Qt::AscendingOrder, 40, {}},
                              {ProcessTableModel::Handled, Qt::DescendingOrder, 0, {}},
                              {ProcessTableModel::Mailbox, Qt::DescendingOrder, 25, QStringLiteral("w1")},
                              {-1, Qt::AscendingOrder, 30, {}}};
        for (const Case& c : cases) {
            ProcessTableModel model;
            ProcessFilterProxy proxy;
            proxy.setProcessModel(&model);
            std::mt19937_64 random(42);
            std::vector<ProcessRecord> all;
            std::uint64_t nextPid = 1;
            for (; nextPid <= 2000; ++nextPid) all.push_back(rec(nextPid, 0, "w" + std::to_string(nextPid), std::int64_t(random() % 50)));
            model.applyBatch(resetBatch(all));
            proxy.sort(c.column, c.order);
            proxy.setTopN(c.topN);
            proxy.setFilterText(c.filter);
            for (int round = 0; round < 150; ++round) {
                std::vector<std::uint64_t> live;
                for (int r = 0; r < model.rowCount(); ++r) live.push_back(model.store().row(r).record.pid);
                // Exits: random ones and, every few rounds, the first rows shown.
                std::vector<std::uint64_t> gone;
                for (int i = 0; i < 8; ++i) gone.push_back(live[random() % live.size()]);
                if (round % 3 == 0)
                    for (int i = 0; i < std::min(5, proxy.rowCount()); ++i)
                        gone.push_back(proxy.index(i, 0).data(ProcessTableModel::PidRole).toULongLong());
                std::sort(gone.begin(), gone.end());
                gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
                model.applyBatch(exitBatch(gone, round));
                std::vector<ProcessRecord> spawned;
                for (int i = 0; i < 8; ++i, ++nextPid)
                    spawned.push_back(rec(nextPid, 0, "w" + std::to_string(nextPid), std::int64_t(random() % 200)));
                model.applyBatch(spawnBatch(spawned, round));
                std::vector<ProcessRecord> sampled;
                for (int i = 0; i < 40; ++i) {
                    const int row = int(random() % std::uint64_t(model.rowCount()));
                    ProcessRecord r = model.store().row(row).record;
                    r.mailboxLength = std::int64_t(random() % (round % 2 ? 300 : 30));
                    r.messagesHandled += random() % 1000;
                    sampled.push_back(r);
                }
                auto counters = counterBatch(sampled, round);
                counters.countersOnlyFrom = 0;
                model.applyBatch(counters);
                if (round % 25 == 24) proxy.sort(c.column, c.order); // a full ranking (the store's numbers)
                proxy.tick();
                // The ranking of every row, computed here from scratch.
                std::vector<const views::ProcessRow*> rows = model.store().rows();
                std::erase_if(rows, [&](const views::ProcessRow* r) {
                    return !c.filter.isEmpty() && !QString::fromStdString(r->record.name).contains(c.filter);
                });
                auto key = [&](const views::ProcessRow* r) { return c.column < 0 ? 0.0 : model.number(*r, c.column); };
                std::sort(rows.begin(), rows.end(), [&](const views::ProcessRow* a, const views::ProcessRow* b) {
                    const double x = key(a), y = key(b);
                    if (x != y) return c.order == Qt::AscendingOrder || c.column < 0 ? x < y : x > y;
                    return a->record.pid < b->record.pid;
                });
                if (c.topN > 0 && rows.size() > std::size_t(c.topN)) rows.resize(std::size_t(c.topN));
                QCOMPARE(proxy.rowCount(), int(rows.size()));
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    if (proxy.index(int(i), 0).data(ProcessTableModel::PidRole).toULongLong() != rows[i]->record.pid)
                        QFAIL(qPrintable(QStringLiteral("column %1, top %2, round %3: row %4 shows pid %5, a full ranking pid %6")
                                             .arg(c.column)
                                             .arg(c.topN)
                                             .arg(round)
                                             .arg(i)
                                             .arg(proxy.index(int(i), 0).data(ProcessTableModel::PidRole).toULongLong())
                                             .arg(rows[i]->record.pid)));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestProcessTableModel)
#include "tst_process_table_model.moc"
