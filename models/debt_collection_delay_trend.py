"""The trend of delays: paid customer invoices with their days late, by month."""

from odoo import api, fields, models
from odoo.tools import SQL


class DebtCollectionDelayTrend(models.Model):
    """Paid customer invoices with their days late: the trend of delays, by month.

    One row per invoice settled. "Days late" = the date of the payment that settled it (the
    latest ``max_date`` of the partial reconciliations of its receivable lines) minus its due
    date, floored at 0 (``rules.dates.days_late``). Built from the ``_select``,
    ``_from``, ``_where`` and ``_group_by`` hooks so another module can extend it; the payer
    profiles read the same rows.
    """

    _name = "debt.collection.delay.trend"
    _description = "Trend of Payment Delays"
    _auto = False
    _order = "payment_date desc, id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    invoice_date = fields.Date(readonly=True)
    due_date = fields.Date(readonly=True)
    payment_date = fields.Date(string="Paid On", readonly=True)
    days_late = fields.Integer(string="Days Late (average)", readonly=True, aggregator="avg")
    is_late = fields.Boolean(string="Paid Late", readonly=True)
    amount = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        return SQL("%s %s %s %s", self._select(), self._from(), self._where(), self._group_by())

    @api.model
    def _select(self):
        return SQL(
            """
            SELECT move.id AS id,
                   move.id AS move_id,
                   move.commercial_partner_id AS partner_id,
                   move.company_id,
                   company.currency_id,
                   move.invoice_user_id,
                   move.invoice_date,
                   move.invoice_date_due AS due_date,
                   MAX(partial.max_date) AS payment_date,
                   GREATEST(MAX(partial.max_date) - move.invoice_date_due, 0) AS days_late,
                   MAX(partial.max_date) > move.invoice_date_due AS is_late,
                   move.amount_total_signed AS amount
            """
        )

    @api.model
    def _from(self):
        return SQL(
            """
            FROM account_move move
            JOIN res_company company ON company.id = move.company_id
            JOIN account_move_line line ON line.move_id = move.id
            JOIN account_account account ON account.id = line.account_id
                 AND account.account_type = 'asset_receivable'
            JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
            """
        )

    @api.model
    def _where(self):
        return SQL(
            """
            WHERE move.move_type = 'out_invoice'
              AND move.state = 'posted'
              AND move.payment_state IN ('paid', 'in_payment')
              AND move.invoice_date_due IS NOT NULL
            """
        )

    @api.model
    def _group_by(self):
        return SQL("GROUP BY move.id, company.currency_id")

    def action_open_invoice(self):
        self.ensure_one()
        return self.move_id._get_records_action()
