from collections import defaultdict

from odoo import api, fields, models

from .res_partner_payer_profile import PAYER_CLASS_SELECTION, RISK_GROUPS


class AccountMove(models.Model):
    """The customer's payer class and risk alert on its invoices, for the worklist."""

    _inherit = "account.move"

    debt_payer_class = fields.Selection(
        PAYER_CLASS_SELECTION,
        string="Payer Class",
        readonly=True,
        copy=False,
        help="Payer class of the customer, copied on its open invoices when the profiles are "
        "refreshed (and when an invoice is posted), so that the worklist can sort by it.",
    )
    debt_risk_alert = fields.Char(string="Risk Alert", compute="_compute_debt_risk_alert", groups=RISK_GROUPS)

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_debt_risk_alert(self):
        partners = self.commercial_partner_id
        alerts = dict(zip(partners.ids, partners.mapped("debt_risk_alert"), strict=True))
        for move in self:
            move.debt_risk_alert = alerts.get(move.commercial_partner_id.id, False)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        by_class = defaultdict(list)
        for move in posted.filtered(lambda m: m.move_type == "out_invoice"):
            by_class[move.commercial_partner_id.debt_payer_class or False].append(move.id)
        for payer_class, ids in by_class.items():
            moves = self.browse(ids).filtered(lambda m, c=payer_class: m.debt_payer_class != c)
            if moves:
                moves.write({"debt_payer_class": payer_class})
        return posted
