"""Properties of ``rules.escalation.review`` over random customers lived day by day (hypothesis).

Each example is one customer of the default French scenario (shuffled) with a few invoices,
some in two instalments, due from 40 days before to 20 days after the first day, random
credits, and random events on random days: a dispute opened or closed, a promise, a payment.
The customer is reviewed every day for 90 days, twice on some days, and what goes out is
applied as the run applies it.
"""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.escalation import (
    HOLD_DISPUTE,
    HOLD_PROMISE,
    OVERDUE,
    Customer,
    Instalment,
    Invoice,
    Step,
    ordered,
    review,
)
from rules.tests.lives import apply

START = date(2026, 3, 1)
DAYS = 90

STEPS = ordered(
    [
        Step(6, 45, "case"),
        Step(1, -5, "satisfaction_check"),
        Step(2, 1, "email"),
        Step(3, 10, "phone"),
        Step(4, 20, "letter", letter_type="firm"),
        Step(5, 30, "registered_letter", letter_type="formal_notice", min_amount=50.0),
    ]
)
OFFSET = {step.id: step.offset_days for step in STEPS}

# No example database: the run leaves no .hypothesis/ directory in the module.
PROPERTIES = settings(max_examples=150, deadline=None, database=None)

amounts = st.decimals(min_value=10, max_value=3000, places=2).map(float)
invoice_specs = st.tuples(st.integers(min_value=-40, max_value=20), amounts, st.booleans())
event_specs = st.tuples(
    st.integers(min_value=0, max_value=DAYS - 1),  # day
    st.sampled_from(["dispute", "resolve", "promise", "pay"]),
    st.integers(min_value=0, max_value=3),  # which invoice
)


@st.composite
def lives(draw):
    specs = draw(st.lists(invoice_specs, min_size=1, max_size=4))
    invoices = []
    for index, (due_offset, amount, split) in enumerate(specs):
        due = START + timedelta(days=due_offset)
        if split:
            parts = (
                Instalment(index * 10 + 1, due, round(amount * 0.3, 2)),
                Instalment(index * 10 + 2, due + timedelta(days=30), round(amount * 0.7, 2)),
            )
        else:
            parts = (Instalment(index * 10 + 1, due, amount),)
        invoices.append(Invoice(index + 1, parts))
    credit = draw(st.sampled_from([0.0, 0.0, 100.0, 5000.0]))
    events = draw(st.lists(event_specs, max_size=6))
    twice = draw(st.sets(st.integers(min_value=0, max_value=DAYS - 1), max_size=10))
    return Customer(1, tuple(invoices), credit=credit, controller_id=5), events, twice


def change(cust, kind, which, today):
    if which >= len(cust.invoices):
        return cust
    target = cust.invoices[which]
    if kind == "dispute":
        target = replace(target, hold=HOLD_DISPUTE, hold_until=None)
    elif kind == "resolve" and target.hold == HOLD_DISPUTE:
        target = replace(target, hold=None)
    elif kind == "promise" and target.hold is None:
        target = replace(target, hold=HOLD_PROMISE, hold_until=today + timedelta(days=10))
    elif kind == "pay":
        target = replace(target, instalments=tuple(replace(i, residual=0.0) for i in target.instalments))
    invoices = list(cust.invoices)
    invoices[which] = target
    return replace(cust, invoices=tuple(invoices))


def play(life):
    """Live the customer: ``[(day, communication, customer before it)]``."""
    return [
        (today, decision.communication, cust)
        for today, decision, cust in reviews(life)
        if decision.communication
    ]


def reviews(life):
    """Every review of the customer's life: ``[(day, review, customer before it)]``."""
    cust, events, twice = life
    seen = []
    for offset in range(DAYS):
        today = START + timedelta(days=offset)
        for event_day, kind, which in events:
            if event_day == offset:
                cust = change(cust, kind, which, today)
        for _run in range(2 if offset in twice else 1):
            decision = review(cust, STEPS, today)
            seen.append((today, decision, cust))
            if decision.communication:
                cust = apply(cust, decision.communication, today)
    return seen


@PROPERTIES
@given(lives())
def test_at_most_one_communication_a_day(life):
    days = [today for today, _comm, _cust in play(life)]
    assert len(days) == len(set(days))


@PROPERTIES
@given(lives())
def test_nothing_is_due_before_the_next_date_the_run_wrote(life):
    """The run selects customers by their invoices' next dates: none may come too late.

    After any review, if nothing changes (no payment, no dispute, no new invoice: those
    reschedule), no day before the earliest next date has a communication to send.
    """
    for today, decision, cust in reviews(life):
        after = apply(cust, decision.communication, today) if decision.communication else cust
        next_dates = decision.next_dates
        planned = [d for d in next_dates.values() if d is not None]
        assert all(d > today for d in planned), "never again the same day"
        horizon = min(planned, default=today + timedelta(days=60))
        day = today + timedelta(days=1)
        while day < horizon:
            assert review(after, STEPS, day).communication is None, f"missed on {day}"
            day += timedelta(days=1)


@PROPERTIES
@given(lives())
def test_listed_instalments_are_owed_chaseable_and_add_up(life):
    for today, comm, cust in play(life):
        by_id = {inv.id: inv for inv in cust.invoices}
        instalments = {i.id: i for inv in cust.invoices for i in inv.instalments}
        for invoice_id, instalment_id in comm.listed:
            invoice, instalment = by_id[invoice_id], instalments[instalment_id]
            assert not invoice.held_on(today)
            assert instalment.residual > 0
            if comm.origin == OVERDUE:
                assert instalment.due_date <= today
            else:
                assert instalment.due_date > today, "a satisfaction check is before the due date"
        assert comm.total_due == round(sum(instalments[i].residual for _inv, i in comm.listed), 2)
        assert comm.net_due >= comm.step.min_amount and comm.net_due > 0


@PROPERTIES
@given(lives())
def test_no_invoice_takes_a_step_twice_and_the_step_is_the_one_sent(life):
    for _today, comm, cust in play(life):
        by_id = {inv.id: inv for inv in cust.invoices}
        for invoice_id, level in comm.advancing.items():
            assert comm.step.id not in by_id[invoice_id].taken
            assert level == comm.level and STEPS[level - 1] == comm.step
            assert invoice_id in comm.listed_invoice_ids


@PROPERTIES
@given(lives())
def test_reminders_never_lose_firmness_and_keep_the_scenario_gaps_within_a_cycle(life):
    previous = None
    for today, comm, cust in play(life):
        if comm.origin != OVERDUE:
            continue
        if previous is not None:
            before_day, before = previous
            named_still_open = any(
                inv.residual > 0 and inv.hold != HOLD_DISPUTE and inv.rank >= before.level
                for inv in cust.invoices
            )
            if named_still_open:
                assert comm.level >= before.level, "never less firm while a chased invoice is unpaid"
                if comm.level > before.level:
                    gap = OFFSET[comm.step.id] - OFFSET[before.step.id]
                    assert (today - before_day).days >= gap, "the scenario's gap since the last reminder"
        previous = (today, comm)
