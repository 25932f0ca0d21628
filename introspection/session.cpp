#include "introspection/session.h"
#include "introspection/file_source.h"
#include "introspection/live_source.h"
#include "introspection/protocol.h"
#include "introspection/saturating.h"
#include "introspection/session_reader.h"
#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>

namespace canopy::introspection {

namespace {

using Clock = std::chrono::steady_clock;

int msUntil(Clock::time_point t) {
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(t - Clock::now()).count();
    return ms < 0 ? 0 : static_cast<int>(std::min<long long>(ms, 1LL << 30));
}

std::int64_t messageTime(const WireMessage& m) {
    if (auto* k = std::get_if<Keyframe>(&m)) return k->timeNs;
    if (auto* d = std::get_if<Delta>(&m)) return d->timeNs;
    if (auto* s = std::get_if<Sample>(&m)) return s->timeNs;
    return INT64_MIN;
}

std::string isoUtcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// Deltas per second over the last second, in ten 100 ms buckets.
struct RateMeter {
    std::array<std::uint64_t, 10> counts{};
    std::int64_t bucket = 0; ///< index of the newest bucket (100 ms units since the epoch of Clock)

    static std::int64_t now() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count() / 100;
    }
    void roll(std::int64_t b) {
        if (b <= bucket) return;
        for (std::int64_t i = bucket + 1; i <= b && i <= bucket + 10; ++i) counts[std::size_t(i % 10)] = 0;
        bucket = b;
    }
    void add(std::uint64_t n) {
        roll(now());
        counts[std::size_t(bucket % 10)] += n;
    }
    double perSecond() {
        roll(now());
        std::uint64_t sum = 0;
        for (auto c : counts) sum += c;
        return double(sum);
    }
};

} // namespace

struct Session::Impl {
    bool file = false;
    SessionModel model;
    SessionState state;
    std::vector<std::string> warnings;
    /// A change set not handed out yet (the initial reset of a file session).
    ChangeSet pending;
    bool hasPending = false;

    // Live.
    LiveOptions options;
    LiveSource live;
    bool attempting = false;
    bool awaitingKeyframe = true;
    bool expectSubscriptionResync = false;
    Welcome welcome;
    Clock::time_point welcomeAt{};
    Clock::time_point keyframeDeadline{};
    Clock::time_point lastMessageAt{};
    Clock::time_point lastSampleAt{};
    bool haveSample = false;
    RateMeter rate;
    std::vector<CommandResult> results;
    std::unique_ptr<SessionWriter> writer;
    std::string recordingPath;
    /// startRecording() before the first keyframe: the file opens when it arrives.
    bool recordingPending = false;
    SessionWriter::Options recordingOptions;

    // File: the source replays in file order; its reader seeks.
    std::unique_ptr<FileSource> source;
    SessionReader* reader = nullptr;
    std::string path;
    std::int64_t positionNs = 0;

    std::string where() const { return file ? path : options.host + ":" + std::to_string(options.port); }

    void setState(SessionState::Kind kind, std::string reason, std::string message) {
        state.kind = kind;
        state.reason = std::move(reason);
        state.message = std::move(message);
        if (kind != SessionState::Kind::Refused) state.refusal = SessionState::Refusal::None;
    }

    void lose(std::string reason) {
        live.close();
        attempting = false;
        std::string message = reason.rfind(where(), 0) == 0 ? reason : where() + ": " + reason;
        setState(SessionState::Kind::Lost, std::move(reason), message + (model.hasBase() ? " (showing the last tree received)" : ""));
    }

    void connectFailed() {
        attempting = false;
        using E = LiveSource::ConnectError;
        const std::string& why = live.error();
        const E e = live.connectError();
        if (e == E::BadToken || e == E::VersionMismatch || e == E::NotAProbe || e == E::Refused) {
            setState(SessionState::Kind::Refused, live.refusal().code.empty() ? "not_a_probe" : live.refusal().code, why);
            state.refusal = e == E::BadToken          ? SessionState::Refusal::BadToken
                            : e == E::VersionMismatch ? SessionState::Refusal::VersionMismatch
                            : e == E::NotAProbe       ? SessionState::Refusal::NotAProbe
                                                      : SessionState::Refusal::Other;
            if (e == E::VersionMismatch) {
                state.serverMajor = live.refusal().serverMajor;
                state.serverMinor = live.refusal().serverMinor;
                state.clientMajor = protocol::kVersionMajor;
                state.clientMinor = protocol::kVersionMinor;
            }
            return;
        }
        setState(SessionState::Kind::Lost, why, why);
    }

    Status openRecording(std::int64_t startNs) {
        auto w = std::make_unique<SessionWriter>();
        SessionHeader header;
        header.startNs = startNs;
        header.created = isoUtcNow();
        header.source = where() + (welcome.server.empty() ? "" : " (" + welcome.server + ")");
        if (Status s = w->open(recordingPath, header, recordingOptions); !s) return s;
        writer = std::move(w);
        return {};
    }

    void tee(const WireMessage& m) {
        if (recordingPending) {
            auto* k = std::get_if<Keyframe>(&m);
            if (!k) return; // the file starts with a keyframe
            recordingPending = false;
            if (Status s = openRecording(k->timeNs); !s) {
                warnings.push_back("recording to " + recordingPath + " did not start: " + s.error());
                return;
            }
        }
        if (!writer) return;
        if (Status s = writer->write(m); !s) {
            warnings.push_back("recording to " + recordingPath + " stopped: " + s.error());
            writer->close();
            writer.reset();
        }
    }

    /// `loader`: the keyframe sink next() decoded into (a first keyframe's records are already in
    /// the model's tree; the loader completes it).
    void handle(WireMessage&& m, ChangeSet& changes, SessionModel::KeyframeLoader* loader = nullptr) {
        lastMessageAt = Clock::now();
        if (auto* r = std::get_if<CommandResult>(&m)) {
            results.push_back(std::move(*r));
            return;
        }
        if (auto* n = std::get_if<ResyncNotice>(&m)) {
            tee(m);
            model.apply(m);
            state.drops = std::max(state.drops, n->dropped);
            if (n->reason == "subscription_changed" && expectSubscriptionResync) {
                expectSubscriptionResync = false; // our own subscribe: not a problem to show
                return;
            }
            const bool answersGap = n->reason == "requested" && state.kind == SessionState::Kind::Resyncing;
            if (!answersGap) ++state.resyncs;
            setState(SessionState::Kind::Resyncing, n->reason,
                     where() + ": resyncing (" + n->reason + ", " + std::to_string(state.drops) + " events dropped so far)");
            return;
        }
        const bool keyframe = std::holds_alternative<Keyframe>(m);
        const bool delta = std::holds_alternative<Delta>(m);
        const bool sample = std::holds_alternative<Sample>(m);
        if (!keyframe && !delta && !sample) return; // welcome, echoes: nothing for the model
        tee(m);
        ChangeSet one;
        SessionModel::Apply a = SessionModel::Apply::Applied;
        if (keyframe && loader) loader->finish(std::move(std::get<Keyframe>(m)), &one);
        else a = model.apply(std::move(m), &one);
        changes.append(std::move(one));
        if (a == SessionModel::Apply::Gap) {
            ++state.resyncs;
            live.send(KeyframeRequest{});
            setState(SessionState::Kind::Resyncing, "gap", where() + ": sequence gap; asked the probe for a keyframe");
            return;
        }
        if (delta && a == SessionModel::Apply::Applied) rate.add(1);
        if (sample) {
            lastSampleAt = lastMessageAt;
            haveSample = true;
        }
        if (keyframe) {
            awaitingKeyframe = false;
            setState(SessionState::Kind::Live, "", "live: " + where());
        } else if (state.kind == SessionState::Kind::Stale && !model.needsKeyframe()) {
            setState(SessionState::Kind::Live, "", "live: " + where());
        }
    }

    ChangeSet takePending(ChangeSet&& later) {
        if (!hasPending) return std::move(later);
        hasPending = false;
        ChangeSet out = std::move(pending);
        pending = ChangeSet{};
        out.append(std::move(later));
        return out;
    }

    ChangeSet stepLive(int timeoutMs) {
        ChangeSet changes;
        if (state.finished()) return changes;
        const auto start = Clock::now();
        const auto until = start + std::chrono::milliseconds(std::max(0, timeoutMs));
        if (!live.isConnected()) {
            if (!attempting) {
                LiveSource::Options o;
                o.host = options.host;
                o.port = options.port;
                o.token = options.token;
                o.encoding = options.encoding;
                o.connectTimeoutMs = options.connectTimeoutMs;
                o.client = options.client;
                live.begin(o);
                attempting = true;
                awaitingKeyframe = true;
                keyframeDeadline = start + std::chrono::milliseconds(std::max(0, options.connectTimeoutMs));
                setState(SessionState::Kind::Connecting, "", "connecting to " + where());
            }
            LiveSource::Progress p = live.advance(msUntil(until));
            if (p == LiveSource::Progress::Failed) {
                connectFailed();
                return changes;
            }
            if (p == LiveSource::Progress::InProgress) return changes;
            welcome = live.welcome();
            welcomeAt = Clock::now();
            lastMessageAt = welcomeAt;
            if (!model.hasBase()) model.setStartNs(welcome.startNs);
            else model.expectKeyframe(); // a new connection numbers its deltas afresh
            if (options.root != 0 || options.sampleHz != 1.0) {
                // The probe's default is the whole tree at 1 Hz; anything else is asked for (and
                // answered by a second keyframe, announced by a resync we do not show).
                live.send(Subscribe{options.root, options.sampleHz});
                expectSubscriptionResync = true;
            }
            setState(SessionState::Kind::Connecting, "", "connected to " + where() + "; waiting for the first keyframe");
        }
        // Wait up to the timeout for the first message; then take what is there, for at most the
        // step's time (at least 10 ms of work, so a flood is drained in reasonable gulps).
        const auto workUntil = std::max(until, start + std::chrono::milliseconds(10));
        bool got = false;
        while (true) {
            WireMessage m;
            const int wait = got ? 0 : msUntil(until);
            // A first keyframe (no tree yet, nothing recording) is decoded straight into the model.
            std::optional<SessionModel::KeyframeLoader> loader;
            if (!model.hasBase() && !recordingPending && !writer) loader.emplace(model);
            live.setKeyframeSink(loader ? &*loader : nullptr);
            Source::Outcome st = live.next(m, wait);
            live.setKeyframeSink(nullptr);
            if (loader && st == Source::Outcome::Error) {
                // A keyframe that failed to decode may have left records in the model: drop them.
                loader.reset();
                const std::int64_t startNs = model.startNs();
                model = SessionModel{};
                model.setStartNs(startNs);
            }
            if (st == Source::Outcome::Timeout) break;
            if (st == Source::Outcome::End) {
                if (awaitingKeyframe) {
                    lose("the probe closed the connection before sending a keyframe");
                } else {
                    live.close();
                    attempting = false;
                    setState(SessionState::Kind::Ended, "the probe closed the connection",
                             where() + ": the probe closed the connection");
                }
                return changes;
            }
            if (st == Source::Outcome::Error) {
                lose(live.error());
                return changes;
            }
            handle(std::move(m), changes, loader ? &*loader : nullptr);
            got = true;
            if (Clock::now() >= workUntil) break;
        }
        const auto now = Clock::now();
        if (awaitingKeyframe && now >= keyframeDeadline) {
            lose("no keyframe within " + std::to_string(options.connectTimeoutMs) + " ms");
            return changes;
        }
        if (!got && state.kind == SessionState::Kind::Live &&
            now - lastMessageAt >= std::chrono::milliseconds(options.staleAfterMs)) {
            const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(now - lastMessageAt).count();
            setState(SessionState::Kind::Stale, "silent",
                     where() + ": no data for " + std::to_string(silent / 1000) + "." +
                         std::to_string((silent % 1000) / 100) + " s");
        }
        if (!got && model.hasBase() && !model.needsKeyframe()) model.advanceTime(liveNowNs(), &changes);
        return changes;
    }

    /// Session time now on the probe's clock, estimated from the welcome.
    std::int64_t liveNowNs() const {
        if (welcomeAt == Clock::time_point{}) return model.snapshot().timeNs;
        const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - welcomeAt).count();
        return std::max(model.snapshot().timeNs, saturating::sub(saturating::add(welcome.nowNs, since), model.startNs()));
    }

    ChangeSet seekFile(std::int64_t t) {
        ChangeSet changes;
        t = std::clamp<std::int64_t>(t, 0, reader->durationNs());
        SessionModel target;
        target.setStartNs(reader->startNs());
        auto off = reader->seek(t, target);
        if (!off.ok()) {
            warnings.push_back(off.error());
            return changes;
        }
        target.advanceTime(t);
        model.assignFrom(std::move(target), &changes);
        source->setOffset(*off);
        positionNs = t;
        changes.timeNs = t;
        updateFileState();
        return changes;
    }

    ChangeSet advanceFile(std::int64_t t) {
        if (t < positionNs) return seekFile(t);
        t = std::min(t, reader->durationNs());
        // A jump past several keyframes is a seek (net differences); a step plays what happened.
        const std::int64_t from = saturating::add(reader->startNs(), positionNs);
        const std::int64_t to = saturating::add(reader->startNs(), t);
        std::size_t keyframesBetween = 0;
        for (const auto& e : reader->index())
            if (e.timeNs > from && e.timeNs <= to) ++keyframesBetween;
        if (keyframesBetween > 2) return seekFile(t);
        ChangeSet changes;
        WireMessage m;
        while (true) {
            const std::uint64_t at = source->offset();
            if (source->next(m, 0) != Source::Outcome::Message) break;
            const std::int64_t mt = messageTime(m);
            if (mt != INT64_MIN && mt > to) {
                source->setOffset(at); // not yet: the next advanceTo takes it
                break;
            }
            ChangeSet one;
            model.apply(std::move(m), &one);
            changes.append(std::move(one));
        }
        model.advanceTime(t, &changes);
        positionNs = t;
        changes.timeNs = t;
        updateFileState();
        return changes;
    }

    /// Opens the file session over `src` (positioned at 0, the initial reset pending).
    Status openSource(std::unique_ptr<FileSource> src, std::int64_t at) {
        if (!src->ok()) return Status::failure(src->error());
        source = std::move(src);
        reader = &source->reader();
        model.setStartNs(reader->startNs());
        pending = seekFile(at);
        hasPending = true;
        return {};
    }

    void updateFileState() {
        const bool atEnd = positionNs >= reader->durationNs() && source->offset() >= reader->dataEnd();
        if (atEnd) setState(SessionState::Kind::Ended, "end of file", path + ": end of the session");
        else setState(SessionState::Kind::Replay, "", path);
    }
};

Session::Session() : m_impl(std::make_unique<Impl>()) {}
Session::~Session() {
    if (m_impl && m_impl->writer) m_impl->writer->close();
}

std::unique_ptr<Session> Session::live(const LiveOptions& options) {
    std::unique_ptr<Session> s(new Session());
    s->m_impl->options = options;
    s->m_impl->setState(SessionState::Kind::Connecting, "", "connecting to " + s->m_impl->where());
    return s;
}

Result<std::unique_ptr<Session>> Session::openFile(const std::string& path) {
    std::unique_ptr<Session> s(new Session());
    Impl& d = *s->m_impl;
    d.file = true;
    d.path = path;
    if (Status st = d.openSource(std::make_unique<FileSource>(path), 0); !st)
        return Result<std::unique_ptr<Session>>::failure(st.error());
    return s;
}

ChangeSet Session::step(int timeoutMs) {
    if (m_impl->file) return m_impl->takePending(ChangeSet{});
    return m_impl->stepLive(timeoutMs);
}

void Session::reconnect() {
    Impl& d = *m_impl;
    if (d.file) return;
    d.live.close();
    d.attempting = false;
    d.expectSubscriptionResync = false;
    d.setState(SessionState::Kind::Connecting, "", "connecting to " + d.where());
}

void Session::setToken(const std::string& token) {
    m_impl->options.token = token;
    reconnect();
}

Status Session::requestKeyframe() {
    Impl& d = *m_impl;
    if (d.file) return Status::failure(d.path + ": a session file has no probe to ask");
    if (!d.live.isConnected()) return Status::failure(d.where() + ": not connected");
    return d.live.send(KeyframeRequest{});
}

ChangeSet Session::seek(std::int64_t sessionTimeNs) {
    if (!m_impl->file) return {};
    return m_impl->takePending(m_impl->seekFile(sessionTimeNs));
}

ChangeSet Session::advanceTo(std::int64_t sessionTimeNs) {
    if (!m_impl->file) return {};
    return m_impl->takePending(m_impl->advanceFile(sessionTimeNs));
}

Status Session::send(const Command& command) {
    Impl& d = *m_impl;
    if (d.file) return Status::failure(d.path + ": a session file takes no commands");
    if (!d.live.isConnected()) return Status::failure(d.where() + ": not connected");
    if (!d.welcome.commandsEnabled)
        return Status::failure(d.where() + ": the probe does not accept commands (it was started without them)");
    return d.live.send(command);
}

std::vector<CommandResult> Session::takeCommandResults() { return std::exchange(m_impl->results, {}); }

Status Session::startRecording(const std::string& path, const SessionWriter::Options& options) {
    Impl& d = *m_impl;
    if (d.file) return Status::failure("a session file cannot be recorded again: " + d.path);
    if (d.writer || d.recordingPending) return Status::failure("already recording to " + d.recordingPath);
    d.recordingPath = path;
    d.recordingOptions = options;
    if (!d.model.hasBase() || d.model.needsKeyframe()) {
        // Before the first keyframe: the file opens with it (session time 0 = that keyframe). Check
        // now that the file can be written.
        std::FILE* probe = std::fopen(path.c_str(), "wb");
        if (!probe) return Status::failure("cannot create " + path + ": " + std::strerror(errno));
        std::fclose(probe);
        d.recordingPending = true;
        return {};
    }
    // Session time 0 of the file = the moment recording began; it starts with the model's keyframe.
    if (Status s = d.openRecording(d.model.lastTimeNs()); !s) return s;
    if (Status s = d.writer->writeKeyframe(d.model.makeKeyframe()); !s) {
        d.writer.reset();
        return s;
    }
    return {};
}

Status Session::stopRecording() {
    Impl& d = *m_impl;
    d.recordingPending = false;
    if (!d.writer) return {};
    Status s = d.writer->close();
    d.writer.reset();
    return s;
}

bool Session::recording() const { return m_impl->writer != nullptr || m_impl->recordingPending; }
const std::string& Session::recordingPath() const { return m_impl->recordingPath; }
SessionIndex Session::recordingIndex() const { return m_impl->writer ? m_impl->writer->index() : SessionIndex{}; }

Result<std::unique_ptr<Session>> Session::openRecorded() {
    using R = Result<std::unique_ptr<Session>>;
    Impl& d = *m_impl;
    if (!d.writer) return R::failure("not recording");
    d.writer->flush();
    std::unique_ptr<Session> s(new Session());
    Impl& r = *s->m_impl;
    r.file = true;
    r.path = d.recordingPath;
    auto src = std::make_unique<FileSource>(d.recordingPath, d.writer->index(), d.writer->bytesWritten());
    if (!src->ok()) return R::failure(src->error());
    // Positioned at the newest moment recorded.
    const std::int64_t end = src->reader().durationNs();
    if (Status st = r.openSource(std::move(src), end); !st) return R::failure(st.error());
    return s;
}

const SessionState& Session::state() const { return m_impl->state; }
const SessionModel& Session::model() const { return m_impl->model; }
bool Session::isFile() const { return m_impl->file; }
SessionReader* Session::reader() { return m_impl->reader; }
const Welcome& Session::welcome() const { return m_impl->welcome; }
bool Session::commandsEnabled() const {
    return !m_impl->file && m_impl->live.isConnected() && m_impl->welcome.commandsEnabled;
}
std::string Session::describe() const { return m_impl->where(); }

std::int64_t Session::timeNs() const {
    return m_impl->file ? m_impl->positionNs : m_impl->model.snapshot().timeNs;
}

std::int64_t Session::durationNs() const {
    if (m_impl->file) return m_impl->reader->durationNs();
    return m_impl->liveNowNs();
}

double Session::eventsPerSecond() const { return m_impl->file ? 0.0 : m_impl->rate.perSecond(); }

std::int64_t Session::sampleAgeNs() const {
    if (m_impl->file || !m_impl->haveSample) return -1;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - m_impl->lastSampleAt).count();
}

std::vector<std::string> Session::warnings() const {
    std::vector<std::string> out;
    if (m_impl->reader) out = m_impl->reader->warnings();
    for (const auto& w : m_impl->warnings)
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    return out;
}

} // namespace canopy::introspection
