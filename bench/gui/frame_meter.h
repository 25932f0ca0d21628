#pragma once
#include <QApplication>
#include <QElapsedTimer>
#include <map>
#include <vector>

namespace canopy::bench {

/// The benchmarks' QApplication: an event-loop hook that adds up the GUI thread's busy time (the
/// thread's CPU time in every event it delivers at the outermost level: queued batches and diagrams,
/// timers, update requests that paint) and cuts it into frames at each applied change batch: a
/// frame is one batch applied plus everything the GUI thread did until the next one. Paint time is
/// also kept on its own, and the same frames in wall-clock time (which on a shared machine include
/// time the thread waited for a core).
class FrameMeter : public QApplication {
public:
    FrameMeter(int& argc, char** argv);

    bool notify(QObject* receiver, QEvent* event) override;
    /// Closes the current frame (call when a batch was applied; `applyNs` = what applying it took);
    /// frames count only while measuring.
    void frameBoundary(qint64 applyNs = 0);
    /// One frame's parts (ms): the batch, repaints, the rest (layouts applied, timers, timeline...).
    struct Breakdown {
        double total = 0, apply = 0, paint = 0;
        /// The widget whose own paint took longest in the frame, and how long (ms).
        QString topPaint;
        double topPaintMs = 0;
        /// The costliest other event of the frame ("type receiver class"), and its cost (ms).
        QString topEvent;
        double topEventMs = 0;
    };
    /// The frames' parts, in order.
    const std::vector<Breakdown>& breakdowns() const { return m_breakdowns; }
    /// Starts / stops recording frames.
    void setMeasuring(bool on);
    /// GUI-thread milliseconds per recorded frame, and per top-level repaint.
    const std::vector<double>& frames() const { return m_frames; }
    const std::vector<double>& paints() const { return m_paints; }
    /// CPU milliseconds spent in Paint events per widget class while measuring.
    const std::map<QString, double>& paintByClass() const { return m_paintByClass; }
    /// CPU milliseconds per kind of event delivered at the outermost level ("type receiver class").
    const std::map<QString, double>& eventCost() const { return m_eventCost; }
    /// The same frames in wall-clock milliseconds.
    const std::vector<double>& wallFrames() const { return m_wallFrames; }
    /// Nanoseconds since the last top-level repaint finished (-1 before any).
    qint64 sinceLastPaintNs() const;
    /// Top-level repaints so far.
    quint64 paintCount() const { return m_paintCount; }

    /// The p-th percentile (0..100) of `values` (0 when empty).
    static double percentile(std::vector<double> values, double p);

private:
    std::map<QString, double> m_paintByClass;
    std::map<QString, double> m_eventCost;
    qint64 m_busyNs = 0;
    qint64 m_wallNs = 0;
    std::vector<double> m_wallFrames;
    qint64 m_paintNs = 0;
    qint64 m_applyNs = 0;
    std::vector<Breakdown> m_breakdowns;
    QString m_topPaint;
    double m_topPaintMs = 0;
    QString m_topEvent;
    double m_topEventMs = 0;
    bool m_measuring = false;
    std::vector<double> m_frames;
    std::vector<double> m_paints;
    QElapsedTimer m_clock;
    qint64 m_lastPaintEndNs = -1;
    quint64 m_paintCount = 0;
};

} // namespace canopy::bench
