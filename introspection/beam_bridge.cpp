#include "introspection/beam_bridge.h"
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace canopy::introspection {

namespace {

using Clock = std::chrono::steady_clock;

std::string lastLine(const std::string& path) {
    std::ifstream in(path);
    std::string line, last;
    while (std::getline(in, line))
        if (!line.empty() && line.rfind("canopy probe listening", 0) != 0) last = line;
    return last;
}

bool isExecutable(const std::string& p) {
    return !p.empty() && ::access(p.c_str(), X_OK) == 0;
}

} // namespace

bool BeamBridge::isTarget(const std::string& text) {
    return text.rfind("beam:", 0) == 0;
}

std::string BeamBridge::executable() {
    if (const char* env = std::getenv("CANOPY_BEAM"); env && *env) return env;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto dir = self.parent_path();
        for (const auto& c : {dir / "canopy-beam", dir.parent_path() / "canopy-beam" / "canopy-beam"})
            if (isExecutable(c.string())) return c.string();
    }
    return "canopy-beam"; // from PATH
}

Result<std::unique_ptr<BeamBridge>> BeamBridge::start(const std::string& target, const Options& opts) {
    using R = Result<std::unique_ptr<BeamBridge>>;
    // beam:NODE or beam:NODE/APP (one application's tree).
    std::string node = target.substr(5), application;
    if (const auto slash = node.find('/'); slash != std::string::npos) {
        application = node.substr(slash + 1);
        node.resize(slash);
        if (application.empty()) return R::failure("'" + target + "': no application after '/' (beam:NODE/APP)");
    }
    if (node.empty() || node.find('@') == std::string::npos || node.front() == '@' || node.back() == '@')
        return R::failure("'" + target + "': expected beam:NAME@HOST or beam:NAME@HOST/APP, e.g. beam:todo@localhost/todo");
    std::unique_ptr<BeamBridge> b(new BeamBridge);
    std::string tmpl = (std::filesystem::temp_directory_path() / "canopyctl-beam-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return R::failure(std::string("cannot create a temporary directory: ") + std::strerror(errno));
    b->m_dir = tmpl; // mkdtemp: mode 0700
    b->m_tokenFile = opts.tokenFile.empty() ? b->m_dir + "/token" : opts.tokenFile;
    const std::string portFile = b->m_dir + "/port";
    const std::string logFile = b->m_dir + "/canopy-beam.log";
    std::vector<std::string> args = {executable(), node, "--port", "0", "--port-file", portFile, "--token-file",
                                     b->m_tokenFile, "--timeout", std::to_string(std::max(100, opts.timeoutMs))};
    if (!application.empty()) args.insert(args.end(), {"--application", application});
    if (!opts.cookie.empty()) args.insert(args.end(), {"--cookie", opts.cookie});
    if (!opts.cookieFile.empty()) args.insert(args.end(), {"--cookie-file", opts.cookieFile});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = ::posix_spawnp(&b->m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        b->m_pid = -1;
        return R::failure("cannot run " + args[0] + " for " + target + ": " + std::strerror(rc) +
                          " (build it, put it on PATH, or set CANOPY_BEAM)");
    }
    // Attaching walks the node: allow it the connect deadline plus a minute for a huge node.
    const auto deadline = Clock::now() + std::chrono::milliseconds(opts.timeoutMs) + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
        std::ifstream pf(portFile);
        unsigned port = 0;
        if (pf >> port && port > 0 && port < 65536) {
            b->m_port = std::uint16_t(port);
            return b;
        }
        int status = 0;
        if (::waitpid(b->m_pid, &status, WNOHANG) == b->m_pid) {
            b->m_pid = -1;
            std::string why = lastLine(logFile);
            if (why.rfind("canopy-beam: ", 0) == 0) why = why.substr(13);
            if (why.empty()) why = "canopy-beam exited (status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
            return R::failure(target + ": " + why);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // polling a child's port file: no event to wait on
    }
    return R::failure(target + ": canopy-beam did not start listening in time (" + lastLine(logFile) + ")");
}

BeamBridge::~BeamBridge() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        int status = 0;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (Clock::now() >= deadline) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    if (!m_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
}

} // namespace canopy::introspection
