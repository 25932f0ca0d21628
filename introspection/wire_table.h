#pragma once
// THE LIST OF THE WIRE: every message of the protocol and of session files, and every field of
// each, written once. The codec (JSON and CBOR, encode and decode: wire_encode.h, wire_decode.h),
// the probe's streaming keyframe encoder and the snapshot JSON exporter all read this table;
// docs/protocol.md documents it (a test checks that every key below appears there).
//
// To add a field: add the member to its struct, then one line here (key in snake_case; pick the
// Rule; decoders of older builds ignore unknown keys, so a minor protocol version may add fields).
// To add a message: add the struct to WireMessage and a Spec here; the static_asserts at the end
// refuse to compile until every WireMessage alternative has one.
#include "introspection/child_slot_stats.h"
#include "introspection/give_up_event.h"
#include "introspection/pid_text.h"
#include "introspection/timeline_summary.h"
#include "introspection/wire_message.h"
#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace canopy::introspection::wire {

/// The key every message map carries first: its Spec<T>::kType.
inline constexpr std::string_view kTypeKey = "type";

/// When a field is written and whether a reader insists on it.
enum class Rule : std::uint8_t {
    OmitDefault, ///< written unless it equals the struct's default value; optional when read
    Always,      ///< always written; optional when read (missing or null = the default)
    Required,    ///< always written; a message without it is malformed
};

/// One field: its key (JSON and CBOR), the member it maps to, its Rule, an older spelling still
/// accepted when reading, and an optional test that replaces "equals the default" for OmitDefault.
template <class Owner, class T>
struct Field {
    using OwnerType = Owner;
    using ValueType = T;
    std::string_view key;
    T Owner::*member;
    Rule rule = Rule::OmitDefault;
    std::string_view alias{};
    bool (*omitIf)(const Owner&) = nullptr;
};

/// A field written as `[major, minor]` from two int members.
template <class Owner>
struct VersionField {
    using OwnerType = Owner;
    std::string_view key;
    int Owner::*major;
    int Owner::*minor;
    Rule rule = Rule::Always;
    std::string_view alias{};
};

/// How a struct is written: a map of keys, or (for small repeated items) an array of its fields in
/// table order. Tuple readers accept longer arrays (a minor version may append elements) and need
/// at least Spec::kMinElements.
enum class Layout : std::uint8_t { Map, Tuple };

template <class Owner, class T>
constexpr Field<Owner, T> field(std::string_view key, T Owner::*member, Rule rule = Rule::OmitDefault,
                                std::string_view alias = {}, bool (*omitIf)(const Owner&) = nullptr) {
    return {key, member, rule, alias, omitIf};
}
template <class Owner>
constexpr VersionField<Owner> version(std::string_view key, int Owner::*major, int Owner::*minor) {
    return {key, major, minor, Rule::Always, {}};
}

/// The table entry of a struct: Spec<T>::kLayout, Spec<T>::kFields, and for messages Spec<T>::kType
/// (the "type" field). Optional hooks: beforeDecode(T&) (start values other than T's defaults),
/// afterDecode(T&) (fill derived values).
template <class T>
struct Spec;

inline bool plainPidText(const ProcessRecord& r) { return r.pidText.empty() || isPlainPidText(r.pid, r.pidText); }

// ---------------------------------------------------------------- records and small items

template <>
struct Spec<ProcessRecord> {
    static constexpr Layout kLayout = Layout::Map;
    using R = ProcessRecord;
    // The aliases are the camelCase spellings of the snapshot JSON format version 1 (docs/exports.md).
    static constexpr auto kFields = std::make_tuple(
        field("pid", &R::pid, Rule::Always),
        field("pid_text", &R::pidText, Rule::OmitDefault, "pidText", &plainPidText),
        field("parent", &R::parent),
        field("name", &R::name),
        field("child_id", &R::childId, Rule::OmitDefault, "childId"),
        field("kind", &R::kind),
        field("strategy", &R::strategy),
        field("restart", &R::restart),
        field("shutdown", &R::shutdown),
        field("significant", &R::significant),
        field("status", &R::status),
        field("initial_call", &R::initialCall, Rule::OmitDefault, "initialCall"),
        field("mailbox", &R::mailboxLength, Rule::OmitDefault, "mailboxLength"),
        field("handled", &R::messagesHandled, Rule::OmitDefault, "messagesHandled"),
        field("memory", &R::memoryBytes, Rule::OmitDefault, "memoryBytes"),
        field("reductions", &R::reductions, Rule::OmitDefault),
        field("restarts_in_window", &R::restartsInWindow, Rule::OmitDefault, "restartsInWindow"),
        field("max_restarts", &R::maxRestarts, Rule::OmitDefault, "maxRestarts"),
        field("max_seconds", &R::maxSeconds, Rule::OmitDefault, "maxSeconds"),
        field("restart_stamps", &R::restartStamps),
        field("restart_count", &R::restartCount, Rule::OmitDefault, "restartCount"),
        field("last_exit", &R::lastExitReason, Rule::OmitDefault, "lastExitReason"),
        field("links", &R::links),
        field("monitors", &R::monitors),
        field("start_order", &R::startOrder, Rule::OmitDefault, "startOrder"));
    static void afterDecode(R& r) {
        if (r.pidText.empty()) assignPidText(r.pidText, r.pid);
    }
};

template <>
struct Spec<ChildSlotStats> {
    static constexpr Layout kLayout = Layout::Tuple;
    static constexpr std::size_t kMinElements = 4;
    using S = ChildSlotStats;
    static constexpr auto kFields = std::make_tuple(field("supervisor", &S::supervisor), field("child_id", &S::childId),
                                                    field("restarts", &S::restarts), field("last_exit", &S::lastExit));
};

template <>
struct Spec<IndexEntry> {
    static constexpr Layout kLayout = Layout::Tuple;
    static constexpr std::size_t kMinElements = 3;
    using E = IndexEntry;
    static constexpr auto kFields =
        std::make_tuple(field("time_ns", &E::timeNs), field("offset", &E::offset), field("seq", &E::seq));
};

template <>
struct Spec<TimelineSummary> {
    static constexpr Layout kLayout = Layout::Tuple;
    static constexpr std::size_t kMinElements = 13;
    using S = TimelineSummary;
    static constexpr auto kFields = std::make_tuple(
        field("start_ns", &S::startNs), field("end_ns", &S::endNs), field("min_processes", &S::minProcesses),
        field("max_processes", &S::maxProcesses), field("max_total_mailbox", &S::maxTotalMailbox),
        field("deltas", &S::deltas), field("spawns", &S::spawns), field("exits", &S::exits),
        field("abnormal_exits", &S::abnormalExits), field("restarts", &S::restarts), field("give_ups", &S::giveUps),
        field("first_abnormal_ns", &S::firstAbnormalNs), field("last_abnormal_ns", &S::lastAbnormalNs));
};

template <>
struct Spec<GiveUpEvent> {
    static constexpr Layout kLayout = Layout::Tuple;
    static constexpr std::size_t kMinElements = 4;
    using G = GiveUpEvent;
    static constexpr auto kFields = std::make_tuple(field("time_ns", &G::timeNs), field("supervisor", &G::supervisor),
                                                    field("child_id", &G::childId), field("reason", &G::reason));
};

// ---------------------------------------------------------------- messages (WireMessage alternatives)

template <>
struct Spec<Hello> {
    static constexpr std::string_view kType = "hello";
    static constexpr Layout kLayout = Layout::Map;
    using M = Hello;
    static constexpr auto kFields = std::make_tuple(
        field("magic", &M::magic, Rule::Always), version("version", &M::versionMajor, &M::versionMinor),
        field("capabilities", &M::capabilities, Rule::Always), field("token", &M::token),
        field("encoding", &M::encoding, Rule::Always), field("client", &M::client));
    /// A hello that names no magic or version is refused for it, not taken as ours.
    static void beforeDecode(M& m) {
        m.magic.clear();
        m.versionMajor = m.versionMinor = 0;
    }
};

template <>
struct Spec<Welcome> {
    static constexpr std::string_view kType = "welcome";
    static constexpr Layout kLayout = Layout::Map;
    using M = Welcome;
    static constexpr auto kFields = std::make_tuple(
        version("version", &M::versionMajor, &M::versionMinor), field("encoding", &M::encoding, Rule::Always),
        field("capabilities", &M::capabilities, Rule::Always), field("start_ns", &M::startNs, Rule::Always),
        field("now_ns", &M::nowNs, Rule::Always), field("server", &M::server, Rule::Always),
        field("commands_enabled", &M::commandsEnabled, Rule::Always));
};

template <>
struct Spec<Refusal> {
    static constexpr std::string_view kType = "refusal";
    static constexpr Layout kLayout = Layout::Map;
    using M = Refusal;
    static constexpr auto kFields = std::make_tuple(
        field("code", &M::code, Rule::Always), field("message", &M::message, Rule::Always),
        version("server_version", &M::serverMajor, &M::serverMinor),
        version("client_version", &M::clientMajor, &M::clientMinor));
};

template <>
struct Spec<Keyframe> {
    static constexpr std::string_view kType = "keyframe";
    static constexpr Layout kLayout = Layout::Map;
    using M = Keyframe;
    static constexpr auto kFields =
        std::make_tuple(field("seq", &M::seq, Rule::Always), field("time_ns", &M::timeNs, Rule::Always),
                        field("processes", &M::processes, Rule::Always), field("slots", &M::childSlots),
                        field("ghosts", &M::ghosts));
};

template <>
struct Spec<Delta> {
    static constexpr std::string_view kType = "delta";
    static constexpr Layout kLayout = Layout::Map;
    using M = Delta;
    static constexpr auto kFields = std::make_tuple(
        field("seq", &M::seq, Rule::Always), field("time_ns", &M::timeNs, Rule::Always),
        field("kind", &M::type, Rule::Required), field("pid", &M::pid, Rule::Always), field("peer", &M::peer),
        field("text", &M::text), field("reason", &M::reason), field("strategy", &M::strategy),
        field("restarts_in_window", &M::restartsInWindow), field("max_restarts", &M::maxRestarts),
        field("max_seconds", &M::maxSeconds), field("process", &M::process));
};

template <>
struct Spec<Sample> {
    static constexpr std::string_view kType = "sample";
    static constexpr Layout kLayout = Layout::Map;
    using M = Sample;
    static constexpr auto kFields = std::make_tuple(
        field("time_ns", &M::timeNs, Rule::Always), field("process_count", &M::processCount, Rule::Always),
        field("total_mailbox", &M::totalMailbox, Rule::Always), field("message_rate", &M::messageRate, Rule::Always),
        field("mailboxes", &M::mailboxes), field("handled", &M::handled));
};

template <>
struct Spec<ResyncNotice> {
    static constexpr std::string_view kType = "resync";
    static constexpr Layout kLayout = Layout::Map;
    using M = ResyncNotice;
    static constexpr auto kFields =
        std::make_tuple(field("dropped", &M::dropped, Rule::Always), field("reason", &M::reason, Rule::Always));
};

template <>
struct Spec<Subscribe> {
    static constexpr std::string_view kType = "subscribe";
    static constexpr Layout kLayout = Layout::Map;
    using M = Subscribe;
    static constexpr auto kFields =
        std::make_tuple(field("root", &M::root, Rule::Always), field("sample_hz", &M::sampleHz, Rule::Always));
};

template <>
struct Spec<KeyframeRequest> {
    static constexpr std::string_view kType = "keyframe_request";
    static constexpr Layout kLayout = Layout::Map;
    static constexpr auto kFields = std::tuple<>();
};

template <>
struct Spec<Command> {
    static constexpr std::string_view kType = "command";
    static constexpr Layout kLayout = Layout::Map;
    using M = Command;
    static constexpr auto kFields = std::make_tuple(
        field("id", &M::id, Rule::Always), field("action", &M::action, Rule::Always), field("pid", &M::pid),
        field("supervisor", &M::supervisor), field("child_id", &M::childId), field("reason", &M::reason));
};

template <>
struct Spec<CommandResult> {
    static constexpr std::string_view kType = "command_result";
    static constexpr Layout kLayout = Layout::Map;
    using M = CommandResult;
    static constexpr auto kFields = std::make_tuple(field("id", &M::id, Rule::Always), field("ok", &M::ok, Rule::Always),
                                                    field("message", &M::message, Rule::Always));
};

template <>
struct Spec<SessionHeader> {
    static constexpr std::string_view kType = "session_header";
    static constexpr Layout kLayout = Layout::Map;
    using M = SessionHeader;
    static constexpr auto kFields = std::make_tuple(
        field("format_version", &M::formatVersion, Rule::Always),
        version("protocol_version", &M::protocolMajor, &M::protocolMinor), field("start_ns", &M::startNs, Rule::Always),
        field("created", &M::created, Rule::Always), field("source", &M::source, Rule::Always));
};

template <>
struct Spec<SessionIndex> {
    static constexpr std::string_view kType = "session_index";
    static constexpr Layout kLayout = Layout::Map;
    using M = SessionIndex;
    static constexpr auto kFields = std::make_tuple(
        field("entries", &M::entries, Rule::Always), field("end_ns", &M::endNs, Rule::Always),
        field("frames", &M::frames, Rule::Always), field("deltas", &M::deltas, Rule::Always),
        field("samples", &M::samples, Rule::Always), field("timeline", &M::timeline), field("give_ups", &M::giveUps));
};

// ---------------------------------------------------------------- compile-time checks

/// True when T has a table entry.
template <class T>
concept HasSpec = requires {
    Spec<T>::kFields;
    Spec<T>::kLayout;
};
/// True when T is a message (has a "type").
template <class T>
concept IsMessage = HasSpec<T> && requires { Spec<T>::kType; };

namespace detail {
constexpr bool isSnakeCase(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return s.front() != '_' && s.back() != '_';
}
template <class Tuple>
constexpr bool keysAreSnakeCaseAndUnique(const Tuple& fields) {
    return std::apply(
        [](const auto&... f) {
            const std::array<std::string_view, sizeof...(f)> keys{f.key...};
            const std::array<std::string_view, sizeof...(f)> aliases{f.alias...};
            for (std::size_t i = 0; i < keys.size(); ++i) {
                if (!isSnakeCase(keys[i]) || keys[i] == kTypeKey) return false;
                for (std::size_t j = 0; j < keys.size(); ++j) {
                    if (i != j && keys[i] == keys[j]) return false;
                    if (!aliases[j].empty() && keys[i] == aliases[j]) return false;
                }
            }
            return true;
        },
        fields);
}
template <class V>
struct AllMessages;
template <class... Ts>
struct AllMessages<std::variant<Ts...>> {
    static constexpr bool kHaveSpecs = (IsMessage<Ts> && ...);
    static constexpr bool kKeysOk = (keysAreSnakeCaseAndUnique(Spec<Ts>::kFields) && ...);
    static constexpr bool typesUnique() {
        const std::array<std::string_view, sizeof...(Ts)> types{Spec<Ts>::kType...};
        for (std::size_t i = 0; i < types.size(); ++i)
            for (std::size_t j = i + 1; j < types.size(); ++j)
                if (types[i] == types[j]) return false;
        return true;
    }
};
} // namespace detail

static_assert(detail::AllMessages<WireMessage>::kHaveSpecs,
              "every WireMessage alternative needs a wire::Spec with kType and kFields in introspection/wire_table.h");
static_assert(detail::AllMessages<WireMessage>::kKeysOk,
              "wire keys are snake_case, unique within a message, not 'type', and not another field's alias");
static_assert(detail::AllMessages<WireMessage>::typesUnique(), "two messages share a wire type name");
static_assert(detail::keysAreSnakeCaseAndUnique(Spec<ProcessRecord>::kFields), "ProcessRecord keys");

namespace detail {
template <class M>
struct MemberOwner;
template <class O, class T>
struct MemberOwner<T O::*> {
    using type = O;
};
} // namespace detail

/// The wire key of a struct member, looked up in the table at compile time:
/// `keyOf<&ProcessRecord::childId>()` is "child_id". Fails to compile for a member not in the table.
template <auto Member>
consteval std::string_view keyOf() {
    using Owner = typename detail::MemberOwner<decltype(Member)>::type;
    std::string_view found;
    std::apply(
        [&](const auto&... f) {
            auto check = [&](const auto& fd) {
                if constexpr (requires { fd.member; }) {
                    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(fd.member)>, decltype(Member)>)
                        if (fd.member == Member) found = fd.key;
                }
            };
            (check(f), ...);
        },
        Spec<Owner>::kFields);
    if (found.empty()) throw "member not in the wire table";
    return found;
}

} // namespace canopy::introspection::wire
