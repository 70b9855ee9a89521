"""The calendar of collection: days past a due date, months ahead, weeks from Monday.

Every rule and adapter counts days late here, so that an invoice is as late on a letter as on
the worklist, the case and the customer's page.
"""

import calendar
from datetime import date, timedelta


def days_past(due, on):
    """Days from ``due`` to ``on``: positive once past due, zero or negative before."""
    return (on - due).days


def days_late(due, on):
    """Days late on ``on`` of an item due on ``due``: never negative; 0 without a due date."""
    return max(days_past(due, on), 0) if due else 0


def add_months(day, months):
    """``day`` moved by ``months`` calendar months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def week_start(day):
    """Monday of the week of ``day``."""
    return day - timedelta(days=day.weekday())


def week_index(day, today):
    """Weeks from the week of ``today`` to the week of ``day`` (0: the same week)."""
    return (week_start(day) - week_start(today)).days // 7
