// G4: export a 10k-node supervision tree. Prints `RESULT export_10k <metric> <value> ms` (median
// of several runs) for ASCII, DOT, Mermaid, SVG and PDF; plus the same tree with herds collapsed.
// Usage: bench_export [--runs N] [--pdf-runs N] [--out DIR]   (DIR: keep the outputs to look at)
#include "views/export/box_layout.h"
#include "views/export/diagram_exporter.h"
#include "views/export/diagram_tree.h"
#include "views/export/layout_dot_exporter.h"
#include "introspection/pid_text.h"

#include <ctime>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using canopy::exporting::DiagramExporter;
using canopy::exporting::ExportFormat;
using canopy::exporting::ExportOptions;
using canopy::introspection::ProcessRecord;
using canopy::introspection::TreeSnapshot;

namespace {

ProcessRecord make(std::uint64_t pid, std::uint64_t parent, std::string name, std::string childId,
                   std::string kind, std::uint64_t order, std::string initialCall = {}) {
    ProcessRecord r;
    r.pid = pid;
    r.pidText = canopy::introspection::pidText(pid);
    r.parent = parent;
    r.name = std::move(name);
    r.childId = std::move(childId);
    r.kind = std::move(kind);
    r.strategy = r.kind == "worker" ? "" : "one_for_one";
    r.initialCall = std::move(initialCall);
    r.startOrder = order;
    r.mailboxLength = static_cast<std::int64_t>(pid % 7);
    r.restartCount = static_cast<int>(pid % 13 == 0);
    r.lastExitReason = pid % 13 == 0 ? "killed" : "";
    r.maxRestarts = r.kind == "worker" ? 0 : 3;
    r.maxSeconds = r.kind == "worker" ? 0 : 5;
    return r;
}

/// 1 root + 10 supervisors + 100 supervisors + 9,900 workers with distinct child ids = 10,011
/// nodes, every one drawn (no herd can collapse them).
TreeSnapshot distinctTree() {
    TreeSnapshot s;
    std::uint64_t pid = 1;
    s.processes[pid] = make(pid, 0, "App.Supervisor", "", "supervisor", 0);
    const std::uint64_t root = pid++;
    for (int a = 0; a < 10; ++a) {
        const std::uint64_t sa = pid++;
        s.processes[sa] = make(sa, root, "App.Region" + std::to_string(a), "region_" + std::to_string(a), "supervisor", a);
        for (int b = 0; b < 10; ++b) {
            const std::uint64_t sb = pid++;
            s.processes[sb] = make(sb, sa, "", "shard_" + std::to_string(a) + "_" + std::to_string(b), "supervisor", b);
            for (int c = 0; c < 99; ++c) {
                const std::uint64_t w = pid++;
                s.processes[w] = make(w, sb, "", "worker_" + std::to_string(c), "worker", c, "App.Worker:init/1");
            }
        }
    }
    return s;
}

/// The same size as dynamic children: 100 dynamic supervisors x 99 same-spec children -> herds.
TreeSnapshot herdTree() {
    TreeSnapshot s;
    std::uint64_t pid = 1;
    s.processes[pid] = make(pid, 0, "App.Supervisor", "", "supervisor", 0);
    const std::uint64_t root = pid++;
    for (int a = 0; a < 10; ++a) {
        const std::uint64_t sa = pid++;
        s.processes[sa] = make(sa, root, "App.Region" + std::to_string(a), "region_" + std::to_string(a), "supervisor", a);
        for (int b = 0; b < 10; ++b) {
            const std::uint64_t sb = pid++;
            s.processes[sb] = make(sb, sa, "", "sessions_" + std::to_string(b), "dynamic_supervisor", b);
            for (int c = 0; c < 99; ++c) {
                const std::uint64_t w = pid++;
                s.processes[w] = make(w, sb, "", "", "worker", c, "App.Session:init/1");
            }
        }
    }
    return s;
}

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double medianMs(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

bool timeExport(const char* test, const char* metric, const TreeSnapshot& snap, ExportOptions options, int runs,
                const std::string& outDir, const char* file) {
    std::vector<double> times, cpu;
    std::string bytes;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = threadCpuMs();
        auto r = DiagramExporter::exportSnapshot(snap, options);
        const double c1 = threadCpuMs();
        const auto t1 = std::chrono::steady_clock::now();
        cpu.push_back(c1 - c0);
        if (!r.ok()) {
            std::fprintf(stderr, "%s %s failed: %s\n", test, metric, r.error.c_str());
            return false;
        }
        times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        bytes = std::move(r.data);
    }
    // Wall time, and the CPU time of this thread (what the export costs when the machine is shared).
    std::printf("RESULT %s %s %.1f ms\n", test, metric, medianMs(times));
    std::printf("RESULT %s %s_cpu %.1f ms\n", test, metric, medianMs(cpu));
    std::fprintf(stderr, "  %s %s: %zu bytes, runs=%d\n", test, metric, bytes.size(), runs);
    std::fflush(stdout);
    if (!outDir.empty()) {
        std::ofstream(outDir + "/" + file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    int runs = 7, pdfRuns = 3;
    std::string outDir;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--pdf-runs") && i + 1 < argc) pdfRuns = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--out") && i + 1 < argc) outDir = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_export [--runs N] [--pdf-runs N] [--out DIR]\n");
            return 2;
        }
    }
    const TreeSnapshot distinct = distinctTree();
    const TreeSnapshot herds = herdTree();
    std::fprintf(stderr, "export_10k: %zu processes (distinct), %zu processes (herds)\n", distinct.processes.size(),
                 herds.processes.size());
    bool ok = true;
    if (!outDir.empty()) { // the positioned DOT the PDF is drawn from, for `neato -n2` experiments
        const auto tree = canopy::exporting::DiagramTree::build(distinct, true, false);
        const canopy::exporting::BoxLayout layout(tree, 160, false);
        std::ofstream(outDir + "/10k.pos.dot") << canopy::exporting::LayoutDotExporter().render(tree, layout);
    }
    auto opts = [](ExportFormat f, bool annotate = false) {
        ExportOptions o;
        o.format = f;
        o.annotate = annotate;
        return o;
    };
    ok &= timeExport("export_10k", "ascii", distinct, opts(ExportFormat::Ascii), runs, outDir, "10k.txt");
    ok &= timeExport("export_10k", "ascii_annotated", distinct, opts(ExportFormat::Ascii, true), runs, outDir, "10k.annotated.txt");
    ok &= timeExport("export_10k", "dot", distinct, opts(ExportFormat::Dot), runs, outDir, "10k.dot");
    ok &= timeExport("export_10k", "mermaid", distinct, opts(ExportFormat::Mermaid), runs, outDir, "10k.mmd");
    { // one BoxLayout of the 10k tree at 400 columns (the PDF path tries up to 10 of them)
        const auto tree = canopy::exporting::DiagramTree::build(distinct, true, false);
        std::vector<double> times;
        for (int i = 0; i < runs; ++i) {
            const double c0 = threadCpuMs();
            const canopy::exporting::BoxLayout layout(tree, 400, false);
            times.push_back(threadCpuMs() - c0);
            if (layout.boxes().empty()) ok = false;
        }
        std::printf("RESULT export_10k box_layout_cpu %.1f ms\n", medianMs(times));
    }
    ok &= timeExport("export_10k", "pdf", distinct, opts(ExportFormat::Pdf), pdfRuns, outDir, "10k.pdf");
    ok &= timeExport("export_10k", "svg", distinct, opts(ExportFormat::Svg), pdfRuns, outDir, "10k.svg");
    ok &= timeExport("export_10k_herds", "ascii", herds, opts(ExportFormat::Ascii), runs, outDir, "10k-herds.txt");
    ok &= timeExport("export_10k_herds", "pdf", herds, opts(ExportFormat::Pdf), pdfRuns, outDir, "10k-herds.pdf");
    return ok ? 0 : 1;
}
