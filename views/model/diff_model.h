#pragma once
#include "views/model/diff_entry.h"
#include <QAbstractItemModel>
#include <array>
#include <optional>

namespace canopy::views {

/// The changes between two trees as a two-level model: one top-level row per category
/// ("Restarted (2)", "Added (3)", ...; categories without entries are omitted), its entries below.
/// Columns: path, pid (before -> after), restarts (before -> after), mailbox (before -> after, delta).
/// Filtering is left to a QSortFilterProxyModel (recursive filtering on FilterTextRole); colours to the
/// view (Qt Core only here: DiffItemDelegate colours rows by CategoryRole).
class DiffModel : public QAbstractItemModel {
    Q_OBJECT
public:
    /// Columns.
    enum Column { PathColumn, PidColumn, RestartsColumn, MailboxColumn, ColumnCount };
    /// Extra data roles (entry rows; category rows answer CategoryRole and CountRole only).
    enum Role {
        PidRole = Qt::UserRole + 1, ///< quint64: the pid to select (B's, else A's)
        PathRole,                   ///< QString: the entry's path
        CategoryRole,               ///< int: DiffCategory
        CountRole,                  ///< int: category rows: entries in the category
        IsCategoryRole,             ///< bool: true on category rows
        FilterTextRole,             ///< QString: path and pid texts, for a filter proxy
    };

    /// An empty model.
    explicit DiffModel(QObject* parent = nullptr);

    /// Replaces the whole diff (model reset).
    void setListing(DiffListing listing);
    /// Clears it (model reset).
    void clear();
    /// The diff shown.
    const DiffListing& listing() const { return m_listing; }
    /// Entries of one category.
    int count(DiffCategory category) const;
    /// The category a pid falls in on side B (or A for removed processes), for a tree overlay;
    /// nullopt when the pid did not change. Restarted wins over Mailbox.
    std::optional<DiffCategory> categoryOf(std::uint64_t pid) const;
    /// The entry behind an index of this model (nullptr for category rows and invalid indexes).
    const DiffEntry* entry(const QModelIndex& index) const;
    /// Display name of a category ("Added", "Removed", "Restarted", "Mailbox changed").
    static QString categoryName(DiffCategory category);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    void rebuild();

    DiffListing m_listing;
    /// Shown categories in display order, and per category the indices of its entries in m_listing.
    std::vector<DiffCategory> m_categories;
    std::array<std::vector<int>, 4> m_byCategory;
};

} // namespace canopy::views
