from odoo import api, fields, models
from odoo.tools import SQL

from ..rules.analytics import FORECAST_WEEKS, week_start


class DebtCollectionForecast(models.Model):
    """A weekly snapshot of the cash-in forecast of a company (prédictif d'encaissements).

    Kept so that the forecast can be compared with what came in afterwards
    (``debt.collection.forecast.actual``).
    """

    _name = "debt.collection.forecast"
    _description = "Cash-in Forecast"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    date = fields.Date(string="Forecast Date", required=True, readonly=True, index=True)
    week_start = fields.Date(string="First Week", required=True, readonly=True, help="Monday of week 0.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("debt.collection.forecast.line", "forecast_id", readonly=True)
    amount_total = fields.Monetary(string="Forecast Cash-in", compute="_compute_amount_total")

    _one_per_day = models.Constraint(
        "UNIQUE(company_id, date)", "A company has one cash-in forecast per day."
    )

    @api.depends("date", "company_id")
    def _compute_name(self):
        for forecast in self:
            forecast.name = self.env._(
                "Forecast of %(date)s", date=fields.Date.to_string(forecast.date) if forecast.date else ""
            )

    def _compute_amount_total(self):
        totals = dict(
            self.env["debt.collection.forecast.line"]._read_group(
                [("forecast_id", "in", self.ids)], ["forecast_id"], ["amount:sum"]
            )
        )
        for forecast in self:
            forecast.amount_total = totals.get(forecast, 0.0)

    @api.model
    def _forecast_query(self, company, today):
        """``SELECT`` of the forecast lines of ``company`` seen on ``today``, set-based.

        Expected date (``rules.analytics.expected_payment_date``): the promised date if any,
        else the due date plus the customer's average days late, rounded half up; disputed
        invoices are left out. Week (``forecast_week``): 0 for the week of ``today`` and for
        the dates already past, up to the horizon.
        """
        first_monday = week_start(today)
        return SQL(
            """
            SELECT q.*,
                   %(first_monday)s + 7 * q.week AS week_start
              FROM (
                SELECT e.*,
                       GREATEST(
                           (e.expected_date - (EXTRACT(ISODOW FROM e.expected_date)::int - 1)
                            - %(first_monday)s) / 7,
                           0) AS week
                  FROM (
                    SELECT move.id AS move_id,
                           move.commercial_partner_id AS partner_id,
                           move.invoice_date_due AS due_date,
                           move.debt_promise_date AS promise_date,
                           CASE WHEN move.debt_promise_date IS NOT NULL THEN 'promise' ELSE 'delay' END
                               AS source,
                           COALESCE(
                               move.debt_promise_date,
                               move.invoice_date_due
                               + FLOOR(COALESCE(partner.debt_avg_days_late, 0) + 0.5)::int
                           ) AS expected_date,
                           move.amount_residual_signed AS amount
                      FROM account_move move
                      JOIN res_partner partner ON partner.id = move.commercial_partner_id
                     WHERE move.company_id = %(company)s
                       AND move.move_type = 'out_invoice'
                       AND move.state = 'posted'
                       AND move.payment_state IN ('not_paid', 'partial')
                       AND move.invoice_date_due IS NOT NULL
                       AND NOT COALESCE(move.debt_dispute, FALSE)
                  ) e
              ) q
             WHERE q.week < %(weeks)s
            """,
            first_monday=first_monday,
            company=company.id,
            weeks=FORECAST_WEEKS,
        )

    @api.model
    def _take_snapshot(self, company, today=None):
        """The forecast of ``company`` on ``today``: one ``INSERT ... SELECT``; a second
        snapshot the same day replaces the first."""
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        forecast = self.search([("company_id", "=", company.id), ("date", "=", today)])
        if forecast:
            self.env.cr.execute(
                SQL("DELETE FROM debt_collection_forecast_line WHERE forecast_id = %s", forecast.id)
            )
        else:
            # A snapshot is the system's, whoever opens the forecast first this week.
            forecast = (
                self.sudo()
                .create({"company_id": company.id, "date": today, "week_start": week_start(today)})
                .sudo(False)
            )
            self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO debt_collection_forecast_line (
                    forecast_id, company_id, date, move_id, partner_id, due_date, promise_date, source,
                    expected_date, week, week_start, amount,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(forecast)s, %(company)s, %(today)s, f.move_id, f.partner_id, f.due_date,
                       f.promise_date, f.source, f.expected_date, f.week, f.week_start, f.amount,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM (%(query)s) f
                """,
                forecast=forecast.id,
                company=company.id,
                today=today,
                uid=self.env.uid,
                query=self._forecast_query(company, today),
            )
        )
        self.env["debt.collection.forecast.line"].invalidate_model()
        forecast.invalidate_recordset()
        return forecast

    @api.model
    def _latest(self, company):
        return self.search([("company_id", "=", company.id)], order="date desc, id desc", limit=1)

    @api.model
    def _cron_snapshot(self):
        """Scheduled action (weekly): a forecast per company with open customer invoices."""
        cron = self.env["ir.cron"]
        companies = self.env["res.company"].browse(
            company.id
            for [company] in self.env["account.move"]._read_group(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                ["company_id"],
            )
        )
        cron._commit_progress(remaining=len(companies))
        for company in companies:
            self.with_company(company)._take_snapshot(company)
            if not cron._commit_progress(1):
                return

    # ------------------------------------------------------------------ actions

    @api.model
    def action_open_current(self):
        """Open this week's forecast of the current company (taken now if there is none yet)."""
        company = self.env.company
        forecast = self._latest(company)
        today = fields.Date.context_today(self)
        if not forecast or forecast.week_start != week_start(today):
            forecast = self._take_snapshot(company, today)
        return forecast.action_open_lines()

    def action_refresh(self):
        self.ensure_one()
        return self._take_snapshot(self.company_id).action_open_lines()

    def action_open_lines(self, domain=None):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "debt.collection.forecast.line",
            "view_mode": "graph,list,pivot",
            "domain": [("forecast_id", "=", self.id), *(domain or [])],
            "context": {"create": False},
        }

    def action_open_actual(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Forecast vs Actual: %(name)s", name=self.name),
            "res_model": "debt.collection.forecast.actual",
            "view_mode": "graph,list",
            "domain": [("forecast_id", "=", self.id)],
            "context": {"create": False},
        }


class DebtCollectionForecastLine(models.Model):
    """One open invoice of a forecast, with the week its payment is expected in."""

    _name = "debt.collection.forecast.line"
    _description = "Cash-in Forecast Line"
    _order = "week, expected_date, id"
    _rec_name = "move_id"

    forecast_id = fields.Many2one("debt.collection.forecast", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Forecast Date", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    due_date = fields.Date(readonly=True)
    promise_date = fields.Date(string="Promised Date", readonly=True)
    source = fields.Selection(
        [("delay", "Average Delay"), ("promise", "Promise to Pay")], string="Based On", readonly=True
    )
    expected_date = fields.Date(string="Expected Payment", readonly=True)
    week = fields.Integer(readonly=True, aggregator=None, help="0: the week of the forecast.")
    week_start = fields.Date(string="Week Of", readonly=True)
    amount = fields.Monetary(string="Expected Cash-in", readonly=True)


class DebtCollectionForecastActual(models.Model):
    """Per forecast and week: the cash-in forecast, and what came in on those invoices."""

    _name = "debt.collection.forecast.actual"
    _description = "Cash-in Forecast vs Actual"
    _auto = False
    _order = "forecast_date desc, week"

    forecast_id = fields.Many2one("debt.collection.forecast", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    forecast_date = fields.Date(readonly=True)
    week = fields.Integer(readonly=True, aggregator=None)
    week_start = fields.Date(string="Week Of", readonly=True)
    amount_forecast = fields.Monetary(string="Forecast Amount", readonly=True)
    amount_actual = fields.Monetary(
        string="Collected",
        readonly=True,
        help="Payments matched, that week, with the invoices of the forecast (from the forecast date).",
    )
    amount_difference = fields.Monetary(string="Difference", readonly=True)

    @property
    def _table_query(self):
        return SQL("%s %s", self._select(), self._from())

    @api.model
    def _select(self):
        return SQL(
            """
            SELECT f.id * 100 + w.week AS id,
                   f.id AS forecast_id,
                   f.company_id,
                   company.currency_id,
                   f.date AS forecast_date,
                   w.week,
                   f.week_start + 7 * w.week AS week_start,
                   COALESCE(fc.amount, 0) AS amount_forecast,
                   COALESCE(ac.amount, 0) AS amount_actual,
                   COALESCE(ac.amount, 0) - COALESCE(fc.amount, 0) AS amount_difference
            """
        )

    @api.model
    def _from(self):
        return SQL(
            """
            FROM debt_collection_forecast f
            JOIN res_company company ON company.id = f.company_id
            CROSS JOIN generate_series(0, %(last_week)s) AS w(week)
            LEFT JOIN (
                SELECT forecast_id, week, SUM(amount) AS amount
                  FROM debt_collection_forecast_line
                 GROUP BY forecast_id, week
            ) fc ON fc.forecast_id = f.id AND fc.week = w.week
            LEFT JOIN (
                SELECT line.forecast_id,
                       (partial.max_date - f2.week_start) / 7 AS week,
                       SUM(partial.amount) AS amount
                  FROM debt_collection_forecast_line line
                  JOIN debt_collection_forecast f2 ON f2.id = line.forecast_id
                  JOIN account_move_line aml ON aml.move_id = line.move_id
                  JOIN account_account account ON account.id = aml.account_id
                       AND account.account_type = 'asset_receivable'
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = aml.id
                 WHERE partial.max_date >= f2.date
                   AND partial.max_date < f2.week_start + %(days)s
                 GROUP BY line.forecast_id, (partial.max_date - f2.week_start) / 7
            ) ac ON ac.forecast_id = f.id AND ac.week = w.week
            """,
            last_week=FORECAST_WEEKS - 1,
            days=7 * FORECAST_WEEKS,
        )
