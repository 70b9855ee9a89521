"""The arithmetic of the collection analytics, in plain Python (no Odoo import).

The SQL of the Odoo models computes the same figures set-based; the Odoo tests check that
both agree on a hand-made ledger. Dates are ``datetime.date``; amounts are in company
currency.
"""

from collections import defaultdict
from datetime import date, timedelta

from .dates import add_months, days_past

#: Age buckets of the aged balance: (key, label, last day of the bucket). The keys sort in
#: display order, so that a report grouped by bucket lists them in that order.
BUCKETS = (
    ("0_not_due", "Not Due", 0),
    ("1_30", "1-30", 30),
    ("31_60", "31-60", 60),
    ("61_90", "61-90", 90),
    ("91_over", "Over 90", None),
)

#: Payer classes: (class, highest weighted average of days late), best first.
PAYER_CLASSES = (("A", 30), ("B", 60), ("C", 90), ("D", None))


# ---------------------------------------------------------------------- aged balance




def age_bucket(due, at):
    """Key of the aged-balance bucket of an item due on ``due``, seen on ``at``."""
    days = days_past(due, at)
    for key, _label, last_day in BUCKETS:
        if last_day is None or days <= last_day:
            return key
    raise AssertionError("unreachable: the last bucket is open-ended")


def open_amount_at(balance, partials, at):
    """Open amount on ``at`` of a receivable line of ``balance`` (debit positive).

    ``partials`` are the line's partial reconciliations as ``(max_date, side, amount)``:
    ``side`` is ``"debit"`` when the line is the debit side of the partial (an invoice paid),
    ``"credit"`` when it is the credit side (a payment applied); ``amount`` is positive.
    Only partials with ``max_date <= at`` count: later payments did not exist yet.
    """
    open_amount = balance
    for max_date, side, amount in partials:
        if max_date <= at:
            open_amount += -amount if side == "debit" else amount
    return open_amount


# ---------------------------------------------------------------------- payer profile




def weighted_days_late(items):
    """Average days late of ``items`` ``(amount, days_late)``, weighted by amount.

    None when there is nothing to weigh.
    """
    total = sum(amount for amount, _days in items)
    if not total:
        return None
    return sum(amount * days for amount, days in items) / total


def on_time_ratio(items):
    """Share (0..1) of ``items`` ``(amount, days_late)`` with no day late; None if empty."""
    items = list(items)
    if not items:
        return None
    return sum(1 for _amount, days in items if days <= 0) / len(items)


def payer_class(average_days_late):
    """A (at most 30 days late on average), B (60), C (90), D (more); None without history."""
    if average_days_late is None:
        return None
    for klass, limit in PAYER_CLASSES:
        if limit is None or average_days_late <= limit:
            return klass
    raise AssertionError("unreachable: the last class is open-ended")


def window_start(today, months):
    """First day of the rolling window of ``months`` months that ends on ``today``."""
    return add_months(today, -months) + timedelta(days=1)


# ---------------------------------------------------------------------- DSO




def countback_periods(date_from, date_to):
    """Monthly periods ``(start, end)`` counted back from ``date_to``, newest first.

    Each period ends a calendar month after the previous one; the oldest is cut at
    ``date_from``. Both bounds are included.
    """
    periods = []
    end = date_to
    months = 1
    while end >= date_from:
        start = max(add_months(date_to, -months) + timedelta(days=1), date_from)
        periods.append((start, end))
        end = start - timedelta(days=1)
        months += 1
    return periods


def dso_countback(receivable, periods):
    """Days Sales Outstanding by the countback method.

    ``receivable`` is the amount owed on the last day; ``periods`` are ``(days, sales)``
    newest first. Whole periods are counted while the receivable covers their sales, then
    the fraction of the period its remainder covers. When the periods run out first, the
    DSO is the length of all of them (a lower bound).
    """
    if receivable <= 0:
        return 0.0
    remaining = receivable
    days = 0.0
    for length, sales in periods:
        if sales <= 0 or remaining >= sales:
            days += length
            remaining -= max(sales, 0)
            if remaining <= 0:
                break
        else:
            days += length * remaining / sales
            break
    return days


# ---------------------------------------------------------------------- credits


def net_open_amounts(items):
    """Open amount of each item once its customer's credits are applied, oldest due first.

    ``items``: ``(key, partner, due, amount)``, ``amount`` > 0 owed, < 0 a credit (a credit
    note, a payment not matched yet). A customer's credits cover its debts oldest due date
    first (then by key) and are used oldest first: ``{key: net amount}``, a debt keeping what
    the credits leave of it, a credit what the debts leave of it (negative). Customer by
    customer, the net amounts add up to the amounts.
    """
    by_partner = defaultdict(list)
    for key, partner, due, amount in items:
        by_partner[partner].append((due, key, amount))
    net = {}
    for rows in by_partner.values():
        rows.sort()
        debits = [(key, amount) for _due, key, amount in rows if amount > 0]
        credits = [(key, -amount) for _due, key, amount in rows if amount <= 0]
        used = min(sum(amount for _key, amount in debits), sum(amount for _key, amount in credits))
        for sign, side in ((1, debits), (-1, credits)):
            left = used
            for key, amount in side:
                take = min(amount, left)
                net[key] = sign * (amount - take)
                left -= take
    return net


# ---------------------------------------------------------------------- rates


def half_year_start(day):
    """1 January or 1 July: the first day of the half-year of ``day`` (rates are published so)."""
    return date(day.year, 1 if day.month < 7 else 7, 1)
