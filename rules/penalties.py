"""Late-payment penalties of a set of invoices at a date: interest and the 40 EUR indemnity.

A thin layer over ``rules.legal`` for what letters and penalty invoices need: one figure per
invoice and the warnings to show (stale rates), whatever the number of invoices.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .legal import RateTable, late_interest, recovery_indemnity


@dataclass(frozen=True)
class DueInvoice:
    """An invoice as the penalties see it; amounts in company currency, payments ``(date, amount)``."""

    id: int
    due_date: date
    principal: Decimal
    payments: tuple = ()


@dataclass(frozen=True)
class Penalty:
    interest: Decimal
    indemnity: Decimal

    @property
    def total(self):
        return self.interest + self.indemnity


@dataclass
class Penalties:
    by_invoice: dict = field(default_factory=dict)
    warnings: tuple = ()

    @property
    def interest(self):
        return sum((p.interest for p in self.by_invoice.values()), Decimal("0.00"))

    @property
    def indemnity(self):
        return sum((p.indemnity for p in self.by_invoice.values()), Decimal("0.00"))


def penalties(
    invoices,
    to_date: date,
    *,
    table: RateTable,
    contractual_rate=None,
    debtor_is_consumer=False,
    formal_notice_date=None,
) -> Penalties:
    """Interest and indemnity owed on each invoice of one debtor, computed to ``to_date``.

    Payments received before ``to_date`` reduce the principal (see ``rules.legal``); an invoice
    paid in full still owes the interest accrued until its payment and its indemnity.
    """
    by_invoice, warnings = {}, []
    for invoice in invoices:
        payments = tuple((day, amount) for day, amount in invoice.payments if day <= to_date)
        result = late_interest(
            invoice.principal,
            invoice.due_date,
            to_date,
            table=table,
            contractual_rate=contractual_rate,
            payments=payments,
            debtor_is_consumer=debtor_is_consumer,
            formal_notice_date=formal_notice_date,
        )
        warnings += [w for w in result.warnings if w not in warnings]
        days_late = (to_date - invoice.due_date).days
        by_invoice[invoice.id] = Penalty(result.amount, recovery_indemnity(debtor_is_consumer, days_late))
    return Penalties(by_invoice, tuple(warnings))
