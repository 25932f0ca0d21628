#include "app/canopy-beam/beam_connection.h"
#include "app/canopy-beam/beam_error.h"
#include "app/canopy-beam/beam_term_reader.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ei.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace canopy::beam {

namespace {

/// Asks epmd on `host` whether `alive` is registered: 1 yes, 0 no, -1 epmd unreachable.
int epmdLookup(const std::string& host, const std::string& alive, unsigned timeoutMs) {
    const char* portEnv = std::getenv("ERL_EPMD_PORT");
    const std::string port = portEnv && *portEnv ? portEnv : "4369";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) return -1;
    int result = -1;
    for (addrinfo* ai = res; ai && result < 0; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        timeval tv{};
        tv.tv_sec = timeoutMs / 1000;
        tv.tv_usec = (timeoutMs % 1000) * 1000;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            // PORT_PLEASE2_REQ: length, 'z', name; the reply is 'w', result (0 = registered).
            std::string req;
            const std::size_t len = 1 + alive.size();
            req.push_back(char(len >> 8));
            req.push_back(char(len & 0xff));
            req.push_back('z');
            req += alive;
            unsigned char reply[2] = {0, 0};
            if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size()) &&
                ::recv(fd, reply, 2, MSG_WAITALL) == 2 && reply[0] == 'w')
                result = reply[1] == 0 ? 1 : 0;
        }
        ::close(fd);
    }
    ::freeaddrinfo(res);
    return result;
}

std::string connectError(const std::string& node, const std::string& host, int err) {
    // ei_connect reports: EHOSTUNREACH (no epmd / node not registered), EIO (handshake: usually
    // the cookie), ETIMEDOUT.
    if (err == EHOSTUNREACH || err == ECONNREFUSED)
        return "cannot reach node " + node + ": it is not running (no such name registered with epmd on " + host +
               ", or epmd is not running)";
    if (err == ETIMEDOUT) return "cannot reach node " + node + ": timed out";
    if (err == EIO)
        return "node " + node + " refused the connection: wrong cookie? (give --cookie or --cookie-file; the default "
               "is ~/.erlang.cookie)";
    return "cannot connect to node " + node + ": " + std::strerror(err);
}

} // namespace

BeamConnection::BeamConnection(const std::string& node, const std::string& cookie, unsigned timeoutMs)
    : m_cnode(std::make_unique<ei_cnode_s>()), m_node(node) {
    static const int initialised = ei_init();
    (void)initialised;
    const auto at = node.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == node.size())
        throw BeamError("bad node name '" + node + "' (expected name@host, e.g. todo@localhost)", 2);
    const std::string host = node.substr(at + 1);
    const std::string alive = "canopy_beam_" + std::to_string(::getpid());
    m_selfNode = alive + "@" + host;
    // The C node takes the observed node's host part, so short and long names match.
    if (ei_connect_xinit(m_cnode.get(), host.c_str(), alive.c_str(), m_selfNode.c_str(), nullptr, cookie.c_str(),
                         0) < 0)
        throw BeamError("cannot initialise erl_interface for " + m_selfNode, 2);
    std::vector<char> name(node.begin(), node.end());
    name.push_back('\0');
    m_fd = ei_connect_tmo(m_cnode.get(), name.data(), timeoutMs);
    if (m_fd < 0) {
        const int err = erl_errno;
        // erl_interface says EIO both for a refused handshake and for a name epmd does not know: ask epmd.
        switch (epmdLookup(host, node.substr(0, at), timeoutMs)) {
        case 0:
            throw BeamError("cannot reach node " + node + ": it is not running (epmd on " + host + " knows no node named " +
                                node.substr(0, at) + ")",
                            2);
        case -1:
            throw BeamError("cannot reach node " + node + ": epmd is not running on " + host +
                                " (or the host is unreachable), so no node is registered there",
                            2);
        default:
            throw BeamError(connectError(node, host, err), 2);
        }
    }
}

BeamConnection::~BeamConnection() {
    if (m_fd >= 0) ei_close_connection(m_fd);
}

void BeamConnection::encodeSelf(void* x) const {
    ei_x_encode_pid(static_cast<ei_x_buff*>(x), ei_self(m_cnode.get()));
}

bool BeamConnection::receiveOne(BeamMessage& out, bool& isRpcReply, unsigned timeoutMs) {
    ei_x_buff x;
    ei_x_new(&x);
    erlang_msg msg{};
    for (;;) {
        const int r = ei_xreceive_msg_tmo(m_fd, &msg, &x, timeoutMs);
        if (r == ERL_TICK) continue; // ei answers ticks itself
        if (r == ERL_ERROR) {
            const int err = erl_errno;
            ei_x_free(&x);
            if (err == ETIMEDOUT) return false;
            if (err == EAGAIN) continue;
            throw BeamError("node " + m_node + " went away (connection closed: " + std::string(std::strerror(err)) + ")", 3);
        }
        if (msg.msgtype != ERL_SEND && msg.msgtype != ERL_REG_SEND) continue;
        out.assign(x.buff, x.buff + x.index);
        ei_x_free(&x);
        BeamTermReader t(out.data(), int(out.size()));
        isRpcReply = t.type() == ERL_SMALL_TUPLE_EXT && t.tuple() == 2 && t.isAtom("rex");
        return true;
    }
}

BeamMessage BeamConnection::rpc(const std::string& module, const std::string& function,
                                const std::vector<char>& argsList, unsigned timeoutMs) {
    std::vector<char> mod(module.begin(), module.end()), fun(function.begin(), function.end());
    mod.push_back('\0');
    fun.push_back('\0');
    if (std::getenv("CANOPY_BEAM_DEBUG")) fprintf(stderr, "rpc %s:%s\n", module.c_str(), function.c_str());
    if (ei_rpc_to(m_cnode.get(), m_fd, mod.data(), fun.data(), argsList.data(), int(argsList.size())) < 0)
        throw BeamError("node " + m_node + " went away (rpc send failed)", 3);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            throw BeamError("node " + m_node + " did not answer " + module + ":" + function + " within " +
                                std::to_string(timeoutMs) + " ms",
                            3);
        BeamMessage m;
        bool reply = false;
        if (!receiveOne(m, reply, unsigned(left.count()))) continue;
        if (!reply) {
            m_pending.push_back(std::move(m));
            continue;
        }
        // {rex, Reply}: strip the wrapper so the caller reads Reply from the front.
        BeamTermReader t(m.data(), int(m.size()));
        t.tuple();
        t.skip();
        BeamMessage body;
        body.push_back(char(131)); // version byte
        body.insert(body.end(), m.begin() + t.index(), m.end());
        return body;
    }
}

bool BeamConnection::receive(BeamMessage& out, unsigned timeoutMs) {
    if (!m_pending.empty()) {
        out = std::move(m_pending.front());
        m_pending.pop_front();
        return true;
    }
    bool reply = false;
    while (receiveOne(out, reply, timeoutMs)) {
        if (!reply) return true; // a late rpc reply (after its deadline) is dropped
    }
    return false;
}

} // namespace canopy::beam
