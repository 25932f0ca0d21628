#include "introspection/snapshot_loader.h"
#include "introspection/saturating.h"
#include "introspection/live_source.h"
#include "introspection/session_model.h"
#include "introspection/session_reader.h"
#include "introspection/token_file.h"
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace canopy::introspection {

bool isFileSource(const std::string& source) {
    struct stat st {};
    return ::stat(source.c_str(), &st) == 0;
}

namespace {

Result<TreeSnapshot> loadLive(const std::string& source, const LoadOptions& options) {
    if (source.find(':') == std::string::npos)
        return Result<TreeSnapshot>::failure("no such session file: " + source + " (a live target is host:port)");
    auto hp = LiveSource::parseHostPort(source);
    if (!hp.ok()) return Result<TreeSnapshot>::failure(hp.error() + " (and no such session file)");
    LiveSource::Options o;
    o.host = hp->first;
    o.port = hp->second;
    auto token = resolveToken(options.token, options.tokenFile);
    if (!token.ok()) return Result<TreeSnapshot>::failure(token.error());
    o.token = *token;
    o.connectTimeoutMs = options.timeoutMs;
    o.client = "canopy snapshot";
    o.encoding = Encoding::Cbor; // compact and faster to decode for big trees
    LiveSource live;
    if (auto s = live.connect(o); !s) return Result<TreeSnapshot>::failure(s.error());
    SessionModel model;
    model.setStartNs(live.startNs());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeoutMs);
    WireMessage m;
    while (true) {
        int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        deadline - std::chrono::steady_clock::now()).count());
        // After the first keyframe, take what is already queued (wait at most 20 ms), then answer.
        int wait = model.hasBase() && !model.needsKeyframe() ? 20 : std::max(0, left);
        auto st = live.next(m, wait);
        if (st == Source::Outcome::Message) {
            model.apply(m);
            if (model.needsKeyframe() && model.hasBase()) live.send(KeyframeRequest{});
            continue;
        }
        if (model.hasBase() && !model.needsKeyframe()) break;
        if (st == Source::Outcome::Timeout)
            return Result<TreeSnapshot>::failure(source + ": no keyframe within " + std::to_string(options.timeoutMs) + " ms");
        if (st == Source::Outcome::End)
            return Result<TreeSnapshot>::failure(source + ": the probe closed the connection before sending a keyframe");
        return Result<TreeSnapshot>::failure(source + ": " + live.error());
    }
    const std::int64_t now = saturating::sub(std::max(model.lastTimeNs(), live.welcome().nowNs), model.startNs());
    return model.snapshotAt(std::max<std::int64_t>(0, now));
}

} // namespace

Result<TreeSnapshot> loadSnapshot(const std::string& source, const LoadOptions& options) {
    if (source.empty()) return Result<TreeSnapshot>::failure("no source given (host:port or a session file)");
    if (!isFileSource(source)) {
        if (options.atSeconds && options.warnings)
            options.warnings->push_back("warning: " + source + " is live: showing the tree now, not at a given time");
        return loadLive(source, options);
    }
    SessionReader reader;
    if (auto s = reader.open(source); !s) return Result<TreeSnapshot>::failure(s.error());
    std::int64_t t = reader.durationNs();
    if (options.atSeconds) {
        double at = *options.atSeconds;
        if (!std::isfinite(at) || at < 0)
            return Result<TreeSnapshot>::failure("time " + std::to_string(at) + " s is not a moment of the session (must be >= 0)");
        t = static_cast<std::int64_t>(std::min(at, 9e9) * 1e9); // 9e9 s keeps the product inside int64
    }
    auto snap = reader.snapshotAt(t);
    if (options.warnings)
        for (const auto& w : reader.warnings()) options.warnings->push_back(w);
    return snap;
}

} // namespace canopy::introspection
