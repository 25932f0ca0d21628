#pragma once
// Table-driven encoding: writes any struct of the wire table (introspection/wire_table.h) through a
// writer with CborWriter's calls (CborWriter, JsonWriter). One pass, no document; fields equal to
// their default are omitted where the table says so.
#include "introspection/wire_table.h"
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace canopy::introspection::wire {

namespace detail {
template <class T>
struct IsVector : std::false_type {};
template <class E, class A>
struct IsVector<std::vector<E, A>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class E>
struct IsOptional<std::optional<E>> : std::true_type {};
template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

/// The value a struct's fields are compared with for Rule::OmitDefault.
template <class T>
const T& defaults() {
    static const T value{};
    return value;
}

template <class T>
bool isDefault(const T& v, const T& def) {
    if constexpr (IsOptional<T>::value) return !v.has_value();
    else if constexpr (IsVector<T>::value) return v.empty();
    else return v == def;
}
} // namespace detail

template <class W, class T>
void writeStruct(W& w, const T& value);

/// Writes one value of any type the table uses.
template <class W, class T>
void writeValue(W& w, const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
        w.boolean(v);
    } else if constexpr (std::is_enum_v<T>) {
        w.text(toString(v));
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        w.i64(static_cast<std::int64_t>(v));
    } else if constexpr (std::is_integral_v<T>) {
        w.u64(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
        w.f64(static_cast<double>(v));
    } else if constexpr (std::is_same_v<T, std::string>) {
        w.text(v);
    } else if constexpr (detail::IsVector<T>::value) {
        w.beginArray(v.size());
        for (const auto& e : v) writeValue(w, e);
        w.endArray();
    } else if constexpr (detail::IsOptional<T>::value) {
        if (v) writeValue(w, *v);
        else w.null();
    } else if constexpr (detail::IsPair<T>::value) {
        w.beginArray(2);
        writeValue(w, v.first);
        writeValue(w, v.second);
        w.endArray();
    } else {
        static_assert(HasSpec<T>, "no wire encoding for this type: give it a wire::Spec");
        writeStruct(w, v);
    }
}

namespace detail {
template <class W, class Owner, class T>
void writeField(W& w, const Owner& o, const Field<Owner, T>& f, std::size_t& count) {
    const T& v = o.*(f.member);
    if (f.rule == Rule::OmitDefault) {
        if (f.omitIf ? f.omitIf(o) : isDefault(v, defaults<Owner>().*(f.member))) return;
    }
    w.key(f.key);
    writeValue(w, v);
    ++count;
}
template <class W, class Owner>
void writeField(W& w, const Owner& o, const VersionField<Owner>& f, std::size_t& count) {
    w.key(f.key);
    w.beginArray(2);
    w.i64(o.*(f.major));
    w.i64(o.*(f.minor));
    w.endArray();
    ++count;
}
} // namespace detail

/// Writes a struct of the table: a map (with "type" first for messages) or a tuple array.
template <class W, class T>
void writeStruct(W& w, const T& value) {
    if constexpr (Spec<T>::kLayout == Layout::Tuple) {
        w.beginArray(std::tuple_size_v<std::remove_const_t<decltype(Spec<T>::kFields)>>);
        std::apply([&](const auto&... f) { (writeValue(w, value.*(f.member)), ...); }, Spec<T>::kFields);
        w.endArray();
    } else {
        const std::size_t mark = w.beginMap();
        std::size_t count = 0;
        if constexpr (IsMessage<T>) {
            w.key(kTypeKey);
            w.text(Spec<T>::kType);
            ++count;
        }
        std::apply([&](const auto&... f) { (detail::writeField(w, value, f, count), ...); }, Spec<T>::kFields);
        w.endMap(mark, count);
    }
}

/// Writes any message of the protocol.
template <class W>
void writeMessage(W& w, const WireMessage& message) {
    std::visit([&](const auto& m) { writeStruct(w, m); }, message);
}

} // namespace canopy::introspection::wire
