from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .debt_collection_step import LETTER_TYPES

#: How a call ends (Log a Call wizard).
CALL_OUTCOMES = [
    ("satisfied", "Satisfied"),
    ("paid", "Paid Already"),
    ("promise", "Promise to Pay"),
    ("problem", "Problem Raised"),
    ("unreachable", "Unreachable"),
]

#: What the customer did on its own page (kind "portal", channel "portal"): never a
#: communication of the run, so the once-a-day rule and the cadence ignore them.
PORTAL_OUTCOMES = [
    ("portal_viewed", "Statement Viewed"),
    ("portal_downloaded", "Document Downloaded"),
    ("portal_promise", "Promise Made Online"),
    ("portal_proposed", "Promise Proposed"),
    ("portal_dispute", "Dispute Raised from the Portal"),
    ("portal_message", "Message from the Portal"),
    ("portal_payment", "Online Payment Started"),
]
#: What the customer does on its page that counts against its daily limit (reading does not).
PORTAL_ACTIONS = ("portal_promise", "portal_proposed", "portal_dispute", "portal_message", "portal_payment")

PAYMENT_METHODS = [("transfer", "Bank Transfer"), ("cheque", "Cheque"), ("card", "Card")]

EVENT_STATES = [
    ("to_approve", "To Approve"),
    ("to_print", "To Print"),
    ("done", "Done"),
    ("error", "Error"),
    ("cancelled", "Cancelled"),
]

#: Kinds of the automatic communications of the run: one a day per customer at the most.
COMMUNICATION_KINDS = ("pre_due", "overdue")
#: States of an event whose communication did not, and will not, reach the customer.
NOT_SENT_STATES = ("error", "cancelled")

DELIVERY_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("bounced", "Bounced"),
]
#: A communication that did not reach the customer: the next run tries another way.
UNDELIVERED = ("failed", "bounced")

EMAIL_ISSUES = [
    ("missing", "No Email Address"),
    ("blacklisted", "Address Blacklisted"),
    ("bounced", "Address Bounced"),
    ("failed", "Last Email Failed"),
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
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    step_id = fields.Many2one("debt.collection.step", readonly=True, ondelete="restrict")
    scenario_id = fields.Many2one(related="step_id.scenario_id", store=True)
    level = fields.Integer(readonly=True)
    kind = fields.Selection(
        [
            ("pre_due", "Before Due Date"),
            ("overdue", "Overdue"),
            ("manual", "Manual"),
            ("promise", "Promise to Pay"),
            ("portal", "Customer Page"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    channel = fields.Selection(
        selection=lambda self: [
            *self.env["debt.collection.step"]._fields["channel"].selection,
            ("portal", "Customer Page"),
        ],
        required=True,
        readonly=True,
    )
    letter_type = fields.Selection(LETTER_TYPES, readonly=True)
    state = fields.Selection(EVENT_STATES, required=True, default="done", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", readonly=True, default=lambda self: self.env.user
    )
    assignee_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        readonly=True,
        help="Who receives the phone task or the collection case of this communication.",
    )
    email_issue = fields.Selection(
        EMAIL_ISSUES,
        readonly=True,
        index="btree_not_null",
        help="Why an email could not be used: the letter (or call) went instead.",
    )
    run_id = fields.Many2one(
        "debt.collection.run.log", readonly=True, index="btree_not_null", ondelete="set null"
    )
    mail_message_id = fields.Many2one(
        "mail.message",
        string="Email",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The email as sent, in the customer's chatter.",
    )
    delivery = fields.Selection(
        DELIVERY_STATES,
        readonly=True,
        index="btree_not_null",
        help="What became of the email: queued, sent by the mail server, failed, or bounced.",
    )
    delivery_address = fields.Char(readonly=True, help="The address the email went to.")
    approved_date = fields.Date(readonly=True, help="Day a Collection Manager let the step go out.")
    approved_by_id = fields.Many2one("res.users", readonly=True)
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
        [*CALL_OUTCOMES, ("promise_broken", "Promise Broken"), *PORTAL_OUTCOMES],
        readonly=True,
        index="btree_not_null",
        help="What a call (or a promise to pay) came to, or what the customer did on its page.",
    )
    payment_method = fields.Selection(
        PAYMENT_METHODS, readonly=True, help="How the customer says the invoices were paid."
    )
    payment_date = fields.Date(readonly=True, help="When the customer says the invoices were paid.")
    promise_id = fields.Many2one(
        "debt.collection.promise",
        string="Promise to Pay",
        readonly=True,
        index="btree_not_null",
        help="Promise made during this call, or the promise this event found broken.",
    )
    broken_promise_id = fields.Many2one(
        "debt.collection.promise",
        readonly=True,
        index="btree_not_null",
        help="Broken promise this communication reminds the customer of.",
    )
    dispute_ids = fields.One2many("debt.collection.dispute", "event_id", string="Disputes", readonly=True)

    _one_communication_a_day = models.UniqueIndex(
        "(company_id, partner_id, date) "
        "WHERE kind IN ('pre_due', 'overdue') AND state NOT IN ('error', 'cancelled')",
        "A customer receives one dunning communication a day.",
    )

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
        """Event lines listing ``moves`` (their open instalments) with their figures of ``today``.

        Nothing advances: for the events that record what was said or found (a call, a broken
        promise, a case note). A paid invoice is listed by its first receivable line.
        """
        Line = self.env["debt.collection.event.line"]
        commands = []
        for move in moves:
            receivable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            listed = receivable.filtered(lambda line: not line.reconciled) or receivable[:1]
            commands += [
                fields.Command.create(Line._values(line, today))
                for line in listed.sorted(lambda line: (line.date_maturity or today, line.id))
            ]
        return commands

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
            dict.fromkeys(("printed_date", "sent_date"), fields.Date.context_today(self)) | {"state": "done"}
        )
        return self.env.ref("account_debt_collection.action_report_debt_letter").report_action(letters)

    def action_approve(self):
        """A Collection Manager lets steps that needed approval go out: they are sent now."""
        self._debt_check_manager(self.env._("Only a Collection Manager can approve a dunning step."))
        pending = self.filtered(lambda e: e.state == "to_approve")
        later = pending._debt_later_communications()
        if later:
            raise UserError(
                self.env._(
                    "%(customers)s received a later communication: this step can no longer be approved.",
                    customers=", ".join(later.partner_id.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        pending.sudo().write({"approved_date": today, "approved_by_id": self.env.user.id})
        self.env["debt.collection.run"]._send_approved(pending, today)
        return True

    def action_refuse(self):
        """A Collection Manager refuses steps awaiting approval: nothing goes out."""
        self._debt_check_manager(self.env._("Only a Collection Manager can refuse a dunning step."))
        pending = self.filtered(lambda e: e.state == "to_approve")
        self.env["debt.collection.run"]._refuse_approval(pending, self.env.user)
        return True

    def _debt_check_manager(self, message):
        if not self.env.user.has_group("account_debt_collection.group_debt_collection_manager"):
            raise AccessError(message)

    def _debt_later_communications(self):
        """Communications of the same customers decided after these events, still standing."""
        if not self:
            return self.browse()
        return self.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("kind", "in", COMMUNICATION_KINDS),
                ("state", "not in", NOT_SENT_STATES),
                ("id", ">", min(self.ids)),
                ("id", "not in", self.ids),
            ]
        ).filtered(lambda later: any(e.partner_id == later.partner_id and e.id < later.id for e in self))

    def _undo_advance(self):
        """Step the invoices of these events back to the step they had before, in one query each.

        For a communication that did not reach the customer (its dispatch failed, its email
        bounced): its invoices are decided again by the next run, which counts the scenario's
        gap from the communication before. Returns the invoices moved back.
        """
        lines = self.line_ids.filtered("advanced")
        if not lines:
            return self.env["account.move"]
        lines.sudo().write({"advanced": False})
        by_previous = defaultdict(lambda: self.env["account.move"])
        for line in lines:
            by_previous[line.previous_step_id] |= line.move_id
        for step, moves in by_previous.items():
            moves.sudo().write({"debt_step_id": step.id, "debt_level": step.level if step else 0})
        return lines.move_id

    # ------------------------------------------------------------------ delivery

    def _debt_delivered(self):
        """The mail server took the emails of these events."""
        self.filtered(lambda e: e.delivery == "queued").sudo().write({"delivery": "sent"})

    def _debt_undelivered(self, delivery, reason):
        """These emails did not reach the customer: the events are in error, their invoices go
        back to the step they had, and the customers are looked at again (a letter follows).

        ``reason``: what the mail server or the bounce said, kept in the event's note.
        """
        events = self.filtered(lambda e: e.state != "error")
        if not events:
            return
        for company, company_events in events.grouped("company_id").items():
            env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
            for event in company_events:
                sentence = env._(
                    "The email to %(address)s was not delivered (%(reason)s): a letter follows.",
                    address=event.delivery_address or event.partner_id.email or "",
                    reason=(reason or "").strip().splitlines()[0] if reason else delivery,
                )
                event.sudo().write(
                    {
                        "state": "error",
                        "delivery": delivery,
                        "note": "\n".join(filter(None, [event.note, sentence])),
                    }
                )
                event.partner_id._message_log(body=sentence)
        events._undo_advance()
        self.env["debt.collection.run"].sudo()._reschedule_events(events)
