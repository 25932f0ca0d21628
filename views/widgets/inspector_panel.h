#pragma once
#include "introspection/process_record.h"
#include "views/model/process_history.h"
#include <QString>
#include <QWidget>
#include <functional>
#include <map>
#include <vector>

class QLabel;
class QScrollArea;

namespace canopy::views {

class FormGrid;
class IntensityMeter;
class Sparkline;

/// The selected process, slot or herd in detail: its fields, its supervisor, links and monitors
/// (clickable), a restart-intensity meter for supervisors ("2 of 3 restarts in 5 s"), a mailbox
/// sparkline and the recent exits and restarts of its child slot. Updating with a newer record of
/// the same selection changes the texts in place (no flicker, the scroll position stays).
class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    /// What the panel shows.
    enum class Mode {
        Empty,      ///< nothing selected
        Worker,     ///< one worker process
        Supervisor, ///< one supervisor or dynamic supervisor
        Herd,       ///< several same-spec processes drawn as one node
        Ghost,      ///< a child slot with no running process (record.pid == 0)
    };
    /// Turns a related pid (supervisor, link, monitor) into a label, e.g. `Todo.Cache <0.42.0>`.
    using PeerLabeler = std::function<QString(std::uint64_t pid)>;

    /// An empty inspector ("Nothing selected").
    explicit InspectorPanel(QWidget* parent = nullptr);

    /// Names related pids (default: `<0.N.0>`). Called on the GUI thread, once per shown peer.
    void setPeerLabeler(PeerLabeler labeler);
    /// Shows one process (worker or supervisor), or a ghost slot when `record.pid == 0` (child id,
    /// supervisor, restart count and last exit from the record; "not running since" from history).
    void showProcess(const introspection::ProcessRecord& record, const ProcessHistory& history = {});
    /// Shows a herd: `title` (e.g. `Todo.Server`), its members (count, status mix, mailbox sum,
    /// members listed and clickable), spawn/exit rates and the exit-reason mix from `history`.
    void showHerd(const QString& title, const std::vector<introspection::ProcessRecord>& members,
                  const ProcessHistory& history = {});
    /// Shows "Nothing selected".
    void clear();

    /// What is shown.
    Mode mode() const { return m_mode; }
    /// The pid shown (0 for empty, herds and ghosts).
    std::uint64_t pid() const { return m_pid; }
    /// The value text of a field by its label ("Pid", "Status", "Intensity", ...), "" when absent:
    /// what the user reads, for tests.
    QString fieldText(const QString& label) const;
    /// The heading (display name) and the line under it.
    QString title() const;
    QString subtitle() const;
    /// The caption over the mailbox sparkline as plain text ("" when hidden), e.g.
    /// "Mailbox, last 4.0 s: now 580, max 580 ▲ growing +60/s".
    QString mailboxCaption() const;
    /// The recent slot events as shown, one line each ("00:12.3  restarted  <0.40.0> -> <0.45.0>  killed").
    QStringList eventLines() const;

signals:
    /// The user clicked a pid (supervisor, link, monitor, herd member, slot event).
    void processActivated(quint64 pid);

private:
    void begin(Mode mode, std::uint64_t pid);
    void setField(const QString& label, const QString& value);
    void setRichField(const QString& label, const QString& html, const QString& plain);
    void setIntensity(const introspection::ProcessRecord& record);
    void showHistory(const ProcessHistory& history, const QString& what);
    void showEmptyHistory();
    void applyRowVisibility();
    QString peerLabel(std::uint64_t pid) const;
    QString peerLink(std::uint64_t pid) const;
    void setPeerListField(const QString& label, const std::vector<std::uint64_t>& pids, int limit);

    Mode m_mode = Mode::Empty;
    std::uint64_t m_pid = 0;
    PeerLabeler m_labeler;
    QScrollArea* m_scroll = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_subtitle = nullptr;
    FormGrid* m_form = nullptr;
    /// Field labels in display order (rows are created once, then shown or hidden).
    std::vector<QString> m_fieldOrder;
    std::map<QString, QLabel*> m_fields;
    std::map<QString, QString> m_plain;
    std::map<QString, bool> m_shown;
    QWidget* m_intensityRow = nullptr;
    QLabel* m_intensityText = nullptr;
    IntensityMeter* m_meter = nullptr;
    QLabel* m_sparkCaption = nullptr;
    Sparkline* m_sparkline = nullptr;
    QLabel* m_eventsCaption = nullptr;
    QLabel* m_events = nullptr;
    QStringList m_eventLines;
};

} // namespace canopy::views
