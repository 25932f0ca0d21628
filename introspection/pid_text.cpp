#include "introspection/pid_text.h"
#include <charconv>

namespace canopy::introspection {

namespace {
/// Writes `<0.N.0>` into `buf` (at least 26 bytes); returns its length.
std::size_t format(std::uint64_t pid, char* buf) {
    buf[0] = '<';
    buf[1] = '0';
    buf[2] = '.';
    char* end = std::to_chars(buf + 3, buf + 23, pid).ptr;
    end[0] = '.';
    end[1] = '0';
    end[2] = '>';
    return std::size_t(end + 3 - buf);
}
} // namespace

std::string pidText(std::uint64_t pid) {
    char buf[32];
    return std::string(buf, format(pid, buf));
}

void assignPidText(std::string& out, std::uint64_t pid) {
    char buf[32];
    out.assign(buf, format(pid, buf));
}

bool isPlainPidText(std::uint64_t pid, std::string_view text) {
    char buf[32];
    return text == std::string_view(buf, format(pid, buf));
}

} // namespace canopy::introspection
