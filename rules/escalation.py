"""The dunning decision: what each customer receives today, by which channel, and when next.

Plain Python, no Odoo. The escalation run (and its preview, and every rescheduling after a
payment, a dispute or a new invoice) hands a :class:`Customer` here and acts on the
:class:`Review` it gets back: the preview and the run call the same :func:`review`.

How a customer is chased (the cadence, in a credit controller's words)
    * A customer receives at most one communication a day, whatever runs and processes there
      are (the database refuses a second one).
    * Its reminders climb the scenario one step at a time. The first reminder of a cycle goes
      out when its oldest unpaid instalment is as late as the first reminder step says (D+1).
      Each following one goes out once two things are true: the scenario's gap between the
      previous step and this one has passed since the previous reminder went out (the D+10
      call comes 9 days after the D+1 email went out), and an unpaid instalment is as late as
      the step says. After any pause (a dispute, a promise, a payment plan, a run stopped for
      a week, the first install on a backlog) the dunning resumes at the next step, and the
      steps after it are spaced as the scenario spaces them: never a firm letter, a formal
      notice and a case on three consecutive days.
    * Firmness never goes down while the customer still owes an invoice it was chased for: a
      newly overdue invoice joins the customer's current level (no "oversight" email after a
      firm letter, no plain call after a formal notice). The cycle ends when every invoice its
      reminders named is paid or credited; the next overdue invoice starts again from the
      first reminder. At the end of the scenario, an invoice that did not have the last step
      gets it when it is as late as that step says.
    * A communication lists every overdue instalment the customer may be chased for, net of
      its unreconciled credits (credit notes, payments). Each invoice listed is recorded at the
      step actually sent; one that already had that step in this cycle (the scenario's steps
      were reordered) is listed without taking it twice.
    * A satisfaction check (a step before the due date) goes only to a customer who owes
      nothing overdue; once an invoice is due, its checks are skipped, never sent late.
    * Not chased: disputed invoices, invoices under a running promise (until the promised
      date plus the grace period), in a case whose stage freezes the dunning (payment plan,
      agency, factor, court), marked "never remind", penalty invoices, and every invoice of an
      excluded customer. A customer with a step awaiting a manager's approval gets nothing
      else until that step is approved (it goes out then) or refused.
    * A communication below its step's minimum amount, or covered by the customer's credits,
      waits and is looked at again the next day.
    * An email goes only to an address that works: with no address, a blacklisted one, or one
      whose last mail bounced or failed, a letter goes instead and the event says why. A
      satisfaction check is an email when its step has a template and the address works,
      otherwise a call.
    * An SMS goes only to a valid mobile number (not blacklisted, its last SMS not failed, SMS
      turned on for the company); otherwise the email goes instead when the address works,
      else a letter, and the event says why.

Amounts are in company currency; instalments are the invoices' open receivable lines, each
with its own due date (an invoice paid 30 % / 70 % is late from its first instalment).
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

OVERDUE = "overdue"
PRE_DUE = "pre_due"

# Why an invoice is not chased (``Invoice.hold``).
HOLD_DISPUTE = "dispute"
HOLD_PROMISE = "promise"
HOLD_CASE = "case"
HOLD_NEVER = "never_remind"
HOLD_PENALTY = "penalty_invoice"

# What is known of the customer's email address (``Customer.email``).
EMAIL_OK = "ok"
EMAIL_MISSING = "missing"
EMAIL_BLACKLISTED = "blacklisted"
EMAIL_BOUNCED = "bounced"
EMAIL_FAILED = "failed"

# What is known of the customer's mobile number (``Customer.sms``).
SMS_OK = "ok"
SMS_NO_MOBILE = "no_mobile"
SMS_BLACKLISTED = "blacklisted"
SMS_FAILED = "failed"
SMS_DISABLED = "disabled"

# Why nothing goes out today (``Review.waiting``).
WAIT_APPROVAL = "awaiting_approval"
WAIT_SENT_TODAY = "sent_today"
WAIT_MINIMUM = "below_minimum"
WAIT_COVERED = "covered_by_credits"
WAIT_NOT_YET = "not_yet"
WAIT_EXCLUDED = "excluded"
WAIT_NOTHING = "nothing_to_chase"

LETTER_CHANNELS = ("letter", "registered_letter")

# State of an event once its communication is dispatched.
STATE_TO_APPROVE = "to_approve"
STATE_TO_PRINT = "to_print"
STATE_DONE = "done"


@dataclass(frozen=True)
class Step:
    id: int
    offset_days: int
    channel: str
    min_amount: float = 0.0
    letter_type: str | None = None
    needs_approval: bool = False
    has_template: bool = False
    assignee: str = "controller"

    @property
    def is_pre_due(self):
        return self.offset_days < 0


@dataclass(frozen=True)
class Instalment:
    """An open receivable line of an invoice: what is still owed, and by when."""

    id: int
    due_date: date
    residual: float


@dataclass(frozen=True)
class Invoice:
    """An open customer invoice as the run sees it.

    ``rank``: position in the scenario of the last step it took (0: none yet).
    ``taken``: ids of the steps it took in its current dunning cycle.
    ``hold``: why it is not chased (a ``HOLD_*`` code), ``None`` when it is.
    ``hold_until``: for a promise, the last day of the pause.
    ``residual``, ``first_due``: what its instalments still owe, the first of their due dates
    (derived, read on every decision).
    """

    id: int
    instalments: tuple
    rank: int = 0
    taken: frozenset = frozenset()
    hold: str | None = None
    hold_until: date | None = None
    salesperson_id: int | None = None
    residual: float = field(init=False, repr=False, compare=False)
    first_due: date = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "residual", round(sum(i.residual for i in self.instalments), 2))
        object.__setattr__(self, "first_due", min(i.due_date for i in self.instalments))

    def after_step(self, step_id, rank):
        """The invoice once it took ``step_id``, at ``rank``: a copy, its totals kept (the
        decision makes one per invoice chased, ``dataclasses.replace`` would recompute them)."""
        advanced = object.__new__(Invoice)
        advanced.__dict__.update(self.__dict__, rank=rank, taken=self.taken | {step_id})
        return advanced

    def held_on(self, day):
        if self.hold == HOLD_PROMISE:
            return self.hold_until is not None and day <= self.hold_until
        return self.hold is not None


@dataclass(frozen=True)
class Customer:
    """A customer (commercial entity) of one company, with what the decision needs.

    ``last_date``: day of its last automatic communication that did not fail (any kind);
    ``last_overdue_date``: day its last reminder went out; ``credit``: unreconciled credits,
    positive. ``email``, ``sms``: whether an email, an SMS can reach it (``EMAIL_*``,
    ``SMS_*`` codes). ``controller_id``: its credit controller, else the company's, else a
    Collection Manager (who receives tasks and cases).
    """

    id: int
    invoices: tuple
    credit: float = 0.0
    last_date: date | None = None
    last_overdue_date: date | None = None
    email: str = EMAIL_OK
    sms: str = SMS_OK
    excluded: bool = False
    pending_approval: bool = False
    controller_id: int | None = None


@dataclass
class Communication:
    """What one customer receives today."""

    partner_id: int
    origin: str
    step: Step
    level: int
    channel: str
    letter_type: str | None
    fallback: str | None
    state: str
    assignee_id: int | None
    listed: list = field(default_factory=list)
    advancing: dict = field(default_factory=dict)
    total_due: float = 0.0
    credit: float = 0.0
    sms_fallback: str | None = None

    @property
    def net_due(self):
        return round(self.total_due - self.credit, 2)

    @property
    def listed_invoice_ids(self):
        """The invoices listed, in the order of their first listed instalment."""
        return list(dict.fromkeys(invoice_id for invoice_id, _instalment in self.listed))


@dataclass
class Review:
    """The decision for one customer: a communication or why not, and the next dates."""

    partner_id: int
    communication: Communication | None = None
    waiting: str | None = None
    next_dates: dict = field(default_factory=dict)


def ordered(steps):
    return sorted(steps, key=lambda s: s.offset_days)


def rank_of(steps, offset_days):
    """Rank in ``steps`` (ordered) of a step at ``offset_days``: how many steps are not later.

    Also right for a step of another scenario (the customer changed scenario).
    """
    if offset_days is None:
        return 0
    return sum(1 for step in steps if step.offset_days <= offset_days)


def review(customer, steps, today, acting=True):
    """Decide what ``customer`` receives ``today``, and the next day to look at it again.

    :param steps: the customer's scenario steps, ordered by offset (:func:`ordered`)
    :param acting: the run acts on the decision: the next dates are those after today's
        communication, from tomorrow on. Without (a rescheduling after a new invoice, a
        resolved dispute...), the next date is the first day something is due, maybe already
        past: the next run sends it.
    :return: :class:`Review`; ``next_dates`` gives each invoice its next action date (``None``:
        nothing will happen until something changes, such as a dispute resolved)
    """
    result = Review(customer.id)
    if not _open(customer) or not steps:
        result.waiting = WAIT_NOTHING
    elif customer.excluded:
        result.waiting = WAIT_EXCLUDED
    elif customer.pending_approval:
        result.waiting = WAIT_APPROVAL
    elif customer.last_date is not None and customer.last_date >= today:
        result.waiting = WAIT_SENT_TODAY
    else:
        result.communication, result.waiting = _today(customer, steps, today)
    if result.waiting in (WAIT_NOTHING, WAIT_EXCLUDED, WAIT_APPROVAL):
        # frozen until something changes: approving or refusing the step, including the
        # customer again, a new invoice; each of those reschedules the customer
        result.next_dates = dict.fromkeys((inv.id for inv in customer.invoices), None)
        return result
    if acting:
        # as the customer will be once today's communication went out: nothing before tomorrow
        after, hold_day = _after(customer, result.communication, today), today + timedelta(days=1)
        earliest = hold_day
    else:
        # a rescheduling may be for an invoice dated in the past: the next date may be too
        after, hold_day = customer, today
        earliest = customer.last_date + timedelta(days=1) if customer.last_date else None
    chaseable = [inv for inv in _open(after) if not inv.held_on(hold_day)]
    result.next_dates = _next_dates(after.invoices, _next_day(after, chaseable, steps, earliest), hold_day)
    return result


def _open(customer):
    return [inv for inv in customer.invoices if inv.residual > 0]


def _today(customer, steps, today):
    """``(communication, waiting)`` for today."""
    open_invoices = _open(customer)
    chaseable = [inv for inv in open_invoices if not inv.held_on(today)]
    overdue_rank = _overdue_rank(open_invoices, steps)
    step_index = _next_overdue_index(chaseable, steps, overdue_rank)
    if step_index is not None and _due_on(customer, chaseable, steps, overdue_rank, step_index) <= today:
        comm = _overdue_communication(customer, chaseable, steps, step_index, today)
        return _unless_too_small(comm)
    owes_overdue = any(i.due_date < today for inv in open_invoices for i in inv.instalments)
    if not owes_overdue and not overdue_rank:
        comm = _pre_due_communication(customer, chaseable, steps, today)
        if comm:
            return _unless_too_small(comm)
    return None, WAIT_NOT_YET


def _unless_too_small(comm):
    if comm.net_due <= 0:
        return None, WAIT_COVERED
    if comm.net_due < comm.step.min_amount:
        return None, WAIT_MINIMUM
    return comm, None


def _overdue_rank(invoices, steps):
    """Rank of the firmest reminder step an open invoice of the customer had (0: none).

    A disputed invoice, or one marked "never remind", does not count: the customer is not
    being chased for it.
    """
    ranks = [
        min(inv.rank, len(steps))
        for inv in invoices
        if inv.rank and inv.hold not in (HOLD_DISPUTE, HOLD_NEVER)
    ]
    ranks = [rank for rank in ranks if not steps[rank - 1].is_pre_due]
    return max(ranks, default=0)


def _next_overdue_index(chaseable, steps, overdue_rank):
    """Index in ``steps`` of the customer's next reminder step, or ``None``.

    The first reminder step after its current rank that one of its chaseable invoices has
    not taken in its cycle; at the end of the scenario, the last step again for an invoice
    that did not have it.
    """
    if not chaseable:
        return None
    reminder_indexes = [index for index, step in enumerate(steps) if not step.is_pre_due]
    if not reminder_indexes:
        return None
    later = [index for index in reminder_indexes if index + 1 > overdue_rank] or reminder_indexes[-1:]
    for index in later:
        if any(steps[index].id not in inv.taken for inv in chaseable):
            return index
    return None


def _due_on(customer, chaseable, steps, overdue_rank, index):
    """First day the reminder at ``index`` may go: lateness reached and gap kept."""
    step = steps[index]
    waiting = [inv for inv in chaseable if step.id not in inv.taken]
    day = min(inv.first_due for inv in waiting) + timedelta(days=step.offset_days)
    if overdue_rank and customer.last_overdue_date is not None:
        gap = step.offset_days - steps[overdue_rank - 1].offset_days
        day = max(day, customer.last_overdue_date + timedelta(days=max(gap, 0)))
    return day


def _overdue_communication(customer, chaseable, steps, index, today):
    step = steps[index]
    listed = sorted(
        (
            (instalment, inv)
            for inv in chaseable
            for instalment in inv.instalments
            if instalment.due_date < today or instalment.due_date + timedelta(days=step.offset_days) <= today
        ),
        key=lambda pair: (pair[0].due_date, pair[1].id, pair[0].id),
    )
    listed_invoices = {inv.id: inv for _instalment, inv in listed}
    comm = _communication(customer, OVERDUE, steps, index, listed, customer.credit)
    comm.advancing = {inv.id: index + 1 for inv in listed_invoices.values() if step.id not in inv.taken}
    return comm


def _pre_due_communication(customer, chaseable, steps, today):
    """The satisfaction check of the invoices whose check day has come, before their due date."""
    due = []
    for inv in chaseable:
        if inv.first_due <= today:
            continue
        index = _pre_due_index(inv, steps)
        if index is not None and inv.first_due + timedelta(days=steps[index].offset_days) <= today:
            due.append((inv, index))
    if not due:
        return None
    index = max(index for _inv, index in due)
    listed = sorted(
        ((instalment, inv) for inv, _index in due for instalment in inv.instalments),
        key=lambda pair: (pair[0].due_date, pair[1].id, pair[0].id),
    )
    comm = _communication(customer, PRE_DUE, steps, index, listed, 0.0)
    comm.advancing = {inv.id: index + 1 for inv, _index in due if steps[index].id not in inv.taken}
    return comm


def _pre_due_index(invoice, steps):
    """Index of the invoice's next check step before its due date, or ``None``."""
    for index, step in enumerate(steps):
        if step.is_pre_due and index + 1 > invoice.rank and step.id not in invoice.taken:
            return index
    return None


def _communication(customer, origin, steps, index, listed, credit):
    step = steps[index]
    channel, letter_type, fallback, sms_fallback = channel_for(step, customer.email, customer.sms)
    return Communication(
        partner_id=customer.id,
        origin=origin,
        step=step,
        level=index + 1,
        channel=channel,
        letter_type=letter_type,
        fallback=fallback,
        sms_fallback=sms_fallback,
        state=state_after(step, channel),
        assignee_id=assignee(step, customer, [inv for _instalment, inv in listed]),
        listed=[(inv.id, instalment.id) for instalment, inv in listed],
        total_due=round(sum(instalment.residual for instalment, _inv in listed), 2),
        credit=round(credit, 2),
    )


def channel_for(step, email, sms=SMS_OK):
    """``(channel, letter_type, email_issue, sms_issue)``: the channel actually used and why
    it changed.

    ``email_issue`` is the ``EMAIL_*`` code of the address when an email became a letter (or
    a satisfaction email a call); ``sms_issue`` the ``SMS_*`` code of the number when an SMS
    became an email (or, without a working address either, a letter). ``None`` when the
    medium was used as the step says.
    """
    if step.channel == "sms":
        if sms == SMS_OK:
            return "sms", None, None, None
        if email == EMAIL_OK:
            return "email", None, None, sms
        return "letter", step.letter_type or "courteous", email, sms
    if step.channel == "email":
        if email == EMAIL_OK:
            return "email", None, None, None
        return "letter", step.letter_type or "courteous", email, None
    if step.channel == "satisfaction_check":
        fallback = email if step.has_template and email != EMAIL_OK else None
        return "satisfaction_check", None, fallback, None
    letter_type = step.letter_type if step.channel in LETTER_CHANNELS else None
    return step.channel, letter_type, None, None


def satisfaction_medium(step, email):
    """A satisfaction check is an email when its step has a template and the address works."""
    return "email" if step.has_template and email == EMAIL_OK else "phone"


def state_after(step, channel):
    """State of the event once dispatched: awaiting approval, to print, or done."""
    if step.needs_approval:
        return STATE_TO_APPROVE
    return STATE_TO_PRINT if channel in LETTER_CHANNELS else STATE_DONE


def assignee(step, customer, invoices):
    """Who receives the task: the salesperson of the oldest invoice when the step says so
    and there is one, else the customer's credit controller (or its fallback)."""
    if step.assignee == "salesperson":
        for inv in sorted(invoices, key=lambda i: (i.first_due, i.id)):
            if inv.salesperson_id:
                return inv.salesperson_id
    return customer.controller_id


def _after(customer, comm, today):
    """The customer as it will be once ``comm`` went out today."""
    if comm is None:
        return customer
    step = comm.step
    invoices = tuple(
        inv.after_step(step.id, comm.advancing[inv.id]) if inv.id in comm.advancing else inv
        for inv in customer.invoices
    )
    return replace(
        customer,
        invoices=invoices,
        last_date=today,
        last_overdue_date=today if comm.origin == OVERDUE else customer.last_overdue_date,
    )


def _next_day(customer, chaseable, steps, earliest):
    """First day (from ``earliest``, when given) on which a communication may become due,
    or ``None`` when none will. Assumes nothing changes meanwhile (no payment, no new
    invoice): those reschedule.
    """
    candidates = []
    open_invoices = _open(customer)
    overdue_rank = _overdue_rank(open_invoices, steps)
    index = _next_overdue_index(chaseable, steps, overdue_rank)
    if index is not None:
        candidates.append(_due_on(customer, chaseable, steps, overdue_rank, index))
    if not overdue_rank:
        for inv in chaseable:
            check = _pre_due_index(inv, steps)
            if check is not None and (earliest is None or earliest < inv.first_due):
                candidates.append(inv.first_due + timedelta(days=steps[check].offset_days))
    if not candidates:
        return None
    return min(candidates) if earliest is None else max(min(candidates), earliest)


def _next_dates(invoices, next_day, earliest):
    """Each invoice's next action date: the customer's, the end of its promise, or none."""
    dates = {}
    for inv in invoices:
        if inv.residual <= 0 or (inv.hold is not None and inv.hold != HOLD_PROMISE):
            dates[inv.id] = None
        elif inv.held_on(earliest):
            dates[inv.id] = inv.hold_until + timedelta(days=1)
        else:
            dates[inv.id] = next_day
    return dates
