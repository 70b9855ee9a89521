"""A penalty invoice line: the invoice it charges, what it charges and the days it covers."""

from odoo import fields, models

from .debt_collection_access import USER

PENALTY_KINDS = [("interest", "Late Interest"), ("indemnity", "Recovery Indemnity")]


class AccountMoveLine(models.Model):
    """A penalty invoice line remembers the invoice it charges and the days it covers.

    These lines are the "already invoiced" column of each invoice's penalty ledger
    (``account.move._debt_penalties``): the lines of penalty invoices that are not cancelled.
    Not copied: a credit note of a penalty invoice waives it, it does not make it claimable again.
    Set by the penalty wizard (Collection Users): a forged line would waive a customer's penalties.
    Odoo's "No Follow-Up" of a receivable line is the invoice's "Never Remind": Collection Users too.
    """

    _name = "account.move.line"
    _inherit = ["account.move.line", "debt.collection.access.mixin"]

    no_followup = fields.Boolean(debt_write=USER)

    debt_penalty_source_id = fields.Many2one(
        "account.move",
        string="Penalty Charged On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        debt_write=USER,
        help="The late invoice whose interest or recovery indemnity this line charges.",
    )
    debt_penalty_kind = fields.Selection(
        PENALTY_KINDS, string="Penalty", copy=False, readonly=True, debt_write=USER
    )
    debt_penalty_date_from = fields.Date(string="Interest From", copy=False, readonly=True, debt_write=USER)
    debt_penalty_date_to = fields.Date(
        string="Interest To",
        copy=False,
        readonly=True,
        debt_write=USER,
        help="Last day of interest this line charges.",
    )
