#include "app/canopyctl/commands.h"
#include "app/canopyctl/session_time_arg.h"
#include "app/canopyctl/target_spec.h"
#include "app/canopyctl/tree_text.h"
#include "introspection/snapshot_loader.h"
#include <algorithm>
#include <cstdio>
#include <iostream>

namespace canopy::app {

void addTopCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("top", "Top N processes by mailbox length, restarts or messages handled");
    auto target = std::make_shared<std::string>();
    auto at = std::make_shared<double>(-1);
    auto n = std::make_shared<int>(10);
    auto by = std::make_shared<std::string>("mailbox");
    cmd->add_option("TARGET", *target, "host:port of a probe, or a .canopy session file")->required();
    addSessionTimeOption(cmd, at);
    cmd->add_option("-n", *n, "How many processes to list (default 10)")->check(CLI::Range(1, 1000000));
    cmd->add_option("--by", *by, "Sort key: mailbox | restarts | messages")
        ->check(CLI::IsMember({"mailbox", "restarts", "messages"}));
    cmd->callback([&global, &exitCode, target, at, n, by]() {
        TargetSpec spec{*target, *at >= 0 ? std::optional<double>(*at) : std::nullopt};
        auto snap = loadTarget(spec, global);
        if (!snap.ok()) {
            exitCode = reportError(snap.error());
            return;
        }
        std::vector<const introspection::ProcessRecord*> v;
        for (const auto& [pid, r] : snap->processes) v.push_back(&r);
        auto key = [&](const introspection::ProcessRecord* r) -> double {
            if (*by == "restarts") return r->restartCount;
            if (*by == "messages") return double(r->messagesHandled);
            return double(r->mailboxLength);
        };
        std::stable_sort(v.begin(), v.end(), [&](auto* a, auto* b) {
            double ka = key(a), kb = key(b);
            return ka != kb ? ka > kb : a->pid < b->pid;
        });
        if (v.size() > std::size_t(*n)) v.resize(std::size_t(*n));
        if (global.json) {
            nlohmann::json arr = nlohmann::json::array();
            for (auto* r : v) arr.push_back(TreeText::toJson(*r));
            nlohmann::json j{{"by", *by}, {"time_s", double(snap->timeNs) / 1e9}, {"total", snap->processes.size()},
                             {"processes", std::move(arr)}};
            std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            std::printf("%-16s %-32s %-18s %10s %9s %14s\n", "PID", "NAME", "KIND", "MAILBOX", "RESTARTS", "MESSAGES");
            for (auto* r : v)
                std::printf("%-16s %-32s %-18s %10lld %9d %14llu\n", r->pidText.c_str(), r->displayName().substr(0, 32).c_str(),
                            r->kind.c_str(), static_cast<long long>(r->mailboxLength), r->restartCount,
                            static_cast<unsigned long long>(r->messagesHandled));
        }
        exitCode = 0;
    });
}

} // namespace canopy::app
