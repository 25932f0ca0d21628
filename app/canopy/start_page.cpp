#include "app/canopy/start_page.h"
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace canopy::app {

StartPage::StartPage(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("startPage"));
    auto* outer = new QVBoxLayout(this);
    outer->addStretch(1);
    auto* column = new QVBoxLayout;
    column->setSpacing(14);

    auto* title = new QLabel(tr("Canopy"), this);
    title->setObjectName(QStringLiteral("startTitle"));
    column->addWidget(title);
    auto* subtitle = new QLabel(tr("Watch a supervision tree live, replay a recorded crash, compare two moments."), this);
    subtitle->setObjectName(QStringLiteral("startSubtitle"));
    subtitle->setWordWrap(true);
    column->addWidget(subtitle);

    auto* buttons = new QHBoxLayout;
    auto* open = new QPushButton(QIcon(QStringLiteral(":/icons/open.svg")), tr("Open a session file…"), this);
    auto* attach = new QPushButton(QIcon(QStringLiteral(":/icons/attach.svg")), tr("Attach to a probe…"), this);
    for (auto* b : {open, attach}) {
        b->setMinimumHeight(40);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    column->addLayout(buttons);
    connect(open, &QPushButton::clicked, this, [this] { emit openFileRequested({}); });
    connect(attach, &QPushButton::clicked, this, [this] { emit attachRequested({}); });

    m_demos = new QWidget(this);
    auto* demos = new QHBoxLayout(m_demos);
    demos->setContentsMargins(0, 0, 0, 0);
    demos->addWidget(new QLabel(tr("Or run a demo system in this window:"), m_demos));
    for (const QString& system : {QStringLiteral("todo"), QStringLiteral("streams"), QStringLiteral("hangman")}) {
        auto* b = new QPushButton(system, m_demos);
        connect(b, &QPushButton::clicked, this, [this, system] { emit demoRequested(system); });
        demos->addWidget(b);
    }
    demos->addStretch(1);
    column->addWidget(m_demos);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("startMessage"));
    m_message->setWordWrap(true);
    m_message->hide();
    column->addWidget(m_message);

    auto* lists = new QHBoxLayout;
    auto addList = [&](const QString& caption, QListWidget*& list) {
        auto* box = new QVBoxLayout;
        box->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(caption), this));
        list = new QListWidget(this);
        list->setMinimumHeight(160);
        box->addWidget(list);
        lists->addLayout(box, 1);
    };
    addList(tr("Recent session files"), m_files);
    addList(tr("Recent probes"), m_targets);
    column->addLayout(lists);
    connect(m_files, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit openFileRequested(item->data(Qt::UserRole).toString()); });
    connect(m_targets, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) { emit attachRequested(item->text()); });

    auto* centre = new QHBoxLayout;
    centre->addStretch(1);
    auto* holder = new QWidget(this);
    holder->setLayout(column);
    holder->setMaximumWidth(820);
    holder->setMinimumWidth(560);
    centre->addWidget(holder, 4);
    centre->addStretch(1);
    outer->addLayout(centre);
    outer->addStretch(2);
}

void StartPage::setRecent(const QStringList& files, const QStringList& targets) {
    m_files->clear();
    for (const QString& f : files) {
        auto* item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/open.svg")),
                                         QFileInfo(f).fileName() + QStringLiteral("  —  ") + QFileInfo(f).absolutePath());
        item->setData(Qt::UserRole, f);
        item->setToolTip(f);
        m_files->addItem(item);
    }
    auto placeholder = [](QListWidget* list, const QString& text) {
        auto* item = new QListWidgetItem(text, list);
        item->setFlags(Qt::NoItemFlags);
    };
    if (files.isEmpty()) placeholder(m_files, tr("(none yet — or drop a .canopy file on this window)"));
    m_targets->clear();
    for (const QString& t : targets) m_targets->addItem(new QListWidgetItem(QIcon(QStringLiteral(":/icons/attach.svg")), t));
    if (targets.isEmpty()) placeholder(m_targets, tr("(none yet)"));
}

void StartPage::setDemosAvailable(bool available) { m_demos->setVisible(available); }

void StartPage::setMessage(const QString& message) {
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

} // namespace canopy::app
