// Tree canvas benchmarks. Prints `RESULT <test> <metric> <value> <unit>` lines (medians):
//   RESULT G1_open_10k first_paint_ms <ms> ms   10,011 drawn nodes (herds off): from setDiagram() to
//                                               the end of the first viewport paint showing the tree,
//                                               a 1600x1000 TreeView under the offscreen platform
//   RESULT G1_open_10k repaint_ms <ms> ms       one repaint of the first (readable) view of that tree
//   RESULT G1_open_10k fit_repaint_ms <ms> ms   one repaint of the whole 10k tree fitted in the view
//   RESULT layout_<dot|tidy>_<1k|3k|10k> wall_ms <ms> ms   the layout thread's work for one tree
//                                               (boxes sized from font metrics, layout, edges, grid)
// Usage: bench_tree_view [--reps N] [--dot-10k-reps N] [--only g1|layout|tidy]
#include "tests/gui/tree_test_support.h"
#include "views/widgets/tree_layout_worker.h"
#include "views/widgets/tree_node_metrics.h"
#include "views/widgets/tree_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPaintEvent>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace canopy;
using namespace canopy::views;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

/// A TreeView that records when a paint that showed the tree finished.
class TimedTreeView : public TreeView {
public:
    QElapsedTimer* clock = nullptr;
    double paintedAtMs = -1;
    double lastPaintMs = 0;

protected:
    void paintEvent(QPaintEvent* event) override {
        QElapsedTimer paint;
        paint.start();
        TreeView::paintEvent(event);
        lastPaintMs = static_cast<double>(paint.nsecsElapsed()) / 1e6;
        if (clock && paintedAtMs < 0 && !nodeIds().isEmpty()) paintedAtMs = static_cast<double>(clock->nsecsElapsed()) / 1e6;
    }
};

void benchOpen10k(int reps) {
    const auto snapshot = treetest::syntheticTree(10, 99);
    const auto tree = std::make_shared<const exporting::DiagramTree>(exporting::DiagramTree::build(snapshot, false, false));
    const auto batch = treetest::resetBatch(snapshot);
    std::vector<double> firstPaint, readableRepaint, fitRepaint;
    for (int r = 0; r < reps; ++r) {
        TimedTreeView view;
        view.resize(1600, 1000);
        view.show();
        QApplication::processEvents();
        view.applyBatch(batch);
        QElapsedTimer clock;
        view.clock = &clock;
        clock.start();
        view.setDiagram(tree);
        while (view.paintedAtMs < 0 && clock.elapsed() < 60000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        firstPaint.push_back(view.paintedAtMs);
        std::fprintf(stderr, "G1 run %d: first paint %.1f ms (layout thread %.1f ms, %s, %d nodes)\n", r + 1, view.paintedAtMs,
                     view.layoutInfo().workerMs, qPrintable(view.layoutInfo().engine), view.layoutInfo().nodes);
        view.viewport()->repaint();
        readableRepaint.push_back(view.lastPaintMs);
        view.fitAll();
        view.viewport()->repaint();
        fitRepaint.push_back(view.lastPaintMs);
    }
    std::printf("RESULT G1_open_10k first_paint_ms %.1f ms\n", median(firstPaint));
    std::printf("RESULT G1_open_10k repaint_ms %.1f ms\n", median(readableRepaint));
    std::printf("RESULT G1_open_10k fit_repaint_ms %.1f ms\n", median(fitRepaint));
}

void benchLayout(const char* engineName, TreeLayoutRequest::Engine engine, int size, int mid, int workers, int reps) {
    const auto snapshot = treetest::syntheticTree(mid, workers);
    TreeLayoutRequest request;
    request.tree = std::make_shared<const exporting::DiagramTree>(exporting::DiagramTree::build(snapshot, false, false));
    request.engine = engine;
    request.font = QFont();
    const TreeNodeMetrics metrics(request.font);
    std::vector<double> times;
    for (int r = 0; r < reps; ++r) {
        QElapsedTimer t;
        t.start();
        const auto layout = TreeLayoutWorker::layOut(request, nullptr, metrics);
        times.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        if (!layout->error.isEmpty()) std::fprintf(stderr, "layout error: %s\n", qPrintable(layout->error));
    }
    std::printf("RESULT layout_%s_%dk wall_ms %.1f ms\n", engineName, size, median(times));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    if (!std::getenv("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int reps = 5, dot10kReps = 1;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--dot-10k-reps") && i + 1 < argc) dot10kReps = std::max(0, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--reps N] [--dot-10k-reps N] [--only g1|layout|tidy]\n", argv[0]);
            return 2;
        }
    }
    if (only.empty() || only == "g1") benchOpen10k(reps);
    if (only.empty() || only == "layout" || only == "tidy") {
        struct Size {
            int k, mid, workers;
        };
        for (const Size s : {Size{1, 10, 9}, Size{3, 10, 29}, Size{10, 10, 99}}) {
            benchLayout("tidy", TreeLayoutRequest::Engine::Tidy, s.k, s.mid, s.workers, reps);
            const int dotReps = s.k == 10 ? dot10kReps : reps;
            if (dotReps > 0 && only != "tidy") benchLayout("dot", TreeLayoutRequest::Engine::Dot, s.k, s.mid, s.workers, dotReps);
        }
    }
    return 0;
}
