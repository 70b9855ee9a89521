"""The dunning decision, on customers lived day after day (``rules.escalation``).

``live`` plays the daily run on one customer: each day it reviews the customer, applies the
communication decided (the invoices take the step, the customer's last dates move) and keeps
what went out. The assertions read like a controller's log: which step, which day.
"""

from dataclasses import replace
from datetime import date, timedelta

from rules.escalation import (
    EMAIL_BOUNCED,
    EMAIL_MISSING,
    EMAIL_OK,
    HOLD_DISPUTE,
    HOLD_PROMISE,
    PRE_DUE,
    SMS_BLACKLISTED,
    SMS_DISABLED,
    SMS_FAILED,
    SMS_NO_MOBILE,
    SMS_OK,
    WAIT_APPROVAL,
    WAIT_COVERED,
    WAIT_MINIMUM,
    WAIT_SENT_TODAY,
    Customer,
    Instalment,
    Invoice,
    Step,
    channel_for,
    ordered,
    rank_of,
    review,
)
from rules.tests.lives import apply

DUE = date(2026, 3, 31)

# The default French scenario, shuffled: the rules order it themselves.
CHECK = Step(1, -5, "satisfaction_check")
EMAIL = Step(2, 1, "email", has_template=True)
CALL = Step(3, 10, "phone", assignee="salesperson")
FIRM = Step(4, 20, "letter", letter_type="firm")
NOTICE = Step(5, 30, "registered_letter", letter_type="formal_notice", min_amount=100.0)
CASE = Step(6, 45, "case")
STEPS = ordered([CASE, CHECK, EMAIL, CALL, FIRM, NOTICE])
NAMES = {
    CHECK.id: "check",
    EMAIL.id: "email",
    CALL.id: "call",
    FIRM.id: "firm",
    NOTICE.id: "notice",
    CASE.id: "case",
}


def day(offset):
    return DUE + timedelta(days=offset)


def invoice(id_, due=DUE, amount=1000.0, **values):
    return Invoice(id_, (Instalment(id_ * 10, due, amount),), **values)


def customer(*invoices, **values):
    return Customer(7, tuple(invoices), controller_id=99, **values)


def live(cust, first, last, events=None, runs_per_day=1):
    """Run the dunning every day from ``first`` to ``last`` (offsets from DUE).

    ``events`` maps a day offset to a function changing the customer that morning (a payment,
    a dispute...). Returns the customer and ``[(day offset, step name, listed invoice ids)]``.
    """
    sent = []
    for offset in range(first, last + 1):
        if events and offset in events:
            cust = events[offset](cust)
        for _run in range(runs_per_day):
            decision = review(cust, STEPS, day(offset))
            if decision.communication:
                comm = decision.communication
                sent.append((offset, NAMES[comm.step.id], comm.listed_invoice_ids))
                cust = apply(cust, comm, day(offset))
    return cust, sent


def steps_sent(sent):
    return [(offset, name) for offset, name, _listed in sent]


def set_hold(invoice_id, hold, until=None):
    def change(cust):
        return replace(
            cust,
            invoices=tuple(
                replace(inv, hold=hold, hold_until=until) if inv.id == invoice_id else inv
                for inv in cust.invoices
            ),
        )

    return change


def pay(invoice_id):
    def change(cust):
        return replace(
            cust,
            invoices=tuple(
                replace(inv, instalments=tuple(replace(i, residual=0.0) for i in inv.instalments))
                if inv.id == invoice_id
                else inv
                for inv in cust.invoices
            ),
        )

    return change


def test_one_invoice_walks_the_default_scenario():
    _cust, sent = live(customer(invoice(1)), -10, 60)
    assert steps_sent(sent) == [
        (-5, "check"),
        (1, "email"),
        (10, "call"),
        (20, "firm"),
        (30, "notice"),
        (45, "case"),
    ]


def test_a_second_run_the_same_day_sends_nothing():
    _cust, sent = live(customer(invoice(1)), -10, 60, runs_per_day=3)
    assert len(sent) == 6
    assert len({offset for offset, _name in steps_sent(sent)}) == 6


def test_a_backlog_at_install_climbs_at_the_scenario_rhythm_not_a_step_a_night():
    # First run 60 days after the due date, nothing sent before.
    _cust, sent = live(customer(invoice(1)), 60, 120)
    assert steps_sent(sent) == [(60, "email"), (69, "call"), (79, "firm"), (89, "notice"), (104, "case")]


def test_a_dispute_resolved_after_thirty_days_resumes_at_the_next_step_and_keeps_the_gaps():
    events = {3: set_hold(1, HOLD_DISPUTE), 33: set_hold(1, None)}
    _cust, sent = live(customer(invoice(1)), 0, 100, events)
    assert steps_sent(sent) == [(1, "email"), (33, "call"), (43, "firm"), (53, "notice"), (68, "case")]


def test_a_broken_promise_resumes_with_one_step_and_the_gaps_of_the_scenario():
    # promise made on D+12, after the call, for D+30; the pause ends three days later
    events = {12: set_hold(1, HOLD_PROMISE, until=day(33))}
    _cust, sent = live(customer(invoice(1)), 0, 100, events)
    assert steps_sent(sent) == [(1, "email"), (10, "call"), (34, "firm"), (44, "notice"), (59, "case")]


def test_a_stopped_run_resumes_where_it_was():
    cust, sent = live(customer(invoice(1)), 0, 1)
    cust, later = live(cust, 25, 70)  # nobody ran it from D+2 to D+24
    assert steps_sent(sent + later) == [
        (1, "email"),
        (25, "call"),
        (35, "firm"),
        (45, "notice"),
        (60, "case"),
    ]


def test_a_new_invoice_joins_the_customer_at_its_level_and_is_listed_with_the_old_one():
    old = invoice(1)
    new = invoice(2, due=day(18), amount=500.0)
    _cust, sent = live(customer(old, new), 0, 60)
    assert steps_sent(sent) == [(1, "email"), (10, "call"), (20, "firm"), (30, "notice"), (45, "case")]
    # no "oversight" email for the new invoice after the firm letter: it joins the notice
    assert sent[2][2] == [1, 2], "due on D+18, the new invoice is in the firm letter of D+20"
    assert sent[3][2] == [1, 2]


def test_a_customer_gets_one_communication_a_day_and_no_satisfaction_call_while_chased():
    late = invoice(1)
    coming = invoice(2, due=day(25))  # its check day, D+20, is the firm letter's day
    _cust, sent = live(customer(late, coming), -10, 40)
    assert steps_sent(sent) == [(-5, "check"), (1, "email"), (10, "call"), (20, "firm"), (30, "notice")]
    assert sent[3][2] == [1], "the coming invoice is not due: not in the firm letter"
    assert sent[4][2] == [1, 2], "due on D+25, it is in the formal notice"


def test_after_the_cycle_ends_a_new_invoice_starts_again_from_the_first_reminder():
    events = {25: pay(1)}
    cust = customer(invoice(1), invoice(2, due=day(40)))
    _cust, sent = live(cust, 0, 60, events)
    assert steps_sent(sent) == [
        (1, "email"),
        (10, "call"),
        (20, "firm"),
        (35, "check"),
        (41, "email"),
        (50, "call"),
        (60, "firm"),
    ]


def test_reordered_steps_never_make_an_invoice_take_a_step_twice():
    cust, sent = live(customer(invoice(1)), 0, 12)
    assert steps_sent(sent) == [(1, "email"), (10, "call")]
    # the courteous email moves to D+12, after the call
    moved = replace(EMAIL, offset_days=12)
    steps = ordered([CASE, CHECK, moved, CALL, FIRM, NOTICE])
    cust = replace(
        cust, invoices=tuple(replace(inv, rank=rank_of(steps, CALL.offset_days)) for inv in cust.invoices)
    )
    decision = review(cust, steps, day(13))
    assert (
        decision.communication is None
    ), "the email was had: next is the firm letter, 10 days after the call"
    assert decision.next_dates == {1: day(20)}
    decision = review(cust, steps, day(20))
    assert decision.communication.step == FIRM
    assert decision.communication.advancing == {1: 4}, "4th step of the new order"


def test_invoices_in_instalments_are_late_from_their_first_instalment():
    instalments = (Instalment(11, day(0), 300.0), Instalment(12, day(30), 700.0))
    cust = customer(Invoice(1, instalments))
    decision = review(cust, STEPS, day(45 - 30 + 1))  # D+16: the first instalment is 16 days late
    comm = decision.communication
    assert (comm.step, comm.listed, comm.total_due) == (EMAIL, [(1, 11)], 300.0)


def test_credits_are_netted_and_a_covered_customer_waits():
    cust = customer(invoice(1, amount=400.0), credit=150.0)
    comm = review(cust, STEPS, day(1)).communication
    assert (comm.total_due, comm.credit, comm.net_due) == (400.0, 150.0, 250.0)
    covered = review(replace(cust, credit=400.0), STEPS, day(1))
    assert (covered.communication, covered.waiting, covered.next_dates) == (None, WAIT_COVERED, {1: day(2)})


def test_below_the_minimum_the_step_waits_and_is_looked_at_the_next_day():
    cust = customer(invoice(1, amount=80.0), last_date=day(20), last_overdue_date=day(20))
    cust = replace(cust, invoices=(replace(cust.invoices[0], rank=4, taken=frozenset({2, 3, 4})),))
    decision = review(cust, STEPS, day(30))
    assert (decision.communication, decision.waiting, decision.next_dates) == (
        None,
        WAIT_MINIMUM,
        {1: day(31)},
    )


def test_a_pending_approval_freezes_the_customer():
    decision = review(customer(invoice(1), pending_approval=True), STEPS, day(30))
    assert (decision.communication, decision.waiting, decision.next_dates) == (None, WAIT_APPROVAL, {1: None})


def test_communicated_today_waits_for_tomorrow():
    decision = review(customer(invoice(1), last_date=day(1)), STEPS, day(1))
    assert (decision.waiting, decision.next_dates) == (WAIT_SENT_TODAY, {1: day(2)})


def test_without_acting_the_next_date_is_the_first_day_something_is_due_even_past():
    cust = customer(invoice(1), invoice(2, due=day(60)))
    decision = review(cust, STEPS, day(3), acting=False)
    assert decision.communication is not None
    assert decision.next_dates == {1: day(-5), 2: day(-5)}, "the check of the first invoice, for the run"
    sent = review(replace(cust, last_date=day(3), last_overdue_date=day(3)), STEPS, day(3), acting=False)
    assert sent.next_dates == {1: day(4), 2: day(4)}, "communicated today: from tomorrow"


def test_next_dates_after_a_run_point_at_the_next_step():
    decision = review(customer(invoice(1)), STEPS, day(1))
    assert decision.next_dates == {1: day(10)}
    promised = customer(invoice(1, hold=HOLD_PROMISE, hold_until=day(20)), invoice(2, due=day(5)))
    decision = review(promised, STEPS, day(6))
    assert decision.communication.listed_invoice_ids == [2]
    assert decision.next_dates == {1: day(21), 2: day(15)}
    disputed = review(customer(invoice(1, hold=HOLD_DISPUTE)), STEPS, day(1))
    assert disputed.next_dates == {1: None}


def test_an_email_becomes_a_letter_when_the_address_does_not_work():
    assert channel_for(EMAIL, EMAIL_OK) == ("email", None, None, None)
    assert channel_for(EMAIL, EMAIL_MISSING) == ("letter", "courteous", EMAIL_MISSING, None)
    assert channel_for(FIRM, EMAIL_MISSING) == ("letter", "firm", None, None)
    comm = review(customer(invoice(1), email=EMAIL_BOUNCED), STEPS, day(1)).communication
    assert (comm.channel, comm.letter_type, comm.fallback, comm.state) == (
        "letter",
        "courteous",
        EMAIL_BOUNCED,
        "to_print",
    )


SMS = Step(8, 5, "sms")
SMS_STEPS = ordered([EMAIL, SMS, CALL])


def test_an_sms_goes_to_a_valid_mobile_else_by_email_else_by_letter():
    assert channel_for(SMS, EMAIL_OK, SMS_OK) == ("sms", None, None, None)
    for issue in (SMS_NO_MOBILE, SMS_BLACKLISTED, SMS_FAILED, SMS_DISABLED):
        assert channel_for(SMS, EMAIL_OK, issue) == ("email", None, None, issue)
        assert channel_for(SMS, EMAIL_BOUNCED, issue) == ("letter", "courteous", EMAIL_BOUNCED, issue)
    # the mobile number says nothing of the other channels
    assert channel_for(EMAIL, EMAIL_OK, SMS_NO_MOBILE) == ("email", None, None, None)


def test_the_run_and_its_preview_send_the_sms_step_by_the_channel_that_reaches_the_customer():
    after_email = {"last_date": day(1), "last_overdue_date": day(1)}
    emailed = invoice(1, rank=1, taken=frozenset({EMAIL.id}))
    by_sms = review(customer(emailed, **after_email), SMS_STEPS, day(5)).communication
    assert (by_sms.step, by_sms.channel, by_sms.fallback, by_sms.sms_fallback) == (SMS, "sms", None, None)
    landline = customer(emailed, sms=SMS_NO_MOBILE, **after_email)
    by_email = review(landline, SMS_STEPS, day(5)).communication
    assert (by_email.step, by_email.channel, by_email.sms_fallback) == (SMS, "email", SMS_NO_MOBILE)
    assert by_email.state == "done"
    nothing_works = customer(emailed, sms=SMS_NO_MOBILE, email=EMAIL_MISSING, **after_email)
    by_letter = review(nothing_works, SMS_STEPS, day(5)).communication
    assert (by_letter.channel, by_letter.letter_type, by_letter.state) == ("letter", "courteous", "to_print")
    assert (by_letter.fallback, by_letter.sms_fallback) == (EMAIL_MISSING, SMS_NO_MOBILE)
    # the invoices take the SMS step whatever the channel: the call comes next, at its gap
    assert by_letter.advancing == {1: 2}


def test_tasks_go_to_the_salesperson_of_the_oldest_invoice_when_the_step_says_so():
    cust = customer(
        invoice(1, due=day(2), salesperson_id=41),
        invoice(2, due=day(0), salesperson_id=42),
        last_date=day(1),
        last_overdue_date=day(1),
    )
    cust = replace(cust, invoices=tuple(replace(inv, rank=2, taken=frozenset({2})) for inv in cust.invoices))
    comm = review(cust, STEPS, day(10)).communication
    assert (comm.step, comm.assignee_id) == (CALL, 42)
    assert review(customer(invoice(1)), STEPS, day(1)).communication.assignee_id == 99


def test_a_step_needing_approval_waits_for_it():
    steps = ordered([CHECK, replace(EMAIL, needs_approval=True)])
    comm = review(customer(invoice(1)), steps, day(1)).communication
    assert comm.state == "to_approve"


def test_pre_due_checks_list_only_the_invoices_whose_day_came():
    cust = customer(invoice(1, due=day(0)), invoice(2, due=day(3)))
    comm = review(cust, STEPS, day(-5)).communication
    assert (comm.origin, comm.listed_invoice_ids, comm.credit) == (PRE_DUE, [1], 0.0)
    assert review(cust, STEPS, day(-5)).next_dates == {1: day(-2), 2: day(-2)}, "the second check"
