"""Run Dunning Now: a preview of who gets what, then the same decisions sent."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.debt_collection_access import USER, require_group


class DebtCollectionRunWizard(models.TransientModel):
    """Run the dunning now, after a preview of who gets what, by which channel.

    The preview is the run's own decision (``debt.collection.run._preview``): the channel
    shown is the one used, fallbacks included. Unticked customers are left for another day.
    """

    _name = "debt.collection.run.wizard"
    _description = "Run Dunning Now"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("debt.collection.run.wizard.line", "wizard_id")
    communication_count = fields.Integer(compute="_compute_totals")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(compute="_compute_totals")

    @api.depends("line_ids.amount_net", "line_ids.include")
    def _compute_totals(self):
        for wizard in self:
            included = wizard.line_ids.filtered("include")
            wizard.communication_count = len(included)
            wizard.amount_total = sum(included.mapped("amount_net"))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            notes_env = self.with_context(lang=self.env.lang).env
            run = self.env["debt.collection.run"].with_company(company)
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "partner_id": comm.partner_id,
                        "step_id": comm.step.id,
                        "channel": comm.channel,
                        "level": comm.level,
                        "invoice_count": len(comm.listed_invoice_ids),
                        "amount_net": comm.net_due,
                        "needs_approval": comm.step.needs_approval,
                        "note": run._fallback_note(notes_env, comm),
                    }
                )
                for comm in (review.communication for review in run._preview(company))
            ]
        return values

    def action_run(self):
        self.ensure_one()
        require_group(self.env, USER, self.env._("Only a Collection User can run the dunning."))
        if not self.line_ids.filtered("include"):
            raise UserError(self.env._("Nothing to do today."))
        skipped = self.line_ids.filtered(lambda line: not line.include).partner_id
        self.env["debt.collection.run"].with_company(self.company_id)._escalate(
            self.company_id, skip_partner_ids=skipped.ids
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_debt_collection.action_debt_collection_event"
        )
        today = fields.Date.context_today(self)
        return action | {"domain": [("date", "=", today), ("company_id", "=", self.company_id.id)]}


class DebtCollectionRunWizardLine(models.TransientModel):
    _name = "debt.collection.run.wizard.line"
    _description = "Run Dunning Now: planned communication"
    _order = "level desc, amount_net desc"

    wizard_id = fields.Many2one("debt.collection.run.wizard", required=True, ondelete="cascade")
    include = fields.Boolean(default=True, help="Untick to leave this customer out of today's run.")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    step_id = fields.Many2one("debt.collection.step", readonly=True)
    channel = fields.Selection(
        selection=lambda self: self.env["debt.collection.step"]
        ._fields["channel"]
        ._description_selection(self.env),
        readonly=True,
    )
    level = fields.Integer(readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    amount_net = fields.Monetary(string="Net Due", readonly=True)
    needs_approval = fields.Boolean(string="Awaits Approval", readonly=True)
    note = fields.Char(readonly=True, help="Why the channel differs from the step's.")
