from datetime import date

from rules.payment_terms import exceeds_legal_term, latest_legal_due_date


def test_sixty_days_net_is_the_limit_when_it_is_the_most_generous():
    # 10 January: +60 days = 11 March; +45 days = 24 Feb -> end of month 28 Feb;
    # end of January + 45 days = 17 March. The latest is 17 March.
    assert latest_legal_due_date(date(2026, 1, 10)) == date(2026, 3, 17)


def test_end_of_month_readings():
    # 20 March: +60 = 19 May; +45 = 4 May -> 31 May; 31 March + 45 = 15 May.
    assert latest_legal_due_date(date(2026, 3, 20)) == date(2026, 5, 31)


def test_a_ninety_day_term_is_flagged_and_thirty_days_is_not():
    assert exceeds_legal_term(date(2026, 3, 20), date(2026, 6, 18))
    assert not exceeds_legal_term(date(2026, 3, 20), date(2026, 4, 19))
    assert not exceeds_legal_term(date(2026, 3, 20), date(2026, 5, 31))
    assert exceeds_legal_term(date(2026, 3, 20), date(2026, 6, 1))


def test_missing_dates_are_not_flagged():
    assert not exceeds_legal_term(None, date(2026, 6, 1))
    assert not exceeds_legal_term(date(2026, 3, 20), None)


def test_a_public_body_pays_within_thirty_days():
    # 20 March + 30 days = 19 April: a due date on 20 April is flagged, one 45 days end of month is too.
    assert latest_legal_due_date(date(2026, 3, 20), public=True) == date(2026, 4, 19)
    assert not exceeds_legal_term(date(2026, 3, 20), date(2026, 4, 19), public=True)
    assert exceeds_legal_term(date(2026, 3, 20), date(2026, 4, 20), public=True)
    assert exceeds_legal_term(date(2026, 3, 20), date(2026, 5, 31), public=True)
