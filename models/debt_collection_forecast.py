"""The cash-in forecast: weekly snapshots (``rules.forecast``), their rows and their accuracy."""

import io
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..rules import forecast as rules
from ..rules.analytics import window_start

SOURCE_SELECTION = [
    (rules.PROMISE, "Promise to Pay"),
    (rules.PLAN, "Payment Plan"),
    (rules.DELAY, "Customer's Delay"),
    (rules.OVERDUE, "Collection Curve"),
    (rules.EXCLUDED, "Excluded Customer"),
    (rules.HANDED_OFF, "Agency, Factor or Court"),
    (rules.DISPUTED, "Disputed"),
    (rules.CREDIT, "Credit Balance"),
    (rules.COVERED, "Covered by Credits"),
]
#: Sources of the lines that are in the weeks (the others are rows apart).
FORECAST_SOURCES = (rules.PROMISE, rules.PLAN, rules.DELAY, rules.OVERDUE)
#: The rows of a forecast that are not weeks, in display order: what the horizon leaves, then
#: each kind apart.
ROW_KINDS = [
    ("week", "Week"),
    ("later", "Later or Not Expected"),
    (rules.EXCLUDED, "Excluded Customers"),
    (rules.HANDED_OFF, "With an Agency, a Factor or the Court"),
    (rules.DISPUTED, "Disputed"),
    (rules.CREDIT, "Credit Balances"),
]
WEEK_HELP = "Weeks after the first: 0 for week 1, the week of the forecast."
WEEK_FIELDS = tuple(f"amount_week_{week}" for week in range(rules.FORECAST_WEEKS))
#: Journals whose entries matched with a receivable are collections: money came in. A credit
#: note, a write-off, a reversal or an exchange difference is not.
CASH_JOURNAL_TYPES = ("bank", "cash", "credit")
#: The dashboard's figure and the accuracy read the first weeks of the forecast.
NEAR_WEEKS = 4
#: Weeks over which the accuracy is measured.
ACCURACY_WEEKS = 8
#: The columns of a forecast line a snapshot writes, in order.
LINE_COLUMNS = (
    "forecast_id",
    "move_line_id",
    "due_date",
    "source",
    "amount_residual",
    "amount_open",
    "amount",
    "probability",
    "expected_date",
    "week",
    "week_start",
    *WEEK_FIELDS,
    "create_date",
    "write_date",
)


def _week_amount(week):
    return fields.Monetary(
        string=f"Week {week + 1}",
        readonly=True,
        help=f"Expected in the week starting {week} weeks after the forecast's first Monday.",
    )


class DebtCollectionForecast(models.Model):
    """A snapshot of the cash-in forecast of a company (prédictif d'encaissements).

    The model is ``rules.forecast``; this adapter reads the ledger in a few set-based queries,
    runs the rules and writes the lines in one ``COPY``. The cron takes one every Monday;
    they are kept, and compared with what came in (``debt.collection.forecast.actual``).
    """

    _name = "debt.collection.forecast"
    _description = "Cash-in Forecast"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    date = fields.Date(string="Forecast Date", required=True, readonly=True, index=True)
    week_start = fields.Date(string="First Week", required=True, readonly=True, help="Monday of week 1.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("debt.collection.forecast.line", "forecast_id", readonly=True)
    row_ids = fields.One2many("debt.collection.forecast.actual", "forecast_id", readonly=True)
    amount_open = fields.Monetary(
        string="Open Receivable", compute="_compute_amounts", help="What all the rows add up to."
    )
    amount_near = fields.Monetary(string="Next 4 Weeks", compute="_compute_amounts")
    amount_total = fields.Monetary(string="Forecast Cash-in (13 Weeks)", compute="_compute_amounts")
    amount_apart = fields.Monetary(
        string="Apart",
        compute="_compute_amounts",
        help="Excluded customers, disputed invoices and cases with an agency, a factor or the court.",
    )
    error_share = fields.Float(
        string="Error (8 Weeks)",
        compute="_compute_accuracy",
        help="Over the last 8 complete weeks, every weekly forecast of them made up to 3 weeks "
        "ahead: the sum of the gaps between forecast and collected, as a share of what was "
        "collected.",
    )
    bias_share = fields.Float(
        string="Bias (8 Weeks)",
        compute="_compute_accuracy",
        help="Forecast minus collected, as a share of collected: positive when the forecast "
        "promised more than came in.",
    )
    error_measured = fields.Boolean(compute="_compute_accuracy")

    _one_per_day = models.Constraint(
        "UNIQUE(company_id, date)", "A company has one cash-in forecast per day."
    )

    @api.depends("date", "company_id")
    def _compute_name(self):
        for forecast in self:
            forecast.name = self.env._(
                "Cash-in forecast of %(company)s on %(date)s",
                company=forecast.company_id.name or "",
                date=format_date(self.env, forecast.date) if forecast.date else "",
            )

    def _compute_amounts(self):
        Line = self.env["debt.collection.forecast.line"]
        groups = Line._read_group(
            [("forecast_id", "in", self.ids)],
            ["forecast_id", "source"],
            ["amount_open:sum", "amount:sum", *(f"{name}:sum" for name in WEEK_FIELDS[:NEAR_WEEKS])],
        )
        totals = {}
        for forecast, source, amount_open, amount, *near in groups:
            total = totals.setdefault(forecast, dict.fromkeys(("open", "near", "total", "apart"), 0.0))
            total["open"] += amount_open
            total["near"] += sum(near)
            total["total"] += amount
            if source in rules.APART:
                total["apart"] += amount_open
        for forecast in self:
            total = totals.get(forecast, {})
            forecast.amount_open = total.get("open", 0.0)
            forecast.amount_near = total.get("near", 0.0)
            forecast.amount_total = total.get("total", 0.0)
            forecast.amount_apart = total.get("apart", 0.0)

    @api.depends_context("tz")
    def _compute_accuracy(self):
        today = fields.Date.context_today(self)
        for forecast in self:
            measured = self._accuracy(forecast.company_id, today)
            forecast.error_measured = bool(measured)
            forecast.error_share, forecast.bias_share = measured or (0.0, 0.0)

    # ------------------------------------------------------------------ reading the ledger

    @api.model
    def _open_lines(self, company):
        """``{key: row}`` of the open receivable lines of ``company``, one query.

        A row: ``(move_id, partner_id, due, residual, excluded, handed_off, disputed)``.
        Handed off: the invoice's case is in a stage that freezes the dunning and is with an
        agency, a factor or an insurer (``handoff_kind``), or in a stage of the court kind.
        """
        # the exclusion as Odoo's own SQL of the company-dependent field reads it; a company
        # figure, whoever reads it (the field may be for collection users only)
        excluded = (
            self.env["res.partner"].with_company(company).sudo()._field_to_sql("customer", "debt_excluded")
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.id, aml.move_id, customer.id,
                       COALESCE(aml.date_maturity, aml.date), aml.amount_residual,
                       COALESCE(%(excluded)s, FALSE),
                       COALESCE(stage.freezes_dunning AND (dossier.handoff_kind IS NOT NULL
                                                           OR stage.kind = 'court'), FALSE),
                       COALESCE(move.debt_dispute, FALSE)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
             LEFT JOIN res_partner partner ON partner.id = aml.partner_id
             LEFT JOIN res_partner customer
                    ON customer.id = COALESCE(partner.commercial_partner_id, aml.partner_id)
             LEFT JOIN debt_collection_case dossier ON dossier.id = move.debt_case_id
             LEFT JOIN debt_collection_case_stage stage ON stage.id = dossier.stage_id
                 WHERE aml.company_id = %(company)s
                   AND account.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.amount_residual != 0
                 ORDER BY aml.id
                """,
                excluded=excluded,
                company=company.id,
            )
        )
        return {
            key: (move_id, partner_id, due, float(residual), excluded, handed_off, disputed)
            for key, move_id, partner_id, due, residual, excluded, handed_off, disputed in rows
        }

    @api.model
    def _history(self, company, start, today):
        """``[rules.PastLine]``: the receivable debits of ``company`` that may have been open in
        the window from ``start`` (still open, due in it, or matched in it), with the partial
        reconciliations made on them by ``today``; a partial whose other side is an entry of
        a bank, cash or credit card journal is a collection, any other a settlement."""
        rows = self.env.execute_query(
            SQL(
                """
                WITH line AS (
                    SELECT aml.id, COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id,
                           aml.date, COALESCE(aml.date_maturity, aml.date) AS due, aml.balance
                      FROM account_move_line aml
                      JOIN account_account account ON account.id = aml.account_id
                 LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                     WHERE aml.company_id = %(company)s
                       AND account.account_type = 'asset_receivable'
                       AND aml.parent_state = 'posted'
                       AND aml.balance > 0
                       AND aml.date <= %(today)s
                       AND (aml.reconciled IS NOT TRUE
                            OR COALESCE(aml.date_maturity, aml.date) >= %(start)s
                            OR EXISTS (SELECT 1 FROM account_partial_reconcile p
                                        WHERE p.debit_move_id = aml.id AND p.max_date >= %(start)s))
                )
                SELECT line.id, line.partner_id, line.date, line.due, line.balance,
                       ARRAY_REMOVE(ARRAY_AGG(p.max_date ORDER BY p.id), NULL),
                       ARRAY_REMOVE(ARRAY_AGG(p.amount ORDER BY p.id), NULL),
                       ARRAY_REMOVE(ARRAY_AGG(journal.type IN %(cash)s ORDER BY p.id), NULL)
                  FROM line
             LEFT JOIN account_partial_reconcile p ON p.debit_move_id = line.id AND p.max_date <= %(today)s
             LEFT JOIN account_move_line paying ON paying.id = p.credit_move_id
             LEFT JOIN account_journal journal ON journal.id = paying.journal_id
                 GROUP BY line.id, line.partner_id, line.date, line.due, line.balance
                """,
                company=company.id,
                start=start,
                today=today,
                cash=CASH_JOURNAL_TYPES,
            )
        )
        history = []
        for key, partner_id, day, due, balance, dates, amounts, cash in rows:
            partials = list(zip(dates, (float(a) for a in amounts), cash, strict=True))
            history.append(
                rules.PastLine(
                    key,
                    partner_id,
                    day,
                    due,
                    float(balance),
                    tuple((d, a) for d, a, is_cash in partials if is_cash),
                    tuple((d, a) for d, a, is_cash in partials if not is_cash),
                )
            )
        return history

    @api.model
    def _commitments(self, company, keys_of_move):
        """``(promises, plans)`` of ``company`` still running, as the rules read them.

        The forecast is the company's: read whoever asks (a salesperson's record rules would
        leave other customers' promises out of a company figure); figures only come out.
        """
        promises = [
            rules.Promise(promise.date, max(promise.amount - promise.amount_received, 0.0), keys)
            for promise in self.env["debt.collection.promise"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "=", "running")])
            if (keys := tuple(key for move in promise.move_ids.ids for key in keys_of_move.get(move, ())))
        ]
        plans = []
        for case in (
            self.env["debt.collection.case"]
            .sudo()
            .search([("company_id", "=", company.id), ("plan_state", "=", "running")])
        ):
            keys = tuple(key for move in case.move_ids.ids for key in keys_of_move.get(move, ()))
            instalments = tuple(
                (instalment.date, instalment.principal - instalment.paid_amount)
                for instalment in case.instalment_ids
                if instalment.state in ("pending", "partial")
            )
            if keys and instalments:
                plans.append(rules.Plan(keys, instalments))
        return promises, plans

    @api.model
    def _kept_counts(self, company, start, today):
        """``((kept, broken) promises, (paid, missed) instalments)`` due in the window."""
        window = [("company_id", "=", company.id), ("date", ">=", start), ("date", "<=", today)]
        Promise = self.env["debt.collection.promise"].sudo()
        Instalment = self.env["debt.collection.case.instalment"].sudo()
        return (
            (
                Promise.search_count([*window, ("state", "=", "kept")]),
                Promise.search_count([*window, ("state", "=", "broken")]),
            ),
            (
                Instalment.search_count([*window, ("state", "=", "paid")]),
                Instalment.search_count([*window, ("state", "=", "missed")]),
            ),
        )

    @api.model
    def _compute_forecast(self, company, today):
        """``[(key, row, rules.LineForecast)]``: the forecast of every open receivable line of
        ``company`` seen on ``today``, week amounts rounded to the currency."""
        self.env.flush_all()
        open_lines = self._open_lines(company)
        start = window_start(today, self.env["res.partner"]._debt_profile_months())
        lines = [
            rules.OpenLine(key, partner_id, due, residual, excluded, handed_off, disputed)
            for key, (_move, partner_id, due, residual, excluded, handed_off, disputed) in open_lines.items()
        ]
        keys_of_move = {}
        for key, row in open_lines.items():
            keys_of_move.setdefault(row[0], []).append(key)
        promises, plans = self._commitments(company, keys_of_move)
        promise_counts, instalment_counts = self._kept_counts(company, start, today)
        model = rules.learn(
            self._history(company, start, today),
            today,
            start,
            promises=promise_counts,
            instalments=instalment_counts,
            apart=[line.key for line in lines if line.apart],
        )
        digits = company.currency_id.decimal_places
        result = []
        for line in model.forecast(lines, promises, plans):
            amount = round(line.amount, digits)
            weeks = rules.round_weeks(line.weeks, max(amount, 0.0), digits)
            result.append(
                (
                    line.key,
                    open_lines[line.key],
                    rules.LineForecast(line.key, line.source, amount, weeks, line.expected_date),
                )
            )
        return result

    @api.model
    def _near_total(self, company, computed):
        """The cash-in expected in the next 4 weeks of the lines ``computed`` for ``company``
        (``_compute_forecast``), rounded to its currency."""
        return company.currency_id.round(sum(sum(line.weeks[:NEAR_WEEKS]) for _key, _row, line in computed))

    @api.model
    def _near_figure(self, company, today):
        """The dashboard's figure: the cash-in expected in the next 4 weeks, seen on ``today``.
        The figure kept for the day, else computed now and kept (the forecast of 100,000 open
        items takes seconds; a read-only transaction computes it without keeping it)."""
        Figure = self.env["debt.collection.forecast.figure"].sudo()
        kept = Figure.search_fetch(
            [("company_id", "=", company.id), ("date", "=", today)], ["amount_near"], limit=1
        )
        if kept:
            return kept.amount_near
        amount = self._near_total(company, self._compute_forecast(company, today))
        if not self.env.cr.readonly:
            Figure._keep(company, today, amount)
        return amount

    # ------------------------------------------------------------------ snapshots

    @api.model
    def _take_snapshot(self, company, today=None):
        """The forecast of ``company`` on ``today``, its lines written by one ``COPY``
        (``create_uid``/``write_uid`` stay empty: a snapshot is the system's); a second snapshot
        the same day replaces the first."""
        today = today or fields.Date.context_today(self)
        computed = self._compute_forecast(company, today)
        self.env["debt.collection.forecast.figure"].sudo()._keep(
            company, today, self._near_total(company, computed)
        )
        forecast = self._of_day(company, today)
        if forecast:
            self.env.cr.execute(
                SQL("DELETE FROM debt_collection_forecast_line WHERE forecast_id = %s", forecast.id)
            )
        else:
            # A snapshot is the system's, whoever asks for it first.
            forecast = self.sudo().create(
                {"company_id": company.id, "date": today, "week_start": rules.week_start(today)}
            )
        self.env.flush_all()
        digits = company.currency_id.decimal_places
        monday = rules.week_start(today)
        now = fields.Datetime.to_string(fields.Datetime.now())
        rows = []
        for key, (_move, _partner, due, residual, *_flags), line in computed:
            expected = line.expected_date
            week = rules.week_index(expected, today) if expected else None
            values = (
                forecast.id,
                key,
                due,
                line.source,
                residual,
                line.amount,
                round(sum(line.weeks), digits),
                line.probability,
                expected,
                week,
                monday + timedelta(days=7 * week) if week is not None else None,
                *line.weeks,
                now,
                now,
            )
            rows.append("\t".join(r"\N" if value is None else str(value) for value in values))
        self._copy_lines(rows)
        self.env["debt.collection.forecast.line"].invalidate_model()
        forecast.invalidate_recordset()
        return forecast.sudo(False)

    @api.model
    def _snapshot_of_day(self, company, today=None):
        """The snapshot of ``company`` taken on ``today``, taken now when there is none: every
        click on the dashboard's figure opens the same lines (whose total the figure of the day
        is), rather than forecasting the whole ledger again."""
        today = today or fields.Date.context_today(self)
        return self._of_day(company, today).sudo(False) or self._take_snapshot(company, today)

    @api.model
    def _of_day(self, company, day):
        """The snapshot of ``company`` taken on ``day`` (one at most), whoever asks."""
        return self.sudo().search([("company_id", "=", company.id), ("date", "=", day)], limit=1)

    @api.model
    def _copy_lines(self, rows):
        """Write the forecast lines ``rows`` (tab-separated, in ``LINE_COLUMNS`` order) with one
        ``COPY``: a snapshot of 100,000 lines in a second, where ``INSERT``s took several."""
        callback = psycopg2.extensions.get_wait_callback()
        psycopg2.extensions.set_wait_callback(None)  # as Odoo does around its own COPY
        try:
            self.env.cr.copy_from(
                io.StringIO("\n".join(rows)), table="debt_collection_forecast_line", columns=LINE_COLUMNS
            )
        finally:
            psycopg2.extensions.set_wait_callback(callback)

    @api.model
    def _latest(self, company):
        return self.search([("company_id", "=", company.id)], order="date desc, id desc", limit=1)

    @api.model
    def _companies_with_receivable(self):
        return self.env["res.company"].browse(
            company.id
            for [company] in self.env["account.move.line"]._read_group(
                [
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                ["company_id"],
            )
        )

    @api.model
    def _cron_snapshot(self):
        """Scheduled action (weekly, Monday): a forecast per company with an open receivable."""
        cron = self.env["ir.cron"]
        companies = self._companies_with_receivable()
        cron._commit_progress(remaining=len(companies))
        for company in companies:
            self.with_company(company)._take_snapshot(company)
            if not cron._commit_progress(1):
                return

    @api.model
    def _cron_near_figures(self):
        """Scheduled action (daily, early): the dashboard's figure of the day of each company
        with an open receivable, so that no opening of the day waits for the forecast."""
        cron = self.env["ir.cron"]
        companies = self._companies_with_receivable()
        cron._commit_progress(remaining=len(companies))
        for company in companies:
            self.with_company(company)._near_figure(company, fields.Date.context_today(self))
            if not cron._commit_progress(1):
                return

    # ------------------------------------------------------------------ accuracy

    @api.model
    def _accuracy_domain(self, company, today):
        """The forecast rows the accuracy measures: the first 4 weeks of the first snapshot of
        each week, for the last 8 complete weeks."""
        monday = rules.week_start(today)
        return [
            ("company_id", "=", company.id),
            ("kind", "=", "week"),
            ("is_weekly", "=", True),
            ("week", "<", NEAR_WEEKS),
            ("week_start", ">=", monday - timedelta(days=7 * ACCURACY_WEEKS)),
            ("week_start", "<", monday),
        ]

    @api.model
    def _accuracy(self, company, today):
        """``(mean absolute error, bias)`` over the last 8 weeks (``rules.forecast_error``);
        None before anything was collected on a forecast."""
        rows = self.env["debt.collection.forecast.actual"].search_fetch(
            self._accuracy_domain(company, today), ["amount_forecast", "amount_actual"]
        )
        return rules.forecast_error((row.amount_forecast, row.amount_actual) for row in rows)

    # ------------------------------------------------------------------ actions

    @api.model
    def action_open_current(self):
        """This week's forecast of the current company (taken now if there is none yet)."""
        company = self.env.company
        forecast = self._latest(company)
        today = fields.Date.context_today(self)
        if not forecast or forecast.week_start != rules.week_start(today):
            forecast = self._take_snapshot(company, today)
        return forecast._action_open_form()

    def _action_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "debt.collection.forecast",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_refresh(self):
        """Take the forecast again, today."""
        self.ensure_one()
        return self._take_snapshot(self.company_id)._action_open_form()

    def action_open_lines(self, domain=None):
        """The lines of the forecast (one per open receivable line)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "debt.collection.forecast.line",
            "view_mode": "list,pivot",
            "domain": [("forecast_id", "=", self.id), *(domain or [])],
            "context": {"create": False},
        }

    def action_open_weeks(self, domain=None):
        """The amounts expected in each week, per line: what the week figures add up."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(name)s: by week", name=self.name),
            "res_model": "debt.collection.forecast.week",
            "view_mode": "graph,list,pivot",
            "domain": [("forecast_id", "=", self.id), *(domain or [])],
            "context": {"create": False},
        }

    def action_open_near(self):
        self.ensure_one()
        return self.action_open_weeks([("week", "<", NEAR_WEEKS)])

    def action_open_apart(self):
        self.ensure_one()
        return self.action_open_lines([("source", "in", rules.APART)])

    def action_open_actual(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Forecast vs Actual: %(name)s", name=self.name),
            "res_model": "debt.collection.forecast.actual",
            "view_mode": "graph,list",
            "domain": [("forecast_id", "=", self.id), ("kind", "=", "week")],
            "context": {"create": False},
        }

    def action_open_accuracy(self):
        """The weeks the error is measured on, forecast against collected."""
        self.ensure_one()
        return self.env["debt.collection.forecast.actual"]._action_open_accuracy(
            self.company_id, fields.Date.context_today(self)
        )


class DebtCollectionForecastFigure(models.Model):
    """The dashboard's cash-in figure of the next 4 weeks, kept per company and day: computed
    by the daily scheduled action, by a snapshot, or by the first opening of the day before
    them (``debt.collection.forecast._near_figure``), never by hand."""

    _name = "debt.collection.forecast.figure"
    _description = "Cash-in Forecast of the Day"
    _order = "date desc, id desc"

    # the unique constraint's index serves the company's lookups
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    amount_near = fields.Monetary(string="Next 4 Weeks", readonly=True)

    _one_per_day = models.Constraint(
        "UNIQUE(company_id, date)", "A company has one cash-in figure of the next 4 weeks per day."
    )

    @api.model
    def _keep(self, company, today, amount):
        """Keep ``amount`` as the figure of ``company`` on ``today``, in place of those of the days
        before. One statement: two first openings at once do not both insert (the second is
        retried, and reads the figure)."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH stale AS (
                    DELETE FROM debt_collection_forecast_figure
                     WHERE company_id = %(company)s AND date < %(day)s
                )
                INSERT INTO debt_collection_forecast_figure
                       (company_id, date, amount_near, create_date, write_date)
                VALUES (%(company)s, %(day)s, %(amount)s, %(now)s, %(now)s)
                    ON CONFLICT (company_id, date)
                    DO UPDATE SET amount_near = EXCLUDED.amount_near, write_date = EXCLUDED.write_date
                """,
                company=company.id,
                day=today,
                amount=amount,
                now=now,
            )
        )
        self.invalidate_model()


class DebtCollectionForecastLine(models.Model):
    """One open receivable line in a forecast: what is expected of it, week by week.

    Written by ``debt.collection.forecast._take_snapshot`` in one ``COPY``, never by hand.
    """

    _name = "debt.collection.forecast.line"
    _description = "Cash-in Forecast Line"
    _order = "week, expected_date, id"
    _rec_name = "move_id"

    forecast_id = fields.Many2one("debt.collection.forecast", required=True, ondelete="cascade", index=True)
    # Stored: the journal item and what the forecast worked out. Related: the rest, so that each
    # of a snapshot's 100,000 rows checks two foreign keys only (its forecast, its item).
    move_line_id = fields.Many2one(
        "account.move.line", string="Journal Item", readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="forecast_id.company_id")
    currency_id = fields.Many2one(related="forecast_id.company_id.currency_id")
    date = fields.Date(related="forecast_id.date", string="Forecast Date")
    move_id = fields.Many2one(related="move_line_id.move_id", string="Entry")
    partner_id = fields.Many2one(related="move_line_id.partner_id.commercial_partner_id", string="Customer")
    due_date = fields.Date(readonly=True)
    source = fields.Selection(SOURCE_SELECTION, string="Based On", readonly=True)
    amount_residual = fields.Monetary(string="Open Amount", readonly=True)
    amount_open = fields.Monetary(
        string="Open, Net of Credits",
        readonly=True,
        help="The open amount once the customer's open credits are applied, oldest due date first.",
    )
    amount = fields.Monetary(string="Expected in 13 Weeks", readonly=True)
    probability = fields.Float(
        readonly=True, aggregator="avg", help="Share of the open amount expected within 13 weeks."
    )
    expected_date = fields.Date(string="Expected Payment", readonly=True)
    week = fields.Integer(
        readonly=True,
        aggregator=None,
        help="Week of the expected payment: 0 for week 1, the week of the forecast.",
    )
    week_start = fields.Date(string="Week Of", readonly=True)
    amount_week_0 = _week_amount(0)
    amount_week_1 = _week_amount(1)
    amount_week_2 = _week_amount(2)
    amount_week_3 = _week_amount(3)
    amount_week_4 = _week_amount(4)
    amount_week_5 = _week_amount(5)
    amount_week_6 = _week_amount(6)
    amount_week_7 = _week_amount(7)
    amount_week_8 = _week_amount(8)
    amount_week_9 = _week_amount(9)
    amount_week_10 = _week_amount(10)
    amount_week_11 = _week_amount(11)
    amount_week_12 = _week_amount(12)


def _weeks_of_lines():
    """``LATERAL (VALUES (0, line.amount_week_0), ...)``: a line's week amounts as rows."""
    return SQL(
        "CROSS JOIN LATERAL (VALUES %s) AS w(week, amount)",
        SQL(", ").join(
            SQL("(%s, line.%s)", week, SQL.identifier(name)) for week, name in enumerate(WEEK_FIELDS)
        ),
    )


class DebtCollectionForecastWeek(models.Model):
    """A line's amount expected in one week of its forecast (what the week figures add up)."""

    _name = "debt.collection.forecast.week"
    _description = "Cash-in Forecast by Week"
    _auto = False
    _order = "week, amount desc, id"
    _rec_name = "move_id"

    line_id = fields.Many2one("debt.collection.forecast.line", readonly=True)
    forecast_id = fields.Many2one("debt.collection.forecast", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    due_date = fields.Date(readonly=True)
    source = fields.Selection(SOURCE_SELECTION, string="Based On", readonly=True)
    probability = fields.Float(readonly=True, aggregator="avg")
    week = fields.Integer(readonly=True, aggregator=None, help=WEEK_HELP)
    week_start = fields.Date(string="Week Of", readonly=True)
    amount = fields.Monetary(string="Expected", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id * 16 + w.week AS id, line.id AS line_id, line.forecast_id, f.company_id,
                   company.currency_id, line.move_line_id, aml.move_id,
                   COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id, line.due_date,
                   line.source, line.probability, w.week, f.week_start + 7 * w.week AS week_start, w.amount
              FROM debt_collection_forecast_line line
              JOIN debt_collection_forecast f ON f.id = line.forecast_id
              JOIN res_company company ON company.id = f.company_id
              JOIN account_move_line aml ON aml.id = line.move_line_id
         LEFT JOIN res_partner partner ON partner.id = aml.partner_id
              %s
             WHERE w.amount != 0
            """,
            _weeks_of_lines(),
        )


class DebtCollectionForecastActual(models.Model):
    """The rows of a forecast: each week, forecast and what came in on its lines; then what the
    horizon leaves and each kind apart. All the rows add up to the open receivable."""

    _name = "debt.collection.forecast.actual"
    _description = "Cash-in Forecast Row"
    _auto = False
    _order = "forecast_date desc, sequence"

    forecast_id = fields.Many2one("debt.collection.forecast", string="Snapshot", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    forecast_date = fields.Date(readonly=True)
    is_weekly = fields.Boolean(
        string="Weekly Snapshot",
        readonly=True,
        help="The first forecast of its week, which the accuracy reads.",
    )
    sequence = fields.Integer(readonly=True, aggregator=None)
    kind = fields.Selection(ROW_KINDS, readonly=True)
    week = fields.Integer(readonly=True, aggregator=None, help=WEEK_HELP)
    week_start = fields.Date(string="Week Of", readonly=True)
    amount_forecast = fields.Monetary(string="Forecast", readonly=True)
    amount_actual = fields.Monetary(
        string="Collected",
        readonly=True,
        help="Payments (bank, cash or card entries) matched that week with the lines of the "
        "forecast, from the forecast date. Credit notes, write-offs and reversals are not "
        "collections.",
    )
    amount_difference = fields.Monetary(string="Collected - Forecast", readonly=True)

    @api.depends("kind", "week_start")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for row in self:
            row.display_name = (
                self.env._("Week of %(date)s", date=format_date(self.env, row.week_start))
                if row.kind == "week"
                else labels.get(row.kind, "")
            )

    @property
    def _table_query(self):
        return SQL("%s UNION ALL %s", self._week_rows(), self._other_rows())

    @api.model
    def _forecasts(self):
        return SQL(
            """
            SELECT f.*, company.currency_id,
                   f.date = MIN(f.date) OVER (PARTITION BY f.company_id, f.week_start) AS is_weekly
              FROM debt_collection_forecast f
              JOIN res_company company ON company.id = f.company_id
            """
        )

    @api.model
    def _week_rows(self):
        """Per forecast and week: the lines' amounts of that week, and the collections."""
        return SQL(
            """
            SELECT f.id * 32 + w.week AS id, f.id AS forecast_id, f.company_id, f.currency_id,
                   f.date AS forecast_date, f.is_weekly, w.week AS sequence, 'week' AS kind, w.week,
                   f.week_start + 7 * w.week AS week_start,
                   COALESCE(fc.amount, 0) AS amount_forecast,
                   COALESCE(ac.amount, 0) AS amount_actual,
                   COALESCE(ac.amount, 0) - COALESCE(fc.amount, 0) AS amount_difference
              FROM (%(forecasts)s) f
        CROSS JOIN generate_series(0, %(last_week)s) AS w(week)
         LEFT JOIN (
                SELECT line.forecast_id, w.week, SUM(w.amount) AS amount
                  FROM debt_collection_forecast_line line
                  %(weeks)s
                 GROUP BY line.forecast_id, w.week
               ) fc ON fc.forecast_id = f.id AND fc.week = w.week
         LEFT JOIN (
                SELECT line.forecast_id, (partial.max_date - f2.week_start) / 7 AS week,
                       SUM(partial.amount) AS amount
                  FROM debt_collection_forecast_line line
                  JOIN debt_collection_forecast f2 ON f2.id = line.forecast_id
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.move_line_id
                  JOIN account_move_line paying ON paying.id = partial.credit_move_id
                  JOIN account_journal journal ON journal.id = paying.journal_id
                       AND journal.type IN %(cash)s
                 WHERE partial.max_date >= f2.date
                   AND partial.max_date < f2.week_start + %(days)s
                 GROUP BY line.forecast_id, (partial.max_date - f2.week_start) / 7
               ) ac ON ac.forecast_id = f.id AND ac.week = w.week
            """,
            forecasts=self._forecasts(),
            last_week=rules.FORECAST_WEEKS - 1,
            weeks=_weeks_of_lines(),
            cash=CASH_JOURNAL_TYPES,
            days=7 * rules.FORECAST_WEEKS,
        )

    @api.model
    def _other_rows(self):
        """Per forecast: what the weeks leave of the lines forecast, and each kind apart."""
        kinds = [kind for kind, _label in ROW_KINDS if kind != "week"]
        return SQL(
            """
            SELECT f.id * 32 + %(first)s + k.seq AS id, f.id, f.company_id, f.currency_id, f.date,
                   f.is_weekly, %(first)s + k.seq, k.kind, NULL, NULL,
                   COALESCE(s.amount, 0), 0, 0
              FROM (%(forecasts)s) f
        CROSS JOIN (VALUES %(kinds)s) AS k(seq, kind)
         LEFT JOIN (
                SELECT forecast_id,
                       CASE WHEN source IN %(forecast_sources)s THEN 'later' ELSE source END AS kind,
                       SUM(CASE WHEN source IN %(forecast_sources)s THEN amount_open - amount
                                ELSE amount_open END) AS amount
                  FROM debt_collection_forecast_line
                 GROUP BY 1, 2
               ) s ON s.forecast_id = f.id AND s.kind = k.kind
            """,
            first=rules.FORECAST_WEEKS,
            forecasts=self._forecasts(),
            kinds=SQL(", ").join(SQL("(%s, %s)", seq, kind) for seq, kind in enumerate(kinds)),
            forecast_sources=FORECAST_SOURCES,
        )

    def action_open(self):
        """The lines behind the row."""
        self.ensure_one()
        if self.kind == "week":
            return self.forecast_id.action_open_weeks([("week", "=", self.week)])
        if self.kind == "later":
            return self.forecast_id.action_open_lines([("source", "in", FORECAST_SOURCES)])
        return self.forecast_id.action_open_lines([("source", "=", self.kind)])

    @api.model
    def _action_open_accuracy(self, company, today):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Forecast vs Actual, Last 8 Weeks"),
            "res_model": "debt.collection.forecast.actual",
            "view_mode": "list,graph",
            "domain": self.env["debt.collection.forecast"]._accuracy_domain(company, today),
            "context": {"create": False},
        }
