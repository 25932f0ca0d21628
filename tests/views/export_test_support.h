#pragma once
// Helpers shared by the exporter tests: fixture loading and golden-file comparison.
#include "introspection/tree_snapshot.h"
#include "views/export/snapshot_json.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTest>

#include <string>

namespace canopy::exporting::test {

/// The repository root (CTest sets CANOPY_SOURCE_DIR; run by hand, it is found from this folder).
inline QString sourceDir() {
    const QByteArray dir = qgetenv("CANOPY_SOURCE_DIR");
    if (!dir.isEmpty()) return QString::fromLocal8Bit(dir);
#ifdef QT_TESTCASE_SOURCEDIR
    return QDir::cleanPath(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../.."));
#else
    return QStringLiteral(".");
#endif
}

/// tests/views/fixtures/<name>.json as a snapshot; fails the test if it does not load.
inline introspection::TreeSnapshot fixture(const char* name) {
    const QString path = sourceDir() + "/tests/views/fixtures/" + name + ".json";
    auto parsed = SnapshotJson::fromFile(path.toStdString());
    if (!parsed.ok()) qWarning("fixture %s: %s", name, parsed.error.c_str());
    return parsed.snapshot;
}

/// True when goldens are being regenerated (CANOPY_REGEN_GOLDEN=1, see scripts/regen-golden.sh).
inline bool regenerating() { return qgetenv("CANOPY_REGEN_GOLDEN") == "1"; }

/// Compares `actual` byte for byte with tests/views/golden/<file>; in regeneration mode writes it.
/// On mismatch the actual output is saved next to the test binary as <file>.actual.
inline bool matchesGolden(const std::string& actual, const QString& file, QString* why) {
    const QString path = sourceDir() + "/tests/views/golden/" + file;
    if (regenerating()) {
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            *why = "cannot write " + path;
            return false;
        }
        out.write(actual.data(), static_cast<qint64>(actual.size()));
        return true;
    }
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        *why = "missing golden file " + path + " (run scripts/regen-golden.sh)";
        return false;
    }
    const QByteArray expected = in.readAll();
    const QByteArray got(actual.data(), static_cast<qsizetype>(actual.size()));
    if (expected == got) return true;
    QFile dump(file + ".actual");
    if (dump.open(QIODevice::WriteOnly | QIODevice::Truncate)) dump.write(got);
    const QList<QByteArray> e = expected.split('\n'), g = got.split('\n');
    for (qsizetype i = 0; i < std::max(e.size(), g.size()); ++i) {
        const QByteArray el = i < e.size() ? e[i] : QByteArray("<end>");
        const QByteArray gl = i < g.size() ? g[i] : QByteArray("<end>");
        if (el != gl) {
            *why = QString("%1 differs at line %2:\n  expected: %3\n  actual:   %4\n(actual saved as %5.actual)")
                       .arg(file).arg(i + 1).arg(QString::fromUtf8(el), QString::fromUtf8(gl), file);
            return false;
        }
    }
    *why = file + " differs";
    return false;
}

/// Runs a program with stdin `input`; returns exit code (-1 when it could not start), fills out/err.
inline int runTool(const QString& program, const QStringList& args, const QByteArray& input, QByteArray* out,
                   QByteArray* err = nullptr) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000)) return -1;
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (out) *out = p.readAllStandardOutput();
    if (err) *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

/// True when `program` is on PATH.
inline bool haveTool(const QString& program) { return !QStandardPaths::findExecutable(program).isEmpty(); }

} // namespace canopy::exporting::test

/// QVERIFY-like check against a golden file.
#define CANOPY_COMPARE_GOLDEN(actual, file)                                                                  \
    do {                                                                                                     \
        QString why_;                                                                                        \
        if (!canopy::exporting::test::matchesGolden((actual), (file), &why_)) QFAIL(qPrintable(why_));      \
    } while (false)
