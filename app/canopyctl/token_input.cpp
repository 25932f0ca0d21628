#include "app/canopyctl/token_input.h"
#include <cerrno>
#include <cstring>
#include <optional>
#include <unistd.h>

namespace canopy::app {

introspection::Result<std::string> TokenInput::readLine(int fd, const std::string& what) {
    using R = introspection::Result<std::string>;
    std::string line;
    char c;
    while (true) {
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return R::failure("cannot read the token from " + what + ": " + std::strerror(errno));
        if (n == 0 || c == '\n') break;
        line += c;
        if (line.size() > 4096) return R::failure("the token on " + what + " is longer than 4096 bytes");
    }
    auto b = line.find_first_not_of(" \t\r");
    auto e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) return R::failure("no token on " + what + " (expected one line)");
    return line.substr(b, e - b + 1);
}

introspection::Result<std::string> TokenInput::read(bool fromStdin, int fd) {
    static std::optional<introspection::Result<std::string>> once;
    if (!once) once = fromStdin ? readLine(0, "stdin") : readLine(fd, "file descriptor " + std::to_string(fd));
    return *once;
}

} // namespace canopy::app
