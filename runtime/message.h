#pragma once
#include "runtime/node_pool.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace canopy {

/// Type tag: one distinct address per message type (no RTTI needed, compares in one instruction).
template <class T> inline const void* typeTag() {
    static const char tag = 0;
    return &tag;
}

/// Intrusive node every queued message lives in (one allocation per message).
struct MessageNode {
    std::atomic<MessageNode*> next{nullptr};
    const void* type = nullptr;
    /// Internal kind: 0 = user message; others are runtime signals (exit, link, monitor, ...).
    std::uint8_t signal = 0;
    /// Internal flags of a signal (e.g. an exit signal that came through a link).
    std::uint8_t flags = 0;
    virtual ~MessageNode() = default;
    static void* operator new(std::size_t size) { return NodePool::allocate(size); }
    static void operator delete(void* p, std::size_t size) noexcept { NodePool::deallocate(p, size); }
};

/// The node holding a value of type T.
template <class T> struct TypedMessageNode final : MessageNode {
    template <class... A> explicit TypedMessageNode(A&&... a) : value(std::forward<A>(a)...) {
        type = typeTag<T>();
    }
    T value;
};

/// An owned message of any movable C++ type, matched type-safely with is<T>() / as<T>().
class Message {
public:
    Message() = default;
    explicit Message(MessageNode* n) : m_node(n) {}
    Message(Message&& o) noexcept : m_node(std::exchange(o.m_node, nullptr)) {}
    Message& operator=(Message&& o) noexcept {
        if (this != &o) {
            reset();
            m_node = std::exchange(o.m_node, nullptr);
        }
        return *this;
    }
    Message(const Message&) = delete;
    Message& operator=(const Message&) = delete;
    ~Message() { reset(); }

    /// Wraps a value into a message.
    template <class T> static Message of(T&& value) {
        using V = std::decay_t<T>;
        return Message(new TypedMessageNode<V>(std::forward<T>(value)));
    }
    /// Builds a message of type T in place.
    template <class T, class... A> static Message make(A&&... a) {
        return Message(new TypedMessageNode<T>(std::forward<A>(a)...));
    }

    /// True when the message holds a T.
    template <class T> bool is() const { return m_node && m_node->type == typeTag<T>(); }
    /// The held T; precondition: is<T>().
    template <class T> T& as() { return static_cast<TypedMessageNode<T>*>(m_node)->value; }
    template <class T> const T& as() const { return static_cast<const TypedMessageNode<T>*>(m_node)->value; }
    /// Pointer to the held T, or nullptr when it holds something else.
    template <class T> T* tryAs() { return is<T>() ? &as<T>() : nullptr; }
    template <class T> const T* tryAs() const { return is<T>() ? &as<T>() : nullptr; }

    explicit operator bool() const { return m_node != nullptr; }
    /// Gives up ownership of the node (for the mailbox).
    MessageNode* release() { return std::exchange(m_node, nullptr); }
    MessageNode* node() const { return m_node; }
    void reset() {
        delete m_node;
        m_node = nullptr;
    }

private:
    MessageNode* m_node = nullptr;
};

} // namespace canopy
