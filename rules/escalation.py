"""Which dunning step is due, per invoice and per customer.

Plain Python, no Odoo: the escalation run reads invoices in batches, hands them here, and
writes back what this module decides.

Vocabulary
    step       one action of a scenario, at ``offset_days`` from the due date (negative:
               before it). Steps are ordered by offset.
    level      how many steps an invoice has gone through (0: none yet).
    pre-due    steps with a negative offset (the satisfaction check). They are only useful
               before the due date: once the invoice is due, a pre-due step that was not done
               is skipped, never sent late.

Rules
    * An invoice advances at most one step per run, so a missed run never skips a level.
    * One communication per customer and per run for its overdue invoices, at the level of
      its most advanced invoice, listing all of its overdue invoices, net of its unreconciled
      credits (credit notes, payments). Pre-due checks of not-yet-due invoices form their own
      communication: a satisfaction check is not a reminder.
    * A communication whose net amount is below its step's minimum waits: no invoice of it
      advances, it is decided again at the next run.
    * An invoice that cannot be chased (disputed, promised, excluded...) is neither advanced
      nor listed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

OVERDUE = "overdue"
PRE_DUE = "pre_due"


@dataclass(frozen=True)
class Step:
    id: int
    offset_days: int
    channel: str
    min_amount: float = 0.0

    @property
    def is_pre_due(self):
        return self.offset_days < 0


@dataclass(frozen=True)
class OpenInvoice:
    """An open customer invoice as the run sees it; amounts in company currency."""

    id: int
    partner_id: int
    due_date: date
    residual: float
    level: int = 0
    chaseable: bool = True


@dataclass
class Communication:
    """What one customer receives in one run."""

    partner_id: int
    kind: str
    step: Step
    level: int
    advancing: dict = field(default_factory=dict)
    listed_ids: list = field(default_factory=list)
    total_due: float = 0.0
    credit: float = 0.0

    @property
    def net_due(self):
        return round(self.total_due - self.credit, 2)


def _ordered(steps):
    return sorted(steps, key=lambda s: s.offset_days)


def next_step(invoice, steps, today):
    """Return ``(new_level, step)`` due for ``invoice`` today, or ``None``.

    Pre-due steps whose moment has passed (the invoice is already due) are skipped.
    """
    return _next_step(invoice, _ordered(steps), today)


def _next_step(invoice, steps, today):
    """:func:`next_step` on steps already ordered by offset (the run's hot path)."""
    level = invoice.level
    while level < len(steps):
        step = steps[level]
        if step.is_pre_due and today >= invoice.due_date:
            level += 1
            continue
        if invoice.due_date + timedelta(days=step.offset_days) <= today:
            return level + 1, step
        return None
    return None


def next_action_date(due_date, steps, level, last_action=None):
    """The first day the invoice at ``level`` may take its next step, or ``None``.

    Never the day of ``last_action`` itself: a second run the same day does nothing.
    """
    steps = _ordered(steps)
    if level >= len(steps):
        return None
    planned = due_date + timedelta(days=steps[level].offset_days)
    if last_action is not None:
        planned = max(planned, last_action + timedelta(days=1))
    return planned


def plan_run(invoices, steps, credits, today):
    """Decide the communications of one run.

    :param invoices: the open invoices of the customers of the batch (all of them, not only
        those whose next action date has come: they are listed in the communications)
    :param steps: the scenario's steps (any order)
    :param credits: ``{partner_id: unreconciled credit, positive}``
    :return: list of :class:`Communication`, ordered by partner then kind
    """
    by_partner = defaultdict(list)
    for invoice in invoices:
        if invoice.chaseable and invoice.residual > 0:
            by_partner[invoice.partner_id].append(invoice)
    ordered_steps = _ordered(steps)
    plans = []
    for partner_id in sorted(by_partner):
        partner_invoices = by_partner[partner_id]
        groups = {OVERDUE: [], PRE_DUE: []}
        for invoice in partner_invoices:
            decision = _next_step(invoice, ordered_steps, today)
            if decision:
                new_level, step = decision
                groups[PRE_DUE if step.is_pre_due else OVERDUE].append((invoice, new_level, step))
        for kind, advancing in groups.items():
            if not advancing:
                continue
            comm = _communication(partner_id, kind, advancing, partner_invoices, credits, today)
            if comm.net_due > 0 and comm.net_due >= comm.step.min_amount:
                plans.append(comm)
    return plans


def _communication(partner_id, kind, advancing, partner_invoices, credits, today):
    level, step = max(((lvl, stp) for _inv, lvl, stp in advancing), key=lambda pair: pair[0])
    if kind == OVERDUE:
        listed = [inv for inv in partner_invoices if inv.due_date < today]
        listed_ids = {inv.id for inv in listed}
        listed += [inv for inv, _lvl, _stp in advancing if inv.id not in listed_ids]
        credit = credits.get(partner_id, 0.0)
    else:
        listed = [inv for inv, _lvl, _stp in advancing]
        credit = 0.0
    listed.sort(key=lambda inv: (inv.due_date, inv.id))
    return Communication(
        partner_id=partner_id,
        kind=kind,
        step=step,
        level=level,
        advancing={inv.id: lvl for inv, lvl, _stp in advancing},
        listed_ids=[inv.id for inv in listed],
        total_due=round(sum(inv.residual for inv in listed), 2),
        credit=round(credit, 2),
    )
