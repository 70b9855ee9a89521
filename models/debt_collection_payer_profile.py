"""The payer profiles of all customers, per company: a list and a pivot by class."""

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner_payer_profile import PAYER_CLASS_SELECTION

#: The payer-profile fields of res.partner (company-dependent), as this report's columns:
#: (column, partner field, SQL type).
PROFILE_COLUMNS = (
    ("payer_class", "debt_payer_class", "varchar"),
    ("avg_days_late", "debt_avg_days_late", "float8"),
    ("on_time_ratio", "debt_on_time_ratio", "float8"),
    ("late_count", "debt_late_count", "int4"),
    ("broken_promise_count", "debt_broken_promise_count", "int4"),
    ("dispute_count", "debt_dispute_count", "int4"),
    ("profile_date", "debt_profile_date", "date"),
)


class DebtCollectionPayerProfile(models.Model):
    """The payer profile of each customer in each company where it has one, with what it
    owes there: a list and a pivot by class of what the customers' forms show one by one."""

    _name = "debt.collection.payer.profile"
    _description = "Payer Profile"
    _auto = False
    _order = "payer_class desc, amount_open desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    payer_class = fields.Selection(PAYER_CLASS_SELECTION, readonly=True)
    avg_days_late = fields.Float(string="Average Days Late", digits=(16, 1), readonly=True, aggregator="avg")
    on_time_ratio = fields.Float(string="Paid on Time", readonly=True, aggregator="avg")
    late_count = fields.Integer(string="Late Invoices", readonly=True)
    broken_promise_count = fields.Integer(string="Broken Promises", readonly=True)
    dispute_count = fields.Integer(string="Disputes", readonly=True)
    profile_date = fields.Date(string="Refreshed On", readonly=True)
    amount_open = fields.Monetary(
        string="Receivable",
        readonly=True,
        help="What the customer owes the company, net of its open credits.",
    )

    @property
    def _table_query(self):
        values = SQL(", ").join(
            SQL(
                "(p.%s ->> k.company_key)::%s AS %s",
                SQL.identifier(partner_field),
                SQL(sql_type),
                SQL.identifier(column),
            )
            for column, partner_field, sql_type in PROFILE_COLUMNS
        )
        return SQL(
            """
            SELECT p.id::bigint * 100000 + company.id AS id, p.id AS partner_id,
                   company.id AS company_id, company.currency_id, %(values)s,
                   COALESCE(receivable.amount, 0) AS amount_open
              FROM res_partner p
        CROSS JOIN LATERAL jsonb_object_keys(p.debt_profile_date) AS k(company_key)
              JOIN res_company company ON company.id = k.company_key::int
         LEFT JOIN (%(receivable)s) receivable
                ON receivable.partner_id = p.id AND receivable.company_id = company.id
             WHERE p.debt_profile_date IS NOT NULL
            """,
            values=values,
            receivable=self._receivable(),
        )

    @api.model
    def _receivable(self):
        """Open receivable per customer and company, net of credits."""
        return SQL(
            """
            SELECT COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id,
                   aml.company_id, SUM(aml.amount_residual) AS amount
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
         LEFT JOIN res_partner partner ON partner.id = aml.partner_id
             WHERE account.account_type = 'asset_receivable'
               AND aml.parent_state = 'posted'
               AND aml.reconciled IS NOT TRUE
             GROUP BY 1, 2
            """
        )

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id.with_company(self.company_id)._get_records_action()

    def action_open_receivables(self):
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_debt_open_receivables()
