#include "bench/gui/frame_meter.h"
#include <QEvent>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace canopy::bench {

namespace {
thread_local int t_depth = 0;

/// CPU time of the calling thread (ns): what the GUI thread itself spent, whatever else runs on
/// the machine (wall time on a shared machine measures the neighbours too).
qint64 threadCpuNs() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

FrameMeter::FrameMeter(int& argc, char** argv) : QApplication(argc, argv) { m_clock.start(); }

bool FrameMeter::notify(QObject* receiver, QEvent* event) {
    if (QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    const bool outer = t_depth == 0;
    const bool paint = event->type() == QEvent::UpdateRequest || event->type() == QEvent::Paint;
    // The receiver may be gone when notify() returns (DeferredDelete): name it before.
    const int type = int(event->type());
    const char* receiverClass = receiver->metaObject()->className();
    const char* parentClass = receiver->parent() ? receiver->parent()->metaObject()->className() : nullptr;
    const bool widgetPaint = event->type() == QEvent::Paint && m_measuring;
    const qint64 paintStart = widgetPaint ? threadCpuNs() : 0;
    ++t_depth;
    const qint64 start = outer ? threadCpuNs() : 0;
    const qint64 wallStart = outer ? m_clock.nsecsElapsed() : 0;
    const bool result = QApplication::notify(receiver, event);
    --t_depth;
    if (widgetPaint) {
        // Own time only: a parent's paint does not include its children's (they get their own events).
        QString name = QString::fromLatin1(receiverClass);
        if (name == QLatin1String("QWidget") && parentClass) // a viewport: name it by its view
            name = QString::fromLatin1(parentClass) + QStringLiteral(" viewport");
        const double ms = double(threadCpuNs() - paintStart) / 1e6;
        m_paintByClass[name] += ms;
        if (ms > m_topPaintMs) {
            m_topPaintMs = ms;
            m_topPaint = name;
        }
    }
    if (outer) {
        const qint64 spent = threadCpuNs() - start;
        static const bool verbose = qEnvironmentVariableIsSet("CANOPY_BENCH_VERBOSE");
        const qint64 wall = m_clock.nsecsElapsed() - wallStart;
        if (verbose && m_measuring && (spent > 12'000'000 || wall > 100'000'000))
            std::fprintf(stderr, "slow event: %.1f ms CPU, %.1f ms wall, type %d, to %s\n", double(spent) / 1e6, double(wall) / 1e6,
                         type, receiverClass);
        m_busyNs += spent;
        if (m_measuring) {
            const QString what = QString::number(type) + QLatin1Char(' ') + QString::fromLatin1(receiverClass);
            m_eventCost[what] += double(spent) / 1e6;
            if (!paint && double(spent) / 1e6 > m_topEventMs) {
                m_topEventMs = double(spent) / 1e6;
                m_topEvent = what;
            }
        }
        m_wallNs += wall;
        if (paint) {
            m_paintNs += spent;
            m_lastPaintEndNs = m_clock.nsecsElapsed();
            ++m_paintCount;
            if (m_measuring) m_paints.push_back(double(spent) / 1e6);
        }
    }
    return result;
}

void FrameMeter::frameBoundary(qint64 applyNs) {
    if (m_measuring) {
        m_frames.push_back(double(m_busyNs) / 1e6);
        m_breakdowns.push_back({double(m_busyNs) / 1e6, double(m_applyNs) / 1e6, double(m_paintNs) / 1e6, m_topPaint, m_topPaintMs, m_topEvent, m_topEventMs});
        m_wallFrames.push_back(double(m_wallNs) / 1e6);
    }
    m_busyNs = 0;
    m_wallNs = 0;
    m_paintNs = 0;
    m_topPaint.clear();
    m_topPaintMs = 0;
    m_topEvent.clear();
    m_topEventMs = 0;
    m_applyNs = applyNs; // this batch's application belongs to the frame that starts now
}

void FrameMeter::setMeasuring(bool on) {
    m_measuring = on;
    m_busyNs = 0;
    m_paintNs = 0;
}

qint64 FrameMeter::sinceLastPaintNs() const { return m_lastPaintEndNs < 0 ? -1 : m_clock.nsecsElapsed() - m_lastPaintEndNs; }

double FrameMeter::percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const double rank = p / 100.0 * double(values.size() - 1);
    const std::size_t lo = std::size_t(std::floor(rank)), hi = std::size_t(std::ceil(rank));
    return values[lo] + (values[hi] - values[lo]) * (rank - double(lo));
}

} // namespace canopy::bench
