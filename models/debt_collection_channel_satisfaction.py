"""Satisfaction check channel: an email when the step has a template and the address works, else a call."""

from odoo import models
from odoo.tools import SQL

from ..rules.escalation import EMAIL_OK, satisfaction_medium


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_satisfaction_check(self, events):
        self._mark_satisfaction_pending(events.line_ids.move_id)
        by_mail = events.filtered(
            lambda e: satisfaction_medium(e.step_id._rule_step(), e.email_issue or EMAIL_OK) == "email"
        )
        if by_mail:
            self._dispatch_email(by_mail)
        if events - by_mail:
            self._dispatch_phone(events - by_mail)

    def _mark_satisfaction_pending(self, moves):
        """The check went out: its invoices await the customer's answer (one query)."""
        if not moves:
            return
        self._update_moves(
            moves,
            ["debt_satisfaction"],
            SQL("UPDATE account_move SET debt_satisfaction = 'pending' WHERE id = ANY(%s)", moves.ids),
        )
