#include "views/export/snapshot_json.h"
#include "introspection/pid_text.h"
#include "introspection/wire_table.h"
#include <algorithm>

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

template <typename T>
void readIntegerList(const json& obj, const char* field, std::size_t index, std::vector<T>& out) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return;
    const char* what = std::is_unsigned_v<T> ? ": expected an array of pids" : ": expected an array of integers";
    if (!it->is_array()) throw FieldError{where(index, field) + what};
    for (const auto& v : *it) {
        if (std::is_unsigned_v<T> ? !v.is_number_unsigned() : !v.is_number_integer())
            throw FieldError{where(index, field) + what};
        out.push_back(v.get<T>());
    }
}

/// Reads one field of the wire table's ProcessRecord entry, under its key or its older spelling.
template <typename T>
void readField(const json& obj, const introspection::wire::Field<ProcessRecord, T>& f, std::size_t index,
               ProcessRecord& r) {
    const std::string key(f.key);
    const std::string alias(f.alias);
    const char* name = key.c_str();
    if (!obj.contains(key) && !alias.empty() && obj.contains(alias)) name = alias.c_str();
    T& out = r.*(f.member);
    if constexpr (std::is_same_v<T, std::string>) readString(obj, name, index, out);
    else if constexpr (std::is_same_v<T, bool>) readBool(obj, name, index, out);
    else if constexpr (std::is_integral_v<T>) readInteger(obj, name, index, out);
    else readIntegerList(obj, name, index, out);
}

ProcessRecord readProcess(const json& obj, std::size_t index, bool ghost = false) {
    if (!obj.is_object()) throw FieldError{"processes[" + std::to_string(index) + "]: expected an object"};
    if (!ghost && !obj.contains("pid")) throw FieldError{where(index, "pid") + ": missing"};
    ProcessRecord r;
    std::apply([&](const auto&... f) { (readField(obj, f, index, r), ...); },
               introspection::wire::Spec<ProcessRecord>::kFields);
    if (ghost) {
        // A child slot with no running process: pid 0 (undefined), under a supervisor, with an id.
        if (r.pid != 0 || r.parent == 0 || r.childId.empty())
            throw FieldError{"ghosts[" + std::to_string(index) + "]: expected pid 0, a parent and a child_id"};
        if (r.status == "waiting") r.status = "undefined";
        return r;
    }
    if (r.pid == 0) throw FieldError{where(index, "pid") + ": 0 is not a pid"};
    if (r.pidText.empty()) r.pidText = introspection::pidText(r.pid);
    if (r.kind != "worker" && r.kind != "supervisor" && r.kind != "dynamic_supervisor")
        throw FieldError{where(index, "kind") + ": expected worker, supervisor or dynamic_supervisor, got '" +
                         r.kind + "'"};
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
        auto t = doc.find("time_ns");
        if (t == doc.end()) t = doc.find("timeNs"); // version 1 spelling
        if (t != doc.end() && !t->is_null()) {
            if (!t->is_number_integer()) throw FieldError{"time_ns: expected an integer"};
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
        if (auto g = doc.find("ghosts"); g != doc.end() && !g->is_null()) {
            if (!g->is_array()) throw FieldError{"ghosts: expected an array"};
            std::size_t gi = 0;
            for (const auto& item : *g) {
                ProcessRecord ghost = readProcess(item, gi++, true);
                auto& list = out.snapshot.ghosts[ghost.parent];
                list.push_back(std::move(ghost));
                std::stable_sort(list.begin(), list.end(), [](const ProcessRecord& a, const ProcessRecord& b) {
                    return a.startOrder < b.startOrder;
                });
            }
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
    // Keys and order from the wire table (the record keys of docs/protocol.md); every field present.
    nlohmann::ordered_json procs = nlohmann::ordered_json::array();
    auto record = [](const ProcessRecord& r) {
        nlohmann::ordered_json p = nlohmann::ordered_json::object();
        std::apply([&](const auto&... f) { ((p[std::string(f.key)] = r.*(f.member)), ...); },
                   introspection::wire::Spec<ProcessRecord>::kFields);
        return p;
    };
    for (const auto& [pid, r] : snapshot.processes) procs.push_back(record(r));
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    doc["format"] = kFormat;
    doc["version"] = kVersion;
    doc["time_ns"] = snapshot.timeNs;
    doc["processes"] = std::move(procs);
    if (!snapshot.ghosts.empty()) {
        nlohmann::ordered_json ghosts = nlohmann::ordered_json::array();
        for (const auto& [sup, list] : snapshot.ghosts)
            for (const auto& g : list) ghosts.push_back(record(g));
        doc["ghosts"] = std::move(ghosts);
    }
    return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace canopy::exporting
