#include "views/widgets/tree_label.h"

#include <QRegularExpression>

namespace canopy::views {

QString TreeLabel::fromTitle(const std::string& title) {
    QString s = QString::fromStdString(title).trimmed();
    // `Module:function/arity` (an initial call) -> `Module`.
    static const QRegularExpression call(QStringLiteral("^(.+):'?[A-Za-z_][A-Za-z0-9_@]*'?/[0-9]+$"));
    if (s.contains(u':') && s.contains(u'/'))
        if (const auto m = call.match(s); m.hasMatch()) s = m.captured(1);
    if (s.size() >= 2 && s.startsWith(u'\'') && s.endsWith(u'\'')) s = s.mid(1, s.size() - 2);
    if (s.startsWith(QLatin1String("Elixir.")) && s.size() > 7) s = s.mid(7);
    for (QChar& c : s)
        if (c == u'\n' || c == u'\r' || c == u'\t') c = u' ';
    if (s.size() > kMaxLength) {
        const int keep = kMaxLength - 1;
        s = s.left(keep - keep / 2) + QChar(0x2026) + s.right(keep / 2);
    }
    return s.isEmpty() ? QStringLiteral("?") : s;
}

} // namespace canopy::views
