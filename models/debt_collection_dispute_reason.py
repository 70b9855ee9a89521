"""Why a customer disputes an invoice: a configurable list."""

from odoo import fields, models


class DebtCollectionDisputeReason(models.Model):
    """Why a customer disputes an invoice: a configurable list."""

    _name = "debt.collection.dispute.reason"
    _description = "Dispute Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the reason between companies.")
    description = fields.Text(translate=True)
