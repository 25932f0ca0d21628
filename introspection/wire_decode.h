#pragma once
// Table-driven decoding: reads any struct of the wire table (introspection/wire_table.h) straight
// from a pull reader (CborReader, JsonReader) into the struct, one pass, no document. Unknown keys
// are skipped, missing or null fields keep their defaults, wrong types and out-of-range integers
// throw WireError naming the field path (e.g. `processes[3].pid`).
#include "introspection/element_split.h"
#include "introspection/wire_encode.h"
#include "introspection/wire_error.h"
#include <array>
#include <concepts>
#include <span>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

namespace canopy::introspection::wire {

template <class R, class T>
void readStruct(R& r, T& out);

/// Reads one value of any type the table uses into `out`.
template <class R, class T>
void readValue(R& r, T& out) {
    if constexpr (std::is_same_v<T, bool>) {
        out = r.readBool();
    } else if constexpr (std::is_same_v<T, DeltaType>) {
        thread_local std::string name;
        r.readText(name);
        auto t = parseDeltaType(name);
        if (!t) throw WireError(WireError::Kind::Field, "unknown delta kind '" + name.substr(0, 40) + "'");
        out = *t;
    } else if constexpr (std::is_integral_v<T>) {
        bool negative = false;
        std::uint64_t magnitude = 0;
        r.readInteger(negative, magnitude);
        if constexpr (std::is_unsigned_v<T>) {
            if (negative) throw WireError(WireError::Kind::Field, "negative value for an unsigned field");
        }
        if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
            throw WireError(WireError::Kind::Field, "integer out of range");
        if constexpr (std::is_signed_v<T>) {
            out = negative ? static_cast<T>(-1 - static_cast<std::int64_t>(magnitude)) : static_cast<T>(magnitude);
        } else {
            out = static_cast<T>(magnitude);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        out = static_cast<T>(r.readNumber());
    } else if constexpr (std::is_same_v<T, std::string>) {
        r.readText(out);
    } else if constexpr (detail::IsVector<T>::value) {
        out.clear();
        const std::size_t n = r.enterArray("not an array");
        if (n) out.reserve(n);
        std::size_t i = 0;
        while (r.nextElement()) {
            out.emplace_back();
            try {
                readValue(r, out.back());
            } catch (WireError& e) {
                e.within("[" + std::to_string(i) + "]");
                throw;
            }
            ++i;
        }
    } else if constexpr (detail::IsOptional<T>::value) {
        out.emplace();
        readValue(r, *out);
    } else if constexpr (detail::IsPair<T>::value) {
        r.enterArray("not a [pid, value] pair");
        if (!r.nextElement()) throw WireError(WireError::Kind::Field, "not a [pid, value] pair");
        readValue(r, out.first);
        if (!r.nextElement()) throw WireError(WireError::Kind::Field, "not a [pid, value] pair");
        readValue(r, out.second);
        while (r.nextElement()) r.skip(); // a later minor version may append elements
    } else {
        static_assert(HasSpec<T>, "no wire decoding for this type: give it a wire::Spec");
        readStruct(r, out);
    }
}

namespace detail {
template <class R, class Owner, class T>
void readField(R& r, Owner& o, const Field<Owner, T>& f) {
    readValue(r, o.*(f.member));
}
template <class R, class Owner>
void readField(R& r, Owner& o, const VersionField<Owner>& f) {
    const std::string what = "not [major, minor]";
    r.enterArray(what.c_str());
    if (!r.nextElement()) throw WireError(WireError::Kind::Field, what);
    readValue(r, o.*(f.major));
    if (!r.nextElement()) throw WireError(WireError::Kind::Field, what);
    readValue(r, o.*(f.minor));
    if (r.nextElement()) throw WireError(WireError::Kind::Field, what);
}

/// Compile-time lookup table of a Map-layout struct: key, alias, decode function, required flag.
template <class R, class T>
struct MapFields {
    using Fn = void (*)(R&, T&);
    struct Entry {
        std::string_view key;
        std::string_view alias;
        Fn read;
        bool required;
    };
    static constexpr std::size_t kCount = std::tuple_size_v<std::remove_const_t<decltype(Spec<T>::kFields)>>;
    template <std::size_t I>
    static void readAt(R& r, T& o) {
        readField(r, o, std::get<I>(Spec<T>::kFields));
    }
    template <std::size_t... I>
    static constexpr std::array<Entry, kCount> make(std::index_sequence<I...>) {
        return {Entry{std::get<I>(Spec<T>::kFields).key, std::get<I>(Spec<T>::kFields).alias, &readAt<I>,
                      std::get<I>(Spec<T>::kFields).rule == Rule::Required}...};
    }
    static constexpr std::array<Entry, kCount> kEntries = make(std::make_index_sequence<kCount>());
    static constexpr bool anyRequired() {
        for (const auto& e : kEntries)
            if (e.required) return true;
        return false;
    }
    /// True when `key` is entry I's key: a compare against a constant of known length, which the
    /// compiler expands inline (no memcmp call per key).
    template <std::size_t I>
    static bool matches(std::string_view key) {
        constexpr std::string_view k = std::get<I>(Spec<T>::kFields).key;
        return key.size() == k.size() && std::memcmp(key.data(), k.data(), k.size()) == 0;
    }
    template <std::size_t... I>
    static constexpr std::array<bool (*)(std::string_view), kCount> makeMatchers(std::index_sequence<I...>) {
        return {&matches<I>...};
    }
    static constexpr std::array<bool (*)(std::string_view), kCount> kMatchers =
        makeMatchers(std::make_index_sequence<kCount>());
    /// A key's length, first and last byte, which a multiplier spreads over kSlots positions.
    static constexpr std::uint32_t keyCode(std::string_view k) {
        return std::uint32_t(k.size()) << 16 | std::uint32_t(std::uint8_t(k.front())) << 8 | std::uint8_t(k.back());
    }
    static constexpr int kSlotBits = 8;
    static constexpr std::size_t slotOf(std::uint32_t code, std::uint32_t mult) {
        return std::size_t(std::uint32_t(code * mult) >> (32 - kSlotBits));
    }
    /// A multiplier that gives every key its own position (a perfect hash, found at compile time),
    /// or 0 when none was found (then find() searches the keys in order).
    static constexpr std::uint32_t findMultiplier() {
        std::uint32_t mult = 0x9e3779b1u;
        for (int attempt = 0; attempt < 4096; ++attempt, mult += 0x2545f492u) {
            std::array<bool, std::size_t(1) << kSlotBits> used{};
            bool clash = false;
            for (const auto& e : kEntries) {
                if (e.key.empty()) return 0;
                const std::size_t at = slotOf(keyCode(e.key), mult | 1u);
                if (used[at]) {
                    clash = true;
                    break;
                }
                used[at] = true;
            }
            if (!clash) return mult | 1u;
        }
        return 0;
    }
    static constexpr std::uint32_t kMultiplier = findMultiplier();
    /// Entry number + 1 at each key's position; 0 = no key there.
    static constexpr std::array<std::uint8_t, std::size_t(1) << kSlotBits> makeSlots() {
        std::array<std::uint8_t, std::size_t(1) << kSlotBits> slots{};
        if (kMultiplier != 0)
            for (std::size_t i = 0; i < kCount; ++i) slots[slotOf(keyCode(kEntries[i].key), kMultiplier)] = std::uint8_t(i + 1);
        return slots;
    }
    static constexpr std::array<std::uint8_t, std::size_t(1) << kSlotBits> kSlots = makeSlots();
    static_assert(kCount < 255, "entry numbers fit a byte");
    /// Index of the entry for `key`, or kCount: one probe of the perfect hash and one compare; an
    /// alias (older spelling) or an unknown key after that. Without a perfect hash: writers emit
    /// keys in table order (skipping defaults), so the search starts at `hint` (just after the
    /// previous key) and wraps around.
    static std::size_t find(std::string_view key, std::size_t hint) {
        if constexpr (kMultiplier != 0) {
            if (!key.empty()) {
                const std::uint8_t e = kSlots[slotOf(keyCode(key), kMultiplier)];
                if (e != 0 && kMatchers[e - 1](key)) return e - 1u;
            }
        } else {
            for (std::size_t i = hint; i < kCount; ++i)
                if (kMatchers[i](key)) return i;
            for (std::size_t i = 0; i < hint && i < kCount; ++i)
                if (kMatchers[i](key)) return i;
        }
        for (std::size_t i = 0; i < kCount; ++i)
            if (!kEntries[i].alias.empty() && kEntries[i].alias == key) return i;
        return kCount;
    }
};

template <class T>
concept HasBeforeDecode = requires(T& t) { Spec<T>::beforeDecode(t); };
template <class T>
concept HasAfterDecode = requires(T& t) { Spec<T>::afterDecode(t); };

template <class T, std::size_t... I>
std::string tupleShape(std::index_sequence<I...>) {
    std::string s = "not [";
    ((s += (I ? ", " : "") + std::string(std::get<I>(Spec<T>::kFields).key)), ...);
    return s + "]";
}
} // namespace detail

namespace detail {
/// "No member streamed": readStructImpl decodes every field into the struct.
struct NoSink {};
inline constexpr std::size_t kNoField = std::size_t(-1);

/// Index in Spec<Owner>::kFields of the field whose member is `Member` (compile time).
template <auto Member>
consteval std::size_t fieldIndexOf() {
    using Owner = typename MemberOwner<decltype(Member)>::type;
    std::size_t found = kNoField;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto check = [&](const auto& fd, std::size_t i) {
            if constexpr (requires { fd.member; }) {
                if constexpr (std::is_same_v<std::remove_cvref_t<decltype(fd.member)>, decltype(Member)>)
                    if (fd.member == Member) found = i;
            }
        };
        (check(std::get<I>(Spec<Owner>::kFields), I), ...);
    }(std::make_index_sequence<std::tuple_size_v<std::remove_const_t<decltype(Spec<Owner>::kFields)>>>());
    if (found == kNoField) throw "member not in the wire table";
    return found;
}

/// Arrays at least this long are split with a side thread when the sink offers one.
inline constexpr std::size_t kSplitElements = 4096;

/// A reader whose position can be handed over (a side thread decodes part of an array).
template <class R>
concept SplittableReader = requires(R& r, const R& c) {
    { c.bytes() } -> std::convertible_to<std::span<const std::uint8_t>>;
    r.skipQuick();
    { r.resumeAt(std::size_t(0), std::size_t(0)) } -> std::same_as<bool>;
};

/// The side thread's part of a split array (ElementSplit::SideDecode): skips to element `skip`,
/// then decodes elements into split.sideElement() and publishes each, until told to stop.
template <class E, class R>
void decodeSide(ElementSplit<E>& split, std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t skip,
                std::size_t count) {
    R r(bytes.subspan(offset));
    // The caller decodes those elements strictly and takes none of this unless it succeeds: the
    // quick skip ends where they end.
    for (std::size_t i = 0; i < skip; ++i) r.skipQuick();
    for (std::size_t i = 0; i < count; ++i) {
        E& e = split.sideElement();
        readValue(r, e);
        if (!split.publish(offset + r.offset())) return;
    }
}

/// Reads an array of E element by element into the sink: each element is decoded into
/// `sink.element()` and handed to `sink.commit()` (errors name the element: `[3]`). A long array
/// of a sink with a side thread (`sink.split()`) is decoded by both: the side thread from the
/// middle on, this one up to the middle; then this one commits what the side thread finished and
/// decodes the rest itself.
template <class E, class R, class Sink>
void readElements(R& r, Sink& sink) {
    const std::size_t n = r.enterArray("not an array");
    std::size_t handover = std::size_t(-1);
    ElementSplit<E>* split = nullptr;
    if constexpr (SplittableReader<R> && requires { { sink.split() } -> std::convertible_to<ElementSplit<E>*>; }) {
        if (n >= kSplitElements && (split = sink.split()) &&
            split->start(&decodeSide<E, R>, r.bytes(), r.offset(), n / 2, n - n / 2))
            handover = n / 2;
        else
            split = nullptr;
    }
    // A corrupt element before the handover: the side thread is stopped before the bytes go.
    struct Abandon {
        ElementSplit<E>*& split;
        ~Abandon() {
            if (split) split->abandon();
        }
    } abandon{split};
    std::size_t i = 0;
    while (true) {
        if (i == handover) {
            std::size_t end = 0;
            ElementSplit<E>* s = split;
            split = nullptr;
            const std::size_t got = s->finish(end);
            if constexpr (SplittableReader<R>) {
                if (got && !r.resumeAt(end, got)) throw WireError(WireError::Kind::Syntax, "a split array lost its place");
            }
            i += got;
        }
        if (!r.nextElement()) break;
        E& e = sink.element();
        try {
            readValue(r, e);
        } catch (WireError& err) {
            err.within("[" + std::to_string(i) + "]");
            throw;
        }
        sink.commit(e);
        ++i;
    }
}

template <std::size_t kStream, class R, class T, class Sink>
void readStructImpl(R& r, T& out, Sink& sink);
} // namespace detail

/// Reads a struct of the table (a map, or a tuple array) into `out`, which starts from T's defaults.
template <class R, class T>
void readStruct(R& r, T& out) {
    detail::NoSink none;
    detail::readStructImpl<detail::kNoField>(r, out, none);
}

/// Reads a map-layout struct like readStruct(), except that the elements of its vector member
/// `Member` are not collected: each is decoded into `sink.element()` (an E& the sink provides,
/// holding E's defaults) and then passed to `sink.commit(E&)`; the member itself stays empty.
/// Lets a consumer put records straight where they belong (e.g. a keyframe into a model's map).
template <auto Member, class R, class T, class Sink>
void readStructStreaming(R& r, T& out, Sink& sink) {
    static_assert(Spec<T>::kLayout == Layout::Map, "only map-layout structs stream a member");
    detail::readStructImpl<detail::fieldIndexOf<Member>()>(r, out, sink);
}

template <std::size_t kStream, class R, class T, class Sink>
void detail::readStructImpl(R& r, T& out, Sink& sink) {
    if constexpr (detail::HasBeforeDecode<T>) Spec<T>::beforeDecode(out);
    if constexpr (Spec<T>::kLayout == Layout::Tuple) {
        constexpr std::size_t kCount = std::tuple_size_v<std::remove_const_t<decltype(Spec<T>::kFields)>>;
        static const std::string shape = detail::tupleShape<T>(std::make_index_sequence<kCount>());
        r.enterArray(shape.c_str());
        std::size_t i = 0;
        while (r.nextElement()) {
            if (i < kCount) {
                try {
                    detail::MapFields<R, T>::kEntries[i].read(r, out);
                } catch (WireError& e) {
                    e.within(std::string(detail::MapFields<R, T>::kEntries[i].key));
                    throw;
                }
            } else {
                r.skip(); // a later minor version may append elements
            }
            ++i;
        }
        if (i < Spec<T>::kMinElements) throw WireError(WireError::Kind::Field, shape);
    } else {
        using Fields = detail::MapFields<R, T>;
        r.enterMap("not an object");
        std::string_view key;
        std::size_t hint = 0;
        std::uint64_t seen = 0;
        while (r.nextKey(key)) {
            const std::size_t i = Fields::find(key, hint);
            if (i == Fields::kCount) {
                r.skip(); // unknown fields are ignored (a minor version may add fields)
                continue;
            }
            hint = i + 1;
            if (r.takeNull()) continue; // null = the default
            if constexpr (Fields::anyRequired()) seen |= std::uint64_t(1) << (i % 64);
            try {
                if constexpr (kStream != detail::kNoField) {
                    if (i == kStream) {
                        using V = typename std::remove_cvref_t<decltype(out.*(std::get<kStream>(Spec<T>::kFields).member))>;
                        detail::readElements<typename V::value_type>(r, sink);
                        continue;
                    }
                }
                Fields::kEntries[i].read(r, out);
            } catch (WireError& e) {
                e.within(std::string(Fields::kEntries[i].key));
                throw;
            }
        }
        if constexpr (Fields::anyRequired()) {
            for (std::size_t i = 0; i < Fields::kCount; ++i)
                if (Fields::kEntries[i].required && !(seen & (std::uint64_t(1) << (i % 64))))
                    throw WireError(WireError::Kind::Field, "required field '" + std::string(Fields::kEntries[i].key) + "' is missing");
        }
    }
    if constexpr (detail::HasAfterDecode<T>) Spec<T>::afterDecode(out);
}

/// The "type" of the message `r` is at (first key when our writers wrote it; otherwise the map is
/// scanned for it); `r` itself does not move. Throws when there is none.
template <class R>
std::string messageType(const R& r) {
    R scan = r;
    scan.enterMap("message is not an object");
    std::string type;
    std::string_view key;
    while (scan.nextKey(key)) {
        if (key == kTypeKey) {
            if (scan.peek() != R::Kind::Text) break;
            scan.readText(type);
            return type;
        }
        scan.skip();
    }
    throw WireError(WireError::Kind::Field, "message has no string 'type' field");
}

/// Reads one message: finds its "type", then decodes the map into that alternative. Checks
/// nothing follows it.
template <class R>
WireMessage readMessage(R& r) {
    const std::string type = messageType(r);
    WireMessage out;
    bool matched = false;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (void)((type == Spec<std::variant_alternative_t<I, WireMessage>>::kType
                    ? (readStruct(r, out.template emplace<I>()), matched = true)
                    : false) ||
               ...);
    }(std::make_index_sequence<std::variant_size_v<WireMessage>>());
    if (!matched) throw WireError(WireError::Kind::Field, "unknown message type '" + type.substr(0, 40) + "'");
    r.finish();
    return out;
}

/// Reads one message known to be a T (see messageType()), streaming the elements of its member
/// `Member` to `sink` (see readStructStreaming()). Checks nothing follows it.
template <auto Member, class R, class T, class Sink>
void readMessageStreaming(R& r, T& out, Sink& sink) {
    readStructStreaming<Member>(r, out, sink);
    r.finish();
}

} // namespace canopy::introspection::wire
