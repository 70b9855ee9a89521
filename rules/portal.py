"""The customer's page: who may open it, what a customer may do there, and how much.

Plain Python, no Odoo: the portal controller and the customer model hand figures here.

Vocabulary
    token      the secret of a customer's signed link, one per customer (commercial entity).
    expiry     last day the token opens the page. Each communication that carries the link
               moves it to that day plus the company's number of days; a token past its
               expiry, or revoked, opens nothing and the next communication carries a new one.
    limits     what a promise made on the page may be without a credit controller looking
               at it: at most ``max_days`` ahead, at least ``min_percent`` of what its
               invoices owe. Outside them it waits for the controller's acceptance.

Rules
    * A token opens the page on its expiry day, not the day after.
    * A customer does at most ``daily_limit`` things on its page a day (promises, disputes,
      messages, payments started); reading and downloading are not counted.
    * A dispute carries at most ``max_files`` attachments, each at most ``max_bytes`` and of
      one of the allowed types (read from the content, not from the name the browser sent).
"""

from datetime import timedelta

VALID = "valid"
EXPIRED = "expired"
MISSING = "missing"

#: What a promise from the page may be without a controller's acceptance.
TOO_FAR = "too_far"
TOO_SMALL = "too_small"

#: Why attachments are refused.
TOO_MANY_FILES = "too_many_files"
FILE_TOO_LARGE = "file_too_large"
FILE_TYPE_REFUSED = "file_type_refused"
FILE_EMPTY = "file_empty"

#: Tolerance on amounts (company currency, two decimals).
TOLERANCE = 0.005


def token_state(token, expiry, today):
    """``valid``, ``expired`` or ``missing``: may this customer's token open its page today?"""
    if not token:
        return MISSING
    if not expiry or today > expiry:
        return EXPIRED
    return VALID


def extended_expiry(current_expiry, today, days):
    """The expiry of a token that a communication of ``today`` carries: never earlier than it was."""
    wanted = today + timedelta(days=max(days, 1))
    return max(current_expiry, wanted) if current_expiry else wanted


def promise_limit_problems(promised_date, amount, today, total_due, max_days, min_percent):
    """Why a promise from the page needs the controller's acceptance, as ``(code, value)`` pairs.

    ``too_far``: promised later than ``today + max_days`` (value: the last day accepted at
    once); ``too_small``: less than ``min_percent`` % of ``total_due`` (value: the least
    amount accepted at once). An empty list: the promise runs at once.
    """
    problems = []
    last_day = today + timedelta(days=max(max_days, 0))
    if promised_date > last_day:
        problems.append((TOO_FAR, last_day))
    least = round(total_due * max(min(min_percent, 100.0), 0.0) / 100.0, 2)
    if amount < least - TOLERANCE:
        problems.append((TOO_SMALL, least))
    return problems


def actions_left(done_today, daily_limit):
    """How many more things the customer may do on its page today (never negative)."""
    return max(daily_limit - done_today, 0)


def attachment_problems(files, max_files, max_bytes, allowed_mimetypes):
    """Why the attachments of a dispute are refused, as ``(code, value)`` pairs.

    ``files``: ``(name, size in bytes, mimetype read from the content)`` of each file.
    """
    problems = []
    if len(files) > max_files:
        problems.append((TOO_MANY_FILES, max_files))
    for name, size, mimetype in files:
        if not size:
            problems.append((FILE_EMPTY, name))
        elif size > max_bytes:
            problems.append((FILE_TOO_LARGE, name))
        elif mimetype not in allowed_mimetypes:
            problems.append((FILE_TYPE_REFUSED, name))
    return problems
