#include "introspection/tree_index.h"
#include <algorithm>
#include <unordered_map>
#include <utility>

namespace canopy::introspection {

// ---- Siblings -----------------------------------------------------------------------------------

void TreeIndex::Siblings::insert(Entry e) {
    // New children usually come last (a fresh start order); a restarted one takes its slot's place.
    if (m_entries.empty() || m_entries.back() < e) {
        m_entries.push_back(e);
        return;
    }
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), e);
    if (it != m_entries.end() && *it == e) return;
    // Reuse a hole right before the position when it keeps the order.
    if (it != m_entries.begin() && std::prev(it)->pid == 0 && std::prev(it)->order == e.order) {
        *std::prev(it) = e;
        --m_holes;
        return;
    }
    m_entries.insert(it, e);
}

void TreeIndex::Siblings::erase(Entry e) {
    if (!m_entries.empty() && m_entries.back() == e) {
        m_entries.pop_back();
    } else {
        auto it = std::lower_bound(m_entries.begin(), m_entries.end(), e);
        if (it == m_entries.end() || !(*it == e)) return;
        it->pid = 0; // a hole: keeps its order key, so the vector stays sorted
        ++m_holes;
    }
    while (!m_entries.empty() && m_entries.back().pid == 0) {
        m_entries.pop_back();
        --m_holes;
    }
    if (m_holes > 32 && m_holes * 2 > m_entries.size()) {
        std::erase_if(m_entries, [](const Entry& x) { return x.pid == 0; });
        m_holes = 0;
    }
}

void TreeIndex::Siblings::sortIfNeeded() {
    if (!std::is_sorted(m_entries.begin(), m_entries.end())) std::sort(m_entries.begin(), m_entries.end());
}

// ---- TreeIndex ----------------------------------------------------------------------------------

void TreeIndex::clear() {
    m_children.clear();
    m_roots = Siblings{};
}

bool TreeIndex::isRoot(const ProcessRecord& r, const Records& records) {
    return r.parent == 0 || r.parent == r.pid || !records.count(r.parent);
}

void TreeIndex::build(const Records& records) {
    clear();
    // Siblings usually follow one another: remember the last parent's list and whether it exists.
    // After restarts they interleave (pids no longer follow slots): each parent's list and existence
    // are then looked up once per parent in a small table, not in the records' tree per record.
    std::uint64_t lastParent = 0;
    Siblings* lastList = nullptr;
    bool lastExists = false;
    std::unordered_map<std::uint64_t, std::pair<Siblings*, bool>> parents;
    for (const auto& [pid, r] : records) {
        if (r.parent == 0 || r.parent == pid) {
            m_roots.append({r.startOrder, pid});
            continue;
        }
        if (!lastList || r.parent != lastParent) {
            lastParent = r.parent;
            auto [at, fresh] = parents.try_emplace(r.parent, nullptr, false);
            if (fresh) at->second = {&m_children[r.parent], records.count(r.parent) != 0};
            lastList = at->second.first;
            lastExists = at->second.second;
        }
        lastList->append({r.startOrder, pid});
        if (!lastExists) m_roots.append({r.startOrder, pid});
    }
    for (auto& [parent, list] : m_children) list.sortIfNeeded();
    m_roots.sortIfNeeded();
}

void TreeIndex::attach(const ProcessRecord& r, const Records& records) {
    if (r.parent != 0 && r.parent != r.pid) m_children[r.parent].insert({r.startOrder, r.pid});
    if (isRoot(r, records)) m_roots.insert({r.startOrder, r.pid});
}

void TreeIndex::unfile(std::uint64_t pid, std::uint64_t parent, std::uint64_t order) {
    if (parent == 0 || parent == pid) return;
    auto it = m_children.find(parent);
    if (it == m_children.end()) return;
    it->second.erase({order, pid});
    if (it->second.empty()) m_children.erase(it);
}

void TreeIndex::detach(std::uint64_t pid, std::uint64_t parent, std::uint64_t order, const Records& records) {
    unfile(pid, parent, order);
    if (parent == 0 || parent == pid || !records.count(parent)) m_roots.erase({order, pid});
}

void TreeIndex::added(const ProcessRecord& r, const Records& records) {
    attach(r, records);
    // Records that named this pid as their parent while it was missing were roots until now.
    auto kids = m_children.find(r.pid);
    if (kids != m_children.end())
        for (const Entry& e : kids->second) m_roots.erase(e);
}

void TreeIndex::removed(std::uint64_t pid, std::uint64_t parent, std::uint64_t order, const Records&) {
    unfile(pid, parent, order);
    m_roots.erase({order, pid});
    // Its children (still naming it as parent) are roots now.
    auto kids = m_children.find(pid);
    if (kids != m_children.end())
        for (const Entry& k : kids->second) m_roots.insert(k);
}

const TreeIndex::Siblings& TreeIndex::children(std::uint64_t pid) const {
    static const Siblings none;
    auto it = m_children.find(pid);
    return it == m_children.end() ? none : it->second;
}

} // namespace canopy::introspection
