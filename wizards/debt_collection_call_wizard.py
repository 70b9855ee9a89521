"""Log a Call: the outcome of a call, a promise, a dispute, the next call, the recap."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..models.debt_collection_access import USER, require_group
from ..models.debt_collection_event import CALL_OUTCOMES, PAYMENT_METHODS

#: Outcomes whose recap email goes out unless the user unticks it.
RECAP_BY_DEFAULT = ("paid", "promise", "problem")
#: The furthest a call is put off (unreachable customer), in days.
MAX_RESCHEDULE_DAYS = 365


class DebtCollectionCallWizard(models.TransientModel):
    """Log the outcome of a call to a customer: from its phone task, an invoice or the customer.

    It records a collection event, acts on the outcome (satisfaction, promise to pay, dispute,
    new call), closes the phone task and emails the customer a recap of what was agreed.
    """

    _name = "debt.collection.call.wizard"
    _description = "Log a Call"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True)
    activity_id = fields.Many2one("mail.activity", string="Phone Task")
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    total_due = fields.Monetary(compute="_compute_total_due")
    outcome = fields.Selection(CALL_OUTCOMES, required=True, default="satisfied")
    satisfaction_score = fields.Integer(string="Satisfaction (1-5)", help="0: not rated.")
    payment_method = fields.Selection(PAYMENT_METHODS, string="Paid By")
    payment_date = fields.Date(string="Paid On")
    promise_date = fields.Date(string="Promised Date")
    promise_amount = fields.Monetary(
        string="Promised Amount", compute="_compute_promise_amount", store=True, readonly=False
    )
    reason_id = fields.Many2one(
        "debt.collection.dispute.reason",
        string="Problem",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    dispute_user_id = fields.Many2one(
        "res.users",
        string="Dispute Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    reschedule_date = fields.Date(
        string="Call Again On", default=lambda self: fields.Date.context_today(self) + timedelta(days=1)
    )
    note = fields.Text()
    send_recap = fields.Boolean(
        string="Send a Recap",
        compute="_compute_send_recap",
        store=True,
        readonly=False,
        help="Send the customer what was agreed (date, amount, invoices): by email, or by letter "
        "when its email address cannot be used.",
    )
    recap_by_letter = fields.Boolean(
        compute="_compute_recap_by_letter",
        help="The customer has no email address that works: the recap waits in Letters to Print.",
    )

    # ------------------------------------------------------------------ defaults

    @api.model
    def _action_open(self, model, records):
        records.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": model, "active_ids": records.ids, "active_id": records[:1].id},
        }

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or (
            [self.env.context["active_id"]] if self.env.context.get("active_id") else []
        )
        if not model or not ids:
            return values
        Move = self.env["account.move"]
        activity = self.env["mail.activity"]
        if model == "mail.activity":
            activity = activity.browse(ids[:1])
            if activity.res_model == "account.move":
                moves = Move.browse(activity.res_id)
                partner = moves.commercial_partner_id
            else:
                partner = self.env[activity.res_model].browse(activity.res_id).commercial_partner_id
                moves = self._event_moves(activity)
        elif model == "account.move":
            moves = Move.browse(ids)
            partner = moves.commercial_partner_id[:1]
        elif model == "res.partner":
            partner = self.env["res.partner"].browse(ids[:1]).commercial_partner_id
            moves = Move
        else:
            return values
        if not activity:
            activity = self._open_phone_task(partner)
            if not moves:
                moves = self._event_moves(activity)
        moves = moves.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
            and m.commercial_partner_id == partner
        )
        if not moves and partner:
            moves = Move.search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )
        values.update(
            partner_id=partner.id,
            activity_id=activity.id,
            move_ids=[fields.Command.set(moves.ids)],
        )
        if moves[:1].company_id:
            values["company_id"] = moves[:1].company_id.id
        return values

    def _event_moves(self, activity):
        """The open invoices the dunning event of this phone task listed."""
        if not activity:
            return self.env["account.move"]
        event = self.env["debt.collection.event"].search([("activity_id", "=", activity.id)], limit=1)
        return event.line_ids.move_id

    def _open_phone_task(self, partner):
        """The latest open phone task the dunning created for this customer, if any."""
        if not partner:
            return self.env["mail.activity"]
        events = self.env["debt.collection.event"].search(
            [("partner_id", "=", partner.id), ("activity_id", "!=", False)],
            order="date desc, id desc",
            limit=5,
        )
        return events.activity_id.filtered("active")[:1]

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id(self):
        """Another customer: the invoices of the previous one go (the server refuses them anyway)."""
        self.move_ids = self.move_ids.filtered(
            lambda m: m.commercial_partner_id == self.partner_id.commercial_partner_id
            and m.company_id == self.company_id
        )

    @api.depends("move_ids")
    def _compute_total_due(self):
        for wizard in self:
            wizard.total_due = sum(wizard.move_ids.mapped("amount_residual_signed"))

    @api.depends("move_ids")
    def _compute_promise_amount(self):
        for wizard in self:
            wizard.promise_amount = sum(wizard.move_ids.mapped("amount_residual_signed"))

    @api.depends("outcome")
    def _compute_send_recap(self):
        for wizard in self:
            wizard.send_recap = wizard.outcome in RECAP_BY_DEFAULT

    @api.depends("partner_id.email", "partner_id.message_bounce", "partner_id.is_blacklisted")
    def _compute_recap_by_letter(self):
        for wizard in self:
            partner = wizard.partner_id
            wizard.recap_by_letter = (
                not partner.email or bool(partner.message_bounce) or partner.is_blacklisted
            )

    @api.constrains("satisfaction_score")
    def _check_satisfaction_score(self):
        if any(not 0 <= wizard.satisfaction_score <= 5 for wizard in self):
            raise ValidationError(self.env._("A satisfaction score goes from 1 to 5 (0: not rated)."))

    # ------------------------------------------------------------------ confirm

    def action_confirm(self):
        """Record the call and act on its outcome; bad input raises and writes nothing.

        What the user chose is checked here; the event, its lines, the promise and the
        disputes are then the workflow's own records, written as superuser.
        """
        self.ensure_one()
        require_group(self.env, USER, self.env._("Only a Collection User can log a call."))
        self._check_input()
        today = fields.Date.context_today(self)
        event = self.env["debt.collection.event"].sudo().create(self._event_values(today)).with_env(self.env)
        getattr(self, f"_apply_{self.outcome}")(event, today)
        if self.activity_id and self.outcome != "unreachable":
            self.activity_id.action_feedback(feedback=event.note)
        self.partner_id._message_log(body=Markup("%s<br/>%s") % (self.env._("Call logged."), event.note))
        if self.send_recap and self.recap_by_letter:
            self._queue_recap_letter(event, today)
        elif self.send_recap:
            template = self.env.ref("account_debt_collection.mail_template_call_recap")
            event._debt_prepare_links()
            mails = template.sudo().send_mail_batch(event.ids)
            # in the customer's chatter, its delivery followed, as the run's emails
            self.env["debt.collection.run"].sudo()._show_on_customers(mails, event)
        return {"type": "ir.actions.act_window_close"}

    def _queue_recap_letter(self, call, today):
        """The recap, in the customer's language, waits in Letters to Print."""
        summary = self.with_context(lang=self.partner_id.lang or self.env.lang)._summary()
        values = dict(self._event_values(today), channel="letter", letter_type="call_recap", state="to_print")
        values.update(note=summary, outcome=False, payment_method=False, payment_date=False)
        return self.env["debt.collection.event"].sudo().create(values)

    def _check_input(self):
        today = fields.Date.context_today(self)
        partner = self.partner_id.commercial_partner_id
        if not partner.active:
            raise UserError(
                self.env._("%(customer)s is archived: restore the customer before logging a call.",
                           customer=partner.display_name)
            )
        strangers = self.move_ids.filtered(
            lambda m: m.commercial_partner_id != partner
            or m.company_id != self.company_id
            or not m._debt_is_open()
        )
        if strangers:
            raise UserError(
                self.env._(
                    "A call is about the open invoices of %(customer)s in %(company)s: not %(invoices)s.",
                    customer=partner.display_name,
                    company=self.company_id.name,
                    invoices=", ".join(strangers.mapped("display_name")),
                )
            )
        needs_invoices = self.outcome in ("paid", "promise", "problem")
        if needs_invoices and not self.move_ids:
            raise UserError(self.env._("Select the invoices the call was about."))
        if self.outcome == "paid" and not (self.payment_method and self.payment_date):
            raise UserError(self.env._("Ask the customer how and when the invoices were paid."))
        if self.outcome == "paid":
            invoiced = min(self.move_ids.mapped(lambda m: m.invoice_date or m.date))
            if not invoiced <= self.payment_date <= today:
                raise UserError(
                    self.env._(
                        "The customer paid between the invoice's date (%(invoiced)s) and today: not on "
                        "%(date)s.",
                        invoiced=format_date(self.env, invoiced),
                        date=format_date(self.env, self.payment_date),
                    )
                )
        if self.outcome == "problem" and not self.reason_id:
            raise UserError(self.env._("Choose the problem the customer raised."))
        if self.outcome == "promise":
            self.env["debt.collection.promise"].with_company(self.company_id)._debt_check_values(
                self.partner_id, self.move_ids, self.promise_date, self.promise_amount
            )
        if self.outcome == "unreachable" and (
            not self.reschedule_date
            or not 0 <= (self.reschedule_date - today).days <= MAX_RESCHEDULE_DAYS
        ):
            raise UserError(
                self.env._("Choose a day, from today to a year from now, to call the customer again.")
            )

    def _event_values(self, today):
        due = sum(self.move_ids.mapped("amount_residual_signed"))
        return {
            "date": today,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "origin": "manual",
            "channel": "phone",
            "outcome": self.outcome,
            "level": max(self.move_ids.mapped("debt_level"), default=0),
            "payment_method": self.payment_method if self.outcome == "paid" else False,
            "payment_date": self.payment_date if self.outcome == "paid" else False,
            "note": self._summary(),
            "amount_due": due,
            "amount_net": due,
            "line_ids": self.env["debt.collection.event"]._line_commands(self.move_ids, today),
        }

    def _summary(self):
        """One sentence saying what the call came to, for the event, the task and the chatter."""
        invoices = ", ".join(self.move_ids.mapped("name"))
        lang = self.partner_id.lang
        if self.outcome == "satisfied":
            text = self.env._("Customer satisfied.")
        elif self.outcome == "paid":
            methods = dict(self._fields["payment_method"]._description_selection(self.env))
            text = self.env._(
                "Customer says %(invoices)s paid by %(method)s on %(date)s.",
                invoices=invoices,
                method=methods[self.payment_method].lower(),
                date=format_date(self.env, self.payment_date, lang_code=lang),
            )
        elif self.outcome == "promise":
            text = self.env._(
                "Promise to pay %(amount)s by %(date)s for %(invoices)s.",
                amount=self.currency_id.format(self.promise_amount),
                date=format_date(self.env, self.promise_date, lang_code=lang),
                invoices=invoices,
            )
        elif self.outcome == "problem":
            text = self.env._(
                "Problem raised on %(invoices)s: %(reason)s.", invoices=invoices, reason=self.reason_id.name
            )
        else:
            text = self.env._(
                "Customer unreachable: call again on %(date)s.",
                date=format_date(self.env, self.reschedule_date, lang_code=lang),
            )
        return "\n".join(filter(None, [text, self.note]))

    def _satisfaction_values(self, state):
        values = {"debt_satisfaction": state, "debt_satisfaction_note": self.note or False}
        if self.satisfaction_score:
            values["debt_satisfaction_score"] = self.satisfaction_score
        return values

    def _apply_satisfied(self, event, today):
        self.move_ids.sudo().write(self._satisfaction_values("satisfied"))

    def _apply_paid(self, event, today):
        """Said to be paid: a promise of the whole amount, today, pauses the dunning while the
        payment reaches the books (grace period); if it does not, the promise is found broken."""
        self._create_promise(event, today, sum(self.move_ids.mapped("amount_residual_signed")))

    def _apply_promise(self, event, today):
        self._create_promise(event, self.promise_date, self.promise_amount)

    def _create_promise(self, event, promised_date, amount):
        promise = self.env["debt.collection.promise"].sudo().create(
            {
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "move_ids": [fields.Command.set(self.move_ids.ids)],
                "date": promised_date,
                "amount": amount,
                "event_id": event.id,
                "note": event.note,
            }
        )
        event.sudo().promise_id = promise
        return promise

    def _apply_problem(self, event, today):
        Dispute = self.env["debt.collection.dispute"]
        open_disputes = Dispute.search([("move_id", "in", self.move_ids.ids), ("state", "=", "open")])
        for dispute in open_disputes:
            dispute.message_post(body=event.note)
        Dispute.sudo().create(
            [
                {
                    "move_id": move.id,
                    "reason_id": self.reason_id.id,
                    "user_id": self.dispute_user_id.id,
                    "date": today,
                    "note": Markup("<p>%s</p>") % (self.note or ""),
                    "event_id": event.id,
                }
                for move in self.move_ids - open_disputes.move_id
            ]
        )
        self.move_ids.sudo().write(self._satisfaction_values("unsatisfied"))

    def _apply_unreachable(self, event, today):
        """Leave the phone task open, for another day; create one if the call had none."""
        if self.activity_id:
            self.activity_id.date_deadline = self.reschedule_date
            return
        partner = self.partner_id.with_company(self.company_id)
        # a credit controller need not edit contacts to plan a call (the wizard is theirs)
        self.partner_id.sudo().activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.reschedule_date,
            summary=self.env._("Call again"),
            user_id=(partner.debt_controller_id or self.company_id.debt_controller_id or self.env.user).id,
        )
