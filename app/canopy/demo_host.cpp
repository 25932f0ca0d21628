// The --demo glue: the one file of the desktop app that includes the runtime and the probe (only in
// builds that have them, CANOPY_APP_HAVE_DEMO).
// The runtime's headers come before any Qt header: Runtime::emit and Keyframe::slots are words Qt
// defines as macros.
#ifdef CANOPY_APP_HAVE_DEMO
#include "examples/common/chaos_monkey.h"
#include "examples/common/demo_system.h"
#include "introspection/probe/probe.h"
#include "runtime/runtime.h"
#endif
#include "app/canopy/demo_host.h"
#ifdef CANOPY_APP_HAVE_DEMO
#include <QDir>
#include <QTemporaryDir>
#include <atomic>
#include <random>
#endif

namespace canopy::app {

#ifdef CANOPY_APP_HAVE_DEMO

struct DemoHost::Impl {
    QString name;
    double chaos = 0;
    QTemporaryDir dir;
    std::unique_ptr<Runtime> runtime;
    std::unique_ptr<introspection::Probe> probe;
    std::unique_ptr<demo::DemoSystem> system;
    Pid chaosPid;
    std::string token;
};

DemoHost::DemoHost() : m_impl(std::make_unique<Impl>()) {}

DemoHost::~DemoHost() { stop(); }

bool DemoHost::available() { return true; }

QStringList DemoHost::systems() {
    QStringList out;
    for (const auto& n : demo::DemoSystem::names()) out << QString::fromStdString(n);
    return out;
}

bool DemoHost::start(const QString& system, double chaos, std::uint64_t seed, QString* error) {
    auto& d = *m_impl;
    d.system = demo::DemoSystem::create(system.toStdString());
    if (!d.system) {
        if (error) *error = QStringLiteral("unknown demo system '%1' (choose %2)").arg(system, systems().join(QStringLiteral(", ")));
        return false;
    }
    if (!d.dir.isValid()) {
        if (error) *error = QStringLiteral("cannot create a temporary directory for the demo");
        return false;
    }
    d.name = system;
    d.chaos = chaos;
    RuntimeOptions runtimeOptions;
    runtimeOptions.workers = 1; // leave the other cores to the GUI and the session worker
    d.runtime = std::make_unique<Runtime>(runtimeOptions);

    std::random_device random;
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) d.token += digits[random() % 16];
    introspection::ProbeOptions probeOptions;
    probeOptions.port = 0;
    probeOptions.token = d.token;
    probeOptions.tokenFile = QDir(d.dir.path()).filePath(QStringLiteral("token")).toStdString();
    probeOptions.allowCommands = true;
    probeOptions.flightRecorderDir = d.dir.path().toStdString();
    try {
        d.probe = std::make_unique<introspection::Probe>(*d.runtime, probeOptions);
    } catch (const std::exception& e) {
        if (error) *error = QStringLiteral("cannot start the demo's probe: %1").arg(QString::fromUtf8(e.what()));
        d.runtime.reset();
        return false;
    }
    demo::DemoConfig config;
    config.seed = seed;
    config.dataDir = QDir(d.dir.path()).filePath(QStringLiteral("data")).toStdString();
    QDir().mkpath(QString::fromStdString(config.dataDir));
    std::string why;
    if (!d.system->start(*d.runtime, config, &why)) {
        if (error) *error = QStringLiteral("the %1 demo failed to start: %2").arg(system, QString::fromStdString(why));
        d.probe.reset();
        d.runtime.reset();
        return false;
    }
    if (chaos > 0) {
        auto kills = std::make_shared<std::atomic<std::uint64_t>>(0);
        d.chaosPid = demo::ChaosMonkey::start(*d.runtime, d.system->rootName(), chaos, seed, kills);
    }
    return true;
}

void DemoHost::stop() {
    auto& d = *m_impl;
    if (!d.runtime) return;
    if (d.chaosPid) {
        d.runtime->exit(d.chaosPid, ExitReason::kill());
        d.runtime->awaitExit(d.chaosPid, 5000);
        d.chaosPid = Pid{};
    }
    if (d.system) d.system->stop();
    d.probe.reset();
    d.system.reset();
    d.runtime.reset();
}

std::uint16_t DemoHost::port() const { return m_impl->probe ? m_impl->probe->port() : 0; }

QString DemoHost::token() const { return QString::fromStdString(m_impl->token); }

QString DemoHost::description() const {
    if (m_impl->chaos > 0) return QStringLiteral("%1 demo, chaos %2/s").arg(m_impl->name).arg(m_impl->chaos);
    return QStringLiteral("%1 demo").arg(m_impl->name);
}

#else // built without the runtime (CANOPY_OBSERVER_ONLY)

struct DemoHost::Impl {};

DemoHost::DemoHost() : m_impl(std::make_unique<Impl>()) {}
DemoHost::~DemoHost() = default;
bool DemoHost::available() { return false; }
QStringList DemoHost::systems() { return {QStringLiteral("todo"), QStringLiteral("streams"), QStringLiteral("hangman")}; }
bool DemoHost::start(const QString&, double, std::uint64_t, QString* error) {
    if (error)
        *error = QStringLiteral("this canopy was built without the runtime (CANOPY_OBSERVER_ONLY), so --demo is not "
                                "available; run `canopy-demo todo --port 0` from a full build and attach with "
                                "`canopy 127.0.0.1:PORT`");
    return false;
}
void DemoHost::stop() {}
std::uint16_t DemoHost::port() const { return 0; }
QString DemoHost::token() const { return {}; }
QString DemoHost::description() const { return {}; }

#endif

} // namespace canopy::app
