#include "views/widgets/connection_status_widget.h"
#include "views/model/change_batch.h"
#include "views/model/session_time_text.h"
#include "views/widgets/plural_text.h"
#include "views/widgets/steady_label.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <cmath>

namespace canopy::views {

using Kind = introspection::SessionState::Kind;
using Refusal = introspection::SessionState::Refusal;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString reasonText(const std::string& reason) {
    if (reason == "gap") return QObject::tr("events were missed");
    if (reason == "queue_overflow") return QObject::tr("the probe's queue for us overflowed");
    if (reason == "requested") return QObject::tr("a fresh snapshot was requested");
    if (reason == "subscription_changed") return QObject::tr("the subscription changed");
    return qs(reason);
}

QString rateText(double perSecond) {
    if (perSecond >= 100) return groupedNumber(std::llround(perSecond));
    return QString::number(perSecond, 'f', perSecond >= 10 ? 0 : 1);
}

QString target(const ConnectionStatusWidget::Status& s) { return s.target.isEmpty() ? QObject::tr("the probe") : s.target; }

} // namespace

ConnectionStatusWidget::ConnectionStatusWidget(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(18, 0, 4, 0);
    m_label = new SteadyLabel(this);
    row->addWidget(m_label);
    refresh();
}

void ConnectionStatusWidget::setStatus(const Status& status) {
    m_status = status;
    m_hasStatus = true;
    refresh();
}

void ConnectionStatusWidget::setBatch(const ChangeBatch& batch) {
    m_status.state = batch.state;
    m_status.eventsPerSecond = batch.eventsPerSecond;
    m_status.sampleAgeNs = batch.sampleAgeNs;
    m_status.timeNs = batch.timeNs;
    m_status.durationNs = batch.durationNs;
    if (batch.state.kind != Kind::Lost) m_status.reconnectInMs = -1;
    m_hasStatus = true;
    refresh();
}

void ConnectionStatusWidget::setTarget(const QString& target) {
    m_status.target = target;
    refresh();
}

void ConnectionStatusWidget::setReconnectIn(int ms) {
    m_status.reconnectInMs = ms;
    refresh();
}

QString ConnectionStatusWidget::textFor(const Status& s) {
    const auto& st = s.state;
    switch (st.kind) {
    case Kind::Connecting: return tr("Connecting to %1...").arg(target(s));
    case Kind::Live: {
        QString t = tr("Live %1 \u00b7 %2 events/s").arg(target(s), rateText(s.eventsPerSecond));
        if (s.sampleAgeNs > 0) t += tr(" \u00b7 sample %1 ago").arg(durationText(s.sampleAgeNs));
        return t;
    }
    case Kind::Resyncing: {
        QString t = tr("Resyncing: %1").arg(reasonText(st.reason.empty() ? std::string("gap") : st.reason));
        if (st.drops) t += QStringLiteral(" \u00b7 ") + pluralText(static_cast<long long>(st.drops), tr("event"), tr("events")) + tr(" dropped so far");
        return t;
    }
    case Kind::Stale: return tr("Stale %1 \u00b7 nothing received for %2").arg(target(s), durationText(s.sampleAgeNs));
    case Kind::Lost: {
        QString t = tr("Lost %1").arg(target(s));
        if (!st.reason.empty()) t += QStringLiteral(": ") + qs(st.reason);
        if (s.reconnectInMs >= 0)
            t += tr(" \u00b7 reconnecting in %1 s").arg(static_cast<int>(std::ceil(s.reconnectInMs / 1000.0)));
        return t;
    }
    case Kind::Refused:
        switch (st.refusal) {
        case Refusal::BadToken: return tr("Refused by %1: bad token").arg(target(s));
        case Refusal::VersionMismatch:
            return tr("Refused by %1: protocol %2.%3 (probe) vs %4.%5 (canopy)")
                .arg(target(s))
                .arg(st.serverMajor)
                .arg(st.serverMinor)
                .arg(st.clientMajor)
                .arg(st.clientMinor);
        case Refusal::NotAProbe: return tr("Refused: %1 is not a Canopy probe").arg(target(s));
        case Refusal::None:
        case Refusal::Other:
            return tr("Refused by %1: %2").arg(target(s), st.reason.empty() ? qs(st.message) : qs(st.reason));
        }
        return {};
    case Kind::Replay: {
        QString t = tr("Replay %1 / %2").arg(sessionTimeTextPrecise(s.timeNs), sessionTimeTextPrecise(s.durationNs));
        if (!s.target.isEmpty()) t += QStringLiteral(" \u00b7 ") + s.target;
        return t;
    }
    case Kind::Ended: {
        QString t = tr("Ended %1").arg(target(s));
        if (!st.reason.empty()) t += QStringLiteral(": ") + qs(st.reason);
        return t;
    }
    }
    return {};
}

QColor ConnectionStatusWidget::colorFor(const Status& s) {
    switch (s.state.kind) {
    case Kind::Connecting: return QColor(0x1e, 0x88, 0xe5);
    case Kind::Live: return QColor(0x2e, 0x7d, 0x32);
    case Kind::Resyncing: return QColor(0xef, 0x8f, 0x00);
    case Kind::Stale: return QColor(0xc7, 0x77, 0x00);
    case Kind::Lost: return QColor(0xc6, 0x28, 0x28);
    case Kind::Refused: return QColor(0xb7, 0x1c, 0x1c);
    case Kind::Replay: return QColor(0x15, 0x65, 0xc0);
    case Kind::Ended: return QColor(0x61, 0x61, 0x61);
    }
    return {};
}

QString ConnectionStatusWidget::toolTipFor(const Status& s) {
    QStringList lines;
    lines << textFor(s);
    if (!s.state.message.empty() && qs(s.state.message) != lines.front()) lines << qs(s.state.message);
    if (s.state.kind == Kind::Refused && s.state.refusal == Refusal::BadToken)
        lines << tr("Give the probe's token (File > Attach, or --token / --token-file).");
    if (s.state.kind == Kind::Refused && s.state.refusal == Refusal::VersionMismatch)
        lines << tr("Retrying will not help: use a canopy that speaks protocol %1.x.").arg(s.state.serverMajor);
    if (s.state.resyncs || s.state.drops)
        lines << tr("Resyncs so far: %1; events dropped by the probe: %2").arg(s.state.resyncs).arg(s.state.drops);
    return lines.join('\n');
}

QString ConnectionStatusWidget::text() const { return m_label->text(); }

QColor ConnectionStatusWidget::color() const { return m_hasStatus ? colorFor(m_status) : QColor(0x9e, 0x9e, 0x9e); }

QSize ConnectionStatusWidget::sizeHint() const {
    const QSize label = m_label->sizeHint();
    return {label.width() + 22, std::max(label.height(), 16)};
}

void ConnectionStatusWidget::refresh() {
    // Refreshed with every change batch: the window is re-laid out only when the line's size changes.
    const QString tip = m_hasStatus ? toolTipFor(m_status) : tr("Open a session file or attach to a probe.");
    if (tip != toolTip()) setToolTip(tip);
    const QColor dot = color();
    const bool resized = m_label->showText(m_hasStatus ? textFor(m_status) : tr("Not connected"));
    if (resized) updateGeometry();
    if (resized || dot != m_shownColor) update();
    m_shownColor = dot;
}

void ConnectionStatusWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    p.setBrush(color());
    const double r = 5;
    p.drawEllipse(QPointF(8, height() / 2.0), r, r);
}

} // namespace canopy::views
