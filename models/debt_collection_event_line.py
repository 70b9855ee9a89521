from odoo import fields, models


class DebtCollectionEventLine(models.Model):
    """One invoice of a collection event, with its figures on that day."""

    _name = "debt.collection.event.line"
    _description = "Collection Event Invoice"
    _order = "due_date, id"

    event_id = fields.Many2one("debt.collection.event", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True)
    date = fields.Date(related="event_id.date", store=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one(
        "debt.collection.step", ondelete="restrict", help="Step the invoice took with this event."
    )
    advanced = fields.Boolean(help="The invoice took a step with this event (else only listed).")
    cycle = fields.Integer(help="Dunning cycle of the invoice: a reset starts a new one.")
    level = fields.Integer()
    due_date = fields.Date()
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    amount_total = fields.Monetary(string="Amount")
    amount_residual = fields.Monetary(string="Amount Due")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_residual_company = fields.Monetary(
        string="Amount Due (company currency)", currency_field="company_currency_id"
    )

    interest_amount = fields.Monetary(string="Late Interest", currency_field="company_currency_id")
    indemnity_amount = fields.Monetary(string="Recovery Indemnity", currency_field="company_currency_id")

    _one_step_once_per_cycle = models.UniqueIndex(
        "(move_id, step_id, cycle) WHERE advanced",
        "An invoice takes each dunning step once.",
    )
