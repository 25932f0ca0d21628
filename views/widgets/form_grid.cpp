#include "views/widgets/form_grid.h"
#include <QLabel>

namespace canopy::views {

FormGrid::FormGrid(Qt::Alignment labelAlignment) : m_labelAlignment(labelAlignment) {
    setHorizontalSpacing(10);
    setVerticalSpacing(3);
    setColumnStretch(1, 1);
}

QLabel* FormGrid::addRow(const QString& label, QWidget* field) {
    const int row = m_rows++;
    auto* caption = new QLabel(label);
    caption->setAlignment(Qt::AlignLeft | m_labelAlignment);
    addWidget(caption, row, 0, m_labelAlignment);
    addWidget(field, row, 1);
    m_labels[field] = caption;
    return caption;
}

QLabel* FormGrid::addRow(const QString& label, QLayout* field, QWidget* owner) {
    owner->setLayout(field);
    field->setContentsMargins(0, 0, 0, 0);
    return addRow(label, owner);
}

void FormGrid::setRowVisible(QWidget* field, bool visible) {
    auto it = m_labels.find(field);
    if (it == m_labels.end()) return;
    it->second->setVisible(visible);
    field->setVisible(visible);
}

bool FormGrid::isRowVisible(QWidget* field) const {
    auto it = m_labels.find(field);
    return it != m_labels.end() && !field->isHidden();
}

} // namespace canopy::views
