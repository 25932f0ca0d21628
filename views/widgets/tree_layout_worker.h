#pragma once
#include "views/widgets/tree_layout.h"
#include "views/widgets/tree_layout_request.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace canopy::views {

class TreeNodeMetrics;

/// The tree view's layout thread: takes requests (latest wins: a request not yet started is
/// replaced by a newer one), builds the shape, lays it out (or reuses the previous geometry when the
/// shape did not change) and hands each finished layout to `deliver`, called on the layout thread.
class TreeLayoutWorker {
public:
    /// Called on the layout thread with each finished layout, in request order.
    using Deliver = std::function<void(std::shared_ptr<const TreeLayout>)>;

    /// Starts the thread.
    explicit TreeLayoutWorker(Deliver deliver);
    /// Stops the thread (waits for a layout in progress to finish).
    ~TreeLayoutWorker();
    TreeLayoutWorker(const TreeLayoutWorker&) = delete;
    TreeLayoutWorker& operator=(const TreeLayoutWorker&) = delete;

    /// Queues `request`, replacing one that has not started.
    void submit(TreeLayoutRequest request);
    /// Lets the layout thread drop a layout the caller no longer shows (freeing a 100k-process
    /// layout's pid index took the GUI thread ~3 ms).
    void dispose(std::shared_ptr<const TreeLayout> layout);

    /// Lays out `request` on the calling thread against `previous` (what the thread does for each
    /// request; benchmarks and tests call it directly). `metrics` must match request.font.
    static std::shared_ptr<const TreeLayout> layOut(const TreeLayoutRequest& request, const TreeLayout* previous,
                                                     const TreeNodeMetrics& metrics);

private:
    void run();

    Deliver m_deliver;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<TreeLayoutRequest> m_pending;
    std::vector<std::shared_ptr<const TreeLayout>> m_garbage;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace canopy::views
