#include "views/widgets/tree_layout_worker.h"

#include "views/widgets/tree_layout_engine.h"
#include "views/widgets/tree_node_metrics.h"
#include "views/widgets/tree_shape_builder.h"

#include <QElapsedTimer>

namespace canopy::views {

TreeLayoutWorker::TreeLayoutWorker(Deliver deliver) : m_deliver(std::move(deliver)) {
    m_thread = std::thread([this] { run(); });
}

TreeLayoutWorker::~TreeLayoutWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_pending.reset();
    }
    m_wake.notify_all();
    m_thread.join();
}

void TreeLayoutWorker::submit(TreeLayoutRequest request) {
    {
        std::lock_guard lock(m_mutex);
        m_pending = std::move(request);
    }
    m_wake.notify_one();
}

void TreeLayoutWorker::dispose(std::shared_ptr<const TreeLayout> layout) {
    if (!layout) return;
    {
        std::lock_guard lock(m_mutex);
        if (m_stop) return; // dropped here, on the caller's thread
        m_garbage.push_back(std::move(layout));
    }
    m_wake.notify_one();
}

std::shared_ptr<const TreeLayout> TreeLayoutWorker::layOut(const TreeLayoutRequest& request, const TreeLayout* previous,
                                                           const TreeNodeMetrics& metrics) {
    QElapsedTimer timer;
    timer.start();
    TreeShapeBuilder::Shape shape = TreeShapeBuilder(metrics).build(request, previous);
    if (previous && previous->geometry && previous->shapeHash == shape.layout->shapeHash &&
        previous->nodes.size() == shape.layout->nodes.size()) {
        shape.layout->geometry = previous->geometry;
        shape.layout->sameShape = true;
        shape.layout->engine = previous->engine;
    } else {
        TreeLayoutEngine::run(shape, request.engine, request.dotNodeLimit, request.fitWidth, previous);
    }
    shape.layout->workerMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    return shape.layout;
}

void TreeLayoutWorker::run() {
    std::shared_ptr<const TreeLayout> previous;
    std::unique_ptr<TreeNodeMetrics> metrics;
    QFont metricsFont;
    for (;;) {
        TreeLayoutRequest request;
        std::vector<std::shared_ptr<const TreeLayout>> garbage;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || m_pending.has_value() || !m_garbage.empty(); });
            garbage.swap(m_garbage);
            if (m_stop) return;
            if (!m_pending) continue; // the layouts given back are freed here, outside the lock
            request = std::move(*m_pending);
            m_pending.reset();
        }
        garbage.clear();
        if (!metrics || !(metricsFont == request.font)) {
            metrics = std::make_unique<TreeNodeMetrics>(request.font);
            metricsFont = request.font;
            previous.reset(); // sizes changed: no geometry to share
        }
        previous = layOut(request, previous.get(), *metrics);
        m_deliver(previous);
    }
}

} // namespace canopy::views
