#include "app/canopyctl/commands.h"
#include "introspection/saturating.h"
#include "introspection/session_model.h"
#include "introspection/session_reader.h"
#include "introspection/pid_text.h"
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

namespace canopy::app {

namespace {
bool abnormal(const std::string& reason) {
    return !(reason.empty() || reason == "normal" || reason == "shutdown" || reason.rfind("{shutdown", 0) == 0);
}
} // namespace

void addInfoCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("info", "Summarise a session file: duration, counts, crashes");
    auto file = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "A .canopy session file")->required();
    cmd->callback([&global, &exitCode, file]() {
        using namespace introspection;
        SessionReader reader;
        if (auto s = reader.open(*file); !s) {
            std::cerr << "canopyctl: error: " << s.error() << "\n";
            exitCode = 1;
            return;
        }
        SessionModel model;
        model.setStartNs(reader.startNs());
        model.assumeEmpty();
        std::map<std::string, std::uint64_t> byKind;
        std::uint64_t frames = 0, keyframes = 0, samples = 0, deltas = 0, resyncs = 0, maxProcs = 0;
        std::uint64_t firstProcs = 0;
        bool sawFirst = false;
        struct Crash {
            double t;
            std::string who;
            std::string what;
        };
        std::vector<Crash> crashes;
        std::uint64_t abnormalExits = 0;
        reader.forEach(reader.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            ++frames;
            if (auto* d = std::get_if<Delta>(&m)) {
                ++deltas;
                ++byKind[std::string(toString(d->type))];
                const double t = double(introspection::saturating::sub(d->timeNs, reader.startNs())) / 1e9;
                auto name = [&](std::uint64_t pid) {
                    const ProcessRecord* r = model.snapshot().find(pid);
                    return r ? r->pidText + " " + r->displayName() : introspection::pidText(pid);
                };
                if (d->type == DeltaType::Exit && abnormal(d->reason)) {
                    ++abnormalExits;
                    crashes.push_back({t, name(d->pid), "exit: " + d->reason});
                } else if (d->type == DeltaType::SupervisorGaveUp) {
                    crashes.push_back({t, name(d->pid), "supervisor gave up (reached max restart intensity" +
                                                           (d->text.empty() ? std::string() : ", child " + d->text) + ")"});
                } else if (d->type == DeltaType::StartError) {
                    crashes.push_back({t, name(d->peer), "start_error of child " + d->text + ": " + d->reason});
                }
            } else if (std::holds_alternative<Keyframe>(m)) {
                ++keyframes;
            } else if (std::holds_alternative<Sample>(m)) {
                ++samples;
            } else if (std::holds_alternative<ResyncNotice>(m)) {
                ++resyncs;
            }
            model.apply(m);
            if (!sawFirst && model.hasBase() && std::holds_alternative<Keyframe>(m)) {
                firstProcs = model.snapshot().processes.size();
                sawFirst = true;
            }
            maxProcs = std::max<std::uint64_t>(maxProcs, model.snapshot().processes.size());
            return true;
        });
        for (const auto& w : reader.warnings()) std::cerr << "canopyctl: " << w << "\n";
        const double duration = double(reader.durationNs()) / 1e9;
        const std::uint64_t restarts = byKind["child_restarted"];
        const std::uint64_t gaveUp = byKind["supervisor_gave_up"];
        if (global.json) {
            nlohmann::json crashList = nlohmann::json::array();
            for (auto& c : crashes) crashList.push_back({{"time_s", c.t}, {"process", c.who}, {"what", c.what}});
            nlohmann::json j{{"file", *file},
                             {"source", reader.header().source},
                             {"created", reader.header().created},
                             {"duration_s", duration},
                             {"frames", frames},
                             {"keyframes", keyframes},
                             {"deltas", deltas},
                             {"samples", samples},
                             {"resyncs", resyncs},
                             {"deltas_by_kind", byKind},
                             {"processes_at_start", firstProcs},
                             {"processes_at_end", model.snapshot().processes.size()},
                             {"processes_max", maxProcs},
                             {"restarts", restarts},
                             {"abnormal_exits", abnormalExits},
                             {"supervisors_gave_up", gaveUp},
                             {"crashes", crashList},
                             {"index", reader.indexRebuilt() ? "rebuilt" : "present"},
                             {"format_version", reader.header().formatVersion},
                             {"compressed", reader.header().formatVersion >= 2},
                             {"sequence_gaps", model.gaps()},
                             {"warnings", reader.warnings()}};
            std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            std::printf("file:       %s\n", file->c_str());
            std::printf("source:     %s (created %s)\n", reader.header().source.c_str(), reader.header().created.c_str());
            std::printf("duration:   %.3f s\n", duration);
            std::printf("frames:     %llu (%llu keyframes, %llu deltas, %llu samples, %llu resyncs)\n",
                        (unsigned long long)frames, (unsigned long long)keyframes, (unsigned long long)deltas,
                        (unsigned long long)samples, (unsigned long long)resyncs);
            std::printf("processes:  %llu at start, %zu at end, %llu at most\n", (unsigned long long)firstProcs,
                        model.snapshot().processes.size(), (unsigned long long)maxProcs);
            std::printf("events:    ");
            for (auto& [k, v] : byKind) std::printf(" %s=%llu", k.c_str(), (unsigned long long)v);
            std::printf("\n");
            std::printf("restarts:   %llu; abnormal exits: %llu; supervisors gave up: %llu\n", (unsigned long long)restarts,
                        (unsigned long long)abnormalExits, (unsigned long long)gaveUp);
            std::printf("index:      %s\n", reader.indexRebuilt() ? "missing (rebuilt by scanning)" : "present");
            std::printf("format:     %d (%s)\n", reader.header().formatVersion,
                        reader.header().formatVersion >= 2 ? "compressed frames" : "plain frames");
            if (model.gaps()) std::printf("gaps:       %llu sequence gaps\n", (unsigned long long)model.gaps());
            if (!crashes.empty()) {
                std::printf("crashes:\n");
                std::size_t shown = 0;
                for (auto& c : crashes) {
                    if (++shown > 20) {
                        std::printf("  ... and %zu more\n", crashes.size() - 20);
                        break;
                    }
                    std::printf("  %10.3f s  %s  %s\n", c.t, c.who.c_str(), c.what.c_str());
                }
            }
        }
        exitCode = 0;
    });
}

} // namespace canopy::app
