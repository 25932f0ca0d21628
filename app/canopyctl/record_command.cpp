#include "app/canopyctl/commands.h"
#include "introspection/live_source.h"
#include "introspection/session_model.h"
#include "introspection/session_writer.h"
#include "introspection/snapshot_loader.h"
#include "introspection/token_file.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

namespace canopy::app {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void onStopSignal(int) { g_stop.store(true); }

std::string isoNow() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}
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
            std::cerr << "canopyctl: error: record needs a live target host:port, '" << *target << "' is a file\n";
            return;
        }
        auto hp = LiveSource::parseHostPort(*target);
        if (!hp.ok()) {
            std::cerr << "canopyctl: error: " << hp.error() << "\n";
            return;
        }
        LiveSource::Options o;
        o.host = hp->first;
        o.port = hp->second;
        auto token = resolveToken(global.token, global.tokenFile);
        if (!token.ok()) {
            std::cerr << "canopyctl: error: " << token.error() << "\n";
            return;
        }
        o.token = *token;
        o.connectTimeoutMs = global.timeoutMs;
        o.encoding = Encoding::Cbor;
        o.client = "canopyctl record";
        LiveSource live;
        if (auto s = live.connect(o); !s) {
            std::cerr << "canopyctl: error: " << s.error() << "\n";
            return;
        }
        if (*hz >= 0) live.send(Subscribe{0, *hz});
        SessionHeader header;
        // Session time 0 = when the recording began (the probe's clock at the handshake).
        header.startNs = live.welcome().nowNs ? live.welcome().nowNs : live.startNs();
        header.created = isoNow();
        header.source = *target + (live.welcome().server.empty() ? "" : " (" + live.welcome().server + ")");
        SessionWriter writer;
        SessionWriter::Options wo;
        wo.encoding = *encoding == "json" ? Encoding::Json : Encoding::Cbor;
        wo.compress = !*plain;
        if (auto s = writer.open(*out, header, wo); !s) {
            std::cerr << "canopyctl: error: " << s.error() << "\n";
            return;
        }
        g_stop = false;
        auto oldInt = std::signal(SIGINT, onStopSignal);
        auto oldTerm = std::signal(SIGTERM, onStopSignal);
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        const auto until = start + std::chrono::milliseconds(static_cast<long long>(*duration * 1000));
        SessionModel model;
        model.setStartNs(header.startNs);
        std::string problem;
        std::string endedBy = "interrupted";
        std::uint64_t gaps = 0, resyncs = 0;
        WireMessage m;
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
            auto st = live.next(m, wait);
            if (st == Source::Outcome::Timeout) continue;
            if (st == Source::Outcome::End) {
                endedBy = "probe closed the connection";
                break;
            }
            if (st == Source::Outcome::Error) {
                problem = live.error();
                break;
            }
            if (std::holds_alternative<ResyncNotice>(m)) ++resyncs;
            auto applied = model.apply(m);
            if (applied == SessionModel::Apply::Gap) {
                ++gaps;
                live.send(KeyframeRequest{});
            }
            if (auto s = writer.write(m); !s) {
                problem = s.error();
                break;
            }
        }
        std::signal(SIGINT, oldInt);
        std::signal(SIGTERM, oldTerm);
        auto idx = writer.index();
        auto closed = writer.close();
        const double secs = std::chrono::duration<double>(Clock::now() - start).count();
        if (!closed) {
            std::cerr << "canopyctl: error: " << closed.error() << "\n";
            return;
        }
        if (!problem.empty()) std::cerr << "canopyctl: warning: recording stopped: " << problem << "\n";
        if (global.json) {
            nlohmann::json j{{"file", *out}, {"seconds", secs}, {"frames", idx.frames}, {"deltas", idx.deltas},
                             {"samples", idx.samples}, {"keyframes", idx.entries.size()}, {"gaps", gaps},
                             {"resyncs", resyncs}, {"ended_by", problem.empty() ? endedBy : "error"},
                             {"processes", model.snapshot().processes.size()}};
            std::cout << j.dump(2) << "\n";
        } else {
            std::cerr << "canopyctl: recorded " << idx.frames << " frames (" << idx.entries.size() << " keyframes, "
                      << idx.deltas << " deltas, " << idx.samples << " samples) over " << secs << " s to " << *out
                      << " (" << endedBy << ")\n";
        }
        exitCode = problem.empty() ? 0 : 2;
    });
}

} // namespace canopy::app
