"""The penalty ledger of a debtor's invoices at a date: what is owed, what was invoiced, what is left.

Per invoice, ``rules.legal`` gives the late interest of each instalment (an invoice paid in
several instalments owes interest on each from its own due date) period by period, and the
40 EUR indemnity once per invoice, as soon as one instalment is late. What penalty invoices
already charged for that invoice (``Charged``: an amount, and for interest the last day it
covers) is taken off, so that a second penalty invoice charges only what the first did not,
and an invoice paid late stays claimable until it is invoiced. Penalty invoices themselves
accrue nothing (no interest on interest, art. 1343-2 of the Code civil, and no indemnity).

Periods are cut on each last day a penalty invoice covered: the periods after the latest are
what is left to invoice, and ``adjustment`` is any difference between what was invoiced for the days before
and what those days owe today (a rate added to the table since, for instance).

Input that makes no sense (a negative principal, payments above the principal) is clamped,
never raised: the ledger is read by the daily run, which must go on for every debtor.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .legal import (
    PROFESSIONAL,
    RECOVERY_INDEMNITY,
    ZERO,
    InterestPeriod,
    Notice,
    RateTable,
    late_interest,
    recovery_indemnity,
    to_decimal,
)

INTEREST = "interest"
INDEMNITY = "indemnity"


@dataclass(frozen=True)
class Charged:
    """What one penalty invoice line charged for an invoice: interest to ``date_to``, or the indemnity."""

    kind: str
    amount: Decimal
    date_to: date | None = None


@dataclass(frozen=True)
class Instalment:
    """One instalment of an invoice: amount in company currency, payments ``(date, amount)``.

    ``principal`` is what it really claimed (net of the credit notes that corrected it).
    """

    id: int
    due_date: date
    principal: Decimal
    payments: tuple = ()


@dataclass(frozen=True)
class DueInvoice:
    """An invoice as the penalties see it.

    ``formal_notice_date`` (consumers) is the day the first formal notice naming this
    invoice took effect; ``charged`` is what penalty invoices already charged for it.
    """

    id: int
    instalments: tuple[Instalment, ...]
    formal_notice_date: date | None = None
    charged: tuple[Charged, ...] = ()
    is_penalty_invoice: bool = False

    @classmethod
    def single(cls, id_, due_date, principal, payments=(), **values):
        """An invoice paid in one instalment."""
        return cls(id_, (Instalment(id_, due_date, principal, tuple(payments)),), **values)


@dataclass(frozen=True)
class Terms:
    """The debtor's kind (``rules.legal.DEBTOR_KINDS``) and the creditor's terms."""

    debtor: str = PROFESSIONAL
    contractual_rate: Decimal | None = None
    creditor_is_private: bool = False


@dataclass(frozen=True)
class InstalmentLedger:
    id: int
    due_date: date
    principal: Decimal
    periods: tuple[InterestPeriod, ...] = ()

    @property
    def interest(self):
        return sum((period.amount for period in self.periods), ZERO)


@dataclass(frozen=True)
class InvoiceLedger:
    id: int
    instalments: tuple[InstalmentLedger, ...] = ()
    interest_invoiced: Decimal = ZERO
    invoiced_to: date | None = None
    indemnity_owed: Decimal = ZERO
    indemnity_invoiced: Decimal = ZERO
    notices: tuple[Notice, ...] = ()

    @property
    def principal(self):
        return sum((instalment.principal for instalment in self.instalments), ZERO)

    @property
    def interest_owed(self):
        """Late interest accrued since the due dates, invoiced or not."""
        return sum((instalment.interest for instalment in self.instalments), ZERO)

    @property
    def interest(self):
        """Late interest still to invoice."""
        return max(self.interest_owed - self.interest_invoiced, ZERO)

    @property
    def indemnity(self):
        """Recovery indemnity still to invoice."""
        return max(self.indemnity_owed - self.indemnity_invoiced, ZERO)

    @property
    def total(self):
        return self.interest + self.indemnity

    @property
    def open_periods(self):
        """``[(instalment, period)]`` not invoiced yet: after the last day a penalty invoice covered."""
        return [
            (instalment, period)
            for instalment in self.instalments
            for period in instalment.periods
            if self.invoiced_to is None or period.date_from > self.invoiced_to
        ]

    @property
    def adjustment(self):
        """What is left beyond the open periods (positive) or short of them (negative)."""
        return self.interest - sum((period.amount for _instalment, period in self.open_periods), ZERO)


@dataclass
class Penalties:
    by_invoice: dict = field(default_factory=dict)
    notices: tuple = ()

    @property
    def interest(self):
        return sum((ledger.interest for ledger in self.by_invoice.values()), ZERO)

    @property
    def indemnity(self):
        return sum((ledger.indemnity for ledger in self.by_invoice.values()), ZERO)


def penalties(invoices, to_date: date, *, table: RateTable, terms: Terms | None = None) -> Penalties:
    """The ledger of each invoice of one debtor at ``to_date``, and the notices of them all."""
    terms = terms or Terms()
    by_invoice, notices = {}, []
    for invoice in invoices:
        ledger = invoice_ledger(invoice, to_date, table=table, terms=terms)
        by_invoice[invoice.id] = ledger
        notices += [notice for notice in ledger.notices if notice not in notices]
    return Penalties(by_invoice, tuple(notices))


def invoice_ledger(invoice: DueInvoice, to_date: date, *, table: RateTable, terms: Terms) -> InvoiceLedger:
    """What ``invoice`` owes for lateness at ``to_date``, what was invoiced of it, what is left."""
    if invoice.is_penalty_invoice:
        return InvoiceLedger(invoice.id)
    charged_interest = [c for c in invoice.charged if c.kind == INTEREST]
    invoiced_days = sorted({c.date_to for c in charged_interest if c.date_to})
    invoiced_to = invoiced_days[-1] if invoiced_days else None
    instalments, notices, late = [], [], False
    for instalment in invoice.instalments:
        principal = max(to_decimal(instalment.principal, "principal"), ZERO)
        payments = _clamped(instalment.payments, principal, to_date)
        result = late_interest(
            principal,
            instalment.due_date,
            to_date,
            table=table,
            debtor=terms.debtor,
            contractual_rate=terms.contractual_rate if terms.debtor == PROFESSIONAL else None,
            payments=payments,
            creditor_is_private=terms.creditor_is_private,
            formal_notice_date=invoice.formal_notice_date,
            cuts=invoiced_days,
        )
        instalments.append(InstalmentLedger(instalment.id, instalment.due_date, principal, result.periods))
        notices += [notice for notice in result.notices if notice not in notices]
        late = late or recovery_indemnity(terms.debtor, principal, instalment.due_date, to_date, payments) > 0
    return InvoiceLedger(
        invoice.id,
        tuple(instalments),
        sum((c.amount for c in charged_interest), ZERO),
        invoiced_to,
        RECOVERY_INDEMNITY if late else ZERO,
        sum((c.amount for c in invoice.charged if c.kind == INDEMNITY), ZERO),
        tuple(notices),
    )


def _clamped(payments, principal, to_date):
    """The payments made by ``to_date``, oldest first, positive and never above the principal."""
    left, kept = principal, []
    for day, amount in sorted((day, to_decimal(amount, "payment amount")) for day, amount in payments):
        if day > to_date or amount <= 0 or left <= 0:
            continue
        amount = min(amount, left)
        kept.append((day, amount))
        left -= amount
    return tuple(kept)
