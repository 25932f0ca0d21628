#pragma once
#include <QFrame>
#include <QStringList>

class QLabel;
class QToolButton;

namespace canopy::app {

/// A dismissable banner above the tree: what went wrong reading a session file (truncated, corrupt
/// frames, rebuilt index), one line per warning, or a connection problem. Hidden when empty.
class WarningBanner : public QFrame {
    Q_OBJECT
public:
    explicit WarningBanner(QWidget* parent = nullptr);

    /// Shows `headline` and the warnings under it (hidden when both are empty).
    void showWarnings(const QString& headline, const QStringList& warnings);
    /// Hides it.
    void dismiss();
    /// The text shown (headline and warnings, one per line).
    QString text() const;

private:
    QLabel* m_label = nullptr;
    QToolButton* m_close = nullptr;
};

} // namespace canopy::app
