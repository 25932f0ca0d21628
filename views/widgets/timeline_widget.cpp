#include "views/widgets/timeline_widget.h"
#include "views/widgets/timeline_chart.h"
#include "views/widgets/timeline_palette.h"
#include "views/widgets/transport_bar.h"
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace canopy::views {

namespace {

QString swatch(const QColor& c, const QString& glyph, const QString& text) {
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(c.name(), glyph) +
           (text.isEmpty() ? QString() : QStringLiteral("&nbsp;") + text.toHtmlEscaped());
}

/// The legend in three lengths (full words, short words, glyphs only); the widest that fits is shown.
QStringList legendVariants() {
    struct Item {
        QColor color;
        QString glyph, full, brief;
    };
    const Item items[] = {
        {TimelinePalette::processes(), QStringLiteral("\u2501"), QObject::tr("processes"), QObject::tr("processes")},
        {TimelinePalette::mailbox(), QStringLiteral("\u2501"), QObject::tr("mailbox total"), QObject::tr("mailbox")},
        {TimelinePalette::marker(TimelineMarkerKind::Restart), QStringLiteral("\u25b2"), QObject::tr("restart"), QObject::tr("restart")},
        {TimelinePalette::marker(TimelineMarkerKind::AbnormalExit), QStringLiteral("\u25cf"), QObject::tr("abnormal exit"), QObject::tr("exit")},
        {TimelinePalette::marker(TimelineMarkerKind::GiveUp), QStringLiteral("\u25c6"), QObject::tr("give-up"), QObject::tr("give-up")},
        {TimelinePalette::marker(TimelineMarkerKind::Resync), QStringLiteral("\u25a0"), QObject::tr("resync"), QObject::tr("resync")},
    };
    QStringList full, brief, glyphs;
    for (const Item& i : items) {
        full << swatch(i.color, i.glyph, i.full);
        brief << swatch(i.color, i.glyph, i.brief);
        glyphs << swatch(i.color, i.glyph, {});
    }
    return {full.join(QStringLiteral("&nbsp;&nbsp; ")), brief.join(QStringLiteral("&nbsp; ")), glyphs.join(QStringLiteral(" "))};
}

} // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    m_transport = new TransportBar(this);
    m_chart = new TimelineChart(this);
    m_legend = new QLabel(this);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setText(legendVariants().front());
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // fitLegend() picks what fits
    m_legend->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_legend->setToolTip(tr("Blue line, left axis: live processes. Teal line, right axis: sum of all mailbox lengths.\n"
                            "Markers: \u25b2 restart, \u25cf abnormal exit, \u25c6 give-up, \u25a0 resync.\n"
                            "Click a marker to jump to it; drag to scrub; wheel to zoom, double-click to see all."));

    auto* top = new QHBoxLayout;
    top->setContentsMargins(4, 0, 6, 0);
    top->addWidget(m_transport);
    top->addWidget(m_legend, 1);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 2, 0, 0);
    column->setSpacing(0);
    column->addLayout(top);
    column->addWidget(m_chart, 1);
    m_chart->setFocusProxy(this);

    connect(m_chart, &TimelineChart::scrubStarted, this, [this] { leaveLive(); });
    connect(m_chart, &TimelineChart::seekRequested, this, [this](qint64 t) {
        refreshControls();
        emit seekRequested(t);
    });
    connect(m_chart, &TimelineChart::markerClicked, this, [this](int index) {
        const TimelineMarker& m = data().markers[static_cast<std::size_t>(index)];
        const std::uint64_t pid = m.kind == TimelineMarkerKind::GiveUp && m.supervisor ? m.supervisor : (m.pid ? m.pid : m.supervisor);
        if (pid) emit processActivated(pid);
    });
    connect(m_transport, &TransportBar::playClicked, this, &TimelineWidget::play);
    connect(m_transport, &TransportBar::pauseClicked, this, &TimelineWidget::pause);
    connect(m_transport, &TransportBar::stepClicked, this, &TimelineWidget::step);
    connect(m_transport, &TransportBar::previousCrashClicked, this, &TimelineWidget::previousCrash);
    connect(m_transport, &TransportBar::nextCrashClicked, this, &TimelineWidget::nextCrash);
    connect(m_transport, &TransportBar::backToLiveClicked, this, &TimelineWidget::backToLive);
    connect(m_transport, &TransportBar::speedChanged, this, [this](double s) {
        if (m_playing) emit playRequested(s);
    });
    refreshControls();
}

void TimelineWidget::setData(TimelineData data) {
    const bool live = data.live;
    m_chart->setData(std::move(data));
    m_chart->setFollowingLive(live);
    if (live) m_chart->setCursorTime(m_chart->data().durationNs);
    refreshControls();
}

void TimelineWidget::appendData(const TimelineData& later) {
    m_chart->appendData(later);
    if (followingLive()) m_chart->setCursorTime(m_chart->data().durationNs);
    refreshControls();
}

void TimelineWidget::setLive(bool live) {
    m_chart->setLive(live);
    m_chart->setFollowingLive(live);
    if (live) m_chart->setCursorTime(data().durationNs);
    refreshControls();
}

const TimelineData& TimelineWidget::data() const { return m_chart->data(); }

void TimelineWidget::setCursorTime(std::int64_t tNs) {
    m_chart->setCursorTime(tNs);
    refreshControls();
}

std::int64_t TimelineWidget::cursorTime() const { return m_chart->cursorTime(); }

void TimelineWidget::setPlaying(bool playing) {
    m_playing = playing;
    refreshControls();
}

bool TimelineWidget::isPlaying() const { return m_playing; }

double TimelineWidget::speed() const { return m_transport->speed(); }

bool TimelineWidget::followingLive() const { return m_chart->followingLive(); }

QSize TimelineWidget::sizeHint() const { return {1000, 170}; }

void TimelineWidget::play() {
    if (followingLive()) return; // live is already "playing" at the live edge
    m_playing = true;
    refreshControls();
    emit playRequested(speed());
}

void TimelineWidget::pause() {
    leaveLive();
    m_playing = false;
    refreshControls();
    emit pauseRequested();
}

void TimelineWidget::togglePlay() {
    if (m_playing || followingLive())
        pause();
    else
        play();
}

void TimelineWidget::step(int direction) {
    leaveLive();
    emit stepRequested(direction < 0 ? -1 : +1);
}

void TimelineWidget::nextCrash() { jumpTo(data().nextCrash(cursorTime())); }

void TimelineWidget::previousCrash() { jumpTo(data().previousCrash(cursorTime())); }

void TimelineWidget::jumpTo(const TimelineMarker* marker) {
    if (!marker) return;
    const std::int64_t t = marker->tNs;
    leaveLive();
    m_chart->setCursorTime(t);
    refreshControls();
    emit seekRequested(t);
}

void TimelineWidget::backToLive() {
    if (!data().live) return;
    m_chart->setFollowingLive(true);
    m_chart->setCursorTime(data().durationNs);
    m_playing = false;
    refreshControls();
    emit backToLiveRequested();
}

void TimelineWidget::leaveLive() {
    if (!followingLive()) return;
    m_chart->setFollowingLive(false);
    refreshControls();
}

void TimelineWidget::refreshControls() {
    const bool following = followingLive();
    // Called with every live batch: the play icon and the Live button's style sheet are set only
    // when they change (setting them restyles the button: ~0.4 ms a batch).
    const int playing = m_playing || following ? 1 : 0;
    if (playing != m_shownPlaying) m_transport->setPlaying(playing == 1);
    m_shownPlaying = playing;
    const int live = (data().live ? 1 : 0) | (following ? 2 : 0);
    if (live != m_shownLive) m_transport->setLive(data().live, following);
    m_shownLive = live;
    m_transport->setTime(cursorTime(), data().durationNs);
    m_transport->setCrashNavigation(data().previousCrash(cursorTime()) != nullptr,
                                    data().nextCrash(cursorTime()) != nullptr);
}

void TimelineWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitLegend();
}

void TimelineWidget::fitLegend() {
    static const QStringList variants = legendVariants();
    const int room = width() - m_transport->sizeHint().width() - 24;
    QLabel probe;
    probe.setFont(m_legend->font());
    probe.setTextFormat(Qt::RichText);
    for (const QString& v : variants) {
        probe.setText(v);
        if (probe.sizeHint().width() <= room || &v == &variants.back()) {
            if (m_legend->text() != v) m_legend->setText(v);
            break;
        }
    }
}

void TimelineWidget::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Space: togglePlay(); break;
    case Qt::Key_Left: step(-1); break;
    case Qt::Key_Right: step(+1); break;
    case Qt::Key_BracketLeft: previousCrash(); break;
    case Qt::Key_BracketRight: nextCrash(); break;
    case Qt::Key_End: backToLive(); break;
    case Qt::Key_Home:
        leaveLive();
        m_chart->setCursorTime(0);
        refreshControls();
        emit seekRequested(0);
        break;
    default: return QWidget::keyPressEvent(event);
    }
    event->accept();
}

} // namespace canopy::views
