#include "introspection/codec.h"
#include "introspection/payload_compression.h"
#include "introspection/frame_reader.h"
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

namespace canopy::introspection {

using nlohmann::json;

namespace {

// ---- parsing with a nesting limit (CBOR parsing recurses; refuse deep input before it can) ----
class DepthLimitedSax : public nlohmann::detail::json_sax_dom_parser<json> {
public:
    using Base = nlohmann::detail::json_sax_dom_parser<json>;
    explicit DepthLimitedSax(json& root) : Base(root, false) {}
    bool start_object(std::size_t n) { return enter() && Base::start_object(n); }
    bool end_object() { --m_depth; return Base::end_object(); }
    bool start_array(std::size_t n) { return enter() && Base::start_array(n); }
    bool end_array() { --m_depth; return Base::end_array(); }
    bool parse_error(std::size_t pos, const std::string& token, const nlohmann::detail::exception& ex) {
        m_error = ex.what();
        return Base::parse_error(pos, token, ex);
    }
    bool tooDeep = false;
    std::string m_error;

private:
    bool enter() {
        if (++m_depth > protocol::kMaxNestingDepth) {
            tooDeep = true;
            return false;
        }
        return true;
    }
    int m_depth = 0;
};

// ---- field helpers: missing fields take defaults; wrong types throw (caught in decodePayload) ----
// Integers are range-checked (a float or out-of-range number is a malformed field, never a UB cast).
template <class T>
void getNum(const json& v, T& out) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (v.is_number_unsigned()) {
            auto u = v.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw std::runtime_error("integer out of range");
            out = static_cast<T>(u);
        } else if (v.is_number_integer()) {
            auto i = v.get<std::int64_t>();
            if constexpr (std::is_unsigned_v<T>) {
                if (i < 0) throw std::runtime_error("negative value for an unsigned field");
                if (static_cast<std::uint64_t>(i) > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
                    throw std::runtime_error("integer out of range");
            } else {
                if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
                    i > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
                    throw std::runtime_error("integer out of range");
            }
            out = static_cast<T>(i);
        } else {
            throw std::runtime_error("expected an integer");
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!v.is_number()) throw std::runtime_error("expected a number");
        out = v.get<T>();
    } else {
        v.get_to(out);
    }
}

template <class T>
void getNum(const json& v, std::vector<T>& out) {
    if (!v.is_array()) throw std::runtime_error("expected an array");
    out.clear();
    out.reserve(v.size());
    for (const auto& e : v) {
        T x{};
        getNum(e, x);
        out.push_back(std::move(x));
    }
}

template <class T>
void field(const json& j, const char* key, T& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    try {
        getNum(*it, out);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("field '") + key + "': " + e.what());
    }
}

template <class T>
void put(json& j, const char* key, const T& v, const T& def) {
    if (!(v == def)) j[key] = v;
}

json toJson(const ProcessRecord& r) {
    json j = json::object();
    j["pid"] = r.pid;
    // Omitted when it is the default printed form (the decoder fills it back in).
    if (!r.pidText.empty() && r.pidText != "<0." + std::to_string(r.pid) + ".0>") j["pid_text"] = r.pidText;
    put<std::uint64_t>(j, "parent", r.parent, 0);
    put<std::string>(j, "name", r.name, "");
    put<std::string>(j, "child_id", r.childId, "");
    put<std::string>(j, "kind", r.kind, "worker");
    put<std::string>(j, "strategy", r.strategy, "");
    put<std::string>(j, "restart", r.restart, "");
    put<std::string>(j, "shutdown", r.shutdown, "");
    put(j, "significant", r.significant, false);
    put<std::string>(j, "status", r.status, "waiting");
    put<std::string>(j, "initial_call", r.initialCall, "");
    put<std::int64_t>(j, "mailbox", r.mailboxLength, 0);
    put<std::uint64_t>(j, "handled", r.messagesHandled, 0);
    put<std::uint64_t>(j, "memory", r.memoryBytes, 0);
    put(j, "restarts_in_window", r.restartsInWindow, 0);
    put(j, "max_restarts", r.maxRestarts, 0);
    put(j, "max_seconds", r.maxSeconds, 0);
    put(j, "restart_count", r.restartCount, 0);
    put<std::string>(j, "last_exit", r.lastExitReason, "");
    if (!r.links.empty()) j["links"] = r.links;
    if (!r.monitors.empty()) j["monitors"] = r.monitors;
    put<std::uint64_t>(j, "start_order", r.startOrder, 0);
    return j;
}

ProcessRecord recordFromJson(const json& j) {
    if (!j.is_object()) throw std::runtime_error("a process record is not an object");
    ProcessRecord r;
    field(j, "pid", r.pid);
    field(j, "pid_text", r.pidText);
    field(j, "parent", r.parent);
    field(j, "name", r.name);
    field(j, "child_id", r.childId);
    field(j, "kind", r.kind);
    field(j, "strategy", r.strategy);
    field(j, "restart", r.restart);
    field(j, "shutdown", r.shutdown);
    field(j, "significant", r.significant);
    field(j, "status", r.status);
    field(j, "initial_call", r.initialCall);
    field(j, "mailbox", r.mailboxLength);
    field(j, "handled", r.messagesHandled);
    field(j, "memory", r.memoryBytes);
    field(j, "restarts_in_window", r.restartsInWindow);
    field(j, "max_restarts", r.maxRestarts);
    field(j, "max_seconds", r.maxSeconds);
    field(j, "restart_count", r.restartCount);
    field(j, "last_exit", r.lastExitReason);
    field(j, "links", r.links);
    field(j, "monitors", r.monitors);
    field(j, "start_order", r.startOrder);
    if (r.pidText.empty()) r.pidText = "<0." + std::to_string(r.pid) + ".0>";
    return r;
}

json versionJson(int major, int minor) { return json::array({major, minor}); }

void versionFrom(const json& j, const char* key, int& major, int& minor) {
    auto it = j.find(key);
    if (it == j.end()) return;
    if (!it->is_array() || it->size() != 2) throw std::runtime_error(std::string("field '") + key + "' is not [major, minor]");
    getNum((*it)[0], major);
    getNum((*it)[1], minor);
}

struct ToJson {
    json operator()(const Hello& m) const {
        json j{{"type", "hello"}, {"magic", m.magic}, {"version", versionJson(m.versionMajor, m.versionMinor)},
               {"capabilities", m.capabilities}, {"encoding", m.encoding}};
        if (!m.token.empty()) j["token"] = m.token;
        if (!m.client.empty()) j["client"] = m.client;
        return j;
    }
    json operator()(const Welcome& m) const {
        return json{{"type", "welcome"}, {"version", versionJson(m.versionMajor, m.versionMinor)},
                    {"encoding", m.encoding}, {"capabilities", m.capabilities}, {"start_ns", m.startNs},
                    {"now_ns", m.nowNs}, {"server", m.server}, {"commands_enabled", m.commandsEnabled}};
    }
    json operator()(const Refusal& m) const {
        return json{{"type", "refusal"}, {"code", m.code}, {"message", m.message},
                    {"server_version", versionJson(m.serverMajor, m.serverMinor)},
                    {"client_version", versionJson(m.clientMajor, m.clientMinor)}};
    }
    json operator()(const Keyframe& m) const {
        json procs = json::array();
        for (const auto& r : m.processes) procs.push_back(toJson(r));
        json j{{"type", "keyframe"}, {"seq", m.seq}, {"time_ns", m.timeNs}, {"processes", std::move(procs)}};
        if (!m.slots.empty()) {
            json a = json::array();
            for (const auto& s : m.slots) a.push_back(json::array({s.supervisor, s.childId, s.restarts, s.lastExit}));
            j["slots"] = std::move(a);
        }
        return j;
    }
    json operator()(const Delta& m) const {
        json j{{"type", "delta"}, {"seq", m.seq}, {"time_ns", m.timeNs}, {"kind", toString(m.type)}, {"pid", m.pid}};
        put<std::uint64_t>(j, "peer", m.peer, 0);
        put<std::string>(j, "text", m.text, "");
        put<std::string>(j, "reason", m.reason, "");
        put<std::string>(j, "strategy", m.strategy, "");
        put(j, "restarts_in_window", m.restartsInWindow, 0);
        put(j, "max_restarts", m.maxRestarts, 0);
        put(j, "max_seconds", m.maxSeconds, 0);
        if (m.process) j["process"] = toJson(*m.process);
        return j;
    }
    json operator()(const Sample& m) const {
        json j{{"type", "sample"}, {"time_ns", m.timeNs}, {"process_count", m.processCount},
               {"total_mailbox", m.totalMailbox}, {"message_rate", m.messageRate}};
        if (!m.mailboxes.empty()) {
            json a = json::array();
            for (auto& [p, n] : m.mailboxes) a.push_back(json::array({p, n}));
            j["mailboxes"] = std::move(a);
        }
        if (!m.handled.empty()) {
            json a = json::array();
            for (auto& [p, n] : m.handled) a.push_back(json::array({p, n}));
            j["handled"] = std::move(a);
        }
        return j;
    }
    json operator()(const ResyncNotice& m) const {
        return json{{"type", "resync"}, {"dropped", m.dropped}, {"reason", m.reason}};
    }
    json operator()(const Subscribe& m) const {
        return json{{"type", "subscribe"}, {"root", m.root}, {"sample_hz", m.sampleHz}};
    }
    json operator()(const KeyframeRequest&) const { return json{{"type", "keyframe_request"}}; }
    json operator()(const Command& m) const {
        json j{{"type", "command"}, {"id", m.id}, {"action", m.action}};
        put<std::uint64_t>(j, "pid", m.pid, 0);
        put<std::uint64_t>(j, "supervisor", m.supervisor, 0);
        put<std::string>(j, "child_id", m.childId, "");
        put<std::string>(j, "reason", m.reason, "");
        return j;
    }
    json operator()(const CommandResult& m) const {
        return json{{"type", "command_result"}, {"id", m.id}, {"ok", m.ok}, {"message", m.message}};
    }
    json operator()(const SessionHeader& m) const {
        return json{{"type", "session_header"}, {"format_version", m.formatVersion},
                    {"protocol_version", versionJson(m.protocolMajor, m.protocolMinor)},
                    {"start_ns", m.startNs}, {"created", m.created}, {"source", m.source}};
    }
    json operator()(const SessionIndex& m) const {
        json e = json::array();
        for (auto& x : m.entries) e.push_back(json::array({x.timeNs, x.offset, x.seq}));
        return json{{"type", "session_index"}, {"entries", std::move(e)}, {"end_ns", m.endNs},
                    {"frames", m.frames}, {"deltas", m.deltas}, {"samples", m.samples}};
    }
};

template <class T>
void pairs(const json& j, const char* key, T& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    if (!it->is_array()) throw std::runtime_error(std::string("field '") + key + "' is not an array");
    for (const auto& e : *it) {
        if (!e.is_array() || e.size() != 2) throw std::runtime_error(std::string("field '") + key + "' holds a non-pair");
        typename T::value_type v;
        getNum(e[0], v.first);
        getNum(e[1], v.second);
        out.push_back(v);
    }
}

WireMessage fromJson(const json& j) {
    if (!j.is_object()) throw std::runtime_error("message is not an object");
    auto t = j.find("type");
    if (t == j.end() || !t->is_string()) throw std::runtime_error("message has no string 'type' field");
    const std::string& type = t->get_ref<const std::string&>();
    if (type == "hello") {
        Hello m;
        m.magic.clear();
        m.versionMajor = m.versionMinor = 0;
        field(j, "magic", m.magic);
        versionFrom(j, "version", m.versionMajor, m.versionMinor);
        field(j, "capabilities", m.capabilities);
        field(j, "token", m.token);
        field(j, "encoding", m.encoding);
        field(j, "client", m.client);
        return m;
    }
    if (type == "welcome") {
        Welcome m;
        versionFrom(j, "version", m.versionMajor, m.versionMinor);
        field(j, "encoding", m.encoding);
        field(j, "capabilities", m.capabilities);
        field(j, "start_ns", m.startNs);
        field(j, "now_ns", m.nowNs);
        field(j, "server", m.server);
        field(j, "commands_enabled", m.commandsEnabled);
        return m;
    }
    if (type == "refusal") {
        Refusal m;
        field(j, "code", m.code);
        field(j, "message", m.message);
        versionFrom(j, "server_version", m.serverMajor, m.serverMinor);
        versionFrom(j, "client_version", m.clientMajor, m.clientMinor);
        return m;
    }
    if (type == "keyframe") {
        Keyframe m;
        field(j, "seq", m.seq);
        field(j, "time_ns", m.timeNs);
        auto it = j.find("processes");
        if (it != j.end() && !it->is_null()) {
            if (!it->is_array()) throw std::runtime_error("field 'processes' is not an array");
            m.processes.reserve(it->size());
            for (const auto& r : *it) m.processes.push_back(recordFromJson(r));
        }
        auto sl = j.find("slots");
        if (sl != j.end() && !sl->is_null()) {
            if (!sl->is_array()) throw std::runtime_error("field 'slots' is not an array");
            for (const auto& e : *sl) {
                if (!e.is_array() || e.size() != 4) throw std::runtime_error("slot entry is not [supervisor, id, restarts, last_exit]");
                ChildSlotStats s;
                getNum(e[0], s.supervisor);
                getNum(e[1], s.childId);
                getNum(e[2], s.restarts);
                getNum(e[3], s.lastExit);
                m.slots.push_back(std::move(s));
            }
        }
        return m;
    }
    if (type == "delta") {
        Delta m;
        field(j, "seq", m.seq);
        field(j, "time_ns", m.timeNs);
        std::string kind;
        field(j, "kind", kind);
        auto dt = parseDeltaType(kind);
        if (!dt) throw std::runtime_error("unknown delta kind '" + kind.substr(0, 40) + "'");
        m.type = *dt;
        field(j, "pid", m.pid);
        field(j, "peer", m.peer);
        field(j, "text", m.text);
        field(j, "reason", m.reason);
        field(j, "strategy", m.strategy);
        field(j, "restarts_in_window", m.restartsInWindow);
        field(j, "max_restarts", m.maxRestarts);
        field(j, "max_seconds", m.maxSeconds);
        auto it = j.find("process");
        if (it != j.end() && !it->is_null()) m.process = recordFromJson(*it);
        return m;
    }
    if (type == "sample") {
        Sample m;
        field(j, "time_ns", m.timeNs);
        field(j, "process_count", m.processCount);
        field(j, "total_mailbox", m.totalMailbox);
        field(j, "message_rate", m.messageRate);
        pairs(j, "mailboxes", m.mailboxes);
        pairs(j, "handled", m.handled);
        return m;
    }
    if (type == "resync") {
        ResyncNotice m;
        field(j, "dropped", m.dropped);
        field(j, "reason", m.reason);
        return m;
    }
    if (type == "subscribe") {
        Subscribe m;
        field(j, "root", m.root);
        field(j, "sample_hz", m.sampleHz);
        return m;
    }
    if (type == "keyframe_request") return KeyframeRequest{};
    if (type == "command") {
        Command m;
        field(j, "id", m.id);
        field(j, "action", m.action);
        field(j, "pid", m.pid);
        field(j, "supervisor", m.supervisor);
        field(j, "child_id", m.childId);
        field(j, "reason", m.reason);
        return m;
    }
    if (type == "command_result") {
        CommandResult m;
        field(j, "id", m.id);
        field(j, "ok", m.ok);
        field(j, "message", m.message);
        return m;
    }
    if (type == "session_header") {
        SessionHeader m;
        field(j, "format_version", m.formatVersion);
        versionFrom(j, "protocol_version", m.protocolMajor, m.protocolMinor);
        field(j, "start_ns", m.startNs);
        field(j, "created", m.created);
        field(j, "source", m.source);
        return m;
    }
    if (type == "session_index") {
        SessionIndex m;
        auto it = j.find("entries");
        if (it != j.end() && !it->is_null()) {
            if (!it->is_array()) throw std::runtime_error("field 'entries' is not an array");
            m.entries.reserve(it->size());
            for (const auto& e : *it) {
                if (!e.is_array() || e.size() != 3) throw std::runtime_error("index entry is not [time, offset, seq]");
                IndexEntry x;
                getNum(e[0], x.timeNs);
                getNum(e[1], x.offset);
                getNum(e[2], x.seq);
                m.entries.push_back(x);
            }
        }
        field(j, "end_ns", m.endNs);
        field(j, "frames", m.frames);
        field(j, "deltas", m.deltas);
        field(j, "samples", m.samples);
        return m;
    }
    throw std::runtime_error("unknown message type '" + type.substr(0, 40) + "'");
}

} // namespace

std::string_view messageTypeName(const WireMessage& message) {
    static constexpr std::string_view names[] = {"hello",     "welcome",          "refusal", "keyframe",
                                                  "delta",     "sample",           "resync",  "subscribe",
                                                  "keyframe_request", "command",   "command_result",
                                                  "session_header", "session_index"};
    return names[message.index()];
}

std::vector<std::uint8_t> Codec::encodePayload(const WireMessage& message, Encoding encoding) {
    json j = std::visit(ToJson{}, message);
    if (encoding == Encoding::Cbor) return json::to_cbor(j);
    std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

Result<WireMessage> Codec::decodePayload(std::span<const std::uint8_t> payload, Encoding encoding) {
    const char* what = encoding == Encoding::Cbor ? "CBOR" : "JSON";
    try {
        json j;
        DepthLimitedSax sax(j);
        bool ok = json::sax_parse(payload.begin(), payload.end(), &sax,
                                  encoding == Encoding::Cbor ? json::input_format_t::cbor : json::input_format_t::json,
                                  true);
        if (sax.tooDeep)
            return Result<WireMessage>::failure(std::string("invalid ") + what + " payload: nesting deeper than " +
                                                std::to_string(protocol::kMaxNestingDepth));
        if (!ok || sax.is_errored())
            return Result<WireMessage>::failure(std::string("invalid ") + what + " payload" +
                                                (sax.m_error.empty() ? "" : ": " + sax.m_error));
        return fromJson(j);
    } catch (const std::exception& e) {
        return Result<WireMessage>::failure(std::string("malformed ") + what + " message: " + e.what());
    } catch (...) {
        return Result<WireMessage>::failure(std::string("malformed ") + what + " message");
    }
}

std::size_t Codec::appendFrame(std::vector<std::uint8_t>& out, const WireMessage& message, Encoding encoding) {
    std::vector<std::uint8_t> payload = encodePayload(message, encoding);
    std::uint8_t header[protocol::kFrameHeaderSize];
    FrameReader::writeHeader(header, static_cast<std::uint32_t>(payload.size()), static_cast<std::uint8_t>(encoding));
    out.insert(out.end(), header, header + protocol::kFrameHeaderSize);
    out.insert(out.end(), payload.begin(), payload.end());
    return protocol::kFrameHeaderSize + payload.size();
}

Result<std::vector<std::uint8_t>> Codec::encodeFrame(const WireMessage& message, Encoding encoding,
                                                     std::size_t maxFrameSize) {
    std::vector<std::uint8_t> payload = encodePayload(message, encoding);
    if (payload.size() > maxFrameSize || payload.size() > 0xffffffffu)
        return Result<std::vector<std::uint8_t>>::failure(
            "encoded " + std::string(messageTypeName(message)) + " is " + std::to_string(payload.size()) +
            " bytes, over the maximum frame size " + std::to_string(maxFrameSize));
    std::vector<std::uint8_t> out(protocol::kFrameHeaderSize + payload.size());
    FrameReader::writeHeader(out.data(), static_cast<std::uint32_t>(payload.size()), static_cast<std::uint8_t>(encoding));
    std::copy(payload.begin(), payload.end(), out.begin() + protocol::kFrameHeaderSize);
    return out;
}

Result<WireMessage> Codec::decodeFrame(const Frame& frame) {
    if (frame.flags & protocol::kFlagCompressed) {
        auto raw = PayloadCompression::decompress(frame.payload, protocol::kDefaultMaxFrameSize);
        if (!raw.ok()) return Result<WireMessage>::failure(raw.error());
        return decodePayload(*raw, frame.encoding);
    }
    return decodePayload(frame.payload, frame.encoding);
}

std::string Codec::toJsonText(const WireMessage& message) {
    return std::visit(ToJson{}, message).dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace canopy::introspection
