#include "app/canopy/process_table_panel.h"
#include "app/canopy/app_settings.h"
#include "views/model/process_filter_proxy.h"
#include "views/model/process_table_model.h"
#include "views/widgets/steady_label.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace canopy::app {

using views::ProcessTableModel;

ProcessTablePanel::ProcessTablePanel(ProcessTableModel* model, QWidget* parent) : QWidget(parent), m_model(model) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto* bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by name or pid"));
    m_filter->setClearButtonEnabled(true);
    bar->addWidget(m_filter, 1);
    m_topN = new QComboBox(this);
    for (int n : {100, 1000, 10000, 0}) m_topN->addItem(n ? tr("Top %1").arg(n) : tr("All"), n);
    m_topN->setToolTip(tr("Show only the first rows in sort order (the busiest by mailbox by default)"));
    bar->addWidget(m_topN);
    layout->addLayout(bar);

    m_proxy = new views::ProcessFilterProxy(this);
    m_proxy->setProcessModel(model);
    // The current row also moves when rows go away (the selected process exited) or are re-sorted:
    // only a change the user made is a selection. "Busy" is connected before the view's selection
    // model (so it runs first) and "done" is queued (so it runs after every handler of the change).
    auto busy = [this] { ++m_modelChanging; };
    auto done = [this] { m_modelChanging = std::max(0, m_modelChanging - 1); };
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this, busy);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, done, Qt::QueuedConnection);
    connect(m_proxy, &QAbstractItemModel::layoutAboutToBeChanged, this, busy);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, done, Qt::QueuedConnection);
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this, busy);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, done, Qt::QueuedConnection);
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionsMovable(true);
    m_view->horizontalHeader()->setStretchLastSection(false);
    // What a person scans first comes first: name, pid, status, mailbox, rates; kind and supervisor last.
    const QFontMetrics fm = m_view->fontMetrics();
    const std::pair<int, const char*> widths[] = {
        {ProcessTableModel::Name, "Todo.DatabaseWorker.3"}, {ProcessTableModel::Pid, "<0.12345.0>"},
        {ProcessTableModel::Status, "runnable"},          {ProcessTableModel::Mailbox, "Mailbox"},
        {ProcessTableModel::MessageRate, "Msg/s "},       {ProcessTableModel::Restarts, "Restarts"},
        {ProcessTableModel::Handled, "Handled"},          {ProcessTableModel::Memory, "12.3 KiB"},
        {ProcessTableModel::Kind, "dynamic sup"},         {ProcessTableModel::Supervisor, "Todo.ServerSupervisor"}};
    int visual = 0;
    for (auto [column, sample] : widths) {
        m_view->horizontalHeader()->moveSection(m_view->horizontalHeader()->visualIndex(column), visual++);
        m_view->setColumnWidth(column, fm.horizontalAdvance(QLatin1String(sample)) + 18);
    }
    m_view->sortByColumn(ProcessTableModel::Mailbox, Qt::DescendingOrder);
    layout->addWidget(m_view, 1);
    m_count = new views::SteadyLabel(this);
    m_count->setObjectName(QStringLiteral("tableCount"));
    layout->addWidget(m_count);

    const int topN = AppSettings::topN();
    const int at = m_topN->findData(topN);
    m_topN->setCurrentIndex(at >= 0 ? at : 1);
    m_proxy->setTopN(m_topN->currentData().toInt());

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterText(text.trimmed());
        refreshCount();
    });
    connect(m_topN, &QComboBox::currentIndexChanged, this, [this] {
        const int n = m_topN->currentData().toInt();
        AppSettings::setTopN(n);
        m_proxy->setTopN(n);
        refreshCount();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (m_selecting || m_modelChanging > 0 || !current.isValid()) return;
        emit processSelected(current.data(ProcessTableModel::PidRole).toULongLong());
    });
    connect(m_view, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid()) return;
        emit contextMenuRequested(index.data(ProcessTableModel::PidRole).toULongLong(), m_view->viewport()->mapToGlobal(pos));
    });
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ProcessTablePanel::tick);
    m_tick->start();
    refreshCount();
}

void ProcessTablePanel::tick() {
    m_selecting = true;
    m_proxy->tick();
    m_selecting = false;
    refreshCount();
}

void ProcessTablePanel::refreshCount() {
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_count->showText(shown == total ? tr("%n process(es)", "", total) : tr("%1 of %2 processes shown").arg(shown).arg(total));
}

void ProcessTablePanel::setTopN(int n) {
    const int at = m_topN->findData(n);
    if (at >= 0) m_topN->setCurrentIndex(at);
    else m_proxy->setTopN(n);
}

void ProcessTablePanel::selectPid(quint64 pid) {
    const int sourceRow = m_model->rowOfPid(pid);
    m_selecting = true;
    if (sourceRow < 0) {
        m_view->selectionModel()->clearSelection();
    } else {
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
        if (index.isValid()) {
            m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_view->scrollTo(index);
        } else {
            m_view->selectionModel()->clearSelection();
        }
    }
    m_selecting = false;
}

quint64 ProcessTablePanel::selectedPid() const {
    const auto rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(ProcessTableModel::PidRole).toULongLong();
}

} // namespace canopy::app
