"""A record of each dunning run: what it did, what failed, and who was told."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

RUN_STATES = [
    ("running", "Running"),
    ("done", "Done"),
    ("errors", "Done with Errors"),
    ("failed", "Failed"),
    ("interrupted", "Interrupted"),
]

#: A run that has not written anything for this long is no longer running: its worker died.
STALE_HOURS = 2


class DebtCollectionRunLog(models.Model):
    """One run of the daily escalation for one company, scheduled or started by hand.

    Its counters are written after each batch (committed with it by the scheduled action), so
    a run killed halfway shows how far it went. A run that ends with failed customers, fails
    itself or was interrupted gives each Collection Manager of the company a to-do.
    """

    _name = "debt.collection.run.log"
    _description = "Dunning Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _mail_post_access = "read"  # written by the run alone; its readers discuss it
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "By Hand")], required=True, readonly=True, default="manual"
    )
    user_id = fields.Many2one(
        "res.users", string="Started By", readonly=True, default=lambda self: self.env.user
    )
    state = fields.Selection(RUN_STATES, required=True, readonly=True, default="running", index=True)
    customer_count = fields.Integer(string="Customers Reviewed", readonly=True)
    communication_count = fields.Integer(string="Communications", readonly=True)
    error_count = fields.Integer(string="Failed Customers", readonly=True)
    note = fields.Text(readonly=True, help="Why the run failed, in one line (details in the server log).")
    event_ids = fields.One2many("debt.collection.event", "run_id", string="Events", readonly=True)

    @api.model
    def _start(self, company, today, trigger):
        """A new run of ``company``; earlier runs left running by a dead worker are closed."""
        self._close_stale(company)
        return self.sudo().create({"company_id": company.id, "date": today, "trigger": trigger})

    def _count(self, customers, communications, errors):
        self.ensure_one()
        self.sudo().write(
            {
                "customer_count": self.customer_count + customers,
                "communication_count": self.communication_count + communications,
                "error_count": self.error_count + errors,
            }
        )

    def _finish_shared(self, customers):
        """Close a run whose batches were queued jobs (``debt_collection_run_jobs``): its
        counters are read from its events once every batch is done, as jobs running at once
        cannot all add to one row. A run a batch failed stays failed."""
        self.ensure_one()
        events = self.sudo().event_ids
        failed = events.filtered(lambda event: event.state == "error")
        self.sudo().write(
            {
                "customer_count": customers,
                "communication_count": len(events - failed),
                "error_count": len(failed.partner_id),
            }
        )
        if self.state == "running":
            self._finish()

    def _finish(self):
        self.ensure_one()
        self.sudo().write({"state": "errors" if self.error_count else "done"})
        if self.error_count:
            self._notify_managers()

    def _fail(self, reason):
        self.ensure_one()
        self.sudo().write({"state": "failed", "note": reason})
        self._notify_managers()

    @api.model
    def _close_stale(self, company):
        stale = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "running"),
                ("write_date", "<", fields.Datetime.subtract(fields.Datetime.now(), hours=STALE_HOURS)),
            ]
        )
        if stale:
            stale.write({"state": "interrupted"})
            for log in stale:
                log._notify_managers()

    def _notify_managers(self):
        """A to-do for each Collection Manager of the company, in the manager's language."""
        self.ensure_one()
        group = self.env.ref("account_debt_collection.group_debt_collection_manager")
        managers = group.sudo().all_user_ids.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids
        )
        for manager in managers:
            log = self.with_context(lang=manager.lang or self.env.lang)
            log.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date,
                summary=log._summary(),
                note=Markup("<p>%s</p>") % (self.note or log._summary()),
                user_id=manager.id,
            )

    def _summary(self):
        date = format_date(self.env, self.date)
        if self.state == "failed":
            return self.env._("The dunning run of %(date)s failed", date=date)
        if self.state == "interrupted":
            return self.env._("The dunning run of %(date)s was interrupted", date=date)
        return self.env._(
            "Dunning run of %(date)s: %(count)s customer(s) could not be dunned",
            date=date,
            count=self.error_count,
        )

    def action_view_failed(self):
        self.ensure_one()
        return self.event_ids.filtered(lambda e: e.state == "error")._get_records_action(
            name=self.env._("Failed Communications")
        )
