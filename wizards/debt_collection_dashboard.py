"""The collection dashboard: a company's figures, each opening the records behind it."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..models.res_partner_payer_profile import PAYER_CLASS_SELECTION
from ..rules.analytics import countback_periods, dso_countback, half_year_start
from ..rules.dates import add_months, week_start


class DebtCollectionDashboard(models.TransientModel):
    """The collection figures of a company, computed when it opens; each figure opens the
    records behind it, with the domain the figure used."""

    _name = "debt.collection.dashboard"
    _description = "Collection Dashboard"
    _rec_name = "name"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_to = fields.Date(string="At Date", required=True, default=fields.Date.context_today)
    date_from = fields.Date(
        string="DSO From",
        required=True,
        default=lambda self: add_months(fields.Date.context_today(self), -12) + timedelta(days=1),
        help="First day of the sales the DSO counts back through.",
    )
    today = fields.Date(compute="_compute_figures")
    name = fields.Char(compute="_compute_name")
    dso = fields.Float(string="DSO (days)", digits=(16, 1), compute="_compute_figures")
    amount_receivable = fields.Monetary(string="Receivable at Date", compute="_compute_figures")
    amount_sales = fields.Monetary(string="Sales of the Period", compute="_compute_figures")
    amount_open = fields.Monetary(string="Open Receivable", compute="_compute_figures")
    amount_overdue = fields.Monetary(string="Overdue", compute="_compute_figures")
    amount_over_90 = fields.Monetary(string="Over 90 Days", compute="_compute_figures")
    share_over_90 = fields.Float(string="Share over 90 Days", compute="_compute_figures")
    dispute_count = fields.Integer(string="Open Disputes", compute="_compute_figures")
    promise_week_count = fields.Integer(string="Promises Due This Week", compute="_compute_figures")
    forecast_4_weeks = fields.Monetary(
        string="Cash-in Next 4 Weeks",
        compute="_compute_forecast",
        help="The cash-in forecast of this week and the three after, computed once a day from the "
        "open receivable (early in the morning, or at the first opening of the day) and kept for "
        "the day; taking the forecast again computes it anew.",
    )
    forecast_error = fields.Float(string="Forecast Error (8 Weeks)", compute="_compute_forecast")
    forecast_bias = fields.Float(string="Forecast Bias (8 Weeks)", compute="_compute_forecast")
    forecast_measured = fields.Boolean(compute="_compute_forecast")
    class_a_count = fields.Integer(string="Class A", compute="_compute_classes")
    class_a_amount = fields.Monetary(string="Class A Receivable", compute="_compute_classes")
    class_b_count = fields.Integer(string="Class B", compute="_compute_classes")
    class_b_amount = fields.Monetary(string="Class B Receivable", compute="_compute_classes")
    class_c_count = fields.Integer(string="Class C", compute="_compute_classes")
    class_c_amount = fields.Monetary(string="Class C Receivable", compute="_compute_classes")
    class_d_count = fields.Integer(string="Class D", compute="_compute_classes")
    class_d_amount = fields.Monetary(string="Class D Receivable", compute="_compute_classes")
    failed_count = fields.Integer(
        string="To Check",
        compute="_compute_figures",
        help="Communications that did not reach their customer (failed, bounced, returned, not printed).",
    )
    missing_rate_count = fields.Integer(
        string="Missing Rates",
        compute="_compute_figures",
        help="Rates of the current half-year with no row yet (ECB refinancing rate, legal interest "
        "rate): the late-payment interest uses the latest known one meanwhile.",
    )
    missing_rates = fields.Char(string="Rates Missing", compute="_compute_figures")
    dso_line_ids = fields.One2many("debt.collection.dashboard.dso", "dashboard_id", readonly=True)

    # ------------------------------------------------------------------ domains (figures and drill-downs)

    def _open_items_domain(self):
        return [
            ("company_id", "=", self.company_id.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]

    def _overdue_domain(self, days=0):
        today = fields.Date.context_today(self)
        return [*self._open_items_domain(), ("date_maturity", "<", today - timedelta(days=days))]

    def _dispute_domain(self):
        return [
            ("company_id", "=", self.company_id.id),
            *self.env["account.move"]._debt_open_invoice_domain(),
            ("debt_dispute", "=", True),
        ]

    def _promise_week_domain(self):
        monday = week_start(fields.Date.context_today(self))
        return [
            ("company_id", "=", self.company_id.id),
            *self.env["account.move"]._debt_open_invoice_domain(),
            ("debt_promise_date", ">=", monday),
            ("debt_promise_date", "<=", monday + timedelta(days=6)),
        ]

    def _failed_domain(self):
        """The communications that did not reach their customer, not checked yet ("To Check")."""
        return [("company_id", "=", self.company_id.id), ("to_check", "=", True)]

    def _class_domain(self, klass):
        return [("company_id", "=", self.company_id.id), ("payer_class", "=", klass)]

    def _sales_domain(self):
        return [
            ("company_id", "=", self.company_id.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]

    # ------------------------------------------------------------------ figures

    @api.depends("company_id", "date_from", "date_to")
    @api.depends_context("tz")
    def _compute_figures(self):
        AccountMoveLine = self.env["account.move.line"]
        AccountMove = self.env["account.move"]
        for board in self:
            board.today = fields.Date.context_today(board)
            if not board.company_id or not board.date_from or not board.date_to:
                board.update({"dso": 0.0, "amount_receivable": 0.0, "amount_sales": 0.0})
            else:
                receivable, sales, dso = board._dso_figures()[0]
                board.update({"dso": dso, "amount_receivable": receivable, "amount_sales": sales})

            def total(domain):
                return AccountMoveLine._read_group(domain, [], ["amount_residual:sum"])[0][0]

            board.amount_open = total(board._open_items_domain())
            board.amount_overdue = total(board._overdue_domain())
            board.amount_over_90 = total(board._overdue_domain(90))
            board.share_over_90 = board.amount_over_90 / board.amount_open if board.amount_open > 0 else 0.0
            board.dispute_count = AccountMove.search_count(board._dispute_domain())
            board.promise_week_count = AccountMove.search_count(board._promise_week_domain())
            board.failed_count = self.env["debt.collection.event"].search_count(board._failed_domain())
            missing = board._missing_rates()
            board.missing_rate_count = len(missing)
            board.missing_rates = ", ".join(missing) or False

    @api.depends("company_id")
    @api.depends_context("tz")
    def _compute_name(self):
        for board in self:
            board.name = self.env._(
                "%(company)s on %(date)s",
                company=board.company_id.name or "",
                date=format_date(self.env, fields.Date.context_today(board)),
            )

    @api.depends("company_id")
    @api.depends_context("tz")
    def _compute_forecast(self):
        """The 4-week figure of the day, and the error of the last 8 weeks."""
        Forecast = self.env["debt.collection.forecast"]
        for board in self:
            today = fields.Date.context_today(board)
            if not board.company_id:
                board.update({"forecast_4_weeks": 0.0, "forecast_error": 0.0, "forecast_bias": 0.0})
                board.forecast_measured = False
                continue
            board.forecast_4_weeks = Forecast.with_company(board.company_id)._near_figure(
                board.company_id, today
            )
            measured = Forecast._accuracy(board.company_id, today)
            board.forecast_measured = bool(measured)
            board.forecast_error, board.forecast_bias = measured or (0.0, 0.0)

    @api.depends("company_id")
    def _compute_classes(self):
        """Customers of each payer class in the company, and what they owe (net)."""
        Profile = self.env["debt.collection.payer.profile"]
        for board in self:
            groups = {
                klass: (count, amount)
                for klass, count, amount in Profile._read_group(
                    [("company_id", "=", board.company_id.id)],
                    ["payer_class"],
                    ["__count", "amount_open:sum"],
                )
            }
            for klass, _label in PAYER_CLASS_SELECTION:
                count, amount = groups.get(klass, (0, 0.0))
                board[f"class_{klass.lower()}_count"] = count
                board[f"class_{klass.lower()}_amount"] = amount

    def _missing_rates(self):
        """Labels of the rates of the current half-year that have no row: the ECB refinancing
        rate (kinds ``ecb...``) and the legal interest rate (kinds ``legal...``)."""
        start = half_year_start(fields.Date.context_today(self))
        kinds = {
            row["kind"]
            for row in self.env["debt.collection.rate"].search_read([("date_from", "=", start)], ["kind"])
        }
        labels = {"ecb": self.env._("ECB refinancing rate"), "legal": self.env._("legal interest rate")}
        return [
            label for prefix, label in labels.items() if not any(kind.startswith(prefix) for kind in kinds)
        ]

    def _dso_figures(self, per_customer=False):
        """``((receivable, sales, dso), {partner_id: (receivable, sales, dso)})``: the company's
        figures and, ``per_customer``, each customer's (else no customer's: the dashboard shows
        the company's alone, and grouping the year's sales by customer as well as by day took
        most of its opening at 100k).

        Receivable: the items open on ``date_to`` (the aged balance's query). Sales: what the
        customer invoices and credit notes put on the receivable account, by countback month
        from ``date_to`` back to ``date_from`` (``rules.analytics.dso_countback``).
        """
        self.ensure_one()
        periods = countback_periods(self.date_from, self.date_to)
        lengths = [(end - start).days + 1 for start, end in periods]
        query = self.env["debt.collection.aged.balance"]._open_lines_query(self.company_id, self.date_to)
        self.env.flush_all()
        customer = SQL("q.partner_id") if per_customer else SQL("NULL::int")
        receivable = {
            partner_id or 0: amount
            for partner_id, amount in self.env.execute_query(
                SQL("SELECT %s, SUM(q.amount_residual) FROM (%s) q GROUP BY 1", customer, query)
            )
        }
        company_sales = [0.0] * len(periods)
        sales = defaultdict(lambda: [0.0] * len(periods))
        groupby = ["partner_id", "date:day"] if per_customer else ["date:day"]
        for *partner, day, balance in self.env["account.move.line"]._read_group(
            self._sales_domain(), groupby, ["balance:sum"]
        ):
            index = next(i for i, (start, end) in enumerate(periods) if start <= day <= end)
            company_sales[index] += balance
            if per_customer:
                sales[partner[0].commercial_partner_id.id or 0][index] += balance

        def figures(owed, by_period):
            return owed, sum(by_period), dso_countback(owed, list(zip(lengths, by_period, strict=True)))

        company = figures(sum(receivable.values()), company_sales)
        if not per_customer:
            return company, {}
        return company, {
            partner_id: figures(receivable.get(partner_id, 0.0), sales[partner_id])
            for partner_id in set(receivable) | set(sales)
        }

    # ------------------------------------------------------------------ drill-downs

    def _open(self, name, model, domain, views="list,form"):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": views,
            "domain": domain,
            "context": {"create": False},
        }

    def action_open_receivable(self):
        """The aged balance at the DSO date: the receivable the DSO counts back."""
        self.ensure_one()
        wizard = self.env["debt.collection.aged.balance.wizard"].create(
            {"company_id": self.company_id.id, "date": self.date_to}
        )
        return wizard.action_open()

    def action_open_sales(self):
        self.ensure_one()
        return self._open(self.env._("Sales of the Period"), "account.move.line", self._sales_domain())

    def action_open_open_items(self):
        self.ensure_one()
        return self._open(self.env._("Open Receivable"), "account.move.line", self._open_items_domain())

    def action_open_overdue(self):
        self.ensure_one()
        return self._open(self.env._("Overdue"), "account.move.line", self._overdue_domain())

    def action_open_over_90(self):
        self.ensure_one()
        return self._open(self.env._("Over 90 Days"), "account.move.line", self._overdue_domain(90))

    def action_open_disputes(self):
        self.ensure_one()
        return self._open(self.env._("Open Disputes"), "account.move", self._dispute_domain())

    def action_open_promises(self):
        self.ensure_one()
        return self._open(self.env._("Promises Due This Week"), "account.move", self._promise_week_domain())

    def action_open_forecast(self):
        """Today's forecast, its lines by week for the next 4 weeks."""
        self.ensure_one()
        Forecast = self.env["debt.collection.forecast"].with_company(self.company_id)
        return Forecast._snapshot_of_day(self.company_id).action_open_near()

    def action_open_forecast_accuracy(self):
        self.ensure_one()
        return self.env["debt.collection.forecast.actual"]._action_open_accuracy(
            self.company_id, fields.Date.context_today(self)
        )

    def action_open_failed(self):
        self.ensure_one()
        return self._open(self.env._("To Check"), "debt.collection.event", self._failed_domain())

    def action_open_rates(self):
        self.ensure_one()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_debt_collection.action_debt_collection_rate"
        )

    def _open_class(self, klass):
        self.ensure_one()
        return self._open(
            self.env._("Payer Class %(class)s", **{"class": klass}),
            "debt.collection.payer.profile",
            self._class_domain(klass),
            views="list,pivot",
        )

    def action_open_class_a(self):
        return self._open_class("A")

    def action_open_class_b(self):
        return self._open_class("B")

    def action_open_class_c(self):
        return self._open_class("C")

    def action_open_class_d(self):
        return self._open_class("D")

    def action_open_dso_by_partner(self):
        """The DSO of each customer over the same period."""
        self.ensure_one()
        self.dso_line_ids.unlink()
        figures = self._dso_figures(per_customer=True)[1]
        self.env["debt.collection.dashboard.dso"].create(
            [
                {
                    "dashboard_id": self.id,
                    "partner_id": partner_id,
                    "amount_receivable": receivable,
                    "amount_sales": sales,
                    "dso": dso,
                }
                for partner_id, (receivable, sales, dso) in figures.items()
                if partner_id
            ]
        )
        return self._open(
            self.env._("DSO by Customer"),
            "debt.collection.dashboard.dso",
            [("dashboard_id", "=", self.id)],
            views="list",
        )


class DebtCollectionDashboardDso(models.TransientModel):
    _name = "debt.collection.dashboard.dso"
    _description = "DSO of a Customer"
    _order = "dso desc, amount_receivable desc"

    dashboard_id = fields.Many2one("debt.collection.dashboard", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="dashboard_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    amount_receivable = fields.Monetary(string="Receivable at Date", readonly=True)
    amount_sales = fields.Monetary(string="Sales of the Period", readonly=True)
    dso = fields.Float(string="DSO (days)", digits=(16, 1), readonly=True, aggregator="avg")
