#include "views/widgets/tree_layout_engine.h"

#include "views/export/graphviz_layout.h"
#include "views/widgets/tidy_tree_layout.h"

#include <algorithm>

namespace canopy::views {

namespace {

constexpr qreal kMargin = 40;

QRectF boundsOf(const QPointF* points, int count) {
    if (count <= 0) return {};
    qreal x0 = points[0].x(), x1 = x0, y0 = points[0].y(), y1 = y0;
    for (int i = 1; i < count; ++i) {
        x0 = std::min(x0, points[i].x());
        x1 = std::max(x1, points[i].x());
        y0 = std::min(y0, points[i].y());
        y1 = std::max(y1, points[i].y());
    }
    return QRectF(QPointF(x0, y0), QPointF(x1, y1)).adjusted(-2, -2, 2, 2);
}

void finish(TreeShapeBuilder::Shape& shape, std::shared_ptr<TreeGeometry> geometry) {
    QRectF bounds;
    for (const QRectF& r : geometry->rects) bounds = bounds.isNull() ? r : bounds.united(r);
    for (const auto& e : geometry->edges)
        if (e.pointCount > 0) bounds = bounds.united(e.bounds);
    geometry->bounds = bounds.adjusted(-kMargin, -kMargin, kMargin, kMargin);
    geometry->grid = TreeHitGrid(geometry->rects);
    shape.layout->geometry = std::move(geometry);
}

} // namespace

void TreeLayoutEngine::run(TreeShapeBuilder::Shape& shape, TreeLayoutRequest::Engine engine, int dotNodeLimit, double fitWidth,
                           const TreeLayout* previous) {
    const auto n = static_cast<int>(shape.sizes.size());
    if (engine == TreeLayoutRequest::Engine::Tidy || n == 0 ||
        (engine == TreeLayoutRequest::Engine::Auto && n > std::max(0, dotNodeLimit))) {
        runTidy(shape, fitWidth, previous);
        return;
    }
    if (engine == TreeLayoutRequest::Engine::Auto) {
        // The tidy tree first (a millisecond at this size): when it packs a big fan of leaves into
        // columns or wraps a too-wide row, it reads better than dot's one long row.
        if (runTidy(shape, fitWidth, previous)) return;
    }
    QString error;
    if (runDot(shape, error)) return;
    runTidy(shape, fitWidth, previous);
    shape.layout->error = error;
}

bool TreeLayoutEngine::runDot(TreeShapeBuilder::Shape& shape, QString& error) {
    const auto& nodes = shape.layout->nodes;
    exporting::GraphvizLayout::Graph graph;
    graph.nodeSep = kSiblingGap;
    graph.rankSep = kLevelGap;
    graph.nodes.reserve(nodes.size());
    for (const QSizeF& s : shape.sizes) graph.nodes.push_back({s.width(), s.height()});
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].parent >= 0) graph.edges.push_back({static_cast<std::size_t>(nodes[i].parent), i});
    const auto result = exporting::GraphvizLayout::layout(graph);
    if (!result.ok()) {
        error = QString::fromStdString(result.error);
        return false;
    }
    auto geometry = std::make_shared<TreeGeometry>();
    geometry->rects.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto& p = result.nodes[i];
        // Our sizes, centred where dot put the node (dot may round sizes to 1/100 inch).
        const QSizeF s = shape.sizes[i];
        geometry->rects.emplace_back(p.centre.x - s.width() / 2, p.centre.y - s.height() / 2, s.width(), s.height());
    }
    geometry->edges.assign(nodes.size(), {});
    std::size_t e = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].parent < 0) continue;
        const auto& bezier = result.edges[e++].bezier;
        TreeGeometry::Edge& edge = geometry->edges[i];
        edge.firstPoint = static_cast<int>(geometry->points.size());
        if (bezier.size() >= 4 && (bezier.size() - 1) % 3 == 0) {
            edge.bezier = true;
            for (const auto& pt : bezier) geometry->points.emplace_back(pt.x, pt.y);
        } else {
            // No usable spline: a straight line between the boxes.
            const QRectF& a = geometry->rects[static_cast<std::size_t>(nodes[i].parent)];
            const QRectF& b = geometry->rects[i];
            geometry->points.emplace_back(a.center().x(), a.bottom());
            geometry->points.emplace_back(b.center().x(), b.top());
        }
        edge.pointCount = static_cast<int>(geometry->points.size()) - edge.firstPoint;
        edge.bounds = boundsOf(geometry->points.data() + edge.firstPoint, edge.pointCount);
    }
    shape.layout->engine = QStringLiteral("dot");
    finish(shape, std::move(geometry));
    return true;
}

bool TreeLayoutEngine::runTidy(TreeShapeBuilder::Shape& shape, double fitWidth, const TreeLayout* previous) {
    const auto& nodes = shape.layout->nodes;
    TidyTreeLayout::Options options;
    options.siblingGap = kSiblingGap;
    options.levelGap = kLevelGap;
    if (fitWidth > 0) {
        // A fan of leaves taking more than half the view's width is packed into columns; a row of
        // subtrees wider than the view is wrapped. Never above the defaults (made for huge trees).
        options.packWidth = std::min(options.packWidth, std::max(400.0, fitWidth * 0.5));
        // Rows of subtrees wrap a little short of the view's width, so the root's other children
        // (the Streams demo's info fetcher) still fit beside them; the trees of a forest wrap at
        // the view's width (a wrapped root lands at the bottom left, under the legend).
        options.forestWrapWidth = std::min(options.wrapWidth, std::max(800.0, fitWidth));
        options.wrapWidth = std::min(options.wrapWidth, std::max(800.0, fitWidth * 0.85));
        // In a view, the width decides, not the count: a fan of 5-8 leaves wider than half the view
        // packs too (the live Todo demo's 6-10 servers no longer flip between a row that runs off
        // the view and columns as their count crosses 8).
        options.packAbove = 4;
    }
    TidyTreeLayout tidy(options);
    TidyTreeLayout::Input input;
    input.parent.reserve(nodes.size());
    input.width.reserve(nodes.size());
    input.height.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        input.parent.push_back(nodes[i].parent);
        input.width.push_back(shape.sizes[i].width());
        input.height.push_back(shape.sizes[i].height());
    }
    if (previous && previous->geometry && previous->geometry->cells.size() == previous->nodes.size()) {
        // Each node as it was last time: a process by its pid (keys of dynamic children are
        // positional), a herd or a slot by its key.
        const auto& cells = previous->geometry->cells;
        input.previousCell.assign(nodes.size(), {});
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const int index = static_cast<int>(i);
            int j = -1;
            if (!nodes[i].herd && shape.layout->pidCount(index) == 1) {
                if (auto it = previous->byPid.find(shape.layout->firstPid(index)); it != previous->byPid.end()) j = it->second;
            } else {
                j = previous->byKey.value(nodes[i].key, -1);
            }
            if (j < 0) continue;
            const QPoint c = cells[static_cast<std::size_t>(j)];
            input.previousCell[i] = {c.y(), c.x()};
        }
    }
    const TidyTreeLayout::Output out = tidy.run(input);
    auto geometry = std::make_shared<TreeGeometry>();
    geometry->rects.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) geometry->rects.emplace_back(out.x[i], out.y[i], input.width[i], input.height[i]);
    geometry->cells.reserve(nodes.size());
    for (const auto& c : out.cell) geometry->cells.emplace_back(c.col, c.row);
    geometry->points.reserve(out.points.size());
    for (const auto& p : out.points) geometry->points.emplace_back(p.x, p.y);
    geometry->edges.assign(nodes.size(), {});
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        TreeGeometry::Edge& edge = geometry->edges[i];
        edge.firstPoint = out.edgeStart[i];
        edge.pointCount = out.edgeStart[i + 1] - out.edgeStart[i];
        edge.bounds = boundsOf(geometry->points.data() + edge.firstPoint, edge.pointCount);
    }
    shape.layout->engine = QStringLiteral("tidy");
    finish(shape, std::move(geometry));
    return out.reshaped;
}

} // namespace canopy::views
