import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.forecast import (
    COVERED,
    CREDIT,
    DELAY,
    DISPUTED,
    EXCLUDED,
    HANDED_OFF,
    MIN_SPREAD,
    OVERDUE,
    PLAN,
    PROMISE,
    Behaviour,
    Model,
    OpenLine,
    PastLine,
    Plan,
    Promise,
    behaviours,
    collection_curve,
    delay_law,
    forecast_error,
    kept_rate,
    lateness_bucket,
    learn,
    paid_by_delay,
    round_weeks,
    week_index,
    week_start,
)

TODAY = date(2026, 4, 20)  # a Monday
WEEKS = 13


def days(n):
    return TODAY + timedelta(days=n)


def test_weeks_start_on_monday():
    assert week_start(date(2026, 4, 22)) == TODAY
    assert week_start(date(2026, 4, 26)) == TODAY  # Sunday
    assert week_index(date(2026, 4, 26), TODAY) == 0
    assert week_index(date(2026, 4, 27), date(2026, 4, 24)) == 1
    assert week_index(date(2026, 4, 1), TODAY) == -3


@pytest.mark.parametrize(
    ("days_overdue", "bucket"),
    [(-5, 0), (0, 0), (6, 0), (7, 1), (27, 3), (28, 4), (90, 6), (91, 7), (400, 8)],
)
def test_lateness_buckets(days_overdue, bucket):
    assert lateness_bucket(days_overdue) == bucket


def test_kept_rate_starts_at_four_in_five():
    assert kept_rate(0, 0) == 0.8
    # 6 kept, 4 broken: (6 + 4) / (10 + 5)
    assert kept_rate(6, 4) == pytest.approx(10 / 15)


# ---------------------------------------------------------------------- behaviour


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_a_delay_seen_once_is_a_normal_law_around_it():
    # paid on day 10, give or take a day: before day 10 means by day 9, Φ((9.5 - 10) / 1)
    law = delay_law({10: 1000.0}, MIN_SPREAD)
    for day in (7, 9, 10, 11, 14):
        assert law.before(day) == pytest.approx(normal_cdf(day - 10.5), abs=1e-7)
    assert law.before(-100) == 0.0
    assert law.before(100) == pytest.approx(1.0)


def test_a_customer_who_pays_anywhere_is_not_a_bell():
    # Thirteen invoices of 1000 due a week apart, paid 0, 10, ... 120 days late. A bell of the
    # same mean and spread (60 and 37.4 days) would put 17 % of it before day 25; the law
    # learnt keeps the customer's shape: 3 of 13 (days 0, 10 and 20).
    history = [
        PastLine(n, 7, days(-330 + 7 * n), days(-300 + 7 * n), 1000.0, ((days(-300 + 17 * n), 1000.0),))
        for n in range(13)
    ]
    _company, partners = behaviours(history, TODAY, days(-364))
    assert partners[7].delay == pytest.approx(60.0)
    assert partners[7].law.before(25) == pytest.approx(3 / 13, abs=0.01)
    assert normal_cdf((24.5 - 60) / 37.4) == pytest.approx(0.17, abs=0.005)


def test_the_law_of_delay_weighs_amounts():
    # Paid 10 days late (1000), 20 days (1000), 30 days (2000)
    history = [
        PastLine(1, 7, days(-100), days(-80), 1000.0, ((days(-70), 1000.0),)),
        PastLine(2, 7, days(-90), days(-70), 1000.0, ((days(-50), 1000.0),)),
        PastLine(3, 7, days(-80), days(-60), 2000.0, ((days(-30), 2000.0),)),
    ]
    assert paid_by_delay(history, TODAY, days(-180)) == (
        {10: pytest.approx(0.25), 20: pytest.approx(0.25), 30: pytest.approx(0.5)},
        pytest.approx(0.0),
    )
    _company, partners = behaviours(history, TODAY, days(-180))
    assert partners[7].own
    # (10000 + 20000 + 60000) / 4000
    assert partners[7].delay == pytest.approx(22.5)
    assert partners[7].paid_share == pytest.approx(1.0)


def test_a_line_still_open_makes_the_law_longer():
    # Paid 10 days late (1000) and 20 days late (1000); a third line of 2000 is still open 25
    # days past due. On day 10, 1000 of the 4000 then open that late was paid: 1/4; on day 20,
    # 1000 of 3000: 3/4 x 1/3; the 2000 left, watched until yesterday (day 24), is not paid.
    history = [
        PastLine(1, 7, days(-100), days(-80), 1000.0, ((days(-70), 1000.0),)),
        PastLine(2, 7, days(-90), days(-70), 1000.0, ((days(-50), 1000.0),)),
        PastLine(3, 7, days(-55), days(-25), 2000.0),
    ]
    law, unpaid = paid_by_delay(history, TODAY, days(-180))
    assert law == {10: pytest.approx(0.25), 20: pytest.approx(0.25)}
    assert unpaid == pytest.approx(0.5)
    # the payments alone would say 1 in 2 paid by day 10; a payment today is not seen yet
    history[2] = PastLine(3, 7, days(-55), days(-25), 2000.0, ((TODAY, 2000.0),))
    assert paid_by_delay(history, TODAY, days(-180))[0] == law


def test_the_window_watches_a_line_from_its_first_day():
    # Due 100 days ago, paid 40 days ago (60 days late); the window opens 50 days ago: the line
    # is watched from 50 days past due, as are the others then open that late.
    history = [
        PastLine(1, 7, days(-130), days(-100), 1000.0, ((days(-40), 1000.0),)),
        PastLine(2, 7, days(-20), days(10), 1000.0),  # not due yet: watched before its due date
    ]
    assert paid_by_delay(history, TODAY, days(-50)) == ({60: pytest.approx(1.0)}, pytest.approx(0.0))
    assert paid_by_delay(history, TODAY, days(-30)) == ({}, 1.0)


def test_few_payments_take_the_company_delay():
    history = [
        PastLine(1, 7, days(-100), days(-80), 1000.0, ((days(-70), 1000.0),)),
        PastLine(2, 7, days(-90), days(-70), 1000.0, ((days(-60), 1000.0),)),
        PastLine(3, 8, days(-90), days(-70), 3000.0, ((days(-30), 3000.0),)),
    ]
    company, partners = behaviours(history, TODAY, days(-180))
    # company: (1000 x 10 + 1000 x 10 + 3000 x 40) / 5000 = 28 days
    assert company.delay == pytest.approx(28.0)
    assert not partners[7].own
    assert partners[7].delay == partners[8].delay == company.delay
    # payments before the window do not count
    company, _partners = behaviours(history, TODAY, days(-40))
    assert company.delay == pytest.approx(40.0)


def test_collected_share_tells_a_late_payer_from_one_who_does_not_pay():
    # Customer 1 always pays exactly 10 days late, and has one invoice 30 days overdue unpaid:
    # 10 days past due, its four invoices were open, 3000 of the 4000 was paid then and none
    # after: 0.75. Customer 2 never paid: it takes the company's delay, two invoices of 1000
    # due 60 and 40 days ago, nothing came in.
    history = [
        PastLine(1, 1, days(-150), days(-120), 1000.0, ((days(-110), 1000.0),)),
        PastLine(2, 1, days(-130), days(-100), 1000.0, ((days(-90), 1000.0),)),
        PastLine(3, 1, days(-110), days(-80), 1000.0, ((days(-70), 1000.0),)),
        PastLine(4, 1, days(-60), days(-30), 1000.0),
        PastLine(5, 2, days(-90), days(-60), 1000.0),
        PastLine(6, 2, days(-70), days(-40), 1000.0),
    ]
    company, partners = behaviours(history, TODAY, days(-180))
    assert partners[1].delay == 10.0
    # paid on day 10 give or take a day, the narrowest spread
    assert partners[1].law.before(10) == pytest.approx(normal_cdf(-0.5))
    assert partners[1].paid_share == pytest.approx(0.75)
    assert partners[2].delay == company.delay == 10.0
    # company: 10 days past due, 3000 of the 6000 then open was paid
    assert company.paid_share == pytest.approx(0.5)
    # customer 2 by the company's law: both its invoices should be in by now (probability 1),
    # nothing came in, and the company's share weighs as half a line: (2 x 0 + 0.5 x 0.5) / 2.5
    assert partners[2].paid_share == pytest.approx(0.1)


def test_credit_notes_are_no_collection():
    # 1000 invoiced, 400 credited, 600 paid: the share is 600 of 600, the delay the payment's.
    history = [
        PastLine(
            key,
            1,
            days(-150 + key),
            days(-120 + key),
            1000.0,
            ((days(-110 + key), 600.0),),
            ((days(-115), 400.0),),
        )
        for key in range(3)
    ]
    _company, partners = behaviours(history, TODAY, days(-180))
    assert partners[1].delay == 10.0
    assert partners[1].paid_share == pytest.approx(1.0)


# ---------------------------------------------------------------------- collection curve


def on_time(_partner):
    return Behaviour(delay=0.0, paid_share=1.0)


def test_collection_curve_by_lateness_and_week():
    # Ten invoices of 100 due Monday 9 February (70 days before today), expected that day; five
    # paid on Wednesday 15 April, five never. Past their expected date on the reference days
    # today - 1 to 9 weeks (63, 56, 49, ... 7 days overdue).
    due = days(-70)
    history = [
        PastLine(key, key, due - timedelta(days=30), due, 100.0, ((days(-5), 100.0),) if key < 5 else ())
        for key in range(10)
    ]
    curve = collection_curve(history, on_time, TODAY, days(-182))
    bucket_56 = lateness_bucket(56)
    # 56-90 days overdue on the references 1 week ago (63 days) and 2 weeks ago (56 days):
    # 2 x 1000 open seen in the week of the reference, 500 paid in it (1 week ago);
    # 1000 open seen a week later (2 weeks ago), 500 paid then.
    assert curve[bucket_56][0] == pytest.approx(500 / 2000)
    assert curve[bucket_56][1] == pytest.approx(500 / 1000)
    # nothing 56+ days overdue was seen 3 weeks later: all buckets together, 7 references of
    # 1000 (3 to 9 weeks ago), of which the one 3 weeks ago saw 500 paid in its third week
    assert curve[bucket_56][2] == pytest.approx(500 / 7000)
    # 7-13 days overdue 9 weeks ago: 1000 open, paid in its 9th week (index 8)
    bucket_7 = lateness_bucket(7)
    assert curve[bucket_7][8] == pytest.approx(500 / 1000)
    assert curve[bucket_7][0] == pytest.approx(0.0)


def test_a_customer_who_does_not_pay_does_not_dilute_the_curve():
    due = days(-70)
    payers = [
        PastLine(key, 1, due - timedelta(days=30), due, 100.0, ((days(-5), 100.0),) if key < 5 else ())
        for key in range(10)
    ]
    never = [PastLine(100 + key, 2, due - timedelta(days=30), due, 100.0) for key in range(10)]

    def behaviour_of(partner):
        return Behaviour(delay=0.0, paid_share=1.0 if partner == 1 else 0.0)

    bucket_56 = lateness_bucket(56)
    assert collection_curve(payers + never, behaviour_of, TODAY, days(-182))[bucket_56][0] == pytest.approx(
        0.25
    )


def test_learn_leaves_the_lines_apart_out():
    # Three invoices paid on their due date and one never paid, which is in a court case.
    history = [
        PastLine(key, 1, days(-100 + 10 * key), days(-70 + 10 * key), 100.0, ((days(-70 + 10 * key), 100.0),))
        for key in range(3)
    ]
    history.append(PastLine(9, 1, days(-90), days(-60), 100.0))
    assert learn(history, TODAY, days(-182)).company.paid_share == pytest.approx(300 / 400)
    learnt = learn(history, TODAY, days(-182), promises=(6, 4), instalments=(1, 0), apart=[9])
    assert learnt.company.paid_share == pytest.approx(1.0)
    assert learnt.partners[1].paid_share == pytest.approx(1.0)
    assert learnt.promise_rate == pytest.approx(10 / 15)
    assert learnt.plan_rate == pytest.approx(5 / 6)


# ---------------------------------------------------------------------- forecasting


CURVE = tuple(((0.2, 0.1) + (0.0,) * 11) for _bucket in range(9))


def model(**values):
    return Model(
        today=TODAY,
        company=Behaviour(delay=0.0, paid_share=1.0),  # on the due date, give or take a day
        partners=values.pop("partners", {}),
        curve=values.pop("curve", CURVE),
        promise_rate=0.8,
        plan_rate=0.9,
        **values,
    )


def test_a_line_not_yet_due_comes_in_by_the_customer_delay():
    # Due Wednesday, paid on its due date give or take a day: this week, nearly all of it;
    # the same due in 9 days: next week.
    (this_week,) = model().forecast([OpenLine(1, 1, days(2), 1000.0)])
    assert this_week.source == DELAY
    assert this_week.expected_date == days(2)
    assert this_week.weeks[0] == pytest.approx(1000.0, abs=0.01)
    (next_week,) = model().forecast([OpenLine(1, 1, days(9), 1000.0)])
    # days 7 to 13 from today: P(6.5 < delay + 9 < 13.5) = Φ(4.5) - Φ(-2.5)
    assert next_week.weeks[1] == pytest.approx(1000 * (0.9999966 - 0.0062097), abs=0.01)
    assert next_week.weeks[0] == pytest.approx(1000 * 0.0062097, abs=0.01)


def test_a_line_not_paid_yet_is_conditioned_on_it():
    # Two days overdue, the customer pays 3 days late: 1 day from today; the part of the law
    # before today is gone, the rest is all this week.
    customer = Behaviour(delay=3.0, law=delay_law({3: 1.0}, MIN_SPREAD), paid_share=1.0)
    (line,) = model(partners={1: customer}).forecast([OpenLine(1, 1, days(-2), 600.0)])
    assert line.source == DELAY
    assert line.weeks[0] == pytest.approx(600.0, abs=0.01)
    # and a customer who pays half of what it owes: half, given it has not paid
    half = Behaviour(delay=3.0, law=delay_law({3: 1.0}, MIN_SPREAD), paid_share=0.5)
    (line,) = model(partners={1: half}).forecast([OpenLine(1, 1, days(-2), 600.0)])
    # 0.5 x (1 - Φ(-1.5)) / (1 - 0.5 x Φ(-1.5)), Φ(-1.5) = 0.0668072
    assert line.probability == pytest.approx(0.5 * 0.9331928 / (1 - 0.5 * 0.0668072), abs=1e-6)


def test_a_line_past_its_expected_date_follows_the_curve():
    (line,) = model().forecast([OpenLine(1, 1, days(-20), 1000.0)])
    assert line.source == OVERDUE
    assert line.weeks[:3] == (200.0, 100.0, 0.0)
    assert line.expected_date == TODAY  # half of what is expected comes in this week
    assert line.probability == pytest.approx(0.3)


def test_every_row_of_a_small_ledger():
    lines = [
        OpenLine(1, 1, days(2), 1000.0),  # due Wednesday
        OpenLine(2, 1, days(-5), -300.0),  # credit note of customer 1
        OpenLine(3, 1, days(-20), 400.0),  # overdue: the credit note takes 300 of it
        OpenLine(4, 2, days(5), 500.0, excluded=True),
        OpenLine(5, 3, days(-40), 700.0, disputed=True),
        OpenLine(6, 3, days(-200), 900.0, handed_off=True, disputed=True),
        OpenLine(7, 4, days(-10), 2000.0),  # promised: 1500 next Tuesday
        OpenLine(8, 5, days(-60), 1000.0),  # plan: 300 last Friday, 300 in two weeks
        OpenLine(9, 6, days(-3), 150.0),  # covered by the credit of 200 of customer 6
        OpenLine(10, 6, days(-1), -200.0),
    ]
    promises = [Promise(days(8), 1500.0, (7,))]
    plans = [Plan((8,), ((days(-3), 300.0), (days(14), 300.0)))]
    result = {row.key: row for row in model().forecast(lines, promises, plans)}

    assert result[1].source == DELAY
    assert result[1].weeks[0] == pytest.approx(1000.0, abs=0.01)
    assert (result[2].source, result[2].amount, sum(result[2].weeks)) == (COVERED, 0.0, 0.0)
    assert (result[3].source, result[3].amount) == (OVERDUE, 100.0)
    assert result[3].weeks[:2] == pytest.approx((20.0, 10.0))
    for key, source, amount in ((4, EXCLUDED, 500.0), (5, DISPUTED, 700.0), (6, HANDED_OFF, 900.0)):
        assert (result[key].source, result[key].amount, sum(result[key].weeks)) == (source, amount, 0.0)
    # promise: 1500 x 0.8 kept next week; the 800 left follows the curve (160, 80)
    assert result[7].source == PROMISE
    assert result[7].expected_date == days(8)
    assert result[7].weeks[:3] == pytest.approx((160.0, 1200.0 + 80.0, 0.0))
    # plan: 300 x 0.9 this week (its date has passed) and in two weeks; 460 left: 92, 46
    assert result[8].source == PLAN
    assert result[8].expected_date == TODAY
    assert result[8].weeks[:3] == pytest.approx((270.0 + 92.0, 46.0, 270.0))
    assert (result[9].source, result[9].amount) == (COVERED, 0.0)
    assert (result[10].source, result[10].amount, sum(result[10].weeks)) == (CREDIT, -50.0, 0.0)

    # the net amounts add up to the ledger; no line expects more than it owes
    assert sum(row.amount for row in result.values()) == pytest.approx(sum(line.amount for line in lines))
    for row in result.values():
        assert sum(row.weeks) <= max(row.amount, 0.0) + 1e-9


def test_a_promise_larger_than_its_lines_is_capped():
    lines = [OpenLine(1, 1, days(-10), 300.0), OpenLine(2, 1, days(-5), 200.0)]
    result = model().forecast(lines, [Promise(days(1), 900.0, (1, 2))])
    # both lines promised whole: 0.8 of them this week, the 0.2 left by the curve (0.2, 0.1)
    for row, amount in zip(result, (300.0, 200.0), strict=True):
        assert row.weeks[:2] == pytest.approx((amount * (0.8 + 0.2 * 0.2), amount * 0.2 * 0.1))


def test_a_curve_adding_up_to_more_than_one_is_scaled_down():
    generous = tuple(((0.9, 0.3) + (0.0,) * 11) for _bucket in range(9))
    (row,) = model(curve=generous).forecast([OpenLine(1, 1, days(-20), 1000.0)])
    assert row.weeks[:2] == pytest.approx((750.0, 250.0))


@given(
    st.lists(
        st.tuples(
            st.integers(1, 4),
            st.integers(-200, 60),
            st.floats(-1000, 5000, allow_nan=False).map(lambda x: round(x, 2)),
            st.sampled_from([None, "excluded", "disputed", "handed_off"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(-10, 100), st.floats(1, 9000, allow_nan=False)), max_size=3),
)
def test_invariants(rows, promised):
    lines = [
        OpenLine(key, partner, days(due), amount, **({flag: True} if flag else {}))
        for key, (partner, due, amount, flag) in enumerate(rows)
    ]
    keys = tuple(line.key for line in lines)
    promises = [Promise(days(offset), amount, keys[::2]) for offset, amount in promised]
    plans = [Plan(keys[1::2], tuple((days(offset), amount) for offset, amount in promised))]
    result = model(curve=tuple(((0.6, 0.3, 0.2) + (0.0,) * 10) for _b in range(9))).forecast(
        lines, promises, plans
    )
    for line, row in zip(lines, result, strict=True):
        assert all(week >= 0 for week in row.weeks)
        assert sum(row.weeks) <= max(row.amount, 0.0) + 1e-6
        if line.apart or row.amount <= 0:
            assert sum(row.weeks) == 0
    for partner in {line.partner for line in lines}:
        assert sum(
            row.amount for line, row in zip(lines, result, strict=True) if line.partner == partner
        ) == pytest.approx(sum(line.amount for line in lines if line.partner == partner), abs=1e-6)


# ---------------------------------------------------------------------- rounding and accuracy


def test_round_weeks_never_exceeds_the_amount():
    assert round_weeks((0.333, 0.333, 0.334), 1.0) == (0.33, 0.33, 0.33)
    assert round_weeks((0.335, 0.335, 0.33), 1.0) == (0.33, 0.34, 0.33)
    assert sum(round_weeks((0.335, 0.335, 0.335), 1.005)) <= 1.01


def test_forecast_error():
    # 110 forecast, 100 in; 90 forecast, 100 in: 20 off of 200 collected, no bias
    assert forecast_error([(110.0, 100.0), (90.0, 100.0)]) == pytest.approx((0.1, 0.0))
    # always 10 % above
    assert forecast_error([(110.0, 100.0), (220.0, 200.0)]) == pytest.approx((0.1, 0.1))
    assert forecast_error([(50.0, 0.0)]) is None
    assert forecast_error([]) is None
