#include "views/export/dot_exporter.h"

namespace canopy::exporting {

namespace {

const char* fillFor(const DiagramNode& n) {
    if (n.kind == "dynamic_supervisor") return "#dff3e3";
    if (n.kind == "supervisor") return "#dce9f7";
    return "#fff6d9";
}

class DotWriter {
public:
    DotWriter(const DiagramTree& tree, bool clusters) : m_tree(tree), m_clusters(clusters) {}

    std::string run() {
        m_out.reserve(m_tree.nodes().size() * 160 + 512);
        m_out += "// Supervision tree exported by Canopy (canopyctl export --format dot).\n";
        m_out += "digraph canopy {\n";
        m_out += "  graph [rankdir=TB, fontname=\"DejaVu Sans\", fontsize=10, nodesep=0.3, ranksep=0.45];\n";
        m_out += "  node [fontname=\"DejaVu Sans\", fontsize=10, style=filled, color=\"#333333\", margin=\"0.12,0.05\"];\n";
        m_out += "  edge [color=\"#555555\", arrowsize=0.7];\n";
        for (auto root : m_tree.roots()) {
            nodeStatement(root, "  ");
            if (m_clusters) cluster(root, "  ");
        }
        for (const auto& n : m_tree.nodes())
            for (auto c : n.children)
                m_out += "  " + DotExporter::quote(n.id) + " -> " + DotExporter::quote(m_tree.nodes()[c].id) + ";\n";
        m_out += "}\n";
        return std::move(m_out);
    }

private:
    void nodeStatement(std::size_t index, const std::string& indent) {
        const DiagramNode& n = m_tree.nodes()[index];
        std::string label;
        for (const auto& line : n.lines(false)) {
            if (!label.empty()) label += "\\n";
            label += escapeLabel(line);
        }
        m_out += indent + DotExporter::quote(n.id) + " [label=\"" + label + "\"";
        if (n.isHerd()) m_out += ", shape=box3d";
        else if (n.kind == "dynamic_supervisor") m_out += ", shape=box, peripheries=2";
        else if (n.kind == "supervisor") m_out += ", shape=box";
        else m_out += ", shape=ellipse";
        if (n.ghost) {
            // A slot with no running process: dashed outline, greyed text.
            m_out += ", style=\"dashed,filled\", fillcolor=\"#f4f4f4\", color=\"#8a8a8a\", fontcolor=\"#6a6a6a\"";
        } else {
            m_out += std::string(", fillcolor=\"") + fillFor(n) + "\"";
            if (n.isSupervisor()) m_out += ", penwidth=1.4";
        }
        m_out += "];\n";
        if (!m_clusters)
            for (auto c : n.children) nodeStatement(c, indent);
    }

    /// With clusters: a supervisor's children (and their clusters) inside a dashed box.
    void cluster(std::size_t index, const std::string& indent) {
        const DiagramNode& n = m_tree.nodes()[index];
        if (n.children.empty()) return;
        m_out += indent + "subgraph " + DotExporter::quote("cluster_" + n.id) + " {\n";
        const std::string inner = indent + "  ";
        m_out += inner + "graph [label=\"\", style=\"dashed,rounded\", color=\"#9a9a9a\"];\n";
        for (auto c : n.children) nodeStatement(c, inner);
        for (auto c : n.children) cluster(c, inner);
        m_out += indent + "}\n";
    }

    /// Escapes for a label: quotes and backslashes, and no raw newlines.
    static std::string escapeLabel(const std::string& text) {
        std::string out;
        for (char c : text) {
            if (c == '"' || c == '\\') out += '\\';
            out += (c == '\n' || c == '\r') ? ' ' : c;
        }
        return out;
    }

    const DiagramTree& m_tree;
    bool m_clusters;
    std::string m_out;
};

} // namespace

DotExporter::DotExporter(bool clusters) : m_clusters(clusters) {}

std::string DotExporter::render(const DiagramTree& tree) const { return DotWriter(tree, m_clusters).run(); }

std::string DotExporter::quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    out += '"';
    return out;
}

} // namespace canopy::exporting
