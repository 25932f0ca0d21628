#pragma once
#include "views/model/diff_entry.h"
#include <QStyledItemDelegate>

namespace canopy::views {

/// Draws DiffModel rows in their category's colour (added green, removed grey, restarted red,
/// mailbox blue); category rows in bold.
class DiffItemDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// The colour of a category.
    static QColor categoryColor(DiffCategory category);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace canopy::views
