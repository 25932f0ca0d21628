#include "views/widgets/diff_item_delegate.h"
#include "views/model/diff_model.h"

namespace canopy::views {

QColor DiffItemDelegate::categoryColor(DiffCategory category) {
    switch (category) {
    case DiffCategory::Added: return QColor(0x2e, 0x7d, 0x32);
    case DiffCategory::Removed: return QColor(0x61, 0x61, 0x61);
    case DiffCategory::Restarted: return QColor(0xc6, 0x28, 0x28);
    case DiffCategory::Mailbox: return QColor(0x15, 0x65, 0xc0);
    }
    return {};
}

void DiffItemDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant category = index.data(DiffModel::CategoryRole);
    if (!category.isValid()) return;
    const bool isCategory = index.data(DiffModel::IsCategoryRole).toBool();
    if (isCategory || index.column() == DiffModel::PathColumn)
        option->palette.setColor(QPalette::Text, categoryColor(static_cast<DiffCategory>(category.toInt())));
    if (isCategory) option->font.setBold(true);
}

} // namespace canopy::views
