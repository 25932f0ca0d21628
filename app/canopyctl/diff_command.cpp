#include "app/canopyctl/commands.h"
#include "app/canopyctl/target_spec.h"
#include "app/canopyctl/tree_text.h"
#include "introspection/snapshot_diff.h"
#include "introspection/snapshot_loader.h"
#include <iostream>
#include <set>

namespace canopy::app {

void addDiffCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("diff", "Compare two moments or two sessions: added, removed, restarted processes");
    auto a = std::make_shared<std::string>();
    auto b = std::make_shared<std::string>();
    cmd->add_option("A", *a, "First TARGET[@T] (host:port or a session file, T a moment such as 12.5s, 1500ms or plain seconds)")->required();
    cmd->add_option("B", *b, "Second TARGET[@T]")->required();
    cmd->callback([&global, &exitCode, a, b]() {
        using introspection::ProcessRecord;
        auto specA = TargetSpec::parse(*a);
        auto specB = TargetSpec::parse(*b);
        for (auto* s : {&specA, &specB})
            if (!s->ok()) {
                exitCode = reportError(s->error());
                return;
            }
        auto snapA = loadTarget(*specA, global);
        if (!snapA.ok()) {
            exitCode = reportError(snapA.error());
            return;
        }
        auto snapB = loadTarget(*specB, global);
        if (!snapB.ok()) {
            exitCode = reportError(snapB.error());
            return;
        }
        const bool sameSession = specA->source == specB->source;
        const auto diff = introspection::SnapshotDiff::between(*snapA, *snapB, sameSession);
        nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array(),
                       restarted = nlohmann::json::array(), mailbox = nlohmann::json::array();
        std::string text;
        for (const auto& p : diff.removed) {
            removed.push_back({{"pid", p.pidText}, {"path", p.path}});
            text += "- " + p.pidText + " " + p.path + "\n";
        }
        for (const auto& p : diff.added) {
            added.push_back({{"pid", p.pidText}, {"path", p.path}});
            text += "+ " + p.pidText + " " + p.path + "\n";
        }
        for (const auto& r : diff.restarted) {
            restarted.push_back({{"path", r.path}, {"pid_before", r.pidTextBefore}, {"pid_after", r.pidTextAfter},
                                 {"restarts_before", r.restartsBefore}, {"restarts_after", r.restartsAfter}});
            text += "~ " + r.path + " restarted: " + r.pidTextBefore + " -> " + r.pidTextAfter + ", restarts " +
                    std::to_string(r.restartsBefore) + " -> " + std::to_string(r.restartsAfter) + "\n";
        }
        for (const auto& m : diff.mailbox) {
            mailbox.push_back({{"path", m.path}, {"before", m.before}, {"after", m.after}});
            text += "  " + m.path + " mailbox " + std::to_string(m.before) + " -> " + std::to_string(m.after) + "\n";
        }
        if (global.json) {
            nlohmann::json j{{"a", *a},
                             {"b", *b},
                             {"a_count", snapA->processes.size()},
                             {"b_count", snapB->processes.size()},
                             {"added", added},
                             {"removed", removed},
                             {"restarted", restarted},
                             {"mailbox_changes", mailbox}};
            std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            std::cout << "# " << *a << " (" << snapA->processes.size() << " processes) -> " << *b << " ("
                      << snapB->processes.size() << " processes): " << added.size() << " added, " << removed.size()
                      << " removed, " << restarted.size() << " restarted\n"
                      << text;
        }
        exitCode = 0;
    });
}

} // namespace canopy::app
