"""Collection events: what was done towards a customer, written once by the workflow."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .bulk_insert import insert_records
from .debt_collection_access import MANAGER, USER, require_group
from .debt_collection_step import LETTER_TYPES

#: How a call ends (Log a Call wizard).
CALL_OUTCOMES = [
    ("satisfied", "Satisfied"),
    ("paid", "Paid Already"),
    ("promise", "Promise to Pay"),
    ("problem", "Problem Raised"),
    ("unreachable", "Unreachable"),
]

#: What the customer did on its own page (origin "portal", channel "portal"): never a
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

#: Origins of the automatic communications of the run: one a day per customer at the most.
COMMUNICATION_ORIGINS = ("pre_due", "overdue")
#: States of an event whose communication did not, and will not, reach the customer.
NOT_SENT_STATES = ("error", "cancelled")

DELIVERY_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("bounced", "Bounced"),
    ("returned", "Returned"),
]
#: A communication that did not reach the customer: the next run tries another way.
UNDELIVERED = ("failed", "bounced")

#: Letters the events print: the steps' ones, and the recap of a call for a customer without email.
EVENT_LETTER_TYPES = [*LETTER_TYPES, ("call_recap", "Recap of a Call")]

EMAIL_ISSUES = [
    ("missing", "No Email Address"),
    ("blacklisted", "Address Blacklisted"),
    ("bounced", "Address Bounced"),
    ("failed", "Last Email Failed"),
]

SMS_ISSUES = [
    ("no_mobile", "No Valid Mobile Number"),
    ("blacklisted", "Number Blacklisted"),
    ("failed", "Last SMS Failed"),
    ("disabled", "Collection SMS Turned Off"),
]

#: What a Collection User records on a letter once it left, through ``_debt_record_letter_proof``
#: (a form saving these fields goes there): the registered letter's number. The rest of an
#: event (its date, author, note, figures, lines, state) is never written by a user.
LETTER_PROOF_FIELDS = ("tracking_number",)


class DebtCollectionEvent(models.Model):
    """An action taken towards a customer: a record of what was done, written once.

    One event per communication (one customer, one run); its lines are the invoices it
    concerns. Analytics read events, the chatter only echoes them.

    No user creates, changes or deletes an event: the run, the wizards (Log a Call, hand-off,
    payment plan) and the event's own methods (printing letters, approving, delivery
    feedback) check who asks, then write as superuser. The one thing a user records by hand
    is the proof of a letter (``LETTER_PROOF_FIELDS``), through ``_debt_record_letter_proof``.
    """

    _name = "debt.collection.event"
    _description = "Collection Event"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "reference"

    reference = fields.Char(compute="_compute_reference", store=True, precompute=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    step_id = fields.Many2one("debt.collection.step", readonly=True, ondelete="restrict", check_company=True)
    scenario_id = fields.Many2one(related="step_id.scenario_id", store=True, precompute=True)
    level = fields.Integer(readonly=True)
    origin = fields.Selection(
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
        help="What prompted the event: the run (before or after the due date), someone's hand, "
        "a broken promise, or the customer on its own page.",
    )
    channel = fields.Selection(
        selection="_selection_channel",
        required=True,
        readonly=True,
    )
    letter_type = fields.Selection(EVENT_LETTER_TYPES, readonly=True)
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
    sms_issue = fields.Selection(
        SMS_ISSUES,
        string="SMS Issue",
        readonly=True,
        help="Why an SMS could not be used: the email (or the letter) went instead.",
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
        help="The email or SMS as sent, in the customer's chatter.",
    )
    delivery = fields.Selection(
        DELIVERY_STATES,
        readonly=True,
        index="btree_not_null",
        help="What became of it: an email or SMS queued, sent (by the mail server, to the SMS "
        "provider), delivered (the provider's report on an SMS, the acknowledgement of receipt of a "
        "registered letter), failed, bounced, or a letter returned.",
    )
    delivery_address = fields.Char(
        readonly=True, help="The address the email went to, the number the SMS went to."
    )
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
        "WHERE origin IN ('pre_due', 'overdue') AND state NOT IN ('error', 'cancelled')",
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
            event.reference = self._debt_reference(
                event.date, channels.get(event.channel), event.partner_id.name
            )

    @staticmethod
    def _debt_reference(day, channel_label, partner_name):
        return f"{day} · {channel_label or ''} · {partner_name}"

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

    @api.model
    def _selection_channel(self):
        """The steps' channels (declared once, on ``debt.collection.step``), in the reader's
        language, and the customer's page, where a customer acts by itself."""
        steps = self.env["debt.collection.step"]._fields["channel"]._description_selection(self.env)
        return [*steps, ("portal", self.env._("Customer Page"))]

    @api.model_create_multi
    def create(self, vals_list):
        self._debt_refuse_users()
        return super().create(vals_list)

    @api.model
    def _debt_insert(self, vals_list):
        """The run's events in one ``INSERT``, stored as ``create`` would store them.

        ``vals_list``: plain values (ids, no commands). The computed fields are computed here
        in bulk (``_debt_precompute``), the rest as ``create`` does (``bulk_insert``).
        """
        self._debt_refuse_users()
        return insert_records(self, self._debt_precompute([dict(vals) for vals in vals_list]))

    def _debt_precompute(self, rows):
        """Fill the stored computed fields of event ``rows`` as their computes would; return them."""
        channels = dict(self._fields["channel"]._description_selection(self.env))
        partners = self.env["res.partner"].browse({row["partner_id"] for row in rows})
        names = dict(zip(partners.ids, partners.mapped("name"), strict=True))
        steps = self.env["debt.collection.step"].browse(
            {row["step_id"] for row in rows if row.get("step_id")}
        )
        scenarios = {step.id: step.scenario_id.id for step in steps}
        today = fields.Date.context_today(self)
        for row in rows:
            row["reference"] = self._debt_reference(
                row.get("date") or today, channels.get(row["channel"]), names[row["partner_id"]]
            )
            row["scenario_id"] = scenarios.get(row.get("step_id"), False)
        return rows

    def _debt_refuse_users(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the collection workflow itself can record a collection event: log a call, "
                    "or let the dunning run."
                )
            )

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        recorded = set(vals) - {"id"}  # the standard Import names the record it writes
        if recorded and recorded <= set(LETTER_PROOF_FIELDS):
            return self._debt_record_letter_proof({name: vals[name] for name in recorded})
        raise AccessError(
            self.env._(
                "Only the collection workflow itself can change a collection event: it records what was done."
            )
        )

    def unlink(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the collection workflow itself can delete a collection event: it records what was "
                    "done."
                )
            )
        return super().unlink()

    def _debt_record_letter_proof(self, vals):
        """A Collection User records the registered letter's number of letters that left.

        Once recorded, only a Collection Manager corrects it. Nothing else of the event changes.
        """
        require_group(
            self.env, USER, self.env._("Only a Collection User can record the number of a registered letter.")
        )
        number = (vals.get("tracking_number") or "").strip() or False
        not_sent = self.filtered(lambda e: e.channel != "registered_letter" or e.state != "done")
        if not_sent:
            raise UserError(
                self.env._(
                    "A registered letter's number is recorded once it was printed: %(events)s.",
                    events=", ".join(not_sent.mapped("reference")),
                )
            )
        recorded = self.filtered(lambda e: e.tracking_number and e.tracking_number != number)
        if recorded:
            require_group(
                self.env,
                MANAGER,
                self.env._("Only a Collection Manager can correct the number of a registered letter."),
            )
        return self.sudo().write({"tracking_number": number})

    def action_approve(self):
        """A Collection Manager lets steps that needed approval go out: they are sent now."""
        require_group(self.env, MANAGER, self.env._("Only a Collection Manager can approve a dunning step."))
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
        require_group(self.env, MANAGER, self.env._("Only a Collection Manager can refuse a dunning step."))
        pending = self.filtered(lambda e: e.state == "to_approve")
        self.env["debt.collection.run"]._refuse_approval(pending, self.env.user)
        return True

    def _debt_later_communications(self):
        """Communications of the same customers decided after these events, still standing."""
        if not self:
            return self.browse()
        return self.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("origin", "in", COMMUNICATION_ORIGINS),
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

    def _debt_delivered(self, delivery="sent"):
        """The mail server took the emails of these events (``sent``), or the SMS provider took
        their SMS (``sent``) or reported them delivered (``delivered``)."""
        before = ("queued",) if delivery == "sent" else ("queued", "sent")
        self.filtered(lambda e: e.delivery in before).sudo().write({"delivery": delivery})

    def _debt_undelivered(self, delivery, reason):
        """These emails or SMS did not reach the customer: the events are in error, their
        invoices go back to the step they had, and the customers are looked at again (a letter
        follows an email; the email, else a letter, follows an SMS).

        ``reason``: what the mail server, the bounce or the SMS provider said, kept in the
        event's note.
        """
        events = self.filtered(lambda e: e.state != "error")
        if not events:
            return
        for company, company_events in events.grouped("company_id").items():
            env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
            for event in company_events:
                why = (reason or "").strip().splitlines()[0] if reason else delivery
                if event.channel == "sms":
                    sentence = env._(
                        "The SMS to %(number)s was not delivered (%(reason)s): the email, else a "
                        "letter, follows.",
                        number=event.delivery_address or "",
                        reason=why,
                    )
                else:
                    sentence = env._(
                        "The email to %(address)s was not delivered (%(reason)s): a letter follows.",
                        address=event.delivery_address or event.partner_id.email or "",
                        reason=why,
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
