// canopy-scenario: runs supervision conformance scenarios (../shared/conformance/README.md) on
// Canopy's runtime and prints each trace as JSON lines, or with --check compares it against
// FILE.expected.jsonl (the trace real OTP produced) and prints a diff on mismatch.
#include "app/canopy-scenario/scenario_runner.h"
#include "app/canopy-scenario/trace_comparer.h"
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace {

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::string expectedPathFor(const std::string& scenario) {
    const std::string suffix = ".json";
    std::string base = scenario;
    if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
        base.resize(base.size() - suffix.size());
    return base + ".expected.jsonl";
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Runs supervision conformance scenarios on Canopy and prints their traces"};
    std::vector<std::string> files;
    bool check = false;
    bool quiet = false;
    unsigned threads = 0;
    app.add_option("files", files, "scenario files (FILE.json)")->required()->check(CLI::ExistingFile);
    app.add_flag("--check", check, "compare each trace with FILE.expected.jsonl; exit 1 on any mismatch");
    app.add_flag("-q,--quiet", quiet, "with --check: print only failures and the summary");
    app.add_option("--threads", threads,
                   "run on a threaded runtime with N workers instead of the deterministic manual mode "
                   "(stress check; independent events may legitimately reorder)");
    CLI11_PARSE(app, argc, argv);

    int failed = 0;
    for (const std::string& file : files) {
        try {
            std::ifstream in(file);
            if (!in)
                throw std::runtime_error("cannot read " + file);
            nlohmann::json scenario = nlohmann::json::parse(in);
            canopy::ScenarioRunner runner(std::move(scenario), threads);
            const std::vector<std::string> trace = runner.run();
            if (!check) {
                for (const std::string& line : trace)
                    std::cout << line << '\n';
                continue;
            }
            const std::vector<std::string> expected = readLines(expectedPathFor(file));
            if (canopy::TraceComparer::equal(expected, trace)) {
                if (!quiet)
                    std::cout << "PASS " << file << '\n';
            } else {
                ++failed;
                std::cout << "FAIL " << file << "  (- expected by OTP, + Canopy)\n"
                          << canopy::TraceComparer::diff(expected, trace);
            }
        } catch (const std::exception& e) {
            ++failed;
            std::cout << "FAIL " << file << ": " << e.what() << '\n';
        }
    }
    if (check && files.size() > 1)
        std::cout << (files.size() - failed) << "/" << files.size() << " scenarios match OTP\n";
    std::cout.flush();
    return failed ? 1 : 0;
}
