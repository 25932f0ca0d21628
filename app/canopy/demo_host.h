#pragma once
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>

namespace canopy::app {

/// `canopy --demo SYSTEM`: runs one of the demo systems (todo, streams, hangman) in this process on
/// a runtime of one worker thread (so the GUI keeps a core), with a probe on loopback (port 0, a
/// fresh token passed straight to the viewer, commands enabled) and an optional chaos process.
/// The only place the app touches the runtime; builds without the runtime (CANOPY_OBSERVER_ONLY)
/// get a clear error from start().
class DemoHost {
public:
    DemoHost();
    /// Stops the system, the probe and the runtime (in that order).
    ~DemoHost();
    DemoHost(const DemoHost&) = delete;
    DemoHost& operator=(const DemoHost&) = delete;

    /// True when this build can run demos (it has the runtime and the probe).
    static bool available();
    /// The systems start() knows.
    static QStringList systems();

    /// Starts `system` with `chaos` exit signals per second (0 = none) and `seed`. False with
    /// `*error` set (one line) when it cannot.
    bool start(const QString& system, double chaos, std::uint64_t seed, QString* error);
    /// Stops everything (idempotent).
    void stop();
    /// The probe's port and token (valid after start()).
    std::uint16_t port() const;
    QString token() const;
    /// "todo demo (chaos 2/s)" — for the window title.
    QString description() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace canopy::app
