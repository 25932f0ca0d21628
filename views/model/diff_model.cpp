#include "views/model/diff_model.h"

namespace canopy::views {

namespace {

constexpr quintptr kCategoryRow = 0; // internalId of top-level rows; entries carry category slot + 1

QString arrow(const QString& a, const QString& b) { return a + QStringLiteral(" \u2192 ") + b; }

QString signedDelta(std::int64_t d) { return (d > 0 ? QStringLiteral("+") : QString()) + QString::number(d); }

} // namespace

DiffModel::DiffModel(QObject* parent) : QAbstractItemModel(parent) {}

void DiffModel::setListing(DiffListing listing) {
    beginResetModel();
    m_listing = std::move(listing);
    rebuild();
    endResetModel();
}

void DiffModel::clear() { setListing({}); }

void DiffModel::rebuild() {
    for (auto& v : m_byCategory) v.clear();
    m_categories.clear();
    for (int i = 0; i < static_cast<int>(m_listing.entries.size()); ++i)
        m_byCategory[static_cast<std::size_t>(m_listing.entries[static_cast<std::size_t>(i)].category)].push_back(i);
    for (auto c : {DiffCategory::Added, DiffCategory::Removed, DiffCategory::Restarted, DiffCategory::Mailbox})
        if (!m_byCategory[static_cast<std::size_t>(c)].empty()) m_categories.push_back(c);
}

int DiffModel::count(DiffCategory category) const {
    return static_cast<int>(m_byCategory[static_cast<std::size_t>(category)].size());
}

std::optional<DiffCategory> DiffModel::categoryOf(std::uint64_t pid) const {
    if (pid == 0) return std::nullopt;
    std::optional<DiffCategory> found;
    for (const auto& e : m_listing.entries) {
        const bool match = e.category == DiffCategory::Removed ? e.pidBefore == pid : e.pidAfter == pid;
        if (!match) continue;
        if (e.category == DiffCategory::Restarted) return e.category;
        if (!found || *found == DiffCategory::Mailbox) found = e.category;
    }
    return found;
}

const DiffEntry* DiffModel::entry(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this || index.internalId() == kCategoryRow) return nullptr;
    const auto slot = static_cast<std::size_t>(index.internalId() - 1);
    if (slot >= m_categories.size()) return nullptr;
    const auto& rows = m_byCategory[static_cast<std::size_t>(m_categories[slot])];
    if (index.row() < 0 || index.row() >= static_cast<int>(rows.size())) return nullptr;
    return &m_listing.entries[static_cast<std::size_t>(rows[static_cast<std::size_t>(index.row())])];
}

QString DiffModel::categoryName(DiffCategory category) {
    switch (category) {
    case DiffCategory::Added: return tr("Added");
    case DiffCategory::Removed: return tr("Removed");
    case DiffCategory::Restarted: return tr("Restarted");
    case DiffCategory::Mailbox: return tr("Mailbox changed");
    }
    return {};
}

QModelIndex DiffModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount) return {};
    if (!parent.isValid()) {
        if (row >= static_cast<int>(m_categories.size())) return {};
        return createIndex(row, column, kCategoryRow);
    }
    if (parent.internalId() != kCategoryRow || parent.column() != 0) return {};
    if (parent.row() >= static_cast<int>(m_categories.size())) return {};
    const auto& rows = m_byCategory[static_cast<std::size_t>(m_categories[static_cast<std::size_t>(parent.row())])];
    if (row >= static_cast<int>(rows.size())) return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex DiffModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kCategoryRow) return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kCategoryRow);
}

int DiffModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return static_cast<int>(m_categories.size());
    if (parent.internalId() != kCategoryRow || parent.column() != 0) return 0;
    if (parent.row() >= static_cast<int>(m_categories.size())) return 0;
    return count(m_categories[static_cast<std::size_t>(parent.row())]);
}

int DiffModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant DiffModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this) return {};
    if (index.internalId() == kCategoryRow) {
        if (index.row() >= static_cast<int>(m_categories.size())) return {};
        const DiffCategory c = m_categories[static_cast<std::size_t>(index.row())];
        switch (role) {
        case Qt::DisplayRole:
            return index.column() == PathColumn ? categoryName(c) + QStringLiteral(" (%1)").arg(count(c)) : QVariant();
        case CategoryRole: return static_cast<int>(c);
        case CountRole: return count(c);
        case IsCategoryRole: return true;
        case FilterTextRole: return QString();
        default: return {};
        }
    }
    const DiffEntry* e = entry(index);
    if (!e) return {};
    const QString before = QString::fromStdString(e->pidTextBefore);
    const QString after = QString::fromStdString(e->pidTextAfter);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PathColumn: {
            // The process's own name (the last step of its path); the whole path is the tooltip.
            const auto slash = e->path.rfind('/');
            return QString::fromStdString(slash == std::string::npos ? e->path : e->path.substr(slash + 1));
        }
        case PidColumn:
            switch (e->category) {
            case DiffCategory::Added: return after;
            case DiffCategory::Removed: return before;
            case DiffCategory::Restarted: return before == after ? after : arrow(before, after);
            case DiffCategory::Mailbox: return after.isEmpty() ? before : after;
            }
            return {};
        case RestartsColumn:
            switch (e->category) {
            case DiffCategory::Added: return e->restartsAfter ? QVariant(e->restartsAfter) : QVariant();
            case DiffCategory::Removed: return e->restartsBefore ? QVariant(e->restartsBefore) : QVariant();
            default:
                return e->restartsBefore == e->restartsAfter
                           ? QString::number(e->restartsAfter)
                           : arrow(QString::number(e->restartsBefore), QString::number(e->restartsAfter));
            }
        case MailboxColumn:
            switch (e->category) {
            case DiffCategory::Added: return QString::number(e->mailboxAfter);
            case DiffCategory::Removed: return QString::number(e->mailboxBefore);
            default:
                if (e->mailboxBefore == e->mailboxAfter) return QString::number(e->mailboxAfter);
                return arrow(QString::number(e->mailboxBefore), QString::number(e->mailboxAfter)) +
                       QStringLiteral(" (%1)").arg(signedDelta(e->mailboxAfter - e->mailboxBefore));
            }
        default: return {};
        }
    case Qt::ToolTipRole:
        return QStringLiteral("%1\n%2: %3").arg(QString::fromStdString(e->path), categoryName(e->category),
                                                data(index.siblingAtColumn(PidColumn), Qt::DisplayRole).toString());
    case Qt::TextAlignmentRole:
        return index.column() == PathColumn ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case PidRole: return QVariant::fromValue<quint64>(e->pid());
    case PathRole: return QString::fromStdString(e->path);
    case CategoryRole: return static_cast<int>(e->category);
    case IsCategoryRole: return false;
    case FilterTextRole: return QString::fromStdString(e->path) + ' ' + before + ' ' + after;
    default: return {};
    }
}

QVariant DiffModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case PathColumn: return tr("Process");
    case PidColumn: return tr("Pid");
    case RestartsColumn: return tr("Restarts");
    case MailboxColumn: return tr("Mailbox");
    default: return {};
    }
}

Qt::ItemFlags DiffModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | (index.internalId() == kCategoryRow ? Qt::NoItemFlags : Qt::ItemNeverHasChildren);
}

} // namespace canopy::views
