"""What the run records once a communication went out, written apart from ``rules.escalation``.

The tests play customers' lives with it: an independent account of the run's writes (the
invoices take the step, the customer's last dates move), so that a mistake in the rules'
own bookkeeping cannot hide in the test.
"""

from dataclasses import replace

from rules.escalation import OVERDUE


def apply(cust, comm, today):
    """The customer once ``comm`` went out ``today``."""
    invoices = tuple(
        replace(inv, rank=comm.advancing[inv.id], taken=inv.taken | {comm.step.id})
        if inv.id in comm.advancing
        else inv
        for inv in cust.invoices
    )
    return replace(
        cust,
        invoices=invoices,
        last_date=today,
        last_overdue_date=today if comm.origin == OVERDUE else cust.last_overdue_date,
    )
