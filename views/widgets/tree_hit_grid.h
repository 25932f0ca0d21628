#pragma once
#include <QPointF>
#include <QRectF>
#include <algorithm>
#include <vector>

namespace canopy::views {

/// Uniform buckets over non-overlapping node boxes: which node is at a point, which nodes meet a
/// rectangle (exposed-rect culling). Each box is filed under the cell of its top-left corner and
/// cells are at least as large as the largest box, so a query looks one cell further left and up
/// and never meets a box twice. Built once per layout (linear), queried by the paint and clicks.
class TreeHitGrid {
public:
    /// An empty grid.
    TreeHitGrid() = default;
    /// Files `rects` (indices are what queries return).
    explicit TreeHitGrid(const std::vector<QRectF>& rects);

    /// The index of the box containing `p`, or -1.
    int at(const QPointF& p) const;
    /// Calls `visit(index)` for every box meeting `area`, each once.
    template <typename Visit>
    void forEachIn(const QRectF& area, Visit&& visit) const {
        if (m_cols == 0 || !area.isValid()) return;
        const int c0 = cellX(area.left()) - 1, c1 = cellX(area.right());
        const int r0 = cellY(area.top()) - 1, r1 = cellY(area.bottom());
        for (int r = std::max(0, r0); r <= std::min(m_rows - 1, r1); ++r)
            for (int c = std::max(0, c0); c <= std::min(m_cols - 1, c1); ++c) {
                const int cell = r * m_cols + c;
                for (int k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                    const int index = m_items[k];
                    if (m_rects[index].intersects(area)) visit(index);
                }
            }
    }
    /// Number of boxes filed.
    int size() const { return static_cast<int>(m_items.size()); }

private:
    int cellX(qreal x) const;
    int cellY(qreal y) const;

    std::vector<QRectF> m_rects;
    QPointF m_origin;
    qreal m_cell = 1;
    int m_cols = 0;
    int m_rows = 0;
    std::vector<int> m_cellStart;
    std::vector<int> m_items;
};

} // namespace canopy::views
