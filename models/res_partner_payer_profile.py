"""Payer profiles, credit insurance and risk alerts of customers, refreshed every night."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..rules.analytics import PAYER_CLASSES, window_start
from .debt_collection_access import INTERNAL, SYSTEM, USER, require_internal

PAYER_CLASS_SELECTION = [
    ("A", "A - Pays on Time"),
    ("B", "B - Up to 60 Days Late"),
    ("C", "C - Up to 90 Days Late"),
    ("D", "D - More than 90 Days Late"),
]

#: System parameter: months of the rolling window of the payer profiles.
PROFILE_MONTHS_PARAM = "account_debt_collection.payer_profile_months"
DEFAULT_PROFILE_MONTHS = 6

#: The company-dependent fields of a payer profile, and the values of the refresh that fill them.
PROFILE_VALUES = (
    ("debt_avg_days_late", "avg_days"),
    ("debt_on_time_ratio", "on_time"),
    ("debt_late_count", "late_count"),
    ("debt_broken_promise_count", "broken_count"),
    ("debt_dispute_count", "dispute_count"),
    ("debt_payer_class", "payer_class"),
    ("debt_profile_date", "profile_date"),
)

#: Who sees the outstanding (Odoo's ``credit``) and so the risk alerts.
RISK_GROUPS = INTERNAL


class ResPartner(models.Model):
    """Payer profile, credit insurance and risk alerts of a customer."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------ payer profile
    # One per company (a customer shared by two companies pays each its own way), written by
    # one set-based UPDATE of the companies' values (see _debt_refresh_payer_profiles).
    debt_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        company_dependent=True,
        groups=INTERNAL,
        debt_write=SYSTEM,
        help="Days late of the customer's invoices in this company, weighted by amount, over the "
        "rolling window: invoices paid in the window (payment date minus due date) and invoices "
        "still open and overdue (today minus due date), net of the customer's open credits.",
    )
    debt_on_time_ratio = fields.Float(
        string="Paid on Time",
        readonly=True,
        company_dependent=True,
        groups=INTERNAL,
        debt_write=SYSTEM,
        help="Share of the invoices of the window paid by their due date.",
    )
    debt_late_count = fields.Integer(
        string="Late Invoices", readonly=True, company_dependent=True, groups=INTERNAL, debt_write=SYSTEM
    )
    debt_broken_promise_count = fields.Integer(
        string="Broken Promises", readonly=True, company_dependent=True, groups=INTERNAL, debt_write=SYSTEM
    )
    debt_dispute_count = fields.Integer(
        string="Disputes", readonly=True, company_dependent=True, groups=INTERNAL, debt_write=SYSTEM
    )
    debt_payer_class = fields.Selection(
        PAYER_CLASS_SELECTION,
        string="Payer Class",
        readonly=True,
        company_dependent=True,
        groups=INTERNAL,
        debt_write=SYSTEM,
        index="btree_not_null",
        help="A: at most 30 days late on average, B: 60, C: 90, D: more. Empty: no history.",
    )
    debt_profile_date = fields.Date(
        string="Profile Refreshed On",
        readonly=True,
        company_dependent=True,
        groups=INTERNAL,
        debt_write=SYSTEM,
    )

    # ------------------------------------------------------------------ credit insurance
    debt_insurer_id = fields.Many2one(
        "res.partner",
        string="Credit Insurer",
        company_dependent=True,
        groups=INTERNAL,
        debt_write=USER,
        help="Credit insurance company.",
    )
    debt_insured_amount = fields.Float(
        string="Insured Amount",
        company_dependent=True,
        groups=INTERNAL,
        debt_write=USER,
        digits="Account",
        help="Outstanding amount the credit insurer covers for this customer.",
    )
    debt_insurance_end_date = fields.Date(
        string="Cover Valid Until",
        company_dependent=True,
        groups=INTERNAL,
        debt_write=USER,
        help="Leave empty for a cover with no end.",
    )

    # ------------------------------------------------------------------ risk alerts
    debt_over_credit_limit = fields.Boolean(
        string="Over Credit Limit",
        compute="_compute_debt_risk",
        groups=RISK_GROUPS,
        help="Outstanding above the credit limit.",
    )
    debt_over_insurance = fields.Boolean(
        string="Over Insured Amount",
        compute="_compute_debt_risk",
        groups=RISK_GROUPS,
        help="Outstanding above the credit insurance cover, or the cover has expired.",
    )
    debt_risk_alert = fields.Char(string="Risk Alert", compute="_compute_debt_risk", groups=RISK_GROUPS)

    @api.constrains("debt_insured_amount")
    def _check_debt_insured_amount(self):
        if any(partner.debt_insured_amount < 0 for partner in self):
            raise ValidationError(self.env._("An insured amount cannot be negative."))

    @api.depends_context("company")
    @api.depends("credit_limit", "debt_insurer_id", "debt_insured_amount", "debt_insurance_end_date")
    def _compute_debt_risk(self):
        today = fields.Date.context_today(self)
        use_limits = self.env.company.account_use_credit_limit
        # keyed by record: a customer being created in a form has no id yet
        outstanding = {entity: entity.credit for entity in self.commercial_partner_id}
        currency = self.env.company.currency_id
        for partner in self:
            entity = partner.commercial_partner_id
            owed = outstanding.get(entity, 0.0)
            over_limit = bool(
                use_limits and entity.credit_limit and currency.compare_amounts(owed, entity.credit_limit) > 0
            )
            expired = bool(entity.debt_insurance_end_date and entity.debt_insurance_end_date < today)
            over_cover = bool(
                entity.debt_insurer_id
                and currency.compare_amounts(owed, 0.0) > 0
                and (expired or currency.compare_amounts(owed, entity.debt_insured_amount) > 0)
            )
            alerts = []
            if over_limit:
                alerts.append(
                    self.env._(
                        "Outstanding %(owed)s above the credit limit of %(limit)s.",
                        owed=currency.format(owed),
                        limit=currency.format(entity.credit_limit),
                    )
                )
            if over_cover and expired:
                alerts.append(
                    self.env._(
                        "The credit insurance cover ended on %(date)s.",
                        date=fields.Date.to_string(entity.debt_insurance_end_date),
                    )
                )
            elif over_cover:
                alerts.append(
                    self.env._(
                        "Outstanding %(owed)s above the %(cover)s insured by %(insurer)s.",
                        owed=currency.format(owed),
                        cover=currency.format(entity.debt_insured_amount),
                        insurer=entity.debt_insurer_id.display_name,
                    )
                )
            partner.debt_over_credit_limit = over_limit
            partner.debt_over_insurance = over_cover
            partner.debt_risk_alert = " ".join(alerts) or False

    # ------------------------------------------------------------------ refresh

    @api.model
    def _debt_profile_months(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PROFILE_MONTHS_PARAM)
        try:
            months = int(value) if value else DEFAULT_PROFILE_MONTHS
        except ValueError:
            months = DEFAULT_PROFILE_MONTHS
        return max(months, 1)

    @api.model
    def _debt_payer_items_query(self, start, today):
        """``(partner_id, company_id, amount, days_late)`` of the invoices a payer profile weighs.

        Invoices paid between ``start`` and ``today`` (the delay trend's rows), and invoices
        still open and overdue on ``today``, late by ``today - due date`` so far. The open
        credits of the customer in the company (credit notes, payments not matched yet) cover
        its open invoices oldest due date first (``rules.analytics.net_open_amounts``): an
        invoice they cover entirely is left out, one they cover in part weighs its amount less
        what they cover.
        """
        trend = self.env["debt.collection.delay.trend"]
        return SQL(
            """
            WITH credits AS (
                SELECT COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id,
                       aml.company_id, -SUM(aml.amount_residual) AS credit
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
             LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE account.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.amount_residual < 0
                 GROUP BY 1, 2
            ),
            open_invoices AS (
                SELECT move.commercial_partner_id AS partner_id, move.company_id,
                       move.invoice_date_due AS due, move.amount_total_signed AS amount,
                       move.amount_residual_signed AS residual,
                       SUM(move.amount_residual_signed) OVER (
                           PARTITION BY move.commercial_partner_id, move.company_id
                           ORDER BY move.invoice_date_due, move.id
                       ) AS running
                  FROM account_move move
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('not_paid', 'partial')
                   AND move.invoice_date_due IS NOT NULL
            ),
            netted AS (
                SELECT o.partner_id, o.company_id, o.due, o.amount, o.residual,
                       LEAST(o.residual, GREATEST(o.running - COALESCE(c.credit, 0), 0)) AS net
                  FROM open_invoices o
             LEFT JOIN credits c ON c.partner_id = o.partner_id AND c.company_id = o.company_id
            )
            SELECT t.partner_id, t.company_id, t.amount, t.days_late
              FROM (%(trend)s) t
             WHERE t.payment_date BETWEEN %(start)s AND %(today)s
            UNION ALL
            SELECT n.partner_id, n.company_id, n.amount - (n.residual - n.net), %(today)s - n.due
              FROM netted n
             WHERE n.due < %(today)s
               AND n.net > 0
            """,
            trend=trend._table_query,
            start=start,
            today=today,
        )

    @api.model
    def _debt_broken_promise_counts_query(self, start, today):
        """``(partner_id, company_id, count)`` of promises found broken in the window; None if
        not tracked. Read from the collection events (outcome "Promise Broken")."""
        if "outcome" not in self.env["debt.collection.event"]._fields:
            return None
        return SQL(
            """
            SELECT partner_id, company_id, COUNT(*) FROM debt_collection_event
             WHERE outcome = 'promise_broken' AND date BETWEEN %s AND %s
             GROUP BY partner_id, company_id
            """,
            start,
            today,
        )

    @api.model
    def _debt_dispute_counts_query(self, start, today):
        """``(partner_id, company_id, count)`` of disputes raised in the window; None if not
        tracked."""
        if "debt.collection.dispute" not in self.env:
            return None
        return SQL(
            """
            SELECT partner_id, company_id, COUNT(*) FROM debt_collection_dispute
             WHERE date BETWEEN %s AND %s
             GROUP BY partner_id, company_id
            """,
            start,
            today,
        )

    @api.model
    def _debt_refresh_payer_profiles(self, today=None):
        """Refresh every payer profile, of every company, in one ``UPDATE``.

        The profiles are computed per customer and company (``GROUP BY partner, company``) and
        written as the companies' values of the company-dependent fields, merged into what
        other companies hold. The arithmetic is ``rules.analytics.weighted_days_late``,
        ``on_time_ratio`` and ``payer_class``. A customer profiled before in a company and with
        nothing left in the window there is reset. Invoices read their class from their
        customer: none is written, and when a scenario depends on the class, the open invoices
        of the reclassified customers are rescheduled in those companies. Returns the number
        of profiles (customer and company) written.
        """
        today = today or fields.Date.context_today(self)
        start = window_start(today, self._debt_profile_months())
        self.env.flush_all()
        class_case = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN s.avg_days <= %s THEN %s", limit, klass)
                if limit is not None
                else SQL("ELSE %s", klass)
                for klass, limit in PAYER_CLASSES
            ),
        )
        none = SQL("SELECT NULL::int AS partner_id, NULL::int AS company_id, 0 AS count WHERE FALSE")
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (%(items)s),
                stats AS (
                    SELECT partner_id, company_id,
                           SUM(amount * days_late) / NULLIF(SUM(amount), 0) AS avg_days,
                           COUNT(*) FILTER (WHERE days_late <= 0)::float / COUNT(*) AS on_time,
                           COUNT(*) FILTER (WHERE days_late > 0) AS late_count
                      FROM items
                     WHERE partner_id IS NOT NULL
                     GROUP BY partner_id, company_id
                ),
                broken AS (%(broken)s),
                disputes AS (%(disputes)s),
                previous AS (
                    SELECT p.id AS partner_id, company_key::int AS company_id,
                           p.debt_payer_class ->> company_key AS previous_class
                      FROM res_partner p
                CROSS JOIN LATERAL jsonb_object_keys(p.debt_profile_date) AS company_key
                     WHERE p.debt_profile_date IS NOT NULL
                ),
                pairs AS (
                    SELECT partner_id, company_id FROM stats
                    UNION SELECT partner_id, company_id FROM broken
                    UNION SELECT partner_id, company_id FROM disputes
                    UNION SELECT partner_id, company_id FROM previous
                ),
                profile AS (
                    SELECT pairs.partner_id, pairs.company_id::text AS company_key,
                           s.avg_days, s.on_time,
                           COALESCE(s.late_count, 0) AS late_count,
                           COALESCE(b.count, 0) AS broken_count,
                           COALESCE(d.count, 0) AS dispute_count,
                           CASE WHEN s.avg_days IS NULL THEN NULL ELSE %(class_case)s END AS payer_class,
                           prev.previous_class
                      FROM pairs
                 LEFT JOIN stats s USING (partner_id, company_id)
                 LEFT JOIN broken b USING (partner_id, company_id)
                 LEFT JOIN disputes d USING (partner_id, company_id)
                 LEFT JOIN previous prev USING (partner_id, company_id)
                     WHERE pairs.partner_id IS NOT NULL AND pairs.company_id IS NOT NULL
                ),
                merged AS (
                    SELECT partner_id,
                           ARRAY_AGG(company_key) AS company_keys,
                           ARRAY_AGG(company_key::int) FILTER (
                               WHERE payer_class IS DISTINCT FROM previous_class
                           ) AS reclassified,
                           JSONB_STRIP_NULLS(JSONB_OBJECT_AGG(company_key, avg_days)) AS avg_days,
                           JSONB_STRIP_NULLS(JSONB_OBJECT_AGG(company_key, on_time)) AS on_time,
                           JSONB_OBJECT_AGG(company_key, late_count) AS late_count,
                           JSONB_OBJECT_AGG(company_key, broken_count) AS broken_count,
                           JSONB_OBJECT_AGG(company_key, dispute_count) AS dispute_count,
                           JSONB_STRIP_NULLS(JSONB_OBJECT_AGG(company_key, payer_class)) AS payer_class,
                           JSONB_OBJECT_AGG(company_key, %(today)s::date) AS profile_date
                      FROM profile
                     GROUP BY partner_id
                )
                UPDATE res_partner p
                   SET %(assignments)s
                  FROM merged m
                 WHERE p.id = m.partner_id
             RETURNING p.id, CARDINALITY(m.company_keys), m.reclassified
                """,
                assignments=SQL(", ").join(
                    SQL(
                        "%(column)s = (COALESCE(p.%(column)s, '{}') - m.company_keys) || m.%(value)s",
                        column=SQL.identifier(column),
                        value=SQL.identifier(value),
                    )
                    for column, value in PROFILE_VALUES
                ),
                items=self._debt_payer_items_query(start, today),
                broken=self._debt_broken_promise_counts_query(start, today) or none,
                disputes=self._debt_dispute_counts_query(start, today) or none,
                class_case=class_case,
                today=today,
            )
        )
        rows = self.env.cr.fetchall()
        self.invalidate_model([column for column, _value in PROFILE_VALUES])
        self.env["account.move"].invalidate_model(["debt_payer_class"])
        reclassified = {
            (partner_id, company_id) for partner_id, _n, companies in rows for company_id in companies or ()
        }
        if reclassified and self.env["debt.collection.scenario"].search_count(
            [("payer_class", "!=", False)], limit=1
        ):
            # their scenario may have changed with their class
            self.env["account.move"].search(
                [
                    ("commercial_partner_id", "in", list({partner for partner, _c in reclassified})),
                    ("company_id", "in", list({company for _p, company in reclassified})),
                    *self.env["account.move"]._debt_open_invoice_domain(),
                ]
            ).filtered(
                lambda move: (move.commercial_partner_id.id, move.company_id.id) in reclassified
            )._debt_reschedule()
        return sum(count for _partner, count, _companies in rows)

    @api.model
    def _cron_debt_refresh_payer_profiles(self):
        """Scheduled action: one set-based refresh of all the payer profiles."""
        written = self._debt_refresh_payer_profiles()
        self.env["ir.cron"]._commit_progress(written, remaining=0)

    # ------------------------------------------------------------------ traceability

    def action_debt_open_paid_invoices(self):
        """The paid invoices of the profile's window, with their days late."""
        require_internal(self.env)
        self.ensure_one()
        today = fields.Date.context_today(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Delays"),
            "res_model": "debt.collection.delay.trend",
            "view_mode": "list,graph,pivot",
            "domain": [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("payment_date", ">=", window_start(today, self._debt_profile_months())),
                ("payment_date", "<=", today),
            ],
            "context": {"create": False},
        }

    def action_debt_open_receivables(self):
        """The open receivable items that make up the outstanding."""
        require_internal(self.env)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Receivables"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "child_of", self.env.company.root_id.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            "context": {"create": False},
        }
