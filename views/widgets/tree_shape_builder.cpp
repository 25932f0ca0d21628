#include "views/widgets/tree_shape_builder.h"

#include "views/widgets/tree_label.h"

#include <QHash>
#include <functional>
#include <unordered_map>

namespace canopy::views {

namespace {

using exporting::DiagramNode;
using Node = TreeLayout::Node;

constexpr int kSiblingScan = 32; // how far an exiting node looks for the next surviving sibling

TreeLayout::Kind kindOf(const std::string& kind) {
    if (kind == "dynamic_supervisor") return TreeLayout::Kind::DynamicSupervisor;
    if (kind == "supervisor") return TreeLayout::Kind::Supervisor;
    return TreeLayout::Kind::Worker;
}

TreeLayout::Kind kindOf(const QString& kind) { return kindOf(kind.toStdString()); }

QString subtitleFor(TreeLayout::Kind kind, const std::string& strategy) {
    switch (kind) {
    case TreeLayout::Kind::DynamicSupervisor: return QStringLiteral("(DynamicSupervisor)");
    case TreeLayout::Kind::Supervisor:
        return QStringLiteral("(%1)").arg(strategy.empty() ? QStringLiteral("supervisor") : QString::fromStdString(strategy));
    case TreeLayout::Kind::Worker: break;
    }
    return {};
}

Node nodeFromDiagram(const DiagramNode& d, int treeIndex) {
    Node n;
    n.key = QString::fromStdString(d.id);
    n.treeIndex = treeIndex;
    n.kind = kindOf(d.kind);
    n.herd = d.isHerd() && !d.ghost;
    n.ghost = d.ghost;
    n.title = TreeLabel::fromTitle(d.title);
    n.subtitle = d.ghost ? QStringLiteral("(not running)") : subtitleFor(n.kind, d.strategy);
    if (n.herd) n.family = d.title;
    return n;
}

/// Where an added node hangs: under a tree node or another added node, before a tree child
/// (kAtStart / kAtEnd otherwise).
struct Attachment {
    int extra = 0;
    int before = 0;
};
constexpr int kAtStart = -2;
constexpr int kAtEnd = -1;

std::size_t mix(std::size_t h, std::size_t v) { return (h ^ v) * 1099511628211ULL + 0x9e3779b97f4a7c15ULL; }

} // namespace

TreeShapeBuilder::Shape TreeShapeBuilder::build(const TreeLayoutRequest& request, const TreeLayout* previous) const {
    Shape shape;
    auto layout = std::make_shared<TreeLayout>();
    shape.layout = layout;
    layout->tree = request.tree;
    layout->generation = request.generation;
    layout->animate = request.animate;
    static const std::vector<DiagramNode> kNoNodes;
    const auto& tn = request.tree ? request.tree->nodes() : kNoNodes;
    const int treeSize = static_cast<int>(tn.size());

    // Lookups over the tree.
    QHash<QString, int> treeByKey;
    treeByKey.reserve(treeSize);
    std::unordered_map<quint64, int> treeByPid;
    std::vector<int> treeParent(tn.size(), -1);
    for (int i = 0; i < treeSize; ++i) {
        const DiagramNode& d = tn[static_cast<std::size_t>(i)];
        treeByKey.insert(QString::fromStdString(d.id), i);
        for (quint64 pid : d.pids) treeByPid.emplace(pid, i);
        for (std::size_t c : d.children)
            if (c < tn.size()) treeParent[c] = i;
    }
    std::vector<int> roots;
    if (!request.pinnedKey.isEmpty())
        if (int pinned = treeByKey.value(request.pinnedKey, -1); pinned >= 0) roots.push_back(pinned);
    if (roots.empty() && request.tree)
        for (std::size_t r : request.tree->roots()) roots.push_back(static_cast<int>(r));

    // Nodes the view adds, and where they hang.
    std::vector<Node> extras;
    std::unordered_map<int, std::vector<Attachment>> onTree;
    std::vector<std::vector<Attachment>> onExtra;
    std::vector<int> extraRoots;
    auto addExtra = [&](Node node) {
        extras.push_back(std::move(node));
        onExtra.emplace_back();
        return static_cast<int>(extras.size()) - 1;
    };

    // Members of expanded herds, before the herd's own children.
    for (const QString& key : request.expandedHerds) {
        const int herd = treeByKey.value(key, -1);
        if (herd < 0) continue;
        const DiagramNode& d = tn[static_cast<std::size_t>(herd)];
        if (!d.isHerd() || d.ghost) continue;
        for (quint64 pid : d.pids) {
            Node m;
            m.origin = TreeLayout::Origin::HerdMember;
            m.key = key + u'/' + QString::number(pid);
            m.kind = kindOf(d.kind);
            m.subtitle = subtitleFor(m.kind, d.strategy);
            m.title = request.memberTitles.value(pid);
            if (m.title.isEmpty()) m.title = TreeLabel::fromTitle(d.title);
            m.pid = pid;
            onTree[herd].push_back({addExtra(std::move(m)), kAtStart});
        }
    }

    // Processes of the previous layout that left the tree: they keep their slot while fading out.
    if (previous && request.keepExiting && request.tree) {
        const auto& pn = previous->nodes;
        std::vector<int> prevToExtra(pn.size(), -1);
        // The tree node a previous node is now.
        // (Processes by pid first: keys of dynamic children are positional.)
        auto resolve = [&](int j) {
            const Node& n = pn[static_cast<std::size_t>(j)];
            if (previous->pidCount(j) == 1 && !n.herd)
                if (auto it = treeByPid.find(previous->firstPid(j)); it != treeByPid.end()) return it->second;
            if (n.origin == TreeLayout::Origin::Diagram)
                if (int t = treeByKey.value(n.key, -1); t >= 0) return t;
            return -1;
        };
        for (int j = 0; j < static_cast<int>(pn.size()); ++j) {
            const Node& n = pn[static_cast<std::size_t>(j)];
            if (n.origin == TreeLayout::Origin::DiffRemoved || n.herd || n.ghost || previous->pidCount(j) != 1) continue;
            const quint64 pid = previous->firstPid(j);
            if (treeByPid.count(pid) || request.fadedPids.count(pid)) continue;
            // The slot is still drawn (now a ghost, or restarted under a static supervisor): no copy.
            if (n.origin == TreeLayout::Origin::Diagram)
                if (const int t = treeByKey.value(n.key, -1); t >= 0) {
                    const int tp = treeParent[static_cast<std::size_t>(t)];
                    if (tn[static_cast<std::size_t>(t)].ghost || (tp >= 0 && tn[static_cast<std::size_t>(tp)].kind == "supervisor")) continue;
                }
            Node e = n;
            e.origin = TreeLayout::Origin::Exiting;
            e.key = QStringLiteral("~exit/") + QString::number(pid);
            e.treeIndex = -1;
            e.pid = pid;
            e.firstChild = e.childCount = 0;
            if (n.parent < 0) {
                prevToExtra[static_cast<std::size_t>(j)] = addExtra(std::move(e));
                extraRoots.push_back(prevToExtra[static_cast<std::size_t>(j)]);
                continue;
            }
            if (int pe = prevToExtra[static_cast<std::size_t>(n.parent)]; pe >= 0) {
                const int x = addExtra(std::move(e));
                prevToExtra[static_cast<std::size_t>(j)] = x;
                onExtra[static_cast<std::size_t>(pe)].push_back({x, kAtEnd});
                continue;
            }
            const int anchor = resolve(n.parent);
            if (anchor < 0) continue;
            // Before the next sibling that is still in the tree, so the slot stays where it was.
            int before = kAtEnd;
            const Node& parentNode = pn[static_cast<std::size_t>(n.parent)];
            const int* sib = previous->children.data() + parentNode.firstChild;
            const int count = parentNode.childCount;
            int pos = 0;
            while (pos < count && sib[pos] != j) ++pos;
            for (int k = pos + 1; k < count && k <= pos + kSiblingScan; ++k) {
                const int t = resolve(sib[k]);
                if (t >= 0 && treeParent[static_cast<std::size_t>(t)] == anchor) {
                    before = t;
                    break;
                }
            }
            const int x = addExtra(std::move(e));
            prevToExtra[static_cast<std::size_t>(j)] = x;
            onTree[anchor].push_back({x, before});
        }
    }

    // A diff's removed processes, as ghosts under their parent's node.
    {
        std::unordered_map<quint64, int> removedByPid;
        QList<TreeDiffOverlay::Removed> pending = request.removed;
        for (int round = 0; round < 2 && !pending.isEmpty(); ++round) {
            QList<TreeDiffOverlay::Removed> later;
            for (const auto& r : pending) {
                if (treeByPid.count(r.pid) || removedByPid.count(r.pid)) continue;
                Node g;
                g.origin = TreeLayout::Origin::DiffRemoved;
                g.key = QStringLiteral("~removed/") + QString::number(r.pid);
                g.kind = kindOf(r.kind);
                g.ghost = true;
                g.title = TreeLabel::fromTitle(r.title.toStdString());
                g.subtitle = QStringLiteral("(removed)");
                g.pid = r.pid;
                auto parentNode = treeByPid.find(r.parentPid);
                const int parentBySlot = parentNode == treeByPid.end() && !r.parentKey.isEmpty() ? treeByKey.value(r.parentKey, -1) : -1;
                if (parentNode != treeByPid.end() || parentBySlot >= 0) {
                    const int x = addExtra(std::move(g));
                    removedByPid.emplace(r.pid, x);
                    onTree[parentNode != treeByPid.end() ? parentNode->second : parentBySlot].push_back({x, kAtEnd});
                } else if (auto re = removedByPid.find(r.parentPid); re != removedByPid.end()) {
                    const int x = addExtra(std::move(g));
                    removedByPid.emplace(r.pid, x);
                    onExtra[static_cast<std::size_t>(re->second)].push_back({x, kAtEnd});
                } else {
                    later.push_back(r);
                }
            }
            pending = later;
        }
    }

    // Depth-first emission: tree children in order with the added nodes woven in.
    struct Item {
        bool extra;
        int index;
        int parent;
        int depth;
    };
    std::vector<Item> stack;
    for (auto it = extraRoots.rbegin(); it != extraRoots.rend(); ++it) stack.push_back({true, *it, -1, 0});
    for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({false, *it, -1, 0});
    auto& nodes = layout->nodes;
    nodes.reserve(tn.size() + extras.size());
    std::vector<Item> sequence;
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        Node node = item.extra ? extras[static_cast<std::size_t>(item.index)]
                               : nodeFromDiagram(tn[static_cast<std::size_t>(item.index)], item.index);
        node.parent = item.parent;
        node.depth = item.depth;
        const int self = static_cast<int>(nodes.size());
        nodes.push_back(std::move(node));
        sequence.clear();
        if (item.extra) {
            for (const Attachment& a : onExtra[static_cast<std::size_t>(item.index)]) sequence.push_back({true, a.extra, self, item.depth + 1});
        } else {
            const auto attached = onTree.find(item.index);
            const std::vector<Attachment>* adds = attached == onTree.end() ? nullptr : &attached->second;
            // Added nodes by the tree child they precede (few per node; built only where there are some).
            std::unordered_map<int, std::vector<int>> before;
            if (adds)
                for (const Attachment& a : *adds) before[a.before].push_back(a.extra);
            auto emitBefore = [&](int key) {
                if (auto b = before.find(key); b != before.end())
                    for (int x : b->second) sequence.push_back({true, x, self, item.depth + 1});
            };
            emitBefore(kAtStart);
            for (std::size_t c : tn[static_cast<std::size_t>(item.index)].children) {
                if (c >= tn.size()) continue;
                if (adds) emitBefore(static_cast<int>(c));
                sequence.push_back({false, static_cast<int>(c), self, item.depth + 1});
            }
            emitBefore(kAtEnd);
        }
        for (auto it = sequence.rbegin(); it != sequence.rend(); ++it) stack.push_back(*it);
    }

    // Children ranges, lookups, sizes, shape hash.
    const int n = static_cast<int>(nodes.size());
    std::vector<int> fill(static_cast<std::size_t>(n) + 1, 0);
    for (const Node& node : nodes)
        if (node.parent >= 0) ++fill[static_cast<std::size_t>(node.parent) + 1];
    for (int i = 0; i < n; ++i) {
        fill[static_cast<std::size_t>(i) + 1] += fill[static_cast<std::size_t>(i)];
        nodes[static_cast<std::size_t>(i)].firstChild = fill[static_cast<std::size_t>(i)];
    }
    layout->children.assign(static_cast<std::size_t>(fill[static_cast<std::size_t>(n)]), 0);
    for (int i = 0; i < n; ++i) {
        Node& node = nodes[static_cast<std::size_t>(i)];
        if (node.parent >= 0) {
            Node& p = nodes[static_cast<std::size_t>(node.parent)];
            layout->children[static_cast<std::size_t>(p.firstChild + p.childCount++)] = i;
        }
    }
    layout->byKey.reserve(n);
    shape.sizes.reserve(static_cast<std::size_t>(n));
    std::size_t hash = 14695981039346656037ULL;
    std::hash<std::string> hashString;
    for (int i = 0; i < n; ++i) {
        Node& node = nodes[static_cast<std::size_t>(i)];
        node.titleWidth = static_cast<float>(m_metrics.titleWidth(node));
        node.subtitleWidth = static_cast<float>(m_metrics.subtitleWidth(node));
        layout->byKey.insert(node.key, i);
        if (node.treeIndex >= 0) {
            for (quint64 pid : tn[static_cast<std::size_t>(node.treeIndex)].pids) layout->byPid[pid] = i;
        } else if (node.pid != 0) {
            layout->byPid[node.pid] = i;
        }
        if (node.herd && node.parent >= 0)
            layout->herdByParentFamily.emplace(std::to_string(node.parent) + "/" + node.family, i);
        const std::size_t count = node.treeIndex >= 0 ? tn[static_cast<std::size_t>(node.treeIndex)].count : 1;
        const QSizeF size = m_metrics.size(node, TreeNodeMetrics::countDigits(count));
        shape.sizes.push_back(size);
        hash = mix(hash, qHash(node.key));
        hash = mix(hash, qHash(node.title));
        hash = mix(hash, qHash(node.subtitle));
        hash = mix(hash, hashString(node.family));
        hash = mix(hash, static_cast<std::size_t>(node.parent + 1));
        hash = mix(hash, (static_cast<std::size_t>(node.kind) << 4) | (static_cast<std::size_t>(node.origin) << 2) |
                             (node.herd ? 2u : 0u) | (node.ghost ? 1u : 0u));
        hash = mix(hash, static_cast<std::size_t>(size.width() * 4) * 65536 + static_cast<std::size_t>(size.height() * 4));
    }
    // The width to fit in decides packing and wrapping: a different one (in 100-unit steps) lays out again.
    hash = mix(hash, static_cast<std::size_t>(std::max(0.0, request.fitWidth) / 100));
    layout->shapeHash = hash;
    return shape;
}

} // namespace canopy::views
