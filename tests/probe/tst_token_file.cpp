#include "introspection/probe/probe_token.h"
#include "introspection/token_file.h"
#include <QtTest>
#include <optional>
#include <QTemporaryDir>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

using namespace canopy::introspection;

namespace {

/// Writes `text` to `path` with `mode` (whatever the umask).
void writeFile(const std::string& path, const std::string& text, mode_t mode) {
    std::ofstream(path, std::ios::trunc) << text;
    QCOMPARE(::chmod(path.c_str(), mode), 0);
}

/// The message ProbeToken::resolve throws, or "" when it returns a token.
std::string probeRefusal(const std::string& given, const std::string& file, std::string* token = nullptr) {
    try {
        const std::string t = ProbeToken::resolve(given, file);
        if (token) *token = t;
        return {};
    } catch (const std::runtime_error& e) {
        return e.what();
    }
}

/// Sets (or unsets, when value is null) an environment variable for one scope.
struct ScopedEnv {
    std::string name;
    std::optional<std::string> old;
    ScopedEnv(const char* n, const char* value) : name(n) {
        if (const char* v = std::getenv(n)) old = v;
        if (value) ::setenv(n, value, 1);
        else ::unsetenv(n);
    }
    ~ScopedEnv() {
        if (old) ::setenv(name.c_str(), old->c_str(), 1);
        else ::unsetenv(name.c_str());
    }
};

/// Changes the working directory for one scope.
struct ScopedCwd {
    std::string old;
    explicit ScopedCwd(const std::string& dir) {
        char buf[4096];
        old = ::getcwd(buf, sizeof buf) ? buf : "/";
        if (::chdir(dir.c_str()) != 0) qFatal("chdir failed");
    }
    ~ScopedCwd() { (void)!::chdir(old.c_str()); }
};

} // namespace

/// Token files are trusted the way Erlang trusts its cookie: owned by the user, private to the user,
/// found in $HOME and nowhere else unless named explicitly.
class TestTokenFile : public QObject {
    Q_OBJECT
private slots:
    void privateFileOfTheUserIsUsedBothSides() {
        QTemporaryDir home;
        ScopedEnv h("HOME", home.path().toUtf8().constData());
        ScopedEnv env("CANOPY_TOKEN", nullptr);
        writeFile(home.path().toStdString() + "/.canopy_token", "good-token\n", 0600);
        std::string token;
        QCOMPARE(QString::fromStdString(probeRefusal("", "", &token)), QString());
        QCOMPARE(token, std::string("good-token"));
        auto viewer = resolveToken("", "");
        QVERIFY2(viewer.ok(), viewer.ok() ? "" : viewer.error().c_str());
        QCOMPARE(*viewer, std::string("good-token"));
    }

    void fileReadableByOthersIsRefusedWithTheReason() {
        QTemporaryDir home;
        ScopedEnv h("HOME", home.path().toUtf8().constData());
        ScopedEnv env("CANOPY_TOKEN", nullptr);
        const std::string path = home.path().toStdString() + "/.canopy_token";
        for (mode_t mode : {mode_t(0644), mode_t(0640), mode_t(0604), mode_t(0660)}) {
            writeFile(path, "planted\n", mode);
            const std::string probe = probeRefusal("", "");
            QVERIFY2(probe.find(path) != std::string::npos && probe.find("group or others") != std::string::npos &&
                         probe.find("chmod 600") != std::string::npos,
                     probe.c_str());
            auto viewer = resolveToken("", "");
            QVERIFY2(!viewer.ok(), "the viewer used a token file others can read");
            QVERIFY2(viewer.error().find("group or others") != std::string::npos, viewer.error().c_str());
            // Named explicitly, the same rule holds.
            auto direct = readTokenFile(path);
            QVERIFY(!direct.ok());
            QVERIFY(!probeRefusal("", path).empty());
        }
        // The probe did not overwrite or "repair" the planted file.
        std::ifstream in(path);
        std::string line;
        std::getline(in, line);
        QCOMPARE(line, std::string("planted"));
    }

    void fileOwnedBySomeoneElseIsRefused() {
        if (::geteuid() != 0) QSKIP("needs root to give a file to another user (CI runs as root)");
        QTemporaryDir home;
        ScopedEnv h("HOME", home.path().toUtf8().constData());
        ScopedEnv env("CANOPY_TOKEN", nullptr);
        const std::string path = home.path().toStdString() + "/.canopy_token";
        writeFile(path, "planted\n", 0600);
        QCOMPARE(::chown(path.c_str(), 65534, 65534), 0);
        const std::string probe = probeRefusal("", "");
        QVERIFY2(probe.find("owned by uid 65534") != std::string::npos, probe.c_str());
        auto viewer = resolveToken("", "");
        QVERIFY(!viewer.ok());
        QVERIFY2(viewer.error().find("owned by uid 65534") != std::string::npos, viewer.error().c_str());
    }

    void homeUnsetNeverFallsBackToTheWorkingDirectory() {
        QTemporaryDir cwd;
        ScopedCwd inside(cwd.path().toStdString());
        ScopedEnv h("HOME", nullptr);
        ScopedEnv env("CANOPY_TOKEN", nullptr);
        writeFile(cwd.path().toStdString() + "/.canopy_token", "from-cwd\n", 0600);
        std::string token;
        const std::string probe = probeRefusal("", "", &token);
        QVERIFY2(probe.find("HOME") != std::string::npos, ("probe used token '" + token + "'").c_str());
        auto viewer = resolveToken("", "");
        QVERIFY2(!viewer.ok(), "the viewer read ./.canopy_token with HOME unset");
        QVERIFY2(viewer.error().find("HOME") != std::string::npos, viewer.error().c_str());
        // An explicit token or token file still works without HOME.
        QCOMPARE(probeRefusal("given", ""), std::string());
        auto named = resolveToken("", cwd.path().toStdString() + "/.canopy_token");
        QVERIFY(named.ok());
        QCOMPARE(*named, std::string("from-cwd"));
        ScopedEnv e2("CANOPY_TOKEN", "from-env");
        QCOMPARE(*resolveToken("", ""), std::string("from-env"));
    }

    void generatedTokenIsPrivateAndAFifoIsRefused() {
        QTemporaryDir dir;
        const std::string file = dir.path().toStdString() + "/token";
        std::string token;
        QCOMPARE(probeRefusal("", file, &token), std::string());
        QCOMPARE(token.size(), std::size_t(32));
        struct stat st {};
        QCOMPARE(::stat(file.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        auto back = readTokenFile(file);
        QVERIFY(back.ok());
        QCOMPARE(*back, token);
        // A FIFO must not hang either side.
        const std::string fifo = dir.path().toStdString() + "/fifo";
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        auto viewer = readTokenFile(fifo);
        QVERIFY(!viewer.ok());
        QVERIFY2(viewer.error().find("not a regular file") != std::string::npos, viewer.error().c_str());
        QVERIFY(probeRefusal("", fifo).find("not a regular file") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTokenFile)
#include "tst_token_file.moc"
