#include "views/widgets/inspector_panel.h"
#include "introspection/pid_text.h"
#include "views/model/session_time_text.h"
#include "views/widgets/form_grid.h"
#include "views/widgets/intensity_meter.h"
#include "views/widgets/plural_text.h"
#include "views/widgets/sparkline.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocumentFragment>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>

namespace canopy::views {

namespace {

const QStringList& fieldOrder() {
    static const QStringList order{
        "Pid",         "Name",         "Child id",     "Kind",        "Strategy",  "Intensity",
        "Restart",     "Shutdown",     "Significant",  "Status",      "Not running since",
        "Initial call", "Supervisor",  "Processes",    "Status mix",  "Spawns",    "Exits",
        "Exit reasons", "Mailbox",     "Handled",      "Reductions",  "Memory",      "Restarts",  "Last exit",
        "Links",       "Monitors",     "Members"};
    return order;
}

QString text(const std::string& s) { return QString::fromStdString(s); }

QString defaultPidText(std::uint64_t pid) { return QString::fromStdString(introspection::pidText(pid)); }

QString kindText(const std::string& kind) {
    if (kind == "dynamic_supervisor") return QObject::tr("dynamic supervisor");
    return text(kind);
}

QString restartText(const std::string& restart) {
    if (restart == "permanent") return QObject::tr("permanent (always restarted)");
    if (restart == "transient") return QObject::tr("transient (restarted after an abnormal exit)");
    if (restart == "temporary") return QObject::tr("temporary (never restarted)");
    return text(restart);
}

QString shutdownText(const std::string& shutdown) {
    if (!shutdown.empty() && std::all_of(shutdown.begin(), shutdown.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return QObject::tr("%1 ms").arg(text(shutdown));
    return text(shutdown);
}

QString bytesText(std::uint64_t bytes) {
    return QLocale::c().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString number(std::int64_t v) { return groupedNumber(v); }

QString eventWord(SlotEvent::Kind k) {
    switch (k) {
    case SlotEvent::Kind::Started: return QObject::tr("started");
    case SlotEvent::Kind::Exited: return QObject::tr("exited");
    case SlotEvent::Kind::Restarted: return QObject::tr("restarted");
    case SlotEvent::Kind::GaveUp: return QObject::tr("supervisor gave up");
    }
    return {};
}

QString pidTextOf(std::uint64_t pid, const std::string& given) {
    if (!given.empty()) return text(given);
    return pid ? defaultPidText(pid) : QStringLiteral("?");
}

QString link(std::uint64_t pid, const QString& label) {
    return QStringLiteral("<a href=\"pid:%1\">%2</a>").arg(pid).arg(label.toHtmlEscaped());
}

} // namespace

InspectorPanel::InspectorPanel(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(m_scroll);

    auto* content = new QWidget(m_scroll);
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(10, 8, 10, 8);
    column->setSpacing(4);
    m_title = new QLabel(content);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle = new QLabel(content);
    m_subtitle->setWordWrap(true);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(m_title);
    column->addWidget(m_subtitle);

    m_form = new FormGrid(Qt::AlignTop);
    column->addLayout(m_form);
    for (const QString& name : fieldOrder()) {
        m_fieldOrder.push_back(name);
        if (name == QLatin1String("Intensity")) {
            m_intensityRow = new QWidget(content);
            auto* row = new QHBoxLayout(m_intensityRow);
            row->setContentsMargins(0, 0, 0, 0);
            m_intensityText = new QLabel(m_intensityRow);
            m_intensityText->setWordWrap(true);
            m_meter = new IntensityMeter(m_intensityRow);
            row->addWidget(m_meter, 0, Qt::AlignVCenter);
            row->addWidget(m_intensityText, 1);
            m_form->addRow(tr("Intensity"), m_intensityRow);
            m_fields[name] = m_intensityText;
            continue;
        }
        auto* value = new QLabel(content);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
        value->setTextFormat(Qt::PlainText);
        connect(value, &QLabel::linkActivated, this, [this](const QString& href) {
            if (href.startsWith(QLatin1String("pid:"))) emit processActivated(href.mid(4).toULongLong());
        });
        m_form->addRow(tr(name.toUtf8().constData()), value);
        m_fields[name] = value;
    }

    m_sparkCaption = new QLabel(content);
    m_sparkCaption->setWordWrap(true);
    m_sparkline = new Sparkline(content);
    m_sparkline->setFixedHeight(46);
    m_eventsCaption = new QLabel(content);
    m_eventsCaption->setWordWrap(true);
    QFont bold = m_eventsCaption->font();
    bold.setBold(true);
    m_eventsCaption->setFont(bold);
    m_sparkCaption->setFont(bold);
    m_events = new QLabel(content);
    m_events->setWordWrap(true);
    m_events->setTextFormat(Qt::RichText);
    m_events->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_events->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(m_events, &QLabel::linkActivated, this, [this](const QString& href) {
        if (href.startsWith(QLatin1String("pid:"))) emit processActivated(href.mid(4).toULongLong());
    });
    column->addSpacing(6);
    column->addWidget(m_sparkCaption);
    column->addWidget(m_sparkline);
    column->addSpacing(6);
    column->addWidget(m_eventsCaption);
    column->addWidget(m_events);
    column->addStretch(1);
    m_scroll->setWidget(content);
    clear();
}

void InspectorPanel::setPeerLabeler(PeerLabeler labeler) { m_labeler = std::move(labeler); }

QString InspectorPanel::peerLabel(std::uint64_t pid) const {
    if (m_labeler) {
        QString s = m_labeler(pid);
        if (!s.isEmpty()) return s;
    }
    return defaultPidText(pid);
}

QString InspectorPanel::peerLink(std::uint64_t pid) const { return link(pid, peerLabel(pid)); }

void InspectorPanel::begin(Mode mode, std::uint64_t pid) {
    m_mode = mode;
    m_pid = pid;
    for (auto& [name, shown] : m_shown) shown = false;
    m_plain.clear();
}

void InspectorPanel::setField(const QString& label, const QString& value) {
    QLabel* l = m_fields.at(label);
    l->setTextFormat(Qt::PlainText);
    if (l->text() != value) l->setText(value);
    m_plain[label] = value;
    m_shown[label] = true;
}

void InspectorPanel::setRichField(const QString& label, const QString& html, const QString& plain) {
    QLabel* l = m_fields.at(label);
    l->setTextFormat(Qt::RichText);
    if (l->text() != html) l->setText(html);
    m_plain[label] = plain;
    m_shown[label] = true;
}

void InspectorPanel::setPeerListField(const QString& label, const std::vector<std::uint64_t>& pids, int limit) {
    if (pids.empty()) return;
    QStringList html, plain;
    for (std::size_t i = 0; i < pids.size() && static_cast<int>(i) < limit; ++i) {
        html << peerLink(pids[i]);
        plain << peerLabel(pids[i]);
    }
    if (static_cast<int>(pids.size()) > limit) {
        const QString more = tr("and %1 more").arg(pids.size() - static_cast<std::size_t>(limit));
        html << more;
        plain << more;
    }
    setRichField(label, html.join(QStringLiteral(", ")), plain.join(QStringLiteral(", ")));
}

void InspectorPanel::setIntensity(const introspection::ProcessRecord& r) {
    QString t = tr("%1 of %2 restarts in %3 s").arg(r.restartsInWindow).arg(r.maxRestarts).arg(r.maxSeconds);
    if (r.restartsInWindow >= r.maxRestarts) t += tr(" (at the limit: one more and it gives up)");
    m_intensityText->setText(t);
    m_meter->setIntensity(r.restartsInWindow, r.maxRestarts);
    m_plain[QStringLiteral("Intensity")] = t;
    m_shown[QStringLiteral("Intensity")] = true;
}

QString InspectorPanel::fieldText(const QString& label) const {
    auto shown = m_shown.find(label);
    if (shown == m_shown.end() || !shown->second) return {};
    auto it = m_plain.find(label);
    return it == m_plain.end() ? QString() : it->second;
}

QString InspectorPanel::title() const { return m_title->text(); }

QString InspectorPanel::subtitle() const { return m_subtitle->text(); }

QStringList InspectorPanel::eventLines() const { return m_eventLines; }

void InspectorPanel::clear() {
    begin(Mode::Empty, 0);
    m_title->setText(tr("Nothing selected"));
    m_subtitle->setText(tr("Select a process on the tree or in the table."));
    showEmptyHistory();
    applyRowVisibility();
}

void InspectorPanel::applyRowVisibility() {
    for (const QString& name : m_fieldOrder) {
        QWidget* w = name == QLatin1String("Intensity") ? m_intensityRow : m_fields.at(name);
        m_form->setRowVisible(w, m_shown[name]);
    }
}

void InspectorPanel::showEmptyHistory() {
    m_sparkCaption->hide();
    m_sparkline->hide();
    m_eventsCaption->hide();
    m_events->hide();
    m_eventLines.clear();
}

void InspectorPanel::showProcess(const introspection::ProcessRecord& r, const ProcessHistory& history) {
    const bool ghost = r.pid == 0;
    const bool supervisor = r.kind != "worker";
    begin(ghost ? Mode::Ghost : supervisor ? Mode::Supervisor : Mode::Worker, r.pid);

    const QString pidText = ghost ? QString() : pidTextOf(r.pid, r.pidText);
    if (ghost) {
        m_title->setText(text(r.childId.empty() ? r.displayName() : r.childId));
        m_subtitle->setText(r.parent ? tr("Not running: a child slot of %1").arg(peerLabel(r.parent))
                                     : tr("Not running"));
    } else {
        m_title->setText(text(r.displayName()));
        QStringList sub{kindText(r.kind)};
        if (supervisor && !r.strategy.empty()) sub << text(r.strategy);
        sub << text(r.status);
        m_subtitle->setText(sub.join(QStringLiteral(" \u00b7 ")));
        setField(QStringLiteral("Pid"), pidText);
    }
    if (!r.name.empty()) setField(QStringLiteral("Name"), text(r.name));
    if (!r.childId.empty()) setField(QStringLiteral("Child id"), text(r.childId));
    setField(QStringLiteral("Kind"), kindText(r.kind));
    if (supervisor && !r.strategy.empty()) setField(QStringLiteral("Strategy"), text(r.strategy));
    if (supervisor && !ghost && (r.maxRestarts > 0 || r.maxSeconds > 0 || r.restartsInWindow > 0)) setIntensity(r);
    if (!r.restart.empty()) setField(QStringLiteral("Restart"), restartText(r.restart));
    if (!r.shutdown.empty()) setField(QStringLiteral("Shutdown"), shutdownText(r.shutdown));
    if (r.significant) setField(QStringLiteral("Significant"), tr("yes (its exit can stop its supervisor)"));
    if (ghost) {
        setField(QStringLiteral("Status"), tr("not running"));
        std::int64_t since = history.notRunningSinceNs;
        if (since < 0)
            for (auto it = history.slotEvents.rbegin(); it != history.slotEvents.rend(); ++it)
                if (it->kind == SlotEvent::Kind::Exited || it->kind == SlotEvent::Kind::GaveUp) {
                    since = it->tNs;
                    break;
                }
        if (since >= 0)
            setField(QStringLiteral("Not running since"),
                     tr("%1 (%2 ago)").arg(sessionTimeTextPrecise(since), durationText(history.nowNs - since)));
        else
            setField(QStringLiteral("Not running since"), tr("unknown (before the session)"));
    } else {
        setField(QStringLiteral("Status"), text(r.status));
    }
    if (!r.initialCall.empty()) setField(QStringLiteral("Initial call"), text(r.initialCall));
    if (r.parent) setRichField(QStringLiteral("Supervisor"), peerLink(r.parent), peerLabel(r.parent));
    if (!ghost) {
        setField(QStringLiteral("Mailbox"), number(r.mailboxLength));
        if (r.reductions == 0) setField(QStringLiteral("Handled"), number(static_cast<std::int64_t>(r.messagesHandled)));
        else setField(QStringLiteral("Reductions"), number(static_cast<std::int64_t>(r.reductions))); // a BEAM process
        if (r.memoryBytes) setField(QStringLiteral("Memory"), bytesText(r.memoryBytes));
    }
    setField(QStringLiteral("Restarts"), r.restartCount ? pluralText(r.restartCount, tr("time"), tr("times")) + tr(" this session")
                                                        : tr("none this session"));
    if (!r.lastExitReason.empty()) setField(QStringLiteral("Last exit"), text(r.lastExitReason));
    setPeerListField(QStringLiteral("Links"), r.links, 20);
    setPeerListField(QStringLiteral("Monitors"), r.monitors, 20);
    applyRowVisibility();
    showHistory(history, ghost ? tr("slot") : tr("process"));
}

void InspectorPanel::showHerd(const QString& title, const std::vector<introspection::ProcessRecord>& members,
                              const ProcessHistory& history) {
    begin(Mode::Herd, 0);
    const std::size_t n = members.size();
    m_title->setText(QStringLiteral("%1 \u00d7%2").arg(title).arg(n));
    const introspection::ProcessRecord* first = n ? &members.front() : nullptr;
    const QString count = pluralText(static_cast<long long>(n), tr("same-spec process"), tr("same-spec processes"));
    m_subtitle->setText(first && first->parent ? tr("%1 under %2").arg(count, peerLabel(first->parent)) : count);
    setField(QStringLiteral("Processes"), QString::number(n));
    if (first) {
        setField(QStringLiteral("Kind"), kindText(first->kind));
        if (!first->restart.empty()) setField(QStringLiteral("Restart"), restartText(first->restart));
        if (!first->initialCall.empty()) setField(QStringLiteral("Initial call"), text(first->initialCall));
        if (first->parent) setRichField(QStringLiteral("Supervisor"), peerLink(first->parent), peerLabel(first->parent));
    }
    std::map<std::string, int> statuses;
    std::int64_t mailbox = 0, maxMailbox = -1;
    std::uint64_t handled = 0, memory = 0, maxPid = 0;
    int restarts = 0;
    for (const auto& m : members) {
        ++statuses[m.status];
        mailbox += m.mailboxLength;
        handled += m.messagesHandled;
        memory += m.memoryBytes;
        restarts += m.restartCount;
        if (m.mailboxLength > maxMailbox) {
            maxMailbox = m.mailboxLength;
            maxPid = m.pid;
        }
    }
    std::vector<std::pair<std::string, int>> mix(statuses.begin(), statuses.end());
    std::stable_sort(mix.begin(), mix.end(), [](auto& a, auto& b) { return a.second > b.second; });
    QStringList mixText;
    for (auto& [s, c] : mix) mixText << QStringLiteral("%1 %2").arg(c).arg(text(s));
    if (!mixText.isEmpty()) setField(QStringLiteral("Status mix"), mixText.join(QStringLiteral(", ")));
    setField(QStringLiteral("Spawns"), tr("%1 /s").arg(history.spawnsPerSecond, 0, 'f', history.spawnsPerSecond < 10 ? 1 : 0));
    setField(QStringLiteral("Exits"), tr("%1 /s").arg(history.exitsPerSecond, 0, 'f', history.exitsPerSecond < 10 ? 1 : 0));
    if (!history.exitReasons.empty()) {
        QStringList reasons;
        int shown = 0, rest = 0;
        for (const auto& [reason, count] : history.exitReasons) {
            if (shown++ < 6)
                reasons << QStringLiteral("%1 \u00d7%2").arg(text(reason)).arg(count);
            else
                rest += count;
        }
        if (rest) reasons << tr("other \u00d7%1").arg(rest);
        setField(QStringLiteral("Exit reasons"), reasons.join(QStringLiteral(", ")));
    }
    if (n) {
        const QString top = maxMailbox > 0 ? tr(" (largest %1 in %2)").arg(number(maxMailbox), peerLabel(maxPid)) : QString();
        setField(QStringLiteral("Mailbox"), tr("%1 in all").arg(number(mailbox)) + top);
        setField(QStringLiteral("Handled"), tr("%1 in all").arg(number(static_cast<std::int64_t>(handled))));
        if (memory) setField(QStringLiteral("Memory"), tr("%1 in all").arg(bytesText(memory)));
        setField(QStringLiteral("Restarts"), restarts ? pluralText(restarts, tr("restart"), tr("restarts")) + tr(" in all this session") : tr("none this session"));
    }
    std::vector<std::uint64_t> pids;
    pids.reserve(std::min<std::size_t>(n, 13));
    for (std::size_t i = 0; i < n && i < 13; ++i) pids.push_back(members[i].pid);
    if (!pids.empty()) {
        // setPeerListField counts "and N more" from the list it gets: give it the true total.
        QStringList html, plain;
        for (std::size_t i = 0; i < pids.size() && i < 12; ++i) {
            html << peerLink(pids[i]);
            plain << peerLabel(pids[i]);
        }
        if (n > 12) {
            html << tr("and %1 more").arg(n - 12);
            plain << tr("and %1 more").arg(n - 12);
        }
        setRichField(QStringLiteral("Members"), html.join(QStringLiteral(", ")), plain.join(QStringLiteral(", ")));
    }
    applyRowVisibility();
    showHistory(history, tr("herd"));
}

QString InspectorPanel::mailboxCaption() const {
    return m_sparkCaption->isHidden() ? QString() : QTextDocumentFragment::fromHtml(m_sparkCaption->text()).toPlainText();
}

void InspectorPanel::showHistory(const ProcessHistory& h, const QString& what) {
    if (!h.mailbox.empty()) {
        std::int64_t top = 0;
        for (const auto& s : h.mailbox) top = std::max(top, s.length);
        const std::int64_t t0 = h.mailbox.front().tNs;
        const std::int64_t t1 = std::max(h.nowNs, h.mailbox.back().tNs);
        QString caption = tr("Mailbox, last %1: now %2, max %3")
                              .arg(durationText(t1 - t0), number(h.mailbox.back().length), number(top)).toHtmlEscaped();
        if (h.mailboxGrowthPerSecond > 0)
            caption += QStringLiteral(" <span style=\"color:#c62828; font-weight:600\">%1</span>")
                           .arg(tr("▲ growing +%1/s").arg(number(static_cast<std::int64_t>(h.mailboxGrowthPerSecond + 0.5))));
        m_sparkCaption->setText(caption);
        m_sparkline->setSamples(h.mailbox, t0, t1);
        m_sparkCaption->show();
        m_sparkline->show();
    } else {
        m_sparkCaption->hide();
        m_sparkline->hide();
    }
    m_eventLines.clear();
    if (h.slotEvents.empty()) {
        m_eventsCaption->setText(tr("No exits or restarts of this %1 seen").arg(what));
        m_eventsCaption->show();
        m_events->hide();
        return;
    }
    QStringList html;
    int shown = 0;
    for (auto it = h.slotEvents.rbegin(); it != h.slotEvents.rend() && shown < 20; ++it, ++shown) {
        const SlotEvent& e = *it;
        const QString when = sessionTimeTextPrecise(e.tNs);
        const QString pid = pidTextOf(e.pid, e.pidText);
        QString pidsHtml, pidsPlain;
        if (e.kind == SlotEvent::Kind::Restarted) {
            const QString old = pidTextOf(e.oldPid, e.oldPidText);
            pidsPlain = old + QStringLiteral(" -> ") + pid;
            pidsHtml = (e.oldPid ? link(e.oldPid, old) : old.toHtmlEscaped()) + QStringLiteral(" \u2192 ") +
                       (e.pid ? link(e.pid, pid) : pid.toHtmlEscaped());
        } else if (e.pid) {
            pidsPlain = pid;
            pidsHtml = link(e.pid, pid);
        }
        QString plain = when + QStringLiteral("  ") + eventWord(e.kind);
        QString line = QStringLiteral("<b>%1</b>&nbsp; %2").arg(when, eventWord(e.kind));
        if (!pidsPlain.isEmpty()) {
            plain += QStringLiteral("  ") + pidsPlain;
            line += QStringLiteral(" ") + pidsHtml;
        }
        if (!e.reason.empty()) {
            plain += QStringLiteral("  ") + text(e.reason);
            const bool bad = e.reason != "normal" && e.reason != "shutdown";
            line += QStringLiteral(": <span style=\"color:%1\">%2</span>")
                        .arg(bad ? QStringLiteral("#c62828") : QStringLiteral("#555555"), text(e.reason).toHtmlEscaped());
        }
        m_eventLines << plain;
        html << line;
    }
    const int total = static_cast<int>(h.slotEvents.size());
    m_eventsCaption->setText(total > shown ? tr("Recent exits and restarts (newest first, %1 of %2)").arg(shown).arg(total)
                                           : tr("Recent exits and restarts (newest first)"));
    m_events->setText(html.join(QStringLiteral("<br>")));
    m_eventsCaption->show();
    m_events->show();
}

} // namespace canopy::views
