from datetime import date, timedelta

from rules.promise import (
    BROKEN,
    KEPT,
    RUNNING,
    amount_received,
    check_promise,
    is_broken,
    is_paused,
    pause_end,
    promise_state,
)

TODAY = date(2026, 3, 16)


def day(offset):
    return TODAY + timedelta(days=offset)


def test_a_promise_pauses_until_its_date_plus_the_grace_period():
    promised = day(5)
    assert pause_end(promised, 3) == day(8)
    assert is_paused(promised, 3, day(0))
    assert is_paused(promised, 3, day(8)), "the last day of grace still pauses"
    assert not is_paused(promised, 3, day(9))
    assert not is_paused(None, 3, day(0)), "no promise, no pause"


def test_no_grace_period_resumes_the_day_after_the_promised_date():
    assert is_paused(day(5), 0, day(5))
    assert not is_paused(day(5), 0, day(6))
    assert pause_end(day(5), -2) == day(5), "a negative grace counts as none"


def test_a_promise_is_broken_only_after_its_pause_and_only_while_running():
    assert not is_broken(day(5), 3, day(8))
    assert is_broken(day(5), 3, day(9))
    assert not is_broken(day(5), 3, day(30), state=KEPT)
    assert not is_broken(day(5), 3, day(30), state=BROKEN), "already recorded"


def test_several_invoices_under_one_promise_count_together():
    # 1000 + 800 owed when the customer promised 1500 for both
    baseline = 1800.0
    assert amount_received(baseline, [1000.0, 800.0]) == 0.0
    # the customer pays the first invoice in full and 500 on the second
    received = amount_received(baseline, [0.0, 300.0])
    assert received == 1500.0
    assert promise_state(1500.0, received, all_paid=False) == KEPT


def test_a_partial_payment_leaves_the_promise_running_then_broken():
    received = amount_received(1000.0, [700.0])
    assert received == 300.0
    assert promise_state(1000.0, received, all_paid=False) == RUNNING
    # its pause over, the run finds it broken; paid later, it stays broken
    assert is_broken(day(5), 3, day(9), promise_state(1000.0, received, all_paid=False))
    assert promise_state(1000.0, 1000.0, all_paid=True, broken=True) == BROKEN


def test_a_promise_of_part_of_the_debt_is_kept_when_that_part_is_paid():
    received = amount_received(1000.0, [400.0])
    assert promise_state(600.0, received, all_paid=False) == KEPT


def test_paid_invoices_keep_the_promise_whatever_the_amount():
    # e.g. a credit note settled the invoice for less than promised
    assert promise_state(1000.0, 0.0, all_paid=True) == KEPT


def test_rounding_does_not_break_a_promise():
    received = amount_received(1000.0, [666.67])
    assert promise_state(333.33, received, all_paid=False) == KEPT
    assert amount_received(100.0, [100.004]) == 0.0, "never negative"


def test_bad_promises_are_refused():
    assert check_promise(day(0), 100.0, TODAY, 500.0) == []
    assert check_promise(day(-1), 100.0, TODAY, 500.0) == [("date_past", day(-1))]
    assert check_promise(day(3), 0.0, TODAY, 500.0) == [("amount_not_positive", 0.0)]
    assert check_promise(day(3), 600.0, TODAY, 500.0) == [("amount_exceeds", 500.0)]
    assert check_promise(day(3), 100.0, TODAY, None) == [("no_invoice", None)]
    assert check_promise(day(365), 100.0, TODAY, 500.0) == []
    assert check_promise(day(366), 100.0, TODAY, 500.0) == [("date_too_far", day(365))]
    assert check_promise(date(9999, 12, 31), 100.0, TODAY, 500.0) == [("date_too_far", day(365))]
