#include "app/canopyctl/commands.h"
#include "app/canopyctl/target_spec.h"
#include "introspection/session.h"
#include "introspection/session_reader.h"
#include "introspection/session_summary.h"
#include "introspection/snapshot_loader.h"
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

namespace canopy::app {

void addInfoCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("info", "Summarise a session file: duration, counts, crashes");
    auto file = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "A .canopy session file")->required();
    cmd->callback([&global, &exitCode, file]() {
        using namespace introspection;
        exitCode = 1;
        if (!isFileSource(*file)) {
            reportError("no such session file: " + *file);
            return;
        }
        auto opened = Session::openFile(*file);
        if (!opened.ok()) {
            reportError(opened.error());
            return;
        }
        SessionReader& reader = *(*opened)->reader();
        SessionSummary summary(reader.startNs());
        reader.forEach(reader.dataBegin(), [&](const WireMessage& m, std::uint64_t) {
            summary.add(m);
            return true;
        });
        const SessionModel& model = summary.model();
        const auto& byKind = summary.deltasByKind;
        const std::uint64_t frames = summary.frames, keyframes = summary.keyframes, deltas = summary.deltas,
                            samples = summary.samples, resyncs = summary.resyncs, maxProcs = summary.processesMax,
                            firstProcs = summary.processesAtStart, abnormalExits = summary.abnormalExits;
        struct Crash {
            double t;
            std::string who;
            std::string what;
        };
        std::vector<Crash> crashes;
        for (const auto& c : summary.crashes) crashes.push_back({double(c.timeNs) / 1e9, c.who, c.what});
        reportWarnings((*opened)->warnings());
        const double duration = double(reader.durationNs()) / 1e9;
        const std::uint64_t restarts = summary.restarts;
        const std::uint64_t gaveUp = summary.giveUps;
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
