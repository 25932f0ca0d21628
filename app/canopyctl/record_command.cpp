#include "app/canopyctl/commands.h"
#include "app/canopyctl/target_spec.h"
#include "introspection/live_source.h"
#include "introspection/session.h"
#include "introspection/snapshot_loader.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

namespace canopy::app {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void onStopSignal(int) { g_stop.store(true); }

} // namespace

void addRecordCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("record", "Record a live probe's stream into a .canopy session file");
    auto target = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto duration = std::make_shared<double>(0);
    auto hz = std::make_shared<double>(-1);
    auto encoding = std::make_shared<std::string>("cbor");
    cmd->add_option("TARGET", *target, "host:port of a probe")->required();
    cmd->add_option("-o,--output", *out, "Session file to write")->required();
    cmd->add_option("--duration", *duration, "Stop after S seconds (default: until Ctrl-C or the probe closes)")
        ->check(CLI::Range(0.0, 1e7));
    cmd->add_option("--sample-hz", *hz, "Ask the probe for this many samples per second (0..50)")->check(CLI::Range(0.0, 50.0));
    cmd->add_option("--encoding", *encoding, "Frame encoding in the file: json | cbor")->check(CLI::IsMember({"json", "cbor"}));
    auto plain = std::make_shared<bool>(false);
    cmd->add_flag("--uncompressed", *plain, "Write plain frames (session format 1, ~2.4x bigger) instead of compressed ones");
    cmd->callback([&global, &exitCode, target, out, duration, hz, encoding, plain]() {
        using namespace introspection;
        exitCode = 1;
        if (isFileSource(*target) && !LiveSource::parseHostPort(*target).ok()) {
            reportError("record needs a live target host:port, '" + *target + "' is a file");
            return;
        }
        auto hp = LiveSource::parseHostPort(*target);
        if (!hp.ok()) {
            reportError(hp.error());
            return;
        }
        auto token = globalToken(global);
        if (!token.ok()) {
            reportError(token.error());
            return;
        }
        Session::LiveOptions o;
        o.host = hp->first;
        o.port = hp->second;
        o.token = *token;
        o.connectTimeoutMs = global.timeoutMs;
        o.encoding = Encoding::Cbor;
        o.sampleHz = *hz >= 0 ? *hz : 1.0;
        o.client = "canopyctl record";
        auto session = Session::live(o);
        // The file opens with the first keyframe (session time 0 = when the recording began).
        SessionWriter::Options wo;
        wo.encoding = *encoding == "json" ? Encoding::Json : Encoding::Cbor;
        wo.compress = !*plain;
        if (auto s = session->startRecording(*out, wo); !s) {
            reportError(s.error());
            return;
        }
        while (!session->state().finished() && !session->model().hasBase()) session->step(50);
        if (!session->model().hasBase()) {
            session->stopRecording();
            std::remove(out->c_str()); // nothing was recorded
            reportError(session->state().message);
            return;
        }
        g_stop = false;
        auto oldInt = std::signal(SIGINT, onStopSignal);
        auto oldTerm = std::signal(SIGTERM, onStopSignal);
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        const auto until = start + std::chrono::milliseconds(static_cast<long long>(*duration * 1000));
        std::string problem;
        std::string endedBy = "interrupted";
        while (!g_stop.load()) {
            int wait = 200;
            if (*duration > 0) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
                if (left <= 0) {
                    endedBy = "duration reached";
                    break;
                }
                wait = static_cast<int>(std::min<long long>(left, 200));
            }
            session->step(wait);
            if (!session->recording()) {
                problem = "the recording stopped";
                break;
            }
            if (session->state().kind == SessionState::Kind::Ended) {
                endedBy = "probe closed the connection";
                break;
            }
            if (session->state().finished()) {
                problem = session->state().message;
                break;
            }
        }
        std::signal(SIGINT, oldInt);
        std::signal(SIGTERM, oldTerm);
        const SessionIndex idx = session->recordingIndex();
        auto closed = session->stopRecording();
        const double secs = std::chrono::duration<double>(Clock::now() - start).count();
        reportWarnings(session->warnings());
        if (!closed) {
            reportError(closed.error());
            return;
        }
        if (!problem.empty()) std::cerr << "canopyctl: warning: recording stopped: " << problem << "\n";
        if (global.json) {
            nlohmann::json j{{"file", *out}, {"seconds", secs}, {"frames", idx.frames}, {"deltas", idx.deltas},
                             {"samples", idx.samples}, {"keyframes", idx.entries.size()},
                             {"gaps", session->model().gaps()}, {"resyncs", session->state().resyncs},
                             {"ended_by", problem.empty() ? endedBy : "error"},
                             {"processes", session->model().snapshot().processes.size()}};
            std::cout << j.dump(2) << "\n";
        } else {
            std::cerr << "canopyctl: recorded " << idx.frames << " frames (" << idx.entries.size() << " keyframes, "
                      << idx.deltas << " deltas, " << idx.samples << " samples) over " << secs << " s to " << *out
                      << " (" << endedBy << ")\n";
        }
        // What was recorded is kept either way; a recording cut short by an error exits 1.
        exitCode = problem.empty() ? 0 : 1;
    });
}

} // namespace canopy::app
