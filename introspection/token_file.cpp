#include "introspection/token_file.h"
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace canopy::introspection {

namespace {

std::string octalMode(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", unsigned(mode & 07777));
    return buf;
}

/// Bytes read from the start of a token file (a token is one short line).
constexpr std::size_t kMaxTokenFileRead = 4096;

} // namespace

std::string tokenFileProblem(const std::string& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode)) return "token file " + path + " is not a regular file";
    if (st.st_uid != ::geteuid())
        return "token file " + path + " is owned by uid " + std::to_string(st.st_uid) + ", not by you (uid " +
               std::to_string(::geteuid()) + "): refusing to trust it";
    if ((st.st_mode & 077) != 0)
        return "token file " + path + " is accessible by group or others (mode " + octalMode(st.st_mode) +
               "): refusing to use it; run chmod 600 " + path;
    return {};
}

Result<std::string> readTokenFile(const std::string& path) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return Result<std::string>::failure("cannot read token file " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Result<std::string>::failure("cannot read token file " + path + ": " + std::strerror(err));
    }
    if (std::string problem = tokenFileProblem(path, st); !problem.empty()) {
        ::close(fd);
        return Result<std::string>::failure(problem);
    }
    std::string data(kMaxTokenFileRead, '\0');
    std::size_t got = 0;
    while (got < data.size()) {
        const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return Result<std::string>::failure("cannot read token file " + path + ": " + std::strerror(err));
        }
        if (n == 0) break;
        got += std::size_t(n);
    }
    ::close(fd);
    data.resize(got);
    const std::string line = data.substr(0, data.find('\n'));
    const auto b = line.find_first_not_of(" \t\r\n");
    const auto e = line.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) return Result<std::string>::failure("token file " + path + " is empty");
    return line.substr(b, e - b + 1);
}

Result<std::string> defaultTokenFile() {
    const char* home = std::getenv("HOME");
    if (!home || !*home)
        return Result<std::string>::failure(
            "HOME is not set, so there is no default token file ($HOME/.canopy_token); give a token or a token "
            "file explicitly");
    return std::string(home) + "/.canopy_token";
}

Result<std::string> resolveToken(const std::string& token, const std::string& tokenFile) {
    if (!token.empty()) return token;
    if (!tokenFile.empty()) return readTokenFile(tokenFile);
    if (const char* env = std::getenv("CANOPY_TOKEN"); env && *env) return std::string(env);
    auto def = defaultTokenFile();
    if (!def.ok()) return Result<std::string>::failure("no token: " + def.error() + " (or set CANOPY_TOKEN)");
    struct stat st {};
    if (::stat(def->c_str(), &st) != 0 && errno == ENOENT) return std::string();
    return readTokenFile(*def);
}

} // namespace canopy::introspection
