"""A company's legal identity as letters and court forms print it."""

from odoo import fields, models


class ResPartner(models.Model):
    """A company's legal identity as letters and court forms need it, beyond its Company ID and VAT."""

    _inherit = "res.partner"

    debt_legal_form = fields.Char(
        string="Legal Form",
        help="SARL, SAS, SA, EURL, association...: printed on the letters of a company and on the "
        "requests to court (Cerfa n°12946: form, name and seat of each party).",
    )
