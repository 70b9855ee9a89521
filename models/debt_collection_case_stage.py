from odoo import fields, models


class DebtCollectionCaseStage(models.Model):
    _name = "debt.collection.case.stage"
    _description = "Collection Case Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(help="Cases in this stage are over (recovered or written off).")
    freezes_dunning = fields.Boolean(
        help="The case is in other hands (agency, factor, court): its invoices are not reminded."
    )
