#include "introspection/snapshot_loader.h"
#include "introspection/saturating.h"
#include "introspection/live_source.h"
#include "introspection/session.h"
#include "introspection/session_reader.h"
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace canopy::introspection {

bool isFileSource(const std::string& source) {
    struct stat st {};
    return ::stat(source.c_str(), &st) == 0;
}

Result<std::string> readTokenFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Result<std::string>::failure("cannot read token file " + path + ": " + std::strerror(errno));
    std::string line;
    std::getline(in, line);
    auto b = line.find_first_not_of(" \t\r\n");
    auto e = line.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) return Result<std::string>::failure("token file " + path + " is empty");
    return line.substr(b, e - b + 1);
}

std::string defaultTokenFile() {
    const char* home = std::getenv("HOME");
    std::string dir = (home && *home) ? home : ".";
    return dir + "/.canopy_token";
}

Result<std::string> resolveToken(const std::string& token, const std::string& tokenFile) {
    if (!token.empty()) return token;
    if (!tokenFile.empty()) return readTokenFile(tokenFile);
    if (const char* env = std::getenv("CANOPY_TOKEN"); env && *env) return std::string(env);
    const std::string def = defaultTokenFile();
    if (isFileSource(def)) return readTokenFile(def);
    return std::string();
}

namespace {

using Clock = std::chrono::steady_clock;

Result<TreeSnapshot> loadLive(const std::string& source, const std::pair<std::string, std::uint16_t>& hostPort,
                              const LoadOptions& options) {
    auto token = resolveToken(options.token, options.tokenFile);
    if (!token.ok()) return Result<TreeSnapshot>::failure(token.error());
    Session::LiveOptions o;
    o.host = hostPort.first;
    o.port = hostPort.second;
    o.token = *token;
    o.connectTimeoutMs = options.timeoutMs;
    o.client = "canopy snapshot";
    o.encoding = Encoding::Cbor; // compact and faster to decode for big trees
    o.sampleHz = 1.0;            // the probe's default: one keyframe, no subscription
    auto session = Session::live(o);
    // Until the first keyframe (the session gives up itself after connectTimeoutMs).
    while (!session->state().finished() && !session->model().hasBase()) session->step(50);
    if (!session->model().hasBase() || session->state().finished()) {
        if (session->state().kind == SessionState::Kind::Ended)
            return Result<TreeSnapshot>::failure(source + ": the probe closed the connection");
        return Result<TreeSnapshot>::failure(session->state().message);
    }
    // Then what is already on its way (at most 20 ms of quiet, 250 ms in all): the tree now. A gap
    // meanwhile waits for the repairing keyframe, within the same deadline as the first one.
    const auto start = Clock::now();
    const auto quietUntil = start + std::chrono::milliseconds(250);
    const auto deadline = start + std::chrono::milliseconds(options.timeoutMs);
    while (!session->state().finished()) {
        ChangeSet c = session->step(20);
        const bool current = session->state().kind == SessionState::Kind::Live && !session->model().needsKeyframe();
        if (current && (c.empty() || Clock::now() >= quietUntil)) break;
        if (!current && Clock::now() >= deadline)
            return Result<TreeSnapshot>::failure(source + ": no keyframe within " + std::to_string(options.timeoutMs) +
                                                 " ms after a sequence gap (" + session->state().message + ")");
    }
    if (!session->model().hasBase() || session->model().needsKeyframe())
        return Result<TreeSnapshot>::failure(session->state().message);
    return session->model().snapshotAt(std::max<std::int64_t>(0, session->durationNs()));
}

Result<TreeSnapshot> loadFile(const std::string& source, const LoadOptions& options) {
    std::int64_t t = -1;
    if (options.atSeconds) {
        const double at = *options.atSeconds;
        if (!std::isfinite(at) || at < 0)
            return Result<TreeSnapshot>::failure("time " + std::to_string(at) + " s is not a moment of the session (must be >= 0)");
        t = static_cast<std::int64_t>(std::min(at, 9e9) * 1e9); // 9e9 s keeps the product inside int64
    }
    auto opened = Session::openFile(source);
    if (!opened.ok()) return Result<TreeSnapshot>::failure(opened.error());
    Session& session = **opened;
    SessionReader& reader = *session.reader();
    if (t < 0) t = session.durationNs();
    // Before the recording's first keyframe nothing is known about the tree (unless the stream starts
    // from the runtime's start, with deltas before any keyframe).
    const auto& index = reader.index();
    if (options.atSeconds && !index.empty() && index.front().offset == reader.dataBegin()) {
        const std::int64_t first = saturating::sub(index.front().timeNs, reader.startNs());
        if (t < first) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "%.3f s is before the first keyframe of the session (at %.3f s)",
                          double(t) / 1e9, double(first) / 1e9);
            return Result<TreeSnapshot>::failure(source + ": " + buf + ": nothing is known about the tree then");
        }
    }
    session.seek(t);
    if (options.warnings)
        for (const auto& w : session.warnings()) options.warnings->push_back(w);
    if (!session.model().hasBase() || session.model().needsKeyframe())
        return Result<TreeSnapshot>::failure(source + ": no readable keyframe at or before " +
                                             std::to_string(double(t) / 1e9) + " s (see the warnings)");
    return session.model().snapshotAt(std::min(t, session.durationNs()));
}

} // namespace

Result<TreeSnapshot> loadSnapshot(const std::string& source, const LoadOptions& options) {
    if (source.empty()) return Result<TreeSnapshot>::failure("no source given (host:port or a session file)");
    if (isFileSource(source)) return loadFile(source, options);
    if (source.find(':') == std::string::npos)
        return Result<TreeSnapshot>::failure("no such session file: " + source + " (a live target is host:port)");
    auto hp = LiveSource::parseHostPort(source);
    if (!hp.ok()) return Result<TreeSnapshot>::failure(hp.error() + " (and no such session file)");
    if (options.atSeconds && options.warnings)
        options.warnings->push_back("warning: " + source + " is live: showing the tree now, not at a given time");
    return loadLive(source, *hp, options);
}

} // namespace canopy::introspection
