"""What the new version knows and the old one did not.

- Penalty invoices are flagged (they are never chased, they bear no penalty).
- Event lines name the instalment (receivable line) they list: the old ones, their
  invoice's first receivable line.
- Payer profiles, dropped by the pre-migration, are computed again, per company.
- A customer now receives one communication a day, held by a unique index: days on which the
  old version sent two (a satisfaction check and a reminder) keep the index from being
  created; they are listed in the log, and the run's own check still holds meanwhile.
"""

import logging

from openupgradelib import openupgrade

from odoo import fields

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    openupgrade.logged_query(
        cr,
        """UPDATE account_move m SET debt_is_penalty_invoice = TRUE
            WHERE EXISTS (SELECT 1 FROM account_move_debt_penalty_rel rel WHERE rel.penalty_invoice_id = m.id)
              AND NOT COALESCE(m.debt_is_penalty_invoice, FALSE)""",
    )
    openupgrade.logged_query(
        cr,
        """UPDATE debt_collection_event_line line
              SET move_line_id = (SELECT aml.id FROM account_move_line aml
                                   WHERE aml.move_id = line.move_id AND aml.display_type = 'payment_term'
                                ORDER BY aml.date_maturity, aml.id LIMIT 1)
            WHERE line.move_line_id IS NULL""",
    )
    cr.execute(
        """SELECT partner_id, date FROM debt_collection_event
            WHERE origin IN ('pre_due', 'overdue') AND state NOT IN ('error', 'cancelled')
         GROUP BY company_id, partner_id, date HAVING COUNT(*) > 1"""
    )
    doubles = cr.fetchall()
    if doubles:
        _logger.warning(
            "%s day(s) on which a customer received two communications (customer id, day): %s",
            len(doubles),
            ", ".join(f"({partner}, {day})" for partner, day in doubles[:50]),
        )
    env["res.partner"]._debt_refresh_payer_profiles(fields.Date.context_today(env.user))
