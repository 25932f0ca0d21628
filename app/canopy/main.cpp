// canopy: the desktop observer. Attach to a live probe, open a recorded session, or run a demo
// system in-process; draw the supervision tree live, replay it on a timeline, diff, export.
#include "introspection/beam_bridge.h"
#include "introspection/live_source.h"
#include "introspection/snapshot_loader.h"
#include "introspection/token_file.h"
#include "app/canopy/demo_host.h"
#include "app/canopy/main_window.h"
#include "app/canopy/screenshot_taker.h"
#include <CLI/CLI.hpp>
#include <QApplication>
#include <QFile>
#include <QStyleFactory>
#include <QTimer>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <regex>

namespace {

struct Options {
    std::string source;
    std::string demo;
    double chaos = 0;
    std::uint64_t seed = 1;
    double atSeconds = -1;
    std::string token;
    std::string tokenFile;
    std::string cookie;
    std::string cookieFile;
    std::string screenshot;
    std::string size = "1600x1000";
    double delaySeconds = -1;
    double timeoutSeconds = 60;
    std::string select;
    std::string diff;
};

bool hasDisplay() {
    auto set = [](const char* name) {
        const char* v = std::getenv(name);
        return v && *v;
    };
    return set("QT_QPA_PLATFORM") || set("DISPLAY") || set("WAYLAND_DISPLAY");
}

int fail(const std::string& message, int code = 2) {
    std::cerr << "canopy: error: " << message << "\n";
    return code;
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App cli{"canopy: the Canopy desktop observer: a live supervision tree, recorded sessions, crash replay, diffs "
                 "and diagram exports.\n\n"
                 "  canopy --demo todo [--chaos 2]     run a demo system in this window\n"
                 "  canopy 127.0.0.1:4040              attach to a live probe\n"
                 "  canopy beam:todo@host[/APP]        attach to an Erlang/Elixir node (runs canopy-beam)\n"
                 "  canopy run.canopy [--at 12.5]      open a recorded session\n"
                 "  canopy                             start page (open, attach, recent)\n"
                 "  canopy --screenshot out.png SOURCE render the window to a PNG and exit",
                 "canopy"};
    cli.add_option("SOURCE", o.source, "HOST:PORT of a probe, beam:NAME@HOST[/APP] of a BEAM node, or a .canopy session file");
    cli.add_option("--demo", o.demo, "Run a demo system in-process: todo, streams or hangman")
        ->check(CLI::IsMember({"todo", "streams", "hangman"}));
    cli.add_option("--chaos", o.chaos, "With --demo: crash random workers at this rate per second")->check(CLI::Range(0.0, 1000.0));
    cli.add_option("--seed", o.seed, "With --demo: seed of the system's random choices");
    cli.add_option("--at", o.atSeconds, "With a session file: open at this many seconds from its start")
        ->check(CLI::Range(0.0, 1e9));
    cli.add_option("--token", o.token, "Token for a live probe (default: --token-file, $CANOPY_TOKEN, ~/.canopy_token)");
    cli.add_option("--token-file", o.tokenFile, "File holding the token for a live probe")->check(CLI::ExistingFile);
    auto* cookie = cli.add_option("--cookie", o.cookie, "With beam:NODE: the Erlang cookie (default ~/.erlang.cookie)");
    cli.add_option("--cookie-file", o.cookieFile, "With beam:NODE: file holding the Erlang cookie")->excludes(cookie);
    cli.add_option("--screenshot", o.screenshot, "Render the window to this PNG once the tree is shown, then exit");
    cli.add_option("--size", o.size, "Window size WxH (default 1600x1000)");
    cli.add_option("--delay", o.delaySeconds,
                   "With --screenshot: wait this long after the tree is shown (default 0.3 s for files, 4 s live)")
        ->check(CLI::Range(0.0, 3600.0));
    cli.add_option("--select", o.select, "Select this process (registered name, display name or <0.N.0>) once it is drawn");
    cli.add_option("--diff", o.diff, "With a session file: compare two moments A:B (seconds), e.g. --diff 2:10");
    cli.add_option("--timeout", o.timeoutSeconds, "With --screenshot: give up after this many seconds (default 60)")
        ->check(CLI::Range(1.0, 3600.0));
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return cli.exit(e);
        return fail(std::string(e.what()) + " (see canopy --help)");
    }

    // Check the combination before touching Qt.
    if (!o.demo.empty() && !o.source.empty()) return fail("give either --demo SYSTEM or a SOURCE, not both");
    if (o.demo.empty() && o.chaos > 0) return fail("--chaos goes with --demo");
    // beam:NODE: canopy-beam runs for the app's lifetime (fresh token, free loopback port).
    std::unique_ptr<canopy::introspection::BeamBridge> bridge;
    if (canopy::introspection::BeamBridge::isTarget(o.source)) {
        if (!o.token.empty() || !o.tokenFile.empty())
            return fail("--token/--token-file do not apply to a beam: target (the bridge gets a fresh token)");
        canopy::introspection::BeamBridge::Options bo;
        bo.cookie = o.cookie;
        bo.cookieFile = o.cookieFile;
        auto started = canopy::introspection::BeamBridge::start(o.source, bo);
        if (!started) return fail(started.error(), 1);
        bridge = std::move(*started);
        o.source = bridge->address();
        o.tokenFile = bridge->tokenFile();
    } else if (!o.cookie.empty() || !o.cookieFile.empty()) {
        return fail("--cookie/--cookie-file go with a beam:NODE source");
    }
    const bool isFile = !o.source.empty() && canopy::introspection::isFileSource(o.source);
    std::optional<std::pair<std::string, std::uint16_t>> hostPort;
    if (!o.source.empty() && !isFile) {
        auto parsed = canopy::introspection::LiveSource::parseHostPort(o.source);
        if (!parsed) {
            if (o.source.find(".canopy") != std::string::npos || o.source.find('/') != std::string::npos)
                return fail(o.source + ": no such file", 1);
            return fail("'" + o.source + "' is neither a session file nor HOST:PORT (" + parsed.error() + ")");
        }
        hostPort = *parsed;
    }
    if (o.atSeconds >= 0 && !isFile) return fail("--at goes with a session file");
    std::optional<std::pair<double, double>> diffMoments;
    if (!o.diff.empty()) {
        std::smatch m;
        if (!std::regex_match(o.diff, m, std::regex(R"(\s*([0-9]*\.?[0-9]+)\s*:\s*([0-9]*\.?[0-9]+)\s*)")))
            return fail("--diff takes two moments in seconds, A:B (e.g. 2:10), not '" + o.diff + "'");
        if (!isFile) return fail("--diff goes with a session file");
        diffMoments = std::make_pair(std::stod(m[1]), std::stod(m[2]));
    }
    int width = 1600, height = 1000;
    {
        std::smatch m;
        if (!std::regex_match(o.size, m, std::regex(R"((\d{3,5})x(\d{3,5}))")))
            return fail("--size must be WxH, e.g. 1600x1000 (got '" + o.size + "')");
        width = std::stoi(m[1]);
        height = std::stoi(m[2]);
    }
    if (!o.screenshot.empty() && o.source.empty() && o.demo.empty())
        return fail("--screenshot needs a SOURCE or --demo SYSTEM to show");
    std::string token;
    if (hostPort) {
        auto resolved = canopy::introspection::resolveToken(o.token, o.tokenFile);
        if (!resolved) return fail(resolved.error());
        token = *resolved;
    }
    if (!o.demo.empty() && !canopy::app::DemoHost::available()) {
        QString why;
        canopy::app::DemoHost().start(QString::fromStdString(o.demo), 0, 1, &why);
        return fail(why.toStdString(), 1);
    }

    if (!hasDisplay()) {
        if (!o.screenshot.empty()) {
            ::setenv("QT_QPA_PLATFORM", "offscreen", 1); // a screenshot needs no screen
        } else {
            std::cerr << "canopy: no display: DISPLAY and WAYLAND_DISPLAY are not set, so there is nowhere to show the window.\n"
                         "  Run it on a virtual display:      xvfb-run -a canopy --demo todo\n"
                         "  Or render one screenshot:         canopy --screenshot todo.png --demo todo\n"
                         "  Or stay headless with the tools:  canopy-demo todo --port 0 --print-tree, then canopyctl tree HOST:PORT\n";
            return 1;
        }
    }

    QApplication app(argc, argv);
    Q_INIT_RESOURCE(canopy);
    QApplication::setOrganizationName(QStringLiteral("Canopy"));
    QApplication::setApplicationName(QStringLiteral("canopy"));
    QApplication::setApplicationVersion(QStringLiteral("0.1"));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/canopy.svg")));
    {
        QFile style(QStringLiteral(":/style/canopy.qss"));
        if (style.open(QIODevice::ReadOnly)) app.setStyleSheet(QString::fromUtf8(style.readAll()));
    }

    canopy::app::MainWindow window;
    const bool screenshot = !o.screenshot.empty();
    int exitCode = 0;
    if (screenshot) {
        window.setInteractive(false);
        window.resize(width, height);
        const bool live = !o.demo.empty() || hostPort.has_value();
        const int delayMs = int((o.delaySeconds >= 0 ? o.delaySeconds : (live ? 4.0 : 0.3)) * 1000);
        auto* taker = new canopy::app::ScreenshotTaker(&window, QString::fromStdString(o.screenshot), delayMs,
                                                       int(o.timeoutSeconds * 1000), &app);
        QObject::connect(taker, &canopy::app::ScreenshotTaker::finished, &app, [&exitCode](int code, const QString& message) {
            (code == 0 ? std::cout : std::cerr) << "canopy: " << (code == 0 ? "" : "error: ") << message.toStdString() << "\n";
            exitCode = code;
            QApplication::exit(code);
        });
        taker->setWaitForDiff(diffMoments.has_value());
        taker->start();
    } else {
        window.resize(width, height);
        window.restoreWindowState();
    }
    if (!o.select.empty()) window.selectWhenShown(QString::fromStdString(o.select));
    if (diffMoments) window.diffWhenShown(std::int64_t(diffMoments->first * 1e9), std::int64_t(diffMoments->second * 1e9));
    window.show();

    if (!o.demo.empty()) {
        if (!window.runDemo(QString::fromStdString(o.demo), o.chaos, o.seed) && screenshot) return 1;
    } else if (isFile) {
        window.openFile(QString::fromStdString(o.source), o.atSeconds >= 0 ? std::int64_t(o.atSeconds * 1e9) : -1);
    } else if (hostPort) {
        window.attach(QString::fromStdString(hostPort->first), hostPort->second, QString::fromStdString(token));
    }
    const int code = app.exec();
    return screenshot ? exitCode : code;
}
