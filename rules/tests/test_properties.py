"""Properties of ``plan_run`` over random ledgers (hypothesis).

Each example is a ledger of a few customers around a fixed today: invoices due up to 60 days
before or 15 days after it, any residual (paid ones included), any level of the default
French scenario, chaseable or not, and random unreconciled credits.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.escalation import OVERDUE, PRE_DUE, OpenInvoice, Step, plan_run

TODAY = date(2026, 3, 16)

# The default French scenario, in a shuffled order: plan_run must not rely on it.
STEPS = [
    Step(6, 45, "case"),
    Step(1, -5, "satisfaction_check"),
    Step(2, 1, "email"),
    Step(3, 10, "phone"),
    Step(4, 20, "letter"),
    Step(5, 30, "registered_letter"),
]
ORDERED = sorted(STEPS, key=lambda s: s.offset_days)

# No example database: the run leaves no .hypothesis/ directory in the module.
PROPERTIES = settings(max_examples=200, deadline=None, database=None)

residuals = st.one_of(
    st.just(0.0),
    st.decimals(min_value=-500, max_value=5000, places=2).map(float),
)
invoice_fields = st.tuples(
    st.integers(min_value=1, max_value=4),  # partner
    st.integers(min_value=-15, max_value=60),  # days late (negative: not due yet)
    residuals,
    st.integers(min_value=0, max_value=len(STEPS)),  # level
    st.booleans(),  # chaseable
)


@st.composite
def ledgers(draw):
    rows = draw(st.lists(invoice_fields, min_size=0, max_size=12))
    invoices = [
        OpenInvoice(index + 1, partner, TODAY - timedelta(days=late), residual, level, chaseable)
        for index, (partner, late, residual, level, chaseable) in enumerate(rows)
    ]
    credits = draw(
        st.dictionaries(
            st.integers(min_value=1, max_value=4),
            st.decimals(min_value=0, max_value=3000, places=2).map(float),
            max_size=4,
        )
    )
    return invoices, credits


def _plan(ledger):
    invoices, credits = ledger
    return {inv.id: inv for inv in invoices}, credits, plan_run(invoices, STEPS, credits, TODAY)


@PROPERTIES
@given(ledgers())
def test_unchaseable_or_paid_invoices_are_never_advanced_nor_listed(ledger):
    by_id, _credits, plans = _plan(ledger)
    for comm in plans:
        for move_id in [*comm.advancing, *comm.listed_ids]:
            invoice = by_id[move_id]
            assert invoice.chaseable
            assert invoice.residual > 0


@PROPERTIES
@given(ledgers())
def test_levels_go_up_by_one_step_skipping_only_past_pre_due_steps(ledger):
    by_id, _credits, plans = _plan(ledger)
    for comm in plans:
        assert comm.advancing, "a communication always moves at least one invoice"
        for move_id, new_level in comm.advancing.items():
            invoice = by_id[move_id]
            assert new_level > invoice.level
            assert new_level <= len(ORDERED)
            step = ORDERED[new_level - 1]
            assert invoice.due_date + timedelta(days=step.offset_days) <= TODAY, "never early"
            for skipped in ORDERED[invoice.level : new_level - 1]:
                assert skipped.is_pre_due and invoice.due_date <= TODAY, "only a past pre-due step"
            assert move_id in comm.listed_ids, "an advancing invoice is listed"


@PROPERTIES
@given(ledgers())
def test_totals_are_the_sum_of_the_listed_invoices_and_net_is_total_minus_credit(ledger):
    by_id, credits, plans = _plan(ledger)
    for comm in plans:
        assert comm.total_due == round(sum(by_id[i].residual for i in comm.listed_ids), 2)
        assert len(set(comm.listed_ids)) == len(comm.listed_ids), "listed once"
        assert comm.net_due == round(comm.total_due - comm.credit, 2)
        expected_credit = credits.get(comm.partner_id, 0.0) if comm.kind == OVERDUE else 0.0
        assert comm.credit == round(expected_credit, 2)
        assert comm.net_due > 0
        assert {by_id[i].partner_id for i in comm.listed_ids} == {comm.partner_id}


@PROPERTIES
@given(ledgers())
def test_one_communication_per_customer_and_kind_at_its_most_advanced_level(ledger):
    _by_id, _credits, plans = _plan(ledger)
    keys = [(comm.partner_id, comm.kind) for comm in plans]
    assert len(keys) == len(set(keys))
    for comm in plans:
        assert comm.kind in (OVERDUE, PRE_DUE)
        assert comm.level == max(comm.advancing.values())
        assert comm.step == ORDERED[comm.level - 1]
        assert comm.step.is_pre_due == (comm.kind == PRE_DUE)
    advanced = [move_id for comm in plans for move_id in comm.advancing]
    assert len(advanced) == len(set(advanced)), "an invoice takes one step per run"


@PROPERTIES
@given(ledgers())
def test_levels_never_go_down_over_successive_runs(ledger):
    """Applying a run's levels and running again only moves invoices up."""
    invoices, credits = ledger
    first = plan_run(invoices, STEPS, credits, TODAY)
    levels = {move_id: level for comm in first for move_id, level in comm.advancing.items()}
    after = [
        OpenInvoice(
            inv.id, inv.partner_id, inv.due_date, inv.residual, levels.get(inv.id, inv.level), inv.chaseable
        )
        for inv in invoices
    ]
    by_id = {inv.id: inv for inv in after}
    for comm in plan_run(after, STEPS, credits, TODAY):
        for move_id, new_level in comm.advancing.items():
            assert new_level > by_id[move_id].level
