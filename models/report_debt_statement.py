"""What a statement of account shows: a customer's open items, their totals, how to pay the balance."""

from odoo import api, fields, models

from ..rules.dates import days_late
from .account_move import OPEN_ITEMS_DOMAIN
from .report_debt_letter import Reader


class ReportDebtStatement(models.AbstractModel):
    """The statement of account of customers (``action_report_debt_statement``) in the company
    printing it, prepared here for the template to display, each part in a hook of its own:
    which items it lists (``_statement_domain``), what a row shows (``_statement_line``), the
    figures under the rows (``_statement_totals``) and the ways to pay the net balance
    (``_pays``), as the letters give them. A statement sent or printed from the follow-up (an
    event, ``report_debt_letter``) shows the same ``_statements``."""

    _name = "report.account_debt_collection.report_debt_statement"
    _description = "Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        company = self.env.company
        items = self._statement_items(partners, company)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": self._statements(partners, company, items),
            "pays": self._pays(partners, company, items),
        }

    # ------------------------------------------------------------------ hooks

    @api.model
    def _statement_domain(self, partners, company):
        """The open receivable items of these customers in ``company``: invoices, credit notes, payments."""
        return [
            ("partner_id", "in", partners.commercial_partner_id.ids),
            ("company_id", "=", company.id),
            *OPEN_ITEMS_DOMAIN,
        ]

    @api.model
    def _statement_line(self, line, today):
        """One row: the item's document, dates, amount, what is still open and, for an amount
        still owed past its due date, the days late."""
        return {
            "name": line.move_id.name,
            "date": line.date,
            "due_date": line.date_maturity,
            "amount": line.balance,
            "open": line.amount_residual,
            "days_late": days_late(line.date_maturity, today) if line.amount_residual > 0 else 0,
        }

    @api.model
    def _statement_totals(self, lines):
        """What the customer owes, the credits in its favour and the net balance of these items."""
        due = sum(amount for amount in lines.mapped("amount_residual") if amount > 0)
        credit = -sum(amount for amount in lines.mapped("amount_residual") if amount < 0)
        return {"due": due, "credit": credit, "balance": due - credit}

    # ------------------------------------------------------------------ statements

    @api.model
    def _statement_items(self, partners, company):
        """``{partner_id: open items}`` of these customers in ``company`` (their commercial entity's),
        by due date, in one search."""
        lines = self.env["account.move.line"].search(
            self._statement_domain(partners, company), order="date_maturity, date, id"
        )
        by_customer = lines.grouped("partner_id")
        return {
            partner.id: by_customer.get(partner.commercial_partner_id, lines.browse()) for partner in partners
        }

    @api.model
    def _statements(self, partners, company, items=None):
        """``{partner_id: values}`` of these customers' statements in ``company``, on today's date:
        the rows and the totals the template prints. ``items``: ``_statement_items`` when read already."""
        items = self._statement_items(partners, company) if items is None else items
        today = fields.Date.context_today(self)
        return {
            partner.id: {
                "date": today,
                "lines": [self._statement_line(line, today) for line in items[partner.id]],
                **self._statement_totals(items[partner.id]),
            }
            for partner in partners
        }

    @api.model
    def _pays(self, partners, company, items):
        """``{partner_id: ways to pay}`` of these customers' net balance in ``company``, from the
        items the statement lists (``_statement_items``), to its reader."""
        partners.with_company(company)._debt_portal_ensure_tokens()
        Letter = self.env["report.account_debt_collection.report_debt_letter"]
        pays = {}
        for partner in partners:
            customer = partner.commercial_partner_id
            lines = items[partner.id]
            reader = Reader(self.env, customer.lang, customer.country_id.code, company.currency_id)
            invoices = lines.move_id.filtered(lambda move: move.move_type == "out_invoice")
            pays[partner.id] = Letter._pay(
                company, customer, reader, sum(lines.mapped("amount_residual")), invoices.mapped("name")
            )
        return pays
