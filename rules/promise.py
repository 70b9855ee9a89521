"""Promises to pay: how long they pause the dunning, when they are kept or broken.

Plain Python, no Odoo: the promise model and the escalation run hand figures here.

Vocabulary
    promise    a customer's commitment, made on a call, to pay ``amount`` by ``promised_date``
               for one or several invoices. Amounts are in company currency.
    grace      days after the promised date the payment may take to show in the books
               (bank delays, cheque clearing): the scenario's ``promise_grace_days``.
    baseline   what the promise's invoices still owed, in total, when it was made.

Rules
    * A running promise pauses the dunning of all its invoices up to and including the
      promised date plus the grace period; the day after, the dunning resumes where it
      stopped (no step was taken during the pause, none is skipped after it).
    * A promise is kept as soon as every one of its invoices is paid (or in payment), or
      as soon as the amount received against its invoices since it was made (the drop of
      their total amount due: payments, and credit notes reconciled with them) reaches the
      promised amount. A partial payment leaves it running. Once kept, the invoices that
      still owe something are chased again from where they stopped.
    * A promise not kept by the end of its pause is broken: the run records it and its next
      communication says so. A broken promise stays broken even if the payment comes later.
    * A promise the customer proposed on its page beyond the company's limits
      (``rules.portal``) is *proposed*: it pauses nothing until a credit controller accepts
      it (it then runs, or is kept if paid meanwhile); a refused one stays *refused*.
"""

from datetime import timedelta

#: Amounts closer than this are equal (company currency, two decimals).
TOLERANCE = 0.005
#: A promise further ahead than this is not a promise to pay: the dunning would stop for good.
MAX_PROMISE_DAYS = 365

RUNNING = "running"
KEPT = "kept"
BROKEN = "broken"
PROPOSED = "proposed"
REFUSED = "refused"

#: Whether a credit controller accepted a promise (one made by phone needs nobody's).
ACCEPTED = "accepted"
TO_ACCEPT = "to_accept"


def pause_end(promised_date, grace_days):
    """Last day on which a running promise pauses the dunning."""
    return promised_date + timedelta(days=max(grace_days, 0))


def is_paused(promised_date, grace_days, today):
    """True while a promise made for ``promised_date`` keeps the dunning on hold."""
    return bool(promised_date) and today <= pause_end(promised_date, grace_days)



def amount_received(baseline, residuals_now):
    """What the promise's invoices received since it was made (never negative).

    :param baseline: their total amount due when the promise was made
    :param residuals_now: iterable of their amounts due today
    """
    return max(round(baseline - sum(residuals_now), 2), 0.0)


def promise_state(amount, received, all_paid, broken=False, acceptance=ACCEPTED):
    """``running``, ``kept``, ``broken``, ``proposed`` or ``refused``, from the figures of today.

    :param amount: the promised amount
    :param received: :func:`amount_received`
    :param all_paid: every invoice of the promise is paid or in payment
    :param broken: the run already found it broken (final)
    :param acceptance: ``accepted``, ``to_accept`` (proposed on the page beyond the limits)
        or ``refused`` by a credit controller
    """
    if acceptance == TO_ACCEPT:
        return PROPOSED
    if acceptance == REFUSED:
        return REFUSED
    if broken:
        return BROKEN
    if all_paid or received >= amount - TOLERANCE:
        return KEPT
    return RUNNING


def is_broken(promised_date, grace_days, today, state=RUNNING):
    """True when a still running promise is over its pause: the run records it broken."""
    return state == RUNNING and today > pause_end(promised_date, grace_days)




def check_promise(promised_date, amount, today, total_due):
    """The problems of a promise about to be recorded, as ``(code, value)`` pairs.

    Codes: ``date_past`` (before today), ``date_too_far`` (more than ``MAX_PROMISE_DAYS``
    ahead; the value is the last day allowed), ``amount_not_positive``, ``amount_exceeds``
    (more than its invoices owe), ``no_invoice`` (``total_due`` is None).
    """
    problems = []
    if total_due is None:
        problems.append(("no_invoice", None))
    if not promised_date or promised_date < today:
        problems.append(("date_past", promised_date))
    elif (promised_date - today).days > MAX_PROMISE_DAYS:
        problems.append(("date_too_far", today + timedelta(days=MAX_PROMISE_DAYS)))
    if amount <= 0:
        problems.append(("amount_not_positive", amount))
    elif total_due is not None and amount > total_due + TOLERANCE:
        problems.append(("amount_exceeds", total_due))
    return problems
