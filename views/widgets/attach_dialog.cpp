#include "views/widgets/attach_dialog.h"
#include "introspection/live_source.h"
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace canopy::views {

namespace {

constexpr int kMaxRecent = 10;
const char* const kRecentKey = "attach/recent";

/// True for host names, IPv4 and IPv6 addresses (a scope id after % allowed).
bool plausibleHost(const QString& host) {
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$"));
    static const QRegularExpression v6(QStringLiteral("^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$"));
    return name.match(host).hasMatch() || (host.contains(':') && v6.match(host).hasMatch());
}

/// `beam:NAME@HOST[/APP]` (what canopy-beam accepts; an Elixir node name may hold letters, digits,
/// `_`, `-` and `.`).
bool isBeamText(const QString& text) { return text.trimmed().startsWith(QLatin1String("beam:")); }

QString expandHome(const QString& path) {
    if (path == QLatin1String("~")) return QDir::homePath();
    if (path.startsWith(QLatin1String("~/"))) return QDir::homePath() + path.mid(1);
    return path;
}

/// A file path field with a "..." button that picks the file (token file, cookie file).
QHBoxLayout* fileField(QWidget* parent, QLineEdit*& edit, QToolButton*& browse, const QString& placeholder,
                       const QString& what) {
    edit = new QLineEdit(parent);
    edit->setPlaceholderText(placeholder);
    browse = new QToolButton(parent);
    browse->setText(QStringLiteral("..."));
    const QString title = AttachDialog::tr("Choose the file holding the %1").arg(what);
    browse->setToolTip(title);
    QObject::connect(browse, &QToolButton::clicked, parent, [parent, edit, title] {
        const QString f = QFileDialog::getOpenFileName(parent, title, expandHome(edit->text()));
        if (!f.isEmpty()) edit->setText(f);
    });
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return row;
}

} // namespace

AttachDialog::AttachDialog(QSettings* settings, QWidget* parent) : ValidatingDialog(settings, tr("Attach"), parent) {
    setWindowTitle(tr("Attach to a probe"));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);

    m_addressRow = new QWidget(this);
    auto* address = new QHBoxLayout(m_addressRow);
    address->setContentsMargins(0, 0, 0, 0);
    m_host = new QLineEdit(m_addressRow);
    m_host->setPlaceholderText(tr("127.0.0.1, host:port, or beam:name@host"));
    m_port = new QSpinBox(m_addressRow);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("port"));
    m_port->setMinimumWidth(m_port->fontMetrics().horizontalAdvance(QStringLiteral("655350")) + 36);
    address->addWidget(m_host, 1);
    address->addWidget(new QLabel(tr("Port"), m_addressRow));
    address->addWidget(m_port);

    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("none"));
    auto* fileRow = fileField(this, m_tokenFile, m_browse, tr("none (CANOPY_TOKEN or ~/.canopy_token)"), tr("token"));
    auto* cookieRow = fileField(this, m_cookieFile, m_browseCookie, tr("~/.erlang.cookie"), tr("Erlang cookie"));

    auto* form = new QFormLayout;
    m_addressLabel = new QLabel(tr("Host"), this);
    form->addRow(m_addressLabel, m_addressRow);
    form->addRow(tr("Token"), m_token);
    form->addRow(tr("Token file"), fileRow);
    form->addRow(tr("Cookie file"), cookieRow);

    m_recentBox = new QWidget(this);
    auto* recentColumn = new QVBoxLayout(m_recentBox);
    recentColumn->setContentsMargins(0, 0, 0, 0);
    auto* recentHead = new QHBoxLayout;
    recentHead->addWidget(new QLabel(tr("Recent targets"), m_recentBox), 1);
    m_removeRecent = new QToolButton(m_recentBox);
    m_removeRecent->setText(tr("Remove"));
    m_removeRecent->setToolTip(tr("Forget the selected target (Delete)"));
    recentHead->addWidget(m_removeRecent);
    m_recent = new QListWidget(m_recentBox);
    m_recent->setMaximumHeight(m_recent->fontMetrics().height() * 6 + 8);
    m_recent->installEventFilter(this);
    recentColumn->addLayout(recentHead);
    recentColumn->addWidget(m_recent);

    auto* column = new QVBoxLayout(this);
    column->addWidget(m_message);
    column->addLayout(form);
    column->addWidget(m_recentBox);
    column->addWidget(errorLabel());
    column->addWidget(buttons());

    connect(m_host, &QLineEdit::textEdited, this, &AttachDialog::hostEdited);
    connect(m_host, &QLineEdit::editingFinished, this, &AttachDialog::splitHostPort);
    connect(m_host, &QLineEdit::textChanged, this, &AttachDialog::revalidate);
    connect(m_port, &QSpinBox::valueChanged, this, &AttachDialog::revalidate);
    connect(m_token, &QLineEdit::textChanged, this, &AttachDialog::revalidate);
    connect(m_tokenFile, &QLineEdit::textChanged, this, &AttachDialog::revalidate);
    connect(m_cookieFile, &QLineEdit::textChanged, this, &AttachDialog::revalidate);
    connect(m_host, &QLineEdit::textChanged, this, &AttachDialog::updateTargetKind);

    connect(m_recent, &QListWidget::currentRowChanged, this, [this](int row) {
        m_removeRecent->setEnabled(row >= 0);
        if (row < 0 || row >= static_cast<int>(m_recents.size())) return;
        if (auto t = parseTarget(m_recents[static_cast<std::size_t>(row)].hostPort)) {
            t->tokenFile = m_recents[static_cast<std::size_t>(row)].tokenFile;
            t->cookieFile = m_recents[static_cast<std::size_t>(row)].cookieFile;
            t->token = m_token->text();
            setTarget(*t);
        }
    });
    connect(m_recent, &QListWidget::itemDoubleClicked, this, [this] { accept(); });
    connect(m_removeRecent, &QToolButton::clicked, this, [this] {
        if (auto* item = m_recent->currentItem()) removeRecent(item->text());
    });

    setTabOrder(m_recent, m_removeRecent);
    setTabOrder(m_removeRecent, buttons()); // the buttons were made first, by the base class
    loadRecent();
    updateTargetKind();
    setMode(Mode::Attach);
    m_removeRecent->setEnabled(false);
    resize(440, sizeHint().height());
}

void AttachDialog::setMode(Mode mode, const QString& message) {
    m_mode = mode;
    const bool prompt = mode == Mode::TokenPrompt;
    setWindowTitle(prompt ? tr("Token required") : tr("Attach to a probe"));
    m_addressRow->setEnabled(!prompt);
    m_addressLabel->setVisible(!prompt);
    m_addressRow->setVisible(!prompt);
    m_recentBox->setVisible(!prompt);
    buttons()->button(QDialogButtonBox::Ok)->setText(prompt ? tr("Retry") : tr("Attach"));
    QString text = message;
    if (text.isEmpty())
        text = prompt ? tr("The probe at %1 refused the token. Enter the right token, or the file that holds it.")
                            .arg(target().hostPort())
                      : tr("Attach to the probe of a running program (the host and port it listens on), or to an "
                           "Erlang/Elixir node as beam:name@host (through canopy-beam).");
    m_message->setText(text);
    m_token->setPlaceholderText(prompt ? tr("the probe's token") : tr("none"));
    if (prompt) m_token->setFocus();
    revalidate();
    adjustSize();
    if (width() < 440) resize(440, height());
}

void AttachDialog::setTarget(const AttachTarget& target) {
    m_host->setText(target.beamNode.isEmpty() ? target.host : target.beamNode);
    m_port->setValue(target.beamNode.isEmpty() ? target.port : 0);
    m_cookieFile->setText(target.cookieFile);
    m_token->setText(target.token);
    m_tokenFile->setText(target.tokenFile);
    revalidate();
}

AttachTarget AttachDialog::target() const {
    AttachTarget t;
    if (isBeamText(m_host->text())) {
        t.beamNode = m_host->text().trimmed();
        t.cookieFile = expandHome(m_cookieFile->text().trimmed());
        return t;
    }
    t.host = m_host->text().trimmed();
    t.port = static_cast<std::uint16_t>(m_port->value());
    const bool bracketed = t.host.startsWith('[') && t.host.contains(QLatin1String("]:"));
    if (bracketed || t.host.count(':') == 1) {
        // host:port still in the host field (typed, not yet split).
        if (auto parsed = parseTarget(t.host)) {
            t.host = parsed->host;
            t.port = parsed->port;
        }
    }
    if (t.host.startsWith('[') && t.host.endsWith(']')) t.host = t.host.mid(1, t.host.size() - 2);
    t.token = m_token->text();
    t.tokenFile = expandHome(m_tokenFile->text().trimmed());
    return t;
}

std::optional<AttachTarget> AttachDialog::parseTarget(const QString& input, QString* error) {
    const QString text = input.trimmed();
    auto fail = [&](const QString& message) -> std::optional<AttachTarget> {
        if (error) *error = message;
        return std::nullopt;
    };
    if (text.isEmpty()) return fail(tr("Enter host:port (e.g. 127.0.0.1:4040)"));
    if (isBeamText(text)) {
        // beam:NAME@HOST or beam:NAME@HOST/APP (one application's tree), as canopyctl takes it.
        static const QRegularExpression node(QStringLiteral("^beam:[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(/[A-Za-z0-9_.]+)?$"));
        if (!node.match(text).hasMatch())
            return fail(tr("'%1': write a BEAM node as beam:name@host or beam:name@host/app (e.g. beam:todo@localhost)").arg(text));
        AttachTarget t;
        t.beamNode = text;
        return t;
    }
    static const QRegularExpression digits(QStringLiteral("^\\d+$"));
    QString spec = text;
    if (digits.match(text).hasMatch()) spec = QStringLiteral("127.0.0.1:") + text;
    // A bare IPv6 address has several colons and no brackets: it names no port.
    if (!spec.startsWith('[') && spec.count(':') > 1)
        return fail(tr("'%1': write an IPv6 address with its port as [address]:port").arg(text));
    auto parsed = introspection::LiveSource::parseHostPort(spec.toStdString());
    if (!parsed.ok()) return fail(QString::fromStdString(parsed.error()));
    AttachTarget t;
    t.host = QString::fromStdString(parsed->first);
    t.port = parsed->second;
    if (!plausibleHost(t.host)) return fail(tr("'%1' is not a host name or address").arg(t.host));
    return t;
}

QString AttachDialog::validationError() const {
    const AttachTarget t = target();
    if (m_mode == Mode::Attach && !t.beamNode.isEmpty()) {
        QString error;
        if (!parseTarget(t.beamNode, &error)) return error;
        if (!t.cookieFile.isEmpty()) {
            const QFileInfo info(t.cookieFile);
            if (!info.exists()) return tr("Cookie file %1 does not exist").arg(t.cookieFile);
            if (!info.isFile() || !info.isReadable()) return tr("Cookie file %1 cannot be read").arg(t.cookieFile);
        }
        return {};
    }
    if (m_mode == Mode::Attach) {
        if (t.host.isEmpty()) return tr("Enter the probe's host (e.g. 127.0.0.1), or paste host:port");
        if (!plausibleHost(t.host)) return tr("Host '%1' is not a host name or address").arg(t.host);
        if (t.port == 0) return tr("Enter the probe's port (1-65535)");
    }
    if (t.token.contains('\n') || t.token.contains('\r')) return tr("The token must be one line");
    if (!t.token.isEmpty() && !t.tokenFile.isEmpty()) return tr("Give a token or a token file, not both");
    if (!t.tokenFile.isEmpty()) {
        const QFileInfo info(t.tokenFile);
        if (!info.exists()) return tr("Token file %1 does not exist").arg(t.tokenFile);
        if (!info.isFile()) return tr("Token file %1 is not a file").arg(t.tokenFile);
        if (!info.isReadable()) return tr("Token file %1 cannot be read").arg(t.tokenFile);
    }
    if (m_mode == Mode::TokenPrompt && t.token.isEmpty() && t.tokenFile.isEmpty())
        return tr("Enter the token, or choose the file that holds it");
    return {};
}

void AttachDialog::hostEdited(const QString& text) {
    // A pasted host:port (several characters at once) is split into the two fields at once; typed
    // by hand it is split when editing finishes (target() reads it either way).
    const bool pasted = text.size() - m_lastHostText.size() > 1;
    m_lastHostText = text;
    if (pasted) splitHostPort();
}

void AttachDialog::updateTargetKind() {
    const bool beam = isBeamText(m_host->text());
    m_port->setEnabled(!beam);
    m_token->setEnabled(!beam);
    m_tokenFile->setEnabled(!beam);
    m_browse->setEnabled(!beam);
    m_cookieFile->setEnabled(beam);
    m_browseCookie->setEnabled(beam);
    m_addressLabel->setText(beam ? tr("Node") : tr("Host"));
}

void AttachDialog::splitHostPort() {
    const QString t = m_host->text().trimmed();
    if (isBeamText(t)) return;
    const bool bracketed = t.startsWith('[') && t.contains(QLatin1String("]:"));
    if (!bracketed && t.count(':') != 1) return;
    if (auto parsed = parseTarget(t)) {
        const QSignalBlocker block(m_host);
        m_host->setText(parsed->host);
        m_lastHostText = parsed->host;
        m_port->setValue(parsed->port);
        revalidate();
    }
}

QStringList AttachDialog::recentTargets() const {
    QStringList out;
    for (const auto& r : m_recents) out << r.hostPort;
    return out;
}

void AttachDialog::rememberTarget(const AttachTarget& target) {
    const QString hp = target.hostPort();
    std::erase_if(m_recents, [&](const Recent& r) { return r.hostPort == hp; });
    m_recents.insert(m_recents.begin(), Recent{hp, target.tokenFile, target.cookieFile});
    if (m_recents.size() > kMaxRecent) m_recents.resize(kMaxRecent);
    storeRecent();
}

void AttachDialog::removeRecent(const QString& hostPort) {
    std::erase_if(m_recents, [&](const Recent& r) { return r.hostPort == hostPort; });
    storeRecent();
}

void AttachDialog::loadRecent() {
    m_recents.clear();
    const QVariantList list = settings().value(kRecentKey).toList();
    for (const QVariant& v : list) {
        const QVariantMap m = v.toMap();
        const QString hp = m.value(QStringLiteral("target")).toString();
        if (hp.isEmpty() || !parseTarget(hp)) continue;
        m_recents.push_back({hp, m.value(QStringLiteral("tokenFile")).toString(), m.value(QStringLiteral("cookieFile")).toString()});
        if (m_recents.size() >= kMaxRecent) break;
    }
    fillRecentList();
}

void AttachDialog::fillRecentList() {
    const int row = m_recent->currentRow();
    const QSignalBlocker block(m_recent);
    m_recent->clear();
    for (const auto& r : m_recents) {
        auto* item = new QListWidgetItem(r.hostPort, m_recent);
        if (!r.tokenFile.isEmpty()) item->setToolTip(tr("token file %1").arg(r.tokenFile));
        if (!r.cookieFile.isEmpty()) item->setToolTip(tr("cookie file %1").arg(r.cookieFile));
    }
    if (row >= 0 && row < m_recent->count()) m_recent->setCurrentRow(row);
    m_removeRecent->setEnabled(m_recent->currentRow() >= 0);
}

void AttachDialog::storeRecent() {
    QVariantList list;
    for (const auto& r : m_recents) {
        QVariantMap m;
        m.insert(QStringLiteral("target"), r.hostPort);
        if (!r.tokenFile.isEmpty()) m.insert(QStringLiteral("tokenFile"), r.tokenFile);
        if (!r.cookieFile.isEmpty()) m.insert(QStringLiteral("cookieFile"), r.cookieFile);
        list << m;
    }
    settings().setValue(kRecentKey, list);
    fillRecentList();
}

void AttachDialog::remember() { rememberTarget(target()); }

bool AttachDialog::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_recent && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) {
            if (auto* item = m_recent->currentItem()) removeRecent(item->text());
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace canopy::views
