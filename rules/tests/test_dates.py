from datetime import date

from rules.dates import add_months, days_late, days_past, week_index, week_start


def test_days_past_is_signed_and_days_late_never_negative():
    assert days_past(date(2026, 3, 31), date(2026, 4, 2)) == 2
    assert days_past(date(2026, 4, 10), date(2026, 4, 2)) == -8
    assert days_late(date(2026, 4, 10), date(2026, 4, 2)) == 0
    assert days_late(date(2026, 3, 31), date(2026, 5, 15)) == 45
    assert days_late(None, date(2026, 5, 15)) == 0


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 3, 15), -15) == date(2024, 12, 15)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_weeks_start_on_monday():
    assert week_start(date(2026, 4, 26)) == date(2026, 4, 20)  # a Sunday
    assert week_start(date(2026, 4, 20)) == date(2026, 4, 20)
    assert week_index(date(2026, 4, 27), date(2026, 4, 26)) == 1
    assert week_index(date(2026, 4, 20), date(2026, 4, 26)) == 0
