// BeamTermReader (canopy-beam's decoder of agent terms) and BeamLatency, against terms encoded by
// erl_interface itself.
#include "app/canopy-beam/beam_error.h"
#include "app/canopy-beam/beam_latency.h"
#include "app/canopy-beam/beam_term_reader.h"
#include <QtTest>
#include <cstring>
#include <ei.h>
#include <vector>

using namespace canopy::beam;

namespace {

/// A versioned term built with ei_x_*.
class Term {
public:
    Term() { ei_x_new_with_version(&m_x); }
    ~Term() { ei_x_free(&m_x); }
    ei_x_buff* x() { return &m_x; }
    BeamTermReader reader() const { return BeamTermReader(m_x.buff, m_x.index); }

private:
    ei_x_buff m_x;
};

erlang_pid pidOf(unsigned num, unsigned serial) {
    erlang_pid p{};
    std::strcpy(p.node, "todo@host");
    p.num = num;
    p.serial = serial;
    p.creation = 7;
    return p;
}

} // namespace

class TstBeamTermReader : public QObject {
    Q_OBJECT
private slots:
    void readsAnAgentRecordShape() {
        // {Pid, undefined, <<"Todo.Cache">>, [Pid2], 42, -1, 12345678901234}
        Term t;
        erlang_pid a = pidOf(143, 0), b = pidOf(7, 2);
        ei_x_encode_tuple_header(t.x(), 7);
        ei_x_encode_pid(t.x(), &a);
        ei_x_encode_atom(t.x(), "undefined");
        ei_x_encode_binary(t.x(), "Todo.Cache", 10);
        ei_x_encode_list_header(t.x(), 1);
        ei_x_encode_pid(t.x(), &b);
        ei_x_encode_empty_list(t.x());
        ei_x_encode_long(t.x(), 42);
        ei_x_encode_long(t.x(), -1);
        ei_x_encode_longlong(t.x(), 12345678901234LL);
        BeamTermReader r = t.reader();
        QCOMPARE(r.tuple(), 7);
        std::string text, node;
        unsigned creation = 0;
        QCOMPARE(r.pid(&text, &node, &creation), beamPidId(143, 0));
        QCOMPARE(text, std::string("<0.143.0>"));
        QCOMPARE(node, std::string("todo@host"));
        QCOMPARE(creation, 7u);
        QVERIFY(r.isAtom("undefined"));
        QCOMPARE(r.atom(), std::string("undefined"));
        QCOMPARE(r.binary(), std::string("Todo.Cache"));
        QCOMPARE(r.list(), 1);
        QCOMPARE(r.pid(), beamPidId(7, 2));
        r.nil();
        QCOMPARE(r.integer(), std::int64_t(42));
        QCOMPARE(r.integer(), std::int64_t(-1));
        QCOMPARE(r.integer(), std::int64_t(12345678901234LL));
    }

    void pidIdsKeepSerialApart() {
        QVERIFY(beamPidId(5, 0) != beamPidId(5, 1));
        QCOMPARE(beamPidId(5, 1) >> 32, std::uint64_t(1));
    }

    void wrongShapeThrowsBeamError() {
        Term t;
        ei_x_encode_atom(t.x(), "ok");
        BeamTermReader r = t.reader();
        QVERIFY_THROWS_EXCEPTION(BeamError, r.binary());
        QVERIFY_THROWS_EXCEPTION(BeamError, r.tuple());
        QCOMPARE(r.atom(), std::string("ok")); // a failed read consumed nothing
    }

    void emptyListAndSkip() {
        Term t;
        ei_x_encode_tuple_header(t.x(), 2);
        ei_x_encode_empty_list(t.x());
        ei_x_encode_binary(t.x(), "x", 1);
        BeamTermReader r = t.reader();
        QCOMPARE(r.tuple(), 2);
        QCOMPARE(r.list(), 0);
        QCOMPARE(r.binary(), std::string("x"));
    }

    void latencyQuantiles() {
        BeamLatency l;
        QCOMPARE(l.summary(), std::string("0 events"));
        l.add(0.4, 98); // bucket [0, 1)
        l.add(7.2, 1);
        l.add(2500, 1); // beyond the histogram: counted in the last bucket, max kept exactly
        QCOMPARE(l.count(), std::uint64_t(100));
        QCOMPARE(l.quantileMs(0.5), 1.0);
        QCOMPARE(l.quantileMs(0.985), 8.0);
        QCOMPARE(l.maxMs(), 2500.0);
        QVERIFY(l.summary().find("max 2500 ms") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstBeamTermReader)
#include "tst_beam_term_reader.moc"
