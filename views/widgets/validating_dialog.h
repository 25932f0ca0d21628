#pragma once
#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QSettings;

namespace canopy::views {

/// A dialog whose OK button is enabled only while validationError() is empty; the reason is shown
/// in red (errorLabel(), placed by the subclass above buttons()). accept() validates, lets the
/// subclass remember the choices, then closes with Accepted. Settings: the ones given, else the
/// application's QSettings.
class ValidatingDialog : public QDialog {
    Q_OBJECT
public:
    /// Why the input cannot be used ("" when it can): one line naming the field and the problem.
    virtual QString validationError() const = 0;
    /// Validates; on success calls remember() and closes with Accepted.
    void accept() override;

    /// The error line and the OK/Cancel buttons, for tests.
    QLabel* errorLabel() const { return m_error; }
    QDialogButtonBox* buttons() const { return m_buttons; }

protected:
    /// `okText` names the OK button ("Attach", "Export"); `settings` is not owned (nullptr = the
    /// application's QSettings).
    ValidatingDialog(QSettings* settings, const QString& okText, QWidget* parent);
    /// Shows validationError() and enables OK when it is empty; call after every edit.
    void revalidate();
    /// Called by accept() once the input is valid, before the dialog closes.
    virtual void remember() {}
    /// The settings to read and write.
    QSettings& settings() const;

private:
    QSettings* m_settings = nullptr;
    mutable QSettings* m_ownSettings = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace canopy::views
