#include "views/widgets/transport_bar.h"
#include "views/model/session_time_text.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <cmath>

namespace canopy::views {

namespace {

QToolButton* makeButton(QWidget* parent, QStyle::StandardPixmap icon, const QString& text, const QString& tip) {
    auto* b = new QToolButton(parent);
    b->setIcon(parent->style()->standardIcon(icon));
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);
    b->setToolButtonStyle(text.isEmpty() ? Qt::ToolButtonIconOnly : Qt::ToolButtonTextBesideIcon);
    return b;
}

QString speedText(double s) {
    return QStringLiteral("\u00d7") + (s < 1 ? QString::number(s) : QString::number(static_cast<int>(s)));
}

} // namespace

TransportBar::TransportBar(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    m_previousCrash = makeButton(this, QStyle::SP_MediaSkipBackward, tr("Crash"), tr("Previous crash: give-up or abnormal exit  ( [ )"));
    m_stepBack = makeButton(this, QStyle::SP_MediaSeekBackward, {}, tr("Step back  (Left)"));
    m_play = makeButton(this, QStyle::SP_MediaPlay, {}, tr("Play  (Space)"));
    m_stepForward = makeButton(this, QStyle::SP_MediaSeekForward, {}, tr("Step forward  (Right)"));
    m_nextCrash = makeButton(this, QStyle::SP_MediaSkipForward, tr("Crash"), tr("Next crash: give-up or abnormal exit  ( ] )"));
    m_speed = new QComboBox(this);
    m_speed->setFocusPolicy(Qt::NoFocus);
    m_speed->setToolTip(tr("Playback speed"));
    for (double s : speeds()) m_speed->addItem(speedText(s), s);
    m_speed->setCurrentIndex(2);
    m_live = new QToolButton(this);
    m_live->setText(tr("\u25cf Live"));
    m_live->setCheckable(true);
    m_live->setFocusPolicy(Qt::NoFocus);
    m_live->setToolTip(tr("Follow the live edge  (End)"));
    m_live->hide();
    // A clock that changes with every batch: a SteadyLabel, so a new time does not re-lay out the window.
    m_time = new SteadyLabel(this);
    m_time->setFloorWidth(m_time->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.0 / 00:00:00.0")) + 8);
    m_time->setToolTip(tr("Cursor / session length"));

    row->addWidget(m_previousCrash);
    row->addWidget(m_stepBack);
    row->addWidget(m_play);
    row->addWidget(m_stepForward);
    row->addWidget(m_nextCrash);
    row->addSpacing(6);
    row->addWidget(m_speed);
    row->addSpacing(6);
    row->addWidget(m_live);
    row->addSpacing(6);
    row->addWidget(m_time);

    connect(m_play, &QToolButton::clicked, this, [this] {
        if (m_playing)
            emit pauseClicked();
        else
            emit playClicked();
    });
    connect(m_stepBack, &QToolButton::clicked, this, [this] { emit stepClicked(-1); });
    connect(m_stepForward, &QToolButton::clicked, this, [this] { emit stepClicked(+1); });
    connect(m_previousCrash, &QToolButton::clicked, this, &TransportBar::previousCrashClicked);
    connect(m_nextCrash, &QToolButton::clicked, this, &TransportBar::nextCrashClicked);
    connect(m_speed, &QComboBox::activated, this, [this](int) { emit speedChanged(speed()); });
    connect(m_live, &QToolButton::clicked, this, [this] {
        m_live->setChecked(true); // un-checking is done by scrubbing, not by this button
        emit backToLiveClicked();
    });
    setTime(0, 0);
}

const std::vector<double>& TransportBar::speeds() {
    static const std::vector<double> s{0.25, 0.5, 1, 2, 4, 8, 16};
    return s;
}

void TransportBar::setPlaying(bool playing) {
    m_playing = playing;
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setToolTip(playing ? tr("Pause  (Space)") : tr("Play  (Space)"));
}

void TransportBar::setSpeed(double speed) {
    int best = 0;
    for (int i = 0; i < m_speed->count(); ++i)
        if (std::abs(m_speed->itemData(i).toDouble() - speed) < std::abs(m_speed->itemData(best).toDouble() - speed))
            best = i;
    m_speed->setCurrentIndex(best);
}

double TransportBar::speed() const { return m_speed->currentData().toDouble(); }

void TransportBar::setLive(bool live, bool following) {
    m_live->setVisible(live);
    m_live->setChecked(live && following);
    m_live->setStyleSheet(live && following ? QStringLiteral("QToolButton { color: #c62828; font-weight: bold; }")
                                            : QString());
    m_live->setToolTip(following ? tr("Following the live edge") : tr("Back to the live edge  (End)"));
}

void TransportBar::setTime(std::int64_t cursorNs, std::int64_t durationNs) {
    m_time->showText(sessionTimeTextPrecise(cursorNs) + QStringLiteral(" / ") + sessionTimeTextPrecise(durationNs));
}

void TransportBar::setCrashNavigation(bool hasPrevious, bool hasNext) {
    m_previousCrash->setEnabled(hasPrevious);
    m_nextCrash->setEnabled(hasNext);
}

} // namespace canopy::views
