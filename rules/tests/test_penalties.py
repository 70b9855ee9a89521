"""The penalty ledger (rules/penalties.py), figures computed by hand:
interest = base x rate / 100 x days / 365, rounded to the cent per period (ROUND_HALF_UP)."""

from datetime import date
from decimal import Decimal

from rules.legal import (
    CONSUMER,
    FLOOR_APPLIED,
    PUBLIC,
    RATE_CARRIED_OVER,
    RATE_MISSING,
    RateTable,
)
from rules.penalties import INDEMNITY, INTEREST, Charged, DueInvoice, Instalment, Terms, penalties

TABLE = RateTable(
    [
        ("ecb_refi", date(2025, 1, 1), 3.15),
        ("ecb_refi", date(2025, 7, 1), 2.15),
        ("ecb_refi", date(2026, 1, 1), 2.15),
        ("legal_private", date(2026, 1, 1), 6.67),
        ("legal_other", date(2025, 1, 1), 3.71),
        ("legal_other", date(2025, 7, 1), 2.76),
        ("legal_other", date(2026, 1, 1), 2.62),
    ]
)
D = Decimal


def test_each_late_invoice_owes_interest_and_one_indemnity():
    invoices = [
        # 1,000.00 due 31 January, 30 days to 2 March at 12.15 %: 1000 x 12.15 % x 30 / 365 = 9.99
        DueInvoice.single(1, date(2026, 1, 31), D("1000.00")),
        # 500.00 due 20 February, 10 days: 500 x 12.15 % x 10 / 365 = 1.66
        DueInvoice.single(2, date(2026, 2, 20), D("500.00")),
    ]
    result = penalties(invoices, date(2026, 3, 2), table=TABLE)
    assert result.by_invoice[1].interest == D("9.99")
    assert result.by_invoice[2].interest == D("1.66")
    assert result.interest == D("11.65")
    assert result.indemnity == D("80.00")
    assert result.notices == ()


def test_a_partial_payment_reduces_the_base():
    # 1,000 due 31 Jan, 600 paid on 10 Feb: 1-10 Feb on 1,000 (3.33) + 11 Feb-2 Mar (20 days) on 400 (2.66)
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), ((date(2026, 2, 10), D("600")),))
    ledger = penalties([invoice], date(2026, 3, 2), table=TABLE).by_invoice[1]
    assert [(p.base, p.days, p.amount) for _i, p in ledger.open_periods] == [
        (D(1000), 10, D("3.33")),
        (D(400), 20, D("2.66")),
    ]
    assert ledger.interest == D("5.99")
    assert ledger.indemnity == D("40.00")


def test_an_invoice_paid_on_time_owes_nothing():
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), ((date(2026, 1, 31), D("1000")),))
    ledger = penalties([invoice], date(2026, 3, 2), table=TABLE).by_invoice[1]
    assert (ledger.interest, ledger.indemnity, ledger.open_periods) == (D(0), D(0), [])


def test_an_invoice_paid_late_still_owes_its_interest_and_indemnity():
    # 1,000 due 31 Jan, paid in full on 10 Feb; seen on 2 March: 1-10 Feb at 12.15 %:
    # 1000 x 12.15 % x 10 / 365 = 3.3288 -> 3.33, and the 40 EUR.
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), ((date(2026, 2, 10), D("1000")),))
    ledger = penalties([invoice], date(2026, 3, 2), table=TABLE).by_invoice[1]
    assert (ledger.interest, ledger.indemnity, ledger.total) == (D("3.33"), D("40.00"), D("43.33"))


def test_payments_after_the_date_are_ignored():
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), ((date(2026, 4, 1), D("1000")),))
    assert penalties([invoice], date(2026, 3, 2), table=TABLE).by_invoice[1].interest == D("9.99")


def test_a_consumer_owes_interest_only_on_the_invoices_a_formal_notice_named():
    # Two invoices; the notice, effective 1 February, named the first one only. To 3 March, at
    # the legal rate "other cases" of H1 2026: 1,000 x 2.62 % x 30 / 365 = 2.1534 -> 2.15; none
    # on the second, and no indemnity at all.
    invoices = [
        DueInvoice.single(1, date(2026, 1, 15), D("1000.00"), formal_notice_date=date(2026, 2, 1)),
        DueInvoice.single(2, date(2026, 1, 20), D("500.00")),
    ]
    result = penalties(invoices, date(2026, 3, 3), table=TABLE, terms=Terms(CONSUMER))
    assert (result.by_invoice[1].interest, result.by_invoice[2].interest) == (D("2.15"), D(0))
    assert result.indemnity == D(0)
    # A creditor who is a private person: 1,000 x 6.67 % x 30 / 365 = 5.4822 -> 5.48
    private = penalties(
        invoices, date(2026, 3, 3), table=TABLE, terms=Terms(CONSUMER, creditor_is_private=True)
    )
    assert private.interest == D("5.48")


def test_a_contractual_rate_below_an_earlier_floor_is_computed_at_that_floor():
    # 8 % (above today's 7.86 %) on 10,000 due 31 May 2025, to 31 August 2025: 91.48 at the H1 2025
    # floor of 11.13 % + 140.65 at the H2 2025 floor of 8.28 % (see test_legal), never an error.
    invoice = DueInvoice.single(1, date(2025, 5, 31), D("10000.00"))
    result = penalties([invoice], date(2025, 8, 31), table=TABLE, terms=Terms(contractual_rate=D(8)))
    assert result.interest == D("232.13")
    assert [notice.code for notice in result.notices] == [FLOOR_APPLIED, FLOOR_APPLIED]


def test_a_second_penalty_invoice_charges_only_what_the_first_did_not():
    # 1,000 due 31 January 2026. The first penalty invoice charged interest to 2 March (30 days,
    # 9.99) and the indemnity. On 1 April: 3 March-1 April, 30 more days at 12.15 % = 9.99 left,
    # no indemnity left. (Without the cut at 2 March, 60 days in one period would give 19.97 and
    # leave 9.98: the cut keeps both invoices' periods adding up.)
    charged = (Charged(INTEREST, D("9.99"), date(2026, 3, 2)), Charged(INDEMNITY, D("40.00")))
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), charged=charged)
    ledger = penalties([invoice], date(2026, 4, 1), table=TABLE).by_invoice[1]
    assert (ledger.interest_owed, ledger.interest_invoiced, ledger.interest) == (
        D("19.98"),
        D("9.99"),
        D("9.99"),
    )
    assert [(p.date_from, p.date_to, p.amount) for _i, p in ledger.open_periods] == [
        (date(2026, 3, 3), date(2026, 4, 1), D("9.99"))
    ]
    assert ledger.adjustment == D(0)
    assert (ledger.indemnity_owed, ledger.indemnity) == (D("40.00"), D(0))


def test_a_third_penalty_invoice_keeps_the_periods_of_the_first_two():
    # Charged to 2 March (9.99) and to 1 April (9.99): on 1 May, 2 April-1 May, 30 days = 9.99.
    # Without a cut on 2 March, 3 March-1 May would be one period of 60 days (19.97): 1 cent short.
    charged = (
        Charged(INTEREST, D("9.99"), date(2026, 3, 2)),
        Charged(INTEREST, D("9.99"), date(2026, 4, 1)),
        Charged(INDEMNITY, D("40.00")),
    )
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), charged=charged)
    ledger = penalties([invoice], date(2026, 5, 1), table=TABLE).by_invoice[1]
    assert (ledger.interest_owed, ledger.interest, ledger.adjustment) == (D("29.97"), D("9.99"), D(0))


def test_a_correction_since_the_last_penalty_invoice_shows_as_an_adjustment():
    # Same invoice, but only 9.00 was charged for the days to 2 March: the 0.99 missing comes on top.
    charged = (Charged(INTEREST, D("9.00"), date(2026, 3, 2)),)
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"), charged=charged)
    ledger = penalties([invoice], date(2026, 4, 1), table=TABLE).by_invoice[1]
    assert (ledger.interest, ledger.adjustment) == (D("10.98"), D("0.99"))


def test_a_penalty_invoice_accrues_no_penalty():
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("49.99"), is_penalty_invoice=True)
    ledger = penalties([invoice], date(2026, 6, 1), table=TABLE).by_invoice[1]
    assert (ledger.interest, ledger.indemnity) == (D(0), D(0))


def test_a_public_body_owes_the_ecb_rate_plus_8_points_and_the_indemnity():
    # Due 31 January 2026, to 2 March: 30 days at 2.15 + 8 = 10.15 %:
    #   1000 x 10.15 % x 30 / 365 = 8.3425 -> 8.34
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"))
    result = penalties([invoice], date(2026, 3, 2), table=TABLE, terms=Terms(PUBLIC, contractual_rate=D(15)))
    assert (result.interest, result.indemnity) == (D("8.34"), D("40.00"))
    assert result.notices == ()


def test_a_stale_table_is_reported_once():
    invoices = [
        DueInvoice.single(1, date(2026, 5, 31), D("100")),
        DueInvoice.single(2, date(2026, 6, 1), D("100")),
    ]
    result = penalties(invoices, date(2026, 8, 1), table=TABLE)
    assert [(n.code, n.half_year) for n in result.notices] == [(RATE_CARRIED_OVER, date(2026, 7, 1))]


def test_an_empty_table_gives_the_indemnity_and_a_notice_never_an_error():
    invoice = DueInvoice.single(1, date(2026, 1, 31), D("1000.00"))
    result = penalties([invoice], date(2026, 3, 2), table=RateTable([]))
    assert (result.interest, result.indemnity) == (D(0), D("40.00"))
    assert [(n.code, n.kind) for n in result.notices] == [(RATE_MISSING, "ecb_refi")]


def test_odd_figures_are_clamped_not_raised():
    # Payments above the principal count up to the principal; a negative principal owes nothing.
    overpaid = DueInvoice.single(
        1, date(2026, 1, 31), D("100"), ((date(2026, 2, 10), D("150")), (date(2026, 2, 11), D(-5)))
    )
    negative = DueInvoice.single(2, date(2026, 1, 31), D("-100"))
    result = penalties([overpaid, negative], date(2026, 3, 2), table=TABLE)
    # 10 days on 100 at 12.15 %: 100 x 12.15 % x 10 / 365 = 0.3329 -> 0.33
    assert result.by_invoice[1].interest == D("0.33")
    assert (result.by_invoice[2].interest, result.by_invoice[2].indemnity) == (D(0), D(0))


def test_each_instalment_bears_interest_from_its_own_due_date_and_the_invoice_one_indemnity():
    # 3,000 in two instalments: 1,000 due 31 January (paid on time), 2,000 due 28 February, unpaid.
    # To 30 March: nothing on the first; 30 days on 2,000 at 12.15 %:
    #   2000 x 12.15 % x 30 / 365 = 19.9726 -> 19.97.
    # One indemnity for the invoice, the second instalment being late.
    invoice = DueInvoice(
        1,
        (
            Instalment(11, date(2026, 1, 31), D("1000"), ((date(2026, 1, 30), D("1000")),)),
            Instalment(12, date(2026, 2, 28), D("2000")),
        ),
    )
    ledger = penalties([invoice], date(2026, 3, 30), table=TABLE).by_invoice[1]
    assert [(i.id, i.interest) for i in ledger.instalments] == [(11, D(0)), (12, D("19.97"))]
    assert (ledger.interest, ledger.indemnity, ledger.principal) == (D("19.97"), D("40.00"), D(3000))
