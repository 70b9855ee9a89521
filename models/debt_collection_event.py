from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .debt_collection_step import CHANNELS, LETTER_TYPES

#: How a call ends (Log a Call wizard).
CALL_OUTCOMES = [
    ("satisfied", "Satisfied"),
    ("paid", "Paid Already"),
    ("promise", "Promise to Pay"),
    ("problem", "Problem Raised"),
    ("unreachable", "Unreachable"),
]

PAYMENT_METHODS = [("transfer", "Bank Transfer"), ("cheque", "Cheque"), ("card", "Card")]

EVENT_STATES = [
    ("to_approve", "To Approve"),
    ("to_print", "To Print"),
    ("done", "Done"),
    ("error", "Error"),
]

#: What may still change on an event once it exists: the life of its letter.
MUTABLE_FIELDS = {"state", "letter_attachment_id", "tracking_number", "printed_date", "sent_date", "note"}


class DebtCollectionEvent(models.Model):
    """An action taken towards a customer: immutable once created.

    One event per communication (one customer, one run); its lines are the invoices it
    concerns. Analytics read events, the chatter only echoes them.
    """

    _name = "debt.collection.event"
    _description = "Collection Event"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "reference"

    reference = fields.Char(compute="_compute_reference", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    step_id = fields.Many2one("debt.collection.step", readonly=True, ondelete="restrict")
    scenario_id = fields.Many2one(related="step_id.scenario_id", store=True)
    level = fields.Integer(readonly=True)
    kind = fields.Selection(
        [
            ("pre_due", "Before Due Date"),
            ("overdue", "Overdue"),
            ("manual", "Manual"),
            ("promise", "Promise to Pay"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    letter_type = fields.Selection(LETTER_TYPES, readonly=True)
    state = fields.Selection(EVENT_STATES, required=True, default="done", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Text(readonly=True, help="Why the event went this way (fallbacks, errors).")
    line_ids = fields.One2many("debt.collection.event.line", "event_id", string="Invoices", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(string="Total Due", readonly=True)
    amount_credit = fields.Monetary(string="Unreconciled Credits", readonly=True)
    amount_net = fields.Monetary(string="Net Due", readonly=True)
    amount_interest = fields.Monetary(
        string="Late Interest", readonly=True, help="Late-payment interest computed to the event's date."
    )
    amount_indemnity = fields.Monetary(
        string="Recovery Indemnity", readonly=True, help="40 EUR per late invoice, not subject to VAT."
    )
    amount_claimed = fields.Monetary(
        string="Total Claimed",
        compute="_compute_amount_claimed",
        help="Net amount due plus late interest and recovery indemnity.",
    )
    penalty_warning = fields.Text(
        readonly=True, help="Rates missing from the table: the latest known rate was used."
    )
    activity_id = fields.Many2one("mail.activity", string="Task", readonly=True, index="btree_not_null")
    case_id = fields.Many2one("debt.collection.case", readonly=True, index="btree_not_null")
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter", readonly=True)
    printed_date = fields.Date(readonly=True)
    sent_date = fields.Date(
        readonly=True,
        index="btree_not_null",
        help="Day the communication left: dispatched (email, task, case) or printed (letters). "
        "Empty while it awaits approval or printing, or when it failed.",
    )
    tracking_number = fields.Char(
        string="Registered Letter Number", help="Number of the registered letter (lettre recommandée)."
    )
    outcome = fields.Selection(
        [*CALL_OUTCOMES, ("promise_broken", "Promise Broken")],
        readonly=True,
        index="btree_not_null",
        help="What a call (or a promise to pay) came to.",
    )
    payment_method = fields.Selection(
        PAYMENT_METHODS, readonly=True, help="How the customer says the invoices were paid."
    )
    payment_date = fields.Date(readonly=True, help="When the customer says the invoices were paid.")
    promise_id = fields.Many2one(
        "debt.collection.promise", string="Promise to Pay", readonly=True, index="btree_not_null",
        help="Promise made during this call, or the promise this event found broken.",
    )
    broken_promise_id = fields.Many2one(
        "debt.collection.promise",
        readonly=True,
        index="btree_not_null",
        help="Broken promise this communication reminds the customer of.",
    )
    dispute_ids = fields.One2many("debt.collection.dispute", "event_id", string="Disputes", readonly=True)

    @api.depends("amount_net", "amount_interest", "amount_indemnity")
    def _compute_amount_claimed(self):
        for event in self:
            event.amount_claimed = event.amount_net + event.amount_interest + event.amount_indemnity

    @api.depends("partner_id", "date", "channel")
    def _compute_reference(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for event in self:
            event.reference = f"{event.date} · {channels.get(event.channel, '')} · {event.partner_id.name}"

    def _debt_legal_effect_date(self):
        """The day this communication took legal effect (a formal notice starts a consumer's interest).

        The day it left (``sent_date``): None while it awaits approval or printing, or failed.
        """
        self.ensure_one()
        return self.sent_date or None

    @api.model
    def _line_commands(self, moves, today):
        """Event lines listing ``moves`` with their figures of ``today`` (nothing advances)."""
        return [
            fields.Command.create(
                {
                    "move_id": move.id,
                    "advanced": False,
                    "level": move.debt_level,
                    "cycle": move.debt_cycle,
                    "due_date": move.invoice_date_due,
                    "days_late": max((today - move.invoice_date_due).days, 0) if move.invoice_date_due else 0,
                    "currency_id": move.currency_id.id,
                    "amount_total": move.amount_total,
                    "amount_residual": move.amount_residual,
                    "amount_residual_company": move.amount_residual_signed,
                }
            )
            for move in moves
        ]

    def write(self, vals):
        if not self.env.su and set(vals) - MUTABLE_FIELDS:
            raise UserError(
                self.env._("Collection events are a record of what was done: they cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(
                self.env._("Collection events are a record of what was done: they cannot be deleted.")
            )

    def action_print_letters(self):
        """Print the selected letters as one PDF and mark them printed."""
        letters = self.filtered(lambda e: e.channel in ("letter", "registered_letter"))
        if not letters:
            raise UserError(self.env._("Select letters to print."))
        unaddressed = letters.partner_id.filtered(lambda p: not (p.street and p.zip and p.city))
        if unaddressed:
            raise UserError(
                self.env._(
                    "These customers have no complete postal address (street, postal code and city): "
                    "%(names)s.",
                    names=", ".join(unaddressed.mapped("display_name")),
                )
            )
        letters.filtered(lambda e: e.state == "to_print").write(
            {"state": "done", "printed_date": fields.Date.context_today(self), "sent_date": fields.Date.context_today(self)}
        )
        return self.env.ref("account_debt_collection.action_report_debt_letter").report_action(letters)

    def action_approve(self):
        """A Collection Manager lets steps that needed approval go out."""
        if not self.env.user.has_group("account_debt_collection.group_debt_collection_manager"):
            raise UserError(self.env._("Only a Collection Manager can approve a dunning step."))
        pending = self.filtered(lambda e: e.state == "to_approve")
        failed = self.env["debt.collection.run"]._dispatch(pending)
        failed._undo_advance()

    def _undo_advance(self):
        """Step the invoices of these failed events back, to be decided again by the next run.

        An event awaiting approval moved its invoices on when it was created: if it then fails
        to go out, its invoices return to the step they had before, and are due today.
        """
        lines = self.line_ids.filtered("advanced")
        if not lines:
            return
        moves = lines.move_id
        earlier = self.env["debt.collection.event.line"].sudo().search(
            [("move_id", "in", moves.ids), ("advanced", "=", True), ("id", "not in", lines.ids)],
            order="id desc",
        )
        previous = {}
        for line in earlier:
            if line.cycle == line.move_id.debt_cycle:
                previous.setdefault(line.move_id, line)
        lines.sudo().write({"advanced": False})
        by_step = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            before = previous.get(move)
            by_step[(before.step_id.id, before.level) if before else (False, 0)] |= move
        today = fields.Date.context_today(self)
        for (step_id, level), step_moves in by_step.items():
            step_moves.sudo().write({"debt_step_id": step_id, "debt_level": level, "debt_next_date": today})
