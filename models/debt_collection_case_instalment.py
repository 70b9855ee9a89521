"""One instalment of a case's payment plan (échéancier)."""

from odoo import api, fields, models

INSTALMENT_STATES = [
    ("pending", "Pending"),
    ("partial", "Partly Paid"),
    ("paid", "Paid"),
    ("missed", "Missed"),
]


class DebtCollectionCaseInstalment(models.Model):
    """One instalment of a case's payment plan (échéancier).

    ``principal`` repays the invoices; ``interest`` is what the plan charges on top (to be
    invoiced, e.g. with the penalty invoice). Payments are matched on the principal: the drop
    of the case's amount due since the plan was made, oldest instalment first (daily cron).
    """

    _name = "debt.collection.case.instalment"
    _description = "Payment Plan Instalment"
    _order = "case_id, date, id"

    case_id = fields.Many2one("debt.collection.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True)
    principal = fields.Monetary(required=True)
    interest = fields.Monetary()
    amount = fields.Monetary(compute="_compute_amount", store=True, help="Principal plus interest.")
    paid_amount = fields.Monetary(readonly=True, help="Principal received, oldest instalment first.")
    state = fields.Selection(INSTALMENT_STATES, required=True, default="pending", readonly=True)

    @api.depends("principal", "interest")
    def _compute_amount(self):
        for instalment in self:
            instalment.amount = instalment.principal + instalment.interest
