// Benchmarks of the real main window (offscreen, 1600x1000), printing:
//   RESULT G2_stream_100k frame_p99_ms <ms> ms   a synthetic probe (in a child process): 100k processes,
//                                                1k lifecycle events/s for 60 s, one forced resync;
//                                                frame = GUI-thread CPU time per applied change batch
//                                                (the batch, then everything until the next one:
//                                                paints, layouts applied, timeline, table); the
//                                                wall-clock figure goes to stderr
//   RESULT G2_stream_100k peak_rss_mb <MB> MB    peak resident memory of the app's process
//   RESULT G3_replay_seek p99_ms <ms> ms         seek to a random moment of a one-hour session until the
//                                                tree is repainted (batch applied; if the structure
//                                                changed, its diagram laid out; then the end of the
//                                                window repaint that paints the tree's viewport)
// Usage: bench_main_window g2 [--seconds S] [--processes N] [--rate EVENTS_PER_S]
//        (CANOPY_BENCH_SCREENSHOT=PATH.png: G2 saves the window as it was at the end)
//        bench_main_window g3 --file SESSION.canopy [--seeks N]
#include "app/canopy/main_window.h"
#include "views/model/process_table_model.h"
#include "bench/gui/frame_meter.h"
#include "bench/gui/synthetic_probe.h"
#include "views/model/session_worker.h"
#include "views/widgets/timeline_widget.h"
#include "views/widgets/tree_view.h"
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <pthread.h>
#include <random>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/// The app's icons and style (a static library's resources are initialised by hand, outside any namespace).
static void initResources() { Q_INIT_RESOURCE(canopy); }

using namespace canopy;
using bench::FrameMeter;

namespace {

double peakRssMb() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

/// Runs the event loop until `done()` or `timeoutMs` (false on timeout). The GUI thread sleeps in
/// the event loop between events (a 5 ms timer wakes it to look again), as the app's does: a loop
/// of processEvents with a time limit spins (it does not wait for events), and on two cores it
/// took CPU from the worker and layout threads (G3: ~60 ms of wall time for a seek's 17 ms of work;
/// G2: the session worker decoding the stream).
template <class Done>
bool waitUntil(Done done, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    QTimer wake;
    wake.start(5);
    while (!done()) {
        if (t.elapsed() > timeoutMs) return false;
        QApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

/// Calls a function on every paint event of the widget it filters.
class PaintWatch : public QObject {
public:
    explicit PaintWatch(std::function<void()> onPaint) : m_onPaint(std::move(onPaint)) {}
    bool eventFilter(QObject*, QEvent* event) override {
        if (event->type() == QEvent::Paint) m_onPaint();
        return false;
    }

private:
    std::function<void()> m_onPaint;
};

int benchG2(int argc, char** argv, double seconds, int processes, int rate) {
    bench::SyntheticProbe::Options options;
    options.seconds = seconds;
    options.eventsPerSecond = rate;
    options.pools = std::max(1, processes / 1000);
    options.workersPerPool = std::max(1, processes / options.pools);
    bench::SyntheticProbe probe(options);
    const std::uint16_t port = probe.port();
    int go[2] = {-1, -1};
    if (::pipe(go) != 0) {
        std::perror("bench_main_window: pipe");
        return 1;
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(go[1]);
        std::_Exit(probe.serveOne(go[0]));
    }
    ::close(go[0]);

    FrameMeter app(argc, argv);
    initResources();
    app::MainWindow window;
    window.setInteractive(false);
    window.resize(1600, 1000);
    window.show();
    QElapsedTimer clock;
    clock.start();
    std::uint64_t resyncsSeen = 0;
    QObject::connect(&window, &app::MainWindow::batchApplied, &app, [&](qint64 ns) {
        app.frameBoundary(ns);
        resyncsSeen = std::max<std::uint64_t>(resyncsSeen, window.sessionState().resyncs);
        static std::string lastMessage;
        if (window.sessionState().message != lastMessage) {
            lastMessage = window.sessionState().message;
            std::fprintf(stderr, "G2: at %.1f s the session says: %s\n", clock.elapsed() / 1000.0, lastMessage.c_str());
        }
    });
    window.attach(QStringLiteral("127.0.0.1"), port, {});
    // Warm-up: the 100k keyframe decoded, applied and laid out, then three more seconds.
    if (!waitUntil([&] { return window.processModel()->rowCount() >= processes && window.diagramsApplied() > 0 &&
                               !window.treeView()->layoutPending(); },
                  120000)) {
        std::fprintf(stderr, "bench_main_window: G2: the tree was not shown within 120 s\n");
        ::kill(child, SIGKILL);
        return 1;
    }
    std::fprintf(stderr, "G2: first tree after %.1f s (%d processes in the table)\n", clock.elapsed() / 1000.0,
                 window.processModel()->rowCount());
    waitUntil([&] { return false; }, 3000);
    // Now the events (and, halfway, the forced resync) begin: all of them are measured.
    const std::uint64_t resyncsBefore = resyncsSeen;
    const qint64 streamStartMs = clock.elapsed();
    app.setMeasuring(true);
    if (::write(go[1], "g", 1) != 1) {
        std::perror("bench_main_window: G2: go");
        ::kill(child, SIGKILL);
        return 1;
    }
    int status = 0;
    const int budgetMs = int(seconds * 1000) + 30000;
    waitUntil([&] { return ::waitpid(child, &status, WNOHANG) == child; }, budgetMs);
    app.setMeasuring(false);
    ::close(go[1]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        // The connection ended early: let the app say why (its next batch carries the state).
        waitUntil([&] { return window.sessionState().kind != introspection::SessionState::Kind::Live; }, 3000);
    }
    std::fprintf(stderr, "G2: the probe streamed for %.1f s (exit status %d); the session now: %s\n",
                 double(clock.elapsed() - streamStartMs) / 1000.0, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                 window.sessionState().message.c_str());
    const auto& frames = app.frames();
    const double p50 = FrameMeter::percentile(frames, 50), p99 = FrameMeter::percentile(frames, 99);
    const double paint99 = FrameMeter::percentile(app.paints(), 99);
    std::fprintf(stderr, "G2: %zu frames (GUI-thread CPU time), p50 %.2f ms, p99 %.2f ms, max %.2f ms; repaints p99 %.2f ms; "
                         "resyncs seen %llu\n",
                 frames.size(), p50, p99, FrameMeter::percentile(frames, 100), paint99,
                 (unsigned long long)(resyncsSeen - resyncsBefore));
    std::fprintf(stderr, "G2: the same frames in wall-clock time: p50 %.2f ms, p99 %.2f ms (load average now: see uptime)\n",
                 FrameMeter::percentile(app.wallFrames(), 50), FrameMeter::percentile(app.wallFrames(), 99));
    {
        std::vector<double> apply, paint, other;
        for (const auto& b : app.breakdowns()) {
            apply.push_back(b.apply);
            paint.push_back(b.paint);
            other.push_back(b.total - b.apply - b.paint);
        }
        std::fprintf(stderr, "G2: per frame median / p99: batch %.1f / %.1f ms, repaints %.1f / %.1f ms, other %.1f / %.1f ms\n",
                     FrameMeter::percentile(apply, 50), FrameMeter::percentile(apply, 99), FrameMeter::percentile(paint, 50),
                     FrameMeter::percentile(paint, 99), FrameMeter::percentile(other, 50), FrameMeter::percentile(other, 99));
    }
    for (const auto& [name, ms] : app.paintByClass())
        if (ms > 50) std::fprintf(stderr, "G2: paint of %s: %.0f ms in all\n", qPrintable(name), ms);
    {
        std::vector<std::pair<double, QString>> costs;
        for (const auto& [what, ms] : app.eventCost()) costs.emplace_back(ms, what);
        std::sort(costs.rbegin(), costs.rend());
        for (std::size_t i = 0; i < costs.size() && i < 8; ++i)
            std::fprintf(stderr, "G2: events %s: %.0f ms in all\n", qPrintable(costs[i].second), costs[i].first);
    }
    auto worst = app.breakdowns();
    std::sort(worst.begin(), worst.end(), [](const auto& a, const auto& b) { return a.total > b.total; });
    for (std::size_t i = 0; i < worst.size() && i < 8; ++i)
        std::fprintf(stderr, "G2: slow frame %.1f ms = batch %.1f + repaints %.1f + other %.1f (longest paint: %s %.1f ms; costliest "
                             "other event: %s %.1f ms)\n",
                     worst[i].total, worst[i].apply, worst[i].paint, worst[i].total - worst[i].apply - worst[i].paint,
                     qPrintable(worst[i].topPaint), worst[i].topPaintMs, qPrintable(worst[i].topEvent), worst[i].topEventMs);
    if (const char* shot = std::getenv("CANOPY_BENCH_SCREENSHOT"); shot && *shot) {
        // What the window showed at the end (to compare the look of two builds).
        if (!window.grab().save(QString::fromLocal8Bit(shot))) std::fprintf(stderr, "G2: could not write %s\n", shot);
    }
    std::printf("RESULT G2_stream_100k frame_p99_ms %.2f ms\n", p99);
    std::printf("RESULT G2_stream_100k peak_rss_mb %.1f MB\n", peakRssMb());
    if (resyncsSeen == resyncsBefore) {
        std::fprintf(stderr, "bench_main_window: G2: the forced resync was not seen by the app (its state counts no resync)\n");
        return 1;
    }
    return frames.empty() ? 1 : 0;
}

int benchG3(int argc, char** argv, const std::string& file, int seeks) {
    FrameMeter app(argc, argv);
    initResources();
    app::MainWindow window;
    window.setInteractive(false);
    window.resize(1600, 1000);
    window.show();
    std::shared_ptr<const views::ChangeBatch> lastBatch;
    int batches = 0;
    QObject::connect(window.worker(), &views::SessionWorker::batchReady, &window,
                     [&](std::shared_ptr<const views::ChangeBatch> b) {
                         lastBatch = b;
                         ++batches;
                     });
    window.openFile(QString::fromStdString(file), 0);
    // The file's tree: the session's length known (the reset before the open posts an empty diagram
    // of its own, which a loaded machine can apply before the file's first batch arrives).
    if (!waitUntil([&] { return window.durationNs() > 0 && window.diagramsApplied() > 0 && !window.treeView()->layoutPending(); },
                   120000)) {
        std::fprintf(stderr, "bench_main_window: G3: %s was not shown within 120 s\n", file.c_str());
        return 1;
    }
    const std::int64_t duration = window.durationNs();
    std::fprintf(stderr, "G3: %s, %.0f s long\n", file.c_str(), double(duration) / 1e9);
    // The whole timeline comes from the file's index at once (a replay refines it in the background,
    // at a lower priority, while the seeks run: as for a user who opens a file and starts clicking).
    QElapsedTimer scan;
    scan.start();
    if (!waitUntil([&] { return window.timelineComplete(); }, 30000)) {
        std::fprintf(stderr, "bench_main_window: G3: the timeline was not complete within 30 s of the tree\n");
        return 1;
    }
    std::fprintf(stderr, "G3: whole timeline shown %.2f s after the tree (%zu points, %zu markers; from the index)\n",
                 scan.elapsed() / 1000.0, window.timeline()->data().points.size(), window.timeline()->data().markers.size());
    if (!window.timeline()->data().nextCrash(0) && window.timeline()->data().markers.empty())
        std::fprintf(stderr, "G3: (the session has no crashes or restarts to mark)\n");
    // CPU time of the two threads a seek runs on (the worker seeks, the GUI thread applies and
    // paints): not inflated by the background replay, not by other processes' load.
    clockid_t workerClock{};
    bool haveWorkerClock = false;
    QMetaObject::invokeMethod(
        window.worker(), [&] { haveWorkerClock = ::pthread_getcpuclockid(::pthread_self(), &workerClock) == 0; },
        Qt::BlockingQueuedConnection);
    auto cpuMs = [](clockid_t id) {
        timespec ts{};
        ::clock_gettime(id, &ts);
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    auto workerCpuMs = [&] { return haveWorkerClock ? cpuMs(workerClock) : 0.0; };
    auto threadCpuMs = [&] { return cpuMs(CLOCK_THREAD_CPUTIME_ID) + workerCpuMs(); };
    std::mt19937_64 random(7);
    std::vector<double> times, toBatch, toDiagram, cpu, threadCpu, workerCpu;
    struct Seek {
        double total, batch, laidOut, cpu, layoutMs;
    };
    std::vector<Seek> slowest;
    auto processCpuMs = [] {
        timespec ts{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    int structural = 0;
    // Paints of the tree's viewport: the first one showing the landed moment ends a seek.
    constexpr quint64 kNone = ~quint64(0);
    quint64 treePaintedIn = kNone; // top-level repaints finished before the one that painted it
    std::function<bool()> landed = [] { return false; };
    PaintWatch watch([&] {
        if (treePaintedIn == kNone && landed()) treePaintedIn = app.paintCount();
    });
    window.treeView()->viewport()->installEventFilter(&watch);
    app.setMeasuring(true);
    for (int i = 0; i < seeks; ++i) {
        // A moment apart from the layout rate limit (4 Hz): as a user clicking on the timeline.
        waitUntil([&] { return false; }, 300);
        const std::int64_t target = std::int64_t(random() % std::uint64_t(std::max<std::int64_t>(duration, 1)));
        const int batchesBefore = batches;
        const int diagramsBefore = window.diagramsApplied();
        treePaintedIn = kNone;
        // The tree shows the moment: its batch applied and, if the structure changed, its diagram laid out.
        landed = [&, target, batchesBefore, diagramsBefore] {
            if (batches <= batchesBefore || window.timeNs() != target) return false;
            const bool structureChanged = lastBatch && lastBatch->changes.structureChanged();
            return !structureChanged || (window.diagramsApplied() > diagramsBefore && !window.treeView()->layoutPending());
        };
        QElapsedTimer t;
        t.start();
        const double cpuStart = processCpuMs();
        const double threadCpuStart = threadCpuMs();
        const double workerCpuStart = workerCpuMs();
        window.worker()->requestSeek(target);
        if (!waitUntil([&] { return batches > batchesBefore && window.timeNs() == target; }, 30000)) {
            std::fprintf(stderr, "bench_main_window: G3: seek to %lld ns was not answered\n", (long long)target);
            return 1;
        }
        toBatch.push_back(double(t.nsecsElapsed()) / 1e6);
        const bool structure = lastBatch && lastBatch->changes.structureChanged();
        if (structure) {
            ++structural;
            waitUntil([&] { return window.diagramsApplied() > diagramsBefore; }, 30000);
            toDiagram.push_back(double(t.nsecsElapsed()) / 1e6);
            waitUntil([&] { return !window.treeView()->layoutPending(); }, 30000);
        }
        const double laidOut = double(t.nsecsElapsed()) / 1e6;
        // The tree's repaint may already have happened while waiting above (the layout applied and
        // its repaint can come in one pass of the event loop): wait for the paint of the tree's
        // viewport that showed the landed moment, not for the next repaint of anything. Back in
        // this loop, that paint has finished (it may have run nested in another event, so the
        // count of top-level repaints is no sign of it: waiting for the next one took up to 10 s).
        if (!waitUntil([&] { return treePaintedIn != kNone; }, 30000)) {
            std::fprintf(stderr, "bench_main_window: G3: the tree was not repainted after the seek to %lld ns\n", (long long)target);
            return 1;
        }
        times.push_back(double(t.nsecsElapsed()) / 1e6);
        cpu.push_back(processCpuMs() - cpuStart);
        threadCpu.push_back(threadCpuMs() - threadCpuStart);
        workerCpu.push_back(workerCpuMs() - workerCpuStart);
        slowest.push_back({times.back(), toBatch.back(), laidOut, threadCpu.back(), window.treeView()->layoutInfo().workerMs});
    }
    app.setMeasuring(false);
    // Where the slowest seeks waited (wall ms from the request): a stall with little CPU is the
    // machine's load or the background replay, not the seek's own work.
    std::sort(slowest.begin(), slowest.end(), [](const auto& a, const auto& b) { return a.total > b.total; });
    for (std::size_t i = 0; i < slowest.size() && i < 3; ++i)
        std::fprintf(stderr, "G3: slow seek %.1f ms: batch applied at %.1f, laid out at %.1f, repainted at %.1f; CPU %.1f ms; layout thread %.1f ms\n",
                     slowest[i].total, slowest[i].batch, slowest[i].laidOut, slowest[i].total, slowest[i].cpu, slowest[i].layoutMs);
    std::fprintf(stderr, "G3: GUI thread: %zu repaints in all (%.1f per seek), each median %.1f / p99 %.1f ms CPU\n",
                 app.paints().size(), double(app.paints().size()) / std::max(1, seeks), FrameMeter::percentile(app.paints(), 50),
                 FrameMeter::percentile(app.paints(), 99));
    {
        std::vector<std::pair<double, QString>> costs;
        for (const auto& [what, ms] : app.eventCost()) costs.emplace_back(ms, what);
        std::sort(costs.rbegin(), costs.rend());
        for (std::size_t i = 0; i < costs.size() && i < 5; ++i)
            std::fprintf(stderr, "G3: GUI events %s: %.0f ms in all\n", qPrintable(costs[i].second), costs[i].first);
    }
    for (const auto& [name, ms] : app.paintByClass())
        if (ms > 20) std::fprintf(stderr, "G3: paint of %s: %.0f ms in all\n", qPrintable(name), ms);
    std::fprintf(stderr, "G3: timeline refined by the replay: %s (%.0f s after the tree)\n",
                 window.timelineRefined() ? "yes" : "not yet", scan.elapsed() / 1000.0);
    std::fprintf(stderr, "G3: %d seeks, median %.1f ms, p99 %.1f ms, max %.1f ms\n", seeks, FrameMeter::percentile(times, 50),
                 FrameMeter::percentile(times, 99), FrameMeter::percentile(times, 100));
    std::fprintf(stderr, "G3: batch applied after median %.1f / p99 %.1f ms; %d seeks changed the structure: diagram after median "
                         "%.1f / p99 %.1f ms; layout engine %s, %d nodes\n",
                 FrameMeter::percentile(toBatch, 50), FrameMeter::percentile(toBatch, 99), structural,
                 FrameMeter::percentile(toDiagram, 50), FrameMeter::percentile(toDiagram, 99),
                 qPrintable(window.treeView()->layoutInfo().engine), window.treeView()->layoutInfo().nodes);
    std::fprintf(stderr, "G3: CPU time per seek of the worker and GUI threads (what a seek costs, load-independent): median "
                         "%.1f / p99 %.1f ms; of the whole app (with the background replay): median %.1f / p99 %.1f ms\n",
                 FrameMeter::percentile(threadCpu, 50), FrameMeter::percentile(threadCpu, 99), FrameMeter::percentile(cpu, 50),
                 FrameMeter::percentile(cpu, 99));
    std::fprintf(stderr, "G3: of which the worker (seek, batch, diagram): median %.1f / p99 %.1f ms\n",
                 FrameMeter::percentile(workerCpu, 50), FrameMeter::percentile(workerCpu, 99));
    std::printf("RESULT G3_replay_seek p99_ms %.1f ms\n", FrameMeter::percentile(times, 99));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (!std::getenv("QT_QPA_PLATFORM")) ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    if (argc < 2 || (std::strcmp(argv[1], "g2") != 0 && std::strcmp(argv[1], "g3") != 0)) {
        std::fprintf(stderr, "usage: bench_main_window g2 [--seconds S] [--processes N] [--rate EVENTS_PER_S]\n"
                             "       bench_main_window g3 --file SESSION.canopy [--seeks N]\n");
        return 2;
    }
    const std::string mode = argv[1];
    double seconds = 60;
    int processes = 100000, rate = 1000, seeks = 100;
    std::string file;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) {
            std::fprintf(stderr, "bench_main_window: %s needs a value\n", a.c_str());
            return 2;
        }
        const char* value = argv[++i];
        if (a == "--seconds") seconds = std::atof(value);
        else if (a == "--processes") processes = std::atoi(value);
        else if (a == "--rate") rate = std::atoi(value);
        else if (a == "--seeks") seeks = std::atoi(value);
        else if (a == "--file") file = value;
        else {
            std::fprintf(stderr, "bench_main_window: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    int qtArgc = 1;
    if (mode == "g2") return benchG2(qtArgc, argv, seconds, processes, rate);
    if (file.empty()) {
        std::fprintf(stderr, "bench_main_window: g3 needs --file SESSION.canopy (a one-hour session: "
                             "bench_session_seek --keep --file PATH writes one)\n");
        return 2;
    }
    return benchG3(qtArgc, argv, file, seeks);
}
