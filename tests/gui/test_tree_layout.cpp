// The tree canvas's layouts: Graphviz `dot` through GraphvizLayout and the linear tidy tree, on the
// Todo/Streams/Hangman fixtures and synthetic trees; the shape builder's additions (exiting nodes
// keep their slot, expanded herds, pins).
#include "tests/gui/tree_test_support.h"
#include "views/export/graphviz_layout.h"
#include "views/widgets/tidy_tree_layout.h"
#include "views/widgets/tree_label.h"
#include "views/widgets/tree_layout_worker.h"
#include "views/widgets/tree_node_metrics.h"

#include <QFont>
#include <algorithm>
#include <random>
#include <set>
#include <unordered_set>
#include <QtTest>

using namespace canopy;
using namespace canopy::views;

namespace {

TreeLayoutRequest requestFor(std::shared_ptr<const exporting::DiagramTree> tree, TreeLayoutRequest::Engine engine) {
    TreeLayoutRequest r;
    r.tree = std::move(tree);
    r.engine = engine;
    r.font = QFont();
    return r;
}

/// Fails with a message naming the nodes when two boxes overlap, a child is not below its parent or
/// siblings are out of start order.
void checkTidy(const TreeLayout& layout) {
    const auto& rects = layout.geometry->rects;
    const auto n = static_cast<int>(layout.nodes.size());
    // Overlaps: sort by left edge and sweep (the layouts are big).
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return rects[a].left() < rects[b].left(); });
    for (int k = 0; k < n; ++k)
        for (int m = k + 1; m < n && rects[order[m]].left() < rects[order[k]].right(); ++m)
            if (rects[order[k]].intersects(rects[order[m]]))
                QFAIL(qPrintable(QStringLiteral("%1 overlaps %2").arg(layout.nodes[order[k]].key, layout.nodes[order[m]].key)));
    for (int i = 0; i < n; ++i) {
        const auto& node = layout.nodes[static_cast<std::size_t>(i)];
        if (node.parent >= 0 && !(rects[node.parent].bottom() < rects[i].top()))
            QFAIL(qPrintable(QStringLiteral("%1 is not below its parent").arg(node.key)));
        // Siblings in start order: left to right; packed leaves down each column, then right;
        // wrapped children row after row.
        for (int c = 1; c < node.childCount; ++c) {
            const QRectF& a = rects[layout.children[node.firstChild + c - 1]];
            const QRectF& b = rects[layout.children[node.firstChild + c]];
            const bool rightOf = b.left() >= a.right();
            const bool below = b.top() >= a.bottom();
            if (!rightOf && !below)
                QFAIL(qPrintable(QStringLiteral("children of %1 out of order at %2").arg(node.key).arg(c)));
        }
    }
}

std::vector<int> pidsOrder(const TreeLayout& layout, int parent) {
    std::vector<int> out;
    const auto& node = layout.nodes[static_cast<std::size_t>(parent)];
    for (int c = 0; c < node.childCount; ++c) out.push_back(static_cast<int>(layout.firstPid(layout.children[node.firstChild + c])));
    return out;
}

} // namespace

class TestTreeLayout : public QObject {
    Q_OBJECT
private slots:
    void fixturesLayOutCleanly_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("engine");
        for (const char* f : {"todo", "streams", "hangman"}) {
            QTest::newRow((std::string(f) + "/dot").c_str()) << QString(f) << static_cast<int>(TreeLayoutRequest::Engine::Dot);
            QTest::newRow((std::string(f) + "/tidy").c_str()) << QString(f) << static_cast<int>(TreeLayoutRequest::Engine::Tidy);
        }
    }
    void fixturesLayOutCleanly() {
        QFETCH(QString, fixture);
        QFETCH(int, engine);
        const auto snapshot = treetest::fixture(fixture.toStdString());
        const TreeNodeMetrics metrics{QFont()};
        const auto layout = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(snapshot), static_cast<TreeLayoutRequest::Engine>(engine)),
                                                     nullptr, metrics);
        QCOMPARE(layout->engine, engine == static_cast<int>(TreeLayoutRequest::Engine::Dot) ? QStringLiteral("dot") : QStringLiteral("tidy"));
        QVERIFY2(layout->error.isEmpty(), qPrintable(layout->error));
        std::size_t ghosts = 0;
        for (const auto& [sup, ghostSlots] : snapshot.ghosts) ghosts += ghostSlots.size();
        QCOMPARE(layout->nodes.size(), snapshot.processes.size() + ghosts); // threshold 12: no herds in these
        checkTidy(*layout);
        // Start order: the Todo servers under Todo.ServerSupervisor, left to right.
        if (fixture == QLatin1String("todo")) {
            const int sup = layout->byKey.value(QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.ServerSupervisor"), -1);
            QVERIFY(sup >= 0);
            QCOMPARE(pidsOrder(*layout, sup), (std::vector<int>{110, 111, 112, 113, 114, 115}));
            // Labels read like hand-drawn diagrams.
            QCOMPARE(layout->nodes[static_cast<std::size_t>(layout->byPid.at(110))].title, QStringLiteral("Todo.Server"));
            QCOMPARE(layout->nodes[static_cast<std::size_t>(sup)].subtitle, QStringLiteral("(DynamicSupervisor)"));
            // Every edge starts at its parent's box and ends at its child's.
            for (std::size_t i = 1; i < layout->nodes.size(); ++i) {
                const auto& e = layout->geometry->edges[i];
                QVERIFY(e.pointCount >= 2);
                const QPointF end = layout->geometry->points[static_cast<std::size_t>(e.firstPoint + e.pointCount - 1)];
                QVERIFY2(layout->geometry->rects[i].adjusted(-3, -3, 3, 3).contains(end), qPrintable(layout->nodes[i].key));
            }
        }
    }

    void boxesLeaveRoomForTheirLabels() {
        const TreeNodeMetrics metrics{QFont()};
        TreeLayout::Node shortName, longName;
        shortName.title = QStringLiteral("A");
        longName.title = QStringLiteral("Streams.Processor.averylongstreamname-usd");
        const QSizeF a = metrics.size(shortName, 4), b = metrics.size(longName, 4);
        QVERIFY(b.width() > a.width());
        QVERIFY(b.width() >= QFontMetricsF(metrics.titleFont(false)).horizontalAdvance(longName.title) + 2 * TreeNodeMetrics::kPadX);
        QVERIFY(metrics.titleFont(false).pointSizeF() >= 10.0);
        QVERIFY(metrics.smallFont(false).pointSizeF() >= 9.0);
    }

    void graphvizLayoutReportsErrorsAsOneLine() {
        exporting::GraphvizLayout::Graph g;
        g.nodes.resize(2);
        g.edges.push_back({0, 5});
        const auto r = exporting::GraphvizLayout::layout(g);
        QVERIFY(!r.ok());
        QVERIFY(r.error.rfind("graphviz:", 0) == 0);
        QVERIFY(r.error.find('\n') == std::string::npos);
        g.edges = {{0, 1}};
        const auto bad = exporting::GraphvizLayout::layout(g, "no-such-engine");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error.find('\n') == std::string::npos, bad.error.c_str());
        const auto ok = exporting::GraphvizLayout::layout(g);
        QVERIFY2(ok.ok(), ok.error.c_str());
        QVERIFY(ok.nodes[0].centre.y < ok.nodes[1].centre.y); // top to bottom, y down
        QCOMPARE(ok.nodes[0].width, 54.0);
        QVERIFY(ok.edges[0].bezier.size() >= 4);
    }

    void tidyLayoutIsLinear_data() {
        QTest::addColumn<QString>("shape");
        QTest::newRow("chain") << QStringLiteral("chain");
        QTest::newRow("star") << QStringLiteral("star");
        QTest::newRow("binary") << QStringLiteral("binary");
        QTest::newRow("supervision") << QStringLiteral("supervision");
    }
    void tidyLayoutIsLinear() {
        QFETCH(QString, shape);
        auto build = [&](int n) {
            TidyTreeLayout::Input in;
            for (int i = 0; i < n; ++i) {
                int parent = -1;
                if (i > 0) {
                    if (shape == QLatin1String("chain")) parent = i - 1;
                    else if (shape == QLatin1String("star")) parent = 0;
                    else if (shape == QLatin1String("binary")) parent = (i - 1) / 2;
                    else parent = i <= 100 ? (i - 1) / 10 : 1 + (i % 100); // not depth-first: handled as given
                }
                in.parent.push_back(parent);
                in.width.push_back(80 + (i * 37) % 90);
                in.height.push_back(30 + (i % 3) * 12);
            }
            return in;
        };
        std::size_t previous = 0;
        for (int n : {1000, 10000, 100000}) {
            TidyTreeLayout tidy;
            const auto out = tidy.run(build(n));
            QCOMPARE(out.x.size(), static_cast<std::size_t>(n));
            // Bounded work per node, whatever the shape.
            QVERIFY2(tidy.workUnits() <= 20u * static_cast<std::size_t>(n), qPrintable(QStringLiteral("%1 units for %2 nodes").arg(tidy.workUnits()).arg(n)));
            if (previous) QVERIFY(tidy.workUnits() <= 11 * previous);
            previous = tidy.workUnits();
        }
    }

    void tidyPacksManyLeavesIntoColumns() {
        const auto snapshot = treetest::syntheticTree(2, 99);
        const TreeNodeMetrics metrics{QFont()};
        const auto layout = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Tidy), nullptr, metrics);
        checkTidy(*layout);
        // 99 workers are a block of columns, not a row 99 boxes wide.
        const QRectF bounds = layout->geometry->bounds;
        QVERIFY2(bounds.width() < 10 * bounds.height(), qPrintable(QStringLiteral("%1 x %2").arg(bounds.width()).arg(bounds.height())));
    }

    void packedLeavesKeepTheirCells() {
        // A live fan of 30 workers: one leaves, one arrives. Nobody else moves (the leaver keeps its
        // box while it fades, the newcomer takes a free cell); once faded, still nobody moves.
        auto snapshot = treetest::syntheticTree(1, 30);
        const TreeNodeMetrics metrics{QFont()};
        const auto first = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Tidy), nullptr, metrics);
        checkTidy(*first);
        std::vector<quint64> workers;
        for (const auto& [pid, r] : snapshot.processes)
            if (r.kind == "worker") workers.push_back(pid);
        QCOMPARE(workers.size(), std::size_t{30});
        const quint64 leaver = workers[7], shard = snapshot.processes.at(leaver).parent;
        snapshot.processes.erase(leaver);
        introspection::ProcessRecord fresh = snapshot.processes.at(workers[8]);
        fresh.pid = 1000;
        fresh.pidText = "<0.1000.0>";
        fresh.name = fresh.childId = "App.Newcomer";
        fresh.startOrder = 99;
        snapshot.processes.emplace(fresh.pid, fresh);
        QCOMPARE(snapshot.processes.at(fresh.pid).parent, shard);
        auto request = requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Tidy);
        const auto second = TreeLayoutWorker::layOut(request, first.get(), metrics);
        auto rectOf = [](const TreeLayout& l, quint64 pid) { return l.geometry->rects[static_cast<std::size_t>(l.byPid.at(pid))]; };
        for (quint64 pid : workers)
            if (pid != leaver) QCOMPARE(rectOf(*second, pid), rectOf(*first, pid));
        QCOMPARE(rectOf(*second, leaver), rectOf(*first, leaver)); // the exiting copy, fading in place
        const QRectF newcomer = rectOf(*second, fresh.pid);
        for (std::size_t i = 0; i < second->nodes.size(); ++i)
            if (static_cast<int>(i) != second->byPid.at(fresh.pid))
                QVERIFY2(!second->geometry->rects[i].intersects(newcomer), qPrintable(second->nodes[i].key));
        request.fadedPids = {leaver};
        const auto third = TreeLayoutWorker::layOut(request, second.get(), metrics);
        QCOMPARE(third->byPid.count(leaver), std::size_t{0});
        for (quint64 pid : workers)
            if (pid != leaver) QCOMPARE(rectOf(*third, pid), rectOf(*first, pid));
        QCOMPARE(rectOf(*third, fresh.pid), newcomer);
        // Without a previous layout the same tree is packed afresh, in start order.
        checkTidy(*TreeLayoutWorker::layOut(request, nullptr, metrics));
    }

    void shrinkingFanClosesUp() {
        // 40 workers become 12: the block does not keep 40 workers' worth of empty rows.
        auto snapshot = treetest::syntheticTree(1, 40);
        const TreeNodeMetrics metrics{QFont()};
        const auto first = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Tidy), nullptr, metrics);
        int erased = 0;
        for (auto it = snapshot.processes.begin(); it != snapshot.processes.end();)
            if (it->second.kind == "worker" && erased < 28 && (it->first % 3 != 0 || erased >= 20)) {
                it = snapshot.processes.erase(it);
                ++erased;
            } else {
                ++it;
            }
        QCOMPARE(erased, 28);
        auto request = requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Tidy);
        request.keepExiting = false;
        const auto second = TreeLayoutWorker::layOut(request, first.get(), metrics);
        const auto fresh = TreeLayoutWorker::layOut(request, nullptr, metrics);
        // At most a quarter more rows (and at least one) than a fresh block of the same leaves.
        QVERIFY2(second->geometry->bounds.height() <= fresh->geometry->bounds.height() * 1.6,
                 qPrintable(QStringLiteral("%1 vs %2").arg(second->geometry->bounds.height()).arg(fresh->geometry->bounds.height())));
        for (std::size_t i = 0; i < second->nodes.size(); ++i)
            for (std::size_t j = i + 1; j < second->nodes.size(); ++j)
                QVERIFY2(!second->geometry->rects[i].intersects(second->geometry->rects[j]), qPrintable(second->nodes[i].key + " / " + second->nodes[j].key));
    }

    void forestWiderThanTheWrapWidthContinuesBelow() {
        // A wide tree (a root with 10 children) and three lone roots after it.
        TidyTreeLayout::Input in;
        in.parent = {-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1};
        in.width.assign(in.parent.size(), 100);
        in.height.assign(in.parent.size(), 30);
        TidyTreeLayout::Options o;
        o.wrapWidth = 1200; // the tree is ~1180 wide: the lone roots do not fit beside it
        const auto out = TidyTreeLayout(o).run(in);
        QVERIFY(out.reshaped);
        double treeBottom = 0;
        for (int i = 0; i <= 10; ++i) treeBottom = std::max(treeBottom, out.y[std::size_t(i)] + 30);
        for (int i = 11; i <= 13; ++i) {
            QVERIFY2(out.y[std::size_t(i)] > treeBottom, qPrintable(QStringLiteral("root %1 at y %2").arg(i).arg(out.y[std::size_t(i)])));
            QVERIFY(out.x[std::size_t(i)] < 1200);
        }
        QVERIFY(out.x[11] < out.x[12] && out.x[12] < out.x[13]); // one row, in order
        // With room for all, they stay beside the tree.
        const auto wide = TidyTreeLayout().run(in);
        QCOMPARE(wide.y[11], 0.0);
        QVERIFY(!wide.reshaped);
    }

    void treeFitsTheViewsWidthByPacking() {
        // A supervisor of 10 workers (not a herd) is wider than a 900-unit view in one row; asked to fit, it packs.
        const TreeNodeMetrics metrics{QFont()};
        auto request = requestFor(treetest::diagramOf(treetest::syntheticTree(1, 10)), TreeLayoutRequest::Engine::Auto);
        const auto free = TreeLayoutWorker::layOut(request, nullptr, metrics);
        request.fitWidth = 900;
        const auto fitted = TreeLayoutWorker::layOut(request, nullptr, metrics);
        QVERIFY2(fitted->geometry->bounds.width() < free->geometry->bounds.width(),
                 qPrintable(QStringLiteral("%1 vs %2").arg(fitted->geometry->bounds.width()).arg(free->geometry->bounds.width())));
        QVERIFY(fitted->shapeHash != free->shapeHash); // a new width to fit in lays out again
        QCOMPARE(free->engine, QStringLiteral("dot"));
        QCOMPARE(fitted->engine, QStringLiteral("tidy"));
    }

    void aFanOfEightPacksWhenItIsWiderThanHalfTheView() {
        // Fitting a view, the width decides: 8 workers in one row are wider than half a 900-unit
        // view, so they pack; 4 fit in a row and stay in it.
        const TreeNodeMetrics metrics{QFont()};
        auto eight = requestFor(treetest::diagramOf(treetest::syntheticTree(1, 8)), TreeLayoutRequest::Engine::Auto);
        eight.fitWidth = 900;
        const auto packed = TreeLayoutWorker::layOut(eight, nullptr, metrics);
        QCOMPARE(packed->engine, QStringLiteral("tidy"));
        QVERIFY2(packed->geometry->bounds.width() <= 450, qPrintable(QString::number(packed->geometry->bounds.width())));
        auto four = requestFor(treetest::diagramOf(treetest::syntheticTree(1, 4)), TreeLayoutRequest::Engine::Auto);
        four.fitWidth = 900;
        const auto row = TreeLayoutWorker::layOut(four, nullptr, metrics);
        const auto& rects = row->geometry->rects;
        QCOMPARE(rects.size(), std::size_t(7)); // root, region, shard, 4 workers
        double lowest = 0;
        for (const QRectF& r : rects) lowest = std::max(lowest, r.top());
        QCOMPARE(std::count_if(rects.begin(), rects.end(), [&](const QRectF& r) { return r.top() == lowest; }), 4); // one row
    }

    void aPackedFanStaysPackedWhileItShrinksALittle() {
        // 8 workers (135 units wide each) pack in a 900-unit view; down to 3 (a row of 445, narrower
        // than half the view, wider than 0.6 of that) they stay in their columns when laid out after
        // the packed layout, and only a fresh layout puts them in a row. Down to 2, a row again.
        const TreeNodeMetrics metrics{QFont()};
        auto snapshot = treetest::syntheticTree(1, 8);
        auto request = requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Tidy);
        request.fitWidth = 900;
        const auto packed = TreeLayoutWorker::layOut(request, nullptr, metrics);
        auto rowsOf = [](const TreeLayout& l) {
            std::set<double> tops;
            for (std::size_t i = 0; i < l.nodes.size(); ++i)
                if (l.nodes[i].parent >= 0 && l.geometry->cells[i].x() >= 0) tops.insert(l.geometry->rects[i].top());
            return tops.size();
        };
        QVERIFY(rowsOf(*packed) > 1);
        auto without = [&](int keep) {
            auto s = snapshot;
            int workers = 0;
            std::unordered_set<quint64> gone; // faded out already: no copy lingers in their cells
            for (auto it = s.processes.begin(); it != s.processes.end();)
                if (it->second.kind == "worker" && ++workers > keep) {
                    gone.insert(it->first);
                    it = s.processes.erase(it);
                } else {
                    ++it;
                }
            auto r = requestFor(treetest::diagramOf(s), TreeLayoutRequest::Engine::Tidy);
            r.fitWidth = 900;
            r.fadedPids = gone;
            return r;
        };
        const auto three = TreeLayoutWorker::layOut(without(3), packed.get(), metrics);
        QVERIFY(rowsOf(*three) > 1);
        QCOMPARE(rowsOf(*TreeLayoutWorker::layOut(without(3), nullptr, metrics)), std::size_t(0));
        QCOMPARE(rowsOf(*TreeLayoutWorker::layOut(without(2), three.get(), metrics)), std::size_t(0));
    }

    void aChurningFanKeepsItsShape() {
        // A live fan of 4-14 workers, 0-2 exits and 0-2 spawns per layout, in a view (as the app
        // lays it out): it keeps one engine (it flipped between dot, while small enough for a row,
        // and packed tidy columns 31 times in 300 layouts) and few workers move (592 of 2,458 did).
        const TreeNodeMetrics metrics{QFont()};
        auto snapshot = treetest::syntheticTree(1, 8);
        std::mt19937 random(5);
        quint64 next = 5000;
        std::uint64_t order = 100;
        std::vector<quint64> fading, faded;
        std::shared_ptr<const TreeLayout> last;
        int moved = 0, kept = 0, engineSwitches = 0;
        for (int step = 0; step < 300; ++step) {
            std::vector<quint64> workers;
            for (const auto& [pid, r] : snapshot.processes)
                if (r.kind == "worker") workers.push_back(pid);
            faded.insert(faded.end(), fading.begin(), fading.end()); // last layout's exits have faded
            fading.clear();
            const int exits = int(random() % 3), spawns = int(random() % 3);
            for (int i = 0; i < exits && workers.size() > 3; ++i) {
                const std::size_t at = random() % workers.size();
                snapshot.processes.erase(workers[at]);
                fading.push_back(workers[at]);
                workers.erase(workers.begin() + std::ptrdiff_t(at));
            }
            for (int i = 0; i < spawns && workers.size() < 14; ++i) {
                introspection::ProcessRecord r = snapshot.processes.at(workers.front());
                r.pid = next++;
                r.pidText = "<0." + std::to_string(r.pid) + ".0>";
                r.startOrder = order++;
                snapshot.processes.emplace(r.pid, r);
                workers.push_back(r.pid);
            }
            auto request = requestFor(treetest::diagramOf(snapshot, 1000), TreeLayoutRequest::Engine::Auto);
            request.fitWidth = 1275; // a 1020-pixel view at the readable zoom
            request.fadedPids = std::unordered_set<quint64>(faded.begin(), faded.end());
            auto layout = TreeLayoutWorker::layOut(request, last.get(), metrics);
            if (last) {
                engineSwitches += layout->engine != last->engine;
                for (quint64 pid : workers) {
                    auto a = last->byPid.find(pid), b = layout->byPid.find(pid);
                    if (a == last->byPid.end() || b == layout->byPid.end()) continue;
                    ++kept;
                    moved += last->geometry->rects[std::size_t(a->second)] != layout->geometry->rects[std::size_t(b->second)];
                }
            }
            last = std::move(layout);
        }
        QVERIFY2(engineSwitches <= 2, qPrintable(QString::number(engineSwitches)));
        QVERIFY2(moved * 5 < kept, qPrintable(QStringLiteral("%1 of %2 moved").arg(moved).arg(kept)));
    }

    void autoUsesDotForSmallTreesAndTidyForFans() {
        const TreeNodeMetrics metrics{QFont()};
        const auto todo = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(treetest::fixture("todo")), TreeLayoutRequest::Engine::Auto),
                                                   nullptr, metrics);
        QCOMPARE(todo->engine, QStringLiteral("dot"));
        // 200 nodes, but supervisors of 99 workers: dot would draw rows 15,000 px wide.
        const auto fans = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(treetest::syntheticTree(2, 99)), TreeLayoutRequest::Engine::Auto),
                                                   nullptr, metrics);
        QCOMPARE(fans->engine, QStringLiteral("tidy"));
    }

    void bigTreeLaysOutWithTidy() {
        const auto snapshot = treetest::syntheticTree(10, 99);
        const TreeNodeMetrics metrics{QFont()};
        auto request = requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Auto);
        request.dotNodeLimit = 1000;
        const auto layout = TreeLayoutWorker::layOut(request, nullptr, metrics);
        QCOMPARE(layout->nodes.size(), std::size_t(10011));
        QCOMPARE(layout->engine, QStringLiteral("tidy"));
        checkTidy(*layout);
        // Wrapped into rows: the whole tree keeps a screen-like shape.
        const QRectF bounds = layout->geometry->bounds;
        QVERIFY2(bounds.width() < 4 * bounds.height(), qPrintable(QStringLiteral("%1 x %2").arg(bounds.width()).arg(bounds.height())));
        // Every edge leaves its parent's box and ends at its child's.
        for (std::size_t i = 1; i < layout->nodes.size(); ++i) {
            const auto& e = layout->geometry->edges[i];
            const QPointF start = layout->geometry->points[static_cast<std::size_t>(e.firstPoint)];
            const QPointF end = layout->geometry->points[static_cast<std::size_t>(e.firstPoint + e.pointCount - 1)];
            const QRectF& parent = layout->geometry->rects[static_cast<std::size_t>(layout->nodes[i].parent)];
            QVERIFY2(parent.adjusted(-1, -1, 1, 1).contains(start), qPrintable(layout->nodes[i].key));
            QVERIFY2(layout->geometry->rects[i].adjusted(-1, -1, 1, 1).contains(end), qPrintable(layout->nodes[i].key));
        }
        // The hit grid finds every node at its centre.
        for (std::size_t i = 0; i < layout->nodes.size(); i += 97)
            QCOMPARE(layout->geometry->grid.at(layout->geometry->rects[i].center()), static_cast<int>(i));
        QCOMPARE(layout->geometry->grid.at(QPointF(-1e6, -1e6)), -1);
    }

    void oddTreesLayOutWithoutTrouble() {
        // A 250-deep chain (cut at DiagramTree::kMaxDepth), non-Latin names, a 300-character name,
        // a process with no name at all.
        introspection::TreeSnapshot s;
        for (std::uint64_t pid = 1; pid <= 250; ++pid) {
            introspection::ProcessRecord r;
            r.pid = pid;
            r.pidText = "<0." + std::to_string(pid) + ".0>";
            r.parent = pid - 1;
            r.kind = "supervisor";
            r.strategy = "one_for_one";
            r.name = pid == 2 ? "Überwachung.Zähler.数据" : pid == 3 ? std::string(300, 'x') : pid == 4 ? "" : "Chain.Sup" + std::to_string(pid);
            s.processes.emplace(pid, r);
        }
        const TreeNodeMetrics metrics{QFont()};
        for (auto engine : {TreeLayoutRequest::Engine::Dot, TreeLayoutRequest::Engine::Tidy}) {
            const auto layout = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(s), engine), nullptr, metrics);
            QVERIFY2(layout->error.isEmpty(), qPrintable(layout->error));
            QCOMPARE(layout->nodes.size(), std::size_t(exporting::DiagramTree::kMaxDepth + 1));
            checkTidy(*layout);
            QCOMPARE(layout->nodes[1].title, QStringLiteral("Überwachung.Zähler.数据"));
            QVERIFY(layout->nodes[1].titleWidth > 0);
            QCOMPARE(layout->nodes[2].title.size(), TreeLabel::kMaxLength);
            QCOMPARE(layout->nodes[3].title, QStringLiteral("<0.4.0>"));
        }
    }

    void exitingNodeKeepsItsSlotAfterItsSibling() {
        auto snapshot = treetest::fixture("todo");
        const TreeNodeMetrics metrics{QFont()};
        const auto first = TreeLayoutWorker::layOut(requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Dot), nullptr, metrics);
        const QRectF before = first->geometry->rects[static_cast<std::size_t>(first->byPid.at(112))];
        snapshot.processes.erase(112);
        auto request = requestFor(treetest::diagramOf(snapshot), TreeLayoutRequest::Engine::Dot);
        const auto second = TreeLayoutWorker::layOut(request, first.get(), metrics);
        const int exiting = second->byKey.value(QStringLiteral("~exit/112"), -1);
        QVERIFY(exiting >= 0);
        QCOMPARE(second->nodes[static_cast<std::size_t>(exiting)].origin, TreeLayout::Origin::Exiting);
        const int sup = second->byKey.value(QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.ServerSupervisor"));
        QCOMPARE(pidsOrder(*second, sup), (std::vector<int>{110, 111, 112, 113, 114, 115}));
        QCOMPARE(second->geometry->rects[static_cast<std::size_t>(exiting)], before);
        // Nothing moves: the next sibling keeps its box too.
        QCOMPARE(second->geometry->rects[static_cast<std::size_t>(second->byPid.at(113))],
                 first->geometry->rects[static_cast<std::size_t>(first->byPid.at(113))]);
        // Once faded (or without keepExiting) the slot goes.
        request.fadedPids = {112};
        const auto third = TreeLayoutWorker::layOut(request, second.get(), metrics);
        QCOMPARE(third->byKey.value(QStringLiteral("~exit/112"), -1), -1);
        QCOMPARE(pidsOrder(*third, third->byKey.value(QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.ServerSupervisor"))),
                 (std::vector<int>{110, 111, 113, 114, 115}));
    }

    void expandedHerdShowsMembersAndPinShowsSubtree() {
        const auto snapshot = treetest::fixture("todo");
        const TreeNodeMetrics metrics{QFont()};
        auto request = requestFor(treetest::diagramOf(snapshot, 2), TreeLayoutRequest::Engine::Dot);
        const QString herd = QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.ServerSupervisor/Todo.Server*");
        const auto collapsed = TreeLayoutWorker::layOut(request, nullptr, metrics);
        QVERIFY(collapsed->byKey.contains(herd));
        QVERIFY(collapsed->nodes[static_cast<std::size_t>(collapsed->byKey.value(herd))].herd);
        request.expandedHerds = {herd};
        request.memberTitles = {{113, QStringLiteral("Todo.Server (bob)")}};
        const auto expanded = TreeLayoutWorker::layOut(request, collapsed.get(), metrics);
        QCOMPARE(expanded->nodes.size(), collapsed->nodes.size() + 6);
        const int member = expanded->byPid.at(113);
        QCOMPARE(expanded->nodes[static_cast<std::size_t>(member)].title, QStringLiteral("Todo.Server (bob)"));
        QCOMPARE(expanded->nodes[static_cast<std::size_t>(expanded->nodes[static_cast<std::size_t>(member)].parent)].key, herd);
        checkTidy(*expanded);
        request.expandedHerds.clear();
        request.pinnedKey = QStringLiteral("Todo.Supervisor/Todo.SystemSupervisor/Todo.PoolSupervisor");
        const auto pinned = TreeLayoutWorker::layOut(request, expanded.get(), metrics);
        QCOMPARE(pinned->nodes.size(), std::size_t(4));
        QCOMPARE(pinned->nodes.front().key, request.pinnedKey);
        QCOMPARE(pinned->nodes.front().parent, -1);
    }
};

QTEST_MAIN(TestTreeLayout)
#include "test_tree_layout.moc"
