#include "views/widgets/validating_dialog.h"
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>

namespace canopy::views {

ValidatingDialog::ValidatingDialog(QSettings* settings, const QString& okText, QWidget* parent)
    : QDialog(parent), m_settings(settings) {
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_error->setPalette(pal);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(okText);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ValidatingDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ValidatingDialog::reject);
}

void ValidatingDialog::revalidate() {
    const QString error = validationError();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

void ValidatingDialog::accept() {
    if (!validationError().isEmpty()) {
        revalidate();
        return;
    }
    remember();
    QDialog::accept();
}

QSettings& ValidatingDialog::settings() const {
    if (m_settings) return *m_settings;
    if (!m_ownSettings) m_ownSettings = new QSettings(const_cast<ValidatingDialog*>(this));
    return *m_ownSettings;
}

} // namespace canopy::views
