from datetime import date, timedelta

from rules.portal import (
    EXPIRED,
    FILE_EMPTY,
    FILE_TOO_LARGE,
    FILE_TYPE_REFUSED,
    MISSING,
    TOO_FAR,
    TOO_MANY_FILES,
    TOO_SMALL,
    VALID,
    actions_left,
    attachment_problems,
    extended_expiry,
    promise_limit_problems,
    token_state,
)
from rules.promise import ACCEPTED, BROKEN, KEPT, PROPOSED, REFUSED, RUNNING, TO_ACCEPT, promise_state

TODAY = date(2026, 3, 16)
PDF = "application/pdf"


def day(offset):
    return TODAY + timedelta(days=offset)


def test_a_token_opens_the_page_up_to_its_expiry_day_included():
    assert token_state("secret", day(0), TODAY) == VALID
    assert token_state("secret", day(-1), TODAY) == EXPIRED
    assert token_state("secret", None, TODAY) == EXPIRED, "a token without expiry never opens"
    assert token_state("", day(10), TODAY) == MISSING
    assert token_state(None, None, TODAY) == MISSING


def test_each_communication_pushes_the_expiry_never_back():
    assert extended_expiry(None, TODAY, 60) == day(60)
    assert extended_expiry(day(10), TODAY, 60) == day(60)
    assert extended_expiry(day(90), TODAY, 60) == day(90), "a later expiry is kept"
    assert extended_expiry(None, TODAY, 0) == day(1), "a link works at least until tomorrow"


def test_a_promise_inside_the_limits_runs_at_once():
    assert promise_limit_problems(day(30), 500.0, TODAY, 1000.0, max_days=30, min_percent=50) == []
    assert promise_limit_problems(day(0), 1000.0, TODAY, 1000.0, max_days=0, min_percent=100) == []


def test_a_promise_too_far_or_too_small_waits_for_the_controller():
    assert promise_limit_problems(day(31), 500.0, TODAY, 1000.0, 30, 50) == [(TOO_FAR, day(30))]
    assert promise_limit_problems(day(10), 499.99, TODAY, 1000.0, 30, 50) == [(TOO_SMALL, 500.0)]
    assert promise_limit_problems(day(45), 100.0, TODAY, 1000.0, 30, 50) == [
        (TOO_FAR, day(30)),
        (TOO_SMALL, 500.0),
    ]
    # 33 % of 100.01 is 33.0033: the least amount is rounded to the cent
    assert promise_limit_problems(day(1), 33.0, TODAY, 100.01, 30, 33) == []


def test_a_customer_does_a_limited_number_of_things_a_day():
    assert actions_left(0, 5) == 5
    assert actions_left(4, 5) == 1
    assert actions_left(5, 5) == 0
    assert actions_left(7, 5) == 0


def test_attachments_are_limited_in_number_size_and_type():
    one_mb = 1024 * 1024
    ok = [("delivery.pdf", one_mb, PDF), ("photo.jpg", 2 * one_mb, "image/jpeg")]
    allowed = {PDF, "image/jpeg", "image/png"}
    assert attachment_problems(ok, 3, 5 * one_mb, allowed) == []
    assert attachment_problems(ok * 2, 3, 5 * one_mb, allowed) == [(TOO_MANY_FILES, 3)]
    assert attachment_problems([("big.pdf", 5 * one_mb + 1, PDF)], 3, 5 * one_mb, allowed) == [
        (FILE_TOO_LARGE, "big.pdf")
    ]
    assert attachment_problems([("invoice.pdf", 100, "application/x-msdownload")], 3, one_mb, allowed) == [
        (FILE_TYPE_REFUSED, "invoice.pdf")
    ]
    assert attachment_problems([("empty.pdf", 0, PDF)], 3, one_mb, allowed) == [(FILE_EMPTY, "empty.pdf")]


def test_a_proposed_promise_pauses_nothing_until_accepted():
    assert promise_state(500.0, 0.0, False, acceptance=TO_ACCEPT) == PROPOSED
    assert promise_state(500.0, 500.0, True, acceptance=TO_ACCEPT) == PROPOSED, "paid: still to decide"
    assert promise_state(500.0, 0.0, False, acceptance=REFUSED) == REFUSED
    assert promise_state(500.0, 0.0, False, acceptance=ACCEPTED) == RUNNING
    assert promise_state(500.0, 500.0, False, acceptance=ACCEPTED) == KEPT
    assert promise_state(500.0, 0.0, False, broken=True) == BROKEN
