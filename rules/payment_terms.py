"""Legal maximum payment terms between professionals (Code de commerce L441-10 I).

The agreed term may not exceed 60 days from the invoice date, or 45 days end of month. The
administration accepts both readings of "45 days end of month": the end of the month in
which the invoice date plus 45 days falls, or 45 days after the end of the invoice's month.
An invoice complies when its due date is no later than the most generous of these limits.
"""

import calendar
from datetime import timedelta

NET_DAYS = 60
END_OF_MONTH_DAYS = 45


def end_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def latest_legal_due_date(invoice_date):
    """The latest due date the law allows for an invoice dated ``invoice_date``."""
    return max(
        invoice_date + timedelta(days=NET_DAYS),
        end_of_month(invoice_date + timedelta(days=END_OF_MONTH_DAYS)),
        end_of_month(invoice_date) + timedelta(days=END_OF_MONTH_DAYS),
    )


def exceeds_legal_term(invoice_date, due_date):
    """True when ``due_date`` is later than the law allows (a warning, not a block)."""
    if not invoice_date or not due_date:
        return False
    return due_date > latest_legal_due_date(invoice_date)
