"""Disputes (litiges) on customer invoices: raised, escalated, resolved, credited."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .debt_collection_access import SYSTEM, USER, require_group

DISPUTE_OUTCOMES = [
    ("justified", "Justified, Credited"),
    ("unjustified", "Unjustified"),
    ("partly", "Partly Justified"),
]


class DebtCollectionDispute(models.Model):
    """A dispute (litige) on a customer invoice.

    While it is open, the invoice is not reminded (``account.move.debt_dispute`` is "has an
    open dispute", the flag the escalation run reads). Resolving it lets the dunning resume at
    the step where it stopped.
    """

    _name = "debt.collection.dispute"
    _description = "Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin", "debt.collection.access.mixin"]
    _order = "state, date desc, id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    salesperson_id = fields.Many2one(
        related="move_id.invoice_user_id", string="Salesperson", store=True, index="btree_not_null"
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Amount Due")
    reason_id = fields.Many2one(
        "debt.collection.dispute.reason",
        required=True,
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    date = fields.Date(string="Raised On", required=True, default=fields.Date.context_today, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        required=True,
        default="open",
        readonly=True,
        tracking=True,
        index=True,
        debt_write=SYSTEM,
        help="Resolved with the Resolve button, which lets the dunning resume.",
    )
    outcome = fields.Selection(DISPUTE_OUTCOMES, tracking=True)
    resolved_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    escalated_date = fields.Date(
        string="Escalated On",
        readonly=True,
        copy=False,
        debt_write=SYSTEM,
        help="Sent back to the collection managers.",
    )
    age = fields.Integer(string="Age (days)", compute="_compute_age")
    note = fields.Html(string="Notes")
    event_id = fields.Many2one(
        "debt.collection.event",
        string="Call",
        readonly=True,
        debt_write=SYSTEM,
        help="The call in which the problem was raised.",
    )
    color = fields.Integer()

    _one_open_per_invoice = models.UniqueIndex(
        "(move_id) WHERE state = 'open'", "An invoice has one open dispute at a time."
    )

    @api.depends("date", "resolved_date")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            end = dispute.resolved_date or today
            dispute.age = (end - dispute.date).days if dispute.date else 0

    @api.constrains("date", "move_id")
    def _check_date(self):
        """Raised on a day between the invoice's date and today."""
        today = fields.Date.context_today(self)
        for dispute in self:
            invoiced = dispute.move_id.invoice_date or dispute.move_id.date
            if dispute.date > today or (invoiced and dispute.date < invoiced):
                raise ValidationError(
                    self.env._(
                        "A dispute is raised between the invoice's date (%(invoiced)s) and today: not on "
                        "%(date)s.",
                        invoiced=format_date(self.env, invoiced),
                        date=format_date(self.env, dispute.date),
                    )
                )

    @api.constrains("move_id")
    def _check_invoice(self):
        """A dispute concerns a posted customer invoice of an active customer."""
        for dispute in self:
            move = dispute.move_id
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(
                    self.env._("A dispute concerns a posted customer invoice: not %(invoice)s.",
                               invoice=move.display_name)
                )
            if not move.commercial_partner_id.active:
                raise ValidationError(
                    self.env._("%(customer)s is archived: restore the customer before raising a dispute.",
                               customer=move.commercial_partner_id.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        for vals in vals_list:
            if vals.get("name", new) == new:
                vals["name"] = self.env["ir.sequence"].next_by_code("debt.collection.dispute") or new
        disputes = super().create(vals_list)
        disputes._debt_notify_raised()
        return disputes

    def _debt_controller(self):
        """The credit controller of the dispute's customer, else of its company."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        return partner.debt_controller_id or self.company_id.debt_controller_id

    def _debt_notify_raised(self):
        """A to-do for the salesperson, a notification to the credit controller, a note on the invoice."""
        for dispute in self:
            body = self.env._(
                "Dispute %(name)s raised on %(invoice)s: %(reason)s.",
                name=dispute.name,
                invoice=dispute.move_id.name,
                reason=dispute.reason_id.name,
            )
            controller = dispute._debt_controller()
            followers = (dispute.salesperson_id | controller | dispute.user_id).partner_id
            dispute.message_subscribe(partner_ids=followers.ids)
            if dispute.salesperson_id:
                dispute.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Settle the dispute with the customer"),
                    note=Markup("<p>%s</p>") % body,
                    user_id=dispute.salesperson_id.id,
                )
            if controller:
                dispute.message_post(
                    body=body,
                    partner_ids=controller.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            dispute.move_id.message_post(
                body=self.env._("%(body)s Dunning stops until it is resolved.", body=body)
            )

    # ------------------------------------------------------------------ actions

    def action_resolve(self):
        """Close the dispute with its outcome: the dunning resumes where it stopped."""
        require_group(self.env, USER, self.env._("Only a Collection User can resolve a dispute."))
        missing = self.filtered(lambda d: not d.outcome)
        if missing:
            raise UserError(
                self.env._(
                    "Choose the outcome of the dispute %(names)s before resolving it.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        open_disputes = self.filtered(lambda d: d.state == "open")
        open_disputes.sudo().write({"state": "resolved", "resolved_date": fields.Date.context_today(self)})
        moves = open_disputes.move_id.filtered(lambda m: not m.debt_dispute)
        moves._debt_reschedule()
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for dispute in open_disputes:
            dispute.activity_ids.action_feedback(feedback=outcomes[dispute.outcome])
            dispute.move_id.message_post(
                body=self.env._(
                    "Dispute %(name)s resolved (%(outcome)s): the dunning resumes where it stopped.",
                    name=dispute.name,
                    outcome=outcomes[dispute.outcome],
                )
            )
        return True

    def action_reopen(self):
        require_group(self.env, USER, self.env._("Only a Collection User can reopen a dispute."))
        self.filtered(lambda d: d.state == "resolved").sudo().write(
            {"state": "open", "resolved_date": False, "escalated_date": False}
        )
        return True

    def action_credit_note(self):
        """Credit the disputed invoice (justified or partly justified disputes)."""
        require_group(self.env, USER, self.env._("Only a Collection User can credit a disputed invoice."))
        self.ensure_one()
        return self.move_id.action_reverse()

    # ------------------------------------------------------------------ scheduled action

    @api.model
    def _cron_escalate_stale(self):
        """Open disputes older than the company's limit come back to the collection managers.

        One search per company, one ``activity_schedule`` per manager and age of the disputes,
        one ``write``.
        """
        today = fields.Date.context_today(self)
        Dispute = self.sudo()
        companies = self.env["res.company"].browse(
            company.id for [company] in Dispute._read_group([("state", "=", "open")], ["company_id"])
        )
        stale = Dispute.browse()
        for company in companies:
            limit = today - timedelta(days=company.debt_dispute_escalation_days or 30)
            stale |= Dispute.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                    ("escalated_date", "=", False),
                    ("date", "<=", limit),
                ]
            )
        if not stale:
            return stale
        managers = self.env.ref("account_debt_collection.group_debt_collection_manager").sudo().all_user_ids
        managers = managers.filtered(lambda u: u.active and not u.share)
        for manager in managers:
            env = self.with_context(lang=manager.lang).env  # the to-do's summary, in their language
            theirs = stale.filtered(lambda d, m=manager: d.company_id in m.company_ids)
            for age, disputes in theirs.grouped("age").items():
                disputes.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    summary=env._("Dispute open for %(days)s days", days=age),
                    user_id=manager.id,
                )
        stale.write({"escalated_date": today})
        return stale
