#include "introspection/probe/probe_token.h"
#include "introspection/token_file.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace canopy::introspection {

std::string ProbeToken::defaultFile() {
    auto file = defaultTokenFile();
    if (!file.ok()) throw std::runtime_error("canopy probe: " + file.error());
    return *file;
}

std::string ProbeToken::generate() {
    std::random_device rd;
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 4; ++i) {
        std::uint64_t v = (std::uint64_t(rd()) << 32) ^ rd();
        for (int j = 0; j < 8; ++j) {
            out.push_back(hex[v & 15]);
            v >>= 4;
        }
    }
    return out;
}

std::string ProbeToken::resolve(const std::string& given, const std::string& fileIn) {
    if (!given.empty()) return given;
    const std::string file = fileIn.empty() ? defaultFile() : fileIn;
    int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) {
        if (std::string problem = tokenFileProblem(file, st); !problem.empty())
            throw std::runtime_error("canopy probe: " + problem);
        if (st.st_size > 0) {
            auto token = readTokenFile(file);
            if (token.ok()) return *token;
            if (token.error().find("is empty") == std::string::npos)
                throw std::runtime_error("canopy probe: " + token.error());
        }
        flags |= O_TRUNC; // the user's own empty (or blank) file: fill it
    } else if (errno == ENOENT) {
        flags |= O_CREAT | O_EXCL; // never write into a file someone planted meanwhile
    } else {
        throw std::runtime_error("canopy probe: cannot read token file " + file + ": " + std::strerror(errno));
    }
    const std::string token = generate();
    const int fd = ::open(file.c_str(), flags, 0600);
    if (fd < 0)
        throw std::runtime_error("canopy probe: cannot write token file " + file + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);
    const std::string data = token + "\n";
    const ssize_t w = ::write(fd, data.data(), data.size());
    ::close(fd);
    if (w != ssize_t(data.size())) throw std::runtime_error("canopy probe: short write to token file " + file);
    return token;
}

bool ProbeToken::equal(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace canopy::introspection
