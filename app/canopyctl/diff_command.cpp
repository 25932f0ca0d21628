#include "app/canopyctl/commands.h"
#include "app/canopyctl/target_spec.h"
#include "app/canopyctl/tree_text.h"
#include "introspection/snapshot_loader.h"
#include <iostream>
#include <set>

namespace canopy::app {

void addDiffCommand(CLI::App& app, const GlobalOptions& global, int& exitCode) {
    auto* cmd = app.add_subcommand("diff", "Compare two moments or two sessions: added, removed, restarted processes");
    auto a = std::make_shared<std::string>();
    auto b = std::make_shared<std::string>();
    cmd->add_option("A", *a, "First TARGET[@T] (host:port or a session file, T in seconds)")->required();
    cmd->add_option("B", *b, "Second TARGET[@T]")->required();
    cmd->callback([&global, &exitCode, a, b]() {
        using introspection::ProcessRecord;
        auto specA = TargetSpec::parse(*a);
        auto specB = TargetSpec::parse(*b);
        for (auto* s : {&specA, &specB})
            if (!s->ok()) {
                std::cerr << "canopyctl: error: " << s->error() << "\n";
                exitCode = 1;
                return;
            }
        auto snapA = loadTarget(*specA, global);
        if (!snapA.ok()) {
            std::cerr << "canopyctl: error: " << snapA.error() << "\n";
            exitCode = 1;
            return;
        }
        auto snapB = loadTarget(*specB, global);
        if (!snapB.ok()) {
            std::cerr << "canopyctl: error: " << snapB.error() << "\n";
            exitCode = 1;
            return;
        }
        const bool sameSession = specA->source == specB->source;
        auto pathsA = TreeText::allPaths(*snapA);
        auto pathsB = TreeText::allPaths(*snapB);
        // Match: same pid within one session, else same path; a matched slot whose pid or restart
        // count changed was restarted.
        std::map<std::uint64_t, std::uint64_t> match; // a pid -> b pid
        std::set<std::uint64_t> matchedB;
        if (sameSession)
            for (auto& [pid, r] : snapA->processes)
                if (snapB->processes.count(pid)) {
                    match[pid] = pid;
                    matchedB.insert(pid);
                }
        std::map<std::string, std::uint64_t> byPathB;
        for (auto& [pid, p] : pathsB)
            if (!matchedB.count(pid)) byPathB.emplace(p, pid);
        for (auto& [pid, p] : pathsA) {
            if (match.count(pid)) continue;
            auto it = byPathB.find(p);
            if (it != byPathB.end() && !matchedB.count(it->second)) {
                match[pid] = it->second;
                matchedB.insert(it->second);
            }
        }
        nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array(),
                       restarted = nlohmann::json::array(), mailbox = nlohmann::json::array();
        std::string text;
        for (auto& [pid, r] : snapA->processes)
            if (!match.count(pid)) {
                removed.push_back({{"pid", r.pidText}, {"path", pathsA[pid]}});
                text += "- " + r.pidText + " " + pathsA[pid] + "\n";
            }
        for (auto& [pid, r] : snapB->processes)
            if (!matchedB.count(pid)) {
                added.push_back({{"pid", r.pidText}, {"path", pathsB[pid]}});
                text += "+ " + r.pidText + " " + pathsB[pid] + "\n";
            }
        for (auto& [pa, pb] : match) {
            const ProcessRecord& ra = snapA->processes.at(pa);
            const ProcessRecord& rb = snapB->processes.at(pb);
            const bool pidChanged = sameSession && pa != pb;
            if (pidChanged || rb.restartCount > ra.restartCount) {
                restarted.push_back({{"path", pathsB[pb]}, {"pid_before", ra.pidText}, {"pid_after", rb.pidText},
                                     {"restarts_before", ra.restartCount}, {"restarts_after", rb.restartCount}});
                text += "~ " + pathsB[pb] + " restarted: " + ra.pidText + " -> " + rb.pidText + ", restarts " +
                        std::to_string(ra.restartCount) + " -> " + std::to_string(rb.restartCount) + "\n";
            }
            if (ra.mailboxLength != rb.mailboxLength) {
                mailbox.push_back({{"path", pathsB[pb]}, {"before", ra.mailboxLength}, {"after", rb.mailboxLength}});
                text += "  " + pathsB[pb] + " mailbox " + std::to_string(ra.mailboxLength) + " -> " +
                        std::to_string(rb.mailboxLength) + "\n";
            }
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
