"""How a collection communication tells the customer to pay: its links, the bank details."""

from odoo import fields, models


class DebtCollectionEvent(models.Model):
    _inherit = "debt.collection.event"

    def _debt_prepare_links(self):
        """Before these communications are rendered: the customers' page links and their invoices'
        portal tokens, in one query each, so that rendering writes nothing."""
        today = fields.Date.context_today(self)
        for company, events in self.grouped("company_id").items():
            events.partner_id.with_company(company)._debt_portal_ensure_tokens(today)
        self.line_ids.move_id._debt_ensure_portal_tokens()

    def _debt_ways_to_pay(self):
        """What a communication says about paying: ``{"bank": ..., "page_url": ...}``.

        ``bank``: the company's account (``res.company._debt_bank_details``), or False;
        ``page_url``: the customer's signed link to its page.
        """
        self.ensure_one()
        return {
            "bank": self.company_id._debt_bank_details(),
            "page_url": self.partner_id._debt_portal_url(),
        }
