#pragma once
#include "views/export/export_options.h"
#include "views/widgets/validating_dialog.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace canopy::views {

class FormGrid;

/// "Export diagram": the format (ASCII, DOT, Mermaid, PDF, SVG, PNG), the options of
/// exporting::ExportOptions shown only where they apply (ASCII: plain characters, width; DOT and the
/// Graphviz formats: clusters; PDF/SVG/PNG: page, landscape, layout; PNG: dpi; all: annotate, herds)
/// and the output path, whose suffix follows the format. Returns ExportOptions + path; the export
/// itself runs on the worker. The last format, options and folder are remembered in QSettings.
class ExportDialog : public ValidatingDialog {
    Q_OBJECT
public:
    /// `settings` remembers the last choices (nullptr = the application's QSettings); not owned.
    explicit ExportDialog(QSettings* settings = nullptr, QWidget* parent = nullptr);

    /// What is exported, shown as the dialog's first line (e.g. "Todo session at 01:23").
    void setSubject(const QString& text);
    /// Fills the controls.
    void setOptions(const exporting::ExportOptions& options);
    /// The options as chosen.
    exporting::ExportOptions options() const;
    /// Sets the output path (its suffix is fixed up to the format's when it has another one).
    void setPath(const QString& path);
    QString path() const;
    /// Why the input cannot be used ("" when it can): no path, a folder that does not exist, a bad page.
    QString validationError() const override;

    /// `.txt`, `.dot`, `.mmd`, `.pdf`, `.svg`, `.png`.
    static QString suffixFor(exporting::ExportFormat format);
    /// True when `option` ("annotate", "herds", "clusters", "page", "landscape", "layout",
    /// "plainAscii", "width", "dpi") applies to `format`.
    static bool optionApplies(const QString& option, exporting::ExportFormat format);
    /// True when the control of `option` is shown now (for tests).
    bool optionShown(const QString& option) const;

    /// The controls, for tests.
    QComboBox* formatBox() const { return m_format; }
    QLineEdit* pathEdit() const { return m_path; }

protected:
    /// On OK: the format, options and folder are remembered.
    void remember() override;

private:
    void formatChanged();
    void browse();
    QWidget* control(const QString& option) const;

    QLabel* m_subject = nullptr;
    QComboBox* m_format = nullptr;
    FormGrid* m_form = nullptr;
    QCheckBox* m_annotate = nullptr;
    QCheckBox* m_herds = nullptr;
    QCheckBox* m_clusters = nullptr;
    QComboBox* m_page = nullptr;
    QCheckBox* m_landscape = nullptr;
    QComboBox* m_layout = nullptr;
    QCheckBox* m_plainAscii = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_dpi = nullptr;
    QLineEdit* m_path = nullptr;
};

} // namespace canopy::views
