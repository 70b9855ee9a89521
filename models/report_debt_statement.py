"""What a statement of account shows besides its items: how to pay the balance."""

from odoo import api, models

from .report_debt_letter import Reader


class ReportDebtStatement(models.AbstractModel):
    """The statement of account of customers (``action_report_debt_statement``), in the company
    printing it: its open items (``res.partner._debt_statement_lines``) and the ways to pay
    the net balance, as the letters give them."""

    _name = "report.account_debt_collection.report_debt_statement"
    _description = "Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "pays": self._pays(partners, self.env.company),
        }

    @api.model
    def _pays(self, partners, company):
        """``{partner_id: ways to pay}`` of these customers' net balance in ``company``, from the
        items the statement lists to its reader."""
        partners.with_company(company)._debt_portal_ensure_tokens()
        Letter = self.env["report.account_debt_collection.report_debt_letter"]
        pays = {}
        for partner in partners:
            customer = partner.commercial_partner_id
            lines = partner._debt_statement_lines(company)
            reader = Reader(self.env, customer.lang, customer.country_id.code, company.currency_id)
            invoices = lines.move_id.filtered(lambda move: move.move_type == "out_invoice")
            pays[partner.id] = Letter._pay(
                company, customer, reader, sum(lines.mapped("amount_residual")), invoices.mapped("name")
            )
        return pays
