#include "views/widgets/export_dialog.h"
#include "views/export/graphviz_renderer.h"
#include "views/widgets/form_grid.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace canopy::views {

using exporting::ExportFormat;
using exporting::ExportOptions;

namespace {

const char* const kFormatKey = "export/format";
const char* const kFolderKey = "export/folder";
const char* const kOptionKeys[] = {"annotate", "herds", "clusters", "page", "landscape", "layout", "plainAscii", "width", "dpi"};

struct FormatItem {
    ExportFormat format;
    const char* label;
};
constexpr FormatItem kFormats[] = {
    {ExportFormat::Ascii, "ASCII diagram (text, for a README)"},
    {ExportFormat::Mermaid, "Mermaid (for Markdown)"},
    {ExportFormat::Dot, "DOT (Graphviz source)"},
    {ExportFormat::Pdf, "PDF"},
    {ExportFormat::Svg, "SVG"},
    {ExportFormat::Png, "PNG image"},
};

bool graphviz(ExportFormat f) { return f == ExportFormat::Pdf || f == ExportFormat::Svg || f == ExportFormat::Png; }

} // namespace

ExportDialog::ExportDialog(QSettings* settings, QWidget* parent) : ValidatingDialog(settings, tr("Export"), parent) {
    setWindowTitle(tr("Export diagram"));
    m_subject = new QLabel(this);
    m_subject->setWordWrap(true);
    m_subject->hide();
    m_format = new QComboBox(this);
    for (const auto& f : kFormats) m_format->addItem(tr(f.label), static_cast<int>(f.format));

    m_annotate = new QCheckBox(tr("Annotate: restart counts, mailboxes, last exit reasons"), this);
    m_herds = new QCheckBox(tr("Collapse same-spec children into herds"), this);
    m_clusters = new QCheckBox(tr("Box each supervisor's children (clusters)"), this);
    m_page = new QComboBox(this);
    m_page->setEditable(true);
    m_page->addItem(tr("default"), QString());
    for (const char* p : {"a4", "a3", "a2", "a1", "a0", "letter", "legal", "tabloid", "none"})
        m_page->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    m_page->setToolTip(tr("a4 .. a0, letter, legal, tabloid, none (natural size), or WxH in inches such as 24x36.\n"
                          "Default: a4 for PDF, natural size for SVG and PNG."));
    m_landscape = new QCheckBox(tr("Landscape"), this);
    m_layout = new QComboBox(this);
    m_layout->addItem(tr("auto (dot up to 400 boxes, then boxes)"), QStringLiteral("auto"));
    m_layout->addItem(tr("dot (Graphviz layers)"), QStringLiteral("dot"));
    m_layout->addItem(tr("boxes (the ASCII layout, any size)"), QStringLiteral("boxes"));
    m_plainAscii = new QCheckBox(tr("Plain ASCII characters (+-|) instead of box drawing"), this);
    m_width = new QSpinBox(this);
    m_width->setRange(0, 1000);
    m_width->setSpecialValueText(tr("unlimited"));
    m_width->setSuffix(tr(" columns"));
    m_dpi = new QSpinBox(this);
    m_dpi->setRange(36, 1200);
    m_dpi->setSuffix(tr(" dpi"));

    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("tree.txt"));
    auto* browse = new QToolButton(this);
    browse->setText(tr("..."));
    browse->setToolTip(tr("Choose where to save"));
    auto* pathBox = new QWidget(this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto* column = new QVBoxLayout(this);
    column->addWidget(m_subject);
    m_form = new FormGrid;
    column->addLayout(m_form);
    m_form->addRow(tr("Format"), m_format);
    m_form->addRow(QString(), m_annotate);
    m_form->addRow(QString(), m_herds);
    m_form->addRow(QString(), m_plainAscii);
    m_form->addRow(tr("Width"), m_width);
    m_form->addRow(QString(), m_clusters);
    m_form->addRow(tr("Layout"), m_layout);
    m_form->addRow(tr("Page"), m_page);
    m_form->addRow(QString(), m_landscape);
    m_form->addRow(tr("Resolution"), m_dpi);
    m_form->addRow(tr("Save to"), pathRow, pathBox);
    m_form->setVerticalSpacing(6);
    column->addWidget(errorLabel());
    column->addStretch(1);
    column->addWidget(buttons());

    setTabOrder(browse, buttons()); // the buttons were made first, by the base class
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] { formatChanged(); });
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::revalidate);
    connect(m_page, &QComboBox::currentTextChanged, this, &ExportDialog::revalidate);
    connect(browse, &QToolButton::clicked, this, &ExportDialog::browse);

    // Last choices (or ExportOptions' defaults).
    ExportOptions o;
    QSettings& s = this->settings();
    if (auto f = exporting::parseExportFormat(s.value(kFormatKey).toString().toStdString())) o.format = *f;
    o.annotate = s.value("export/annotate", o.annotate).toBool();
    o.herds = s.value("export/herds", o.herds).toBool();
    o.clusters = s.value("export/clusters", o.clusters).toBool();
    o.page = s.value("export/page", QString::fromStdString(o.page)).toString().toStdString();
    o.landscape = s.value("export/landscape", o.landscape).toBool();
    o.layout = s.value("export/layout", QString::fromStdString(o.layout)).toString().toStdString();
    o.plainAscii = s.value("export/plainAscii", o.plainAscii).toBool();
    o.width = s.value("export/width", o.width).toInt();
    o.dpi = s.value("export/dpi", o.dpi).toInt();
    setOptions(o);
    resize(480, sizeHint().height());
}

void ExportDialog::setSubject(const QString& text) {
    m_subject->setText(text);
    m_subject->setVisible(!text.isEmpty());
}

void ExportDialog::setOptions(const ExportOptions& o) {
    m_format->setCurrentIndex(std::max(0, m_format->findData(static_cast<int>(o.format))));
    m_annotate->setChecked(o.annotate);
    m_herds->setChecked(o.herds);
    m_clusters->setChecked(o.clusters);
    const int page = m_page->findData(QString::fromStdString(o.page));
    if (page >= 0)
        m_page->setCurrentIndex(page);
    else
        m_page->setEditText(QString::fromStdString(o.page));
    m_landscape->setChecked(o.landscape);
    m_layout->setCurrentIndex(std::max(0, m_layout->findData(QString::fromStdString(o.layout))));
    m_plainAscii->setChecked(o.plainAscii);
    m_width->setValue(o.width);
    m_dpi->setValue(o.dpi);
    formatChanged();
}

ExportOptions ExportDialog::options() const {
    ExportOptions o;
    o.format = static_cast<ExportFormat>(m_format->currentData().toInt());
    o.annotate = m_annotate->isChecked();
    o.herds = m_herds->isChecked();
    o.clusters = m_clusters->isChecked();
    // The combo shows "default" for ""; typed text is taken as it is.
    const int i = m_page->findText(m_page->currentText());
    o.page = (i >= 0 ? m_page->itemData(i).toString() : m_page->currentText().trimmed().toLower()).toStdString();
    o.landscape = m_landscape->isChecked();
    o.layout = m_layout->currentData().toString().toStdString();
    o.plainAscii = m_plainAscii->isChecked();
    o.width = m_width->value();
    o.dpi = m_dpi->value();
    return o;
}

void ExportDialog::setPath(const QString& path) {
    m_path->setText(path);
    formatChanged();
}

QString ExportDialog::path() const { return m_path->text().trimmed(); }

QString ExportDialog::suffixFor(ExportFormat format) {
    switch (format) {
    case ExportFormat::Ascii: return QStringLiteral(".txt");
    case ExportFormat::Dot: return QStringLiteral(".dot");
    case ExportFormat::Mermaid: return QStringLiteral(".mmd");
    case ExportFormat::Pdf: return QStringLiteral(".pdf");
    case ExportFormat::Svg: return QStringLiteral(".svg");
    case ExportFormat::Png: return QStringLiteral(".png");
    }
    return {};
}

bool ExportDialog::optionApplies(const QString& option, ExportFormat f) {
    if (option == QLatin1String("annotate") || option == QLatin1String("herds")) return true;
    if (option == QLatin1String("plainAscii") || option == QLatin1String("width")) return f == ExportFormat::Ascii;
    if (option == QLatin1String("clusters")) return f == ExportFormat::Dot || graphviz(f);
    if (option == QLatin1String("page") || option == QLatin1String("landscape") || option == QLatin1String("layout"))
        return graphviz(f);
    if (option == QLatin1String("dpi")) return f == ExportFormat::Png;
    return false;
}

QWidget* ExportDialog::control(const QString& option) const {
    if (option == QLatin1String("annotate")) return m_annotate;
    if (option == QLatin1String("herds")) return m_herds;
    if (option == QLatin1String("clusters")) return m_clusters;
    if (option == QLatin1String("page")) return m_page;
    if (option == QLatin1String("landscape")) return m_landscape;
    if (option == QLatin1String("layout")) return m_layout;
    if (option == QLatin1String("plainAscii")) return m_plainAscii;
    if (option == QLatin1String("width")) return m_width;
    if (option == QLatin1String("dpi")) return m_dpi;
    return nullptr;
}

bool ExportDialog::optionShown(const QString& option) const {
    QWidget* w = control(option);
    return w && m_form->isRowVisible(w);
}

void ExportDialog::formatChanged() {
    const ExportFormat f = static_cast<ExportFormat>(m_format->currentData().toInt());
    for (const char* key : kOptionKeys) {
        const QString option = QString::fromLatin1(key);
        m_form->setRowVisible(control(option), optionApplies(option, f));
    }
    // The path follows the format: replace a known suffix, or add one.
    QString p = m_path->text().trimmed();
    const QString suffix = suffixFor(f);
    if (!p.isEmpty() && !p.endsWith(suffix, Qt::CaseInsensitive)) {
        const QFileInfo info(p);
        const QString ext = QLatin1Char('.') + info.suffix().toLower();
        bool known = false;
        for (const auto& item : kFormats) known = known || ext == suffixFor(item.format);
        if (known) p.chop(ext.size());
        m_path->setText(p + suffix);
    }
    m_path->setPlaceholderText(QStringLiteral("tree") + suffix);
    revalidate();
}

QString ExportDialog::validationError() const {
    const ExportOptions o = options();
    if (graphviz(o.format) && !o.page.empty()) {
        exporting::GraphvizRenderer::Page page;
        if (!exporting::GraphvizRenderer::parsePage(o.page, page))
            return tr("Page '%1' is not a page size (use a4 .. a0, letter, legal, tabloid, none or WxH in inches)")
                .arg(QString::fromStdString(o.page));
    }
    const QString p = path();
    if (p.isEmpty()) return tr("Choose where to save the diagram");
    const QFileInfo info(p);
    if (info.isDir()) return tr("%1 is a folder: add a file name").arg(p);
    const QFileInfo dir(info.absolutePath());
    if (!dir.exists()) return tr("Folder %1 does not exist").arg(info.absolutePath());
    if (!dir.isWritable()) return tr("Folder %1 is not writable").arg(info.absolutePath());
    return {};
}

void ExportDialog::browse() {
    const ExportFormat f = static_cast<ExportFormat>(m_format->currentData().toInt());
    const QString suffix = suffixFor(f);
    QString start = path();
    if (start.isEmpty()) start = settings().value(kFolderKey, QDir::homePath()).toString() + QStringLiteral("/tree") + suffix;
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export diagram"), start,
                                                        tr("%1 files (*%2)").arg(m_format->currentText(), suffix));
    if (!chosen.isEmpty()) setPath(chosen);
}

void ExportDialog::remember() {
    const ExportOptions o = options();
    QSettings& s = settings();
    const auto formatName = exporting::toString(o.format);
    s.setValue(kFormatKey, QString::fromUtf8(formatName.data(), static_cast<qsizetype>(formatName.size())));
    s.setValue("export/annotate", o.annotate);
    s.setValue("export/herds", o.herds);
    s.setValue("export/clusters", o.clusters);
    s.setValue("export/page", QString::fromStdString(o.page));
    s.setValue("export/landscape", o.landscape);
    s.setValue("export/layout", QString::fromStdString(o.layout));
    s.setValue("export/plainAscii", o.plainAscii);
    s.setValue("export/width", o.width);
    s.setValue("export/dpi", o.dpi);
    s.setValue(kFolderKey, QFileInfo(path()).absolutePath());
}

} // namespace canopy::views
