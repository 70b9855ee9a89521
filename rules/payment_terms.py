"""Legal maximum payment terms (Code de commerce L441-10 I; Code de la commande publique R2192-10).

Between professionals, the agreed term may not exceed 60 days from the invoice date, or 45
days end of month. The administration accepts both readings of "45 days end of month": the
end of the month in which the invoice date plus 45 days falls, or 45 days after the end of
the invoice's month. An invoice complies when its due date is no later than the most
generous of these limits.

A public body (the State, local authorities and their public establishments) pays within 30
days (R2192-10; 50 days for public health establishments, 60 for some public companies: set
those customers' terms by hand), counted here from the invoice date.
"""

import calendar
from datetime import timedelta

NET_DAYS = 60
END_OF_MONTH_DAYS = 45
PUBLIC_DAYS = 30


def end_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def latest_legal_due_date(invoice_date, public=False):
    """The latest due date the law allows for an invoice dated ``invoice_date``."""
    if public:
        return invoice_date + timedelta(days=PUBLIC_DAYS)
    return max(
        invoice_date + timedelta(days=NET_DAYS),
        end_of_month(invoice_date + timedelta(days=END_OF_MONTH_DAYS)),
        end_of_month(invoice_date) + timedelta(days=END_OF_MONTH_DAYS),
    )


def exceeds_legal_term(invoice_date, due_date, public=False):
    """True when ``due_date`` is later than the law allows (a warning, not a block)."""
    if not invoice_date or not due_date:
        return False
    return due_date > latest_legal_due_date(invoice_date, public)
