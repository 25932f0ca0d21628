#include "app/canopy/warning_banner.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace canopy::app {

WarningBanner::WarningBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("warningBanner"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    icon->setAlignment(Qt::AlignTop);
    layout->addWidget(icon);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_label, 1);
    m_close = new QToolButton(this);
    m_close->setText(tr("Dismiss"));
    m_close->setAutoRaise(true);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &WarningBanner::dismiss);
    hide();
}

void WarningBanner::showWarnings(const QString& headline, const QStringList& warnings) {
    if (headline.isEmpty() && warnings.isEmpty()) {
        dismiss();
        return;
    }
    QString html = QStringLiteral("<b>%1</b>").arg(headline.toHtmlEscaped());
    for (const QString& w : warnings) html += QStringLiteral("<br>") + w.toHtmlEscaped();
    m_label->setText(html);
    show();
}

void WarningBanner::dismiss() {
    m_label->clear();
    hide();
}

QString WarningBanner::text() const {
    QString html = m_label->text();
    html.replace(QStringLiteral("<br>"), QStringLiteral("\n"));
    html.remove(QStringLiteral("<b>"));
    html.remove(QStringLiteral("</b>"));
    html.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    html.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    html.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    html.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return html;
}

} // namespace canopy::app
