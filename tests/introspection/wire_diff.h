#pragma once
// Test helper: compares two wire messages field by field, every member written out by hand (not
// through the wire table, so a field the table forgets is still compared). Used by the codec
// round-trip tests and the fuzz targets' decode(encode(x)) == x checks.
#include "introspection/wire_message.h"
#include <cmath>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace canopy::introspection::testing {

/// Field-by-field comparison of wire messages and their parts.
class WireDiff {
public:
    /// The first member in which `a` and `b` differ, as `Delta.maxSeconds: 5 != 0`; "" when equal.
    static std::string between(const WireMessage& a, const WireMessage& b) {
        WireDiff d;
        if (a.index() != b.index()) return "different message types";
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                d.compare(std::string(messageTypeName(a)), x, std::get<T>(b));
            },
            a);
        return d.m_first;
    }
    /// The same for two process records ("" when equal).
    static std::string between(const ProcessRecord& a, const ProcessRecord& b) {
        WireDiff d;
        d.compare("process", a, b);
        return d.m_first;
    }

private:
    std::string m_first;

    bool done() const { return !m_first.empty(); }
    void differ(const std::string& path, const std::string& x, const std::string& y) {
        if (!done()) m_first = path + ": " + x + " != " + y;
    }
    template <class T>
    static std::string show(const T& v) {
        std::ostringstream o;
        o << v;
        return o.str();
    }
    static std::string show(const std::string& v) { return '"' + v + '"'; }

    // Leaves.
    template <class T>
        requires std::is_arithmetic_v<T>
    void compare(const std::string& path, const T& x, const T& y) {
        if constexpr (std::is_floating_point_v<T>) {
            if ((std::isnan(x) && std::isnan(y)) || x == y) return;
        } else if (x == y) {
            return;
        }
        differ(path, show(x), show(y));
    }
    void compare(const std::string& path, const std::string& x, const std::string& y) {
        if (x != y) differ(path, show(x), show(y));
    }
    void compare(const std::string& path, const DeltaType& x, const DeltaType& y) {
        if (x != y) differ(path, show(int(x)), show(int(y)));
    }
    template <class A, class B>
    void compare(const std::string& path, const std::pair<A, B>& x, const std::pair<A, B>& y) {
        compare(path + ".first", x.first, y.first);
        compare(path + ".second", x.second, y.second);
    }
    template <class T>
    void compare(const std::string& path, const std::vector<T>& x, const std::vector<T>& y) {
        if (x.size() != y.size()) return differ(path + ".size()", show(x.size()), show(y.size()));
        for (std::size_t i = 0; i < x.size() && !done(); ++i) compare(path + "[" + std::to_string(i) + "]", x[i], y[i]);
    }
    template <class T>
    void compare(const std::string& path, const std::optional<T>& x, const std::optional<T>& y) {
        if (x.has_value() != y.has_value()) return differ(path + ".has_value()", show(x.has_value()), show(y.has_value()));
        if (x) compare(path, *x, *y);
    }

#define CANOPY_WIRE_DIFF_FIELD(member) compare(path + "." #member, x.member, y.member)

    // Parts.
    void compare(const std::string& path, const ProcessRecord& x, const ProcessRecord& y) {
        CANOPY_WIRE_DIFF_FIELD(pid);
        CANOPY_WIRE_DIFF_FIELD(pidText);
        CANOPY_WIRE_DIFF_FIELD(parent);
        CANOPY_WIRE_DIFF_FIELD(name);
        CANOPY_WIRE_DIFF_FIELD(childId);
        CANOPY_WIRE_DIFF_FIELD(kind);
        CANOPY_WIRE_DIFF_FIELD(strategy);
        CANOPY_WIRE_DIFF_FIELD(restart);
        CANOPY_WIRE_DIFF_FIELD(shutdown);
        CANOPY_WIRE_DIFF_FIELD(significant);
        CANOPY_WIRE_DIFF_FIELD(status);
        CANOPY_WIRE_DIFF_FIELD(initialCall);
        CANOPY_WIRE_DIFF_FIELD(mailboxLength);
        CANOPY_WIRE_DIFF_FIELD(messagesHandled);
        CANOPY_WIRE_DIFF_FIELD(memoryBytes);
        CANOPY_WIRE_DIFF_FIELD(reductions);
        CANOPY_WIRE_DIFF_FIELD(restartsInWindow);
        CANOPY_WIRE_DIFF_FIELD(maxRestarts);
        CANOPY_WIRE_DIFF_FIELD(maxSeconds);
        CANOPY_WIRE_DIFF_FIELD(restartStamps);
        CANOPY_WIRE_DIFF_FIELD(restartCount);
        CANOPY_WIRE_DIFF_FIELD(lastExitReason);
        CANOPY_WIRE_DIFF_FIELD(links);
        CANOPY_WIRE_DIFF_FIELD(monitors);
        CANOPY_WIRE_DIFF_FIELD(startOrder);
        // A member added to ProcessRecord without a line above still fails here.
        if (!done() && !(x == y)) differ(path, "records", "differ in a member WireDiff does not list");
    }
    void compare(const std::string& path, const ChildSlotStats& x, const ChildSlotStats& y) {
        CANOPY_WIRE_DIFF_FIELD(supervisor);
        CANOPY_WIRE_DIFF_FIELD(childId);
        CANOPY_WIRE_DIFF_FIELD(restarts);
        CANOPY_WIRE_DIFF_FIELD(lastExit);
    }
    void compare(const std::string& path, const IndexEntry& x, const IndexEntry& y) {
        CANOPY_WIRE_DIFF_FIELD(timeNs);
        CANOPY_WIRE_DIFF_FIELD(offset);
        CANOPY_WIRE_DIFF_FIELD(seq);
    }
    void compare(const std::string& path, const TimelineSummary& x, const TimelineSummary& y) {
        CANOPY_WIRE_DIFF_FIELD(startNs);
        CANOPY_WIRE_DIFF_FIELD(endNs);
        CANOPY_WIRE_DIFF_FIELD(minProcesses);
        CANOPY_WIRE_DIFF_FIELD(maxProcesses);
        CANOPY_WIRE_DIFF_FIELD(maxTotalMailbox);
        CANOPY_WIRE_DIFF_FIELD(deltas);
        CANOPY_WIRE_DIFF_FIELD(spawns);
        CANOPY_WIRE_DIFF_FIELD(exits);
        CANOPY_WIRE_DIFF_FIELD(abnormalExits);
        CANOPY_WIRE_DIFF_FIELD(restarts);
        CANOPY_WIRE_DIFF_FIELD(giveUps);
        CANOPY_WIRE_DIFF_FIELD(firstAbnormalNs);
        CANOPY_WIRE_DIFF_FIELD(lastAbnormalNs);
    }
    void compare(const std::string& path, const GiveUpEvent& x, const GiveUpEvent& y) {
        CANOPY_WIRE_DIFF_FIELD(timeNs);
        CANOPY_WIRE_DIFF_FIELD(supervisor);
        CANOPY_WIRE_DIFF_FIELD(childId);
        CANOPY_WIRE_DIFF_FIELD(reason);
    }

    // Messages.
    void compare(const std::string& path, const Hello& x, const Hello& y) {
        CANOPY_WIRE_DIFF_FIELD(magic);
        CANOPY_WIRE_DIFF_FIELD(versionMajor);
        CANOPY_WIRE_DIFF_FIELD(versionMinor);
        CANOPY_WIRE_DIFF_FIELD(capabilities);
        CANOPY_WIRE_DIFF_FIELD(token);
        CANOPY_WIRE_DIFF_FIELD(encoding);
        CANOPY_WIRE_DIFF_FIELD(client);
    }
    void compare(const std::string& path, const Welcome& x, const Welcome& y) {
        CANOPY_WIRE_DIFF_FIELD(versionMajor);
        CANOPY_WIRE_DIFF_FIELD(versionMinor);
        CANOPY_WIRE_DIFF_FIELD(encoding);
        CANOPY_WIRE_DIFF_FIELD(capabilities);
        CANOPY_WIRE_DIFF_FIELD(startNs);
        CANOPY_WIRE_DIFF_FIELD(nowNs);
        CANOPY_WIRE_DIFF_FIELD(server);
        CANOPY_WIRE_DIFF_FIELD(commandsEnabled);
    }
    void compare(const std::string& path, const Refusal& x, const Refusal& y) {
        CANOPY_WIRE_DIFF_FIELD(code);
        CANOPY_WIRE_DIFF_FIELD(message);
        CANOPY_WIRE_DIFF_FIELD(serverMajor);
        CANOPY_WIRE_DIFF_FIELD(serverMinor);
        CANOPY_WIRE_DIFF_FIELD(clientMajor);
        CANOPY_WIRE_DIFF_FIELD(clientMinor);
    }
    void compare(const std::string& path, const Keyframe& x, const Keyframe& y) {
        CANOPY_WIRE_DIFF_FIELD(seq);
        CANOPY_WIRE_DIFF_FIELD(timeNs);
        CANOPY_WIRE_DIFF_FIELD(processes);
        CANOPY_WIRE_DIFF_FIELD(childSlots);
        CANOPY_WIRE_DIFF_FIELD(ghosts);
    }
    void compare(const std::string& path, const Delta& x, const Delta& y) {
        CANOPY_WIRE_DIFF_FIELD(seq);
        CANOPY_WIRE_DIFF_FIELD(timeNs);
        CANOPY_WIRE_DIFF_FIELD(type);
        CANOPY_WIRE_DIFF_FIELD(pid);
        CANOPY_WIRE_DIFF_FIELD(peer);
        CANOPY_WIRE_DIFF_FIELD(text);
        CANOPY_WIRE_DIFF_FIELD(reason);
        CANOPY_WIRE_DIFF_FIELD(strategy);
        CANOPY_WIRE_DIFF_FIELD(restartsInWindow);
        CANOPY_WIRE_DIFF_FIELD(maxRestarts);
        CANOPY_WIRE_DIFF_FIELD(maxSeconds);
        CANOPY_WIRE_DIFF_FIELD(process);
    }
    void compare(const std::string& path, const Sample& x, const Sample& y) {
        CANOPY_WIRE_DIFF_FIELD(timeNs);
        CANOPY_WIRE_DIFF_FIELD(processCount);
        CANOPY_WIRE_DIFF_FIELD(totalMailbox);
        CANOPY_WIRE_DIFF_FIELD(messageRate);
        CANOPY_WIRE_DIFF_FIELD(mailboxes);
        CANOPY_WIRE_DIFF_FIELD(handled);
    }
    void compare(const std::string& path, const ResyncNotice& x, const ResyncNotice& y) {
        CANOPY_WIRE_DIFF_FIELD(dropped);
        CANOPY_WIRE_DIFF_FIELD(reason);
    }
    void compare(const std::string& path, const Subscribe& x, const Subscribe& y) {
        CANOPY_WIRE_DIFF_FIELD(root);
        CANOPY_WIRE_DIFF_FIELD(sampleHz);
    }
    void compare(const std::string&, const KeyframeRequest&, const KeyframeRequest&) {}
    void compare(const std::string& path, const Command& x, const Command& y) {
        CANOPY_WIRE_DIFF_FIELD(id);
        CANOPY_WIRE_DIFF_FIELD(action);
        CANOPY_WIRE_DIFF_FIELD(pid);
        CANOPY_WIRE_DIFF_FIELD(supervisor);
        CANOPY_WIRE_DIFF_FIELD(childId);
        CANOPY_WIRE_DIFF_FIELD(reason);
    }
    void compare(const std::string& path, const CommandResult& x, const CommandResult& y) {
        CANOPY_WIRE_DIFF_FIELD(id);
        CANOPY_WIRE_DIFF_FIELD(ok);
        CANOPY_WIRE_DIFF_FIELD(message);
    }
    void compare(const std::string& path, const SessionHeader& x, const SessionHeader& y) {
        CANOPY_WIRE_DIFF_FIELD(formatVersion);
        CANOPY_WIRE_DIFF_FIELD(protocolMajor);
        CANOPY_WIRE_DIFF_FIELD(protocolMinor);
        CANOPY_WIRE_DIFF_FIELD(startNs);
        CANOPY_WIRE_DIFF_FIELD(created);
        CANOPY_WIRE_DIFF_FIELD(source);
    }
    void compare(const std::string& path, const SessionIndex& x, const SessionIndex& y) {
        CANOPY_WIRE_DIFF_FIELD(entries);
        CANOPY_WIRE_DIFF_FIELD(endNs);
        CANOPY_WIRE_DIFF_FIELD(frames);
        CANOPY_WIRE_DIFF_FIELD(deltas);
        CANOPY_WIRE_DIFF_FIELD(samples);
        CANOPY_WIRE_DIFF_FIELD(timeline);
        CANOPY_WIRE_DIFF_FIELD(giveUps);
    }

#undef CANOPY_WIRE_DIFF_FIELD
};

} // namespace canopy::introspection::testing
