from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    debt_dispute_escalation_days = fields.Integer(
        related="company_id.debt_dispute_escalation_days", readonly=False
    )
