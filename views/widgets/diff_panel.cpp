#include "views/widgets/diff_panel.h"
#include "views/model/diff_model.h"
#include "views/model/session_time_text.h"
#include "views/widgets/diff_item_delegate.h"
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <cmath>

namespace canopy::views {

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;
}

DiffPanel::DiffPanel(QWidget* parent) : QWidget(parent) {
    m_model = new DiffModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterRole(DiffModel::FilterTextRole);
    m_proxy->setFilterKeyColumn(DiffModel::PathColumn);

    m_mode = new QComboBox(this);
    m_mode->addItem(tr("two moments of this session"));
    m_mode->addItem(tr("another session file"));
    m_momentA = new QLineEdit(QStringLiteral("00:00"), this);
    m_momentB = new QLineEdit(this);
    m_momentA->setObjectName(QStringLiteral("momentA"));
    m_momentB->setObjectName(QStringLiteral("momentB"));
    for (QLineEdit* e : {m_momentA, m_momentB}) {
        e->setPlaceholderText(tr("mm:ss"));
        e->setMaximumWidth(e->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.0")) + 24);
        connect(e, &QLineEdit::returnPressed, this, &DiffPanel::compare);
    }
    m_momentA->setToolTip(tr("Moment A of this session: mm:ss, h:mm:ss, 90s, 1500ms"));
    m_momentB->setToolTip(tr("Moment B (this session, or the other file; empty = its end)"));
    m_file = new QLineEdit(this);
    m_file->setPlaceholderText(tr("other.canopy"));
    m_browse = new QToolButton(this);
    m_browse->setText(tr("..."));
    m_browse->setToolTip(tr("Choose a session file"));
    m_fileLabel = new QLabel(tr("File"), this);
    m_compare = new QPushButton(tr("Compare"), this);
    m_compare->setDefault(true);

    auto* controls = new QGridLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->setHorizontalSpacing(6);
    controls->addWidget(new QLabel(tr("Compare"), this), 0, 0);
    controls->addWidget(m_mode, 0, 1, 1, 4);
    controls->addWidget(new QLabel(tr("A"), this), 1, 0);
    controls->addWidget(m_momentA, 1, 1);
    controls->addWidget(new QLabel(tr("B"), this), 1, 2, Qt::AlignRight);
    controls->addWidget(m_momentB, 1, 3);
    controls->addWidget(m_compare, 1, 4);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    controls->addWidget(m_fileLabel, 2, 0);
    controls->addLayout(fileRow, 2, 1, 1, 4);
    controls->setColumnStretch(5, 1);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by name, path or pid"));
    m_filter->setClearButtonEnabled(true);
    m_view = new QTreeView(this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new DiffItemDelegate(m_view));
    m_view->setUniformRowHeights(true);
    m_view->setTextElideMode(Qt::ElideMiddle); // names like Todo.DatabaseWorker.12: keep both ends
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Every column as wide as its text (a name is never cut to "Todo...rver"); the last one takes
    // what is left, and a narrow dock scrolls sideways.
    m_view->header()->setStretchLastSection(true);
    for (int c = DiffModel::PathColumn; c < DiffModel::ColumnCount; ++c)
        m_view->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 6, 6, 6);
    column->addLayout(controls);
    column->addWidget(m_summary);
    column->addWidget(m_filter);
    column->addWidget(m_view, 1);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] { updateMode(); });
    connect(m_momentB, &QLineEdit::textEdited, this, [this] { m_momentBEdited = true; });
    connect(m_compare, &QPushButton::clicked, this, &DiffPanel::compare);
    connect(m_file, &QLineEdit::returnPressed, this, &DiffPanel::compare);
    connect(m_browse, &QToolButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Compare with a session file"), m_file->text(),
                                                       tr("Canopy sessions (*.canopy);;All files (*)"));
        if (!f.isEmpty()) m_file->setText(f);
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& t) {
        m_proxy->setFilterFixedString(t.trimmed());
        m_view->expandAll();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_error.clear();
        m_busy = false;
        m_view->expandAll();
        updateSummary();
    });
    connect(m_view, &QTreeView::activated, this, &DiffPanel::activate);
    connect(m_view, &QTreeView::clicked, this, &DiffPanel::activate);
    updateMode();
    updateSummary();
}

void DiffPanel::setSessionRange(std::int64_t durationNs, std::int64_t cursorNs) {
    m_durationNs = durationNs;
    if (m_momentA->text().trimmed().isEmpty()) m_momentA->setText(sessionTimeText(0));
    if (m_mode->currentIndex() == 0 && !m_momentBEdited) m_momentB->setText(sessionTimeTextPrecise(cursorNs));
}

void DiffPanel::setRequest(const DiffRequest& request) {
    m_mode->setCurrentIndex(request.mode == DiffRequest::Mode::File ? 1 : 0);
    m_momentA->setText(sessionTimeTextPrecise(request.aNs));
    m_momentB->setText(request.mode == DiffRequest::Mode::File && request.bNs < 0 ? QString()
                                                                                   : sessionTimeTextPrecise(request.bNs));
    m_file->setText(request.otherFile);
    updateMode();
}

DiffRequest DiffPanel::request() const {
    DiffRequest r;
    r.mode = m_mode->currentIndex() == 1 ? DiffRequest::Mode::File : DiffRequest::Mode::Moments;
    r.aNs = parseMoment(m_momentA->text());
    const QString b = m_momentB->text().trimmed();
    r.bNs = r.mode == DiffRequest::Mode::File && b.isEmpty() ? -1 : parseMoment(b);
    r.otherFile = m_file->text().trimmed();
    return r;
}

void DiffPanel::setError(const QString& message) {
    m_error = message;
    if (!message.isEmpty()) m_busy = false;
    updateSummary();
}

void DiffPanel::setBusy(bool busy) {
    m_busy = busy;
    updateSummary();
}

QString DiffPanel::summaryText() const { return m_summary->text(); }

std::int64_t DiffPanel::parseMoment(const QString& input) {
    const QString t = input.trimmed().toLower();
    if (t.isEmpty()) return -1;
    static const QRegularExpression clock(QStringLiteral("^(?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)$"));
    static const QRegularExpression unit(QStringLiteral("^(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?$"));
    if (auto m = clock.match(t); m.hasMatch()) {
        const double h = m.captured(1).isEmpty() ? 0 : m.captured(1).toDouble();
        const double min = m.captured(2).toDouble();
        const double s = m.captured(3).toDouble();
        if (s >= 60 || (!m.captured(1).isEmpty() && min >= 60)) return -1;
        return static_cast<std::int64_t>(std::llround(((h * 60 + min) * 60 + s) * 1e9));
    }
    if (auto m = unit.match(t); m.hasMatch()) {
        const double v = m.captured(1).toDouble();
        const QString u = m.captured(2);
        const double scale = u == QLatin1String("ms") ? 1e6
                             : (u == QLatin1String("m") || u == QLatin1String("min")) ? 60e9
                             : u == QLatin1String("h")                               ? 3600e9
                                                                                     : 1e9;
        return static_cast<std::int64_t>(std::llround(v * scale));
    }
    return -1;
}

void DiffPanel::compare() {
    const DiffRequest r = request();
    auto fail = [this](const QString& message) {
        m_error = message;
        updateSummary();
    };
    if (r.aNs < 0) return fail(tr("Moment A '%1' is not a time (use mm:ss, 90s or 1500ms)").arg(m_momentA->text()));
    if (r.mode == DiffRequest::Mode::Moments && r.bNs < 0)
        return fail(tr("Moment B '%1' is not a time (use mm:ss, 90s or 1500ms)").arg(m_momentB->text()));
    if (r.mode == DiffRequest::Mode::File && r.bNs < 0 && !m_momentB->text().trimmed().isEmpty())
        return fail(tr("Moment B '%1' is not a time (use mm:ss, or leave it empty for the file's end)").arg(m_momentB->text()));
    if (m_durationNs > 0 && r.aNs > m_durationNs)
        return fail(tr("Moment A %1 is after the end of the session (%2)").arg(sessionTimeTextPrecise(r.aNs), sessionTimeTextPrecise(m_durationNs)));
    if (r.mode == DiffRequest::Mode::Moments) {
        if (m_durationNs > 0 && r.bNs > m_durationNs)
            return fail(tr("Moment B %1 is after the end of the session (%2)").arg(sessionTimeTextPrecise(r.bNs), sessionTimeTextPrecise(m_durationNs)));
        if (r.aNs == r.bNs) return fail(tr("A and B are the same moment: pick two different times"));
    } else {
        if (r.otherFile.isEmpty()) return fail(tr("Choose the session file to compare with"));
        const QFileInfo info(r.otherFile);
        if (!info.exists()) return fail(tr("No such file: %1").arg(r.otherFile));
        if (!info.isFile() || !info.isReadable()) return fail(tr("Cannot read %1").arg(r.otherFile));
    }
    m_error.clear();
    m_busy = true;
    updateSummary();
    emit diffRequested(r);
}

void DiffPanel::updateMode() {
    const bool file = m_mode->currentIndex() == 1;
    m_file->setVisible(file);
    m_browse->setVisible(file);
    m_fileLabel->setVisible(file);
    m_momentB->setPlaceholderText(file ? tr("end") : tr("mm:ss"));
}

void DiffPanel::updateSummary() {
    QString text;
    QPalette pal = palette();
    if (!m_error.isEmpty()) {
        text = m_error;
        pal.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    } else if (m_busy) {
        text = tr("Computing the diff...");
    } else {
        const DiffListing& l = m_model->listing();
        if (l.labelA.empty() && l.labelB.empty() && l.entries.empty()) {
            text = tr("Pick moments A and B (or another session file) and press Compare.");
        } else {
            const QString head = tr("%1 (%2 processes) \u2192 %3 (%4 processes): ")
                                     .arg(QString::fromStdString(l.labelA))
                                     .arg(l.countA)
                                     .arg(QString::fromStdString(l.labelB))
                                     .arg(l.countB);
            if (l.entries.empty()) {
                text = head + tr("no differences");
            } else {
                text = head + tr("%1 added, %2 removed, %3 restarted, %4 mailbox changes")
                                  .arg(m_model->count(DiffCategory::Added))
                                  .arg(m_model->count(DiffCategory::Removed))
                                  .arg(m_model->count(DiffCategory::Restarted))
                                  .arg(m_model->count(DiffCategory::Mailbox));
            }
        }
    }
    m_summary->setPalette(pal);
    m_summary->setText(text);
}

void DiffPanel::activate(const QModelIndex& proxyIndex) {
    const DiffEntry* e = m_model->entry(m_proxy->mapToSource(proxyIndex.siblingAtColumn(0)));
    if (!e) return;
    emit itemActivated(e->pid(), QString::fromStdString(e->path));
}

} // namespace canopy::views
