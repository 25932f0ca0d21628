#include "bench/gui/synthetic_probe.h"
#include "introspection/codec.h"
#include "introspection/frame_decoder.h"
#include "introspection/protocol.h"
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace canopy::bench {

using namespace canopy::introspection;

namespace {

bool sendAll(int fd, const std::vector<std::uint8_t>& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::fprintf(stderr, "synthetic probe: send failed: %s\n", n < 0 ? std::strerror(errno) : "nothing sent");
            return false;
        }
        off += std::size_t(n);
    }
    return true;
}

ProcessRecord record(std::uint64_t pid, std::uint64_t parent, std::uint64_t order) {
    ProcessRecord r;
    r.pid = pid;
    r.parent = parent;
    r.startOrder = order;
    r.initialCall = "Bench.Worker:init/1";
    r.restart = "temporary";
    r.memoryBytes = 600;
    return r;
}

} // namespace

SyntheticProbe::SyntheticProbe(Options options) : m_options(options) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(m_listen, 4);
    socklen_t len = sizeof a;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
}

SyntheticProbe::~SyntheticProbe() {
    if (m_listen >= 0) ::close(m_listen);
}

int SyntheticProbe::serveOne(int goFd) {
    const int fd = ::accept(m_listen, nullptr, nullptr);
    if (fd < 0) return 1;
    // Handshake: the viewer's hello (JSON), our welcome (JSON), then its encoding.
    FrameDecoder decoder;
    Encoding encoding = Encoding::Json;
    std::uint8_t buffer[4096];
    bool greeted = false;
    using Clock = std::chrono::steady_clock;
    const auto origin = Clock::now();
    const std::int64_t startNs = 1'000'000'000;
    auto now = [&] { return startNs + std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin).count(); };
    while (!greeted) {
        Frame frame;
        const auto st = decoder.next(frame);
        if (st == FrameDecoder::Status::Error) break;
        if (st == FrameDecoder::Status::Frame) {
            auto message = Codec::decodeFrame(frame);
            auto* hello = message.ok() ? std::get_if<Hello>(&*message) : nullptr;
            if (!hello) break;
            encoding = hello->encoding == "cbor" ? Encoding::Cbor : Encoding::Json;
            Welcome w;
            w.encoding = hello->encoding;
            w.startNs = startNs;
            w.nowNs = now();
            w.server = "synthetic probe (G2)";
            w.capabilities = {"samples"};
            sendAll(fd, *Codec::encodeFrame(w, Encoding::Json));
            greeted = true;
            break;
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        decoder.feed(buffer, std::size_t(n));
    }
    if (!greeted) {
        ::close(fd);
        return 1;
    }

    // The tree: pid 1 the root, pids 2.. the pools, then the workers.
    std::mt19937_64 random(42);
    std::uint64_t nextPid = 1, order = 1;
    std::vector<std::uint64_t> pools;
    std::vector<std::deque<std::uint64_t>> members(std::size_t(m_options.pools));
    std::vector<ProcessRecord> fixed;
    ProcessRecord root;
    root.pid = nextPid++;
    root.name = "Bench.Supervisor";
    root.kind = "supervisor";
    root.strategy = "one_for_one";
    root.maxRestarts = 3;
    root.maxSeconds = 5;
    root.startOrder = order++;
    fixed.push_back(root);
    for (int p = 0; p < m_options.pools; ++p) {
        ProcessRecord pool;
        pool.pid = nextPid++;
        pool.parent = root.pid;
        pool.name = "Bench.Pool." + std::to_string(p + 1);
        pool.childId = pool.name;
        pool.kind = "dynamic_supervisor";
        pool.strategy = "one_for_one";
        pool.startOrder = order++;
        pools.push_back(pool.pid);
        fixed.push_back(pool);
    }
    for (int p = 0; p < m_options.pools; ++p)
        for (int w = 0; w < m_options.workersPerPool; ++w) members[std::size_t(p)].push_back(nextPid++);
    auto keyframe = [&](std::uint64_t seq) {
        Keyframe k;
        k.seq = seq;
        k.timeNs = now();
        k.processes = fixed;
        for (int p = 0; p < m_options.pools; ++p)
            for (auto pid : members[std::size_t(p)]) k.processes.push_back(record(pid, pools[std::size_t(p)], pid));
        return k;
    };
    if (!sendAll(fd, *Codec::encodeFrame(keyframe(0), encoding))) {
        ::close(fd);
        return 1;
    }

    if (goFd >= 0) {
        // Wait for the go, swallowing what the viewer sends meanwhile (its socket never blocks), with
        // a sample of the totals twice a second (a silent probe would look stale).
        const std::uint64_t total = fixed.size() + std::uint64_t(m_options.pools) * std::uint64_t(m_options.workersPerPool);
        for (bool go = false; !go;) {
            pollfd fds[2] = {{goFd, POLLIN, 0}, {fd, POLLIN, 0}};
            const int ready = ::poll(fds, 2, 500);
            if (ready == 0) {
                Sample s;
                s.timeNs = now();
                s.processCount = total;
                if (!sendAll(fd, *Codec::encodeFrame(s, encoding))) {
                    ::close(fd);
                    return 1;
                }
                continue;
            }
            if (ready < 0) continue;
            if (fds[0].revents) {
                char byte = 0;
                if (::read(goFd, &byte, 1) != 1) { // the bench went away
                    ::close(fd);
                    return 1;
                }
                go = true;
            }
            if (fds[1].revents && ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT) <= 0) {
                ::close(fd);
                return 1;
            }
        }
    }
    std::uint64_t seq = 0;
    const auto streamStart = Clock::now();
    const auto end = streamStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(m_options.seconds));
    const auto resyncAt = streamStart + (end - streamStart) / 2;
    bool resynced = false;
    auto nextSample = streamStart + std::chrono::milliseconds(500);
    const int perTick = std::max(2, m_options.eventsPerSecond / 100); // every 10 ms
    auto tick = streamStart;
    std::vector<std::uint8_t> out;
    std::uint64_t processCount = fixed.size() + std::uint64_t(m_options.pools) * std::uint64_t(m_options.workersPerPool);
    while (Clock::now() < end) {
        tick += std::chrono::milliseconds(10);
        std::this_thread::sleep_until(tick);
        out.clear();
        // Half the events are exits of the oldest worker of a random pool, half are spawns of new ones.
        for (int e = 0; e + 1 < perTick; e += 2) {
            auto& pool = members[std::size_t(random() % members.size())];
            const std::size_t p = std::size_t(&pool - members.data());
            if (!pool.empty()) {
                Delta exit;
                exit.seq = ++seq;
                exit.timeNs = now();
                exit.type = DeltaType::Exit;
                exit.pid = pool.front();
                exit.reason = random() % 4 == 0 ? "chaos" : "normal";
                Codec::appendFrame(out, exit, encoding);
                pool.pop_front();
            }
            Delta spawn;
            spawn.seq = ++seq;
            spawn.timeNs = now();
            spawn.type = DeltaType::Spawn;
            spawn.pid = nextPid++;
            spawn.peer = pools[p];
            spawn.text = "Bench.Worker:init/1";
            spawn.process = record(spawn.pid, pools[p], spawn.pid);
            Codec::appendFrame(out, spawn, encoding);
            pool.push_back(spawn.pid);
        }
        if (Clock::now() >= nextSample) {
            nextSample += std::chrono::milliseconds(500);
            Sample s;
            s.timeNs = now();
            s.processCount = processCount;
            s.messageRate = 50000;
            std::int64_t total = 0;
            for (int i = 0; i < m_options.mailboxChangesPerSample; ++i) {
                auto& pool = members[std::size_t(random() % members.size())];
                if (pool.empty()) continue;
                const std::int64_t length = std::int64_t(random() % 40);
                s.mailboxes.emplace_back(pool[std::size_t(random() % pool.size())], length);
                total += length;
            }
            s.totalMailbox = total;
            Codec::appendFrame(out, s, encoding);
        }
        if (!resynced && Clock::now() >= resyncAt) {
            resynced = true;
            ResyncNotice notice;
            notice.dropped = 1234;
            notice.reason = "queue_overflow";
            Codec::appendFrame(out, notice, encoding);
            Codec::appendFrame(out, keyframe(seq), encoding);
        }
        if (!sendAll(fd, out)) {
            ::close(fd);
            return 1;
        }
        // Swallow what the viewer sends (keyframe requests) so its socket never blocks.
        while (::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0) {
        }
    }
    ::close(fd);
    return 0;
}

} // namespace canopy::bench
