"""What happens to a queued letter when someone presses Print.

Plain Python, no Odoo. A letter says what was true when it is printed, not when it was queued:

    * a letter already printed is printed again as it was (its stored PDF), never re-rendered;
    * a letter whose customer received a later communication since is not printed: the later
      one supersedes it;
    * a letter whose invoices were all paid (or credited) since is not printed;
    * otherwise it is printed with the figures and the date of the print;
    * anything else (awaiting approval, failed, cancelled) cannot be printed.
"""

PRINT = "print"
REPRINT = "reprint"
PAID = "paid"
SUPERSEDED = "superseded"
NOT_PRINTABLE = "not_printable"


def print_decision(state, printed, owes, superseded):
    """One of the codes above for a letter.

    :param state: the event's state (``to_print``, ``done``...)
    :param printed: its PDF is stored
    :param owes: one of its instalments is still owed
    :param superseded: the customer received a later communication
    """
    if state == "done" and printed:
        return REPRINT
    if state != "to_print":
        return NOT_PRINTABLE
    if superseded:
        return SUPERSEDED
    if not owes:
        return PAID
    return PRINT
