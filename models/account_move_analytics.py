"""The customer's payer class and risk alert, shown on its invoices for the worklist."""

from odoo import api, fields, models

from .res_partner_payer_profile import RISK_GROUPS


class AccountMove(models.Model):
    """The customer's payer class and risk alert on its invoices, for the worklist."""

    _inherit = "account.move"

    # Read from the customer, not copied: the worklist sorts and groups by it through a join,
    # and a refresh of the payer profiles writes no invoice.
    debt_payer_class = fields.Selection(related="commercial_partner_id.debt_payer_class")
    debt_risk_alert = fields.Char(string="Risk Alert", compute="_compute_debt_risk_alert", groups=RISK_GROUPS)

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_debt_risk_alert(self):
        partners = self.commercial_partner_id
        alerts = dict(zip(partners.ids, partners.mapped("debt_risk_alert"), strict=True))
        for move in self:
            move.debt_risk_alert = alerts.get(move.commercial_partner_id.id, False)
