#pragma once
#include <optional>
#include <string>
#include <utility>

namespace canopy::introspection {

/// A value or a one-line error message (errors are values on the observer side; nothing throws out).
template <class T>
class Result {
public:
    /// A successful result holding `value`.
    Result(T value) : m_value(std::move(value)) {}
    /// A failed result; `message` is one human-readable line naming the problem.
    static Result failure(std::string message) {
        Result r;
        r.m_error = std::move(message);
        return r;
    }
    /// True when a value is present.
    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    /// The value (precondition: ok()).
    T& value() { return *m_value; }
    const T& value() const { return *m_value; }
    T& operator*() { return *m_value; }
    const T& operator*() const { return *m_value; }
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }
    /// The error message ("" when ok()).
    const std::string& error() const { return m_error; }

private:
    Result() = default;
    std::optional<T> m_value;
    std::string m_error;
};

/// Result of an operation that produces no value: ok, or a one-line error.
class Status {
public:
    /// Success.
    Status() = default;
    /// A failure with a one-line message.
    static Status failure(std::string message) {
        Status s;
        s.m_failed = true;
        s.m_error = std::move(message);
        return s;
    }
    /// True on success.
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    /// The error message ("" on success).
    const std::string& error() const { return m_error; }

private:
    bool m_failed = false;
    std::string m_error;
};

} // namespace canopy::introspection
