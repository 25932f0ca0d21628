#include "views/export/mermaid_exporter.h"

#include <unordered_set>

namespace canopy::exporting {

namespace {

/// Mermaid label text inside double quotes: entity codes for characters Mermaid would parse.
std::string escapeLabel(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '"': out += "#quot;"; break;
        case '<': out += "#lt;"; break;
        case '>': out += "#gt;"; break;
        case '#': out += "#35;"; break;
        case '\n': case '\r': out += ' '; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace

std::string MermaidExporter::identifier(const std::string& path) {
    std::string out = "n_";
    for (unsigned char c : path) {
        if (std::isalnum(c)) out += static_cast<char>(c);
        else if (c == '/') out += "__";
        else if (c == '*') out += "_herd";
        else out += '_';
    }
    return out;
}

std::string MermaidExporter::render(const DiagramTree& tree) const {
    std::string out = "flowchart TD\n";
    std::vector<std::string> ids;
    ids.reserve(tree.nodes().size());
    std::unordered_set<std::string> used;
    for (const auto& n : tree.nodes()) {
        std::string id = identifier(n.id);
        if (!used.insert(id).second) {
            int k = 2;
            while (!used.insert(id + "_" + std::to_string(k)).second) ++k;
            id += "_" + std::to_string(k);
        }
        ids.push_back(std::move(id));
    }
    for (std::size_t i = 0; i < tree.nodes().size(); ++i) {
        const DiagramNode& n = tree.nodes()[i];
        std::string label;
        for (const auto& line : n.lines(false)) {
            if (!label.empty()) label += "<br/>";
            label += escapeLabel(line);
        }
        const char* open = "(\"";
        const char* close = "\")";
        if (n.kind == "dynamic_supervisor") open = "[[\"", close = "\"]]";
        else if (n.kind == "supervisor") open = "[\"", close = "\"]";
        out += "    " + ids[i] + open + label + close + "\n";
    }
    std::size_t edges = 0;
    for (std::size_t i = 0; i < tree.nodes().size(); ++i)
        for (auto c : tree.nodes()[i].children) {
            out += "    " + ids[i] + " --> " + ids[c] + "\n";
            ++edges;
        }
    out += "    classDef supervisor fill:#dce9f7,stroke:#333,stroke-width:1.5px\n";
    out += "    classDef dynamic fill:#dff3e3,stroke:#333,stroke-width:1.5px\n";
    out += "    classDef worker fill:#fff6d9,stroke:#333\n";
    out += "    classDef herd stroke-width:3px,stroke-dasharray:6 3\n";
    bool anyGhost = false;
    for (const auto& n : tree.nodes()) anyGhost = anyGhost || n.ghost;
    if (anyGhost) out += "    classDef ghost fill:#f4f4f4,stroke:#8a8a8a,color:#6a6a6a,stroke-dasharray:4 4\n";
    const char* classes[] = {"supervisor", "dynamic", "worker", "herd", "ghost"};
    for (const char* cls : classes) {
        std::string members;
        std::size_t count = 0;
        for (std::size_t i = 0; i < tree.nodes().size(); ++i) {
            const DiagramNode& n = tree.nodes()[i];
            std::string_view kindClass = n.kind == "dynamic_supervisor" ? "dynamic"
                                         : n.kind == "supervisor"        ? "supervisor"
                                                                         : "worker";
            const std::string_view c = cls;
            bool in = c == "herd" ? n.isHerd() : c == "ghost" ? n.ghost : kindClass == cls && !n.ghost;
            if (!in) continue;
            members += (count++ ? "," : "") + ids[i];
        }
        if (count) out += "    class " + members + " " + cls + "\n";
    }
    if (edges >= kMaxEdges || out.size() > kMaxTextSize)
        out.insert(std::string("flowchart TD\n").size(),
                   "    %% " + std::to_string(edges) + " edges, " + std::to_string(out.size()) +
                       " characters: above Mermaid's default limits (" + std::to_string(kMaxEdges) + " edges, " +
                       std::to_string(kMaxTextSize) + " characters), GitHub will not render it; use --format svg\n");
    return out;
}

} // namespace canopy::exporting
