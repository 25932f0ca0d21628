#pragma once
#include <QGridLayout>
#include <map>

class QLabel;

namespace canopy::views {

/// A two-column label/field grid whose rows can be hidden and fold away completely. Used instead of
/// QFormLayout::setRowVisible, which corrupts memory in Qt 6.4 (QFormLayout::heightForWidth writes
/// past its row array once rows are hidden and a field wraps its text).
class FormGrid : public QGridLayout {
    Q_OBJECT
public:
    /// An empty grid (10 px between label and field, 3 px between rows); labels aligned with
    /// `labelAlignment` (AlignTop suits fields that wrap, AlignVCenter single-line controls).
    explicit FormGrid(Qt::Alignment labelAlignment = Qt::AlignVCenter);

    /// Appends a row: `label` (may be empty) on the left, `field` on the right; returns the label.
    /// Add the grid to its parent layout first, so the new widgets are parented at once.
    QLabel* addRow(const QString& label, QWidget* field);
    /// Appends a row whose field is a layout (the row is hidden through `owner`, a widget holding it).
    QLabel* addRow(const QString& label, QLayout* field, QWidget* owner);
    /// Shows or hides the row of `field` (label and field together).
    void setRowVisible(QWidget* field, bool visible);
    /// True when the row of `field` is not hidden.
    bool isRowVisible(QWidget* field) const;

private:
    std::map<QWidget*, QLabel*> m_labels;
    int m_rows = 0;
    Qt::Alignment m_labelAlignment;
};

} // namespace canopy::views
