from datetime import date
from decimal import Decimal

from rules.legal import RateTable
from rules.penalties import DueInvoice, penalties

TABLE = RateTable(
    [
        ("ecb_refi", date(2025, 7, 1), 2.15),
        ("ecb_refi", date(2026, 1, 1), 2.15),
        ("legal_private", date(2026, 1, 1), 6.67),
        ("legal_other", date(2026, 1, 1), 2.62),
    ]
)


def test_each_late_invoice_owes_interest_and_one_indemnity():
    invoices = [
        # 1,000.00 due 31 January, 30 days to 2 March at 12.15 %: 1000 * 12.15% * 30 / 365 = 9.99
        DueInvoice(1, date(2026, 1, 31), Decimal("1000.00")),
        # 500.00 due 20 February, 10 days: 500 * 12.15% * 10 / 365 = 1.66
        DueInvoice(2, date(2026, 2, 20), Decimal("500.00")),
    ]
    result = penalties(invoices, date(2026, 3, 2), table=TABLE)
    assert result.by_invoice[1].interest == Decimal("9.99")
    assert result.by_invoice[2].interest == Decimal("1.66")
    assert result.interest == Decimal("11.65")
    assert result.indemnity == Decimal("80.00")
    assert result.warnings == ()


def test_a_payment_before_the_date_reduces_the_principal():
    # 1,000 due 31 Jan, 600 paid on 10 Feb: 10 days on 1,000 (3.33) + 20 days on 400 (2.66)
    invoice = DueInvoice(1, date(2026, 1, 31), Decimal("1000.00"), ((date(2026, 2, 10), Decimal("600")),))
    result = penalties([invoice], date(2026, 3, 2), table=TABLE)
    assert result.by_invoice[1].interest == Decimal("5.99")


def test_payments_after_the_date_are_ignored():
    invoice = DueInvoice(1, date(2026, 1, 31), Decimal("1000.00"), ((date(2026, 4, 1), Decimal("1000")),))
    assert penalties([invoice], date(2026, 3, 2), table=TABLE).by_invoice[1].interest == Decimal("9.99")


def test_a_consumer_owes_no_indemnity_and_no_interest_before_the_formal_notice():
    invoice = DueInvoice(1, date(2026, 1, 31), Decimal("1000.00"))
    result = penalties([invoice], date(2026, 3, 2), table=TABLE, debtor_is_consumer=True,
                       formal_notice_date=date(2026, 3, 2))
    assert (result.interest, result.indemnity) == (Decimal("0.00"), Decimal("0.00"))


def test_a_stale_table_is_reported_once():
    invoices = [
        DueInvoice(1, date(2026, 5, 31), Decimal("100")),
        DueInvoice(2, date(2026, 6, 1), Decimal("100")),
    ]
    result = penalties(invoices, date(2026, 8, 1), table=TABLE)
    assert len(result.warnings) == 1
    assert "2026-07-01" in result.warnings[0]
