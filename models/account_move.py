from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..rules.escalation import next_action_date

CHASEABLE_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

    debt_step_id = fields.Many2one(
        "debt.collection.step",
        string="Dunning Step",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Last dunning step this invoice went through.",
    )
    debt_level = fields.Integer(
        string="Dunning Level",
        readonly=True,
        copy=False,
        help="Rank of the last dunning step in the scenario (0: not reminded yet).",
    )
    debt_next_date = fields.Date(
        string="Next Dunning Action",
        readonly=True,
        copy=False,
        help="First day the next step of the scenario may be taken.",
    )
    debt_last_date = fields.Date(string="Last Dunning Action", readonly=True, copy=False)
    debt_cycle = fields.Integer(
        string="Dunning Cycle", readonly=True, copy=False, help="Incremented when dunning restarts."
    )
    debt_event_line_ids = fields.One2many(
        "debt.collection.event.line", "move_id", string="Dunning History", readonly=True
    )
    debt_dispute = fields.Boolean(
        string="In Dispute",
        copy=False,
        tracking=True,
        help="A disputed invoice (litige) is not reminded until the dispute is resolved.",
    )
    debt_promise_date = fields.Date(
        string="Promised Payment Date",
        copy=False,
        tracking=True,
        help="While a promise runs (until this date plus the scenario's grace period), "
        "the invoice is not reminded.",
    )
    debt_case_id = fields.Many2one(
        "debt.collection.case", string="Collection Case", copy=False, index="btree_not_null"
    )
    debt_days_late = fields.Integer(string="Days Late", compute="_compute_debt_days_late")

    _debt_next_date_idx = models.Index(
        "(company_id, debt_next_date) WHERE debt_next_date IS NOT NULL "
        "AND move_type = 'out_invoice' AND state = 'posted'"
    )

    @api.depends("invoice_date_due")
    def _compute_debt_days_late(self):
        today = fields.Date.context_today(self)
        for move in self:
            due = move.invoice_date_due
            move.debt_days_late = max((today - due).days, 0) if due else 0

    # ------------------------------------------------------------------ scheduling

    def _debt_chased_moves(self):
        return self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")

    def _debt_reschedule(self):
        """Recompute the next dunning date of these invoices from their scenario.

        Batched: one read of scenarios, one write per distinct date.
        """
        moves = self._debt_chased_moves()
        if not moves:
            return
        scenarios = self.env["res.partner"]._debt_scenarios_of(moves)
        by_date = defaultdict(list)
        for move in moves:
            scenario = scenarios.get((move.company_id.id, move.commercial_partner_id.id))
            steps = scenario._rule_steps() if scenario else []
            level = _level_in(steps, move.debt_step_id.offset_days if move.debt_step_id else None)
            due = move.invoice_date_due or move.invoice_date or move.date
            by_date[next_action_date(due, steps, level, move.debt_last_date or None)].append(move.id)
        for next_date, ids in by_date.items():
            self.browse(ids).write({"debt_next_date": next_date})

    @api.model
    def _debt_reschedule_companies(self, companies):
        """After a scenario change: reschedule the open invoices of these companies."""
        if not companies:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_move WHERE company_id IN %s AND move_type = 'out_invoice' "
                "AND state = 'posted' AND payment_state IN %s",
                tuple(companies.ids),
                CHASEABLE_PAYMENT_STATES,
            )
        )
        self.browse([row[0] for row in self.env.cr.fetchall()])._debt_reschedule()

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._debt_reschedule()
        return posted

    def write(self, vals):
        result = super().write(vals)
        if "invoice_date_due" in vals:
            self._debt_reschedule()
        return result

    # ------------------------------------------------------------------ actions

    def action_debt_reset(self):
        """Start the scenario again from its first step."""
        for move in self:
            move.write(
                {
                    "debt_step_id": False,
                    "debt_level": 0,
                    "debt_last_date": False,
                    "debt_cycle": move.debt_cycle + 1,
                }
            )
        self._debt_reschedule()
        for move in self:
            move.message_post(body=self.env._("Dunning restarted from the first step of the scenario."))


def _level_in(steps, last_offset):
    """Level of an invoice whose last step had ``last_offset``, in ``steps`` (ordered)."""
    if last_offset is None:
        return 0
    return sum(1 for step in steps if step.offset_days <= last_offset)
