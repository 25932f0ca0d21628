#include "views/model/process_table_model.h"
#include <QLocale>
#include <algorithm>
#include <climits>

namespace canopy::views {

namespace {

QString bytesText(std::uint64_t bytes) {
    if (bytes == 0) return QStringLiteral("0");
    if (bytes < 10 * 1024) return QString::number(bytes) + QStringLiteral(" B");
    if (bytes < 10ull * 1024 * 1024) return QString::number(double(bytes) / 1024.0, 'f', 1) + QStringLiteral(" KiB");
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
}

/// The name a person reads: `Todo.Server`, not `Todo.Server:init/1` (a process known only by its
/// initial call shows its module).
QString nameText(const introspection::ProcessRecord& p) {
    if (p.name.empty() && p.childId.empty() && !p.initialCall.empty()) {
        const auto colon = p.initialCall.find(':');
        if (colon != std::string::npos && colon > 0) return QString::fromStdString(p.initialCall.substr(0, colon));
    }
    return QString::fromStdString(p.displayName());
}

QString kindText(const std::string& kind) {
    if (kind == "dynamic_supervisor") return QStringLiteral("dynamic sup");
    return QString::fromStdString(kind);
}

} // namespace

ProcessTableModel::ProcessTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProcessTableModel::applyBatch(const ChangeBatch& batch) {
    const auto& c = batch.changes;
    if (c.reset) {
        beginResetModel();
        m_store.reset(batch.records, batch.timeNs);
        endResetModel();
        return;
    }
    m_store.setTimeNs(batch.timeNs);
    if (!c.exited.empty()) {
        std::vector<std::uint64_t> gone;
        gone.reserve(c.exited.size());
        for (const auto& e : c.exited) gone.push_back(e.record.pid);
        for (auto [first, last] : m_store.removalRanges(gone)) {
            beginRemoveRows({}, first, last);
            m_store.removeRows(first, last);
            endRemoveRows();
        }
    }
    if (batch.records.empty()) return;
    // Updates first (processes known), then one insertion of every new process. A row number
    // costs two walks of the row index: only a few updates name their rows; a sample that
    // changed a thousand mailboxes marks the whole table changed (views repaint what they show).
    constexpr std::size_t kExactRange = 64;
    int minRow = INT_MAX, maxRow = -1;
    std::size_t updates = 0;
    std::vector<const introspection::ProcessRecord*> fresh;
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
        const auto& record = batch.records[i];
        if (!m_store.find(record.pid)) {
            fresh.push_back(&record);
            continue;
        }
        if (i >= batch.countersOnlyFrom) m_store.updateCounters(record, batch.timeNs);
        else m_store.updateByPid(record, batch.timeNs);
        if (++updates <= kExactRange) {
            const int row = m_store.rowOf(record.pid);
            minRow = std::min(minRow, row);
            maxRow = std::max(maxRow, row);
        }
    }
    if (updates > kExactRange) emit dataChanged(index(0, 0), index(m_store.size() - 1, ColumnCount - 1));
    else if (updates > 0) emit dataChanged(index(minRow, 0), index(maxRow, ColumnCount - 1));
    if (!fresh.empty()) {
        const int first = m_store.size();
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        for (const auto* record : fresh) m_store.append(*record, batch.timeNs);
        endInsertRows();
    }
}

void ProcessTableModel::clear() {
    beginResetModel();
    m_store.reset({}, 0);
    endResetModel();
}

int ProcessTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_store.size(); }

int ProcessTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool ProcessTableModel::isNumeric(int column) {
    switch (column) {
    case Pid: case Mailbox: case Handled: case MessageRate: case Restarts: case Memory: return true;
    default: return false;
    }
}

QString ProcessTableModel::columnTitle(int column) {
    switch (column) {
    case Pid: return tr("PID");
    case Name: return tr("Name");
    case Kind: return tr("Kind");
    case Supervisor: return tr("Supervisor");
    case Status: return tr("Status");
    case Mailbox: return tr("Mailbox");
    case Handled: return tr("Handled");
    case MessageRate: return tr("Msg/s");
    case Restarts: return tr("Restarts");
    case Memory: return tr("Memory");
    default: return {};
    }
}

QString ProcessTableModel::text(int row, int column) const { return text(m_store.row(row), column); }

double ProcessTableModel::number(int row, int column) const { return number(m_store.row(row), column); }

QString ProcessTableModel::text(const ProcessRow& r, int column) const {
    const auto& p = r.record;
    switch (column) {
    case Pid: return QString::fromStdString(p.pidText.empty() ? "<0." + std::to_string(p.pid) + ".0>" : p.pidText);
    case Name: return nameText(p);
    case Kind: return kindText(p.kind);
    case Supervisor: {
        if (p.parent == 0) return {};
        if (const ProcessRow* parent = m_store.find(p.parent)) return nameText(parent->record);
        return QStringLiteral("<0.%1.0>").arg(p.parent);
    }
    case Status: return QString::fromStdString(p.status);
    case Mailbox: return QString::number(p.mailboxLength);
    case Handled: return QString::number(p.messagesHandled);
    case MessageRate: {
        const double rate = number(r, column);
        return QString::number(rate, 'f', rate < 10 ? 1 : 0);
    }
    case Restarts: return QString::number(p.restartCount);
    case Memory: return bytesText(p.memoryBytes);
    default: return {};
    }
}

double ProcessTableModel::number(const ProcessRow& r, int column) const { return number(ProcessStore::numbersOf(r), column); }

double ProcessTableModel::number(const ProcessNumbers& n, int column) const {
    switch (column) {
    case Pid: return double(n.pid);
    case Mailbox: return double(n.mailbox);
    case Handled: return double(n.handled);
    case MessageRate:
        // A counter that has not moved for 3 s means the process is idle now.
        return m_store.timeNs() - n.handledTimeNs > 3'000'000'000 ? 0.0 : n.messageRate;
    case Restarts: return double(n.restarts);
    case Memory: return double(n.memory);
    default: return 0.0;
    }
}

QVariant ProcessTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_store.size() || index.column() >= ColumnCount) return {};
    const ProcessRow& row = m_store.row(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return text(row, column);
    case Qt::TextAlignmentRole:
        return isNumeric(column) && column != Pid ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                  : QVariant(int(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::ToolTipRole: {
        const auto& p = row.record;
        QString tip = QString::fromStdString(p.displayName());
        if (!p.initialCall.empty()) tip += QStringLiteral("\n") + QString::fromStdString(p.initialCall);
        if (!p.lastExitReason.empty()) tip += tr("\nlast exit: %1").arg(QString::fromStdString(p.lastExitReason));
        return tip;
    }
    case PidRole: return QVariant::fromValue<quint64>(row.record.pid);
    case SortRole: return isNumeric(column) ? QVariant(number(row, column)) : QVariant(text(row, column));
    default: return {};
    }
}

QVariant ProcessTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) return columnTitle(section);
    if (role == Qt::TextAlignmentRole)
        return isNumeric(section) && section != Pid ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    return {};
}

} // namespace canopy::views
