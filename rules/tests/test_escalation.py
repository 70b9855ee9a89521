from datetime import date, timedelta

from rules.escalation import (
    OVERDUE,
    PRE_DUE,
    OpenInvoice,
    Step,
    next_action_date,
    next_step,
    plan_run,
)

TODAY = date(2026, 3, 16)

# The default French scenario: D-5 satisfaction check ... D+45 collection case.
STEPS = [
    Step(6, 45, "case"),
    Step(1, -5, "satisfaction_check"),
    Step(2, 1, "email"),
    Step(3, 10, "phone"),
    Step(4, 20, "letter"),
    Step(5, 30, "registered_letter", min_amount=100.0),
]


def invoice(id_, days_late, residual=1000.0, level=0, partner=1, chaseable=True):
    return OpenInvoice(id_, partner, TODAY - timedelta(days=days_late), residual, level, chaseable)


def test_pre_due_step_is_due_five_days_before_the_due_date():
    assert next_step(invoice(1, -6), STEPS, TODAY) is None
    assert next_step(invoice(1, -5), STEPS, TODAY) == (1, STEPS[1])


def test_pre_due_step_missed_is_skipped_once_the_invoice_is_due():
    # Invoice posted late, already 3 days overdue: no satisfaction call, straight to the email.
    assert next_step(invoice(1, 3), STEPS, TODAY) == (2, STEPS[2])


def test_offsets_after_the_due_date():
    assert next_step(invoice(1, 0, level=1), STEPS, TODAY) is None
    assert next_step(invoice(1, 1, level=1), STEPS, TODAY) == (2, STEPS[2])
    assert next_step(invoice(1, 9, level=2), STEPS, TODAY) is None
    assert next_step(invoice(1, 10, level=2), STEPS, TODAY) == (3, STEPS[3])


def test_last_step_done_means_nothing_more():
    assert next_step(invoice(1, 400, level=6), STEPS, TODAY) is None
    assert next_action_date(TODAY, STEPS, 6) is None


def test_missed_runs_advance_one_step_per_run():
    # 40 days late and never reminded: the courteous email first, not the formal notice.
    late = invoice(1, 40, level=1)
    assert next_step(late, STEPS, TODAY) == (2, STEPS[2])
    # and its next action is tomorrow, not today: a second run today does nothing
    assert next_action_date(late.due_date, STEPS, 2, last_action=TODAY) == TODAY + timedelta(days=1)


def test_next_action_date_follows_the_scenario():
    due = date(2026, 3, 1)
    assert next_action_date(due, STEPS, 0) == date(2026, 2, 24)
    assert next_action_date(due, STEPS, 2, last_action=date(2026, 3, 2)) == date(2026, 3, 11)


def test_one_communication_per_customer_at_its_most_advanced_level():
    invoices = [
        invoice(1, 10, level=2, residual=300.0),  # takes the phone step (level 3)
        invoice(2, 1, level=1, residual=200.0),  # takes the email step (level 2)
        invoice(3, 5, level=2, residual=100.0),  # overdue, nothing due, but listed
        invoice(4, -20, residual=50.0),  # not due: neither listed nor advancing
        invoice(5, 15, level=1, partner=2, residual=80.0),
    ]
    plans = plan_run(invoices, STEPS, {}, TODAY)
    assert [(p.partner_id, p.kind, p.level, p.step.channel) for p in plans] == [
        (1, OVERDUE, 3, "phone"),
        (2, OVERDUE, 2, "email"),
    ]
    first = plans[0]
    assert first.advancing == {1: 3, 2: 2}
    assert first.listed_ids == [1, 3, 2]  # by due date
    assert first.total_due == 600.0


def test_grouped_total_is_net_of_unreconciled_credits():
    invoices = [invoice(1, 12, level=2, residual=700.0), invoice(2, 3, level=2, residual=300.0)]
    (plan,) = plan_run(invoices, STEPS, {1: 250.0}, TODAY)
    assert (plan.total_due, plan.credit, plan.net_due) == (1000.0, 250.0, 750.0)


def test_credits_covering_the_debt_send_nothing():
    invoices = [invoice(1, 12, level=2, residual=200.0)]
    assert plan_run(invoices, STEPS, {1: 200.0}, TODAY) == []


def test_amount_below_the_step_minimum_waits():
    # The formal notice (D+30) requires 100: a 60.00 debt waits at its level.
    small = [invoice(1, 35, level=4, residual=60.0)]
    assert plan_run(small, STEPS, {}, TODAY) == []
    bigger = [invoice(1, 35, level=4, residual=60.0), invoice(2, 2, level=2, residual=50.0)]
    (plan,) = plan_run(bigger, STEPS, {}, TODAY)
    assert (plan.step.channel, plan.net_due) == ("registered_letter", 110.0)


def test_pre_due_checks_form_their_own_communication():
    invoices = [invoice(1, -5, residual=400.0), invoice(2, 1, level=1, residual=100.0)]
    plans = plan_run(invoices, STEPS, {1: 500.0}, TODAY)
    # the credit covers the overdue invoice: no reminder; the satisfaction check still happens
    assert [(p.kind, p.listed_ids, p.net_due) for p in plans] == [(PRE_DUE, [1], 400.0)]


def test_unchaseable_invoices_are_neither_advanced_nor_listed():
    invoices = [invoice(1, 12, level=2, chaseable=False), invoice(2, 1, level=1, residual=90.0)]
    (plan,) = plan_run(invoices, STEPS, {}, TODAY)
    assert plan.advancing == {2: 2}
    assert plan.listed_ids == [2]
    assert plan.total_due == 90.0
