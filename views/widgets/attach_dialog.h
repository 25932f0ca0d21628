#pragma once
#include "views/widgets/attach_target.h"
#include "views/widgets/validating_dialog.h"
#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;
class QSettings;
class QSpinBox;
class QToolButton;

namespace canopy::views {

/// "Attach to a probe": host, port (or `host:port` pasted into the host field), a token (password
/// field, never shown in clear) or a token file (file picker), and the recent targets (QSettings,
/// most recent first, removable with the Delete key or the remove button; tokens are never stored).
/// `beam:NAME@HOST[/APP]` in the host field attaches to an Erlang/Elixir node instead: port and
/// token do not apply (greyed), an Erlang cookie file may be given.
/// OK stays disabled while the input is invalid and the reason is shown under the fields.
/// In TokenPrompt mode (after a bad-token refusal) only the token fields are shown, with the message.
class AttachDialog : public ValidatingDialog {
    Q_OBJECT
public:
    /// Attach: the full form. TokenPrompt: the token for a known target only.
    enum class Mode { Attach, TokenPrompt };

    /// `settings` holds the recent targets (nullptr = the application's QSettings); not owned.
    explicit AttachDialog(QSettings* settings = nullptr, QWidget* parent = nullptr);

    /// Switches the mode; `message` is shown above the fields (e.g. "127.0.0.1:4040 refused the token").
    void setMode(Mode mode, const QString& message = {});
    Mode mode() const { return m_mode; }
    /// Fills the fields.
    void setTarget(const AttachTarget& target);
    /// What the fields say now (meaningful when validationError() is empty).
    AttachTarget target() const;
    /// Why the input cannot be used ("" when it can): one line naming the field and the problem.
    QString validationError() const override;

    /// Recent targets as `host:port`, most recent first.
    QStringList recentTargets() const;
    /// Puts `target` first in the recent list (at most 10 kept; the token file is kept, the token never).
    void rememberTarget(const AttachTarget& target);
    /// Removes a recent target.
    void removeRecent(const QString& hostPort);

    /// Parses `host:port`, `[v6]:port`, a bare port (host 127.0.0.1) or `beam:NAME@HOST[/APP]`; an
    /// error names the problem.
    static std::optional<AttachTarget> parseTarget(const QString& text, QString* error = nullptr);

    /// The fields, for tests.
    QLineEdit* hostEdit() const { return m_host; }
    QSpinBox* portBox() const { return m_port; }
    QLineEdit* tokenEdit() const { return m_token; }
    QLineEdit* tokenFileEdit() const { return m_tokenFile; }
    QLineEdit* cookieFileEdit() const { return m_cookieFile; }
    QListWidget* recentList() const { return m_recent; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    /// On OK: the target goes first in the recent list.
    void remember() override;

private:
    void fillRecentList();
    void hostEdited(const QString& text);
    void splitHostPort();
    /// Greys what does not apply to the kind of target in the host field (a probe or a BEAM node).
    void updateTargetKind();
    void loadRecent();
    void storeRecent();

    Mode m_mode = Mode::Attach;
    QLabel* m_message = nullptr;
    QWidget* m_addressRow = nullptr;
    QLabel* m_addressLabel = nullptr;
    QLineEdit* m_host = nullptr;
    QString m_lastHostText;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_token = nullptr;
    QLineEdit* m_tokenFile = nullptr;
    QToolButton* m_browse = nullptr;
    QLineEdit* m_cookieFile = nullptr;
    QToolButton* m_browseCookie = nullptr;
    QWidget* m_recentBox = nullptr;
    QListWidget* m_recent = nullptr;
    QToolButton* m_removeRecent = nullptr;
    struct Recent {
        QString hostPort;
        QString tokenFile;
        QString cookieFile;
    };
    std::vector<Recent> m_recents;
};

} // namespace canopy::views
