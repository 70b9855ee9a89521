from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.debt_collection_step import CHANNELS


class DebtCollectionRunWizard(models.TransientModel):
    """Run the dunning now, after a preview of who gets what, by which channel."""

    _name = "debt.collection.run.wizard"
    _description = "Run Dunning Now"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("debt.collection.run.wizard.line", "wizard_id", readonly=True)
    communication_count = fields.Integer(compute="_compute_totals")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(compute="_compute_totals")

    @api.depends("line_ids.amount_net")
    def _compute_totals(self):
        for wizard in self:
            wizard.communication_count = len(wizard.line_ids)
            wizard.amount_total = sum(wizard.line_ids.mapped("amount_net"))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "partner_id": d.communication.partner_id,
                        "step_id": d.communication.step.id,
                        "channel": d.communication.step.channel,
                        "level": d.communication.level,
                        "invoice_count": len(d.communication.listed_ids),
                        "amount_net": d.communication.net_due,
                    }
                )
                for d in self.env["debt.collection.run"].with_company(company)._preview(company)
            ]
        return values

    def action_run(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Nothing to do today."))
        self.env["debt.collection.run"].with_company(self.company_id)._escalate(self.company_id)
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
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    step_id = fields.Many2one("debt.collection.step", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    level = fields.Integer(readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    amount_net = fields.Monetary(string="Net Due", readonly=True)
