#include "views/export/graphviz_layout.h"

#include "views/export/graphviz_context_lock.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdio>

namespace canopy::exporting {

namespace {

char* text(const char* s) { return const_cast<char*>(s); }

/// Points as inches, the unit of Graphviz sizes and separations.
std::string inches(double points) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", points / 72.0);
    return buf;
}

} // namespace

GraphvizLayout::Result GraphvizLayout::layout(const Graph& graph, const std::string& engine) {
    Result result;
    for (const Edge& e : graph.edges)
        if (e.tail >= graph.nodes.size() || e.head >= graph.nodes.size()) {
            result.error = "graphviz: an edge names node " + std::to_string(std::max(e.tail, e.head)) +
                           " of " + std::to_string(graph.nodes.size());
            return result;
        }
    if (graph.nodes.empty()) return result;

    GraphvizContextLock graphviz;
    GVC_t* gvc = graphviz.context();
    if (!gvc) {
        result.error = "graphviz: cannot create a layout context";
        return result;
    }
    Agraph_t* g = agopen(text("tree"), Agdirected, nullptr);
    if (!g) {
        result.error = "graphviz: cannot create a graph";
        return result;
    }
    agattr(g, AGRAPH, text("rankdir"), text("TB"));
    agattr(g, AGRAPH, text("nodesep"), text(inches(graph.nodeSep).c_str()));
    agattr(g, AGRAPH, text("ranksep"), text(inches(graph.rankSep).c_str()));
    if (graph.keepOrder) agattr(g, AGRAPH, text("ordering"), text("out"));
    agattr(g, AGNODE, text("shape"), text("box"));
    agattr(g, AGNODE, text("fixedsize"), text("true"));
    agattr(g, AGNODE, text("label"), text(""));
    Agsym_t* widthSym = agattr(g, AGNODE, text("width"), text("0.75"));
    Agsym_t* heightSym = agattr(g, AGNODE, text("height"), text("0.5"));
    agattr(g, AGEDGE, text("dir"), text("none"));

    std::vector<Agnode_t*> nodes;
    nodes.reserve(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "n%zu", i);
        Agnode_t* n = agnode(g, name, 1);
        agxset(n, widthSym, text(inches(graph.nodes[i].width).c_str()));
        agxset(n, heightSym, text(inches(graph.nodes[i].height).c_str()));
        nodes.push_back(n);
    }
    std::vector<Agedge_t*> edges;
    edges.reserve(graph.edges.size());
    for (const Edge& e : graph.edges) edges.push_back(agedge(g, nodes[e.tail], nodes[e.head], nullptr, 1));

    if (gvLayout(gvc, g, engine.c_str()) != 0) {
        result.error = "graphviz: layout failed" + (graphviz.firstError().empty() ? std::string() : ": " + graphviz.firstError());
        agclose(g);
        return result;
    }
    const boxf bb = GD_bb(g);
    result.width = bb.UR.x - bb.LL.x;
    result.height = bb.UR.y - bb.LL.y;
    auto flip = [&bb](pointf p) { return Point{p.x - bb.LL.x, bb.UR.y - p.y}; };
    result.nodes.reserve(nodes.size());
    for (Agnode_t* n : nodes)
        result.nodes.push_back(PlacedNode{flip(ND_coord(n)), ND_width(n) * 72.0, ND_height(n) * 72.0});
    result.edges.resize(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const splines* spl = ED_spl(edges[i]);
        if (!spl || spl->size < 1) continue;
        // A tree edge is one Bézier (dot routes it in one piece); keep every piece in order anyway.
        for (int b = 0; b < spl->size; ++b) {
            const bezier& bz = spl->list[b];
            for (int k = 0; k < bz.size; ++k) {
                if (b > 0 && k == 0) continue; // consecutive pieces share their joining point
                result.edges[i].bezier.push_back(flip(bz.list[k]));
            }
        }
    }
    gvFreeLayout(gvc, g);
    agclose(g);
    return result;
}

} // namespace canopy::exporting
