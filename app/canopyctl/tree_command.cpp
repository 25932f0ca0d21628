#include "app/canopyctl/commands.h"
#include "app/canopyctl/session_time_arg.h"
#include "app/canopyctl/target_spec.h"
#include "app/canopyctl/tree_text.h"
#include "introspection/snapshot_loader.h"
#include <cstdio>
#include <iostream>

namespace canopy::app {

void addTreeCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("tree", "Print the supervision tree of a live probe or a session file");
    auto target = std::make_shared<std::string>();
    auto at = std::make_shared<double>(-1);
    cmd->add_option("TARGET", *target, "host:port of a probe, or a .canopy session file")->required();
    addSessionTimeOption(cmd, at);
    cmd->callback([&global, &exitCode, target, at]() {
        TargetSpec spec{*target, *at >= 0 ? std::optional<double>(*at) : std::nullopt};
        auto snap = loadTarget(spec, global);
        if (!snap.ok()) {
            exitCode = reportError(snap.error());
            return;
        }
        if (global.json) {
            std::cout << TreeText::toJson(*snap).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            char head[64];
            std::snprintf(head, sizeof head, "%.3f", double(snap->timeNs) / 1e9);
            std::cout << "# " << *target << " at " << head << " s: " << snap->processes.size() << " processes\n";
            std::cout << TreeText::render(*snap);
        }
        exitCode = 0;
    });
}

} // namespace canopy::app
