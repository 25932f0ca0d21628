#include "views/model/diff_result_builder.h"
#include "introspection/snapshot_diff.h"

namespace canopy::views {

introspection::Result<DiffResult> DiffResultBuilder::build(const introspection::TreeSnapshot& a, const introspection::TreeSnapshot& b,
                                                           bool sameSession, std::string labelA, std::string labelB) {
    const auto diff = introspection::SnapshotDiff::between(a, b, sameSession);
    DiffResult out;
    auto& listing = out.listing;
    listing.labelA = std::move(labelA);
    listing.labelB = std::move(labelB);
    listing.countA = a.processes.size();
    listing.countB = b.processes.size();
    for (const auto& p : diff.removed) {
        DiffEntry e;
        e.category = DiffCategory::Removed;
        e.path = p.path;
        e.pidBefore = p.pid;
        e.pidTextBefore = p.pidText;
        if (const auto* r = a.find(p.pid)) {
            e.restartsBefore = r->restartCount;
            e.mailboxBefore = r->mailboxLength;
            out.removed.push_back(*r);
            const auto slash = p.path.rfind('/');
            out.removedParentPaths.push_back(slash == std::string::npos ? std::string() : p.path.substr(0, slash));
        }
        listing.entries.push_back(std::move(e));
    }
    for (const auto& p : diff.added) {
        DiffEntry e;
        e.category = DiffCategory::Added;
        e.path = p.path;
        e.pidAfter = p.pid;
        e.pidTextAfter = p.pidText;
        if (const auto* r = b.find(p.pid)) {
            e.restartsAfter = r->restartCount;
            e.mailboxAfter = r->mailboxLength;
        }
        listing.entries.push_back(std::move(e));
    }
    for (const auto& r : diff.restarted) {
        DiffEntry e;
        e.category = DiffCategory::Restarted;
        e.path = r.path;
        e.pidBefore = r.pidBefore;
        e.pidAfter = r.pidAfter;
        e.pidTextBefore = r.pidTextBefore;
        e.pidTextAfter = r.pidTextAfter;
        e.restartsBefore = r.restartsBefore;
        e.restartsAfter = r.restartsAfter;
        listing.entries.push_back(std::move(e));
    }
    for (const auto& m : diff.mailbox) {
        DiffEntry e;
        e.category = DiffCategory::Mailbox;
        e.path = m.path;
        e.pidBefore = m.pid;
        e.pidAfter = b.find(m.pid) ? m.pid : 0;
        if (const auto* r = a.find(m.pid)) e.pidTextBefore = r->pidText;
        if (const auto* r = b.find(m.pid)) e.pidTextAfter = r->pidText;
        e.mailboxBefore = m.before;
        e.mailboxAfter = m.after;
        listing.entries.push_back(std::move(e));
    }
    return out;
}

} // namespace canopy::views
