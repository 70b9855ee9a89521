"""The customer follow-up: one screen per customer and company with what a credit controller needs.

A read-only SQL view, one row per customer with open invoices in a company: what it owes, by
age, its dunning level and next dates, its payer class and credit controller. The form adds
the customer's open invoices with their step and next date, its promises, disputes, cases,
phone tasks and communications (collection events with their documents), and the actions a
controller takes from there. "My Follow-ups" lists the customers whose next action is due,
sorted as the worklist.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..rules.analytics import BUCKETS
from .account_move import OPEN_PAYMENT_STATES
from .debt_collection_access import USER, require_group
from .res_partner_payer_profile import PAYER_CLASS_SELECTION

#: The columns of the amounts by age, in ``rules.analytics.BUCKETS`` order.
AGE_COLUMNS = ("amount_not_due", "amount_1_30", "amount_31_60", "amount_61_90", "amount_over_90")
#: Ids of the rows: the customer's and the company's (as the payer profiles).
ID_FACTOR = 100000


class DebtCollectionFollowup(models.Model):
    _name = "debt.collection.followup"
    _description = "Customer Follow-up"
    _auto = False
    _order = "payer_class desc, level desc, amount_due desc, id"
    _rec_name = "partner_id"
    #: What the view reads: flushed before it is searched.
    _depends = {
        "account.move": [
            "commercial_partner_id",
            "company_id",
            "move_type",
            "state",
            "payment_state",
            "debt_level",
            "debt_next_date",
            "invoice_date_due",
            "debt_dispute",
            "debt_promise_date",
        ],
        "account.move.line": [
            "partner_id",
            "company_id",
            "account_id",
            "parent_state",
            "reconciled",
            "amount_residual",
            "date_maturity",
            "date",
        ],
        "res.partner": ["commercial_partner_id", "debt_controller_id", "debt_payer_class", "debt_excluded"],
        "res.company": ["currency_id", "debt_controller_id"],
        "mail.activity": ["res_model", "res_id", "active", "date_deadline"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Credit Controller",
        readonly=True,
        help="The customer's credit controller, else the company's default one.",
    )
    payer_class = fields.Selection(PAYER_CLASS_SELECTION, readonly=True)
    excluded = fields.Boolean(string="Never Remind", readonly=True)
    level = fields.Integer(string="Dunning Level", readonly=True, aggregator="max")
    invoice_count = fields.Integer(string="Invoices Open", readonly=True)
    oldest_due_date = fields.Date(readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    dunning_date = fields.Date(
        string="Next Dunning", readonly=True, help="First day the daily run looks at the customer again."
    )
    task_date = fields.Date(string="Next Task", readonly=True, help="Deadline of its earliest open task.")
    next_date = fields.Date(
        string="Next Action", readonly=True, help="The earlier of the next dunning and the next task."
    )
    action_due = fields.Boolean(readonly=True)
    in_dispute = fields.Boolean(readonly=True)
    promise_date = fields.Date(string="Promised Date", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    amount_credit = fields.Monetary(
        string="Unreconciled Credits", readonly=True, help="Credit notes and payments not matched yet."
    )
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_over_90 = fields.Monetary(string="Over 90", readonly=True)

    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone_sanitized", string="Phone")
    phone_invalid = fields.Boolean(related="partner_id.debt_phone_invalid")
    is_consumer = fields.Boolean(related="partner_id.debt_is_consumer")
    avg_days_late = fields.Float(string="Average Days Late", digits=(16, 1), compute="_compute_profile")
    on_time_ratio = fields.Float(string="Paid on Time", compute="_compute_profile")
    late_count = fields.Integer(string="Late Invoices", compute="_compute_profile")
    broken_promise_count = fields.Integer(string="Broken Promises", compute="_compute_profile")
    dispute_count = fields.Integer(string="Disputes in the Window", compute="_compute_profile")
    profile_date = fields.Date(string="Profile Refreshed On", compute="_compute_profile")

    move_ids = fields.Many2many("account.move", string="Open Invoices", compute="_compute_records")
    promise_ids = fields.Many2many("debt.collection.promise", string="Promises", compute="_compute_records")
    dispute_ids = fields.Many2many("debt.collection.dispute", string="Disputes", compute="_compute_records")
    case_ids = fields.Many2many("debt.collection.case", string="Cases", compute="_compute_records")
    event_ids = fields.Many2many("debt.collection.event", string="Communications", compute="_compute_records")
    activity_ids = fields.Many2many("mail.activity", string="Tasks", compute="_compute_records")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        ages = SQL(", ").join(
            SQL(
                "COALESCE(SUM(i.residual) FILTER (WHERE i.residual > 0 AND %s), 0) AS %s",
                condition,
                SQL.identifier(column),
            )
            for condition, column in zip(self._age_conditions(today), AGE_COLUMNS, strict=True)
        )
        return SQL(
            """
            WITH invoices AS (
                SELECT m.commercial_partner_id AS partner_id, m.company_id,
                       MAX(dunning.debt_level) AS level, MIN(dunning.debt_next_date) AS dunning_date,
                       MIN(m.invoice_date_due) AS oldest_due_date, COUNT(*) AS invoice_count,
                       BOOL_OR(COALESCE(m.debt_dispute, FALSE)) AS in_dispute,
                       MAX(m.debt_promise_date) AS promise_date
                  FROM account_move m
                  JOIN debt_collection_invoice_state dunning ON dunning.id = m.debt_state_id
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND m.payment_state IN %(open)s
              GROUP BY m.commercial_partner_id, m.company_id
            ), items AS (
                SELECT COALESCE(partner.commercial_partner_id, l.partner_id) AS partner_id, l.company_id,
                       l.amount_residual AS residual, COALESCE(l.date_maturity, l.date) AS due_date
                  FROM account_move_line l
                  JOIN account_account account ON account.id = l.account_id
             LEFT JOIN res_partner partner ON partner.id = l.partner_id
                 WHERE account.account_type = 'asset_receivable' AND l.parent_state = 'posted'
                   AND NOT l.reconciled AND l.amount_residual != 0
            ), amounts AS (
                SELECT i.partner_id, i.company_id,
                       COALESCE(SUM(i.residual) FILTER (WHERE i.residual > 0), 0) AS amount_due,
                       COALESCE(SUM(i.residual) FILTER (WHERE i.residual > 0 AND i.due_date < %(today)s), 0)
                           AS amount_overdue,
                       COALESCE(-SUM(i.residual) FILTER (WHERE i.residual < 0), 0) AS amount_credit,
                       %(ages)s
                  FROM items i
              GROUP BY i.partner_id, i.company_id
            ), tasks AS (
                SELECT a.res_id AS partner_id, MIN(a.date_deadline) AS task_date
                  FROM mail_activity a
                 WHERE a.res_model = 'res.partner' AND a.active
              GROUP BY a.res_id
            )
            SELECT inv.partner_id::bigint * %(factor)s + inv.company_id AS id,
                   inv.partner_id, inv.company_id, company.currency_id,
                   COALESCE((p.debt_controller_id ->> inv.company_id::text)::int, company.debt_controller_id)
                       AS user_id,
                   p.debt_payer_class ->> inv.company_id::text AS payer_class,
                   COALESCE((p.debt_excluded ->> inv.company_id::text)::boolean, FALSE) AS excluded,
                   inv.level, inv.invoice_count, inv.oldest_due_date,
                   GREATEST(%(today)s - inv.oldest_due_date, 0) AS days_late,
                   inv.dunning_date, tasks.task_date,
                   LEAST(inv.dunning_date, tasks.task_date) AS next_date,
                   COALESCE(LEAST(inv.dunning_date, tasks.task_date) <= %(today)s, FALSE) AS action_due,
                   inv.in_dispute, inv.promise_date,
                   COALESCE(amounts.amount_due, 0) AS amount_due,
                   COALESCE(amounts.amount_overdue, 0) AS amount_overdue,
                   COALESCE(amounts.amount_credit, 0) AS amount_credit,
                   %(age_columns)s
              FROM invoices inv
              JOIN res_partner p ON p.id = inv.partner_id
              JOIN res_company company ON company.id = inv.company_id
         LEFT JOIN amounts ON amounts.partner_id = inv.partner_id AND amounts.company_id = inv.company_id
         LEFT JOIN tasks ON tasks.partner_id = inv.partner_id
            """,
            open=OPEN_PAYMENT_STATES,
            today=today,
            ages=ages,
            factor=ID_FACTOR,
            age_columns=SQL(", ").join(
                SQL("COALESCE(amounts.%s, 0) AS %s", SQL.identifier(column), SQL.identifier(column))
                for column in AGE_COLUMNS
            ),
        )

    @staticmethod
    def _age_conditions(today):
        """The SQL condition of each bucket of ``rules.analytics.BUCKETS`` on an item's due date."""
        conditions, previous = [], None
        for _key, _label, last in BUCKETS:
            parts = []
            if previous is not None:
                parts.append(SQL("%s - i.due_date > %s", today, previous))
            if last is not None:
                parts.append(SQL("%s - i.due_date <= %s", today, last))
            conditions.append(SQL(" AND ").join(parts))
            previous = last
        return conditions

    # ------------------------------------------------------------------ what the form shows

    @api.depends_context("company")
    def _compute_profile(self):
        for followup in self:
            partner = followup.partner_id.with_company(followup.company_id)
            followup.avg_days_late = partner.debt_avg_days_late
            followup.on_time_ratio = partner.debt_on_time_ratio
            followup.late_count = partner.debt_late_count
            followup.broken_promise_count = partner.debt_broken_promise_count
            followup.dispute_count = partner.debt_dispute_count
            followup.profile_date = partner.debt_profile_date

    def _compute_records(self):
        """Each customer's records in its company: one search per kind for all the rows."""
        partners, companies = self.partner_id, self.company_id
        scope = [("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)]
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("company_id", "in", companies.ids),
                *self.env["account.move"]._debt_open_invoice_domain(),
            ],
            order="invoice_date_due, id",
        )
        promises = self.env["debt.collection.promise"].search(scope)
        disputes = self.env["debt.collection.dispute"].search([*scope, ("state", "=", "open")]) | self.env[
            "debt.collection.dispute"
        ].search([*scope, ("state", "!=", "open")], limit=20 * len(self))
        cases = self.env["debt.collection.case"].search(scope)
        events = self.env["debt.collection.event"].search(scope, order="date desc, id desc")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)], order="date_deadline, id"
        )
        for followup in self:
            key = (followup.partner_id, followup.company_id)
            followup.move_ids = moves.filtered(
                lambda m, key=key: (m.commercial_partner_id, m.company_id) == key
            )
            followup.promise_ids = promises.filtered(lambda r, key=key: (r.partner_id, r.company_id) == key)
            followup.dispute_ids = disputes.filtered(lambda r, key=key: (r.partner_id, r.company_id) == key)
            followup.case_ids = cases.filtered(lambda r, key=key: (r.partner_id, r.company_id) == key)
            followup.event_ids = events.filtered(lambda r, key=key: (r.partner_id, r.company_id) == key)
            followup.activity_ids = activities.filtered(lambda a, key=key: a.res_id == key[0].id)

    # ------------------------------------------------------------------ opening it

    @api.model
    def _action_open(self, partner, company):
        """The follow-up form of ``partner`` in ``company`` (the customer with open invoices)."""
        self.check_access("read")  # Collection Users and accountants, not salespeople
        partner = partner.commercial_partner_id
        followup = self.browse(partner.id * ID_FACTOR + company.id)
        if not followup.exists():
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "%(customer)s has no open invoice in %(company)s: nothing to follow up.",
                        customer=partner.display_name,
                        company=company.name,
                    ),
                },
            }
        return followup._get_records_action(name=partner.display_name, context={"create": False})

    def _customer(self):
        """The customer, in the follow-up's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id)

    def _check_collection_user(self):
        require_group(self.env, USER, self.env._("Only a Collection User can act on a customer's dunning."))

    # ------------------------------------------------------------------ actions

    def action_log_call(self):
        return self._customer().with_context(allowed_company_ids=self.company_id.ids).action_debt_log_call()

    def action_promise(self):
        """Log a call that ends with a promise to pay (date and amount to fill)."""
        action = self.action_log_call()
        action["context"] = {**action["context"], "default_outcome": "promise"}
        action["name"] = self.env._("Promise to Pay")
        return action

    def action_send_statement(self):
        """Email the statement of account now: an event, its email in the chatter, delivery followed."""
        self.ensure_one()
        self._check_collection_user()
        return self.env["debt.collection.event"]._debt_send_statement(self._customer(), self.company_id)

    def action_print_statement(self):
        """Print the statement of account: an event of the letter, its PDF."""
        self.ensure_one()
        self._check_collection_user()
        return self.env["debt.collection.event"]._debt_print_statement(self._customer(), self.company_id)

    def action_raise_dispute(self):
        """A dispute on the oldest open invoice not in dispute yet (another may be chosen)."""
        self.ensure_one()
        self._check_collection_user()
        undisputed = self.move_ids.filtered(lambda m: not m.debt_dispute)
        return (undisputed or self.move_ids)[:1].action_debt_raise_dispute()

    def action_open_case(self):
        self._check_collection_user()
        return self._customer().action_debt_open_case()

    def action_exclude(self):
        """Never remind this customer in this company (until included again)."""
        return self._set_excluded(True)

    def action_include(self):
        return self._set_excluded(False)

    def _set_excluded(self, excluded):
        """A Collection User's decision, checked here (a credit controller need not edit contacts),
        and noted in the customer's chatter."""
        self._check_collection_user()
        for followup in self:
            customer = followup._customer().sudo()
            customer.debt_excluded = excluded
            note = (
                self.env._("Excluded from the dunning of %(company)s by %(user)s.")
                if excluded
                else self.env._("Included again in the dunning of %(company)s by %(user)s.")
            )
            customer._message_log(
                body=note % {"company": followup.company_id.name, "user": self.env.user.name}
            )
        return True

    def action_open_customer(self):
        self.ensure_one()
        return self._customer()._get_records_action()
