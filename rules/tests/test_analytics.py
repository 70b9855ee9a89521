from datetime import date

import pytest

from rules.analytics import (
    BUCKETS,
    age_bucket,
    countback_periods,
    dso_countback,
    half_year_start,
    net_open_amounts,
    on_time_ratio,
    open_amount_at,
    payer_class,
    weighted_days_late,
    window_start,
)
from rules.dates import days_late

AT = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("due", "bucket"),
    [
        (date(2026, 4, 15), "0_not_due"),
        (date(2026, 3, 31), "0_not_due"),  # due today: not late yet
        (date(2026, 3, 30), "1_30"),
        (date(2026, 3, 1), "1_30"),  # 30 days
        (date(2026, 2, 28), "31_60"),  # 31 days
        (date(2026, 1, 30), "31_60"),  # 60 days
        (date(2026, 1, 29), "61_90"),  # 61 days
        (date(2025, 12, 31), "61_90"),  # 90 days
        (date(2025, 12, 30), "91_over"),  # 91 days
    ],
)
def test_age_bucket_edges(due, bucket):
    assert age_bucket(due, AT) == bucket


def test_bucket_keys_sort_in_display_order():
    keys = [key for key, _label, _last in BUCKETS]
    assert keys == sorted(keys)


def test_open_amount_at_ignores_later_payments():
    # Invoice of 1000 paid 300 on 10 March and 700 on 20 April.
    partials = [(date(2026, 3, 10), "debit", 300.0), (date(2026, 4, 20), "debit", 700.0)]
    assert open_amount_at(1000.0, partials, date(2026, 3, 5)) == 1000.0
    assert open_amount_at(1000.0, partials, AT) == 700.0
    assert open_amount_at(1000.0, partials, date(2026, 4, 20)) == 0.0
    # A payment of 500 applied for 200 on 10 March: 300 left unapplied, a credit.
    assert open_amount_at(-500.0, [(date(2026, 3, 10), "credit", 200.0)], AT) == -300.0


def test_days_late_is_floored_at_zero():
    assert days_late(date(2026, 3, 31), date(2026, 3, 20)) == 0
    assert days_late(date(2026, 3, 31), date(2026, 3, 31)) == 0
    assert days_late(date(2026, 3, 31), date(2026, 4, 25)) == 25


def test_weighted_average_and_class():
    # 1000 paid 10 days late, 3000 paid 50 days late: (10000 + 150000) / 4000 = 40 -> B.
    items = [(1000.0, 10), (3000.0, 50)]
    assert weighted_days_late(items) == 40.0
    assert payer_class(40.0) == "B"
    assert on_time_ratio(items) == 0.0
    assert on_time_ratio([(1000.0, 0), (500.0, 0), (200.0, 12), (300.0, 3)]) == 0.5
    assert weighted_days_late([]) is None
    assert on_time_ratio([]) is None


@pytest.mark.parametrize(
    ("average", "klass"),
    [(None, None), (0.0, "A"), (30.0, "A"), (30.01, "B"), (60.0, "B"), (90.0, "C"), (90.5, "D")],
)
def test_payer_class_limits(average, klass):
    assert payer_class(average) == klass


def test_rolling_window():
    assert window_start(date(2026, 3, 31), 6) == date(2025, 10, 1)


def test_countback_periods_are_calendar_months_cut_at_the_start():
    assert countback_periods(date(2026, 1, 1), date(2026, 3, 31)) == [
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 1, 31)),
    ]
    assert countback_periods(date(2026, 3, 20), date(2026, 3, 31)) == [(date(2026, 3, 20), date(2026, 3, 31))]


def test_dso_countback():
    # Receivable 15000; sales: March 10000 (31 days), February 10000 (28 days).
    # March is covered whole (31 days, 5000 left), then 5000/10000 of February: 14 days.
    assert dso_countback(15000.0, [(31, 10000.0), (28, 10000.0)]) == 45.0
    # Receivable below the last month's sales: 3100 / 10000 of 31 days.
    assert dso_countback(3100.0, [(31, 10000.0)]) == pytest.approx(9.61)
    # No sales in the last month: the whole month counts, the receivable is untouched.
    assert dso_countback(5000.0, [(31, 0.0), (28, 10000.0)]) == 31 + 14
    # Periods run out: the DSO is their whole length.
    assert dso_countback(50000.0, [(31, 10000.0), (28, 10000.0)]) == 59.0
    assert dso_countback(0.0, [(31, 10000.0)]) == 0.0


def test_credits_cover_the_oldest_debts_first():
    items = [
        (1, "martin", date(2026, 3, 1), 1000.0),
        (2, "martin", date(2026, 1, 31), 400.0),
        (3, "martin", date(2026, 3, 10), -952.0),  # credit note
        (4, "durand", date(2026, 2, 1), 300.0),
        (5, "durand", date(2026, 2, 5), -500.0),  # a payment not matched yet
        (6, "durand", date(2026, 1, 5), -100.0),
    ]
    # Martin: the credit of 952 takes the 400 due in January, then 552 of the 1000: 448 left.
    # Durand owes 300 and has 600 of credits, the oldest used first: 100, then 200 of 500.
    assert net_open_amounts(items) == {1: 448.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: -300.0, 6: 0.0}
    assert net_open_amounts([(1, None, date(2026, 1, 1), 50.0)]) == {1: 50.0}


def test_half_year_start():
    assert half_year_start(date(2026, 6, 30)) == date(2026, 1, 1)
    assert half_year_start(date(2026, 7, 1)) == date(2026, 7, 1)
    assert half_year_start(date(2026, 12, 31)) == date(2026, 7, 1)
