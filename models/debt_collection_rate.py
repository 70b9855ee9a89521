from odoo import api, fields, models

from ..rules.legal import RateTable


class DebtCollectionRate(models.Model):
    """A published rate used by the late-payment law, in force from ``date_from`` on.

    One row per kind and half-year (1 January, 1 July), even when the rate does not change:
    a half-year with no row is reported as using a stale rate.
    """

    _name = "debt.collection.rate"
    _description = "Late-Payment Reference Rate"
    _order = "kind, date_from desc"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [
            ("ecb_refi", "ECB Main Refinancing Rate"),
            ("legal_private", "Legal Interest Rate (Creditor a Private Person)"),
            ("legal_other", "Legal Interest Rate (Other Creditors)"),
        ],
        required=True,
    )
    date_from = fields.Date(
        string="In Force From",
        required=True,
        help="First day of the half-year (1 January or 1 July) the rate applies to.",
    )
    rate = fields.Float(string="Rate (%)", digits=(5, 2), required=True, help="Annual rate, in percent.")

    _kind_date_uniq = models.Constraint(
        "UNIQUE(kind, date_from)",
        "There is already a rate of this kind in force from this date.",
    )

    @api.model
    def _rate_table(self):
        """All the rates, as the late-payment rules read them (a few rows a year: no limit)."""
        rows = self.search_read([], ["kind", "date_from", "rate"])  # pylint: disable=no-search-all
        return RateTable((row["kind"], row["date_from"], row["rate"]) for row in rows)
