#include "views/widgets/tree_hit_grid.h"

#include <algorithm>
#include <cmath>

namespace canopy::views {

namespace {
constexpr qreal kMinCell = 192.0;
constexpr int kMaxCells = 1 << 20; // a degenerate drawing cannot allocate without bound
} // namespace

TreeHitGrid::TreeHitGrid(const std::vector<QRectF>& rects) : m_rects(rects) {
    if (m_rects.empty()) return;
    QRectF bounds;
    qreal largest = kMinCell;
    for (const QRectF& r : m_rects) {
        bounds = bounds.isNull() ? r : bounds.united(r);
        largest = std::max({largest, r.width(), r.height()});
    }
    m_origin = bounds.topLeft();
    m_cell = largest;
    // Cells no smaller than the largest box; grow them until the grid has a bounded number of cells.
    while ((std::ceil(bounds.width() / m_cell) + 1) * (std::ceil(bounds.height() / m_cell) + 1) > kMaxCells) m_cell *= 2;
    m_cols = static_cast<int>(std::ceil(bounds.width() / m_cell)) + 1;
    m_rows = static_cast<int>(std::ceil(bounds.height() / m_cell)) + 1;
    m_cellStart.assign(static_cast<std::size_t>(m_cols) * m_rows + 1, 0);
    std::vector<int> cellOf(m_rects.size());
    for (std::size_t i = 0; i < m_rects.size(); ++i) {
        const int cell = cellY(m_rects[i].top()) * m_cols + cellX(m_rects[i].left());
        cellOf[i] = cell;
        ++m_cellStart[static_cast<std::size_t>(cell) + 1];
    }
    for (std::size_t c = 1; c < m_cellStart.size(); ++c) m_cellStart[c] += m_cellStart[c - 1];
    m_items.resize(m_rects.size());
    std::vector<int> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::size_t i = 0; i < m_rects.size(); ++i) m_items[static_cast<std::size_t>(fill[cellOf[i]]++)] = static_cast<int>(i);
}

int TreeHitGrid::cellX(qreal x) const {
    return std::clamp(static_cast<int>(std::floor((x - m_origin.x()) / m_cell)), -1, std::max(0, m_cols));
}

int TreeHitGrid::cellY(qreal y) const {
    return std::clamp(static_cast<int>(std::floor((y - m_origin.y()) / m_cell)), -1, std::max(0, m_rows));
}

int TreeHitGrid::at(const QPointF& p) const {
    int found = -1;
    forEachIn(QRectF(p, QSizeF(0.01, 0.01)), [&](int index) {
        if (m_rects[index].contains(p)) found = index;
    });
    return found;
}

} // namespace canopy::views
