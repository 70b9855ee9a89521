"""French late-payment law (rules/legal.py). Every figure is computed by hand in a comment:
interest = base x rate / 100 x days / 365, rounded to the cent per period (ROUND_HALF_UP)."""

from datetime import date
from decimal import Decimal

import pytest

from rules.legal import (
    BASIS_CONTRACTUAL,
    BASIS_ECB,
    BASIS_FLOOR,
    BASIS_PUBLIC,
    CONSUMER,
    CONTRACTUAL_RATE_IGNORED,
    FLOOR_APPLIED,
    FLOOR_UNCHECKED,
    PROFESSIONAL,
    PUBLIC,
    RATE_CARRIED_OVER,
    RATE_MISSING,
    RECOVERY_INDEMNITY,
    InterestPeriod,
    Notice,
    RateBelowLegalFloor,
    RateLookup,
    RateNotFound,
    RateTable,
    check_contractual_rate,
    late_interest,
    recovery_indemnity,
)

ROWS = [
    ("ecb_refi", date(2024, 1, 1), 4.50),
    ("ecb_refi", date(2024, 7, 1), 4.25),
    ("ecb_refi", date(2025, 1, 1), 3.15),
    ("ecb_refi", date(2025, 7, 1), 2.15),
    ("ecb_refi", date(2026, 1, 1), 2.15),
    ("legal_private", date(2026, 1, 1), 6.67),
    ("legal_other", date(2025, 1, 1), 3.71),
    ("legal_other", date(2025, 7, 1), 2.76),
    ("legal_other", date(2026, 1, 1), 2.62),
]
TABLE = RateTable(ROWS)
STALE_ECB_H2_2026 = Notice(RATE_CARRIED_OVER, "ecb_refi", date(2026, 7, 1), Decimal("2.15"), date(2026, 1, 1))


# Between professionals, default rate: ECB rate of the half-year + 10 points.


def test_b2b_default_rate_changes_on_1_july_2025():
    # Due 10 June, computed to 20 July: 40 days = 20 days in June (11-30) + 20 days in July (1-20).
    # June: ECB 3.15 (1 Jan 2025) + 10 = 13.15 %: 10,000 x 13.15 % x 20 / 365 = 72.0548 -> 72.05
    # July: ECB 2.15 (1 Jul 2025) + 10 = 12.15 %: 10,000 x 12.15 % x 20 / 365 = 66.5753 -> 66.58
    result = late_interest(10_000, date(2025, 6, 10), date(2025, 7, 20), table=TABLE)
    assert result.periods == (
        InterestPeriod(
            date(2025, 6, 11),
            date(2025, 6, 30),
            20,
            Decimal(10_000),
            Decimal("13.15"),
            Decimal("72.05"),
            BASIS_ECB,
            Decimal("3.15"),
            date(2025, 1, 1),
        ),
        InterestPeriod(
            date(2025, 7, 1),
            date(2025, 7, 20),
            20,
            Decimal(10_000),
            Decimal("12.15"),
            Decimal("66.58"),
            BASIS_ECB,
            Decimal("2.15"),
            date(2025, 7, 1),
        ),
    )
    assert result.amount == Decimal("138.63")
    assert result.notices == ()


def test_leap_year_still_counts_365_days_a_year():
    # Due 27 February 2024, to 2 March: 28 Feb, 29 Feb, 1 Mar, 2 Mar = 4 days at 4.50 + 10 = 14.50 %.
    # 3,650 x 14.50 % x 4 / 365 = 5.80 (over 366 it would have been 5.7842 -> 5.78).
    result = late_interest(3650, date(2024, 2, 27), date(2024, 3, 2), table=TABLE)
    assert [(p.days, p.rate) for p in result.periods] == [(4, Decimal("14.50"))]
    assert result.amount == Decimal("5.80")


def test_period_amounts_are_rounded_one_by_one():
    # 16.50 due 30 Dec 2025, to 1 Jan 2026: 31 Dec (H2 2025) and 1 Jan (H1 2026), both at 12.15 %.
    # Each day: 16.50 x 12.15 % / 365 = 0.0054925 -> 0.01; total 0.01 + 0.01 = 0.02
    # (rounding the total 0.010985 only at the end would have given 0.01).
    result = late_interest(Decimal("16.50"), date(2025, 12, 30), date(2026, 1, 1), table=TABLE)
    assert [p.amount for p in result.periods] == [Decimal("0.01"), Decimal("0.01")]
    assert result.amount == Decimal("0.02")


def test_rounding_is_half_up():
    # 3,650 x 12.25 % x 1 / 365 = 1.225 exactly -> 1.23 (half-even would give 1.22).
    result = late_interest(3650, date(2026, 2, 1), date(2026, 2, 2), table=TABLE, contractual_rate=12.25)
    assert result.amount == Decimal("1.23")


# Partial payments: a payment on day D reduces the principal from day D + 1 on.


def test_partial_payment_midway():
    # 2,000 due 31 Jan 2026, 500 paid on 20 Feb, to 2 Mar: 12.15 % (ECB 2.15 + 10).
    # 1-20 Feb (20 days, the payment day included) on 2,000: 2,000 x 12.15 % x 20 / 365 = 13.3151 -> 13.32
    # 21 Feb-2 Mar (10 days) on 1,500: 1,500 x 12.15 % x 10 / 365 = 4.9932 -> 4.99
    result = late_interest(
        2000, date(2026, 1, 31), date(2026, 3, 2), table=TABLE, payments=[(date(2026, 2, 20), 500)]
    )
    assert [(p.date_from, p.date_to, p.days, p.base, p.amount) for p in result.periods] == [
        (date(2026, 2, 1), date(2026, 2, 20), 20, Decimal(2000), Decimal("13.32")),
        (date(2026, 2, 21), date(2026, 3, 2), 10, Decimal(1500), Decimal("4.99")),
    ]
    assert result.amount == Decimal("18.31")


def test_payment_on_the_due_date_or_the_next_day():
    # Paid in full on the due date: no interest. Paid in full the next day: one day on 3,650 at
    # 12.15 %: 3,650 x 12.15 % / 365 = 1.215 -> 1.22.
    due, to = date(2026, 2, 1), date(2026, 3, 1)
    assert late_interest(3650, due, to, table=TABLE, payments=[(due, 3650)]).amount == Decimal("0.00")
    paid_next_day = late_interest(3650, due, to, table=TABLE, payments=[(date(2026, 2, 2), 3650)])
    assert [(p.days, p.amount) for p in paid_next_day.periods] == [(1, Decimal("1.22"))]


def test_payments_are_checked():
    with pytest.raises(ValueError, match=r"The payments \(1001\) exceed the principal \(1000\)"):
        late_interest(
            1000, date(2026, 2, 1), date(2026, 3, 1), table=TABLE, payments=[(date(2026, 2, 5), 1001)]
        )
    with pytest.raises(ValueError, match="must not be negative"):
        late_interest(
            1000, date(2026, 2, 1), date(2026, 3, 1), table=TABLE, payments=[(date(2026, 2, 5), -1)]
        )


# Contractual rate and its floor of 3 x the legal rate ("other cases").


def test_contractual_rate_is_used_instead_of_the_ecb_rate_across_half_years():
    # 3,650 due 20 June 2026 at 15 %, to 10 July: 10 days in June + 10 days in July, both at 15 %
    # (no ECB lookup, and the carried-over legal rate of H2 2026 only checks the floor: no
    # notice): 3,650 x 15 % x 10 / 365 = 15.00 each.
    result = late_interest(3650, date(2026, 6, 20), date(2026, 7, 10), table=TABLE, contractual_rate=15)
    assert [(p.date_from, p.days, p.rate, p.amount) for p in result.periods] == [
        (date(2026, 6, 21), 10, Decimal(15), Decimal("15.00")),
        (date(2026, 7, 1), 10, Decimal(15), Decimal("15.00")),
    ]
    assert result.amount == Decimal("30.00")
    assert result.notices == ()
    assert {p.basis for p in result.periods} == {BASIS_CONTRACTUAL}


def test_setting_a_contractual_rate_below_the_floor_is_refused():
    # Floor for H1 2026: 3 x 2.62 = 7.86 %.
    with pytest.raises(RateBelowLegalFloor) as refused:
        check_contractual_rate(5, Decimal("2.62"))
    assert isinstance(refused.value, ValueError)
    assert (refused.value.rate, refused.value.floor, refused.value.legal_rate) == (
        Decimal(5),
        Decimal("7.86"),
        Decimal("2.62"),
    )


def test_a_contractual_rate_below_an_earlier_half_year_floor_gives_way_to_that_floor():
    # 8 % passes today's floor (3 x 2.62 = 7.86 %) but not those of 2025: 10,000 due 31 May
    # 2025, to 31 August 2025, never an error:
    # 1-30 June (30 days), floor of H1 2025 = 3 x 3.71 = 11.13 %:
    #   10,000 x 11.13 % x 30 / 365 = 91.4795 -> 91.48
    # 1 July-31 Aug (62 days), floor of H2 2025 = 3 x 2.76 = 8.28 %:
    #   10,000 x 8.28 % x 62 / 365 = 140.6466 -> 140.65
    result = late_interest(10_000, date(2025, 5, 31), date(2025, 8, 31), table=TABLE, contractual_rate=8)
    assert [(p.days, p.rate, p.basis, p.amount) for p in result.periods] == [
        (30, Decimal("11.13"), BASIS_FLOOR, Decimal("91.48")),
        (62, Decimal("8.28"), BASIS_FLOOR, Decimal("140.65")),
    ]
    assert result.amount == Decimal("232.13")
    assert result.notices == (
        Notice(
            FLOOR_APPLIED, "legal_other", date(2025, 1, 1), Decimal(8), date(2025, 1, 1), Decimal("11.13")
        ),
        Notice(FLOOR_APPLIED, "legal_other", date(2025, 7, 1), Decimal(8), date(2025, 7, 1), Decimal("8.28")),
    )
    # At 9 %, only H1 2025 is below its floor; July-August at 9 %:
    #   10,000 x 9 % x 62 / 365 = 152.8767 -> 152.88
    nine = late_interest(10_000, date(2025, 5, 31), date(2025, 8, 31), table=TABLE, contractual_rate=9)
    assert [(p.rate, p.basis) for p in nine.periods] == [
        (Decimal("11.13"), BASIS_FLOOR),
        (Decimal(9), BASIS_CONTRACTUAL),
    ]
    assert nine.amount == Decimal("244.36")  # 91.48 + 152.88
    assert [n.half_year for n in nine.notices] == [date(2025, 1, 1)]


def test_a_contractual_rate_with_no_legal_rate_to_check_it_is_used_and_said_so():
    # No legal rate row before 2025: 3,650 due 30 November 2024, to 10 December, at 15 %:
    # 3,650 x 15 % x 10 / 365 = 15.00
    result = late_interest(3650, date(2024, 11, 30), date(2024, 12, 10), table=TABLE, contractual_rate=15)
    assert result.amount == Decimal("15.00")
    assert result.notices == (Notice(FLOOR_UNCHECKED, "legal_other", date(2024, 7, 1), Decimal(15)),)


def test_contractual_rate_at_or_above_the_floor_is_accepted():
    assert check_contractual_rate(7.86, 2.62) == Decimal("7.86")
    assert check_contractual_rate(Decimal("12"), Decimal("2.62")) == Decimal(12)


# Recovery indemnity: 40 EUR per late invoice, professional debtors only.


def test_recovery_indemnity_is_due_once_an_invoice_is_late():
    due = date(2026, 1, 31)
    assert str(RECOVERY_INDEMNITY) == "40.00"
    assert recovery_indemnity(PROFESSIONAL, 1000, due, date(2026, 2, 1)) == Decimal("40.00")
    assert recovery_indemnity(PUBLIC, 1000, due, date(2026, 2, 1)) == Decimal("40.00")
    assert recovery_indemnity(PROFESSIONAL, 1000, due, due) == Decimal("0.00")  # not late yet
    assert recovery_indemnity(PROFESSIONAL, 1000, due, date(2026, 1, 10)) == Decimal("0.00")  # not due yet
    assert recovery_indemnity(CONSUMER, 1000, due, date(2026, 5, 1)) == Decimal("0.00")


def test_recovery_indemnity_follows_the_payments():
    due, later = date(2026, 1, 31), date(2026, 3, 1)
    on_time = [(date(2026, 1, 20), Decimal(600)), (due, Decimal(400))]
    assert recovery_indemnity(PROFESSIONAL, 1000, due, later, on_time) == Decimal("0.00")
    paid_late = [(date(2026, 2, 1), Decimal(1000))]
    assert recovery_indemnity(PROFESSIONAL, 1000, due, later, paid_late) == Decimal("40.00")
    rest_late = [(due, Decimal(999)), (date(2026, 2, 10), Decimal(1))]
    assert recovery_indemnity(PROFESSIONAL, 1000, due, later, rest_late) == Decimal("40.00")


# Public bodies: ECB rate of the half-year interest began + 8 points, for the whole delay.


def test_public_body_rate_is_fixed_by_the_half_year_interest_began():
    # Due 10 June 2025, to 20 July 2025: interest began on 11 June (H1 2025: ECB 3.15 %), so
    # 3.15 + 8 = 11.15 % for all 40 days, also in July: 10,000 x 11.15 % x 40 / 365 = 122.1918 -> 122.19
    # (between professionals the same days give 138.63, above).
    result = late_interest(10_000, date(2025, 6, 10), date(2025, 7, 20), table=TABLE, debtor=PUBLIC)
    assert [(p.date_from, p.days, p.rate, p.basis, p.reference_rate) for p in result.periods] == [
        (date(2025, 6, 11), 40, Decimal("11.15"), BASIS_PUBLIC, Decimal("3.15"))
    ]
    assert result.amount == Decimal("122.19")


def test_public_body_ignores_a_contractual_rate():
    result = late_interest(
        10_000, date(2025, 6, 10), date(2025, 7, 20), table=TABLE, debtor=PUBLIC, contractual_rate=20
    )
    assert result.amount == Decimal("122.19")
    assert result.notices == (Notice(CONTRACTUAL_RATE_IGNORED),)


# Consumers: legal rate, from the formal notice only.


def test_consumer_owes_nothing_without_a_formal_notice():
    result = late_interest(1000, date(2026, 1, 15), date(2026, 3, 3), table=TABLE, debtor=CONSUMER)
    assert (result.amount, result.periods) == (Decimal("0.00"), ())


def test_consumer_interest_runs_from_the_formal_notice_at_the_legal_rate():
    # Due 15 Jan, notice 1 Feb, to 3 Mar: 2 Feb-3 Mar = 30 days; nothing for 16-31 Jan.
    # Creditor a private person: 1,000 x 6.67 % x 30 / 365 = 5.4822 -> 5.48
    # Other creditor:            1,000 x 2.62 % x 30 / 365 = 2.1534 -> 2.15
    due, notice, to = date(2026, 1, 15), date(2026, 2, 1), date(2026, 3, 3)
    private = late_interest(
        1000,
        due,
        to,
        table=TABLE,
        debtor=CONSUMER,
        creditor_is_private=True,
        formal_notice_date=notice,
    )
    other = late_interest(1000, due, to, table=TABLE, debtor=CONSUMER, formal_notice_date=notice)
    assert [(p.date_from, p.days, p.rate) for p in private.periods] == [
        (date(2026, 2, 2), 30, Decimal("6.67"))
    ]
    assert private.amount == Decimal("5.48")
    assert [(p.date_from, p.days, p.rate) for p in other.periods] == [(date(2026, 2, 2), 30, Decimal("2.62"))]
    assert other.amount == Decimal("2.15")
    before_notice = late_interest(1000, due, notice, table=TABLE, debtor=CONSUMER, formal_notice_date=notice)
    assert before_notice.amount == Decimal("0.00")


def test_consumer_notice_before_the_due_date_counts_from_the_due_date():
    # Notice 10 Jan, due 15 Jan, to 14 Feb: 30 days at 2.62 % on 1,000 = 2.1534 -> 2.15.
    result = late_interest(
        1000,
        date(2026, 1, 15),
        date(2026, 2, 14),
        table=TABLE,
        debtor=CONSUMER,
        formal_notice_date=date(2026, 1, 10),
    )
    assert [(p.date_from, p.days) for p in result.periods] == [(date(2026, 1, 16), 30)]
    assert result.amount == Decimal("2.15")


def test_consumer_contractual_rate_is_not_applied():
    # Same as above at 2.62 %, not 15 %, and the caller is told.
    result = late_interest(
        1000,
        date(2026, 1, 15),
        date(2026, 2, 14),
        table=TABLE,
        debtor=CONSUMER,
        formal_notice_date=date(2026, 1, 15),
        contractual_rate=15,
    )
    assert result.amount == Decimal("2.15")
    assert result.notices == (Notice(CONTRACTUAL_RATE_IGNORED),)


# The rate table.


def test_lookup_takes_the_rate_in_force_on_the_first_day_of_the_half_year():
    assert TABLE.lookup("ecb_refi", date(2025, 6, 30)) == RateLookup(
        "ecb_refi", date(2025, 1, 1), Decimal("3.15"), date(2025, 1, 1), is_stale=False
    )
    assert TABLE.lookup("ecb_refi", date(2025, 7, 1)).rate == Decimal("2.15")
    # A table without a 1 July 2025 row: the 1 January rate held all year, nothing is stale.
    gap = RateTable([row for row in ROWS if row[1] != date(2025, 7, 1)])
    assert gap.lookup("ecb_refi", date(2025, 9, 1)) == RateLookup(
        "ecb_refi", date(2025, 7, 1), Decimal("3.15"), date(2025, 1, 1), is_stale=False
    )


def test_lookup_past_the_latest_row_is_stale():
    lookup = TABLE.lookup("ecb_refi", date(2026, 8, 15))
    assert (lookup.rate, lookup.date_from, lookup.is_stale) == (Decimal("2.15"), date(2026, 1, 1), True)
    assert not TABLE.lookup("ecb_refi", date(2026, 6, 30)).is_stale
    assert TABLE.find("legal_private", date(2025, 12, 31)) is None
    with pytest.raises(RateNotFound, match="No legal_private rate for the half-year starting 2025-07-01"):
        TABLE.lookup("legal_private", date(2025, 12, 31))


def test_the_table_tells_which_half_years_have_their_rows():
    assert TABLE.has_row("ecb_refi", date(2026, 1, 1))
    assert not TABLE.has_row("ecb_refi", date(2026, 7, 1))
    assert not TABLE.has_row("legal_private", date(2025, 7, 1))


def test_a_half_year_without_any_rate_bears_no_interest_and_says_so():
    # No ECB row before 2024: 3,650 due 30 December 2023, to 10 January 2024. 31 Dec 2023 has no
    # rate (not computed); 1-10 January 2024 at 4.50 + 10 = 14.50 %: 3,650 x 14.50 % x 10 / 365 = 14.50
    result = late_interest(3650, date(2023, 12, 30), date(2024, 1, 10), table=TABLE)
    assert [(p.date_from, p.days, p.amount) for p in result.periods] == [
        (date(2024, 1, 1), 10, Decimal("14.50"))
    ]
    assert result.notices == (Notice(RATE_MISSING, "ecb_refi", date(2023, 7, 1)),)


def test_interest_result_reports_a_stale_rate_once():
    # 3,650 due 30 June 2026, 1,825 paid 10 July, to 20 July, all at 2.15 + 10 = 12.15 % (stale):
    # 1-10 July on 3,650: 3,650 x 12.15 % x 10 / 365 = 12.15; 11-20 July on 1,825: 6.075 -> 6.08.
    result = late_interest(
        3650, date(2026, 6, 30), date(2026, 7, 20), table=TABLE, payments=[(date(2026, 7, 10), 1825)]
    )
    assert [p.amount for p in result.periods] == [Decimal("12.15"), Decimal("6.08")]
    assert result.amount == Decimal("18.23")
    assert result.notices == (STALE_ECB_H2_2026,)
    assert [p.carried_over for p in result.periods] == [True, True]


def test_table_rejects_bad_rows():
    with pytest.raises(ValueError, match="Unknown rate kind 'euribor'"):
        RateTable([("euribor", date(2026, 1, 1), 2.0)])
    with pytest.raises(ValueError, match="Two ecb_refi rows start on 2026-01-01"):
        RateTable([("ecb_refi", date(2026, 1, 1), 2.15), ("ecb_refi", date(2026, 1, 1), 2.0)])


# Bad or degenerate input.


def test_to_date_on_or_before_the_due_date_gives_zero():
    for to_date in (date(2026, 2, 1), date(2026, 1, 20)):
        result = late_interest(1000, date(2026, 2, 1), to_date, table=TABLE)
        assert (result.amount, result.periods, result.notices) == (Decimal("0.00"), (), ())


def test_negative_principal_is_refused():
    with pytest.raises(ValueError, match="The principal must not be negative: -100 was given."):
        late_interest(-100, date(2026, 2, 1), date(2026, 3, 1), table=TABLE)


def test_floats_are_read_as_written():
    # 1,000.10 x 12.15 % x 28 / 365 = 9.3215 -> 9.32 (1-28 Feb 2026).
    result = late_interest(1000.10, date(2026, 1, 31), date(2026, 2, 28), table=TABLE)
    assert result.periods[0].base == Decimal("1000.10")
    assert result.amount == Decimal("9.32")
    with pytest.raises(TypeError, match="The principal must be a number"):
        late_interest("1000", date(2026, 1, 31), date(2026, 2, 28), table=TABLE)
