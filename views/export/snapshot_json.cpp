#include "views/export/snapshot_json.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace canopy::exporting {

namespace {

using nlohmann::json;
using introspection::ProcessRecord;

/// Thrown internally with a path-qualified message; caught in fromJson.
struct FieldError {
    std::string message;
};

std::string where(std::size_t index, const char* field) {
    return "processes[" + std::to_string(index) + "]." + field;
}

void readString(const json& obj, const char* field, std::size_t index, std::string& out) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_string()) throw FieldError{where(index, field) + ": expected a string"};
    out = it->get<std::string>();
}

template <typename T>
void readInteger(const json& obj, const char* field, std::size_t index, T& out) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return;
    if constexpr (std::is_unsigned_v<T>) {
        if (!it->is_number_unsigned())
            throw FieldError{where(index, field) + ": expected a non-negative integer"};
        out = it->get<T>();
    } else {
        if (!it->is_number_integer()) throw FieldError{where(index, field) + ": expected an integer"};
        auto v = it->get<std::int64_t>();
        if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            v > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
            throw FieldError{where(index, field) + ": integer out of range"};
        out = static_cast<T>(v);
    }
}

void readBool(const json& obj, const char* field, std::size_t index, bool& out) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_boolean()) throw FieldError{where(index, field) + ": expected true or false"};
    out = it->get<bool>();
}

void readPidList(const json& obj, const char* field, std::size_t index, std::vector<std::uint64_t>& out) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_array()) throw FieldError{where(index, field) + ": expected an array of pids"};
    for (const auto& v : *it) {
        if (!v.is_number_unsigned()) throw FieldError{where(index, field) + ": expected an array of pids"};
        out.push_back(v.get<std::uint64_t>());
    }
}

ProcessRecord readProcess(const json& obj, std::size_t index) {
    if (!obj.is_object()) throw FieldError{"processes[" + std::to_string(index) + "]: expected an object"};
    if (!obj.contains("pid")) throw FieldError{where(index, "pid") + ": missing"};
    ProcessRecord r;
    readInteger(obj, "pid", index, r.pid);
    if (r.pid == 0) throw FieldError{where(index, "pid") + ": 0 is not a pid"};
    readString(obj, "pidText", index, r.pidText);
    if (r.pidText.empty()) r.pidText = "<0." + std::to_string(r.pid) + ".0>";
    readInteger(obj, "parent", index, r.parent);
    readString(obj, "name", index, r.name);
    readString(obj, "childId", index, r.childId);
    readString(obj, "kind", index, r.kind);
    if (r.kind != "worker" && r.kind != "supervisor" && r.kind != "dynamic_supervisor")
        throw FieldError{where(index, "kind") + ": expected worker, supervisor or dynamic_supervisor, got '" +
                         r.kind + "'"};
    readString(obj, "strategy", index, r.strategy);
    readString(obj, "restart", index, r.restart);
    readString(obj, "shutdown", index, r.shutdown);
    readBool(obj, "significant", index, r.significant);
    readString(obj, "status", index, r.status);
    readString(obj, "initialCall", index, r.initialCall);
    readInteger(obj, "mailboxLength", index, r.mailboxLength);
    readInteger(obj, "messagesHandled", index, r.messagesHandled);
    readInteger(obj, "memoryBytes", index, r.memoryBytes);
    readInteger(obj, "restartsInWindow", index, r.restartsInWindow);
    readInteger(obj, "maxRestarts", index, r.maxRestarts);
    readInteger(obj, "maxSeconds", index, r.maxSeconds);
    readInteger(obj, "restartCount", index, r.restartCount);
    readString(obj, "lastExitReason", index, r.lastExitReason);
    readPidList(obj, "links", index, r.links);
    readPidList(obj, "monitors", index, r.monitors);
    readInteger(obj, "startOrder", index, r.startOrder);
    return r;
}

} // namespace

SnapshotJson::Parsed SnapshotJson::fromJson(std::string_view text) {
    Parsed out;
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        out.error = "not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")";
        return out;
    }
    if (!doc.is_object()) {
        out.error = "expected a JSON object with a \"processes\" array";
        return out;
    }
    if (auto f = doc.find("format"); f != doc.end()) {
        if (!f->is_string() || f->get<std::string>() != kFormat) {
            out.error = "format: expected \"" + std::string(kFormat) + "\"";
            return out;
        }
    }
    if (auto v = doc.find("version"); v != doc.end()) {
        if (!v->is_number_integer() || v->get<std::int64_t>() < 1) {
            out.error = "version: expected a positive integer";
            return out;
        }
        if (v->get<std::int64_t>() > kVersion) {
            out.error = "version " + std::to_string(v->get<std::int64_t>()) + " is newer than supported version " +
                        std::to_string(kVersion);
            return out;
        }
    }
    auto procs = doc.find("processes");
    if (procs == doc.end() || !procs->is_array()) {
        out.error = "processes: missing or not an array";
        return out;
    }
    try {
        if (auto t = doc.find("timeNs"); t != doc.end() && !t->is_null()) {
            if (!t->is_number_integer()) throw FieldError{"timeNs: expected an integer"};
            out.snapshot.timeNs = t->get<std::int64_t>();
        }
        std::size_t index = 0;
        for (const auto& p : *procs) {
            ProcessRecord r = readProcess(p, index);
            auto pid = r.pid;
            if (!out.snapshot.processes.emplace(pid, std::move(r)).second)
                throw FieldError{where(index, "pid") + ": duplicate pid " + std::to_string(pid)};
            ++index;
        }
    } catch (const FieldError& e) {
        out.snapshot = {};
        out.error = e.message;
    }
    return out;
}

SnapshotJson::Parsed SnapshotJson::fromFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Parsed out;
        out.error = "cannot read '" + path + "': " + std::strerror(errno);
        return out;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    Parsed out = fromJson(buffer.str());
    if (!out.ok()) out.error = path + ": " + out.error;
    return out;
}

std::string SnapshotJson::toJson(const introspection::TreeSnapshot& snapshot) {
    json procs = json::array();
    for (const auto& [pid, r] : snapshot.processes) {
        json p = json::object();
        p["pid"] = r.pid;
        p["pidText"] = r.pidText;
        p["parent"] = r.parent;
        p["name"] = r.name;
        p["childId"] = r.childId;
        p["kind"] = r.kind;
        p["strategy"] = r.strategy;
        p["restart"] = r.restart;
        p["shutdown"] = r.shutdown;
        p["significant"] = r.significant;
        p["status"] = r.status;
        p["initialCall"] = r.initialCall;
        p["mailboxLength"] = r.mailboxLength;
        p["messagesHandled"] = r.messagesHandled;
        p["memoryBytes"] = r.memoryBytes;
        p["restartsInWindow"] = r.restartsInWindow;
        p["maxRestarts"] = r.maxRestarts;
        p["maxSeconds"] = r.maxSeconds;
        p["restartCount"] = r.restartCount;
        p["lastExitReason"] = r.lastExitReason;
        p["links"] = r.links;
        p["monitors"] = r.monitors;
        p["startOrder"] = r.startOrder;
        procs.push_back(std::move(p));
    }
    json doc = json::object();
    doc["format"] = kFormat;
    doc["version"] = kVersion;
    doc["timeNs"] = snapshot.timeNs;
    doc["processes"] = std::move(procs);
    return doc.dump(2) + "\n";
}

} // namespace canopy::exporting
