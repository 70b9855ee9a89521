from odoo import fields, models

PENALTY_KINDS = [("interest", "Late Interest"), ("indemnity", "Recovery Indemnity")]


class AccountMoveLine(models.Model):
    """A penalty invoice line remembers the invoice it charges and the days it covers.

    These lines are the "already invoiced" column of each invoice's penalty ledger
    (``account.move._debt_penalties``): the lines of penalty invoices that are not cancelled.
    Not copied: a credit note of a penalty invoice waives it, it does not make it claimable again.
    """

    _inherit = "account.move.line"

    debt_penalty_source_id = fields.Many2one(
        "account.move",
        string="Penalty Charged On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The late invoice whose interest or recovery indemnity this line charges.",
    )
    debt_penalty_kind = fields.Selection(PENALTY_KINDS, string="Penalty", copy=False, readonly=True)
    debt_penalty_date_from = fields.Date(string="Interest From", copy=False, readonly=True)
    debt_penalty_date_to = fields.Date(
        string="Interest To", copy=False, readonly=True, help="Last day of interest this line charges."
    )
