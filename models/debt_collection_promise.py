"""Promises to pay: recorded, accepted, kept or broken, and the pause they give the dunning."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..rules.promise import (
    ACCEPTED,
    BROKEN,
    KEPT,
    PROPOSED,
    REFUSED,
    RUNNING,
    TO_ACCEPT,
    amount_received,
    check_promise,
    is_broken,
    promise_state,
)
from .account_move import SETTLED_PAYMENT_STATES
from .debt_collection_access import SYSTEM, USER, require_group

PROMISE_STATES = [
    (PROPOSED, "Proposed"),
    (RUNNING, "Running"),
    (KEPT, "Kept"),
    (BROKEN, "Broken"),
    (REFUSED, "Refused"),
]
ACCEPTANCES = [(ACCEPTED, "Accepted"), (TO_ACCEPT, "To Accept"), (REFUSED, "Refused")]


class DebtCollectionPromise(models.Model):
    """A customer's promise to pay one or several invoices by a date.

    While it runs, the escalation run leaves its invoices alone until the promised date plus
    the scenario's grace period (``account.move.debt_promise_date`` is the date the run
    reads). It is kept as soon as its invoices are paid or the promised amount is received
    (``rules.promise``); the run finds it broken once the grace period is over. One the
    customer proposed on its page beyond the company's limits is *proposed*, and pauses
    nothing until a Collection User accepts it.
    """

    _name = "debt.collection.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread", "mail.activity.mixin", "debt.collection.access.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
        check_company=True,
    )
    move_ids = fields.Many2many(
        "account.move",
        "debt_collection_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        readonly=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    date = fields.Date(string="Promised Date", required=True, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Promised Amount", required=True, tracking=True)
    baseline = fields.Monetary(
        string="Due When Promised",
        readonly=True,
        debt_write=SYSTEM,
        help="What the invoices still owed, in total, when the promise was made.",
    )
    amount_received = fields.Monetary(
        string="Received",
        compute="_compute_state",
        store=True,
        help="Drop of the invoices' amount due since the promise was made.",
    )
    is_broken = fields.Boolean(
        readonly=True, copy=False, debt_write=SYSTEM, help="Found broken by the daily run (final)."
    )
    broken_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    acceptance = fields.Selection(
        ACCEPTANCES,
        required=True,
        default=ACCEPTED,
        readonly=True,
        copy=False,
        debt_write=SYSTEM,
        help="A promise proposed on the customer's page beyond the company's limits waits for a "
        "Collection User's acceptance.",
    )
    state = fields.Selection(PROMISE_STATES, compute="_compute_state", store=True, index=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        readonly=True,
        default=lambda self: self.env.user,
        debt_write=SYSTEM,
    )
    event_id = fields.Many2one(
        "debt.collection.event",
        string="Call",
        readonly=True,
        debt_write=SYSTEM,
        help="The call the promise was made in.",
    )
    reminder_event_ids = fields.One2many(
        "debt.collection.event", "broken_promise_id", string="Reminders Mentioning It", readonly=True
    )
    note = fields.Text()

    _amount_positive = models.Constraint("CHECK(amount > 0)", "A promised amount must be positive.")

    @api.depends(
        "amount",
        "baseline",
        "is_broken",
        "acceptance",
        "move_ids.amount_residual_signed",
        "move_ids.payment_state",
    )
    def _compute_state(self):
        for promise in self:
            received = amount_received(promise.baseline, promise.move_ids.mapped("amount_residual_signed"))
            all_paid = bool(promise.move_ids) and all(
                move.payment_state in SETTLED_PAYMENT_STATES for move in promise.move_ids
            )
            promise.amount_received = received
            promise.state = promise_state(
                promise.amount, received, all_paid, promise.is_broken, promise.acceptance
            )

    @api.depends("partner_id", "date", "amount")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(partner)s: %(amount)s by %(date)s",
                partner=promise.partner_id.name or "",
                amount=promise.currency_id.format(promise.amount),
                date=format_date(self.env, promise.date),
            )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for promise in self:
            if promise.state == RUNNING and promise.date < today:
                raise ValidationError(
                    self.env._(
                        "The promised date (%(date)s) is in the past: a customer promises to pay today "
                        "or later.",
                        date=format_date(self.env, promise.date),
                    )
                )

    @api.model
    def _debt_check_values(self, partner, moves, promised_date, amount, total_due=None):
        """Raise a clear error when a promise cannot be recorded; nothing is written.

        ``total_due``: what the promise may cover at most (by default what ``moves`` owe now).
        """
        today = fields.Date.context_today(self)
        if total_due is None and moves:
            total_due = sum(moves.mapped("amount_residual_signed"))
        messages = {
            "no_invoice": lambda _v: self.env._("Select the invoices the customer promises to pay."),
            "date_past": lambda v: self.env._(
                "The promised date (%(date)s) is in the past: a customer promises to pay today or later.",
                date=format_date(self.env, v) if v else "-",
            ),
            "date_too_far": lambda v: self.env._(
                "The promised date is more than a year ahead: a promise is dated %(date)s at the latest.",
                date=format_date(self.env, v),
            ),
            "amount_not_positive": lambda _v: self.env._("The promised amount must be positive."),
            "amount_exceeds": lambda v: self.env._(
                "The promised amount is more than the selected invoices owe (%(due)s).",
                due=self.env.company.currency_id.format(v),
            ),
        }
        problems = check_promise(promised_date, amount, today, total_due)
        others = moves.filtered(
            lambda m: m.commercial_partner_id != partner.commercial_partner_id
            or m.company_id != self.env.company
            or m.move_type != "out_invoice"
            or m.state != "posted"
        )
        if others:
            problems.append(("foreign", others))
            messages["foreign"] = lambda v: self.env._(
                "A promise covers posted invoices of its customer in this company only: %(invoices)s.",
                invoices=", ".join(v.mapped("display_name")),
            )
        if partner and not partner.commercial_partner_id.active:
            problems.append(("archived", partner))
            messages["archived"] = lambda v: self.env._(
                "%(customer)s is archived: restore the customer before recording a promise.",
                customer=v.display_name,
            )
        if problems:
            raise ValidationError("\n".join(messages[code](value) for code, value in problems))

    @api.model_create_multi
    def create(self, vals_list):
        """Check what the user sends, then record the promise with its baseline (the workflow's)."""
        for vals in vals_list:
            self._debt_check_writers(vals, self.browse())
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            moves = self.env["account.move"].browse(
                self._fields["move_ids"].convert_to_cache(vals.get("move_ids", []), self)
            )
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            self.with_company(company)._debt_check_values(
                partner, moves, fields.Date.to_date(vals.get("date")), vals.get("amount", 0.0)
            )
            vals["partner_id"] = partner.commercial_partner_id.id
        promises = super().create(vals_list)
        for promise in promises.sudo():  # what the invoices owed when it was made: the workflow's figure
            promise.baseline = sum(promise.move_ids.mapped("amount_residual_signed"))
        for promise in promises:
            promise.move_ids._message_log_batch(
                bodies=dict.fromkeys(
                    promise.move_ids.ids,
                    self.env._("Promise to pay: %(promise)s.", promise=promise.display_name),
                )
            )
        # the customer's next dunning date moves past the pause (the follow-ups show it at once)
        promises.move_ids._debt_reschedule()
        return promises

    def write(self, vals):
        """A running promise may get another date or amount, checked as a new one; what it
        covers (customer, company, invoices) never changes."""
        if not self.env.su:
            fixed = [name for name in ("partner_id", "company_id", "move_ids") if name in vals]
            if fixed and any(self._debt_changes(self, self._fields[name], vals[name]) for name in fixed):
                raise AccessError(
                    self._debt_writers_message(
                        SYSTEM, [self._fields[name]._description_string(self.env) for name in fixed]
                    )
                )
            if "date" in vals or "amount" in vals:
                over = self.filtered(lambda p: p.state != RUNNING)
                if over:
                    raise ValidationError(
                        self.env._(
                            "%(promises)s: a kept or broken promise stays as it was; record a new one.",
                            promises=", ".join(over.mapped("display_name")),
                        )
                    )
                for promise in self:
                    promise.with_company(promise.company_id)._debt_check_values(
                        promise.partner_id,
                        promise.move_ids,
                        fields.Date.to_date(vals["date"]) if "date" in vals else promise.date,
                        vals.get("amount", promise.amount),
                        total_due=promise.baseline,
                    )
        return super().write(vals)

    # ------------------------------------------------------------------ acceptance

    def action_accept(self):
        """A Collection User accepts promises proposed on the customer's page: they run now."""
        require_group(
            self.env, USER, self.env._("Only a Collection User can accept or refuse a promise to pay.")
        )
        proposed = self.filtered(lambda p: p.acceptance == TO_ACCEPT)
        today = fields.Date.context_today(self)
        past = proposed.filtered(lambda p: p.date < today)
        if past:
            raise UserError(
                self.env._(
                    "The promised date of %(promises)s is past: refuse it, or agree on a new promise "
                    "with the customer.",
                    promises=", ".join(past.mapped("display_name")),
                )
            )
        proposed.sudo().write({"acceptance": ACCEPTED})
        proposed.activity_ids.action_feedback(feedback=self.env._("Promise accepted."))
        proposed.move_ids._debt_reschedule()
        self.env["debt.collection.portal"]._send_promise_recap(proposed)
        return True

    def action_refuse(self):
        """A Collection User refuses promises proposed on the customer's page: the dunning goes on."""
        require_group(
            self.env, USER, self.env._("Only a Collection User can accept or refuse a promise to pay.")
        )
        proposed = self.filtered(lambda p: p.acceptance == TO_ACCEPT)
        proposed.sudo().write({"acceptance": REFUSED})
        proposed.activity_ids.action_feedback(feedback=self.env._("Promise refused."))
        self.env["debt.collection.portal"]._send_promise_recap(proposed)
        return True

    # ------------------------------------------------------------------ daily run

    @api.model
    def _debt_break_overdue(self, company, today):
        """Record as broken the running promises of ``company`` whose pause is over.

        Batched: one search, one read of the scenarios, one write, one ``create`` of events,
        one batch of chatter notes.
        """
        candidates = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", RUNNING), ("date", "<", today)]
        )
        if not candidates:
            return self.browse()
        scenarios = self.env["res.partner"]._debt_scenarios_of(candidates.move_ids)

        def grace(promise):
            scenario = scenarios.get((company.id, promise.move_ids[:1].commercial_partner_id.id))
            return scenario.promise_grace_days if scenario else 0

        broken = candidates.filtered(lambda p: is_broken(p.date, grace(p), today, p.state))
        if not broken:
            return broken
        broken.write({"is_broken": True, "broken_date": today})
        Event = self.env["debt.collection.event"]
        events = Event.sudo().create(
            [
                {
                    "date": today,
                    "company_id": company.id,
                    "partner_id": promise.partner_id.id,
                    "origin": "promise",
                    "channel": promise.event_id.channel or "phone",
                    "outcome": "promise_broken",
                    "promise_id": promise.id,
                    "note": promise._debt_broken_sentence(),
                    "amount_due": sum(promise.move_ids.mapped("amount_residual_signed")),
                    "amount_net": sum(promise.move_ids.mapped("amount_residual_signed")),
                    "line_ids": Event._line_commands(promise.move_ids, today),
                }
                for promise in broken
            ]
        )
        broken._message_log_batch(bodies={p.id: p._debt_broken_sentence() for p in broken})
        bodies = {}
        for event in events:
            bodies[event.partner_id.id] = Markup("%s<br/>%s") % (
                bodies.get(event.partner_id.id, ""),
                event.note,
            )
        events.partner_id._message_log_batch(bodies=bodies)
        return broken

    def _debt_broken_sentence(self):
        """For the company's people (the event, the chatter): in the company's language."""
        self.ensure_one()
        env = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang).env
        return env._(
            "The promise to pay %(amount)s by %(date)s was not kept: %(received)s received.",
            amount=self.currency_id.with_env(env).format(self.amount),
            date=format_date(env, self.date),
            received=self.currency_id.with_env(env).format(self.amount_received),
        )

    @api.model
    def _debt_mention_broken(self, event_values, listed_move_ids):
        """Tie each overdue communication to the broken promise of its invoices not yet mentioned.

        ``event_values``: the values of the events the run is about to create (changed in
        place); ``listed_move_ids[i]``: the invoices the i-th one lists. One search for the
        whole batch.
        """
        listed = {}
        for index, (vals, move_ids) in enumerate(zip(event_values, listed_move_ids, strict=True)):
            if vals.get("origin") != "overdue":
                continue
            for move_id in move_ids:
                listed.setdefault(move_id, []).append(index)
        if not listed:
            return
        promises = self.sudo().search(
            [("move_ids", "in", list(listed)), ("state", "=", BROKEN), ("reminder_event_ids", "=", False)],
            order="broken_date desc, id desc",
        )
        for promise in promises:
            for move_id in promise.move_ids.ids:
                for index in listed.get(move_id, []):
                    vals = event_values[index]
                    if vals.get("broken_promise_id"):
                        continue
                    vals["broken_promise_id"] = promise.id
                    vals["note"] = "\n".join(
                        filter(None, [promise._debt_broken_sentence(), vals.get("note")])
                    )
