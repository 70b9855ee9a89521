"""A case's payment plan, and the daily follow-up of cases: plans, missed instalments, paid cases."""

from odoo import api, fields, models
from odoo.tools import SQL, format_date, split_every

from ..rules import cases as rules
from .account_move import OPEN_PAYMENT_STATES
from .debt_collection_access import SYSTEM, USER, require_group

PLAN_STATES = [("running", "Running"), ("missed", "Instalment Missed"), ("done", "Completed")]
#: Cases the daily follow-up handles between two commits.
FOLLOW_BATCH_SIZE = 500


class DebtCollectionCase(models.Model):
    """A case's payment plan (échéancier), agreed by the payment plan wizard, and the daily
    scheduled action that follows every case: the drop of the invoices' amount due since the
    plan is matched to the instalments, oldest first; a missed instalment moves the case back
    to the stage it had before the plan, so the dunning resumes; a case whose invoices are all
    paid is recovered."""

    _inherit = "debt.collection.case"

    instalment_ids = fields.One2many("debt.collection.case.instalment", "case_id", string="Payment Plan")
    plan_state = fields.Selection(PLAN_STATES, readonly=True, copy=False, tracking=True, debt_write=SYSTEM)
    plan_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    plan_baseline = fields.Monetary(
        readonly=True,
        copy=False,
        debt_write=SYSTEM,
        help="Amount due of the case's invoices when the plan was made.",
    )
    plan_previous_stage_id = fields.Many2one(
        "debt.collection.case.stage", readonly=True, copy=False, debt_write=SYSTEM
    )

    def action_payment_plan(self):
        require_group(self.env, USER, self.env._("Only a Collection User can agree a payment plan."))
        return self._wizard_action("debt.collection.payment.plan.wizard", self.env._("Payment Plan"))

    # ------------------------------------------------------------------ daily follow-up

    @api.model
    def _cron_follow_cases(self):
        """Daily: match payments to payment plans, flag missed instalments, close paid cases.

        Batch by batch, each committed with Odoo 19's cron progress (``ir.cron._commit_progress``),
        so that a failure loses the batch in progress only: the running plans first, then the open
        cases. Out of time, it stops and Odoo calls it again at once: a plan refreshed again comes
        to the same states (a missed instalment is flagged once), a recovered case is no longer open.
        """
        cron = self.env["ir.cron"]
        today = fields.Date.context_today(self)
        plans = self.search([("plan_state", "=", "running")])
        open_cases = self.search([("is_closed", "=", False)])
        cron._commit_progress(remaining=len(plans) + len(open_cases))
        for cases, follow in (
            (plans, lambda batch: batch._debt_refresh_plans(today)),
            (open_cases, lambda batch: batch._debt_close_recovered()),
        ):
            for batch in split_every(FOLLOW_BATCH_SIZE, cases.ids, self.browse):
                follow(batch)
                if not cron._commit_progress(len(batch)):
                    return

    def _debt_residuals(self):
        """``{case id: amount still due on its invoices}``, in one grouped read."""
        groups = self.env["account.move"]._read_group(
            [("debt_case_id", "in", self.ids)], ["debt_case_id"], ["amount_residual_signed:sum"]
        )
        return {case.id: amount for case, amount in groups}

    def _debt_refresh_plans(self, today):
        """Paid amounts and states of the instalments; missed ones go back to the case.

        Received = the plan's baseline minus what the case's invoices still owe, spread over
        the instalments' principal in date order (``rules.cases.allocate_payments``). One
        grouped read of residuals, one UPDATE of the instalments, one create of the events.
        """
        if not self:
            return
        residuals = self._debt_residuals()
        moves = self.move_ids
        scenarios = self.env["res.partner"]._debt_scenarios_of(moves) if moves else {}
        updates, newly_missed, done = [], self.browse(), self.browse()
        for case in self:
            scenario = scenarios.get((case.company_id.id, case.partner_id.commercial_partner_id.id))
            grace = scenario.promise_grace_days if scenario else 0
            received = case.plan_baseline - residuals.get(case.id, 0.0)
            items = [rules.Instalment(i.id, i.date, i.principal) for i in case.instalment_ids]
            statuses = rules.allocate_payments(items, received, today, grace)
            for instalment in case.instalment_ids:
                status = statuses[instalment.id]
                if (instalment.paid_amount, instalment.state) != (status.paid, status.state):
                    updates.append(SQL("(%s, %s, %s)", instalment.id, status.paid, status.state))
                    if status.state == "missed" and instalment.state != "missed":
                        newly_missed |= case
            if statuses and all(s.state == "paid" for s in statuses.values()):
                done |= case
        if updates:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """UPDATE debt_collection_case_instalment i
                          SET paid_amount = v.paid, state = v.state
                         FROM (VALUES %s) AS v(id, paid, state)
                        WHERE i.id = v.id""",
                    SQL(", ").join(updates),
                )
            )
            self.instalment_ids.invalidate_recordset(["paid_amount", "state"])
        done.sudo().write({"plan_state": "done"})
        self._debt_plan_missed(newly_missed - done, today)

    def _debt_plan_missed(self, cases, today):
        """A missed instalment: an event, a to-do for the responsible, the dunning resumes."""
        if not cases:
            return
        notes, summaries = {}, {}
        for case in cases:
            # for the case's responsible, who gets the to-do: in their language
            env = case.with_context(lang=case.user_id.lang or case.company_id.partner_id.lang).env
            missed = case.instalment_ids.filtered(lambda i: i.state == "missed")
            notes[case.id] = env._(
                "Payment plan: %(count)s instalment(s) missed (%(dates)s); the plan is broken and the "
                "dunning resumes.",
                count=len(missed),
                dates=", ".join(format_date(env, d) for d in missed.mapped("date")),
            )
            summaries[case.id] = env._("Instalment missed")
        cases._debt_log_events(notes, outcome="promise_broken")
        formal_notice = self.env["debt.collection.case.stage"]._debt_of_kind("formal_notice")
        for previous, group in cases.grouped("plan_previous_stage_id").items():
            group.sudo().write({"plan_state": "missed", "stage_id": (previous or formal_notice).id})
        for case in cases:
            case.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=summaries[case.id],
                note=notes[case.id],
                user_id=(case.user_id or self.env.user).id,
            )

    def _debt_close_recovered(self):
        """Cases whose invoices are all paid move to Recovered (one grouped read)."""
        if not self:
            return self.browse()
        counts = self.env["account.move"]._read_group(
            [("debt_case_id", "in", self.ids)],
            ["debt_case_id"],
            ["__count", "payment_state:array_agg"],
        )
        paid = self.browse(
            case.id
            for case, _count, states in counts
            if not set(states) & set(OPEN_PAYMENT_STATES)
        )
        if paid:
            recovered = self.env["debt.collection.case.stage"]._debt_of_kind("recovered")
            paid.sudo().write({"stage_id": recovered.id})
            paid.filtered(lambda c: c.plan_state == "running").sudo().write({"plan_state": "done"})
            body = self.env._("All the invoices of the case are paid: the case is recovered.")
            paid._message_log_batch(bodies=dict.fromkeys(paid.ids, body))
        return paid
